import { AuditorService, BackstageCredentials, BackstageUserPrincipal } from '@backstage/backend-plugin-api';
import { ActionsRegistryActionOptions } from '@backstage/backend-plugin-api/alpha';
import { NotAllowedError } from '@backstage/errors';
import { AccessRequest } from '@privatelink-backstage/plugin-privatelink-common';
import { PrivateLinkService } from '../service/PrivateLinkService';
import { approveSchema, createRequestSchema, denySchema, parse, requestIdSchema } from '../validation';

/** What the actions that change something act through: the API's own service, as the caller. */
export interface WriteActionsContext {
  service: PrivateLinkService;
  auditor: AuditorService;
}

/** Only a person files or decides a request: a static or service token has nobody behind it to bind it to. */
function asUser(credentials: BackstageCredentials, what: string): BackstageCredentials<BackstageUserPrincipal> {
  if ((credentials.principal as { type?: string }).type !== 'user') {
    throw new NotAllowedError(`${what} is done for a signed-in user only: use a user token, not a static or service token`);
  }
  return credentials as BackstageCredentials<BackstageUserPrincipal>;
}

/** Runs a change as one auditor event, with its outcome, as the API's routes do. */
async function audited<T>(auditor: AuditorService, action: string, meta: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
  const event = await auditor.createEvent({ eventId: `privatelink-${action}`, severityLevel: 'medium', meta: { via: 'actions', ...meta } as any });
  try {
    const result = await fn();
    await event.success();
    return result;
  } catch (error) {
    await event.fail({ error: error as Error });
    throw error;
  }
}

const requestOutput = (r: AccessRequest) => ({
  id: r.id,
  serviceRef: r.serviceRef,
  consumerRef: r.consumerRef,
  accountId: r.accountId,
  status: r.status,
  requestedBy: r.requestedBy,
  ...(r.decisionReason ? { decisionReason: r.decisionReason } : {}),
  ...(r.error ? { error: r.error } : {}),
});

const requestSchema = (z: any) =>
  z.object({
    id: z.string().describe('Access request id'),
    serviceRef: z.string(),
    consumerRef: z.string(),
    accountId: z.string(),
    status: z.string().describe('pending, approved, denied or failed'),
    requestedBy: z.string(),
    decisionReason: z.string().optional(),
    error: z.string().optional(),
  });

/**
 * `privatelink:request-access`: files an access request exactly as `POST /v1/access-requests` does (the same
 * validation, binding to the requester and their consumer, rate limit, owners' notification and audit).
 */
export function requestAccessAction(ctx: WriteActionsContext): ActionsRegistryActionOptions<any, any> {
  return {
    name: 'request-access',
    title: 'Request access to an AWS PrivateLink service',
    description:
      "Asks the owners of an endpoint service to let an AWS account connect to it privately, for a component or group the caller owns or belongs to. The owners are notified and decide; once approved, the account's connections are accepted. Use find-endpoint-services first for the service's entity ref. Only for a signed-in user.",
    attributes: { readOnly: false, destructive: false, idempotent: false },
    schema: {
      input: z =>
        z.object({
          serviceRef: z.string().describe('Entity ref of the endpoint service, e.g. resource:default/orders-api'),
          consumerRef: z.string().describe('Entity ref of the consuming component or group, which the caller owns or belongs to'),
          accountId: z.string().describe('12-digit AWS account that will create the VPC endpoint'),
          reason: z.string().describe('Why access is needed, for the owners (3 to 2000 characters)'),
        }),
      output: z => z.object({ request: requestSchema(z) }),
    },
    action: async ({ input, credentials }) => {
      const user = asUser(credentials, 'Requesting access');
      const body = parse(createRequestSchema, input, 'input');
      const created = await audited(ctx.auditor, 'access-request-create', { serviceRef: body.serviceRef, accountId: body.accountId }, () =>
        ctx.service.createAccessRequest(body, user),
      );
      return { output: { request: requestOutput(created) } };
    },
  };
}

/** `privatelink:review-access-request`: approves or denies a request, for the service's owners, through the one write path. */
export function reviewAccessRequestAction(ctx: WriteActionsContext): ActionsRegistryActionOptions<any, any> {
  return {
    name: 'review-access-request',
    title: 'Approve or deny an access request to an AWS PrivateLink service',
    description:
      "Decides an access request as one of the service's owners: approve (the account becomes an allowed principal and its pending connections are accepted) or deny (with a reason). Refused for anyone who does not own the service, and for one's own request.",
    attributes: { readOnly: false, destructive: true, idempotent: false },
    schema: {
      input: z =>
        z.object({
          id: z.string().describe('Access request id'),
          decision: z.enum(['approve', 'deny']),
          reason: z.string().optional().describe('Required to deny: why, for the requester'),
        }),
      output: z => z.object({ request: requestSchema(z) }),
    },
    action: async ({ input, credentials }) => {
      const user = asUser(credentials, 'Deciding an access request');
      const { id } = parse(requestIdSchema, { id: input.id }, 'input');
      const decided =
        input.decision === 'approve'
          ? await audited(ctx.auditor, 'access-request-approve', { id }, () =>
              ctx.service.approve(id, parse(approveSchema, { ...(input.reason !== undefined ? { reason: input.reason } : {}) }, 'input').reason, user),
            )
          : await audited(ctx.auditor, 'access-request-deny', { id }, () =>
              ctx.service.deny(id, parse(denySchema, { reason: input.reason }, 'input').reason, user),
            );
      return { output: { request: requestOutput(decided) } };
    },
  };
}
