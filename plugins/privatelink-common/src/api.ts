import type { AuditResult, WriteChannel } from './changes';
import { EndpointState } from './entityModel';

/** A consumer of an endpoint service: its endpoint, seen from the provider's and, where readable, its own account. @public */
export interface PrivateLinkConsumer {
  /** Entity ref of the vpc-endpoint Resource. */
  entityRef: string;
  /** VPC endpoint id of the consumer's endpoint, e.g. `vpce-0123456789abcdef0`. */
  endpointId: string;
  /** 12-digit AWS account id that owns the endpoint, e.g. `123456789012`; absent when AWS did not report it. */
  accountId?: string;
  /** AWS region of the endpoint, e.g. `eu-west-1`. */
  region: string;
  /**
   * State of the connection, normalised (see {@link normalizeEndpointState}); `pendingAcceptance` is one an owner
   * of the service has to accept or reject.
   */
  state: EndpointState;
  /** Owner entity ref of the endpoint. */
  owner?: string;
  /** Component entity ref the endpoint belongs to, when tagged. */
  component?: string;
  /** ISO 8601 time the endpoint was created, e.g. `2026-11-25T10:15:00.000Z`, when AWS reported it. */
  createdAt?: string;
  /**
   * DNS names of the endpoint, e.g.
   * `vpce-0123456789abcdef0-abcd1234.vpce-svc-0123456789abcdef0.eu-west-1.vpce.amazonaws.com`; empty when none
   * is known.
   */
  dnsNames: string[];
  /**
   * VPC the endpoint is in, e.g. `vpc-0123456789abcdef0`. Known only when the endpoint could be read in its own
   * (configured) account; the provider's view of a connection does not include it.
   */
  vpcId?: string;
  /** Whether the endpoint has private DNS enabled; like `vpcId`, known only when read in its own account. */
  privateDnsEnabled?: boolean;
  /** Set when the consumer's account could not be read lately: ISO time of the last good read. */
  staleSince?: string;
}

/** What the entity card shows of an endpoint service, from the synced catalog state. @public */
export interface PrivateLinkServiceDetails {
  /** Entity ref of the vpc-endpoint-service Resource. */
  entityRef: string;
  /** Display title of the Resource entity (`metadata.title`), when it has one. */
  title?: string;
  /** Owner entity ref of the service (`spec.owner`), e.g. `group:default/payments`. */
  owner?: string;
  /** System entity ref the service belongs to (`spec.system`), e.g. `system:default/orders`, when set. */
  system?: string;
  /** Component entity ref the service exposes (`spec.dependencyOf`), e.g. `component:default/orders-api`, when set. */
  component?: string;
  /** Endpoint service id, e.g. `vpce-svc-0123456789abcdef0`. */
  serviceId: string;
  /**
   * Service name consumers create their endpoints with, e.g.
   * `com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0`.
   */
  serviceName: string;
  /** 12-digit AWS account id of the provider account the service is in, e.g. `123456789012`. */
  accountId: string;
  /** AWS region of the service, e.g. `eu-west-1`. */
  region: string;
  /**
   * State of the service as EC2 last reported it (`ServiceState`: `Pending`, `Available`, `Deleting`, `Deleted`
   * or `Failed`), or `unknown` when the entity carries none.
   */
  state: string;
  /** True when an owner has to accept each new connection before it can be used. */
  acceptanceRequired: boolean;
  /** Private DNS name of the service, e.g. `api.internal.example.com`, when it has one. */
  privateDnsName?: string;
  /**
   * Verification state of {@link PrivateLinkServiceDetails.privateDnsName}: `pendingVerification`, `verified` or
   * `failed`.
   */
  privateDnsState?: string;
  /** Base DNS names of the service (`BaseEndpointDnsNames`), as AWS reports them; empty when none is known. */
  dnsNames: string[];
  /** ARNs of the Network (or Gateway) Load Balancers behind the service. */
  loadBalancerArns: string[];
  /**
   * Regions the service can be reached from (cross-region PrivateLink), e.g. `['eu-west-1', 'eu-central-1']`;
   * empty when AWS lists none.
   */
  supportedRegions: string[];
  /** IP address types consumers may connect over (`ipv4`, `ipv6`); empty when the entity does not say. */
  supportedIpAddressTypes: string[];
  /**
   * Set while the service's forced retirement is announced and its grace period runs: when it was announced and
   * from when it may be retired (ISO 8601).
   */
  retirement?: RetirementAnnouncement;
  /**
   * Principals allowed to connect: IAM ARNs such as `arn:aws:iam::123456789012:root`, or `*` for every account.
   */
  allowedPrincipals: string[];
  /** Set when the service's account or region could not be read lately: ISO time of the last good read. */
  staleSince?: string;
  /** Every consumer endpoint of the service known to the catalog, ordered by endpoint id. */
  consumers: PrivateLinkConsumer[];
  /** Number of consumers per state. */
  counts: Partial<Record<EndpointState, number>>;
}

