import { createTemplateAction, TemplateExample } from '@backstage/plugin-scaffolder-node';
import {
  accountIdSchema,
  endpointIdSchema,
  endpointServiceIdSchema,
  regionSchema,
} from '@privatelink-backstage/plugin-privatelink-common';
import { z as zod } from 'zod';
import { parseInput } from '../lib/input';
import { onExistingService } from '../lib/serviceAction';
import { ActionWrites } from '../lib/writes';

const inputSchema = zod.object({
  accountId: accountIdSchema,
  region: regionSchema,
  serviceId: endpointServiceIdSchema,
  endpointIds: zod.array(endpointIdSchema).min(1).max(100),
});

const PAST = { accept: 'accepted', reject: 'rejected' } as const;

/**
 * Accepts or rejects connection requests to an endpoint service through the shared write path (the initiator
 * needs `privatelink.connection.review` on the service's synced entity; the attempt is audited). Connections
 * already in the wanted state are left alone; ids that are no connection of the service are refused before any
 * change; items AWS reports as unsuccessful fail the step, naming each endpoint and the reason.
 */
export function createConnectionDecisionAction(
  decision: keyof typeof PAST,
  options: { writes: ActionWrites; examples: TemplateExample[] },
) {
  const past = PAST[decision];
  return createTemplateAction({
    id: `aws:privatelink:connections:${decision}`,
    description: `${
      decision === 'accept' ? 'Accepts' : 'Rejects'
    } connection requests (VPC endpoints) to an AWS PrivateLink endpoint service.`,
    examples: options.examples,
    supportsDryRun: true,
    schema: {
      input: {
        accountId: z => z.string().describe('12-digit account that owns the endpoint service'),
        region: z => z.string().describe('Region of the endpoint service'),
        serviceId: z => z.string().describe('Endpoint service id, vpce-svc-…'),
        endpointIds: z => z.array(z.string()).describe(`Ids (vpce-…) of the endpoints to ${decision}`),
      },
      output: {
        [past]: z => z.array(z.string()).describe(`Endpoints this step ${past}`),
        unchanged: z => z.array(z.string()).describe(`Endpoints that were ${past} already`),
      },
    },
    async handler(ctx) {
      const { endpointIds, ...target } = parseInput(inputSchema, ctx.input);
      const wanted = [...new Set(endpointIds)].sort();
      const result = await onExistingService(
        ctx,
        options.writes,
        target,
        async (task, selector) => {
          const run = async () => {
            const r = await task.operations.reviewConnections(decision, task.actor, selector, wanted, { dryRun: ctx.isDryRun });
            // Thrown inside the checkpoint, so that a retried task tries the failed ones again.
            if (r.failed.length > 0) {
              throw new Error(
                `Could not ${decision} ${r.failed.length} of ${r.changed.length + r.failed.length} connection(s) to ${
                  target.serviceId
                }: ${r.failed.map(f => `${f.endpointId} (${f.reason})`).join('; ')}`,
              );
            }
            return { changed: r.changed, unchanged: r.unchanged };
          };
          if (ctx.isDryRun) return run();
          return ctx.checkpoint({ key: `privatelink-${decision}-${target.accountId}-${target.region}-${target.serviceId}-${wanted.join(',')}`, fn: run });
        },
        () => ({ changed: wanted, unchanged: [] }),
      );
      ctx.logger.info(
        `${ctx.isDryRun ? 'Dry run: would have ' : ''}${past} ${result.changed.length} connection(s) on ${target.serviceId}${
          result.unchanged.length ? `; ${result.unchanged.length} were ${past} already` : ''
        }`,
      );
      ctx.output(past, result.changed);
      ctx.output('unchanged', result.unchanged);
    },
  });
}
