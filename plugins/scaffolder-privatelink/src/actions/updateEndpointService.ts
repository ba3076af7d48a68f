import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  accountIdSchema,
  describeIssues,
  EndpointServiceSettingsResult,
  endpointServiceIdSchema,
  endpointServiceSettingsChangeSchema,
  regionSchema,
} from '@privatelink-backstage/plugin-privatelink-common';
import { z as zod } from 'zod';
import { parseInput } from '../lib/input';
import { onExistingService } from '../lib/serviceAction';
import { ActionWrites } from '../lib/writes';
import { examples } from './updateEndpointService.examples';

const targetSchema = zod.object({
  accountId: accountIdSchema,
  region: regionSchema,
  serviceId: endpointServiceIdSchema,
  // A template renders an empty field as '' (dropped by parseInput), so removing the name is its own flag.
  removePrivateDnsName: zod.boolean().optional(),
});

/**
 * `aws:privatelink:endpoint-service:update`: changes an endpoint service's settings through the shared write path
 * (the initiator needs `privatelink.endpointService.update` on the service's synced entity; the attempt is
 * audited): acceptance required, supported regions, private DNS name (a new name starts verification again),
 * supported IP address types, and the tags Backstage owns (owner, system, component). The current configuration is
 * read first and only differences are sent; a change that cuts existing consumers is
 * refused, naming them, unless `confirmCuts`.
 */
export function createUpdateEndpointServiceAction(options: { writes: ActionWrites }) {
  return createTemplateAction({
    id: 'aws:privatelink:endpoint-service:update',
    description:
      "Changes an AWS PrivateLink endpoint service's settings: acceptance required, supported regions, private DNS name, supported IP address types, and its owner, system and component tags.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        accountId: z => z.string().describe('12-digit account that owns the endpoint service'),
        region: z => z.string().describe('Region of the endpoint service, e.g. us-east-1'),
        serviceId: z => z.string().describe('Endpoint service id, vpce-svc-…'),
        acceptanceRequired: z => z.boolean().optional().describe('Whether an owner must accept each new connection'),
        addSupportedRegions: z => z.array(z.string()).optional().describe('Regions consumers may also connect from'),
        removeSupportedRegions: z =>
          z.array(z.string()).optional().describe("Regions to stop; the service's own region cannot be removed"),
        privateDnsName: z =>
          z.string().optional().describe('A new private DNS name; verification of the domain starts again'),
        removePrivateDnsName: z => z.boolean().optional().describe('Remove the private DNS name'),
        supportedIpAddressTypes: z =>
          z
            .array(z.enum(['ipv4', 'ipv6']))
            .optional()
            .describe('The IP address types consumers may connect over, the whole set; IPv6 needs a dualstack load balancer'),
        owner: z =>
          z
            .string()
            .optional()
            .describe("Hand the service to another team (its owner tag): a group the initiator belongs to and the account permits"),
        system: z => z.string().optional().describe('The system the service is part of (its system tag), an entity ref'),
        component: z => z.string().optional().describe('The component the service exposes (its component tag), an entity ref'),
        confirmCuts: z =>
          z
            .boolean()
            .optional()
            .describe('Make the change even though it cuts existing consumers (otherwise it is refused, naming them)'),
      },
      output: {
        changed: z => z.array(z.string()).describe('The settings this step changed'),
        cutConsumers: z => z.array(z.string()).describe('Endpoint ids of the consumers the change cut off'),
        privateDnsState: z => z.string().optional().describe('Verification state of the private DNS name afterwards'),
      },
    },
    async handler(ctx) {
      const { accountId: _a, region: _r, serviceId: _s, removePrivateDnsName: _d, ...fields } = ctx.input as Record<string, unknown>;
      const { accountId, region, serviceId, removePrivateDnsName } = parseInput(targetSchema, { accountId: _a, region: _r, serviceId: _s, removePrivateDnsName: _d });
      // Empty fields count as not given (parseInput); removing the name is asked for by its own flag.
      const given = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== '' && v !== null));
      if (removePrivateDnsName) {
        if (given.privateDnsName !== undefined) throw new InputError('privateDnsName and removePrivateDnsName cannot be given together');
        given.privateDnsName = null;
      }
      const parsed = endpointServiceSettingsChangeSchema.safeParse(given);
      if (!parsed.success) throw new InputError(describeIssues(parsed.error));
      const change = parsed.data;
      const target = { accountId, region, serviceId };
      const result = await onExistingService(
        ctx,
        options.writes,
        target,
        async (task, selector) => {
          const run = async () => outputsOf(await task.operations.updateSettings(task.actor, selector, change, { dryRun: ctx.isDryRun }));
          if (ctx.isDryRun) return run();
          // A retried task replays the recorded result instead of changing (and auditing) it again.
          return ctx.checkpoint({ key: `privatelink-update-${accountId}-${region}-${serviceId}-${JSON.stringify(change)}`, fn: run });
        },
        () => outputsOf({ changed: [], cuts: [] }),
      );
      ctx.logger.info(
        `${ctx.isDryRun ? 'Dry run: would have changed' : 'Changed'} ${result.changed.length ? result.changed.join(', ') : 'nothing'} on ${serviceId}${
          result.cutConsumers.length ? `; cut ${result.cutConsumers.length} consumer(s)` : ''
        }`,
      );
      ctx.output('changed', result.changed);
      ctx.output('cutConsumers', result.cutConsumers);
      if (result.privateDnsState) ctx.output('privateDnsState', result.privateDnsState);
    },
  });
}

/** The step's outputs, as JSON the checkpoint records. */
function outputsOf(r: Pick<EndpointServiceSettingsResult, 'changed' | 'cuts' | 'privateDnsState'>) {
  return {
    changed: r.changed,
    cutConsumers: r.cuts.map(c => c.endpointId),
    ...(r.privateDnsState ? { privateDnsState: r.privateDnsState } : {}),
  } as { changed: string[]; cutConsumers: string[]; privateDnsState?: string };
}
