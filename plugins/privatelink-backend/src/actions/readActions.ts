import { BackstageCredentials, BackstageUserPrincipal, PermissionsService } from '@backstage/backend-plugin-api';
import { ActionsRegistryActionOptions } from '@backstage/backend-plugin-api/alpha';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ANNOTATIONS,
  isSyncedEntity,
  privatelinkPrincipalManagePermission,
  VPC_ENDPOINT_SERVICE_TYPE,
} from '@privatelink-backstage/plugin-privatelink-common';
import { AccessResolver } from '../service/yourAccess';
import { ServiceDetailsReader } from '../service/serviceDetails';
import { PrivateLinkService } from '../service/PrivateLinkService';

/** What the read-only actions read with: the catalog and the plugin's services, always with the caller's credentials. */
export interface ReadActionsContext {
  catalog: CatalogService;
  reader: ServiceDetailsReader;
  access: AccessResolver;
  service: PrivateLinkService;
  permissions: PermissionsService;
}

const ACCESS_TEXT =
  "Where the caller's teams stand: connected (one of their endpoints connects), requested (the caller has a pending access request), allowed (one of their accounts may connect), none";

const userOnly = (credentials: BackstageCredentials, what: string): BackstageCredentials<BackstageUserPrincipal> => {
  if ((credentials.principal as { type?: string }).type !== 'user') {
    throw new NotAllowedError(`${what} is read for a signed-in user: use a user token, not a static or service token`);
  }
  return credentials as BackstageCredentials<BackstageUserPrincipal>;
};

/** `privatelink:find-endpoint-services`: search the synced endpoint services, with where the caller's teams stand. */
export function findEndpointServicesAction(ctx: ReadActionsContext): ActionsRegistryActionOptions<any, any> {
  return {
    name: 'find-endpoint-services',
    title: 'Find services reachable through AWS PrivateLink',
    description:
      'Searches the endpoint services (AWS PrivateLink) synced into the Backstage catalog, by free text (name, title, service name) and by owner, system, AWS account or region. Each result names the service name consumers create their VPC endpoint with, the private DNS name when it has one, and whether the caller can already connect. At most `limit` results; pass `cursor` from the previous answer for more.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          text: z.string().max(200).optional().describe('Words to look for in the name, title or endpoint service name, e.g. "payments"'),
          owner: z.string().max(255).optional().describe('Owner entity ref, e.g. group:default/payments'),
          system: z.string().max(255).optional().describe('System entity ref, e.g. system:default/commerce'),
          accountId: z.string().regex(/^\d{12}$/).optional().describe('12-digit AWS account id of the provider'),
          region: z.string().max(32).optional().describe('AWS region, e.g. us-east-1'),
          limit: z.number().int().min(1).max(50).optional().describe('How many results, 1 to 50. Default 20'),
          cursor: z.string().max(2000).optional().describe('The nextCursor of the previous answer, for the next page'),
        }),
      output: z =>
        z.object({
          items: z.array(
            z.object({
              entityRef: z.string().describe('Entity ref of the endpoint service, for get-endpoint-service and request-access'),
              name: z.string(),
              title: z.string().optional(),
              owner: z.string().optional(),
              system: z.string().optional(),
              serviceName: z.string().optional().describe('The service name to create a VPC endpoint with'),
              privateDnsName: z.string().optional().describe('Private DNS name, when the service has one'),
              accountId: z.string().optional(),
              region: z.string().optional(),
              access: z.enum(['connected', 'requested', 'allowed', 'none']).describe(ACCESS_TEXT),
            }),
          ),
          totalItems: z.number().describe('How many services match in all'),
          nextCursor: z.string().optional().describe('Pass as cursor for the next page; absent on the last page'),
        }),
    },
    action: async ({ input, credentials }) => {
      const limit = input.limit ?? 20;
      const filter: Record<string, string> = { kind: 'Resource', 'spec.type': VPC_ENDPOINT_SERVICE_TYPE };
      if (input.owner) filter['spec.owner'] = input.owner;
      if (input.system) filter['spec.system'] = input.system;
      if (input.accountId) filter[`metadata.annotations.${ANNOTATIONS.accountId}`] = input.accountId;
      if (input.region) filter[`metadata.annotations.${ANNOTATIONS.region}`] = input.region;
      const res = await ctx.catalog.queryEntities(
        input.cursor
          ? { cursor: input.cursor, limit }
          : {
              filter,
              limit,
              orderFields: [{ field: 'metadata.name', order: 'asc' }],
              ...(input.text ? { fullTextFilter: { term: input.text, fields: ['metadata.name', 'metadata.title', `metadata.annotations.${ANNOTATIONS.serviceName}`] } } : {}),
            },
        { credentials },
      );
      // Only the sync's own entities: a registered file with the same annotations is no service of ours.
      const services = res.items.filter(isSyncedEntity);
      const access = await ctx.access.accessTo(services, credentials);
      return {
        output: {
          items: services.map(s => {
            const a = s.metadata.annotations ?? {};
            return {
              entityRef: stringifyEntityRef(s),
              name: s.metadata.name,
              title: s.metadata.title,
              owner: s.spec?.owner as string | undefined,
              system: s.spec?.system as string | undefined,
              serviceName: a[ANNOTATIONS.serviceName],
              privateDnsName: a[ANNOTATIONS.privateDnsName],
              accountId: a[ANNOTATIONS.accountId],
              region: a[ANNOTATIONS.region],
              access: access.get(stringifyEntityRef(s)) ?? 'none',
            };
          }),
          totalItems: res.totalItems,
          ...(res.pageInfo.nextCursor ? { nextCursor: res.pageInfo.nextCursor } : {}),
        },
      };
    },
  };
}

