import { createTemplateAction, TemplateExample } from '@backstage/plugin-scaffolder-node';
import {
  accountIdSchema,
  endpointServiceIdSchema,
  principalSchema,
  regionSchema,
} from '@privatelink-backstage/plugin-privatelink-common';
import { z as zod } from 'zod';
import { parseInput } from '../lib/input';
import { onExistingService } from '../lib/serviceAction';
import { ActionWrites } from '../lib/writes';

const CHANGES = {
  allow: {
    description: 'Allows IAM principals to connect to an AWS PrivateLink endpoint service.',
    done: 'added',
    doneText: 'Principals this step allowed',
    unchanged: 'alreadyAllowed',
    unchangedText: 'Principals that were allowed before',
    principals:
      'Principal ARNs to allow: arn:aws:iam::<account>:root, :role/<name> or :user/<name>. `*` only where privatelink.allowWildcardPrincipal is true.',
  },
  revoke: {
    description: 'Revokes the permission of IAM principals to connect to an AWS PrivateLink endpoint service.',
    done: 'removed',
    doneText: 'Principals this step revoked',
    unchanged: 'notAllowed',
    unchangedText: 'Principals that were not allowed in the first place',
    principals: 'Principal ARNs to revoke: arn:aws:iam::<account>:root, :role/<name>, :user/<name>, or *',
  },
} as const;

/**
 * `aws:privatelink:principals:allow` and `:revoke`: changes who may create endpoints to a service, through the
 * shared write path (the initiator needs `privatelink.principal.manage` on the service's synced entity; the
 * attempt is audited). Principals already in the wanted state are left alone, so a retried task changes nothing
 * twice. Revoking `*` is always possible: it only narrows access.
 */
export function createPrincipalsChangeAction(
  change: keyof typeof CHANGES,
  options: { writes: ActionWrites; allowWildcardPrincipal: boolean; examples: TemplateExample[] },
) {
  const text = CHANGES[change];
  const inputSchema = zod.object({
    accountId: accountIdSchema,
    region: regionSchema,
    serviceId: endpointServiceIdSchema,
    principals: zod
      .array(principalSchema({ allowWildcard: change === 'revoke' || options.allowWildcardPrincipal }))
      .min(1)
      .max(100),
  });

  return createTemplateAction({
    id: `aws:privatelink:principals:${change}`,
    description: text.description,
    examples: options.examples,
    supportsDryRun: true,
    schema: {
      input: {
        accountId: z => z.string().describe('12-digit account that owns the endpoint service'),
        region: z => z.string().describe('Region of the endpoint service, e.g. us-east-1'),
        serviceId: z => z.string().describe('Endpoint service id, vpce-svc-…'),
        principals: z => z.array(z.string()).describe(text.principals),
      },
      output: {
        [text.done]: z => z.array(z.string()).describe(text.doneText),
        [text.unchanged]: z => z.array(z.string()).describe(text.unchangedText),
      },
    },
    async handler(ctx) {
      const { principals, ...target } = parseInput(inputSchema, ctx.input);
      const wanted = [...new Set(principals)].sort();
      const result = await onExistingService(
        ctx,
        options.writes,
        target,
        async (task, selector) => {
          const run = () =>
            change === 'allow'
              ? task.operations
                  .allowPrincipals(task.actor, selector, wanted, { dryRun: ctx.isDryRun })
                  .then(r => ({ done: r.added, unchanged: r.alreadyAllowed }))
              : task.operations
                  .revokePrincipals(task.actor, selector, wanted, { dryRun: ctx.isDryRun })
                  .then(r => ({ done: r.removed, unchanged: r.notAllowed }));
          if (ctx.isDryRun) return run();
          // A retried task replays the recorded result instead of changing (and auditing) it again.
          return ctx.checkpoint({ key: `privatelink-${change}-${target.accountId}-${target.region}-${target.serviceId}-${wanted.join(',')}`, fn: run });
        },
        () => ({ done: wanted, unchanged: [] }),
      );
      ctx.logger.info(
        `${ctx.isDryRun ? 'Dry run: would have ' : ''}${change === 'allow' ? 'allowed' : 'revoked'} ${result.done.length} principal(s) on ${target.serviceId}${
          result.unchanged.length ? `; ${result.unchanged.length} unchanged` : ''
        }`,
      );
      ctx.output(text.done, result.done);
      ctx.output(text.unchanged, result.unchanged);
    },
  });
}
