import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import {
  accountIdSchema,
  endpointIdSchema,
  endpointServiceSettingsChangeSchema,
  endpointServiceIdSchema,
  principalSchema,
  regionSchema,
} from '@privatelink-backstage/plugin-privatelink-common';
import express, { Request, Response } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { PrivateLinkConfig } from '@privatelink-backstage/plugin-privatelink-node';
import { DetailsPayload, ServiceDetailsCache } from './service/detailsCache';
import { PrivateLinkService } from './service/PrivateLinkService';
import { PrivateLinkStore } from './service/store';
import { scaffolderAuditWriter } from './service/scaffolderAudit';
import { ServiceSearch } from './service/serviceSearch';
import { approveSchema, createRequestSchema, denySchema, entityRef, parse, requestIdSchema, serviceSearchQuerySchema } from './validation';

/** What the router needs; each piece is a service with its own interface. */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  config: PrivateLinkConfig;
  service: PrivateLinkService;
  details: ServiceDetailsCache;
  store: PrivateLinkStore;
  /** The search of the synced endpoint services (the PrivateLink page). */
  search: ServiceSearch;
}

/** Lists page with `limit` and the `before` cursor a previous page answered as `nextBefore`. */
const pageLimit = z.coerce.number().int().min(1).max(500).optional();
const cursor = z.string().min(1).max(200).regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor from nextBefore').optional();

/** Details of an audit row: a JSON object of bounded size. */
const auditDetails = z
  .record(z.string(), z.unknown())
  .refine(d => JSON.stringify(d).length <= 16_384, 'must be at most 16 KiB of JSON');


/**
 * Writes bytes serialised and compressed once: gzip to a client that accepts it (the root router's compression
 * middleware leaves a response with a Content-Encoding alone), 304 to a client that already holds this ETag.
 */
function sendPayload(req: Request, res: Response, payload: DetailsPayload) {
  res.vary('Accept-Encoding');
  res.set({ 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'private, no-cache', ETag: payload.etag });
  if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
    res.set('Content-Encoding', 'gzip');
    res.send(payload.gzip);
  } else {
    res.send(payload.json);
  }
}

