import {
  CreateVpcEndpointServiceConfigurationCommand,
  DeleteVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  EC2Client,
  paginateDescribeVpcEndpointServiceConfigurations,
  ServiceConfiguration,
} from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { InputError, NotAllowedError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  accountIdSchema,
  DEFAULT_TAG_KEYS,
  dnsNameSchema,
  loadBalancerArnSchema,
  regionSchema,
} from '@privatelink-backstage/plugin-privatelink-common';
import { creationChecks } from '@privatelink-backstage/plugin-privatelink-node';
import { randomUUID } from 'node:crypto';
import { z as zod } from 'zod';
import { AwsClientFactories } from '../aws';
import { Cleanup } from '../lib/cleanup';
import { elbTags, loadBalancersByArn } from '../lib/elb';
import { EnsureContext, ensureResource } from '../lib/ensure';
import { isNotFound } from '../lib/errors';
import { parseInput } from '../lib/input';
import { sameOwner } from '../lib/owners';
import { ActionWrites } from '../lib/writes';
import {
  hasIdempotencyKey,
  idempotencyFilter,
  idempotencyKeyFor,
  resourceTags,
  TagKeys,
  toAwsTags,
} from '../tags';
import {
  arnAccountAndRegion,
  emulatorLoadBalancerArnSchema,
  entityRefSchema,
  extraTagsSchema,
  idempotencyKeySchema,
  resourceNameSchema,
} from '../validation';
import { examples } from './createEndpointService.examples';

/** What this action records of a service (in checkpoints) and outputs. */
type ServiceRecord = {
  serviceId: string;
  serviceName: string;
  baseEndpointDnsNames: string[];
  privateDnsName?: string;
  verification?: { name: string; type: string; value: string; state: string };
  loadBalancerArns: string[];
};

const GONE_STATES = new Set(['Deleting', 'Deleted', 'Failed']);

/**
 * `aws:privatelink:endpoint-service:create`: publishes Network Load Balancers as a PrivateLink endpoint
 * service, tagged so that the catalog places it (owner, system, component, name). A tag look-up runs before
 * the create, so a retried task or a second run for the same name creates nothing twice.
 */
type Options = {
  clients: Pick<AwsClientFactories, 'ec2' | 'elb'>;
  tagKeys: TagKeys;
  /** True against an emulator (moto), whose NLB ARNs read `loadbalancer/app/…`. */
  emulator?: boolean;
  writes: ActionWrites;
};

function inputSchemaFor(emulator: boolean | undefined) {
  const arnSchema = emulator ? emulatorLoadBalancerArnSchema : loadBalancerArnSchema;
  return zod
    .object({
      accountId: accountIdSchema,
      region: regionSchema,
      networkLoadBalancerArns: zod.array(arnSchema).min(1),
      acceptanceRequired: zod.boolean().default(true),
      privateDnsName: dnsNameSchema.optional(),
      supportedIpAddressTypes: zod
        .array(zod.enum(['ipv4', 'ipv6']))
        .min(1)
        .optional(),
      supportedRegions: zod.array(regionSchema).optional(),
      name: resourceNameSchema.optional(),
      owner: entityRefSchema.optional(),
      system: entityRefSchema.optional(),
      component: entityRefSchema.optional(),
      tags: extraTagsSchema.optional(),
      idempotencyKey: idempotencyKeySchema.optional(),
    })
    .superRefine((input, ctx) => {
      input.networkLoadBalancerArns.forEach((arn, i) => {
        const { accountId, region } = arnAccountAndRegion(arn);
        if (accountId !== input.accountId || region !== input.region) {
          ctx.addIssue({
            code: 'custom',
            path: ['networkLoadBalancerArns', i],
            message: `is in ${accountId}/${region}, not in ${input.accountId}/${input.region}`,
          });
        }
      });
    });
}

