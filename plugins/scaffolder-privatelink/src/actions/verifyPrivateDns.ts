import {
  DescribeVpcEndpointServiceConfigurationsCommand,
  EC2Client,
  ServiceConfiguration,
  StartVpcEndpointServicePrivateDnsVerificationCommand,
} from '@aws-sdk/client-ec2';
import {
  ChangeResourceRecordSetsCommand,
  GetHostedZoneCommand,
  ListResourceRecordSetsCommand,
  ResourceRecordSet,
  Route53Client,
  waitUntilResourceRecordSetsChanged,
} from '@aws-sdk/client-route-53';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  accountIdSchema,
  endpointServiceIdSchema,
  privatelinkServiceManagePermission,
  regionSchema,
} from '@privatelink-backstage/plugin-privatelink-common';
import { creationChecks } from '@privatelink-backstage/plugin-privatelink-node';
import { z as zod } from 'zod';
import { AwsClientFactories } from '../aws';
import { Cleanup } from '../lib/cleanup';
import { EnsureContext } from '../lib/ensure';
import { httpStatusOf, isNotFound, messageOf } from '../lib/errors';
import { parseInput } from '../lib/input';
import { onExistingService } from '../lib/serviceAction';
import { ActionWrites } from '../lib/writes';
import { hostedZoneIdSchema, timeoutSecondsSchema } from '../validation';
import { examples } from './verifyPrivateDns.examples';

const inputSchema = zod.object({
  accountId: accountIdSchema,
  region: regionSchema,
  serviceId: endpointServiceIdSchema,
  hostedZoneId: hostedZoneIdSchema.optional(),
  hostedZoneAccountId: accountIdSchema.optional(),
  ttl: zod.number().int().min(60).max(86400).default(300),
  startVerification: zod.boolean().optional(),
  timeoutSeconds: timeoutSecondsSchema.default(300),
});

type VerificationRecord = { name: string; type: string; value: string };

/**
 * `aws:privatelink:private-dns:verify`: proves ownership of an endpoint service's private DNS name. Outputs the
 * TXT record AWS asks for; with a public Route 53 hosted zone it writes the record (UPSERT), starts the
 * verification and reports the state.
 */
