import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { RetryButton } from '../RetryButton';
import {
  EmptyState,
  InfoCard,
  InfoCardVariants,
  Link,
  LinkButton,
  Progress,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Alert from '@material-ui/lab/Alert';
import { PrivateLinkConsumerDetails } from '@privatelink-backstage/plugin-privatelink-common';
import { useConsumerDetails } from '../../hooks/data';
import { usePrivateLinkPageLink } from '../../hooks/usePrivateLinkPageLink';
import { errorMessage, formatDateTime } from '../../lib/format';
import { requestAccessTemplateUrl } from '../requests/RequestAccess';
import { ConsumerEndpointsTable } from './ConsumerEndpointsTable';
import { ConsumerRequestsSection } from './ConsumerRequestsSection';

/** Props of {@link EntityPrivateLinkConsumerCard}. @public */
export interface EntityPrivateLinkConsumerCardProps {
  /**
   * Layout variant of the underlying `InfoCard`. Default `gridItem`: as tall as its grid row, so that cards side
   * by side line up; `fullHeight` takes the full height of its container; `flex` only lays the card out as a
   * column.
   */
  variant?: InfoCardVariants;
}

function isComponent(entity: Entity): boolean {
  return entity.kind.toLocaleLowerCase('en-US') === 'component';
}

/** The warning about endpoints whose account could not be read lately: their data may be out of date. */
function StaleWarning(props: { details: PrivateLinkConsumerDetails }) {
  const stale = props.details.endpoints.filter(e => e.staleSince);
  if (stale.length === 0) return null;
  const since = stale.map(e => e.staleSince!).sort()[0];
  const what = stale.length === 1 ? '1 endpoint' : `${stale.length} endpoints`;
  return (
    <Box mb={1}>
      <Alert severity="warning" data-warning="stale">
        Stale data: {what} could not be read from AWS since{' '}
        {formatDateTime(since)} ({stale.map(e => e.endpointId).join(', ')}).
        Their state and DNS names may be out of date.
      </Alert>
    </Box>
  );
}

/**
 * What to do without endpoints: find a service on the PrivateLink page and request access on its page, or (for a
 * component whose account is allowed already) create the endpoint with the Request access template.
 */
function NoEndpoints(props: { entity: Entity }) {
  const pageLink = usePrivateLinkPageLink();
  const entityRef = stringifyEntityRef(props.entity);
  const templateLink = isComponent(props.entity) ? (
    <Link to={requestAccessTemplateUrl({ component: entityRef })}>
      Open the Request access template
    </Link>
  ) : undefined;
  return (
    <EmptyState
      missing="data"
      title="No private connections yet"
      description={`No VPC endpoint in the catalog connects ${
        props.entity.metadata.title ?? props.entity.metadata.name
      } to a service over AWS PrivateLink. Find the service ${
        pageLink ? 'on the PrivateLink page' : 'in the catalog'
      } and request access on its page; once your endpoint exists, the DNS name to use appears here.`}
      action={
        <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={16}>
          {pageLink && (
            <LinkButton
              variant="contained"
              color="primary"
              size="small"
              to={pageLink}
            >
              Request access to a service
            </LinkButton>
          )}
          {templateLink}
        </Box>
      }
    />
  );
}

function CardBody(props: { entity: Entity }) {
  const entityRef = stringifyEntityRef(props.entity);
  const { value, loading, error, retry } = useConsumerDetails(entityRef);
  if (loading && !value) return <Progress />;
  if (error) {
    return (
      <Box>
        <Alert severity="error">
          Could not load the private connections: {errorMessage(error)}
        </Alert>
        <RetryButton onRetry={retry} />
      </Box>
    );
  }
  if (!value) return null;
  const showConsumer = value.requests.some(r => r.consumerRef !== entityRef);
  return (
    <>
      <StaleWarning details={value} />
      {value.endpoints.length > 0 ? (
        <ConsumerEndpointsTable endpoints={value.endpoints} />
      ) : (
        <NoEndpoints entity={props.entity} />
      )}
      {value.requests.length > 0 && (
        <ConsumerRequestsSection
          requests={value.requests}
          showConsumer={showConsumer}
        />
      )}
    </>
  );
}

/**
 * Entity card for a consumer, a Component or a Group: the services it reaches over AWS PrivateLink, one row per
 * VPC endpoint with the service, its state, the DNS name to put in the configuration (with a copy button, the
 * other DNS names on demand), the account and VPC, and since when; stale endpoints flagged; below, its access
 * requests that are pending or were denied. Show it on the entity page when
 * {@link isPrivateLinkConsumerAvailable} is true.
 *
 * @public
 */
export function EntityPrivateLinkConsumerCard(
  props: EntityPrivateLinkConsumerCardProps,
) {
  const { entity } = useEntity();
  return (
    <InfoCard title="Private connections" variant={props.variant ?? 'gridItem'}>
      <CardBody entity={entity} />
    </InfoCard>
  );
}
