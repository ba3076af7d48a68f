import { ModifyVpcEndpointServicePermissionsCommand } from '@aws-sdk/client-ec2';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  accountIdSchema,
  describeIssues,
  endpointServiceIdSchema,
  principalSchema,
  regionSchema,
} from '@privatelink-backstage/plugin-privatelink-common';
import { readAllowedPrincipals } from '@privatelink-backstage/plugin-privatelink-node';
import { z as zod } from 'zod';
import { Ec2ClientFactory } from '../aws';
import { examples } from './allowPrincipals.examples';

/**
 * `aws:privatelink:principals:allow`: lets principals (accounts, roles, users) create endpoints to a service.
 * Principals that are already allowed are left alone, so a retried task changes nothing twice.
 */
export function createAllowPrincipalsAction(options: {
  ec2: Ec2ClientFactory;
  allowWildcardPrincipal: boolean;
  /** Announces the change so that the catalog re-reads the service at once (targeted refresh). */
  onServiceChanged?: (change: { accountId: string; region: string; serviceId: string }) => Promise<void>;
}) {
  const inputSchema = zod.object({
    accountId: accountIdSchema,
    region: regionSchema,
    serviceId: endpointServiceIdSchema,
    principals: zod.array(principalSchema({ allowWildcard: options.allowWildcardPrincipal })).min(1),
  });

  return createTemplateAction({
    id: 'aws:privatelink:principals:allow',
    description: 'Allows IAM principals to connect to an AWS PrivateLink endpoint service.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        accountId: z => z.string().describe('12-digit account that owns the endpoint service'),
        region: z => z.string().describe('Region of the endpoint service, e.g. us-east-1'),
        serviceId: z => z.string().describe('Endpoint service id, vpce-svc-…'),
        principals: z =>
          z
            .array(z.string())
            .describe(
              'Principal ARNs to allow: arn:aws:iam::<account>:root, :role/<name> or :user/<name>. `*` only where privatelink.allowWildcardPrincipal is true.',
            ),
      },
      output: {
        added: z => z.array(z.string()).describe('Principals this step allowed'),
        alreadyAllowed: z => z.array(z.string()).describe('Principals that were allowed before'),
      },
    },
    async handler(ctx) {
      // Validated in full before any AWS call: a bad principal changes nothing.
      const parsed = inputSchema.safeParse(ctx.input);
      if (!parsed.success) {
        throw new InputError(describeIssues(parsed.error));
      }
      const { accountId, region, serviceId, principals } = parsed.data;
      const wanted = [...new Set(principals)];

      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would allow ${wanted.join(', ')} on ${serviceId}`);
        ctx.output('added', wanted);
        ctx.output('alreadyAllowed', []);
        return;
      }

      const ec2 = await options.ec2({ accountId, region });
      const current = new Set(await readAllowedPrincipals(ec2, serviceId));
      const added = wanted.filter(p => !current.has(p));
      const alreadyAllowed = wanted.filter(p => current.has(p));

      if (added.length > 0) {
        await ctx.checkpoint({
          key: `privatelink-allow-${accountId}-${region}-${serviceId}-${added.sort().join(',')}`,
          fn: async () => {
            await ec2.send(
              new ModifyVpcEndpointServicePermissionsCommand({
                ServiceId: serviceId,
                AddAllowedPrincipals: added,
              }),
            );
          },
        });
      }
      if (added.length > 0) await options.onServiceChanged?.({ accountId, region, serviceId });
      ctx.logger.info(
        `Allowed ${added.length} principal(s) on ${serviceId}${alreadyAllowed.length ? `; ${alreadyAllowed.length} already allowed` : ''}`,
      );
      ctx.output('added', added);
      ctx.output('alreadyAllowed', alreadyAllowed);
    },
  });
}
