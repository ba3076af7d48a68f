// Entity names: making a catalog-safe name, the name a service asks for, and which service gets it (a name that
// more than one service asks for goes to none: each gets its service id).
import { AccountRegionSnapshot, EndpointServiceRecord } from '../aws/types';
import { EntityConfig } from './common';

const ENTITY_NAME_MAX = 63;

/** Makes a catalog-safe entity name: [a-z0-9] separated by - _ or ., at most 63 characters. */
export function toEntityName(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, ENTITY_NAME_MAX)
    .replace(/[^a-z0-9]+$/g, '');
}

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
 * The entity name of each service of the snapshots: the name `given` returns for its service name, when given
 * (the snapshots are a part of the whole, whose names were chosen among every service); else its name tag when
 * no other service of the snapshots asks for the same name, else its service id. Never two entities with one name.
 */
export function serviceEntityNames(
  snapshots: AccountRegionSnapshot[],
  config: Pick<EntityConfig, 'tagKeys'>,
  given?: (serviceName: string) => string | undefined,
): (service: EndpointServiceRecord) => string {
  // A part cannot count the names of the whole: with `given`, nothing is counted.
  const counts = given ? undefined : wantedNameCounts(snapshots, config);
  return service => {
    const name = given?.(service.serviceName);
    if (name) return name;
    const wanted = wantedServiceName(service, config);
    return (counts?.get(wanted) ?? 1) > 1 ? service.serviceId : wanted;
  };
}