/**
 * Status of an access request: `pending` until an owner decides it, then `approved` (the account was allowed as a
 * principal) or `denied`. `failed` is kept for a request that could not be carried out; a decision that does not
 * finish leaves the request `pending`, with the reason in {@link AccessRequest.error}.
 * @public
 */
export type AccessRequestStatus = 'pending' | 'approved' | 'denied' | 'failed';

/** A consumer's request to be allowed on an endpoint service. @public */
export interface AccessRequest {
  /** Id of the request, a UUID, as used in `POST /v1/access-requests/{id}/approve`. */
  id: string;
  /** Entity ref of the vpc-endpoint-service Resource the request is for, e.g. `resource:default/orders-api`. */
  serviceRef: string;
  /** The component or group that will consume. */
  consumerRef: string;
  /** The account that will create the endpoint; it becomes an allowed principal on approval. */
  accountId: string;
  /** Why the consumer needs the service, as the requester wrote it. */
  reason: string;
  /** Where the request stands; see {@link AccessRequestStatus}. */
  status: AccessRequestStatus;
  /** User entity ref of the person who filed the request, e.g. `user:default/jane.doe`. */
  requestedBy: string;
  /** ISO 8601 time the request was filed. */
  requestedAt: string;
  /** User entity ref of the owner who approved or denied the request; absent while it is pending. */
  decidedBy?: string;
  /** ISO 8601 time of the decision; absent while the request is pending. */
  decidedAt?: string;
  /** The reason the deciding owner gave: required for a denial, optional for an approval. */
  decisionReason?: string;
  /** Endpoint ids whose connections were accepted on approval. */
  acceptedEndpointIds?: string[];
  /**
   * What went wrong last, when something did: e.g. a decision that did not finish, or accepting the account's
   * pending connections failing after approval. Absent when nothing failed.
   */
  error?: string;
  /** True when the account is not one of the configured accounts (`accessRequests.allowExternalAccounts`). */
  external: boolean;
  /** The AWS service the request is for, as it was when the request was filed. */
  target?: { accountId: string; region: string; serviceId: string };
  /**
   * After approval, where the follow-up that accepts the consumer's connections stands: `active` (it looks
   * once a minute), or why it stopped: `accepted` (done), `revoked` (the account is no longer allowed),
   * `rejected` (an owner rejected one of its connections).
   */
  followUp: AccessRequestFollowUp;
  /** Connections of the account that the owners had rejected when they approved (they do not stop the follow-up). */
  rejectedAtApproval?: string[];
}

/** Where the acceptance follow-up of an approved request stands. @public */
export type AccessRequestFollowUp = 'active' | 'accepted' | 'revoked' | 'rejected';

/** Body of a new access request. @public */
export interface CreateAccessRequest {
  /** Entity ref of the vpc-endpoint-service Resource to be allowed on, e.g. `resource:default/orders-api`. */
  serviceRef: string;
  /** Entity ref of the component or group that will consume the service, e.g. `component:default/checkout`. */
  consumerRef: string;
  /** 12-digit AWS account id that will create the endpoint, e.g. `123456789012`. */
  accountId: string;
  /** Why access is needed, for the owners who decide (at least 3 characters, at most 2000). */
  reason: string;
}

/**
 * One line of the audit log: one attempt to change AWS through Backstage (refused, failed or done), who made it,
 * through which door, on which service or account, and how it ended. The row is written before AWS is called and
 * completed after it answers, so a crash halfway leaves a `started` row behind.
 * @public
 */
