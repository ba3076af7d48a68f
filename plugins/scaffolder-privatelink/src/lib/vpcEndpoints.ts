import {
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  paginateDescribeSecurityGroups,
  paginateDescribeVpcEndpoints,
  VpcEndpoint,
} from '@aws-sdk/client-ec2';
import { InputError } from '@backstage/errors';
import { normalizeEndpointState } from '@privatelink-backstage/plugin-privatelink-common';
import { createHash } from 'node:crypto';
import {
  hasIdempotencyKey,
  idempotencyFilter,
  resourceTags,
  TagKeys,
  toAwsTags,
} from '../tags';
import { Cleanup } from './cleanup';
import { EnsureContext, ensureResource } from './ensure';
import { errorName, isNotFound } from './errors';
import { sameOwner } from './owners';
import { checkSecurityGroups, ensureIngress } from './network';

/** What the security group of a consumer endpoint is made from. */
export type EndpointSecurityGroupSpec = {
  accountId: string;
  region: string;
  vpcId: string;
  serviceName: string;
  ports: number[];
  name?: string;
  owner?: string;
  system?: string;
  component?: string;
};

const GONE = new Set(['deleted', 'deleting']);

/** Private DNS needs both DNS attributes of the VPC on; say which are off. */
export async function checkVpcDns(ec2: EC2Client, vpcId: string) {
  const off: string[] = [];
  for (const attribute of ['enableDnsSupport', 'enableDnsHostnames'] as const) {
    const res = await ec2.send(
      new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: attribute }),
    );
    const value =
      attribute === 'enableDnsSupport'
        ? res.EnableDnsSupport?.Value
        : res.EnableDnsHostnames?.Value;
    if (!value) off.push(attribute);
  }
  if (off.length > 0) {
    throw new InputError(
      `privateDnsEnabled: ${vpcId} has ${off.join(' and ')} off; turn ${
        off.length > 1 ? 'them' : 'it'
      } on, or set privateDnsEnabled to false`,
    );
  }
}

/** A security group for the endpoint, found by its tag or created, allowing the ports from the VPC. */
export async function ensureSecurityGroup(
  ctx: EnsureContext,
  deps: {
    ec2: EC2Client;
    ec2Once: EC2Client;
    input: EndpointSecurityGroupSpec;
    key: string;
    cidrs: string[];
    tagKeys: TagKeys;
    cleanup: Cleanup;
    retryDelayMs?: number;
  },
): Promise<string> {
  const { ec2, input, cleanup } = deps;
  const key = `${deps.key}#security-group`;
  const groupName = `privatelink-endpoint-${createHash('sha256')
    .update(key)
    .digest('hex')
    .slice(0, 12)}`;
  const group = await ensureResource(ctx, {
    what: `security group ${groupName}`,
    checkpointKey: `privatelink-sg-${input.accountId}-${input.region}-${input.vpcId}-${groupName}`,
    find: async () => {
      for await (const page of paginateDescribeSecurityGroups(
        { client: ec2 },
        {
          Filters: [
            ...idempotencyFilter(key),
            { Name: 'vpc-id', Values: [input.vpcId] },
          ],
          MaxResults: 1000,
        },
      )) {
        const found = page.SecurityGroups?.find(g =>
          hasIdempotencyKey(g.Tags, key),
        );
        if (found?.GroupId) {
          // Never hand over a group made for another owner under the same key.
          const owner = found.Tags?.find(t => t.Key === deps.tagKeys.owner)?.Value;
          if (!sameOwner(owner, input.owner)) {
            throw new InputError(
              `Security group ${found.GroupId} already carries the key '${key}' for another owner (${owner ?? 'none'}); choose another name`,
            );
          }
          return { groupId: found.GroupId };
        }
      }
      return undefined;
    },
    create: async () => {
      const res = await deps.ec2Once.send(
        new CreateSecurityGroupCommand({
          GroupName: groupName,
          Description: `PrivateLink endpoint to ${input.serviceName}`.slice(
            0,
            255,
          ),
          VpcId: input.vpcId,
          TagSpecifications: [
            {
              ResourceType: 'security-group',
              Tags: toAwsTags(
                resourceTags({
                  keys: deps.tagKeys,
                  placement: {
                    owner: input.owner,
                    system: input.system,
                    component: input.component,
                  },
                  idempotencyKey: key,
                  extra: { Name: `${input.name ?? 'privatelink'}-endpoint` },
                }),
              ),
            },
          ],
        }),
      );
      return { groupId: res.GroupId ?? '' };
    },
    get: async recorded => {
      try {
        await checkSecurityGroups(
          ec2,
          [recorded.groupId],
          input.vpcId,
          'securityGroupIds',
        );
        return recorded;
      } catch {
        return undefined;
      }
    },
  });
  const groupId = group.value.groupId;
  if (group.created) {
    cleanup.add(`security group ${groupId}`, () =>
      deleteSecurityGroup(ec2, groupId, deps.retryDelayMs ?? 5000),
    );
  }
  await ensureIngress(ctx, {
    ec2,
    groupId,
    ports: input.ports,
    cidrs: deps.cidrs,
    description: `From the VPC, to the endpoint to ${input.serviceName}`.slice(
      0,
      255,
    ),
    cleanup,
  });
  return groupId;
}

/** The endpoint's network interfaces go away some seconds after the endpoint: retry while they hold the group. */
async function deleteSecurityGroup(
  ec2: EC2Client,
  groupId: string,
  delayMs: number,
) {
  for (let attempt = 1; ; attempt++) {
    try {
      await ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId }));
      return;
    } catch (err) {
      if (errorName(err) !== 'DependencyViolation' || attempt >= 12) throw err;
      await new Promise(resolve => setTimeout(resolve, delayMs));
    }
  }
}

export async function findEndpoint(ec2: EC2Client, key: string, vpcId: string) {
  for await (const page of paginateDescribeVpcEndpoints(
    { client: ec2 },
    {
      Filters: [...idempotencyFilter(key), { Name: 'vpc-id', Values: [vpcId] }],
      MaxResults: 1000,
    },
  )) {
    const found = page.VpcEndpoints?.find(
      e =>
        hasIdempotencyKey(e.Tags, key) &&
        e.VpcId === vpcId &&
        !GONE.has(normalizeEndpointState(e.State)),
    );
    if (found) return found;
  }
  return undefined;
}

export async function endpointById(
  ec2: EC2Client,
  endpointId: string,
): Promise<VpcEndpoint | undefined> {
  try {
    const res = await ec2.send(
      new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }),
    );
    return res.VpcEndpoints?.[0];
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
