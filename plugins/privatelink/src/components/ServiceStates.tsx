import { ReactNode } from 'react';
import { RetryButton } from './RetryButton';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import {
  ANNOTATIONS,
  PrivateLinkServiceDetails,
} from '@privatelink-backstage/plugin-privatelink-common';
import { isPrivateLinkAvailable } from '../conditions';
import { useServiceDetails } from '../hooks/data';

type Render = (
  details: PrivateLinkServiceDetails,
  reload: () => void,
) => ReactNode;

function LoadedService(props: { entityRef: string; children: Render }) {
  const { value, loading, error, retry } = useServiceDetails(props.entityRef);
  if (loading && !value) return <Progress />;
  if (error) {
    return (
      <Box>
        <ResponseErrorPanel
          title="Could not load the PrivateLink endpoint service"
          error={error}
        />
        <RetryButton onRetry={retry} />
      </Box>
    );
  }
  if (!value) {
    return (
      <EmptyState
        missing="data"
        title="Endpoint service not found"
        description={`No vpc-endpoint-service Resource in the catalog belongs to ${props.entityRef}. It appears once the PrivateLink sync has read the endpoint service.`}
      />
    );
  }
  return <>{props.children(value, retry)}</>;
}

/**
 * The missing-annotation, loading, error and not-found states of an entity's endpoint service; calls
 * `children` with the service details and a reload function once there are some.
 */
export function ServiceStates(props: { entity: Entity; children: Render }) {
  if (!isPrivateLinkAvailable(props.entity)) {
    return (
      <MissingAnnotationEmptyState
        annotation={[ANNOTATIONS.serviceId, ANNOTATIONS.endpointService]}
      />
    );
  }
  return (
    <LoadedService entityRef={stringifyEntityRef(props.entity)}>
      {props.children}
    </LoadedService>
  );
}
