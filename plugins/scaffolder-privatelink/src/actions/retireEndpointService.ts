import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  accountIdSchema,
  endpointServiceIdSchema,
  regionSchema,
  RetireEndpointServiceResult,
} from '@privatelink-backstage/plugin-privatelink-common';
import { z as zod } from 'zod';
import { parseInput } from '../lib/input';
import { onExistingService } from '../lib/serviceAction';
import { ActionWrites } from '../lib/writes';
import { examples } from './retireEndpointService.examples';

const inputSchema = zod.object({
  accountId: accountIdSchema,
  region: regionSchema,
  serviceId: endpointServiceIdSchema,
  confirmName: zod.string().min(1).max(253),
  force: zod.boolean().default(false),
});

/**
 * `aws:privatelink:endpoint-service:delete`: retires an endpoint service through the shared write path (the
 * initiator needs `privatelink.endpointService.delete` on the service's synced entity and types its name again).
 * Refused while consumers are connected unless `force`; then their owners are told, the pending and available
 * connections rejected and the service deleted. With a grace period configured, a forced step with connected
 * consumers only announces the retirement (output `retireAfter`); a forced step after that time retires it. A retried task, or a service deleted already, succeeds once
 * without changing anything.
 */
export function createRetireEndpointServiceAction(options: { writes: ActionWrites }) {
  return createTemplateAction({
    id: 'aws:privatelink:endpoint-service:delete',
    description:
      'Retires (deletes) an AWS PrivateLink endpoint service: rejects its remaining connections, tells its consumers, deletes it.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        accountId: z => z.string().describe('12-digit account that owns the endpoint service'),
        region: z => z.string().describe('Region of the endpoint service, e.g. us-east-1'),
        serviceId: z => z.string().describe('Endpoint service id, vpce-svc-…'),
        confirmName: z => z.string().describe("The service's catalog entity name, typed again as a confirmation"),
        force: z =>
          z.boolean().optional().describe('Retire it even though consumers are connected. Default false'),
      },
      output: {
        deleted: z => z.boolean().describe('True when this step deleted the service; false when it was gone already'),
        rejectedConnections: z => z.array(z.string()).describe('Connections rejected before the deletion'),
        notified: z => z.array(z.string()).describe("Owners of the consumers' endpoints who were told"),
        loadBalancerArns: z =>
          z.array(z.string()).describe('Load balancers the service used; aws:privatelink:nlb:delete removes them'),
        retireAfter: z =>
          z
            .string()
            .optional()
            .describe('Set when the step only announced the retirement (a grace period is configured): when a forced retirement retires it'),
      },
    },
    async handler(ctx) {
      const { confirmName, force, ...target } = parseInput(inputSchema, ctx.input);
      const result = await onExistingService(
        ctx,
        options.writes,
        target,
        async (task, selector) => {
          const run = async () => outputsOf(await task.operations.retireService(task.actor, selector, { confirmName, force, dryRun: ctx.isDryRun }));
          if (ctx.isDryRun) return run();
          return ctx.checkpoint({ key: `privatelink-retire-${target.accountId}-${target.region}-${target.serviceId}`, fn: run });
        },
        () => outputsOf({ deleted: true, rejectedConnections: [], notified: [], loadBalancerArns: [] }),
      );
      if (result.retireAfter) {
        ctx.logger.info(`Announced the retirement of ${target.serviceId} to ${result.notified.length} consumer owner(s); retire it with force from ${result.retireAfter}`);
      } else ctx.logger.info(
        result.deleted
          ? `${ctx.isDryRun ? 'Dry run: would have retired' : 'Retired'} ${target.serviceId}${
              result.rejectedConnections.length ? ` after rejecting ${result.rejectedConnections.length} connection(s)` : ''
            }`
          : `${target.serviceId} was retired already`,
      );
      ctx.output('deleted', result.deleted);
      ctx.output('rejectedConnections', result.rejectedConnections);
      ctx.output('notified', result.notified);
      ctx.output('loadBalancerArns', result.loadBalancerArns);
      if (result.retireAfter) ctx.output('retireAfter', result.retireAfter);
    },
  });
}

/** The step's outputs, as JSON the checkpoint records. */
function outputsOf(r: Pick<RetireEndpointServiceResult, 'deleted' | 'rejectedConnections' | 'notified' | 'loadBalancerArns' | 'announced'>) {
  return {
    deleted: r.deleted,
    rejectedConnections: r.rejectedConnections,
    notified: r.notified,
    loadBalancerArns: r.loadBalancerArns,
    ...(r.announced ? { retireAfter: r.announced.retireAfter } : {}),
  } as { deleted: boolean; rejectedConnections: string[]; notified: string[]; loadBalancerArns: string[]; retireAfter?: string };
}