export interface AuditEntry {
  /** Row id, increasing with time; the cursor of the audit log's pages. */
  id: number;
  /** The person who caused the change (user entity ref), or `plugin:privatelink` for its scheduled job. */
  actor: string;
  /** The door the change came through; see {@link WriteChannel}. */
  via: WriteChannel;
  /**
   * The kind of change, e.g. `principals.allow`, `principals.revoke`, `connections.accept`, `connections.reject`,
   * `accessRequest.approve` or `endpoint.create`.
   */
  action: string;
  /** The endpoint service's entity ref, when the change is on a service the catalog knows. */
  serviceRef?: string;
  /** 12-digit AWS account id the change was made in, when known. */
  accountId?: string;
  /** AWS region the change was made in, e.g. `eu-west-1`, when known. */
  region?: string;
  /** Endpoint service id (`vpce-svc-…`) the change was made on, when there is one. */
  serviceId?: string;
  /**
   * What the attempt asked for and, once completed, what it did, as stored JSON: e.g. the principals or endpoint
   * ids, the access request id.
   */
  details: Record<string, unknown>;
  /** How the attempt ended; see {@link AuditResult}. */
  result: AuditResult;
  /** Why it was refused or what failed; absent on success. */
  message?: string;
  /** ISO 8601 time the attempt was recorded, before AWS was called. */
  createdAt: string;
  /** ISO 8601 time its outcome was recorded; absent while the row is `started`. */
  completedAt?: string;
}

/**
 * A change of an endpoint service's settings (`POST /v1/services/settings`, the action
 * `aws:privatelink:endpoint-service:update`). Fields left out stay as they are.
 * @public
 */
export interface EndpointServiceSettingsChange {
  /** Whether an owner must accept each new connection. */
  acceptanceRequired?: boolean;
  /** Regions to add to those consumers may connect from (cross-region PrivateLink), e.g. `eu-west-1`. */
  addSupportedRegions?: string[];
  /** Regions to remove from those consumers may connect from; the service's own region cannot be removed. */
  removeSupportedRegions?: string[];
  /** A new private DNS name (a new name starts its verification again), or `null` to remove the name. */
  privateDnsName?: string | null;
  /**
   * The IP address types consumers may connect over, the whole set (at least one): `ipv4`, `ipv6`. IPv6 needs a
   * dualstack load balancer behind the service.
   */
  supportedIpAddressTypes?: Array<'ipv4' | 'ipv6'>;
  /**
   * Hand the service to another team: the group's entity ref, written to the service's owner tag. Only someone who
   * may change the service (its owners, by default) and who belongs to the new team may do it, and only to a team
   * the account permits (`privatelink.accounts[].owners`).
   */
  owner?: string;
  /** The system the service is part of (its system tag), as an entity ref, or `null` to remove the tag. */
  system?: string | null;
  /** The component the service exposes (its component tag), as an entity ref, or `null` to remove the tag. */
  component?: string | null;
  /**
   * Make the change even though it cuts existing consumers (removes a region they connect from or an IP address
   * type they use, or changes or removes the private DNS name they resolve). Without it such a change is refused,
   * naming them.
   */
  confirmCuts?: boolean;
}

/** A consumer that a settings change or a retirement cuts off, and why. @public */
export interface ConsumerCut {
  /** The consumer's VPC endpoint id, e.g. `vpce-0123456789abcdef0`. */
  endpointId: string;
  /** 12-digit account id of the consumer, when AWS reported it. */
  accountId?: string;
  /** State of the connection, normalised. */
  state: EndpointState;
  /** What it loses, e.g. `connects from eu-west-1`. */
  reason: string;
}

/** What a settings change did. @public */
export interface EndpointServiceSettingsResult {
  /** Entity ref of the service. */
  serviceRef: string;
  /**
   * The settings this change set, by name (`acceptanceRequired`, `supportedRegions`, `privateDnsName`,
   * `supportedIpAddressTypes`, `owner`, `system`, `component`).
   */
  changed: string[];
  /** The consumers it cut off (with `confirmCuts`); empty otherwise. */
  cuts: ConsumerCut[];
  /** The state of the private DNS name afterwards, when the service has one (a new name starts `pendingVerification`). */
  privateDnsState?: string;
}

/**
 * Retire an endpoint service (`POST /v1/services/retire`, the action `aws:privatelink:endpoint-service:delete`).
 * @public
 */
export interface RetireEndpointServiceRequest {
  /** Entity ref of the service. */
  serviceRef: string;
  /** The service's entity name, typed again as a confirmation. */
  confirmName: string;
  /**
   * Retire it even though consumers are connected (`available`): they are notified and their connections rejected.
   * With a grace period configured (`privatelink.retirement.gracePeriod`), the first forced retirement only
   * announces it (`announced` in the answer); a forced retirement once the period has passed retires it.
   */
  force?: boolean;
}

