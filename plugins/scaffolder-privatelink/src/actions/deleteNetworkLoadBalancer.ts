import { paginateDescribeVpcEndpointServiceConfigurations } from '@aws-sdk/client-ec2';
import {
  DeleteLoadBalancerCommand,
  DescribeLoadBalancerAttributesCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  accountIdSchema,
  loadBalancerArnSchema,
  privatelinkResourceDeletePermission,
  regionSchema,
  toFullEntityRef,
} from '@privatelink-backstage/plugin-privatelink-common';
import { configuredAccount } from '@privatelink-backstage/plugin-privatelink-node';
import { z as zod } from 'zod';
import { AwsClientFactories } from '../aws';
import { elbTags, loadBalancersByArn } from '../lib/elb';
import { emulatorLoadBalancerArnSchema } from '../validation';
import { parseInput } from '../lib/input';
import { ActionWrites } from '../lib/writes';
import { IDEMPOTENCY_TAG_KEY, TagKeys } from '../tags';
import { examples } from './deleteNetworkLoadBalancer.examples';

/** The input; against an emulator (moto), whose NLB ARNs read `loadbalancer/app/…`, its ARNs are taken too. */
const inputSchemaFor = (emulator: boolean | undefined) =>
  zod
    .object({
      accountId: accountIdSchema,
      region: regionSchema,
      loadBalancerArn: emulator
        ? emulatorLoadBalancerArnSchema
        : loadBalancerArnSchema,
    })
    .refine(
      i =>
        i.loadBalancerArn.split(':')[3] === i.region &&
        i.loadBalancerArn.split(':')[4] === i.accountId,
      {
        message: 'must be a load balancer in accountId and region',
        path: ['loadBalancerArn'],
      },
    );

/** What the checks found of the load balancer. */
type Found = { exists: false } | { exists: true; name: string };

/**
 * `aws:privatelink:nlb:delete`: deletes a network load balancer that PrivateLink created (it carries the
 * product's idempotency tag), through the shared write path: the initiator needs `privatelink.resource.delete` on
 * the account and must own the load balancer (its owner tag names them or a group of theirs). Refused while an
 * endpoint service still uses it or its deletion protection is on. A load balancer gone already succeeds once.
 */
export function createDeleteNetworkLoadBalancerAction(options: {
  clients: Pick<AwsClientFactories, 'ec2' | 'elb'>;
  tagKeys: TagKeys;
  writes: ActionWrites;
  /** True against an emulator (moto). */
  emulator?: boolean;
}) {
  const inputSchema = inputSchemaFor(options.emulator);
  return createTemplateAction({
    id: 'aws:privatelink:nlb:delete',
    description:
      'Deletes a Network Load Balancer that PrivateLink created, once no endpoint service uses it (deletion protection is respected).',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        accountId: z =>
          z.string().describe('12-digit account of the load balancer'),
        region: z =>
          z.string().describe('Region of the load balancer, e.g. us-east-1'),
        loadBalancerArn: z =>
          z.string().describe('ARN of the Network Load Balancer'),
      },
      output: {
        deleted: z =>
          z
            .boolean()
            .describe(
              'True when this step deleted it; false when it was gone already',
            ),
      },
    },
    async handler(ctx) {
      const input = parseInput(inputSchema, ctx.input);
      const { accountId, region, loadBalancerArn } = input;
      const task = await options.writes.forTask(ctx);
      let found: Found = { exists: false };
      let elb: ElasticLoadBalancingV2Client | undefined;
      const run = () =>
        task.gate.run<{ deleted: boolean }>({
          actor: task.actor,
          action: 'nlb.delete',
          subject: { accountId, region },
          details: { loadBalancerArn },
          validate: () => {
            if (!configuredAccount(task.config, accountId)) {
              throw new NotAllowedError(
                `Account ${accountId} is not configured under privatelink.accounts; PrivateLink deletes nothing there`,
              );
            }
          },
          checks: [
            {
              permission: privatelinkResourceDeletePermission,
              resourceRef: accountId,
              on: `account ${accountId}`,
            },
          ],
          precondition: async () => {
            elb = await options.clients.elb({ accountId, region });
            found = await checkDeletable(elb, {
              ...options,
              ...input,
              ownershipRefs: await task.ownershipRefs(),
            });
          },
          dryRun: ctx.isDryRun,
          preview: () => ({ deleted: found.exists }),
          failure: `Could not delete the load balancer ${loadBalancerArn}`,
          // A load balancer is no endpoint service: nothing for the catalog to re-read.
          change: async () => {
            if (found.exists)
              await elb!.send(
                new DeleteLoadBalancerCommand({
                  LoadBalancerArn: loadBalancerArn,
                }),
              );
            return {
              value: { deleted: found.exists },
              details: found.exists ? {} : { alreadyDeleted: true },
              changed: false,
            };
          },
        });
      try {
        const result = ctx.isDryRun
          ? await run()
          : await ctx.checkpoint({
              key: `privatelink-nlb-delete-${loadBalancerArn}`,
              fn: run,
            });
        ctx.logger.info(
          result.deleted
            ? `${
                ctx.isDryRun ? 'Dry run: would have deleted' : 'Deleted'
              } ${loadBalancerArn}`
            : `${loadBalancerArn} was deleted already`,
        );
        ctx.output('deleted', result.deleted);
      } finally {
        elb?.destroy();
      }
    },
  });
}