/** The HTTP API of the PrivateLink plugin, mounted at /api/privatelink. */
export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { httpAuth, auditor, config, service, details, store, search } = options;
  const scaffolderAudit = scaffolderAuditWriter(store);
  const router = Router();
  router.use(express.json({ limit: '100kb' }));

  const principals = z.array(principalSchema({ allowWildcard: config.allowWildcardPrincipal })).min(1).max(100);
  // Revoking `*` only narrows access: an owner can always remove one that was set outside Backstage.
  const revokedPrincipals = z.array(principalSchema({ allowWildcard: true })).min(1).max(100);
  const endpointIds = z.array(endpointIdSchema).min(1).max(100);
  const schemas = {
    details: z.object({ entityRef }).strict(),
    listRequests: z.object({ serviceRef: entityRef.optional(), limit: pageLimit, before: cursor }).strict(),
    createRequest: createRequestSchema,
    approve: approveSchema,
    deny: denySchema,
    requestId: requestIdSchema,
    connections: z.object({ serviceRef: entityRef, endpointIds }).strict(),
    principals: z.object({ serviceRef: entityRef, principals }).strict(),
    revokePrincipals: z.object({ serviceRef: entityRef, principals: revokedPrincipals }).strict(),
    audit: z.object({ serviceRef: entityRef, limit: pageLimit, before: cursor }).strict(),
    settings: z.object({ serviceRef: entityRef }).passthrough(),
    retire: z.object({ serviceRef: entityRef, confirmName: z.string().min(1).max(253), force: z.boolean().optional() }).strict(),
    deleteEndpoint: z.object({ endpointRef: entityRef }).strict(),
    auditAttempt: z
      .object({
        action: z.string().regex(/^[a-z][a-zA-Z-]*(\.[a-z][a-zA-Z-]*)+$/, 'must be an action name like principals.allow').max(64),
        serviceRef: entityRef.optional(),
        accountId: accountIdSchema,
        region: regionSchema.optional(),
        serviceId: endpointServiceIdSchema.optional(),
        details: auditDetails,
        result: z.enum(['started', 'refused']),
        message: z.string().max(4000).optional(),
      })
      .strict(),
    auditId: z.object({ id: z.coerce.number().int().positive() }),
    auditOutcome: z
      .object({
        result: z.enum(['success', 'error']),
        message: z.string().max(4000).optional(),
        details: auditDetails.optional(),
        subject: z
          .object({ serviceRef: entityRef, region: regionSchema, serviceId: endpointServiceIdSchema })
          .partial()
          .strict()
          .optional(),
      })
      .strict(),
  };

  /** Runs a mutation as one auditor event: its outcome, success or failure (refusals included), is recorded. */
  async function audited<T>(req: Request, action: string, meta: Record<string, any>, fn: () => Promise<T>): Promise<T> {
    const event = await auditor.createEvent({ eventId: `privatelink-${action}`, severityLevel: 'medium', request: req, meta });
    try {
      const result = await fn();
      await event.success();
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  const user = (req: Request) => httpAuth.credentials(req, { allow: ['user'] });

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // What the frontend needs to know of the installation. Nothing secret: no role names or external ids.
  router.get('/v1/settings', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json({
      regions: config.regions,
      accounts: config.accounts.map(a => ({ accountId: a.accountId, name: a.name, regions: a.regions })),
      allowWildcardPrincipal: config.allowWildcardPrincipal,
      syncEnabled: config.sync.enabled,
    });
  });

  router.get('/v1/services', async (req, res) => {
    const { entityRef: ref } = parse(schemas.details, req.query, 'query');
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    sendPayload(req, res, await details.get(ref, credentials));
  });

  // The PrivateLink page: a page of the services the caller may see, each with where their teams stand. Users only
  // (the access is theirs); the catalog reads with their credentials.
  router.get('/v1/services/search', async (req, res) => {
    const credentials = await user(req);
    const { q, access, cursor: after, ...filters } = parse(serviceSearchQuerySchema, req.query, 'query');
    const request = after ? { cursor: after, limit: filters.limit } : { ...filters, text: q, connectable: access === 'connectable' };
    res.json(await search.search(request, credentials));
  });

  router.get('/v1/consumers', async (req, res) => {
    const { entityRef: ref } = parse(schemas.details, req.query, 'query');
    res.json(await service.getConsumerDetails(ref, await user(req)));
  });

  router.get('/v1/access-requests', async (req, res) => {
    const { serviceRef, limit, before } = parse(schemas.listRequests, req.query, 'query');
    res.json(await service.listAccessRequests(serviceRef, await user(req), { limit, before }));
  });

  router.post('/v1/access-requests', async (req, res) => {
    const body = parse(schemas.createRequest, req.body, 'request body');
    const credentials = await user(req);
    const created = await audited(req, 'access-request-create', { serviceRef: body.serviceRef, accountId: body.accountId }, () =>
      service.createAccessRequest(body, credentials),
    );
    res.status(201).json(created);
  });

  router.post('/v1/access-requests/:id/approve', async (req, res) => {
    const { id } = parse(schemas.requestId, req.params, 'path');
    const { reason } = parse(schemas.approve, req.body ?? {}, 'request body');
    const credentials = await user(req);
    res.json(await audited(req, 'access-request-approve', { id }, () => service.approve(id, reason, credentials)));
  });

  router.post('/v1/access-requests/:id/deny', async (req, res) => {
    const { id } = parse(schemas.requestId, req.params, 'path');
    const { reason } = parse(schemas.deny, req.body, 'request body');
    const credentials = await user(req);
    res.json(await audited(req, 'access-request-deny', { id }, () => service.deny(id, reason, credentials)));
  });

  for (const decision of ['accept', 'reject'] as const) {
    router.post(`/v1/connections/${decision}`, async (req, res) => {
      const body = parse(schemas.connections, req.body, 'request body');
      const credentials = await user(req);
      res.json(
        await audited(req, `connections-${decision}`, body, () =>
          service.reviewConnections(decision, body.serviceRef, body.endpointIds, credentials),
        ),
      );
    });
  }

  for (const change of ['allow', 'revoke'] as const) {
    router.post(`/v1/principals/${change}`, async (req, res) => {
      const body = parse(change === 'revoke' ? schemas.revokePrincipals : schemas.principals, req.body, 'request body');
      const credentials = await user(req);
      res.json(
        await audited(req, `principals-${change}`, body, () =>
          service.managePrincipals(change, body.serviceRef, body.principals, credentials),
        ),
      );
    });
  }

  router.post('/v1/services/settings', async (req, res) => {
    const { serviceRef, ...rest } = parse(schemas.settings, req.body, 'request body');
    const change = parse(endpointServiceSettingsChangeSchema, rest, 'request body');
    const credentials = await user(req);
    res.json(await audited(req, 'service-update', { serviceRef, change }, () => service.updateSettings(serviceRef, change, credentials)));
  });

  router.post('/v1/services/retire', async (req, res) => {
    const body = parse(schemas.retire, req.body, 'request body');
    const credentials = await user(req);
    res.json(await audited(req, 'service-retire', { serviceRef: body.serviceRef, force: Boolean(body.force) }, () => service.retireService(body, credentials)));
  });

  router.post('/v1/endpoints/delete', async (req, res) => {
    const body = parse(schemas.deleteEndpoint, req.body, 'request body');
    const credentials = await user(req);
    res.json(await audited(req, 'endpoint-delete', body, () => service.deleteEndpoint(body.endpointRef, credentials)));
  });

  // The scaffolder actions' rows: only a token the scaffolder issued on behalf of the initiator may write here,
  // and the row's actor and door come from that verified token, never from the body.
  router.post('/v1/audit/attempts', async (req, res) => {
    const body = parse(schemas.auditAttempt, req.body, 'request body');
    const actor = scaffolderAudit.actorOf(await user(req));
    res.status(201).json({ id: await scaffolderAudit.write(actor, body) });
  });

  router.post('/v1/audit/attempts/:id/outcome', async (req, res) => {
    const { id } = parse(schemas.auditId, req.params, 'path');
    const body = parse(schemas.auditOutcome, req.body, 'request body');
    const actor = scaffolderAudit.actorOf(await user(req));
    await scaffolderAudit.complete(actor, id, body);
    res.json({ id });
  });

  router.get('/v1/audit', async (req, res) => {
    const { serviceRef, limit, before } = parse(schemas.audit, req.query, 'query');
    res.json(await service.listAudit(serviceRef, await user(req), { limit, before }));
  });

  return router;
}
