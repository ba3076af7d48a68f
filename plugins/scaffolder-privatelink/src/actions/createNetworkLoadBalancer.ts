import { EC2Client } from '@aws-sdk/client-ec2';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  accountIdSchema,
  regionSchema,
} from '@privatelink-backstage/plugin-privatelink-common';
import { z as zod } from 'zod';
import { AwsClientFactories } from '../aws';
import { Cleanup } from '../lib/cleanup';
import { ensureLoadBalancerParts, waitUntilActive } from '../lib/loadBalancer';
import {
  checkSecurityGroups,
  ensureIngress,
  subnetsInVpc,
  vpcCidrs,
} from '../lib/network';
import { EnsureContext } from '../lib/ensure';
import { parseInput } from '../lib/input';
import { ActionWrites } from '../lib/writes';
import { creationChecks } from '@privatelink-backstage/plugin-privatelink-node';
import { TagKeys } from '../tags';
import {
  acmCertificateArnSchema,
  duplicates,
  entityRefSchema,
  extraTagsSchema,
  loadBalancerNameSchema,
  portSchema,
  securityGroupIdSchema,
  subnetIdSchema,
  timeoutSecondsSchema,
  vpcIdSchema,
} from '../validation';
import { examples } from './createNetworkLoadBalancer.examples';

const inputSchema = zod
  .object({
    accountId: accountIdSchema,
    region: regionSchema,
    name: loadBalancerNameSchema,
    vpcId: vpcIdSchema,
    subnetIds: zod
      .array(subnetIdSchema)
      .min(2, 'needs at least two private subnets, in distinct zones'),
    port: portSchema.default(443),
    protocol: zod.enum(['TCP', 'TLS']).default('TCP'),
    certificateArn: acmCertificateArnSchema.optional(),
    targetType: zod.enum(['instance', 'ip', 'alb']).default('ip'),
    targetPort: portSchema.optional(),
    targetSecurityGroupId: securityGroupIdSchema.optional(),
    ipAddressType: zod.enum(['ipv4', 'dualstack']).default('ipv4'),
    owner: entityRefSchema.optional(),
    system: entityRefSchema.optional(),
    component: entityRefSchema.optional(),
    tags: extraTagsSchema.optional(),
    timeoutSeconds: timeoutSecondsSchema.default(600),
  })
  .superRefine((input, ctx) => {
    const repeated = duplicates(input.subnetIds);
    if (repeated.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['subnetIds'],
        message: `lists ${repeated.join(', ')} more than once`,
      });
    }
    if (input.protocol === 'TLS' && !input.certificateArn) {
      ctx.addIssue({
        code: 'custom',
        path: ['certificateArn'],
        message: 'a TLS listener needs an ACM certificate ARN',
      });
    }
    if (input.protocol === 'TCP' && input.certificateArn) {
      ctx.addIssue({
        code: 'custom',
        path: ['certificateArn'],
        message: 'is only used with protocol TLS',
      });
    }
  });

type Input = zod.output<typeof inputSchema>;

/**
 * `aws:privatelink:nlb:create`: an internal Network Load Balancer for an endpoint service, in two or more
 * private subnets of distinct zones, cross-zone on, with a TCP target group and a TCP or TLS listener.
 * Resources are found by name (derived from `name`) and carry an idempotency tag, so a retried task reuses
 * them; if a step fails, what this run created is removed again.
 */
type Options = {
  clients: Pick<AwsClientFactories, 'ec2' | 'elb'>;
  tagKeys: TagKeys;
  /** First delay of the availability waiter, in seconds (the SDK's default is 15). */
  waiterMinDelaySeconds?: number;
  writes: ActionWrites;
};

