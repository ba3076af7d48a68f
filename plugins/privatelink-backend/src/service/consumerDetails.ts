import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_DEPENDS_ON,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATIONS,
  decodeAnnotationList,
  isSyncedEntity,
  normalizeEndpointState,
  PrivateLinkConsumedService,
  PrivateLinkConsumerEndpoint,
  VPC_ENDPOINT_SERVICE_TYPE,
  VPC_ENDPOINT_TYPE,
} from '@privatelink-backstage/plugin-privatelink-common';

/** The fields of an endpoint and a service that the consumer card shows. */
const FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec',
  'relations',
];

/** A consumer entity (a component or a group) and its synced endpoints, with the services they connect to. */
export interface ConsumerEndpoints {
  consumer: Entity;
  endpoints: PrivateLinkConsumerEndpoint[];
}

/** What the consumer card reads of a component or group, from the synced catalog only. */
export interface ConsumerDetailsReader {
  /**
   * The consumer entity (a component or a group) and its synced endpoints, with the services they connect to, as
   * the caller may see them in the catalog.
   *
   * @throws `InputError` for a malformed ref or an entity of another kind; `NotFoundError` when the caller cannot
   *   see the entity.
   */
  getEndpoints(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<ConsumerEndpoints>;
}

/** Creates the {@link ConsumerDetailsReader} on the catalog, read with each caller's own credentials. */
export function createConsumerDetailsReader(
  catalog: CatalogService,
): ConsumerDetailsReader {
  return {
    async getEndpoints(entityRef, credentials) {
      let ref;
      try {
        ref = parseEntityRef(entityRef);
      } catch (e) {
        throw new InputError(
          `entityRef: '${entityRef}' is not an entity ref: ${
            (e as Error).message
          }`,
        );
      }
      const kind = ref.kind.toLocaleLowerCase('en-US');
      if (kind !== 'component' && kind !== 'group') {
        throw new InputError(
          `entityRef: ${stringifyEntityRef(ref)} is a ${
            ref.kind
          }; only components and groups consume services`,
        );
      }
      const consumer = await catalog.getEntityByRef(ref, { credentials });
      if (!consumer)
        throw new NotFoundError(`No entity ${stringifyEntityRef(ref)}`);
      const consumerRef = stringifyEntityRef(consumer);
      // The relation the sync's endpoint entities carry: dependencyOf their component, owned by their team.
      const relation =
        kind === 'component' ? 'relations.dependencyOf' : 'relations.ownedBy';
      const { items } = await catalog.getEntities(
        {
          filter: {
            kind: 'Resource',
            'spec.type': VPC_ENDPOINT_TYPE,
            [relation]: consumerRef,
          },
          fields: FIELDS,
        },
        { credentials },
      );
      // Only what the sync wrote: a registered file that names the component does not make it a consumer.
      const endpoints = items.filter(isSyncedEntity);
      const serviceRefs = [
        ...new Set(
          endpoints.map(serviceRefOf).filter((r): r is string => Boolean(r)),
        ),
      ];
      const services = new Map<string, Entity>();
      if (serviceRefs.length) {
        const { items: found } = await catalog.getEntitiesByRefs(
          { entityRefs: serviceRefs, fields: FIELDS },
          { credentials },
        );
        for (const s of found) {
          if (
            s &&
            isSyncedEntity(s) &&
            s.spec?.type === VPC_ENDPOINT_SERVICE_TYPE
          )
            services.set(stringifyEntityRef(s), s);
        }
      }
      const rows = endpoints.map(e =>
        toEndpoint(e, services.get(serviceRefOf(e) ?? '')),
      );
      rows.sort(
        (a, b) =>
          (a.service?.entityRef ?? '~').localeCompare(
            b.service?.entityRef ?? '~',
          ) || a.endpointId.localeCompare(b.endpointId),
      );
      return { consumer, endpoints: rows };
    },
  };
}

function serviceRefOf(endpoint: Entity): string | undefined {
  return endpoint.relations?.find(
    r => r.type === RELATION_DEPENDS_ON && r.targetRef.startsWith('resource:'),
  )?.targetRef;
}

function toService(s: Entity): PrivateLinkConsumedService {
  const a = s.metadata.annotations ?? {};
  return {
    entityRef: stringifyEntityRef(s),
    title: s.metadata.title,
    serviceName: a[ANNOTATIONS.serviceName],
    privateDnsName: a[ANNOTATIONS.privateDnsName],
    privateDnsState: a[ANNOTATIONS.privateDnsState],
    owner: s.spec?.owner as string | undefined,
  };
}

/**
 * One endpoint as the consumer card shows it, with the DNS name to use: the service's private DNS name when the
 * endpoint has private DNS enabled and the name is verified (the consumer's VPC then resolves it to the endpoint),
 * else the endpoint's first DNS name, the regional one EC2 lists first.
 */
function toEndpoint(
  e: Entity,
  serviceEntity: Entity | undefined,
): PrivateLinkConsumerEndpoint {
  const a = e.metadata.annotations ?? {};
  const dnsNames = decodeAnnotationList(a[ANNOTATIONS.dnsNames]);
  const service = serviceEntity ? toService(serviceEntity) : undefined;
  const privateDnsEnabled = a[ANNOTATIONS.privateDnsEnabled]
    ? a[ANNOTATIONS.privateDnsEnabled] === 'true'
    : undefined;
  const usePrivate = Boolean(
    privateDnsEnabled &&
      service?.privateDnsName &&
      service.privateDnsState === 'verified',
  );
  const dnsNameToUse = usePrivate ? service!.privateDnsName : dnsNames[0];
  return {
    entityRef: stringifyEntityRef(e),
    endpointId: a[ANNOTATIONS.endpointId] ?? e.metadata.name,
    accountId: a[ANNOTATIONS.accountId],
    region: a[ANNOTATIONS.region],
    state: normalizeEndpointState(a[ANNOTATIONS.state]),
    vpcId: a[ANNOTATIONS.vpcId],
    privateDnsEnabled,
    createdAt: a[ANNOTATIONS.createdAt],
    staleSince: a[ANNOTATIONS.staleSince],
    ...(dnsNameToUse
      ? {
          dnsNameToUse,
          dnsNameSource: usePrivate
            ? ('private-dns' as const)
            : ('endpoint' as const),
        }
      : {}),
    otherDnsNames: dnsNames.filter(n => n !== dnsNameToUse),
    ...(service ? { service } : {}),
  };
}
