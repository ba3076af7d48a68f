// Filling in allowed principals afterwards: entities built before the services' permissions were read become,
// in place, the entities built with them.
import { Entity } from '@backstage/catalog-model';
import { ANNOTATIONS, VPC_ENDPOINT_SERVICE_TYPE, encodeAnnotationList } from '@privatelink-backstage/plugin-privatelink-common';
import { AccountRegionSnapshot } from '../aws/types';
import { servicesInOrder } from './common';

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
