import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef, RELATION_DEPENDENCY_OF, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATIONS,
  decodeAnnotationList,
  normalizeEndpointState,
  PrivateLinkConsumer,
  PrivateLinkServiceDetails,
  isSyncedEntity,
  RetirementAnnouncement,
  VPC_ENDPOINT_SERVICE_TYPE,
  VPC_ENDPOINT_TYPE,
} from '@privatelink-backstage/plugin-privatelink-common';

/** What {@link toConsumer} reads of a vpc-endpoint entity. */
const CONSUMER_FIELDS = ['kind', 'metadata.namespace', 'metadata.name', 'metadata.annotations', 'spec.owner', 'relations'];

const list = decodeAnnotationList;

/** Reads what the card shows from the synced catalog state, with the caller's credentials: never from AWS. */
export interface ServiceDetailsReader {
  /** The vpc-endpoint-service entity an entity refers to (itself, or the one a Component is exposed through). */
  resolveServiceEntity(entityRef: string, credentials: BackstageCredentials): Promise<Entity>;
  getDetails(entityRef: string, credentials: BackstageCredentials): Promise<PrivateLinkServiceDetails>;
}

/**
 * Creates the {@link ServiceDetailsReader}; `gracePeriodMs` (`privatelink.retirement.gracePeriod`) dates an announced
 * retirement.
 */
export function createServiceDetailsReader(catalog: CatalogService, options: { gracePeriodMs?: number } = {}): ServiceDetailsReader {
  async function load(ref: string, credentials: BackstageCredentials): Promise<Entity> {
    let parsed;
    try {
      parsed = parseEntityRef(ref);
    } catch (e) {
      throw new InputError(`'${ref}' is not an entity ref: ${(e as Error).message}`);
    }
    // The catalog applies its read permission for the caller: an entity they may not see is "not found".
    const entity = await catalog.getEntityByRef(parsed, { credentials });
    if (!entity) throw new NotFoundError(`No entity ${stringifyEntityRef(parsed)}`);
    return entity;
  }

  const isService = (e: Entity) => e.kind.toLowerCase() === 'resource' && e.spec?.type === VPC_ENDPOINT_SERVICE_TYPE;

  async function resolveServiceEntity(entityRef: string, credentials: BackstageCredentials): Promise<Entity> {
    const entity = await load(entityRef, credentials);
    if (isService(entity)) return entity;
    const annotations = entity.metadata.annotations ?? {};
    const pointer = annotations[ANNOTATIONS.endpointService];
    if (pointer) {
      const service = await load(pointer, credentials);
      if (isService(service)) return service;
    }
    const serviceId = annotations[ANNOTATIONS.serviceId];
    if (serviceId) {
      const { items } = await catalog.getEntities(
        { filter: { kind: 'Resource', 'spec.type': VPC_ENDPOINT_SERVICE_TYPE, [`metadata.annotations.${ANNOTATIONS.serviceId}`]: serviceId } },
        { credentials },
      );
      // Never "the first match": only the sync's own entities qualify, and only one may.
      const synced = items.filter(isSyncedEntity);
      if (synced.length === 1) return synced[0];
    }
    throw new NotFoundError(`${stringifyEntityRef(entity)} is not exposed through an endpoint service known to the catalog`);
  }

  return {
    resolveServiceEntity,
    async getDetails(entityRef, credentials) {
      const service = await resolveServiceEntity(entityRef, credentials);
      const serviceRef = stringifyEntityRef(service);
      // One query for every consumer, filtered on the relation the sync emits, with only the fields the card
      // shows: about half of each entity (no labels, tags, links, spec) to serialise, send and parse.
      const { items } = await catalog.getEntities(
        {
          filter: { kind: 'Resource', 'spec.type': VPC_ENDPOINT_TYPE, 'relations.dependsOn': serviceRef },
          fields: CONSUMER_FIELDS,
        },
        { credentials },
      );
      const a = service.metadata.annotations ?? {};
      const consumers = items.map(toConsumer).sort((x, y) => x.endpointId.localeCompare(y.endpointId));
      const counts: PrivateLinkServiceDetails['counts'] = {};
      for (const c of consumers) counts[c.state] = (counts[c.state] ?? 0) + 1;
      return {
        entityRef: serviceRef,
        title: service.metadata.title,
        owner: service.spec?.owner as string | undefined,
        system: service.spec?.system as string | undefined,
        component: exposedComponent(service),
        serviceId: a[ANNOTATIONS.serviceId],
        serviceName: a[ANNOTATIONS.serviceName],
        accountId: a[ANNOTATIONS.accountId],
        region: a[ANNOTATIONS.region],
        state: a[ANNOTATIONS.state] ?? 'unknown',
        acceptanceRequired: a[ANNOTATIONS.acceptanceRequired] === 'true',
        privateDnsName: a[ANNOTATIONS.privateDnsName],
        privateDnsState: a[ANNOTATIONS.privateDnsState],
        dnsNames: list(a[ANNOTATIONS.dnsNames]),
        loadBalancerArns: list(a[ANNOTATIONS.loadBalancerArns]),
        supportedRegions: list(a[ANNOTATIONS.supportedRegions]),
        supportedIpAddressTypes: list(a[ANNOTATIONS.supportedIpAddressTypes]),
        ...retirementOf(a[ANNOTATIONS.retirementAnnounced], options.gracePeriodMs ?? 0),
        allowedPrincipals: list(a[ANNOTATIONS.allowedPrincipals]),
        staleSince: a[ANNOTATIONS.staleSince],
        consumers,
        counts,
      };
    },
  };
}

/** The component a service entity exposes (its `spec.dependencyOf` component, as the sync writes it). */
function exposedComponent(service: Entity): string | undefined {
  const of = service.spec?.dependencyOf;
  const refs = Array.isArray(of) ? of : [of];
  return refs.find((r): r is string => typeof r === 'string' && r.startsWith('component:'));
}

/** The announced retirement of a service, from its annotation and the configured grace period. */
function retirementOf(announced: string | undefined, gracePeriodMs: number): { retirement?: RetirementAnnouncement } {
  const at = Date.parse(announced ?? '');
  if (Number.isNaN(at)) return {};
  return { retirement: { announcedAt: new Date(at).toISOString(), retireAfter: new Date(at + gracePeriodMs).toISOString() } };
}

function toConsumer(e: Entity): PrivateLinkConsumer {
  const a = e.metadata.annotations ?? {};
  const component = e.relations?.find(r => r.type === RELATION_DEPENDENCY_OF && r.targetRef.startsWith('component:'))?.targetRef;
  return {
    entityRef: stringifyEntityRef(e),
    endpointId: a[ANNOTATIONS.endpointId] ?? e.metadata.name,
    accountId: a[ANNOTATIONS.accountId],
    region: a[ANNOTATIONS.region],
    state: normalizeEndpointState(a[ANNOTATIONS.state]),
    owner: e.spec?.owner as string | undefined,
    component,
    createdAt: a[ANNOTATIONS.createdAt],
    dnsNames: list(a[ANNOTATIONS.dnsNames]),
    vpcId: a[ANNOTATIONS.vpcId],
    privateDnsEnabled: a[ANNOTATIONS.privateDnsEnabled] ? a[ANNOTATIONS.privateDnsEnabled] === 'true' : undefined,
    staleSince: a[ANNOTATIONS.staleSince],
  };
}