export function createVerifyPrivateDnsAction(options: {
  clients: Pick<AwsClientFactories, 'ec2' | 'route53'>;
  writes: ActionWrites;
  /** First delay of the Route 53 change waiter, in seconds. */
  waiterMinDelaySeconds?: number;
}) {
  return createTemplateAction({
    id: 'aws:privatelink:private-dns:verify',
    description:
      'Shows the TXT record that proves ownership of an endpoint service private DNS name; with a Route 53 hosted zone, writes it and starts the verification.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        accountId: z =>
          z
            .string()
            .describe('12-digit account that owns the endpoint service'),
        region: z => z.string().describe('Region of the endpoint service'),
        serviceId: z => z.string().describe('Endpoint service id, vpce-svc-…'),
        hostedZoneId: z =>
          z
            .string()
            .optional()
            .describe(
              'Public Route 53 hosted zone of the domain: the TXT record is written there',
            ),
        hostedZoneAccountId: z =>
          z
            .string()
            .optional()
            .describe('Account of the hosted zone. Default: accountId'),
        ttl: z =>
          z.number().optional().describe('TTL of the TXT record. Default 300'),
        startVerification: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Start the verification. Default: true when hostedZoneId is given',
            ),
        timeoutSeconds: z =>
          z
            .number()
            .optional()
            .describe(
              'How long to wait for Route 53 to apply the record. Default 300',
            ),
      },
      output: {
        recordName: z => z.string().describe('Name of the TXT record'),
        recordType: z => z.string().describe('Record type (TXT)'),
        recordValue: z => z.string().describe('Value of the TXT record'),
        state: z =>
          z
            .string()
            .describe(
              'pendingVerification, verified or failed, as AWS reports it',
            ),
        recordWritten: z =>
          z.boolean().describe('True when this step wrote the record'),
        verificationStarted: z =>
          z.boolean().describe('True when this step started the verification'),
      },
    },
    async handler(ctx) {
      const input = parseInput(inputSchema, ctx.input);
      const { accountId, region, serviceId } = input;
      const start = input.startVerification ?? Boolean(input.hostedZoneId);
      const zoneAccountId = input.hostedZoneAccountId ?? accountId;
      const preview = (): Outputs => ({
        recordName: '_0123456789abcdefghij.api.example.com',
        recordType: 'TXT',
        recordValue: 'vpce:0123456789abcdefghij',
        state: 'pendingVerification',
        recordWritten: Boolean(input.hostedZoneId),
        verificationStarted: start,
      });

      const outputs = await onExistingService(
        ctx,
        options.writes,
        { accountId, region, serviceId },
        async (task, selector) => {
          const service = await task.operations.resolve(task.actor, selector, 'private-dns.verify');
          // Writing into another account's hosted zone is creating there: that account's permission is needed.
          const zoneChecks =
            input.hostedZoneId && zoneAccountId !== accountId
              ? creationChecks({ config: task.config, accountId: zoneAccountId, owner: service.entity.spec?.owner as string, ownershipRefs: task.ownershipRefs })
              : undefined;
          return task.gate.run<Outputs>({
            actor: task.actor,
            action: 'private-dns.verify',
            subject: { serviceRef: service.ref, ...service.target },
            details: { hostedZoneId: input.hostedZoneId, hostedZoneAccountId: zoneAccountId, startVerification: start },
            validate: zoneChecks?.validate,
            checks: [
              { permission: privatelinkServiceManagePermission, resourceRef: service.ref, on: service.ref },
              ...(zoneChecks?.checks ?? []),
            ],
            precondition: zoneChecks?.precondition,
            dryRun: ctx.isDryRun,
            preview,
            change: async () => {
              const value = await verify(ctx, options, { ...input, start, zoneAccountId });
              return { value, details: { state: value.state, recordWritten: value.recordWritten }, changed: value.recordWritten || value.verificationStarted };
            },
          });
        },
        preview,
      );
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would read the verification record of ${serviceId}${input.hostedZoneId ? ` and write it to ${input.hostedZoneId}` : ''}`,
        );
      }
      for (const [key, value] of Object.entries(outputs)) ctx.output(key as keyof Outputs, value);
    },
  });
}

type Outputs = {
  recordName: string;
  recordType: string;
  recordValue: string;
  state: string;
  recordWritten: boolean;
  verificationStarted: boolean;
};

/** Reads the verification record, writes it to the hosted zone when given, and starts the verification. */
async function verify(
  ctx: EnsureContext,
  options: { clients: Pick<AwsClientFactories, 'ec2' | 'route53'>; waiterMinDelaySeconds?: number },
  input: zod.output<typeof inputSchema> & { start: boolean; zoneAccountId: string },
): Promise<Outputs> {
  const { accountId, region, serviceId, start } = input;
  const ec2 = await options.clients.ec2({ accountId, region });
  try {
    const config = await describeService(ec2, serviceId);
    const record = verificationRecord(config);
    const recordOutputs = { recordName: record.name, recordType: record.type, recordValue: record.value };
    const state = config.PrivateDnsNameConfiguration?.State ?? 'unknown';
    if (state === 'verified') {
      ctx.logger.info(`${config.PrivateDnsName} is verified already`);
      return { ...recordOutputs, state, recordWritten: false, verificationStarted: false };
    }

    const cleanup = new Cleanup(ctx.logger);
    const outcome = await cleanup.run(async () => {
      let written = false;
      if (input.hostedZoneId) {
        const route53 = await options.clients.route53({ accountId: input.zoneAccountId, region });
        try {
          written = await writeRecord(ctx, {
            route53,
            zoneId: input.hostedZoneId,
            record,
            ttl: input.ttl,
            timeoutSeconds: input.timeoutSeconds,
            minDelaySeconds: options.waiterMinDelaySeconds,
            cleanup,
          });
        } finally {
          route53.destroy();
        }
      } else {
        ctx.logger.info(`Create the TXT record ${record.name} with the value "${record.value}" in the public DNS of the domain`);
      }
      const started = start ? await startVerification(ctx, options, { accountId, region, serviceId }) : false;
      return { written, started };
    });

    const after = start ? await describeService(ec2, serviceId) : config;
    const finalState = after.PrivateDnsNameConfiguration?.State ?? state;
    ctx.logger.info(`Private DNS name ${config.PrivateDnsName} of ${serviceId}: ${finalState}`);
    return { ...recordOutputs, state: finalState, recordWritten: outcome.written, verificationStarted: outcome.started };
  } finally {
    ec2.destroy();
  }
}

async function describeService(
  ec2: EC2Client,
  serviceId: string,
): Promise<ServiceConfiguration> {
  try {
    const res = await ec2.send(
      new DescribeVpcEndpointServiceConfigurationsCommand({
        ServiceIds: [serviceId],
      }),
    );
    const config = res.ServiceConfigurations?.[0];
    if (config) return config;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  throw new InputError(
    `serviceId: ${serviceId} does not exist in this account and region`,
  );
}

/** The TXT record AWS asks for, at the private DNS name itself (any parent domain would do as well). */
function verificationRecord(config: ServiceConfiguration): VerificationRecord {
  const dnsName = config.PrivateDnsName;
  if (!dnsName) {
    throw new InputError(
      `${config.ServiceId} has no private DNS name; set privateDnsName when creating the service`,
    );
  }
  const dns = config.PrivateDnsNameConfiguration;
  if (!dns?.Name || !dns.Value) {
    throw new Error(
      `AWS has not issued a verification record for ${dnsName} of ${config.ServiceId} yet; try again in a minute`,
    );
  }
  const domain = dnsName.replace(/^\*\./, '');
  const name = dns.Name.includes('.') ? dns.Name : `${dns.Name}.${domain}`;
  return { name, type: dns.Type ?? 'TXT', value: dns.Value };
}

const normalise = (name: string) =>
  name.replace(/\.$/, '').replace(/\\052/g, '*').toLowerCase();

/** UPSERTs the TXT record unless it is there; registers the undo (restore what was there). */
async function writeRecord(
  ctx: EnsureContext,
  deps: {
    route53: Route53Client;
    zoneId: string;
    record: VerificationRecord;
    ttl: number;
    timeoutSeconds: number;
    minDelaySeconds?: number;
    cleanup: Cleanup;
  },
): Promise<boolean> {
  const { route53, zoneId, record } = deps;
  let zone;
  try {
    zone = await route53.send(new GetHostedZoneCommand({ Id: zoneId }));
  } catch (err) {
    if (isNotFound(err))
      throw new InputError(`hostedZoneId: ${messageOf(err)}`);
    throw err;
  }
  const zoneName = normalise(zone.HostedZone?.Name ?? '');
  if (zone.HostedZone?.Config?.PrivateZone) {
    throw new InputError(
      `hostedZoneId: ${zoneId} is a private hosted zone; AWS verifies the record through public DNS`,
    );
  }
  if (record.name !== zoneName && !record.name.endsWith(`.${zoneName}`)) {
    throw new InputError(
      `hostedZoneId: ${record.name} does not belong to the zone ${zoneName}`,
    );
  }

  const listed = await route53.send(
    new ListResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      StartRecordName: record.name,
      StartRecordType: 'TXT',
      MaxItems: 1,
    }),
  );
  const first = listed.ResourceRecordSets?.[0];
  const previous: ResourceRecordSet | undefined =
    first?.Type === 'TXT' && normalise(first.Name ?? '') === record.name
      ? first
      : undefined;
  const quoted = `"${record.value}"`;
  const values = (previous?.ResourceRecords ?? []).map(r => r.Value ?? '');
  if (values.includes(quoted)) {
    ctx.logger.info(`The TXT record ${record.name} is in place already`);
    return false;
  }

  const change = await ctx.checkpoint({
    key: `privatelink-dns-txt-${zoneId}-${record.name}-${record.value}`,
    fn: async () => {
      const res = await route53.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: zoneId,
          ChangeBatch: {
            Comment: 'PrivateLink private DNS name verification',
            Changes: [
              {
                Action: 'UPSERT',
                ResourceRecordSet: {
                  Name: record.name,
                  Type: 'TXT',
                  TTL: previous?.TTL ?? deps.ttl,
                  ResourceRecords: [...values, quoted].map(Value => ({
                    Value,
                  })),
                },
              },
            ],
          },
        }),
      );
      return { changeId: res.ChangeInfo?.Id ?? '' };
    },
  });
  deps.cleanup.add(`TXT record ${record.name}`, () =>
    route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Changes: [
            previous
              ? { Action: 'UPSERT', ResourceRecordSet: previous }
              : {
                  Action: 'DELETE',
                  ResourceRecordSet: {
                    Name: record.name,
                    Type: 'TXT',
                    TTL: deps.ttl,
                    ResourceRecords: [{ Value: quoted }],
                  },
                },
          ],
        },
      }),
    ),
  );
  ctx.logger.info(
    `Wrote the TXT record ${record.name}; waiting for Route 53 to apply it`,
  );
  if (change.changeId) {
    const minDelay = Math.min(
      deps.minDelaySeconds ?? 5,
      deps.timeoutSeconds / 2,
    );
    await waitUntilResourceRecordSetsChanged(
      {
        client: route53,
        maxWaitTime: deps.timeoutSeconds,
        minDelay,
        maxDelay: Math.max(minDelay, 30),
        abortSignal: ctx.signal,
      },
      { Id: change.changeId },
    );
  }
  return true;
}

/**
 * Starts the verification. A server error is reported, not fatal: the record is in place and the verification
 * can be started again (moto 5 does not implement this call and answers 500).
 */
async function startVerification(
  ctx: EnsureContext,
  options: { clients: Pick<AwsClientFactories, 'ec2'> },
  change: { accountId: string; region: string; serviceId: string },
): Promise<boolean> {
  const ec2 = await options.clients.ec2(change, { maxAttempts: 3 });
  try {
    await ec2.send(
      new StartVpcEndpointServicePrivateDnsVerificationCommand({
        ServiceId: change.serviceId,
      }),
    );
  } catch (err) {
    const status = httpStatusOf(err);
    if (status !== undefined && status < 500) throw err;
    ctx.logger.warn(
      `Could not start the private DNS verification of ${change.serviceId} (${
        status ? `HTTP ${status}` : messageOf(err)
      }); start it again later`,
    );
    return false;
  } finally {
    ec2.destroy();
  }
  ctx.logger.info(
    `Started the private DNS verification of ${change.serviceId}`,
  );
  return true;
}
