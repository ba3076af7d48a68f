import {
  CreateVpcEndpointCommand,
  DeleteVpcEndpointsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  accountIdSchema,
  endpointServiceNameSchema,
  normalizeEndpointState,
  regionSchema,
} from '@privatelink-backstage/plugin-privatelink-common';
import { randomUUID } from 'node:crypto';
import { z as zod } from 'zod';
import { Ec2ClientFactory } from '../aws';
import { Cleanup } from '../lib/cleanup';
import { EnsureContext, ensureResource } from '../lib/ensure';
import { parseInput } from '../lib/input';
import { sameOwner } from '../lib/owners';
import { ActionWrites } from '../lib/writes';
import { configuredAccount, creationChecks } from '@privatelink-backstage/plugin-privatelink-node';
import { checkSecurityGroups, subnetsInVpc, vpcCidrs } from '../lib/network';
import {
  checkSubnetZones,
  lookUpService,
  OfferedService,
  serviceIdOf,
} from '../lib/serviceLookup';
import {
  checkVpcDns,
  endpointById,
  ensureSecurityGroup,
  findEndpoint,
} from '../lib/vpcEndpoints';
import { pollUntil } from '../lib/wait';
import { idempotencyKeyFor, resourceTags, TagKeys, toAwsTags } from '../tags';
import {
  duplicates,
  entityRefSchema,
  extraTagsSchema,
  idempotencyKeySchema,
  portSchema,
  routeTableIdSchema,
  securityGroupIdSchema,
  subnetIdSchema,
  timeoutSecondsSchema,
  vpcIdSchema,
} from '../validation';
import { examples } from './createVpcEndpoint.examples';

const inputSchema = zod
  .object({
    accountId: accountIdSchema,
    region: regionSchema,
    serviceName: endpointServiceNameSchema,
    serviceAccountId: accountIdSchema.optional(),
    type: zod.enum(['Interface', 'Gateway']).default('Interface'),
    vpcId: vpcIdSchema,
    subnetIds: zod.array(subnetIdSchema).optional(),
    routeTableIds: zod.array(routeTableIdSchema).optional(),
    // An empty list (a template's untouched array field) means "create one".
    securityGroupIds: zod
      .array(securityGroupIdSchema)
      .optional()
      .transform(ids => (ids?.length ? ids : undefined)),
    ports: zod.array(portSchema).min(1).default([443]),
    privateDnsEnabled: zod.boolean().optional(),
    name: zod.string().min(1).max(200).optional(),
    owner: entityRefSchema.optional(),
    system: entityRefSchema.optional(),
    component: entityRefSchema.optional(),
    tags: extraTagsSchema.optional(),
    idempotencyKey: idempotencyKeySchema.optional(),
    timeoutSeconds: timeoutSecondsSchema.default(600),
  })
  .superRefine((input, ctx) => {
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    const region = /^com\.amazonaws\.(?:vpce\.)?([a-z0-9-]+)\./.exec(
      input.serviceName,
    )?.[1];
    if (region && region !== input.region) {
      issue('serviceName', `is in ${region}, not in ${input.region}`);
    }
    if (input.serviceAccountId && !serviceIdOf(input.serviceName)) {
      issue(
        'serviceAccountId',
        'is only used with an endpoint service name (…vpce-svc-…)',
      );
    }
    if (input.type === 'Interface') {
      if (!input.subnetIds?.length) {
        issue('subnetIds', 'an interface endpoint needs at least one subnet');
      }
      if (input.routeTableIds) {
        issue('routeTableIds', 'are only used by gateway endpoints');
      }
      const repeated = duplicates(input.subnetIds ?? []);
      if (repeated.length)
        issue('subnetIds', `lists ${repeated.join(', ')} more than once`);
    } else {
      if (
        !/^com\.amazonaws\.[a-z0-9-]+\.(?:s3|dynamodb)$/.test(input.serviceName)
      ) {
        issue('type', 'gateway endpoints exist only for S3 and DynamoDB');
      }
      if (!input.routeTableIds?.length) {
        issue(
          'routeTableIds',
          'a gateway endpoint needs at least one route table',
        );
      }
      if (input.subnetIds || input.securityGroupIds) {
        issue(
          'subnetIds',
          'subnets and security groups are only used by interface endpoints',
        );
      }
      if (input.privateDnsEnabled) {
        issue('privateDnsEnabled', 'is only used by interface endpoints');
      }
    }
  });

