import {
  AcceptVpcEndpointConnectionsCommand,
  ModifyVpcEndpointServicePermissionsCommand,
  paginateDescribeVpcEndpointConnections,
  RejectVpcEndpointConnectionsCommand,
  UnsuccessfulItem,
} from '@aws-sdk/client-ec2';
import { AwsClientFactory } from '../aws/clients';
import { readPermissions } from '../aws/inventory';

/** An endpoint service in its account and region. */
export interface ServiceTarget {
  accountId: string;
  region: string;
  serviceId: string;
}

/** The AWS changes the API makes on behalf of service owners; each call is permission-checked before. */
export interface AwsChanges {
  /** Adds the principals that are not allowed yet; returns those it added. */
  allowPrincipals(target: ServiceTarget, principals: string[]): Promise<string[]>;
  /** Removes the principals that are allowed; returns those it removed. */
  revokePrincipals(target: ServiceTarget, principals: string[]): Promise<string[]>;
  acceptConnections(target: ServiceTarget, endpointIds: string[]): Promise<ConnectionChangeResult>;
  rejectConnections(target: ServiceTarget, endpointIds: string[]): Promise<ConnectionChangeResult>;
  /** Endpoints of one account waiting for the owner to accept them. */
  pendingConnectionsFrom(target: ServiceTarget, accountId: string): Promise<string[]>;
}

export interface ConnectionChangeResult {
  changed: string[];
  failed: Array<{ endpointId: string; reason: string }>;
}

function result(endpointIds: string[], unsuccessful: UnsuccessfulItem[] | undefined): ConnectionChangeResult {
  const failed = (unsuccessful ?? []).map(u => ({
    endpointId: u.ResourceId ?? 'unknown',
    reason: `${u.Error?.Code ?? 'Error'}: ${u.Error?.Message ?? 'no reason given'}`,
  }));
  const failedIds = new Set(failed.map(f => f.endpointId));
  return { changed: endpointIds.filter(id => !failedIds.has(id)), failed };
}

export function createAwsChanges(clients: AwsClientFactory): AwsChanges {
  return {
    async allowPrincipals(target, principals) {
      const ec2 = await clients.ec2(target);
      const current = new Set(await readPermissions(ec2, target.serviceId));
      const added = [...new Set(principals)].filter(p => !current.has(p));
      if (added.length > 0) {
        await ec2.send(new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: target.serviceId, AddAllowedPrincipals: added }));
      }
      return added;
    },
    async revokePrincipals(target, principals) {
      const ec2 = await clients.ec2(target);
      const current = new Set(await readPermissions(ec2, target.serviceId));
      const removed = [...new Set(principals)].filter(p => current.has(p));
      if (removed.length > 0) {
        await ec2.send(new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: target.serviceId, RemoveAllowedPrincipals: removed }));
      }
      return removed;
    },
    async acceptConnections(target, endpointIds) {
      const ec2 = await clients.ec2(target);
      const out = await ec2.send(new AcceptVpcEndpointConnectionsCommand({ ServiceId: target.serviceId, VpcEndpointIds: endpointIds }));
      return result(endpointIds, out.Unsuccessful);
    },
    async rejectConnections(target, endpointIds) {
      const ec2 = await clients.ec2(target);
      const out = await ec2.send(new RejectVpcEndpointConnectionsCommand({ ServiceId: target.serviceId, VpcEndpointIds: endpointIds }));
      return result(endpointIds, out.Unsuccessful);
    },
    async pendingConnectionsFrom(target, accountId) {
      const ec2 = await clients.ec2(target);
      const ids: string[] = [];
      for await (const page of paginateDescribeVpcEndpointConnections(
        { client: ec2 },
        {
          MaxResults: 1000,
          Filters: [
            { Name: 'service-id', Values: [target.serviceId] },
            { Name: 'vpc-endpoint-owner', Values: [accountId] },
            { Name: 'vpc-endpoint-state', Values: ['pendingAcceptance'] },
          ],
        },
      )) {
        for (const c of page.VpcEndpointConnections ?? []) if (c.VpcEndpointId) ids.push(c.VpcEndpointId);
      }
      return ids;
    },
  };
}