/**
 * A forced retirement announced to the connected consumers, waiting out the grace period. @public
 */
export interface RetirementAnnouncement {
  /** ISO 8601 time the retirement was announced (kept on the service as the tag `privatelink:retirement-announced`). */
  announcedAt: string;
  /** ISO 8601 time from which a forced retirement retires the service. */
  retireAfter: string;
}

/** What retiring an endpoint service did. @public */
export interface RetireEndpointServiceResult {
  /** Entity ref of the service. */
  serviceRef: string;
  /** Endpoint service id, e.g. `vpce-svc-0123456789abcdef0`. */
  serviceId: string;
  /** True when this call deleted it; false when it was deleted already (a retry). */
  deleted: boolean;
  /** Connections rejected before the deletion (VPC endpoint ids). */
  rejectedConnections: string[];
  /** Owners of the consumers told before the deletion (entity refs). */
  notified: string[];
  /** Access requests closed because the service is gone. */
  closedRequests: number;
  /** The load balancers the service used, which may now be deleted with `aws:privatelink:nlb:delete`. */
  loadBalancerArns: string[];
  /**
   * Set when this call only announced the retirement (a grace period is configured and consumers are connected):
   * nothing was rejected or deleted; retire it again with `force` after `retireAfter`.
   */
  announced?: RetirementAnnouncement;
}

/** What deleting a consumer's VPC endpoint did (`POST /v1/endpoints/delete`). @public */
export interface DeleteEndpointResult {
  /** Entity ref of the vpc-endpoint Resource. */
  endpointRef: string;
  /** VPC endpoint id, e.g. `vpce-0123456789abcdef0`. */
  endpointId: string;
  /** True when this call deleted it; false when it was deleted already (a retry). */
  deleted: boolean;
}

/** The endpoint service a consumer's endpoint connects to, as the consumer card names it. @public */
export interface PrivateLinkConsumedService {
  /** Entity ref of the vpc-endpoint-service Resource, e.g. `resource:default/orders-api`. */
  entityRef: string;
  /** Display title of the service's entity, when it has one. */
  title?: string;
  /** Endpoint service name, e.g. `com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0`. */
  serviceName?: string;
  /** The service's private DNS name, when it has one. */
  privateDnsName?: string;
  /** Verification state of the private DNS name: pendingVerification, verified or failed. */
  privateDnsState?: string;
  /** Owner entity ref of the service. */
  owner?: string;
}

/** One endpoint through which a consumer (a component or a group) reaches a service privately. @public */
export interface PrivateLinkConsumerEndpoint {
  /** Entity ref of the vpc-endpoint Resource. */
  entityRef: string;
  /** VPC endpoint id, e.g. `vpce-0123456789abcdef0`. */
  endpointId: string;
  /** 12-digit account of the endpoint, when known. */
  accountId?: string;
  /** AWS region of the endpoint. */
  region: string;
  /** State of the endpoint (its connection), normalised. */
  state: EndpointState;
  /** VPC of the endpoint, when it was read in its own account. */
  vpcId?: string;
  /** Whether the endpoint has private DNS enabled, when it was read in its own account. */
  privateDnsEnabled?: boolean;
  /** ISO 8601 time the endpoint was created, when known. */
  createdAt?: string;
  /** Set when the endpoint's account could not be read lately: ISO time of the last good read. */
  staleSince?: string;
  /**
   * The DNS name to put in the consumer's configuration: the service's private DNS name when the endpoint has
   * private DNS enabled and the name is verified, else the endpoint's first (regional) DNS name; absent when none
   * is known.
   */
  dnsNameToUse?: string;
  /** Why `dnsNameToUse` is that name: `private-dns` or `endpoint`. */
  dnsNameSource?: 'private-dns' | 'endpoint';
  /** The endpoint's other DNS names (zonal ones). */
  otherDnsNames: string[];
  /** The service it connects to; absent for endpoints to services PrivateLink does not sync (AWS services). */
  service?: PrivateLinkConsumedService;
}

/**
 * What the consumer card shows of a component or group (`GET /v1/consumers?entityRef=`), from the synced catalog:
 * its endpoints, and its access requests that are pending or were denied.
 * @public
 */
