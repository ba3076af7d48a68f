import { useCallback } from 'react';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard, InfoCardVariants } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  PrivateLinkConsumer,
  PrivateLinkServiceDetails,
} from '@privatelink-backstage/plugin-privatelink-common';
import { usePendingWarningDays } from '../../hooks/usePendingWarningDays';
import { usePrivateLinkRoles } from '../../hooks/useRoles';
import { EndpointActions } from '../actions/EndpointActions';
import { AccessRequestsSection } from '../requests/AccessRequestsSection';
import { Section } from '../Section';
import { CodeList, ServiceDetailsList } from '../ServiceDetailsList';
import { ServiceStates } from '../ServiceStates';
import { ServiceWarnings } from '../ServiceWarnings';
import { ConsumersSection } from './ConsumersSection';

/** Props of {@link EntityPrivateLinkCard}. @public */
export interface EntityPrivateLinkCardProps {
  /**
   * Layout variant of the underlying `InfoCard`. Default `gridItem`: as tall as its grid row, so that cards side
   * by side line up; `fullHeight` takes the full height of its container; `flex` only lays the card out as a
   * column.
   */
  variant?: InfoCardVariants;
  /**
   * Warn about connections pending acceptance for longer than this many days. Default: the frontend config
   * `privatelink.pendingWarningDays`, else 3.
   */
  pendingWarningDays?: number;
}

function CardBody(props: {
  entity: Entity;
  details: PrivateLinkServiceDetails;
  reload: () => void;
  pendingWarningDays: number;
}) {
  const { details, reload } = props;
  const roles = usePrivateLinkRoles(details.entityRef);
  // Owners accept or reject pending connections right in the consumers table, where they come first; the
  // consumer team removes its own endpoint there (decided row by row, for the rows shown).
  const canReview = roles.ready && roles.canReviewConnections;
  const serviceTitle = details.title ?? details.serviceName;
  const actions = useCallback(
    (consumer: PrivateLinkConsumer) => (
      <EndpointActions
        serviceRef={details.entityRef}
        serviceTitle={serviceTitle}
        consumer={consumer}
        canReview={canReview}
        onDone={reload}
      />
    ),
    [details.entityRef, serviceTitle, canReview, reload],
  );
  return (
    <>
      <ServiceWarnings
        details={details}
        pendingWarningDays={props.pendingWarningDays}
      />
      <ServiceDetailsList
        details={details}
        showServiceLink={details.entityRef !== stringifyEntityRef(props.entity)}
      />
      <ConsumersSection details={details} actions={actions} />
      <Section title="Allowed principals">
        <CodeList
          label="Allowed principals"
          items={details.allowedPrincipals}
          keep="end"
        />
      </Section>
      {roles.ready && (
        <AccessRequestsSection
          serviceRef={details.entityRef}
          serviceTitle={details.title ?? details.serviceName}
          roles={roles}
          onChanged={reload}
        />
      )}
    </>
  );
}

/**
 * Entity card for a vpc-endpoint-service Resource, or for an entity exposed through one: the service's
 * connection details, consumers and principals, with warnings; owners review pending connections and access
 * requests, consumers request access and remove their own endpoints.
 *
 * @public
 */
export function EntityPrivateLinkCard(props: EntityPrivateLinkCardProps) {
  const { entity } = useEntity();
  const pendingWarningDays = usePendingWarningDays(props.pendingWarningDays);
  return (
    <InfoCard title="PrivateLink" variant={props.variant ?? 'gridItem'}>
      <ServiceStates entity={entity}>
        {(details, reload) => (
          <CardBody
            entity={entity}
            details={details}
            reload={reload}
            pendingWarningDays={pendingWarningDays}
          />
        )}
      </ServiceStates>
    </InfoCard>
  );
}
