import { InfoCard, InfoCardVariants } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePrivateLinkService } from '../../hooks/usePrivateLinkService';
import { PrivateLinkServiceView } from '../PrivateLinkServiceView';

/** Props of {@link EntityPrivateLinkCard}. @public */
export interface EntityPrivateLinkCardProps {
  variant?: InfoCardVariants;
}

/**
 * Entity card for a vpc-endpoint-service Resource, or for an entity that names one with
 * `privatelink.io/service-id`: the service's connection details and its consumers.
 *
 * @public
 */
export function EntityPrivateLinkCard(props: EntityPrivateLinkCardProps) {
  const { entity } = useEntity();
  const state = usePrivateLinkService(entity);
  return (
    <InfoCard title="PrivateLink" variant={props.variant ?? 'gridItem'}>
      <PrivateLinkServiceView entity={entity} state={state} />
    </InfoCard>
  );
}