export function createNetworkLoadBalancerAction(options: Options) {
  return createTemplateAction({
    id: 'aws:privatelink:nlb:create',
    description:
      'Creates an internal Network Load Balancer (cross-zone, TCP target group, TCP or TLS listener) to put behind a PrivateLink endpoint service, and waits until it is active.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        accountId: z =>
          z.string().describe('12-digit account to create the NLB in'),
        region: z => z.string().describe('Region, e.g. us-east-1'),
        name: z =>
          z
            .string()
            .describe(
              'Name of the NLB (1-29 characters); the target group is named <name>-tg',
            ),
        vpcId: z => z.string().describe('VPC of the subnets and the targets'),
        subnetIds: z =>
          z
            .array(z.string())
            .describe('Two or more private subnets, each in its own zone'),
        port: z => z.number().optional().describe('Listener port. Default 443'),
        protocol: z =>
          z
            .enum(['TCP', 'TLS'])
            .optional()
            .describe(
              'Listener protocol. Default TCP; TLS needs certificateArn',
            ),
        certificateArn: z =>
          z
            .string()
            .optional()
            .describe('ACM certificate ARN for a TLS listener'),
        targetType: z =>
          z
            .enum(['instance', 'ip', 'alb'])
            .optional()
            .describe('Target type of the target group. Default ip'),
        ipAddressType: z =>
          z
            .enum(['ipv4', 'dualstack'])
            .optional()
            .describe('ipv4, or dualstack so that the endpoint service behind it can support IPv6 (the subnets need IPv6 CIDRs). Default ipv4'),
        targetPort: z =>
          z
            .number()
            .optional()
            .describe('Port the targets listen on. Default: the listener port'),
        targetSecurityGroupId: z =>
          z
            .string()
            .optional()
            .describe(
              "Security group of the targets: allows the target port from the VPC's CIDR blocks",
            ),
        owner: z =>
          z.string().optional().describe('Owner entity ref, written as a tag'),
        system: z =>
          z.string().optional().describe('System entity ref, written as a tag'),
        component: z =>
          z
            .string()
            .optional()
            .describe('Component entity ref, written as a tag'),
        tags: z =>
          z
            .record(z.string(), z.string())
            .optional()
            .describe('Extra AWS tags'),
        timeoutSeconds: z =>
          z
            .number()
            .optional()
            .describe('How long to wait for the NLB to be active. Default 600'),
      },
      output: {
        loadBalancerArn: z => z.string().describe('ARN of the NLB'),
        targetGroupArn: z => z.string().describe('ARN of the target group'),
        listenerArn: z => z.string().describe('ARN of the listener'),
        dnsName: z => z.string().describe('DNS name of the NLB'),
        created: z =>
          z.boolean().describe('False when every part existed already'),
      },
    },
    async handler(ctx) {
      const input = parseInput(inputSchema, ctx.input);
      const { accountId, region, name } = input;
      const task = await options.writes.forTask(ctx);
      const outputs = await task.gate.run<Outputs>({
        actor: task.actor,
        action: 'nlb.create',
        subject: { accountId, region },
        details: { name, vpcId: input.vpcId, subnetIds: input.subnetIds, owner: input.owner },
        ...creationChecks({ config: task.config, accountId, owner: input.owner, ownershipRefs: task.ownershipRefs }),
        failure: `Could not create the network load balancer ${name}`,
        dryRun: ctx.isDryRun,
        preview: () => dryRunOutputs(input),
        // A load balancer alone is no endpoint service: nothing for the catalog to re-read.
        change: async () => {
          const value = await createLoadBalancer(ctx, options, input);
          return { value, details: { loadBalancerArn: value.loadBalancerArn, created: value.created }, changed: false };
        },
      });
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would create the internal NLB ${name} in ${input.subnetIds.join(', ')} of ${input.vpcId}`);
      }
      for (const [key, value] of Object.entries(outputs)) ctx.output(key as keyof Outputs, value);
    },
  });
}

type Outputs = { loadBalancerArn: string; targetGroupArn: string; listenerArn: string; dnsName: string; created: boolean };

function dryRunOutputs({ accountId, region, name }: Input): Outputs {
  const base = `arn:aws:elasticloadbalancing:${region}:${accountId}`;
  return {
    loadBalancerArn: `${base}:loadbalancer/net/${name}/0123456789abcdef`,
    targetGroupArn: `${base}:targetgroup/${name}-tg/0123456789abcdef`,
    listenerArn: `${base}:listener/net/${name}/0123456789abcdef/0123456789abcdef`,
    dnsName: `${name}-0123456789abcdef.elb.${region}.amazonaws.com`,
    created: true,
  };
}

/** Checks the network, then finds or creates every part and waits until the load balancer is active. */
async function createLoadBalancer(ctx: EnsureContext, options: Options, input: Input): Promise<Outputs> {
  const { accountId, region, name } = input;
  const target = { accountId, region };
  const ec2 = await options.clients.ec2(target);
  const elb = await options.clients.elb(target);
  // Creates are sent once; a lost response is followed by a look-up, not a blind resend.
  const elbOnce = await options.clients.elb(target, { maxAttempts: 1 });
  try {
    // Every check reads; nothing is created until all of them pass.
    await checkSubnets(ec2, input);
    const cidrs = input.targetSecurityGroupId ? await vpcCidrs(ec2, input.vpcId) : [];
    if (input.targetSecurityGroupId) {
      await checkSecurityGroups(ec2, [input.targetSecurityGroupId], input.vpcId, 'targetSecurityGroupId');
    }

    const cleanup = new Cleanup(ctx.logger);
    const result = await cleanup.run(async () => {
      const parts = await ensureLoadBalancerParts(ctx, { elb, elbOnce, input, tagKeys: options.tagKeys, cleanup });
      if (input.targetSecurityGroupId) {
        await ensureIngress(ctx, {
          ec2,
          groupId: input.targetSecurityGroupId,
          ports: [input.targetPort ?? input.port],
          cidrs,
          description: `From the VPC, through the PrivateLink NLB ${name}`,
          cleanup,
        });
      }
      await waitUntilActive({
        elb: await options.clients.elb(target),
        arn: parts.loadBalancerArn,
        name,
        logger: ctx.logger,
        timeoutSeconds: input.timeoutSeconds,
        minDelaySeconds: options.waiterMinDelaySeconds,
        signal: ctx.signal,
      });
      return parts;
    });
    return {
      loadBalancerArn: result.loadBalancerArn,
      targetGroupArn: result.targetGroupArn,
      listenerArn: result.listenerArn,
      dnsName: result.dnsName,
      created: result.created,
    };
  } finally {
    ec2.destroy();
    elb.destroy();
    elbOnce.destroy();
  }
}

async function checkSubnets(ec2: EC2Client, input: Input) {
  const subnets = await subnetsInVpc(ec2, input.subnetIds, input.vpcId);
  const byZone = new Map<string, string[]>();
  for (const subnet of subnets) {
    const zone = subnet.AvailabilityZone ?? '?';
    byZone.set(zone, [...(byZone.get(zone) ?? []), subnet.SubnetId ?? '?']);
  }
  for (const [zone, ids] of byZone) {
    if (ids.length > 1) {
      throw new InputError(
        `subnetIds: ${ids.join(
          ' and ',
        )} are both in ${zone}; an NLB takes one subnet per availability zone`,
      );
    }
  }
}
