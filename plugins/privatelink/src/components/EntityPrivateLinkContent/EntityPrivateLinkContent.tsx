import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Alert from '@material-ui/lab/Alert';
import { usePrivateLinkService } from '../../hooks/usePrivateLinkService';
import { ConsumersSummary } from '../ConsumersSummary';
import { PrivateLinkServiceStates } from '../PrivateLinkServiceView';
import { ServiceDetails } from '../ServiceDetails';
import { ConsumersTable } from './ConsumersTable';

/**
 * The PrivateLink entity tab: the service details at full width, then every consumer endpoint in a
 * sortable, filterable, paginated table.
 *
 * @public
 */
export function EntityPrivateLinkContent() {
  const { entity } = useEntity();
  const state = usePrivateLinkService(entity);
  const entityRef = stringifyEntityRef(entity);
  return (
    <PrivateLinkServiceStates state={state}>
      {({ service, consumers, ambiguous }) => (
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <InfoCard title="PrivateLink">
              {ambiguous && (
                <Alert severity="info">
                  Several endpoint services carry this service id; showing{' '}
                  {stringifyEntityRef(service)}.
                </Alert>
              )}
              <ServiceDetails
                service={service}
                showServiceLink={stringifyEntityRef(service) !== entityRef}
              />
              <ConsumersSummary consumers={consumers} showList={false} />
            </InfoCard>
          </Grid>
          {consumers.length > 0 && (
            <Grid item xs={12}>
              <ConsumersTable consumers={consumers} />
            </Grid>
          )}
        </Grid>
      )}
    </PrivateLinkServiceStates>
  );
}
