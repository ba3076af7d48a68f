import {
  AcceptVpcEndpointConnectionsCommand,
  paginateDescribeVpcEndpointConnections,
  RejectVpcEndpointConnectionsCommand,
  UnsuccessfulItem,
} from '@aws-sdk/client-ec2';
import { InputError } from '@backstage/errors';
import {
  createTemplateAction,
  TemplateExample,
} from '@backstage/plugin-scaffolder-node';
import {
  accountIdSchema,
  endpointIdSchema,
  endpointServiceIdSchema,
  normalizeEndpointState,
  regionSchema,
} from '@privatelink-backstage/plugin-privatelink-common';
import { z as zod } from 'zod';
import { Ec2ClientFactory } from '../aws';
import { OnServiceChanged, parseInput } from '../lib/input';

const inputSchema = zod.object({
  accountId: accountIdSchema,
  region: regionSchema,
  serviceId: endpointServiceIdSchema,
  endpointIds: zod.array(endpointIdSchema).min(1),
});

const DECISIONS = {
  accept: {
    past: 'accepted',
    doneState: 'available',
    command: (ServiceId: string, VpcEndpointIds: string[]) =>
      new AcceptVpcEndpointConnectionsCommand({ ServiceId, VpcEndpointIds }),
  },
  reject: {
    past: 'rejected',
    doneState: 'rejected',
    command: (ServiceId: string, VpcEndpointIds: string[]) =>
      new RejectVpcEndpointConnectionsCommand({ ServiceId, VpcEndpointIds }),
  },
} as const;

/**
 * Accepts or rejects connection requests to an endpoint service. Connections already in the wanted state are
 * left alone; items AWS reports as unsuccessful fail the step, naming each endpoint and the reason.
 */
export function createConnectionDecisionAction(
  decision: keyof typeof DECISIONS,
  options: {
    ec2: Ec2ClientFactory;
    onServiceChanged?: OnServiceChanged;
    examples: TemplateExample[];
  },
) {
  const { past, doneState, command } = DECISIONS[decision];
  return createTemplateAction({
    id: `aws:privatelink:connections:${decision}`,
    description: `${
      decision === 'accept' ? 'Accepts' : 'Rejects'
    } connection requests (VPC endpoints) to an AWS PrivateLink endpoint service.`,
    examples: options.examples,
    supportsDryRun: true,
    schema: {
      input: {
        accountId: z =>
          z
            .string()
            .describe('12-digit account that owns the endpoint service'),
        region: z => z.string().describe('Region of the endpoint service'),
        serviceId: z => z.string().describe('Endpoint service id, vpce-svc-…'),
        endpointIds: z =>
          z
            .array(z.string())
            .describe(`Ids (vpce-…) of the endpoints to ${decision}`),
      },
      output: {
        [past]: z =>
          z.array(z.string()).describe(`Endpoints this step ${past}`),
        unchanged: z =>
          z.array(z.string()).describe(`Endpoints that were ${past} already`),
      },
    },
    async handler(ctx) {
      const { accountId, region, serviceId, endpointIds } = parseInput(
        inputSchema,
        ctx.input,
      );
      const wanted = [...new Set(endpointIds)].sort();

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would ${decision} ${wanted.join(', ')} on ${serviceId}`,
        );
        ctx.output(past, wanted);
        ctx.output('unchanged', []);
        return;
      }

      const ec2 = await options.ec2({ accountId, region });
      try {
        const states = new Map<string, string>();
        for await (const page of paginateDescribeVpcEndpointConnections(
          { client: ec2 },
          {
            Filters: [
              { Name: 'service-id', Values: [serviceId] },
              { Name: 'vpc-endpoint-id', Values: wanted },
            ],
            MaxResults: 1000,
          },
        )) {
          for (const c of page.VpcEndpointConnections ?? []) {
            if (c.VpcEndpointId && c.ServiceId === serviceId) {
              states.set(
                c.VpcEndpointId,
                normalizeEndpointState(c.VpcEndpointState),
              );
            }
          }
        }
        const unknown = wanted.filter(id => !states.has(id));
        if (unknown.length > 0) {
          throw new InputError(
            `endpointIds: ${unknown.join(', ')} ${
              unknown.length > 1 ? 'are not connections' : 'is not a connection'
            } of ${serviceId}`,
          );
        }
        const unchanged = wanted.filter(id => states.get(id) === doneState);
        const toChange = wanted.filter(id => states.get(id) !== doneState);

        if (toChange.length > 0) {
          await ctx.checkpoint({
            key: `privatelink-${decision}-${accountId}-${region}-${serviceId}-${toChange.join(
              ',',
            )}`,
            fn: async () => {
              const res = await ec2.send(command(serviceId, toChange));
              const failed = res.Unsuccessful ?? [];
              if (failed.length < toChange.length) {
                await options.onServiceChanged?.({
                  accountId,
                  region,
                  serviceId,
                });
              }
              // Thrown inside the checkpoint, so that a retried task tries the failed ones again.
              if (failed.length > 0) {
                throw new Error(
                  `Could not ${decision} ${failed.length} of ${
                    toChange.length
                  } connection(s) to ${serviceId}: ${failed
                    .map(describeFailure)
                    .join('; ')}`,
                );
              }
            },
          });
        }
        ctx.logger.info(
          `${toChange.length} connection(s) ${past} on ${serviceId}${
            unchanged.length ? `; ${unchanged.length} were ${past} already` : ''
          }`,
        );
        ctx.output(past, toChange);
        ctx.output('unchanged', unchanged);
      } finally {
        ec2.destroy();
      }
    },
  });
}

function describeFailure(item: UnsuccessfulItem): string {
  const reason = [item.Error?.Code, item.Error?.Message]
    .filter(Boolean)
    .join(': ');
  return `${item.ResourceId ?? 'unknown endpoint'} (${
    reason || 'no reason given'
  })`;
}