/**
 * Checks that the load balancer may be deleted: PrivateLink created it, the initiator owns it, no endpoint service
 * of its account and region uses it, and its deletion protection is off. Gone already is `{ exists: false }`.
 */
async function checkDeletable(
  elb: ElasticLoadBalancingV2Client,
  options: {
    clients: Pick<AwsClientFactories, 'ec2'>;
    tagKeys: TagKeys;
    accountId: string;
    region: string;
    loadBalancerArn: string;
    ownershipRefs: string[];
  },
): Promise<Found> {
  const { loadBalancerArn } = options;
  const [lb] = (await loadBalancersByArn(elb, [loadBalancerArn])) ?? [];
  if (!lb) return { exists: false };
  if (lb.Type !== 'network')
    throw new InputError(
      `loadBalancerArn: ${lb.LoadBalancerName} is not a network load balancer`,
    );
  const tags = await elbTags(elb, loadBalancerArn);
  if (!tags[IDEMPOTENCY_TAG_KEY]) {
    throw new NotAllowedError(
      `${lb.LoadBalancerName} was not created by PrivateLink (it has no ${IDEMPOTENCY_TAG_KEY} tag); PrivateLink deletes only what it created`,
    );
  }
  const owner = toFullEntityRef(tags[options.tagKeys.owner] ?? '', 'group');
  if (!owner || !options.ownershipRefs.includes(owner)) {
    throw new NotAllowedError(
      `${lb.LoadBalancerName} is owned by ${
        owner ?? 'nobody'
      }; you may delete only load balancers you or your groups own`,
    );
  }
  const ec2 = await options.clients.ec2({
    accountId: options.accountId,
    region: options.region,
  });
  try {
    for await (const page of paginateDescribeVpcEndpointServiceConfigurations(
      { client: ec2 },
      { MaxResults: 1000 },
    )) {
      const user = page.ServiceConfigurations?.find(
        s =>
          s.ServiceState !== 'Deleted' &&
          [
            ...(s.NetworkLoadBalancerArns ?? []),
            ...(s.GatewayLoadBalancerArns ?? []),
          ].includes(loadBalancerArn),
      );
      if (user)
        throw new ConflictError(
          `${lb.LoadBalancerName} is still used by the endpoint service ${user.ServiceId}; retire that first`,
        );
    }
  } finally {
    ec2.destroy();
  }
  const attributes = await elb.send(
    new DescribeLoadBalancerAttributesCommand({
      LoadBalancerArn: loadBalancerArn,
    }),
  );
  if (
    attributes.Attributes?.some(
      a => a.Key === 'deletion_protection.enabled' && a.Value === 'true',
    )
  ) {
    throw new ConflictError(
      `${lb.LoadBalancerName} has deletion protection on; turn it off in AWS first if it really is to go`,
    );
  }
  return { exists: true, name: lb.LoadBalancerName ?? loadBalancerArn };
}
