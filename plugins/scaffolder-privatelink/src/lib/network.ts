import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  IpPermission,
  RevokeSecurityGroupIngressCommand,
  Subnet,
} from '@aws-sdk/client-ec2';
import { InputError } from '@backstage/errors';
import { Cleanup } from './cleanup';
import { EnsureContext } from './ensure';
import { isNotFound, messageOf } from './errors';

/** Subnets by id, all of them in `vpcId`; a missing subnet or one in another VPC is an InputError. */
export async function subnetsInVpc(
  ec2: EC2Client,
  subnetIds: string[],
  vpcId: string,
): Promise<Subnet[]> {
  let subnets: Subnet[];
  try {
    subnets =
      (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: subnetIds })))
        .Subnets ?? [];
  } catch (err) {
    if (isNotFound(err)) throw new InputError(`subnetIds: ${messageOf(err)}`);
    throw err;
  }
  for (const id of subnetIds) {
    const subnet = subnets.find(s => s.SubnetId === id);
    if (!subnet) throw new InputError(`subnetIds: ${id} does not exist`);
    if (subnet.VpcId !== vpcId) {
      throw new InputError(
        `subnetIds: ${id} is in ${subnet.VpcId}, not in ${vpcId}`,
      );
    }
  }
  return subnets;
}

/** The VPC's associated IPv4 CIDR blocks. */
export async function vpcCidrs(
  ec2: EC2Client,
  vpcId: string,
): Promise<string[]> {
  let vpc;
  try {
    vpc = (await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] })))
      .Vpcs?.[0];
  } catch (err) {
    if (isNotFound(err)) throw new InputError(`vpcId: ${messageOf(err)}`);
    throw err;
  }
  if (!vpc) throw new InputError(`vpcId: ${vpcId} does not exist`);
  const associated = (vpc.CidrBlockAssociationSet ?? [])
    .filter(a => a.CidrBlockState?.State === 'associated')
    .map(a => a.CidrBlock);
  return [
    ...new Set(
      [vpc.CidrBlock, ...associated].filter((c): c is string => Boolean(c)),
    ),
  ];
}

/** Every group exists and belongs to `vpcId`. */
export async function checkSecurityGroups(
  ec2: EC2Client,
  groupIds: string[],
  vpcId: string,
  field: string,
): Promise<void> {
  let groups;
  try {
    groups =
      (
        await ec2.send(
          new DescribeSecurityGroupsCommand({ GroupIds: groupIds }),
        )
      ).SecurityGroups ?? [];
  } catch (err) {
    if (isNotFound(err)) throw new InputError(`${field}: ${messageOf(err)}`);
    throw err;
  }
  for (const id of groupIds) {
    const group = groups.find(g => g.GroupId === id);
    if (!group) throw new InputError(`${field}: ${id} does not exist`);
    if (group.VpcId !== vpcId) {
      throw new InputError(
        `${field}: ${id} belongs to ${group.VpcId}, not to ${vpcId}`,
      );
    }
  }
}

/**
 * Allows tcp/`port` from each CIDR on a security group, adding only what is missing; the added rules are
 * revoked again if a later part of the step fails.
 */
export async function ensureIngress(
  ctx: EnsureContext,
  deps: {
    ec2: EC2Client;
    groupId: string;
    ports: number[];
    cidrs: string[];
    description: string;
    cleanup: Cleanup;
  },
): Promise<void> {
  const { ec2, groupId } = deps;
  const group = (
    await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))
  ).SecurityGroups?.[0];
  const allowed = (port: number, cidr: string) =>
    (group?.IpPermissions ?? []).some(
      p =>
        (p.IpProtocol === 'tcp' || p.IpProtocol === '-1') &&
        (p.IpProtocol === '-1' ||
          ((p.FromPort ?? 0) <= port && (p.ToPort ?? 0) >= port)) &&
        (p.IpRanges ?? []).some(r => r.CidrIp === cidr),
    );
  const permissions = deps.ports
    .map(port => ({
      IpProtocol: 'tcp',
      FromPort: port,
      ToPort: port,
      IpRanges: deps.cidrs
        .filter(cidr => !allowed(port, cidr))
        .map(CidrIp => ({ CidrIp, Description: deps.description })),
    }))
    .filter(p => p.IpRanges.length > 0) satisfies IpPermission[];
  if (permissions.length === 0) return;

  const summary = permissions
    .map(
      p => `tcp/${p.FromPort} from ${p.IpRanges.map(r => r.CidrIp).join(', ')}`,
    )
    .join('; ');
  await ctx.checkpoint({
    key: `privatelink-ingress-${groupId}-${summary}`,
    fn: async () => {
      await ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: permissions,
        }),
      );
    },
  });
  ctx.logger.info(`Allowed ${summary} on ${groupId}`);
  deps.cleanup.add(`ingress ${summary} on ${groupId}`, () =>
    ec2.send(
      new RevokeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: permissions,
      }),
    ),
  );
}
