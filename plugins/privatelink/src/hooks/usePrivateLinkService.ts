import { Entity } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { CatalogApi, catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  ANNOTATIONS,
  VPC_ENDPOINT_SERVICE_TYPE,
} from '@privatelink-backstage/plugin-privatelink-common';
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  EndpointConsumer,
  getDependentResourceRefs,
  getEndpointServiceRef,
  getServiceId,
  isEndpointEntity,
  isEndpointServiceEntity,
  readEndpointConsumer,
} from '../lib/model';

/** The resolved endpoint service of an entity and its consumers. */
export type PrivateLinkServiceData =
  /** The entity neither is a service nor points at one. */
  | { kind: 'not-applicable' }
  /**
   * The entity points at an endpoint service the catalog does not have: `annotation` is the annotation it
   * points with (service id or endpoint service ref) and `value` its value.
   */
  | { kind: 'not-found'; annotation: string; value: string }
  | {
      kind: 'found';
      service: Entity;
      consumers: EndpointConsumer[];
      /** More than one Resource carries the service id; the first one is shown. */
      ambiguous: boolean;
    };

/** The catalog filter that selects every vpc-endpoint-service Resource. @internal */
export const ENDPOINT_SERVICE_FILTER = {
  kind: 'Resource',
  'spec.type': VPC_ENDPOINT_SERVICE_TYPE,
};

/** The async state returned by {@link usePrivateLinkService}. */
export interface PrivateLinkServiceState {
  loading: boolean;
  error?: Error;
  value?: PrivateLinkServiceData;
  retry: () => void;
}

/**
 * Resolves the vpc-endpoint-service Resource behind an entity (the entity itself; else the Resource whose
 * `privatelink.io/service-id` matches the entity's; else the Resource the entity's
 * `privatelink.io/endpoint-service` names) and loads its consumer vpc-endpoint Resources.
 *
 * When nothing needs loading (the entity is a service without dependants, or has nothing to do with
 * PrivateLink) the result is available on the first render, without a loading state.
 */
export function usePrivateLinkService(entity: Entity): PrivateLinkServiceState {
  const catalogApi = useApi(catalogApiRef);
  const isService = isEndpointServiceEntity(entity);
  const serviceId = getServiceId(entity);
  const serviceRef = getEndpointServiceRef(entity);
  const dependentRefsKey = isService
    ? getDependentResourceRefs(entity).join('\n')
    : '';

  const immediate = useMemo((): PrivateLinkServiceData | undefined => {
    if (!isService && !serviceId && !serviceRef) {
      return { kind: 'not-applicable' };
    }
    if (isService && dependentRefsKey === '') {
      return {
        kind: 'found',
        service: entity,
        consumers: [],
        ambiguous: false,
      };
    }
    return undefined;
  }, [entity, isService, serviceId, serviceRef, dependentRefsKey]);

  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => setAttempt(n => n + 1), []);
  const [state, setState] = useState<{
    /** The entity the result belongs to, so that a result for a previous entity is never shown. */
    entity?: Entity;
    loading: boolean;
    error?: Error;
    value?: PrivateLinkServiceData;
  }>({ loading: true });

  useEffect(() => {
    if (immediate) {
      return undefined;
    }
    let cancelled = false;
    setState({ entity, loading: true });
    loadService(catalogApi, entity).then(
      value => {
        if (!cancelled) setState({ entity, loading: false, value });
      },
      error => {
        if (!cancelled) setState({ entity, loading: false, error });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [catalogApi, immediate, entity, attempt]);

  if (immediate) {
    return { loading: false, value: immediate, retry };
  }
  if (state.entity !== entity) {
    return { loading: true, retry };
  }
  return {
    loading: state.loading,
    error: state.error,
    value: state.value,
    retry,
  };
}

async function loadService(
  catalogApi: CatalogApi,
  entity: Entity,
): Promise<PrivateLinkServiceData> {
  const serviceId = getServiceId(entity);
  const serviceRef = getEndpointServiceRef(entity);
  let service: Entity;
  let ambiguous = false;
  if (isEndpointServiceEntity(entity)) {
    service = entity;
  } else if (serviceId) {
    const response = await catalogApi.getEntities({
      filter: {
        ...ENDPOINT_SERVICE_FILTER,
        [`metadata.annotations.${ANNOTATIONS.serviceId}`]: serviceId,
      },
    });
    if (response.items.length === 0) {
      return {
        kind: 'not-found',
        annotation: ANNOTATIONS.serviceId,
        value: serviceId,
      };
    }
    service = response.items[0];
    ambiguous = response.items.length > 1;
  } else if (serviceRef) {
    const found = await catalogApi.getEntityByRef(serviceRef);
    if (!found || !isEndpointServiceEntity(found)) {
      return {
        kind: 'not-found',
        annotation: ANNOTATIONS.endpointService,
        value: serviceRef,
      };
    }
    service = found;
  } else {
    return { kind: 'not-applicable' };
  }

  const refs = getDependentResourceRefs(service);
  let consumers: EndpointConsumer[] = [];
  if (refs.length > 0) {
    const { items } = await catalogApi.getEntitiesByRefs({ entityRefs: refs });
    consumers = items
      .filter((e): e is Entity => !!e && isEndpointEntity(e))
      .map(readEndpointConsumer)
      .sort((a, b) => a.entityRef.localeCompare(b.entityRef));
  }
  return { kind: 'found', service, consumers, ambiguous };
}
