import {
  DescribeVpcEndpointServiceConfigurationsCommand,
  EC2Client,
  paginateDescribeVpcEndpointConnections,
  ServiceConfiguration,
} from '@aws-sdk/client-ec2';
import { normalizeEndpointState, ServiceChangedEvent } from '@privatelink-backstage/plugin-privatelink-common';
import { collect, PAGE_SIZE } from '../permissions/allowedPrincipals';
import { ServiceConnection } from './settingsPlan';

/**
 * The configuration of one endpoint service as AWS has it now, or undefined when AWS no longer has it (EC2 answers
 * an unknown or deleted id with a `…NotFound` error).
 *
 * @public
 */
export async function readServiceConfiguration(ec2: EC2Client, serviceId: string): Promise<ServiceConfiguration | undefined> {
  try {
    const out = await ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] }));
    return out.ServiceConfigurations?.find(c => c.ServiceId === serviceId && c.ServiceState !== 'Deleted');
  } catch (e) {
    if (/NotFound/.test((e as Error).name)) return undefined;
    throw e;
  }
}

/**
 * Every connection to one endpoint service (paginated), narrowed by `filters`, sorted by endpoint id. The service
 * and the filters' endpoint ids are checked again here: an emulator may ignore some filters.
 */
export async function readConnections(
  ec2: EC2Client,
  target: ServiceChangedEvent,
  filters: Array<{ Name: string; Values: string[] }> = [],
): Promise<ServiceConnection[]> {
  const connections = await collect(
    paginateDescribeVpcEndpointConnections(
      { client: ec2 },
      { MaxResults: PAGE_SIZE, Filters: [{ Name: 'service-id', Values: [target.serviceId] }, ...filters] },
    ),
    p => p.VpcEndpointConnections,
  );
  return connections
    .filter(c => c.VpcEndpointId && c.ServiceId === target.serviceId)
    .map(c => ({
      endpointId: c.VpcEndpointId!,
      accountId: c.VpcEndpointOwner,
      state: normalizeEndpointState(c.VpcEndpointState),
      region: c.VpcEndpointRegion || target.region,
      ...(c.IpAddressType ? { ipAddressType: c.IpAddressType } : {}),
    }))
    .sort((a, b) => a.endpointId.localeCompare(b.endpointId));
}
