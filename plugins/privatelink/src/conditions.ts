import { Entity } from '@backstage/catalog-model';
import {
  getEndpointServiceRef,
  getServiceId,
  hasConsumerEndpoints,
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

/**
 * Whether the PrivateLink consumer card applies to an entity: true for a Component with a `dependsOn` relation
 * to a Resource named like a VPC endpoint (`vpce-…`, as the sync names consumer endpoints by their endpoint id,
 * e.g. `resource:default/vpce-0123456789abcdef0`), and for a Group with an `ownerOf` relation to one. Decided
 * synchronously from `entity.relations`, without calling the backend; a Resource named by a service id
 * (`vpce-svc-…`) does not count.
 *
 * @public
 */
export function isPrivateLinkConsumerAvailable(entity: Entity): boolean {
  return hasConsumerEndpoints(entity);
}
