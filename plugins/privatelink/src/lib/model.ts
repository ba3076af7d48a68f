import {
  Entity,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_PART_OF,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATIONS,
  EndpointState,
  VPC_ENDPOINT_SERVICE_TYPE,
} from '@privatelink-backstage/plugin-privatelink-common';

/** What the page reads from a vpc-endpoint-service Resource. */
export interface EndpointServiceInfo {
  serviceName?: string;
  privateDnsName?: string;
  /** Raw verification state of the private DNS name, as the sync wrote it. */
  privateDnsState?: string;
  /** Undefined when the annotation is missing or unreadable. */
  acceptanceRequired?: boolean;
}

/** The catalog filter that selects every vpc-endpoint-service Resource. */
export const ENDPOINT_SERVICE_FILTER = {
  kind: 'Resource',
  'spec.type': VPC_ENDPOINT_SERVICE_TYPE,
};

function annotation(entity: Entity, key: string): string | undefined {
  const value = entity.metadata.annotations?.[key];
  return value && value.trim() ? value.trim() : undefined;
}

function parseBoolean(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const lower = value.toLocaleLowerCase('en-US');
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return undefined;
}

function kindIs(entity: Entity, kind: string): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === kind.toLocaleLowerCase('en-US')
  );
}

/** True for a Resource whose spec.type is vpc-endpoint-service. */
export function isEndpointServiceEntity(entity: Entity): boolean {
  return (
    kindIs(entity, 'Resource') &&
    entity.spec?.type === VPC_ENDPOINT_SERVICE_TYPE
  );
}

/** The endpoint service id an entity points at (`privatelink.io/service-id`). */
export function getServiceId(entity: Entity): string | undefined {
  return annotation(entity, ANNOTATIONS.serviceId);
}

/**
 * The vpc-endpoint-service Resource an entity names with `privatelink.io/endpoint-service` (an entity ref,
 * kind defaulting to Resource), or undefined when the annotation is missing or not a valid ref.
 */
export function getEndpointServiceRef(entity: Entity): string | undefined {
  const value = annotation(entity, ANNOTATIONS.endpointService);
  if (!value) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(value, {
        defaultKind: 'resource',
        defaultNamespace: entity.metadata.namespace,
      }),
    );
  } catch {
    return undefined;
  }
}

/** Reads the endpoint service annotations of a vpc-endpoint-service Resource. */
export function readEndpointService(entity: Entity): EndpointServiceInfo {
  return {
    serviceName: annotation(entity, ANNOTATIONS.serviceName),
    privateDnsName: annotation(entity, ANNOTATIONS.privateDnsName),
    privateDnsState: annotation(entity, ANNOTATIONS.privateDnsState),
    acceptanceRequired: parseBoolean(
      annotation(entity, ANNOTATIONS.acceptanceRequired),
    ),
  };
}

/** The owner ref of an entity: the ownedBy relation, else spec.owner. */
export function getOwnerRef(entity: Entity): string | undefined {
  const relation = entity.relations?.find(r => r.type === RELATION_OWNED_BY);
  if (relation) return relation.targetRef;
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace,
      }),
    );
  } catch {
    return undefined;
  }
}

/** The system ref of an entity: the partOf relation to a system, else spec.system. */
export function getSystemRef(entity: Entity): string | undefined {
  const relation = entity.relations?.find(
    r => r.type === RELATION_PART_OF && r.targetRef.startsWith('system:'),
  );
  if (relation) return relation.targetRef;
  const system = entity.spec?.system;
  if (typeof system !== 'string' || !system) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(system, {
        defaultKind: 'system',
        defaultNamespace: entity.metadata.namespace,
      }),
    );
  } catch {
    return undefined;
  }
}

/**
 * Refs of the Resources that depend on the service (its dependencyOf relations). Consumer endpoints are
 * Resources whose spec.dependsOn names the service, so the catalog gives the service one such relation each.
 */
export function getDependentResourceRefs(service: Entity): string[] {
  const refs = (service.relations ?? [])
    .filter(r => r.type === RELATION_DEPENDENCY_OF)
    .map(r => r.targetRef)
    .filter(ref => ref.toLocaleLowerCase('en-US').startsWith('resource:'));
  return Array.from(new Set(refs));
}

