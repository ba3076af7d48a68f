import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_VIEW_URL,
  Entity,
  parseEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATIONS,
  RETIREMENT_ANNOUNCED_TAG,
  VPC_ENDPOINT_SERVICE_TYPE,
  VPC_ENDPOINT_TYPE,
  EndpointState,
  encodeAnnotationList,
  toFullEntityRef,
  privatelinkLocationRef,
} from '@privatelink-backstage/plugin-privatelink-common';
import { PrivateLinkConfig } from '@privatelink-backstage/plugin-privatelink-node';
import { AccountRegionSnapshot, EndpointRecord, EndpointServiceRecord } from './aws/types';

/**
 * The parts of the config that decide names, owners and systems.
 *
 * Not a stable API: for this repository's benchmarks and tests.
 *
 * @public
 */
export type EntityConfig = Pick<PrivateLinkConfig, 'accounts' | 'defaultOwner' | 'tagKeys'>;

/** A consumer of a service: a connection seen by the provider, an endpoint seen in the consumer's account, or both. */
interface Consumer {
  endpointId: string;
  accountId?: string;
  region: string;
  state: EndpointState;
  createdAt?: string;
  dnsNames: string[];
  endpoint?: EndpointRecord;
}

const ENTITY_NAME_MAX = 63;

/**
 * The `backstage.io/managed-by-location` of everything read in one account and region. The provider finds an
 * unreadable account's last entities by it, and the write path trusts only entities that carry it.
 */
export const locationOf = privatelinkLocationRef;

/** Makes a catalog-safe entity name: [a-z0-9] separated by - _ or ., at most 63 characters. */
export function toEntityName(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, ENTITY_NAME_MAX)
    .replace(/[^a-z0-9]+$/g, '');
}

const LABEL_PREFIX = 'aws-tag.privatelink.io/';

/** AWS tags as labels, except the ones that place the resource (owner, system, …) and AWS's own `aws:` tags. */
function labelsFromTags(tags: Record<string, string>, placing: Set<string>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) {
    if (placing.has(key) || key.startsWith('aws:') || key === 'Name') continue;
    const name = toEntityName(key);
    const v = value
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '')
      .slice(0, 63)
      .replace(/[^A-Za-z0-9]+$/g, '');
    if (name && v) labels[`${LABEL_PREFIX}${name}`] = v;
  }
  return labels;
}

/** The announced retirement's time from the service's tag, as ISO 8601; undefined when unset or not a time. */
function announcedAt(tags: Record<string, string>): string | undefined {
  const at = Date.parse(tags[RETIREMENT_ANNOUNCED_TAG] ?? '');
  return Number.isNaN(at) ? undefined : new Date(at).toISOString();
}

function consoleUrl(region: string, fragment: string) {
  return `https://${region}.console.aws.amazon.com/vpcconsole/home?region=${region}#${fragment}`;
}

/** Every service of the snapshots, in the order buildEntities emits their entities. */
const servicesInOrder = (snapshots: AccountRegionSnapshot[]) =>
  snapshots.flatMap(s => s.services).sort((a, b) => a.serviceId.localeCompare(b.serviceId));

/** The entity name a service asks for: its name tag as an entity name, else its service id. */
export function wantedServiceName(service: EndpointServiceRecord, config: Pick<EntityConfig, 'tagKeys'>): string {
  return toEntityName(service.tags[config.tagKeys.name] ?? '') || service.serviceId;
}

/**
 * How many services ask for each entity name ({@link wantedServiceName}): a name asked for by more than one is
 * given to none of them (each gets its service id).
 */
