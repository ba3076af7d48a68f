import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { PrivateLinkConfig } from './config';

/** What the router needs; each piece is a service with its own interface. */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  config: PrivateLinkConfig;
}

/** The HTTP API of the PrivateLink plugin, mounted at /api/privatelink. */
export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { httpAuth, config } = options;
  const router = Router();
  router.use(express.json());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // What the frontend needs to know of the installation: which accounts and regions are read, and whether
  // `*` may be allowed. Nothing secret: no role names or external ids.
  router.get('/v1/settings', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json({
      regions: config.regions,
      accounts: config.accounts.map(a => ({ accountId: a.accountId, name: a.name, regions: a.regions })),
      allowWildcardPrincipal: config.allowWildcardPrincipal,
      syncEnabled: config.sync.enabled,
    });
  });

  return router;
}
