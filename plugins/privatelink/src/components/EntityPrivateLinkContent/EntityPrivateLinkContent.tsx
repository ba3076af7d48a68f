import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { PrivateLinkServiceDetails } from '@privatelink-backstage/plugin-privatelink-common';
import { usePendingWarningDays } from '../../hooks/usePendingWarningDays';
import { usePrivateLinkRoles } from '../../hooks/useRoles';
import { getExposedComponentRef, sortCounts } from '../../lib/model';
import { RetireService } from '../actions/RetireServiceDialog';
import { ServiceSettings } from '../actions/ServiceSettingsDialog';
import { StateCounts } from '../EntityPrivateLinkCard/ConsumersSection';
import { AccessRequestsTable } from '../requests/AccessRequestsTable';
import { RequestAccess } from '../requests/RequestAccess';
import { Detail, ServiceDetailsList } from '../ServiceDetailsList';
import { ServiceStates } from '../ServiceStates';
import { ServiceWarnings } from '../ServiceWarnings';
import { AuditLogTable } from './AuditLogTable';
import { ConnectionsTable } from './ConnectionsTable';
import { PrincipalsTable } from './PrincipalsTable';

function ContentBody(props: {
  entity: Entity;
  details: PrivateLinkServiceDetails;
  reload: () => void;
}) {
  const { details, reload } = props;
  const roles = usePrivateLinkRoles(details.entityRef);
  const pendingWarningDays = usePendingWarningDays();
  const isService = details.entityRef === stringifyEntityRef(props.entity);
  // The component the service exposes: from the details, else (older backends) from the service's own entity.
  const component =
    details.component ??
    (isService ? getExposedComponentRef(props.entity) : undefined);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="PrivateLink">
          <ServiceWarnings
            details={details}
            pendingWarningDays={pendingWarningDays}
          />
          <ServiceDetailsList details={details} showServiceLink={!isService}>
            {/* A row of its own: under the list, the chips would read as the last row's (Account). */}
            {sortCounts(details.counts).length > 0 && (
              <Detail label="Connections">
                <StateCounts counts={details.counts} />
              </Detail>
            )}
          </ServiceDetailsList>
          {roles.ready &&
            (roles.canUpdateService || roles.canRetireService) && (
              <Box display="flex" gridGap={8} mt={2}>
                {roles.canUpdateService && (
                  <ServiceSettings
                    service={details}
                    component={component}
                    onDone={reload}
                  />
                )}
                {roles.canRetireService && (
                  <RetireService service={details} onDone={reload} />
                )}
              </Box>
            )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <ConnectionsTable
          serviceRef={details.entityRef}
          serviceTitle={details.title ?? details.serviceName}
          consumers={details.consumers}
          canReview={roles.ready && roles.canReviewConnections}
          onChanged={reload}
        />
      </Grid>
      <Grid item xs={12}>
        <PrincipalsTable
          service={details}
          canManage={roles.ready && roles.canManagePrincipals}
          onChanged={reload}
        />
      </Grid>
      {roles.ready && (
        <Grid item xs={12}>
          <AccessRequestsTable
            serviceRef={details.entityRef}
            canReview={roles.canReviewRequests}
            onChanged={reload}
            title={
              roles.canReviewRequests
                ? 'Access requests'
                : 'Your access requests'
            }
            header={reloadRequests =>
              roles.canReviewRequests ? null : (
                <Box mb={2}>
                  <RequestAccess
                    serviceRef={details.entityRef}
                    serviceTitle={details.title ?? details.serviceName}
                    canRequest={roles.canRequestAccess}
                    onSent={reloadRequests}
                  />
                </Box>
              )
            }
          />
        </Grid>
      )}
      {roles.ready && roles.canReadAudit && (
        <Grid item xs={12}>
          <AuditLogTable serviceRef={details.entityRef} />
        </Grid>
      )}
    </Grid>
  );
}

/**
 * The PrivateLink entity tab: the service at full width (with Settings and Retire service for those allowed),
 * then its connections (consumer teams remove their endpoints there), allowed principals and access requests in
 * full tables, and for owners the audit log.
 *
 * @public
 */
export function EntityPrivateLinkContent() {
  const { entity } = useEntity();
  return (
    <ServiceStates entity={entity}>
      {(details, reload) => (
        <ContentBody entity={entity} details={details} reload={reload} />
      )}
    </ServiceStates>
  );
}
