import { Entity } from '@backstage/catalog-model';
import {
  getEndpointServiceRef,
  getServiceId,
  isEndpointServiceEntity,
} from './lib/model';

/**
 * Whether the PrivateLink card and tab apply to an entity: true for a Resource of spec.type
 * `vpc-endpoint-service`, and for any entity that names an endpoint service, with the
 * `privatelink.io/service-id` annotation or (for catalog files written before the service id is known)
 * the `privatelink.io/endpoint-service` annotation. A typical case is a Component exposed through an
 * endpoint service.
 *
 * @public
 */
export function isPrivateLinkAvailable(entity: Entity): boolean {
  return (
    isEndpointServiceEntity(entity) ||
    getServiceId(entity) !== undefined ||
    getEndpointServiceRef(entity) !== undefined
  );
}
