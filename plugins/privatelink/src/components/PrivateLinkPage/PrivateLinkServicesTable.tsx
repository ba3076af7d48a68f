import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CopyTextButton,
  EmptyState,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink, catalogApiRef } from '@backstage/plugin-catalog-react';
import { makeStyles } from '@material-ui/core/styles';
import useAsync from 'react-use/esm/useAsync';
import { humanizeRef } from '../../lib/format';
import {
  ENDPOINT_SERVICE_FILTER,
  getDependentResourceRefs,
  getOwnerRef,
  getSystemRef,
  privateDnsStateLabel,
  readEndpointService,
} from '../../lib/model';

const useStyles = makeStyles({
  code: {
    fontFamily: 'monospace',
    overflowWrap: 'anywhere',
  },
  withButton: {
    display: 'flex',
    alignItems: 'center',
    gap: 4,
  },
});

interface ServiceRow {
  id: string;
  entity: Entity;
  title: string;
  ownerRef?: string;
  owner: string;
  systemRef?: string;
  system: string;
  serviceName: string;
  privateDnsName: string;
  privateDnsState: string;
  acceptanceRequired: string;
  consumers: number;
}

function toRow(entity: Entity): ServiceRow {
  const info = readEndpointService(entity);
  const ownerRef = getOwnerRef(entity);
  const systemRef = getSystemRef(entity);
  let acceptanceRequired = 'Unknown';
  if (info.acceptanceRequired !== undefined) {
    acceptanceRequired = info.acceptanceRequired ? 'Yes' : 'No';
  }
  return {
    id: stringifyEntityRef(entity),
    entity,
    title: entity.metadata.title ?? entity.metadata.name,
    ownerRef,
    owner: humanizeRef(ownerRef, 'group'),
    systemRef,
    system: humanizeRef(systemRef, 'system'),
    serviceName: info.serviceName ?? '',
    privateDnsName: info.privateDnsName ?? '',
    privateDnsState: info.privateDnsName
      ? privateDnsStateLabel(info.privateDnsState)
      : '',
    acceptanceRequired,
    consumers: getDependentResourceRefs(entity).length,
  };
}

function useColumns(): TableColumn<ServiceRow>[] {
  const classes = useStyles();
  return [
    {
      title: 'Service',
      field: 'title',
      highlight: true,
      render: row => <EntityRefLink entityRef={row.entity} hideIcon />,
    },
    {
      title: 'Owner',
      field: 'owner',
      render: row =>
        row.ownerRef ? (
          <EntityRefLink
            entityRef={row.ownerRef}
            defaultKind="group"
            hideIcon
          />
        ) : (
          '—'
        ),
    },
    {
      title: 'System',
      field: 'system',
      render: row =>
        row.systemRef ? (
          <EntityRefLink
            entityRef={row.systemRef}
            defaultKind="system"
            hideIcon
          />
        ) : (
          '—'
        ),
    },
    {
      title: 'Service name',
      field: 'serviceName',
      render: row =>
        row.serviceName ? (
          <span className={classes.withButton}>
            <span className={classes.code}>{row.serviceName}</span>
            <CopyTextButton
              text={row.serviceName}
              tooltipText="Service name copied to clipboard"
              aria-label={`Copy service name of ${row.title}`}
            />
          </span>
        ) : (
          '—'
        ),
    },
    {
      title: 'Private DNS name',
      field: 'privateDnsName',
      render: row =>
        row.privateDnsName ? (
          <>
            <span className={classes.code}>{row.privateDnsName}</span> (
            {row.privateDnsState})
          </>
        ) : (
          '—'
        ),
    },
    { title: 'Acceptance required', field: 'acceptanceRequired' },
    { title: 'Consumers', field: 'consumers', type: 'numeric' },
  ];
}

/**
 * "What can I consume privately?": every vpc-endpoint-service Resource in the catalog, searchable.
 *
 * @public
 */
export function PrivateLinkServicesTable() {
  const catalogApi = useApi(catalogApiRef);
  const columns = useColumns();
  const { value, loading, error } = useAsync(async () => {
    const response = await catalogApi.getEntities({
      filter: ENDPOINT_SERVICE_FILTER,
    });
    return response.items
      .map(toRow)
      .sort((a, b) => a.title.localeCompare(b.title));
  }, [catalogApi]);

  if (error) {
    return (
      <ResponseErrorPanel
        title="Could not load the endpoint services"
        error={error}
      />
    );
  }

  return (
    <Table<ServiceRow>
      title="What can I consume privately?"
      subtitle="Endpoint services in the catalog that you can connect to over AWS PrivateLink"
      columns={columns}
      data={value ?? []}
      isLoading={loading}
      filters={[
        { column: 'Owner', type: 'select' },
        { column: 'System', type: 'select' },
        { column: 'Acceptance required', type: 'select' },
      ]}
      options={{
        search: true,
        paging: true,
        pageSize: 20,
        pageSizeOptions: [20, 50, 100],
        padding: 'dense',
        emptyRowsWhenPaging: false,
      }}
      emptyContent={
        <EmptyState
          missing="data"
          title="No endpoint services"
          description="No Resource of type vpc-endpoint-service is in the catalog yet."
        />
      }
    />
  );
}