export function wantedNameCounts(snapshots: AccountRegionSnapshot[], config: Pick<EntityConfig, 'tagKeys'>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of snapshots) {
    for (const service of s.services) {
      const wanted = wantedServiceName(service, config);
      counts.set(wanted, (counts.get(wanted) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * The snapshots cut down to one service: in each, only that service and the endpoints that connect to it. With
 * the services' entity names of the whole set ({@link buildEntities}' `serviceEntityName`), buildEntities makes
 * from them exactly that service's entities of a full build (its own and its consumers'), in the time one
 * service takes.
 */
export function snapshotsOfService(snapshots: AccountRegionSnapshot[], serviceName: string): AccountRegionSnapshot[] {
  return snapshots.map(s => ({
    ...s,
    services: s.services.filter(x => x.serviceName === serviceName),
    endpoints: s.endpoints.filter(e => e.serviceName === serviceName),
  }));
}

/**
 * Turns what buildEntities returned for snapshots whose services had no allowed principals yet into what it
 * returns for `snapshots`, equal to them but for those principals: sets the allowed-principals annotation of
 * each service entity, in place. Returns false, having changed nothing, when the entities do not line up with
 * the snapshots' services (they were built from other snapshots): the caller then builds them anew.
 */
export function fillAllowedPrincipals(entities: Entity[], snapshots: AccountRegionSnapshot[]): boolean {
  const services = servicesInOrder(snapshots);
  const serviceEntities = entities.filter(e => e.spec?.type === VPC_ENDPOINT_SERVICE_TYPE);
  if (
    serviceEntities.length !== services.length ||
    serviceEntities.some((e, i) => e.metadata.annotations?.[ANNOTATIONS.serviceId] !== services[i].serviceId)
  ) {
    return false;
  }
  serviceEntities.forEach((e, i) => {
    e.metadata.annotations![ANNOTATIONS.allowedPrincipals] = encodeAnnotationList([...services[i].allowedPrincipals].sort());
  });
  return true;
}

/**
 * Builds the entities for every snapshot: deterministic, so that equal input gives equal entities.
 *
 * Not a stable API: for this repository's benchmarks and tests.
 *
 * @public
 */
export function buildEntities(
  snapshots: AccountRegionSnapshot[],
  config: EntityConfig,
  options?: {
    /**
     * The entity name of a service by its service name, when the snapshots are a part of the whole
     * (the snapshots of one service): names are chosen among every service, so a part cannot choose them.
     */
    serviceEntityName?: (serviceName: string) => string | undefined;
  },
): Entity[] {
  const accounts = new Map(config.accounts.map(a => [a.accountId, a]));
  // Tags that place the entity or that the write path keeps are not labels.
  const placing = new Set([...Object.values(config.tagKeys), RETIREMENT_ANNOUNCED_TAG]);

  const refOr = toFullEntityRef;
  // The configured fallbacks are parsed once, not once per entity.
  const defaultOwner = refOr(config.defaultOwner, 'group')!;
  const accountOwner = new Map(config.accounts.map(a => [a.accountId, refOr(a.owner, 'group')]));
  const accountSystem = new Map(config.accounts.map(a => [a.accountId, refOr(a.system, 'system')]));
  // The owners a tag in each account may name (accounts[].owners); unset: any tag is taken as written.
  const permitted = new Map(
    config.accounts
      .filter(a => a.owners)
      .map(a => [a.accountId, new Set([a.owner, ...a.owners!].map(o => refOr(o, 'group')).filter(Boolean))]),
  );
  const fallbackOwner = (accountId?: string) => (accountId ? accountOwner.get(accountId) : undefined) ?? defaultOwner;
  /** The owner and, when a tag named one the account does not permit, the warning the entity carries. */
  const ownerOf = (tags: Record<string, string>, accountId?: string): { owner: string; warning?: string } => {
    const tagged = refOr(tags[config.tagKeys.owner], 'group');
    if (!tagged) return { owner: fallbackOwner(accountId) };
    const allowed = accountId ? permitted.get(accountId) : undefined;
    if (allowed && !allowed.has(tagged)) {
      const owner = fallbackOwner(accountId);
      return {
        owner,
        warning: `The ${config.tagKeys.owner} tag names ${tagged}, which account ${accountId} does not permit (privatelink.accounts[].owners); owned by ${owner} instead`,
      };
    }
    return { owner: tagged };
  };
  const systemOf = (tags: Record<string, string>, accountId?: string) =>
    refOr(tags[config.tagKeys.system], 'system') ?? (accountId ? accountSystem.get(accountId) : undefined);
  const componentOf = (tags: Record<string, string>) => refOr(tags[config.tagKeys.component], 'component');
  const accountLabel = (accountId?: string) => {
    const name = accountId ? accounts.get(accountId)?.name : undefined;
    return accountId ? `${accountId}${name ? ` (${name})` : ''}` : 'an unknown account';
  };

  const staleOf = new Map<string, string>();
  for (const s of snapshots) if (s.staleSince) staleOf.set(`${s.accountId}/${s.region}`, s.readAt);
  const location = (accountId: string, region: string) => locationOf({ accountId, region });

  // Service entity names: the name tag when unique, else the service id (never two entities with one name).
  const services = servicesInOrder(snapshots);
  const counts = options?.serviceEntityName ? undefined : wantedNameCounts(snapshots, config);
  const entityNameOf = (service: EndpointServiceRecord) => {
    const given = options?.serviceEntityName?.(service.serviceName);
    if (given) return given;
    const wanted = wantedServiceName(service, config);
    return (counts?.get(wanted) ?? 1) > 1 ? service.serviceId : wanted;
  };

  const endpoints = new Map<string, EndpointRecord>();
  for (const s of snapshots) for (const e of s.endpoints) endpoints.set(e.endpointId, e);
  // Grouped once, so that matching consumers to services costs endpoints + services, not their product.
  const endpointsByService = new Map<string, EndpointRecord[]>();
  for (const e of endpoints.values()) {
    const group = endpointsByService.get(e.serviceName);
    if (group) group.push(e);
    else endpointsByService.set(e.serviceName, [e]);
  }

  const entities: Entity[] = [];
  const emittedEndpoints = new Set<string>();

  for (const service of services) {
    const name = entityNameOf(service);
    const consumers = new Map<string, Consumer>();
    for (const c of service.connections ?? []) {
      consumers.set(c.endpointId, {
        endpointId: c.endpointId,
        accountId: c.ownerAccountId,
        region: service.region,
        state: c.state,
        createdAt: c.createdAt,
        dnsNames: c.dnsNames,
        endpoint: endpoints.get(c.endpointId),
      });
    }
    for (const e of endpointsByService.get(service.serviceName) ?? []) {
      if (consumers.has(e.endpointId)) continue;
      consumers.set(e.endpointId, {
        endpointId: e.endpointId,
        accountId: e.accountId,
        region: e.region,
        state: e.state,
        createdAt: e.createdAt,
        dnsNames: e.dnsNames,
        endpoint: e,
      });
    }

    const stale = staleOf.get(`${service.accountId}/${service.region}`);
    const owner = ownerOf(service.tags, service.accountId);
    const component = componentOf(service.tags);
    const system = systemOf(service.tags, service.accountId);
    const serviceRef = `resource:default/${name}`;
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name,
        title: service.tags.Name || name,
        description: `AWS PrivateLink endpoint service ${service.serviceId} in ${accountLabel(service.accountId)}, ${service.region}`,
        labels: labelsFromTags(service.tags, placing),
        tags: ['aws', 'privatelink'],
        annotations: {
          [ANNOTATION_LOCATION]: location(service.accountId, service.region),
          [ANNOTATION_ORIGIN_LOCATION]: location(service.accountId, service.region),
          [ANNOTATION_VIEW_URL]: consoleUrl(service.region, `EndpointServiceDetails:endpointServiceId=${service.serviceId}`),
          [ANNOTATIONS.arn]: `arn:aws:ec2:${service.region}:${service.accountId}:vpc-endpoint-service/${service.serviceId}`,
          [ANNOTATIONS.accountId]: service.accountId,
          [ANNOTATIONS.region]: service.region,
          [ANNOTATIONS.serviceId]: service.serviceId,
          [ANNOTATIONS.serviceName]: service.serviceName,
          [ANNOTATIONS.state]: service.state,
          [ANNOTATIONS.acceptanceRequired]: String(service.acceptanceRequired),
          [ANNOTATIONS.dnsNames]: encodeAnnotationList(service.baseEndpointDnsNames),
          [ANNOTATIONS.loadBalancerArns]: encodeAnnotationList(service.loadBalancerArns),
          [ANNOTATIONS.allowedPrincipals]: encodeAnnotationList([...service.allowedPrincipals].sort()),
          [ANNOTATIONS.supportedRegions]: encodeAnnotationList(service.supportedRegions),
          ...(service.privateDnsName ? { [ANNOTATIONS.privateDnsName]: service.privateDnsName } : {}),
          ...(service.privateDnsState ? { [ANNOTATIONS.privateDnsState]: service.privateDnsState } : {}),
          ...(stale ? { [ANNOTATIONS.staleSince]: stale } : {}),
          ...(owner.warning ? { [ANNOTATIONS.ownerWarning]: owner.warning } : {}),
          ...(service.supportedIpAddressTypes.length
            ? { [ANNOTATIONS.supportedIpAddressTypes]: encodeAnnotationList([...service.supportedIpAddressTypes].sort()) }
            : {}),
          ...(announcedAt(service.tags) ? { [ANNOTATIONS.retirementAnnounced]: announcedAt(service.tags) } : {}),
        },
      },
      spec: {
        type: VPC_ENDPOINT_SERVICE_TYPE,
        owner: owner.owner,
        ...(system ? { system } : {}),
        ...(component ? { dependencyOf: [component] } : {}),
      },
    });

    for (const consumer of [...consumers.values()].sort((a, b) => a.endpointId.localeCompare(b.endpointId))) {
      emittedEndpoints.add(consumer.endpointId);
      entities.push(endpointEntity(consumer, serviceRef, name));
    }
  }

  // Endpoints to services no configured account provides (AWS services, other organisations' services).
  for (const e of [...endpoints.values()].sort((a, b) => a.endpointId.localeCompare(b.endpointId))) {
    if (emittedEndpoints.has(e.endpointId)) continue;
    entities.push(
      endpointEntity(
        { endpointId: e.endpointId, accountId: e.accountId, region: e.region, state: e.state, createdAt: e.createdAt, dnsNames: e.dnsNames, endpoint: e },
        undefined,
        e.serviceName,
      ),
    );
  }
  return entities;

  function endpointEntity(consumer: Consumer, serviceRef: string | undefined, serviceLabel: string): Entity {
    const e = consumer.endpoint;
    const tags = e?.tags ?? {};
    const component = componentOf(tags);
    const system = systemOf(tags, consumer.accountId);
    // An endpoint is read in its own account when that account is configured; else only the provider saw it.
    const home = e ? `${e.accountId}/${e.region}` : `${consumer.accountId}/${consumer.region}`;
    const stale = staleOf.get(home);
    const loc = e ? location(e.accountId, e.region) : location(consumer.accountId ?? 'unknown', consumer.region);
    const who = component ? parseEntityRef(component).name : tags.Name || accountLabel(consumer.accountId);
    const owner = ownerOf(tags, consumer.accountId);
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: consumer.endpointId,
        title: `${who} → ${serviceLabel}`,
        description: `VPC endpoint ${consumer.endpointId} in ${accountLabel(consumer.accountId)}, ${consumer.region}, to ${e?.serviceName ?? serviceLabel}`,
        labels: labelsFromTags(tags, placing),
        tags: ['aws', 'privatelink'],
        annotations: {
          [ANNOTATION_LOCATION]: loc,
          [ANNOTATION_ORIGIN_LOCATION]: loc,
          [ANNOTATION_VIEW_URL]: consoleUrl(consumer.region, `EndpointDetails:vpcEndpointId=${consumer.endpointId}`),
          ...(consumer.accountId
            ? {
                [ANNOTATIONS.arn]: `arn:aws:ec2:${consumer.region}:${consumer.accountId}:vpc-endpoint/${consumer.endpointId}`,
                [ANNOTATIONS.accountId]: consumer.accountId,
              }
            : {}),
          [ANNOTATIONS.region]: consumer.region,
          [ANNOTATIONS.endpointId]: consumer.endpointId,
          [ANNOTATIONS.state]: consumer.state,
          [ANNOTATIONS.dnsNames]: encodeAnnotationList(consumer.dnsNames),
          ...(e ? { [ANNOTATIONS.serviceName]: e.serviceName } : {}),
          ...(e?.vpcId ? { [ANNOTATIONS.vpcId]: e.vpcId } : {}),
          ...(e?.endpointType ? { [ANNOTATIONS.endpointType]: e.endpointType } : {}),
          ...(e ? { [ANNOTATIONS.privateDnsEnabled]: String(e.privateDnsEnabled) } : {}),
          ...(consumer.createdAt ? { [ANNOTATIONS.createdAt]: consumer.createdAt } : {}),
          ...(stale ? { [ANNOTATIONS.staleSince]: stale } : {}),
          ...(owner.warning ? { [ANNOTATIONS.ownerWarning]: owner.warning } : {}),
        },
      },
      spec: {
        type: VPC_ENDPOINT_TYPE,
        owner: owner.owner,
        ...(system ? { system } : {}),
        ...(serviceRef ? { dependsOn: [serviceRef] } : {}),
        ...(component ? { dependencyOf: [component] } : {}),
      },
    };
  }
}
