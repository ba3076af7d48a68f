// The backend the API benchmark (bench/api-latency.ts) measures, started by it as a child process with
// cwd packages/backend and the app's config files: the real services of @backstage/backend-defaults (auth with
// the guest provider, httpAuth, permissions with the app's owners-only policy, root HTTP router with its
// compression and request logging, SQLite), the real catalog, the PrivateLink plugin and its catalog module,
// as packages/backend/src/index.ts adds them. Plus one bench-only plugin, `privatelink-bench`, with the two
// variants the product does not ship, on the same server so that one load generator measures all three:
//
//   GET /api/privatelink-bench/v1/uncached?entityRef=  the product's catalog reader on every request, with the
//                                                      caller's credentials (what every cache miss costs)
//   GET /api/privatelink-bench/v1/consumers-uncached?entityRef=  the consumer card's catalog reads on every
//                                                      request (its three queries; without the caller's
//                                                      access requests, which the product reads per request)
//   GET /api/privatelink-bench/v1/live?entityRef=      asks AWS (moto) on every request: the service's
//                                                      configuration and permissions in its account, and the
//                                                      endpoints to it in every configured account
import { createBackend } from '@backstage/backend-defaults';
import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { createAwsClientFactory } from '@privatelink-backstage/plugin-catalog-backend-module-privatelink/internal';
import { readPrivateLinkConfig } from '@privatelink-backstage/plugin-privatelink-node';
import { ANNOTATIONS } from '@privatelink-backstage/plugin-privatelink-common';
import Router from 'express-promise-router';
import { DescribeVpcEndpointServiceConfigurationsCommand } from '@aws-sdk/client-ec2';
import { readEndpointsTo, readPermissions } from '../../plugins/catalog-backend-module-privatelink/src/aws/inventory.ts';
import { createServiceDetailsReader } from '../../plugins/privatelink-backend/src/service/serviceDetails.ts';
import { createConsumerDetailsReader } from '../../plugins/privatelink-backend/src/service/consumerDetails.ts';

const benchPlugin = createBackendPlugin({
  pluginId: 'privatelink-bench',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        catalog: catalogServiceRef,
      },
      async init({ config, httpAuth, httpRouter, catalog }) {
        const privatelink = readPrivateLinkConfig(config);
        // No client-side bucket: moto has none, and the variant is measured at moto's own speed.
        const aws = createAwsClientFactory({ config, endpoint: privatelink.endpoint });
        const reader = createServiceDetailsReader(catalog);
        const router = Router();
        const refOf = (q: unknown) => String((q as { entityRef?: unknown }).entityRef ?? '');

        router.get('/v1/uncached', async (req, res) => {
          const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
          res.json(await reader.getDetails(refOf(req.query), credentials));
        });

        const consumers = createConsumerDetailsReader(catalog);
        router.get('/v1/consumers-uncached', async (req, res) => {
          const credentials = await httpAuth.credentials(req, { allow: ['user'] });
          const { consumer, endpoints } = await consumers.getEndpoints(refOf(req.query), credentials);
          res.json({ entityRef: stringifyEntityRef(consumer), endpoints, requests: [] });
        });

        router.get('/v1/live', async (req, res) => {
          const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
          // Which service: from the catalog entity, as the product resolves it; everything else from AWS.
          const entity = await catalog.getEntityByRef(parseEntityRef(refOf(req.query)), { credentials });
          const a = entity?.metadata.annotations ?? {};
          const target = { accountId: a[ANNOTATIONS.accountId], region: a[ANNOTATIONS.region] };
          const serviceId = a[ANNOTATIONS.serviceId];
          if (!entity || !serviceId) throw new NotFoundError(`No endpoint service ${refOf(req.query)}`);
          const ec2 = await aws.ec2(target);
          const [configuration, principals, endpoints] = await Promise.all([
            ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] })),
            readPermissions(ec2, serviceId),
            Promise.all(
              privatelink.accounts.map(async account => {
                const target2 = { accountId: account.accountId, region: target.region };
                return readEndpointsTo(await aws.ec2(target2), target2, a[ANNOTATIONS.serviceName]);
              }),
            ).then(lists => lists.flat()),
          ]);
          const s = configuration.ServiceConfigurations?.[0];
          res.json({
            entityRef: refOf(req.query),
            serviceId,
            serviceName: s?.ServiceName,
            state: s?.ServiceState,
            acceptanceRequired: s?.AcceptanceRequired,
            privateDnsName: s?.PrivateDnsName,
            dnsNames: (s?.BaseEndpointDnsNames ?? []).slice(),
            allowedPrincipals: principals,
            consumers: endpoints,
          });
        });
        httpRouter.use(router);
      },
    });
  },
});

const backend = createBackend();
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'));
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('../../packages/backend/src/modules/permissionPolicy.ts'));
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@privatelink-backstage/plugin-privatelink-backend'));
backend.add(import('@privatelink-backstage/plugin-catalog-backend-module-privatelink'));
backend.add(benchPlugin);
backend.start();
