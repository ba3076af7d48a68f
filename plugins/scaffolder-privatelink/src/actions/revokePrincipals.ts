import { ModifyVpcEndpointServicePermissionsCommand } from '@aws-sdk/client-ec2';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  accountIdSchema,
  endpointServiceIdSchema,
  principalSchema,
  regionSchema,
} from '@privatelink-backstage/plugin-privatelink-common';
import { readAllowedPrincipals } from '@privatelink-backstage/plugin-privatelink-node';
import { z as zod } from 'zod';
import { Ec2ClientFactory } from '../aws';
import { OnServiceChanged, parseInput } from '../lib/input';
import { examples } from './revokePrincipals.examples';

// Taking `*` away narrows access, so it is accepted whatever privatelink.allowWildcardPrincipal says.
const inputSchema = zod.object({
  accountId: accountIdSchema,
  region: regionSchema,
  serviceId: endpointServiceIdSchema,
  principals: zod.array(principalSchema({ allowWildcard: true })).min(1),
});

/**
 * `aws:privatelink:principals:revoke`: stops principals from creating new endpoints to a service. Principals
 * that are not allowed are left alone, so a retried task changes nothing twice. Endpoints that exist keep
 * their connection; reject them with `aws:privatelink:connections:reject`.
 */
export function createRevokePrincipalsAction(options: {
  ec2: Ec2ClientFactory;
  onServiceChanged?: OnServiceChanged;
}) {
  return createTemplateAction({
    id: 'aws:privatelink:principals:revoke',
    description:
      'Revokes the permission of IAM principals to connect to an AWS PrivateLink endpoint service.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        accountId: z =>
          z
            .string()
            .describe('12-digit account that owns the endpoint service'),
        region: z =>
          z.string().describe('Region of the endpoint service, e.g. us-east-1'),
        serviceId: z => z.string().describe('Endpoint service id, vpce-svc-…'),
        principals: z =>
          z
            .array(z.string())
            .describe(
              'Principal ARNs to revoke: arn:aws:iam::<account>:root, :role/<name>, :user/<name>, or *',
            ),
      },
      output: {
        removed: z =>
          z.array(z.string()).describe('Principals this step revoked'),
        notAllowed: z =>
          z
            .array(z.string())
            .describe('Principals that were not allowed in the first place'),
      },
    },
    async handler(ctx) {
      const { accountId, region, serviceId, principals } = parseInput(
        inputSchema,
        ctx.input,
      );
      const wanted = [...new Set(principals)];

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would revoke ${wanted.join(', ')} on ${serviceId}`,
        );
        ctx.output('removed', wanted);
        ctx.output('notAllowed', []);
        return;
      }

      const ec2 = await options.ec2({ accountId, region });
      try {
        const current = new Set(await readAllowedPrincipals(ec2, serviceId));
        const removed = wanted.filter(p => current.has(p));
        const notAllowed = wanted.filter(p => !current.has(p));

        if (removed.length > 0) {
          await ctx.checkpoint({
            key: `privatelink-revoke-${accountId}-${region}-${serviceId}-${[
              ...removed,
            ]
              .sort()
              .join(',')}`,
            fn: async () => {
              await ec2.send(
                new ModifyVpcEndpointServicePermissionsCommand({
                  ServiceId: serviceId,
                  RemoveAllowedPrincipals: removed,
                }),
              );
            },
          });
          await options.onServiceChanged?.({ accountId, region, serviceId });
        }
        ctx.logger.info(
          `Revoked ${removed.length} principal(s) on ${serviceId}${
            notAllowed.length ? `; ${notAllowed.length} were not allowed` : ''
          }`,
        );
        ctx.output('removed', removed);
        ctx.output('notAllowed', notAllowed);
      } finally {
        ec2.destroy();
      }
    },
  });
}
