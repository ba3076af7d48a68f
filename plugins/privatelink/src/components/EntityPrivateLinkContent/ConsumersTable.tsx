import { Table, TableColumn } from '@backstage/core-components';
import {
  EntityRefLink,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import { EndpointState } from '@privatelink-backstage/plugin-privatelink-common';
import { EndpointConsumer, stateLabel } from '../../lib/model';
import { StateChip } from '../StateChip';

interface ConsumerRow {
  id: string;
  consumer: EndpointConsumer;
  endpoint: string;
  owner: string;
  account: string;
  region: string;
  state: string;
  stateValue: EndpointState;
  createdAt: string;
}

function humanizeOwner(ref: string | undefined): string {
  if (!ref) return '';
  try {
    return humanizeEntityRef(parseEntityRef(ref), { defaultKind: 'group' });
  } catch {
    return ref;
  }
}

function toRow(consumer: EndpointConsumer): ConsumerRow {
  return {
    id: consumer.entityRef,
    consumer,
    endpoint:
      consumer.endpointId ??
      consumer.entity.metadata.title ??
      consumer.entity.metadata.name,
    owner: humanizeOwner(consumer.ownerRef),
    account: consumer.accountId ?? '',
    region: consumer.region ?? '',
    state: stateLabel(consumer.state),
    stateValue: consumer.state,
    createdAt: consumer.createdAt ?? '',
  };
}

const columns: TableColumn<ConsumerRow>[] = [
  {
    title: 'Endpoint',
    field: 'endpoint',
    highlight: true,
    render: row => (
      <EntityRefLink entityRef={row.consumer.entity} hideIcon>
        {row.endpoint}
      </EntityRefLink>
    ),
  },
  {
    title: 'Owner',
    field: 'owner',
    render: row =>
      row.consumer.ownerRef ? (
        <EntityRefLink
          entityRef={row.consumer.ownerRef}
          defaultKind="group"
          hideIcon
        />
      ) : (
        '—'
      ),
  },
  { title: 'Account', field: 'account' },
  { title: 'Region', field: 'region' },
  {
    title: 'State',
    field: 'state',
    render: row => <StateChip state={row.stateValue} />,
  },
  { title: 'Created', field: 'createdAt' },
];

/** A sortable, filterable, paginated table of the consumer endpoints of a service. */
export function ConsumersTable(props: { consumers: EndpointConsumer[] }) {
  const data = props.consumers.map(toRow);
  return (
    <Table<ConsumerRow>
      title="Consumer endpoints"
      columns={columns}
      data={data}
      filters={[
        { column: 'State', type: 'multiple-select' },
        { column: 'Owner', type: 'select' },
        { column: 'Account', type: 'select' },
      ]}
      options={{
        search: true,
        paging: true,
        pageSize: 10,
        pageSizeOptions: [10, 25, 50],
        padding: 'dense',
        emptyRowsWhenPaging: false,
      }}
      emptyContent={
        <div style={{ padding: 16 }}>
          No vpc-endpoint in the catalog depends on this endpoint service.
        </div>
      }
    />
  );
}