export function createEndpointServiceAction(options: Options) {
  const inputSchema = inputSchemaFor(options.emulator);
  return createTemplateAction({
    id: 'aws:privatelink:endpoint-service:create',
    description:
      'Creates an AWS PrivateLink endpoint service for Network Load Balancers, tagged for the catalog.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        accountId: z =>
          z.string().describe('12-digit account of the load balancers'),
        region: z => z.string().describe('Region, e.g. us-east-1'),
        networkLoadBalancerArns: z =>
          z
            .array(z.string())
            .describe('ARNs of the Network Load Balancers to publish'),
        acceptanceRequired: z =>
          z
            .boolean()
            .optional()
            .describe('Whether each connection must be accepted. Default true'),
        privateDnsName: z =>
          z
            .string()
            .optional()
            .describe(
              'Private DNS name for consumers, e.g. orders.internal.example.com (verified with private-dns:verify)',
            ),
        supportedIpAddressTypes: z =>
          z
            .array(z.enum(['ipv4', 'ipv6']))
            .optional()
            .describe('IP address types offered. Default ipv4'),
        supportedRegions: z =>
          z
            .array(z.string())
            .optional()
            .describe('Other regions consumers may connect from'),
        name: z =>
          z
            .string()
            .optional()
            .describe(
              'Name of the service: the catalog names the Resource after it (resource:default/<name>)',
            ),
        owner: z => z.string().optional().describe('Owner entity ref'),
        system: z => z.string().optional().describe('System entity ref'),
        component: z =>
          z.string().optional().describe('Entity ref of the exposed component'),
        tags: z =>
          z
            .record(z.string(), z.string())
            .optional()
            .describe('Extra AWS tags'),
        idempotencyKey: z =>
          z
            .string()
            .optional()
            .describe(
              'Finds the service again on a retry. Default: from the name, else from the task and step',
            ),
      },
      output: {
        serviceId: z => z.string().describe('Endpoint service id, vpce-svc-…'),
        serviceName: z =>
          z.string().describe('Service name consumers connect to'),
        baseEndpointDnsNames: z =>
          z.array(z.string()).describe('DNS names of the service'),
        privateDnsName: z =>
          z.string().optional().describe('Private DNS name, when set'),
        privateDnsVerification: z =>
          z
            .object({
              name: z.string(),
              type: z.string(),
              value: z.string(),
              state: z.string(),
            })
            .optional()
            .describe(
              'The DNS record that proves ownership of the private DNS name',
            ),
        created: z =>
          z.boolean().describe('False when the service existed already'),
      },
    },
    async handler(ctx) {
      const input = parseInput(inputSchema, ctx.input);
      const { accountId, region } = input;
      const key = idempotencyKeyFor(ctx, 'service', {
        explicit: input.idempotencyKey,
        name: input.name,
      });
      const task = await options.writes.forTask(ctx);
      const checks = creationChecks({
        config: task.config,
        accountId,
        owner: input.owner,
        ownershipRefs: task.ownershipRefs,
      });
      const outputs = await task.gate.run<ServiceOutputs>({
        actor: task.actor,
        action: 'endpoint-service.create',
        subject: { accountId, region },
        details: {
          name: input.name,
          owner: input.owner,
          networkLoadBalancerArns: input.networkLoadBalancerArns,
          acceptanceRequired: input.acceptanceRequired,
          privateDnsName: input.privateDnsName,
        },
        ...checks,
        precondition: async () => {
          await checks.precondition();
          // Only load balancers of the same owner are published: nobody publishes another team's NLB.
          if (!ctx.isDryRun) await withClient(options.clients.elb({ accountId, region }), elb => checkLoadBalancers(elb, input.networkLoadBalancerArns, options.tagKeys, input.owner!));
        },
        failure: `Could not publish ${input.networkLoadBalancerArns.join(', ')} as an endpoint service`,
        dryRun: ctx.isDryRun,
        preview: () => dryRunOutputs(input),
        change: async () => {
          const value = await publish(ctx, options, input, key);
          return {
            value,
            subject: { serviceId: value.serviceId },
            details: { serviceId: value.serviceId, created: value.created },
          };
        },
      });
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would publish ${input.networkLoadBalancerArns.join(', ')} as an endpoint service`);
      } else {
        ctx.logger.info(`Endpoint service ${outputs.serviceId} (${outputs.serviceName}) is ready`);
      }
      for (const [name, value] of Object.entries(outputs)) {
        if (value !== undefined) ctx.output(name as keyof ServiceOutputs, value);
      }
    },
  });
}

type Input = zod.output<ReturnType<typeof inputSchemaFor>>;

/** What the action outputs. */
type ServiceOutputs = {
  serviceId: string;
  serviceName: string;
  baseEndpointDnsNames: string[];
  privateDnsName?: string;
  privateDnsVerification?: ServiceRecord['verification'];
  created: boolean;
};

function dryRunOutputs(input: Input): ServiceOutputs {
  const serviceId = 'vpce-svc-0123456789abcdef0';
  return {
    serviceId,
    serviceName: `com.amazonaws.vpce.${input.region}.${serviceId}`,
    baseEndpointDnsNames: [`${serviceId}.${input.region}.vpce.amazonaws.com`],
    privateDnsName: input.privateDnsName,
    created: true,
  };
}

async function withClient<C extends { destroy(): void }, T>(client: Promise<C>, fn: (c: C) => Promise<T>): Promise<T> {
  const c = await client;
  try {
    return await fn(c);
  } finally {
    c.destroy();
  }
}

/** Finds the service of this key, or creates it; removes what it created when a later part fails. */
async function publish(
  ctx: EnsureContext & { task: { id: string } },
  options: Options,
  input: Input,
  key: string,
): Promise<ServiceOutputs> {
  const { accountId, region } = input;
  const target = { accountId, region };
  const ec2 = await options.clients.ec2(target);
  const ec2Once = await options.clients.ec2(target, { maxAttempts: 1 });
  try {
    // One token for this run: the SDK-level resend of a lost create is deduplicated by AWS.
    const clientToken = randomUUID();
    const wanted = [...input.networkLoadBalancerArns].sort();
    const cleanup = new Cleanup(ctx.logger);
    const service = await cleanup.run(async () => {
      const ensured = await ensureResource(ctx, {
        what: `endpoint service ${input.name ?? key}`,
        checkpointKey: `privatelink-service-${accountId}-${region}-${key}`,
        find: async () => {
          const found = await findByKey(ec2, key, options.tagKeys.owner);
          if (!found) return undefined;
          // Never hand over a service made for another owner under the same name.
          if (!sameOwner(found.owner, input.owner)) {
            throw new InputError(
              `Endpoint service ${found.serviceId} already carries the key '${key}' for another owner (${found.owner ?? 'none'}); choose another name`,
            );
          }
          if (found.loadBalancerArns.join() !== wanted.join()) {
            throw new InputError(
              `Endpoint service ${found.serviceId} already carries the key '${key}' but publishes ${found.loadBalancerArns.join(', ')}; choose another name`,
            );
          }
          return found.record;
        },
        create: async () => {
          const res = await ec2Once.send(
            new CreateVpcEndpointServiceConfigurationCommand({
              NetworkLoadBalancerArns: input.networkLoadBalancerArns,
              AcceptanceRequired: input.acceptanceRequired,
              PrivateDnsName: input.privateDnsName,
              SupportedIpAddressTypes: input.supportedIpAddressTypes,
              SupportedRegions: input.supportedRegions,
              ClientToken: clientToken,
              TagSpecifications: [
                {
                  ResourceType: 'vpc-endpoint-service',
                  Tags: toAwsTags(
                    resourceTags({
                      keys: options.tagKeys,
                      placement: input,
                      idempotencyKey: key,
                      extra: input.tags,
                    }),
                  ),
                },
              ],
            }),
          );
          return toRecord(res.ServiceConfiguration);
        },
        get: async recorded => {
          const [found] = await describeServices(ec2, [recorded.serviceId]);
          return found ? toRecord(found) : undefined;
        },
      });
      if (ensured.created) {
        cleanup.add(`endpoint service ${ensured.value.serviceId}`, () =>
          ec2.send(
            new DeleteVpcEndpointServiceConfigurationsCommand({
              ServiceIds: [ensured.value.serviceId],
            }),
          ),
        );
      }
      return ensured;
    });
    const { value } = service;
    return {
      serviceId: value.serviceId,
      serviceName: value.serviceName,
      baseEndpointDnsNames: value.baseEndpointDnsNames,
      privateDnsName: value.privateDnsName,
      privateDnsVerification: value.verification,
      created: service.created,
    };
  } finally {
    ec2.destroy();
    ec2Once.destroy();
  }
}

/** Every ARN must name an existing network load balancer: a clear 400 instead of an EC2 error later. */
async function checkLoadBalancers(
  elb: ElasticLoadBalancingV2Client,
  arns: string[],
  tagKeys: TagKeys,
  owner: string,
) {
  const found = await loadBalancersByArn(elb, arns);
  if (!found) {
    throw new InputError(
      `networkLoadBalancerArns: one of ${arns.join(', ')} does not exist`,
    );
  }
  for (const arn of arns) {
    const lb = found.find(l => l.LoadBalancerArn === arn);
    if (!lb) {
      throw new InputError(`networkLoadBalancerArns: ${arn} does not exist`);
    }
    if (lb.Type !== 'network') {
      throw new InputError(
        `networkLoadBalancerArns: ${arn} is an ${lb.Type} load balancer; endpoint services need a network load balancer`,
      );
    }
    const lbOwner = (await elbTags(elb, arn))[tagKeys.owner];
    if (!sameOwner(lbOwner, owner)) {
      throw new NotAllowedError(
        `networkLoadBalancerArns: ${arn} is owned by ${lbOwner ?? `nobody (no ${tagKeys.owner} tag)`}, not by ${owner}; only a load balancer of the same owner can be published`,
      );
    }
  }
}

async function findByKey(
  ec2: EC2Client,
  key: string,
  ownerTagKey: string = DEFAULT_TAG_KEYS.owner,
): Promise<{ record: ServiceRecord; owner?: string; serviceId: string; loadBalancerArns: string[] } | undefined> {
  for await (const page of paginateDescribeVpcEndpointServiceConfigurations(
    { client: ec2 },
    { Filters: idempotencyFilter(key), MaxResults: 1000 },
  )) {
    // moto ignores the filter: the tag is checked here as well.
    const found = page.ServiceConfigurations?.find(
      c =>
        hasIdempotencyKey(c.Tags, key) &&
        !GONE_STATES.has(c.ServiceState ?? ''),
    );
    if (found) {
      const record = toRecord(found);
      const owner = found.Tags?.find(t => t.Key === ownerTagKey)?.Value;
      return { record, owner, serviceId: record.serviceId, loadBalancerArns: record.loadBalancerArns };
    }
  }
  return undefined;
}

async function describeServices(
  ec2: EC2Client,
  serviceIds: string[],
): Promise<ServiceConfiguration[]> {
  try {
    const res = await ec2.send(
      new DescribeVpcEndpointServiceConfigurationsCommand({
        ServiceIds: serviceIds,
      }),
    );
    return (res.ServiceConfigurations ?? []).filter(
      c => !GONE_STATES.has(c.ServiceState ?? ''),
    );
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
}

function toRecord(config: ServiceConfiguration | undefined): ServiceRecord {
  if (!config?.ServiceId || !config.ServiceName) {
    throw new Error('AWS returned an endpoint service without an id or name');
  }
  const dns = config.PrivateDnsNameConfiguration;
  return {
    serviceId: config.ServiceId,
    serviceName: config.ServiceName,
    baseEndpointDnsNames: config.BaseEndpointDnsNames ?? [],
    ...(config.PrivateDnsName ? { privateDnsName: config.PrivateDnsName } : {}),
    ...(dns?.Name && dns.Value
      ? {
          verification: {
            name: dns.Name,
            type: dns.Type ?? 'TXT',
            value: dns.Value,
            state: dns.State ?? 'pendingVerification',
          },
        }
      : {}),
    loadBalancerArns: [...(config.NetworkLoadBalancerArns ?? [])].sort(),
  };
}
