import {
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicesCommand,
  EC2Client,
  paginateDescribeVpcEndpointServicePermissions,
  Subnet,
} from '@aws-sdk/client-ec2';
import { InputError } from '@backstage/errors';
import { isNotFound } from './errors';

/** What a consumer needs to know about a service before creating an endpoint to it. */
export type OfferedService = {
  /** Zone names, in the terms of the account that read them (see `zonesSeenBy`). */
  zones: string[];
  /** Zone ids (use1-az1, …): the same in every account, so preferred for the comparison. */
  zoneIds: string[];
  zonesSeenBy: 'consumer' | 'provider';
  privateDnsName?: string;
  privateDnsVerified: boolean;
  acceptanceRequired?: boolean;
  /** 12-digit account of the provider, when known. */
  ownerAccountId?: string;
};

const SERVICE_ID = /\.(vpce-svc-[0-9a-f]+)$/;

/** The service id in a `com.amazonaws.vpce.<region>.vpce-svc-…` name. */
export function serviceIdOf(serviceName: string): string | undefined {
  return SERVICE_ID.exec(serviceName)?.[1];
}

/**
 * Reads the service as the consumer sees it (DescribeVpcEndpointServices). When the consumer cannot see it and
 * the provider account is given (a service the platform can read), the provider's side says whether it exists
 * and whether the consumer account is allowed, so that the error names the actual reason.
 */
export async function lookUpService(options: {
  consumer: EC2Client;
  consumerAccountId: string;
  serviceName: string;
  provider?: () => Promise<EC2Client>;
  providerAccountId?: string;
}): Promise<OfferedService> {
  const { consumer, serviceName } = options;
  try {
    const res = await consumer.send(
      new DescribeVpcEndpointServicesCommand({ ServiceNames: [serviceName] }),
    );
    const details = res.ServiceDetails?.find(
      d => d.ServiceName === serviceName,
    );
    if (details) {
      return {
        zones: details.AvailabilityZones ?? [],
        zoneIds: details.AvailabilityZoneIds ?? [],
        zonesSeenBy: 'consumer',
        privateDnsName: details.PrivateDnsName,
        privateDnsVerified:
          details.PrivateDnsNameVerificationState === 'verified',
        acceptanceRequired: details.AcceptanceRequired,
        ownerAccountId: /^\d{12}$/.test(details.Owner ?? '')
          ? details.Owner
          : undefined,
      };
    }
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }

  const serviceId = serviceIdOf(serviceName);
  if (!serviceId || !options.provider || !options.providerAccountId) {
    throw new InputError(
      `serviceName: ${serviceName} is not offered to account ${options.consumerAccountId}: it does not exist in this region, or the account is not allowed to connect to it`,
    );
  }
  const provider = await options.provider();
  try {
    let config;
    try {
      config = (
        await provider.send(
          new DescribeVpcEndpointServiceConfigurationsCommand({
            ServiceIds: [serviceId],
          }),
        )
      ).ServiceConfigurations?.[0];
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (!config) {
      throw new InputError(
        `serviceName: ${serviceName} does not exist in account ${options.providerAccountId}`,
      );
    }
    const principals: string[] = [];
    for await (const page of paginateDescribeVpcEndpointServicePermissions(
      { client: provider },
      { ServiceId: serviceId, MaxResults: 1000 },
    )) {
      for (const p of page.AllowedPrincipals ?? []) {
        if (p.Principal) principals.push(p.Principal);
      }
    }
    const consumerId = options.consumerAccountId;
    const allowed = principals.some(
      p => p === '*' || p.split(':')[4] === consumerId,
    );
    if (!allowed) {
      throw new InputError(
        `Account ${consumerId} is not allowed to connect to ${serviceName}; its owners must allow arn:aws:iam::${consumerId}:root first`,
      );
    }
    return {
      zones: config.AvailabilityZones ?? [],
      zoneIds: config.AvailabilityZoneIds ?? [],
      zonesSeenBy: 'provider',
      privateDnsName: config.PrivateDnsName,
      privateDnsVerified:
        config.PrivateDnsNameConfiguration?.State === 'verified',
      acceptanceRequired: config.AcceptanceRequired,
      ownerAccountId: options.providerAccountId,
    };
  } finally {
    provider.destroy();
  }
}

/**
 * Every subnet must be in a zone the service offers. Zone ids are compared when both sides have them (zone
 * names are mapped differently in each account); names otherwise.
 */
export function checkSubnetZones(
  subnets: Subnet[],
  service: OfferedService,
  serviceName: string,
): void {
  const byId = service.zoneIds.length > 0;
  for (const subnet of subnets) {
    const ok =
      byId && subnet.AvailabilityZoneId
        ? service.zoneIds.includes(subnet.AvailabilityZoneId)
        : service.zones.includes(subnet.AvailabilityZone ?? '');
    if (!ok) {
      const offered =
        byId &&
        (service.zonesSeenBy === 'provider' || service.zones.length === 0)
          ? service.zoneIds
          : service.zones;
      throw new InputError(
        `subnetIds: ${subnet.SubnetId} is in ${subnet.AvailabilityZone}${
          subnet.AvailabilityZoneId ? ` (${subnet.AvailabilityZoneId})` : ''
        }, which ${serviceName} does not offer; it offers ${
          offered.join(', ') || 'no zone'
        }`,
      );
    }
  }
}