type Input = zod.output<typeof inputSchema>;
type EndpointRecord = { endpointId: string };

type Options = {
  ec2: Ec2ClientFactory;
  tagKeys: TagKeys;
  writes: ActionWrites;
  /** First delay between polls of the endpoint's state, in ms. */
  pollMinDelayMs?: number;
  /** Delay between attempts to delete a security group that an endpoint still holds, in ms. */
  cleanupRetryDelayMs?: number;
};

/**
 * `aws:privatelink:endpoint:create`: a consumer's VPC endpoint, in the consumer's account, to an endpoint
 * service (interface) or an AWS service (interface, or gateway for S3 and DynamoDB). Subnets, zones and the
 * VPC's DNS attributes are checked before anything is created; a security group allowing the ports from the
 * VPC is created unless one is given. A tag look-up and a ClientToken keep a retried task from creating a
 * second endpoint. Only in a configured account, for an owner among the initiator's own (the write path).
 */
export function createVpcEndpointAction(options: Options) {
  return createTemplateAction({
    id: 'aws:privatelink:endpoint:create',
    description:
      'Creates a VPC endpoint in a consumer account to an endpoint service or an AWS service, and waits until it is available or awaits acceptance.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        accountId: z => z.string().describe('12-digit consumer account'),
        region: z => z.string().describe('Region, e.g. us-east-1'),
        serviceName: z =>
          z
            .string()
            .describe(
              'com.amazonaws.vpce.<region>.vpce-svc-… or an AWS service such as com.amazonaws.<region>.s3',
            ),
        serviceAccountId: z =>
          z
            .string()
            .optional()
            .describe(
              'Account of the endpoint service, when Backstage can read it (used for checks and the catalog refresh)',
            ),
        type: z =>
          z
            .enum(['Interface', 'Gateway'])
            .optional()
            .describe('Default Interface; Gateway for S3 or DynamoDB'),
        vpcId: z => z.string().describe('Consumer VPC'),
        subnetIds: z =>
          z
            .array(z.string())
            .optional()
            .describe('Interface: subnets, in zones the service offers'),
        routeTableIds: z =>
          z.array(z.string()).optional().describe('Gateway: route tables'),
        securityGroupIds: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'Interface: security groups; when absent, one allowing the ports from the VPC is created',
            ),
        ports: z =>
          z
            .array(z.number())
            .optional()
            .describe('Ports the created security group allows. Default [443]'),
        privateDnsEnabled: z =>
          z
            .boolean()
            .optional()
            .describe(
              "Interface: resolve the service's private DNS name in the VPC. Default: when the service has a verified one",
            ),
        name: z => z.string().optional().describe('Name tag of the endpoint'),
        owner: z =>
          z.string().optional().describe("Consumer's owner entity ref"),
        system: z =>
          z.string().optional().describe("Consumer's system entity ref"),
        component: z =>
          z.string().optional().describe("Consumer's component entity ref"),
        tags: z =>
          z.record(z.string(), z.string()).optional().describe('Extra tags'),
        idempotencyKey: z =>
          z
            .string()
            .optional()
            .describe(
              'Finds the endpoint again on a retry. Default: from the name, else the task',
            ),
        timeoutSeconds: z =>
          z
            .number()
            .optional()
            .describe('How long to wait for the endpoint. Default 600'),
      },
      output: {
        endpointId: z => z.string().describe('VPC endpoint id, vpce-…'),
        state: z =>
          z
            .string()
            .describe('available, or pendingAcceptance by the service owner'),
        dnsNames: z =>
          z.array(z.string()).describe('DNS names of the endpoint'),
        securityGroupIds: z =>
          z.array(z.string()).describe('Security groups of the endpoint'),
        created: z =>
          z.boolean().describe('False when the endpoint existed already'),
      },
    },
    async handler(ctx) {
      const input = parseInput(inputSchema, ctx.input);
      const { accountId, region } = input;
      const key = idempotencyKeyFor(ctx, 'endpoint', {
        explicit: input.idempotencyKey,
        name: input.name,
      });
      const task = await options.writes.forTask(ctx);
      const serviceId = serviceIdOf(input.serviceName);
      const outputs = await task.gate.run<Outputs>({
        actor: task.actor,
        action: 'endpoint.create',
        // The provider's service id: the row shows in that service's audit log too.
        subject: { accountId, region, ...(serviceId ? { serviceId } : {}) },
        details: { serviceName: input.serviceName, vpcId: input.vpcId, owner: input.owner, name: input.name },
        ...creationChecks({ config: task.config, accountId, owner: input.owner, ownershipRefs: task.ownershipRefs }),
        failure: `Could not create the endpoint to ${input.serviceName}`,
        dryRun: ctx.isDryRun,
        preview: () => dryRunOutputs(input),
        change: async () => {
          const { value, providerAccountId } = await createEndpoint(ctx, options, input, key);
          // The provider's service has a new connection: the catalog re-reads it, if it knows that account.
          const announce =
            serviceId && providerAccountId && configuredAccount(task.config, providerAccountId)
              ? { accountId: providerAccountId, region, serviceId }
              : undefined;
          return {
            value,
            details: { endpointId: value.endpointId, state: value.state, created: value.created },
            changed: Boolean(announce),
            announce,
          };
        },
      });
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would create a ${input.type} endpoint to ${input.serviceName} in ${input.vpcId}`);
      } else {
        ctx.logger.info(
          outputs.state === 'pendingAcceptance'
            ? `Endpoint ${outputs.endpointId} awaits acceptance by the owners of ${input.serviceName}`
            : `Endpoint ${outputs.endpointId} is available`,
        );
      }
      for (const [name, value] of Object.entries(outputs)) ctx.output(name as keyof Outputs, value);
    },
  });
}

type Outputs = { endpointId: string; state: string; dnsNames: string[]; securityGroupIds: string[]; created: boolean };

function dryRunOutputs(input: Input): Outputs {
  const gateway = input.type === 'Gateway';
  return {
    endpointId: 'vpce-0123456789abcdef0',
    state: gateway ? 'available' : 'pendingAcceptance',
    dnsNames: gateway
      ? []
      : [`vpce-0123456789abcdef0-abcdefgh.${input.serviceName.split('.').pop()}.${input.region}.vpce.amazonaws.com`],
    securityGroupIds: input.securityGroupIds ?? ['sg-0123456789abcdef0'],
    created: true,
  };
}

/** Checks, then finds or creates the security group and the endpoint, and waits until it is usable. */
async function createEndpoint(
  ctx: EnsureContext & { signal?: AbortSignal },
  options: Options,
  input: Input,
  key: string,
): Promise<{ value: Outputs; providerAccountId?: string }> {
  const { accountId, region } = input;
  const target = { accountId, region };
  const ec2 = await options.ec2(target);
  const ec2Once = await options.ec2(target, { maxAttempts: 1 });
  try {
    const checked = await checkBeforeCreate(ec2, input, () =>
      options.ec2({ accountId: input.serviceAccountId!, region }),
    );
    const cleanup = new Cleanup(ctx.logger);
    const result = await cleanup.run(async () => {
      const securityGroupIds =
        input.type === 'Gateway'
          ? []
          : input.securityGroupIds ?? [
              await ensureSecurityGroup(ctx, {
                ec2,
                ec2Once,
                input,
                key,
                cidrs: checked.cidrs,
                tagKeys: options.tagKeys,
                cleanup,
                retryDelayMs: options.cleanupRetryDelayMs,
              }),
            ];
      const clientToken = randomUUID();
      const endpoint = await ensureResource<EndpointRecord>(ctx, {
        what: `${input.type} endpoint to ${input.serviceName}`,
        checkpointKey: `privatelink-endpoint-${accountId}-${region}-${key}`,
        find: async () => {
          const found = await findEndpoint(ec2, key, input.vpcId);
          if (!found?.VpcEndpointId) return undefined;
          // Never hand over an endpoint made for another owner under the same name.
          const owner = found.Tags?.find(t => t.Key === options.tagKeys.owner)?.Value;
          if (!sameOwner(owner, input.owner)) {
            throw new InputError(
              `Endpoint ${found.VpcEndpointId} already carries the key '${key}' for another owner (${owner ?? 'none'}); choose another name`,
            );
          }
          return { endpointId: found.VpcEndpointId };
        },
        create: async () => {
          const res = await ec2Once.send(
            new CreateVpcEndpointCommand({
              VpcEndpointType: input.type,
              VpcId: input.vpcId,
              ServiceName: input.serviceName,
              ...(input.type === 'Interface'
                ? {
                    SubnetIds: input.subnetIds,
                    SecurityGroupIds: securityGroupIds,
                    PrivateDnsEnabled: checked.privateDnsEnabled,
                  }
                : { RouteTableIds: input.routeTableIds }),
              ClientToken: clientToken,
              TagSpecifications: [
                {
                  ResourceType: 'vpc-endpoint',
                  Tags: toAwsTags(
                    resourceTags({
                      keys: options.tagKeys,
                      placement: { owner: input.owner, system: input.system, component: input.component },
                      idempotencyKey: key,
                      extra: { ...(input.name ? { Name: input.name } : {}), ...input.tags },
                    }),
                  ),
                },
              ],
            }),
          );
          return { endpointId: res.VpcEndpoint?.VpcEndpointId ?? '' };
        },
        get: async recorded => ((await endpointById(ec2, recorded.endpointId)) ? recorded : undefined),
      });
      if (endpoint.created) {
        cleanup.add(`VPC endpoint ${endpoint.value.endpointId}`, () =>
          ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [endpoint.value.endpointId] })),
        );
      }
      const ready = await pollUntil({
        what: `endpoint ${endpoint.value.endpointId}`,
        logger: ctx.logger,
        timeoutSeconds: input.timeoutSeconds,
        signal: ctx.signal,
        minDelayMs: options.pollMinDelayMs,
        check: async () => {
          const found = await endpointById(ec2, endpoint.value.endpointId);
          const state = normalizeEndpointState(found?.State);
          if (state === 'available' || state === 'pendingAcceptance') {
            return { status: 'done', value: { endpoint: found!, state } };
          }
          if (!found || ['failed', 'rejected', 'deleted', 'deleting', 'expired'].includes(state)) {
            return {
              status: 'failed',
              reason: `it is ${state}${found?.LastError?.Message ? `: ${found.LastError.Message}` : ''}`,
            };
          }
          return { status: 'pending', detail: found.State ?? 'unknown' };
        },
      });
      return { ...ready, created: endpoint.created, securityGroupIds };
    });
    return {
      value: {
        endpointId: result.endpoint.VpcEndpointId!,
        state: result.state,
        dnsNames: (result.endpoint.DnsEntries ?? []).map(d => d.DnsName!).filter(Boolean),
        securityGroupIds: result.securityGroupIds,
        created: result.created,
      },
      providerAccountId: checked.service.ownerAccountId,
    };
  } finally {
    ec2.destroy();
    ec2Once.destroy();
  }
}

/** Reads only: subnets, zones the service offers, the VPC's DNS attributes, given security groups. */
async function checkBeforeCreate(
  ec2: EC2Client,
  input: Input,
  providerClient: () => Promise<EC2Client>,
): Promise<{
  service: OfferedService;
  privateDnsEnabled: boolean;
  cidrs: string[];
}> {
  const subnets =
    input.type === 'Interface'
      ? await subnetsInVpc(ec2, input.subnetIds ?? [], input.vpcId)
      : [];
  const service = await lookUpService({
    consumer: ec2,
    consumerAccountId: input.accountId,
    serviceName: input.serviceName,
    providerAccountId: input.serviceAccountId,
    provider: input.serviceAccountId ? providerClient : undefined,
  });
  if (input.type === 'Interface') {
    checkSubnetZones(subnets, service, input.serviceName);
  }

  let privateDnsEnabled = false;
  if (input.type === 'Interface') {
    if (input.privateDnsEnabled && !service.privateDnsName) {
      throw new InputError(
        `privateDnsEnabled: ${input.serviceName} has no private DNS name`,
      );
    }
    if (input.privateDnsEnabled && !service.privateDnsVerified) {
      throw new InputError(
        `privateDnsEnabled: the private DNS name ${service.privateDnsName} of ${input.serviceName} is not verified yet`,
      );
    }
    privateDnsEnabled =
      input.privateDnsEnabled ??
      Boolean(service.privateDnsName && service.privateDnsVerified);
    if (privateDnsEnabled) await checkVpcDns(ec2, input.vpcId);
  }

  let cidrs: string[] = [];
  if (input.type === 'Interface') {
    if (input.securityGroupIds) {
      await checkSecurityGroups(
        ec2,
        input.securityGroupIds,
        input.vpcId,
        'securityGroupIds',
      );
    } else {
      cidrs = await vpcCidrs(ec2, input.vpcId);
    }
  }
  return { service, privateDnsEnabled, cidrs };
}