/** `privatelink:get-endpoint-service`: the card's data of one service; its allowed principals for its owners only. */
export function getEndpointServiceAction(ctx: ReadActionsContext): ActionsRegistryActionOptions<any, any> {
  return {
    name: 'get-endpoint-service',
    title: 'Get an AWS PrivateLink endpoint service',
    description:
      "Reads one endpoint service from the Backstage catalog: its service name (to create a VPC endpoint with), its DNS names and private DNS name with its verification state, whether connections need the owners' acceptance, and the consumers the caller may see. Its allowed principals are shown to its owners only. Nothing is read from AWS.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z => z.object({ entityRef: z.string().max(255).describe('Entity ref of the endpoint service, e.g. resource:default/orders-api') }),
      output: z =>
        z.object({
          entityRef: z.string(),
          title: z.string().optional(),
          owner: z.string().optional(),
          serviceName: z.string().describe('The service name to create a VPC endpoint with'),
          accountId: z.string(),
          region: z.string(),
          acceptanceRequired: z.boolean().describe("Whether a new connection waits for the owners' acceptance"),
          privateDnsName: z.string().optional(),
          privateDnsState: z.string().optional(),
          dnsNames: z.array(z.string()).describe("The service's own DNS names"),
          consumers: z.array(
            z.object({ endpointId: z.string(), accountId: z.string().optional(), state: z.string(), owner: z.string().optional(), component: z.string().optional() }),
          ),
          allowedPrincipals: z.array(z.string()).optional().describe('For the owners only: who may connect'),
        }),
    },
    action: async ({ input, credentials }) => {
      const d = await ctx.reader.getDetails(input.entityRef, credentials);
      const [decision] = await ctx.permissions.authorize([{ permission: privatelinkPrincipalManagePermission, resourceRef: d.entityRef }], { credentials });
      const owner = decision.result === AuthorizeResult.ALLOW;
      return {
        output: {
          entityRef: d.entityRef,
          title: d.title,
          owner: d.owner,
          serviceName: d.serviceName,
          accountId: d.accountId,
          region: d.region,
          acceptanceRequired: d.acceptanceRequired,
          privateDnsName: d.privateDnsName,
          privateDnsState: d.privateDnsState,
          dnsNames: d.dnsNames,
          consumers: d.consumers.map(c => ({ endpointId: c.endpointId, accountId: c.accountId, state: c.state, owner: c.owner, component: c.component })),
          ...(owner ? { allowedPrincipals: d.allowedPrincipals } : {}),
        },
      };
    },
  };
}

/** `privatelink:get-consumer-connections`: a component's or group's endpoints and the DNS name to use for each. */
export function getConsumerConnectionsAction(ctx: ReadActionsContext): ActionsRegistryActionOptions<any, any> {
  return {
    name: 'get-consumer-connections',
    title: 'Get the private connections of a component or team',
    description:
      'Lists the VPC endpoints through which a component (or a group) reaches services privately, with the DNS name to put in its configuration for each (the private DNS name when the endpoint uses it, else the endpoint DNS name), its state, and its pending or denied access requests. Nothing is read from AWS.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z => z.object({ entityRef: z.string().max(255).describe('Entity ref of a component or group, e.g. component:default/payments-api') }),
      output: z =>
        z.object({
          entityRef: z.string(),
          endpoints: z.array(
            z.object({
              endpointId: z.string(),
              service: z.string().optional().describe('Entity ref of the service it connects to'),
              state: z.string().describe('available, pendingAcceptance (waiting for the owners), rejected, …'),
              dnsNameToUse: z.string().optional().describe('The DNS name to configure the client with'),
              otherDnsNames: z.array(z.string()),
              accountId: z.string().optional(),
              region: z.string(),
              vpcId: z.string().optional(),
            }),
          ),
          requests: z.array(z.object({ id: z.string(), serviceRef: z.string(), accountId: z.string(), status: z.string(), decisionReason: z.string().optional() })),
        }),
    },
    action: async ({ input, credentials }) => {
      const d = await ctx.service.getConsumerDetails(input.entityRef, userOnly(credentials, "A consumer's connections"));
      return {
        output: {
          entityRef: d.entityRef,
          endpoints: d.endpoints.map(e => ({
            endpointId: e.endpointId,
            service: e.service?.entityRef,
            state: e.state,
            dnsNameToUse: e.dnsNameToUse,
            otherDnsNames: e.otherDnsNames,
            accountId: e.accountId,
            region: e.region,
            vpcId: e.vpcId,
          })),
          requests: d.requests.map(r => ({ id: r.id, serviceRef: r.serviceRef, accountId: r.accountId, status: r.status, decisionReason: r.decisionReason })),
        },
      };
    },
  };
}
