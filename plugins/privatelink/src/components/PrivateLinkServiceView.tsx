import { ReactNode } from 'react';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Alert from '@material-ui/lab/Alert';
import { ANNOTATIONS } from '@privatelink-backstage/plugin-privatelink-common';
import { PrivateLinkServiceState } from '../hooks/usePrivateLinkService';
import { EndpointConsumer } from '../lib/model';
import { ConsumersSummary } from './ConsumersSummary';
import { ServiceDetails } from './ServiceDetails';

/**
 * Renders the loading, error and empty states of the service lookup, and calls `children` with the
 * resolved service once there is one.
 */
export function PrivateLinkServiceStates(props: {
  state: PrivateLinkServiceState;
  children: (found: {
    service: Entity;
    consumers: EndpointConsumer[];
    ambiguous: boolean;
  }) => ReactNode;
}) {
  const { state, children } = props;
  if (state.loading) {
    return <Progress />;
  }
  if (state.error) {
    return (
      <Box>
        <ResponseErrorPanel
          title="Could not load the PrivateLink endpoint service"
          error={state.error}
        />
        <Box mt={1}>
          <Button variant="outlined" size="small" onClick={state.retry}>
            Retry
          </Button>
        </Box>
      </Box>
    );
  }
  const value = state.value;
  if (!value || value.kind === 'not-applicable') {
    return (
      <MissingAnnotationEmptyState
        annotation={[ANNOTATIONS.serviceId, ANNOTATIONS.endpointService]}
      />
    );
  }
  if (value.kind === 'not-found') {
    return (
      <EmptyState
        missing="data"
        title="Endpoint service not found"
        description={
          value.annotation === ANNOTATIONS.serviceId
            ? `No vpc-endpoint-service Resource in the catalog has ${value.annotation}: ${value.value}. It appears once the PrivateLink sync has read the endpoint service.`
            : `${value.annotation} names ${value.value}, which is not a vpc-endpoint-service Resource in the catalog. It appears once the PrivateLink sync has read the endpoint service.`
        }
      />
    );
  }
  return <>{children(value)}</>;
}

/** The card body: service details and consumers of the entity's endpoint service. */
export function PrivateLinkServiceView(props: {
  entity: Entity;
  state: PrivateLinkServiceState;
  showConsumerList?: boolean;
}) {
  const { entity, state, showConsumerList = true } = props;
  const entityRef = stringifyEntityRef(entity);
  return (
    <PrivateLinkServiceStates state={state}>
      {({ service, consumers, ambiguous }) => (
        <>
          {ambiguous && (
            <Box mb={1}>
              <Alert severity="info">
                Several endpoint services carry this service id; showing{' '}
                {stringifyEntityRef(service)}.
              </Alert>
            </Box>
          )}
          <ServiceDetails
            service={service}
            showServiceLink={stringifyEntityRef(service) !== entityRef}
          />
          <ConsumersSummary consumers={consumers} showList={showConsumerList} />
        </>
      )}
    </PrivateLinkServiceStates>
  );
}