/**
 * True for the ref of a consumer endpoint's Resource as the sync names it, by its VPC endpoint id
 * (`resource:default/vpce-0123456789abcdef0`). A service named by its service id (`vpce-svc-…`, when two
 * services want the same name) is not one.
 */
export function isEndpointResourceRef(ref: string): boolean {
  let kind: string;
  let name: string;
  try {
    ({ kind, name } = parseEntityRef(ref));
  } catch {
    return false;
  }
  const lower = name.toLocaleLowerCase('en-US');
  return (
    kind.toLocaleLowerCase('en-US') === 'resource' &&
    lower.startsWith('vpce-') &&
    !lower.startsWith('vpce-svc-')
  );
}

/**
 * The component a vpc-endpoint-service Resource exposes, as the sync writes it from the service's component tag:
 * the first component ref in `spec.dependencyOf` (as a full ref), or `null` when it names none. Relations are not
 * read: components that depend on the service give it `dependencyOf` relations too.
 */
export function getExposedComponentRef(entity: Entity): string | null {
  const raw = entity.spec?.dependencyOf;
  const refs = (Array.isArray(raw) ? raw : [raw]).filter(
    (r): r is string => typeof r === 'string' && r.length > 0,
  );
  for (const ref of refs) {
    try {
      const parsed = parseEntityRef(ref, {
        defaultNamespace: entity.metadata.namespace,
      });
      if (parsed.kind.toLocaleLowerCase('en-US') === 'component') {
        return stringifyEntityRef(parsed);
      }
    } catch {
      // Not a ref with a kind: not a component the sync wrote.
    }
  }
  return null;
}

/**
 * Whether an entity reaches services privately, from its relations alone: a Component that depends on a
 * consumer endpoint's Resource (the sync writes `spec.dependencyOf` on the endpoints it finds tagged with the
 * component), or a Group that owns one.
 */
export function hasConsumerEndpoints(entity: Entity): boolean {
  let relation: string;
  if (kindIs(entity, 'Component')) relation = RELATION_DEPENDS_ON;
  else if (kindIs(entity, 'Group')) relation = RELATION_OWNER_OF;
  else return false;
  return (entity.relations ?? []).some(
    r => r.type === relation && isEndpointResourceRef(r.targetRef),
  );
}

/**
 * Counts per state, most frequent first, then by name. The backend gives them as a record; the UI lists them.
 */
export function sortCounts(
  counts: Partial<Record<EndpointState, number>>,
): Array<{ state: EndpointState; count: number }> {
  return (Object.entries(counts) as Array<[EndpointState, number]>)
    .filter(([, count]) => count > 0)
    .map(([state, count]) => ({ state, count }))
    .sort((a, b) => b.count - a.count || a.state.localeCompare(b.state));
}

const STATE_LABELS: Record<EndpointState, string> = {
  pendingAcceptance: 'Pending acceptance',
  pending: 'Pending',
  available: 'Available',
  deleting: 'Deleting',
  deleted: 'Deleted',
  rejected: 'Rejected',
  failed: 'Failed',
  expired: 'Expired',
  partial: 'Partial',
  unknown: 'Unknown',
};

/** Human-readable label of a normalised state. */
export function stateLabel(state: EndpointState): string {
  return STATE_LABELS[state] ?? state;
}

/** How a state should look: good, in progress, bad, or neutral. */
export function stateSeverity(
  state: EndpointState,
): 'ok' | 'pending' | 'error' | 'neutral' {
  switch (state) {
    case 'available':
      return 'ok';
    case 'pending':
    case 'pendingAcceptance':
    case 'deleting':
    case 'partial':
      return 'pending';
    case 'rejected':
    case 'failed':
    case 'expired':
      return 'error';
    default:
      return 'neutral';
  }
}

/** Human-readable label of a private DNS verification state. */
export function privateDnsStateLabel(raw: string | undefined): string {
  if (!raw) return 'Unknown';
  const compact = raw.replace(/[-_\s]/g, '').toLocaleLowerCase('en-US');
  if (compact === 'verified') return 'Verified';
  if (compact === 'pendingverification') return 'Pending verification';
  if (compact === 'failed') return 'Verification failed';
  return raw;
}

/** True when the private DNS verification state says verified (in any spelling). */
export function isPrivateDnsVerified(raw: string | undefined): boolean {
  return privateDnsStateLabel(raw) === 'Verified';
}
