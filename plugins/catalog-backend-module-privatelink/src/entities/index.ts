// The catalog entities of the sync: buildEntities wires placement (placement.ts), entity names (names.ts) and
// consumer matching (consumers.ts) into the two entity builders (serviceEntity.ts, endpointEntity.ts).
import { Entity } from '@backstage/catalog-model';
import { AccountRegionSnapshot } from '../aws/types';
import { EntityConfig, servicesInOrder, staleSinceOf } from './common';
import { matchConsumers } from './consumers';
import { endpointEntity } from './endpointEntity';
import { serviceEntityNames } from './names';
import { createPlacement } from './placement';
import { serviceEntity } from './serviceEntity';

export type { EntityConfig } from './common';
export { locationOf } from './common';
export { toEntityName, wantedServiceName, wantedNameCounts } from './names';
export { snapshotsOfService } from './consumers';
export { fillAllowedPrincipals } from './principals';

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
  const placement = createPlacement(config);
  const staleSince = staleSinceOf(snapshots);
  const entityNameOf = serviceEntityNames(snapshots, config, options?.serviceEntityName);
  const consumers = matchConsumers(snapshots);

  // Each service in id order, followed by its consumers in endpoint id order.
  const entities: Entity[] = [];
  for (const service of servicesInOrder(snapshots)) {
    const name = entityNameOf(service);
    const ofService = consumers.consumersOf(service);
    entities.push(serviceEntity(service, name, placement, staleSince));
    const serviceRef = `resource:default/${name}`;
    for (const consumer of ofService) entities.push(endpointEntity(consumer, serviceRef, name, placement, staleSince));
  }
  // Then the endpoints to services no configured account provides (AWS services, other organisations' services).
  for (const consumer of consumers.unmatched()) {
    entities.push(endpointEntity(consumer, undefined, consumer.endpoint.serviceName, placement, staleSince));
  }
  return entities;
}