export interface PrivateLinkConsumerDetails {
  /** Entity ref of the component or group. */
  entityRef: string;
  /** Its synced vpc-endpoint entities that the caller may see, by service then endpoint id. */
  endpoints: PrivateLinkConsumerEndpoint[];
  /** Its access requests that are pending or denied, newest first (at most 50). */
  requests: AccessRequest[];
}

/**
 * Where the signed-in user's teams stand with an endpoint service, the strongest that applies: `connected` (an
 * endpoint one of their teams owns is synced for it), `allowed` (an account one of their teams owns is an allowed
 * principal, or `*` is: they can connect now), `requested` (the user has a pending access request, and no account
 * of theirs is allowed yet), else `none`. "Can connect" means `connected` or `allowed`.
 * @public
 */
export type YourAccess = 'connected' | 'allowed' | 'requested' | 'none';

/**
 * A search of the synced endpoint services (`GET /v1/services/search`). The first page takes the search fields;
 * a later page takes only the `cursor` of the page before it (which carries the search) and, optionally, `limit`.
 * @public
 */
export interface EndpointServiceSearchQuery {
  /** Words to look for in the entity name, the title or the endpoint service name, e.g. `orders`. */
  q?: string;
  /** Owner entity ref, e.g. `group:default/payments` (a bare `payments` is read as a group). */
  owner?: string;
  /** System entity ref, e.g. `system:default/commerce` (a bare `commerce` is read as a system). */
  system?: string;
  /** 12-digit AWS account id of the provider account, e.g. `123456789012`. */
  accountId?: string;
  /** AWS region of the service, e.g. `eu-west-1`. */
  region?: string;
  /**
   * `connectable`: only the services the user's teams can connect to ({@link YourAccess} `connected` or
   * `allowed`). Applied after the catalog's page: see {@link EndpointServiceSearchPage.scanned}.
   */
  access?: 'connectable';
  /** Services per page, 1 to 100 (default 20). */
  limit?: number;
  /** The {@link EndpointServiceSearchPage.nextCursor} of the previous page; with it, only `limit` may be given. */
  cursor?: string;
}

/** One endpoint service in a search result, with where the user's teams stand with it. @public */
export interface EndpointServiceSearchItem {
  /** Entity ref of the vpc-endpoint-service Resource, e.g. `resource:default/orders-api`. */
  entityRef: string;
  /** Entity name (`metadata.name`). */
  name: string;
  /** Display title (`metadata.title`), when the entity has one. */
  title?: string;
  /** Owner entity ref (`spec.owner`), e.g. `group:default/orders`. */
  owner?: string;
  /** System entity ref (`spec.system`), e.g. `system:default/commerce`, when set. */
  system?: string;
  /** Service name consumers create their endpoints with, e.g. `com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0`. */
  serviceName?: string;
  /** Private DNS name of the service, when it has one. */
  privateDnsName?: string;
  /** Verification state of the private DNS name: `pendingVerification`, `verified` or `failed`. */
  privateDnsState?: string;
  /** Whether an owner accepts each new connection; absent when the entity does not say. */
  acceptanceRequired?: boolean;
  /** 12-digit AWS account id of the provider account. */
  accountId?: string;
  /** AWS region of the service. */
  region?: string;
  /** Consumer endpoints of the service known to the catalog (its `dependencyOf` Resources), whatever their state. */
  consumers: number;
  /** Where the user's teams stand with it; see {@link YourAccess}. */
  access: YourAccess;
}

/**
 * One page of a search of the endpoint services (`GET /v1/services/search`), ordered by entity name.
 * @public
 */
export interface EndpointServiceSearchPage {
  /** The services of this page: at most the query's `limit`. */
  items: EndpointServiceSearchItem[];
  /**
   * How many services the catalog holds for the search's words and filters (the caller may see), before the
   * `access` filter: how many of them the user can connect to is not counted, since that takes reading them all.
   */
  totalItems: number;
  /** Pass as {@link EndpointServiceSearchQuery.cursor} for the next page; absent on the last page. */
  nextCursor?: string;
  /**
   * Only with `access: 'connectable'`: how many services this page read from the catalog to pick its items. The
   * filter is applied after the catalog's pages, within a bounded read per request, so a page may hold fewer
   * items than `limit` (even none) while `nextCursor` is present: follow it for more.
   */
  scanned?: number;
}
