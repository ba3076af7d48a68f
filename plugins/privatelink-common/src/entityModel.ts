import { ANNOTATION_LOCATION, parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { privatelinkLocationRef } from './changes';
/**
 * The catalog entity model that the PrivateLink plugins write and read. The sync emits these entities, the
 * scaffolder actions tag AWS resources so that the sync can place them, and the frontend finds its data by them.
 */

/** `spec.type` of a Resource that is a VPC endpoint service (the provider side). @public */
export const VPC_ENDPOINT_SERVICE_TYPE = 'vpc-endpoint-service';
/** `spec.type` of a Resource that is an interface or gateway VPC endpoint (the consumer side). @public */
export const VPC_ENDPOINT_TYPE = 'vpc-endpoint';

/** Annotation keys. The two `amazonaws.com/` keys are those of Backstage's own AWS catalog module. @public */
export const ANNOTATIONS = {
  /** ARN of the endpoint service or the endpoint. */
  arn: 'amazonaws.com/arn',
  /** 12-digit account that owns the AWS resource. */
  accountId: 'amazonaws.com/account-id',
  /** AWS region of the resource. */
  region: 'amazonaws.com/region',
  /**
   * Endpoint service id (`vpce-svc-…`). On a vpc-endpoint-service Resource it names itself; on a Component it
   * says which endpoint service the component is exposed through, so that its entity page can show the card.
   */
  serviceId: 'privatelink.io/service-id',
  /**
   * On a Component: entity ref of the vpc-endpoint-service Resource it is exposed through, for catalog files
   * written before the service id is known (the sync names the Resource from the service's `backstage:name` tag).
   */
  endpointService: 'privatelink.io/endpoint-service',
  /** Endpoint service name (`com.amazonaws.vpce.<region>.vpce-svc-…`) that consumers connect to. */
  serviceName: 'privatelink.io/service-name',
  /** Private DNS name of the endpoint service, when it has one. */
  privateDnsName: 'privatelink.io/private-dns-name',
  /** Verification state of the private DNS name: pendingVerification, verified or failed. */
  privateDnsState: 'privatelink.io/private-dns-state',
  /** 'true' when the service owner must accept each connection. */
  acceptanceRequired: 'privatelink.io/acceptance-required',
  /** Comma-separated ARNs of the Network (or Gateway) Load Balancers behind the service. */
  loadBalancerArns: 'privatelink.io/load-balancer-arns',
  /** Endpoint id (`vpce-…`) of a consumer endpoint. */
  endpointId: 'privatelink.io/endpoint-id',
  /** Normalised state of the service or the endpoint (see {@link ENDPOINT_STATES}). */
  state: 'privatelink.io/state',
  /** Comma-separated DNS names of the endpoint service or the endpoint. */
  dnsNames: 'privatelink.io/dns-names',
  /** VPC of a consumer endpoint. */
  vpcId: 'privatelink.io/vpc-id',
  /** Interface, Gateway or GatewayLoadBalancer. */
  endpointType: 'privatelink.io/endpoint-type',
  /** 'true' when a consumer endpoint has private DNS enabled. */
  privateDnsEnabled: 'privatelink.io/private-dns-enabled',
  /** Comma-separated principals allowed on an endpoint service. */
  allowedPrincipals: 'privatelink.io/allowed-principals',
  /** Comma-separated regions an endpoint service can be reached from (cross-region PrivateLink). */
  supportedRegions: 'privatelink.io/supported-regions',
  /** ISO time the endpoint was created. */
  createdAt: 'privatelink.io/created-at',
  /** Set when the account or region could not be read: ISO time of the last good read. */
  staleSince: 'privatelink.io/stale-since',
  /**
   * Set when the owner tag named an owner that the account does not permit (`privatelink.accounts[].owners`):
   * the entity is owned by the account's owner instead, and this says why.
   */
  ownerWarning: 'privatelink.io/owner-warning',
  /** Comma-separated IP address types consumers may connect to the endpoint service over: `ipv4`, `ipv6`. */
  supportedIpAddressTypes: 'privatelink.io/supported-ip-address-types',
  /**
   * Set when the owners announced the service's forced retirement to its consumers: ISO time of the announcement
   * (from the service's tag `privatelink:retirement-announced`, which the write path sets).
   */
  retirementAnnounced: 'privatelink.io/retirement-announced',
} as const;

/**
 * The AWS tag on an endpoint service holding when its forced retirement was announced (ISO 8601), set by the write
 * path during a retirement grace period.
 * @public
 */
export const RETIREMENT_ANNOUNCED_TAG = 'privatelink:retirement-announced';

/** Endpoint and connection states, normalised from the lowerCamel values EC2 sends. @public */
export const ENDPOINT_STATES = [
  'pendingAcceptance',
  'pending',
  'available',
  'deleting',
  'deleted',
  'rejected',
  'failed',
  'expired',
  'partial',
] as const;

/** A normalised endpoint or connection state. @public */
export type EndpointState = (typeof ENDPOINT_STATES)[number] | 'unknown';

/**
 * Turns the state EC2 sends (`pendingAcceptance`, `PendingAcceptance`, `pending-acceptance`) into the one
 * spelling the plugins use. Unknown values become `unknown` rather than passing through unchecked.
 * @public
 */
export function normalizeEndpointState(raw: string | undefined | null): EndpointState {
  if (!raw) return 'unknown';
  const compact = raw.replace(/[-_\s]/g, '').toLowerCase();
  return ENDPOINT_STATES.find(s => s.toLowerCase() === compact) ?? 'unknown';
}

/** Default AWS tag keys that place a resource in the catalog; each is configurable. @public */
export const DEFAULT_TAG_KEYS = {
  owner: 'backstage:owner',
  system: 'backstage:system',
  component: 'backstage:component',
  name: 'backstage:name',
} as const;


/**
 * How list-valued annotations (DNS names, load balancer ARNs, allowed principals, regions) are written: joined by
 * commas, which none of their values can contain. The sync writes them with this, the API reads them with
 * {@link decodeAnnotationList}.
 * @public
 */
export function encodeAnnotationList(values: readonly string[]): string {
  return values.join(',');
}

/** Reads a list-valued annotation written by {@link encodeAnnotationList}; absent or empty is an empty list. @public */
export function decodeAnnotationList(value: string | undefined): string[] {
  return value ? value.split(',').map(v => v.trim()).filter(Boolean) : [];
}

/**
 * An entity ref in full (`group:default/orders` for `orders` with `defaultKind: 'group'`), or undefined when the
 * value is absent or no entity ref. The one place where PrivateLink normalises the refs it reads from tags,
 * configuration and input, so that two spellings of one owner compare equal.
 * @public
 */
export function toFullEntityRef(value: unknown, defaultKind: string): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  try {
    return stringifyEntityRef(parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }));
  } catch {
    return undefined;
  }
}

/**
 * Whether an entity was emitted by the PrivateLink sync for the account and region it names: its
 * `backstage.io/managed-by-location` is the sync's own location for them, which the catalog never lets an entity
 * read from a file or URL carry.
 * @public
 */
export function isSyncedEntity(entity: { metadata: { annotations?: Record<string, string> } }): boolean {
  const a = entity.metadata.annotations ?? {};
  const accountId = a[ANNOTATIONS.accountId];
  const region = a[ANNOTATIONS.region];
  return Boolean(accountId && region) && a[ANNOTATION_LOCATION] === privatelinkLocationRef({ accountId, region });
}
