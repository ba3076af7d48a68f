import { BackstageCredentials, BackstageUserPrincipal, PermissionsService } from '@backstage/backend-plugin-api';
import { ActionsRegistryActionOptions } from '@backstage/backend-plugin-api/alpha';
import { NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { privatelinkPrincipalManagePermission } from '@privatelink-backstage/plugin-privatelink-common';
import { ServiceSearch } from '../service/serviceSearch';
import { ServiceDetailsReader } from '../service/serviceDetails';
import { PrivateLinkService } from '../service/PrivateLinkService';

/** What the read-only actions read with: the catalog and the plugin's services, always with the caller's credentials. */
export interface ReadActionsContext {
  catalog: CatalogService;
  reader: ServiceDetailsReader;
  /** The search the PrivateLink page's route uses too. */
  search: ServiceSearch;
  service: PrivateLinkService;
  permissions: PermissionsService;
}

const ACCESS_TEXT =
  "Where the caller's teams stand, the strongest that applies: connected (one of their endpoints connects), allowed (one of their accounts may connect now), requested (the caller has a pending access request), none";

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
          connectable: z
            .boolean()
            .optional()
            .describe('Only the services the caller can connect to (connected or allowed); such a page may hold fewer than `limit` results, see `scanned`'),
          cursor: z.string().max(4000).optional().describe('The nextCursor of the previous answer, for the next page; it carries the other fields'),
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
              privateDnsState: z.string().optional().describe('pendingVerification, verified or failed'),
              acceptanceRequired: z.boolean().optional().describe("Whether a new connection waits for the owners' acceptance"),
              accountId: z.string().optional(),
              region: z.string().optional(),
              consumers: z.number().describe('Consumer endpoints known to the catalog'),
              access: z.enum(['connected', 'allowed', 'requested', 'none']).describe(ACCESS_TEXT),
            }),
          ),
          totalItems: z.number().describe('How many services match the text and filters in all (before `connectable`)'),
          nextCursor: z.string().optional().describe('Pass as cursor for the next page; absent on the last page'),
          scanned: z.number().optional().describe('With connectable: how many services were read to pick these results'),
        }),
    },
    action: async ({ input, credentials }) => {
      const { text, owner, system, accountId, region, connectable, limit, cursor } = input;
      const page = await ctx.search.search(
        cursor ? { cursor, limit: limit ?? 20 } : { text, owner, system, accountId, region, connectable, limit: limit ?? 20 },
        credentials,
      );
      return { output: page };
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
