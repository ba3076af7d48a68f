import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { accountIdSchema, endpointIdSchema, regionSchema } from '@privatelink-backstage/plugin-privatelink-common';
import { z as zod } from 'zod';
import { parseInput } from '../lib/input';
import { ActionWrites } from '../lib/writes';
import { examples } from './deleteVpcEndpoint.examples';

const inputSchema = zod.object({
  accountId: accountIdSchema,
  region: regionSchema,
  endpointId: endpointIdSchema,
});

/**
 * `aws:privatelink:endpoint:delete`: deletes a consumer's VPC endpoint through the shared write path (the
 * initiator needs `privatelink.endpoint.delete` on the endpoint's synced entity, by default its owners). An
 * endpoint gone already succeeds once without a change; the catalog drops it within seconds.
 */
export function createDeleteVpcEndpointAction(options: { writes: ActionWrites }) {
  return createTemplateAction({
    id: 'aws:privatelink:endpoint:delete',
    description: "Deletes a consumer's interface VPC endpoint to an AWS PrivateLink endpoint service.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        accountId: z => z.string().describe('12-digit account of the endpoint (the consumer)'),
        region: z => z.string().describe('Region of the endpoint, e.g. us-east-1'),
        endpointId: z => z.string().describe('VPC endpoint id, vpce-…'),
      },
      output: {
        deleted: z => z.boolean().describe('True when this step deleted the endpoint; false when it was gone already'),
        endpointRef: z => z.string().describe('Entity ref of the endpoint'),
      },
    },
    async handler(ctx) {
      const target = parseInput(inputSchema, ctx.input);
      const task = await options.writes.forTask(ctx);
      const run = async () => {
        const r = await task.operations.deleteEndpoint(task.actor, { target }, { dryRun: ctx.isDryRun });
        return { deleted: r.deleted, endpointRef: r.endpointRef };
      };
      const result = ctx.isDryRun
        ? await run()
        : await ctx.checkpoint({ key: `privatelink-endpoint-delete-${target.accountId}-${target.region}-${target.endpointId}`, fn: run });
      ctx.logger.info(
        result.deleted
          ? `${ctx.isDryRun ? 'Dry run: would have deleted' : 'Deleted'} ${target.endpointId}`
          : `${target.endpointId} was deleted already`,
      );
      ctx.output('deleted', result.deleted);
      ctx.output('endpointRef', result.endpointRef);
    },
  });
}
