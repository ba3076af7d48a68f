import { Table, TableColumn } from '@backstage/core-components';
import { PrivateLinkConsumer } from '@privatelink-backstage/plugin-privatelink-common';
import { formatDate, humanizeRef } from '../../lib/format';
import { stateLabel } from '../../lib/model';
import { EndpointActions } from '../actions/EndpointActions';
import { EntityLink } from '../EntityLink';
import { OwnerLink } from '../EntityPrivateLinkCard/ConsumersSection';
import { StateChip } from '../StateChip';
import {
  fitColumns,
  EmptyTableText,
  pagedTableOptions,
  tableTitle,
} from '../tableDefaults';

/** Ids, accounts, dates and buttons stay on one line. */
const NOWRAP = { whiteSpace: 'nowrap' } as const;

interface Row {
  id: string;
  consumer: PrivateLinkConsumer;
  endpointId: string;
  owner: string;
  component: string;
  account: string;
  region: string;
  state: string;
  since: string;
}

function toRow(c: PrivateLinkConsumer): Row {
  return {
    id: c.entityRef,
    consumer: c,
    endpointId: c.endpointId,
    owner: humanizeRef(c.owner, 'group'),
    component: humanizeRef(c.component, 'component'),
    account: c.accountId ?? '',
    region: c.region,
    state: stateLabel(c.state),
    since: formatDate(c.createdAt),
  };
}

/**
 * Every connection to the service: sortable, searchable, paginated; owners accept or reject pending ones, and
 * those who may delete an endpoint (its consumer team, by default) remove it.
 */
export function ConnectionsTable(props: {
  serviceRef: string;
  serviceTitle: string;
  consumers: PrivateLinkConsumer[];
  canReview: boolean;
  onChanged: () => void;
}) {
  const columns: TableColumn<Row>[] = [
    {
      title: 'Endpoint',
      field: 'endpointId',
      highlight: true,
      cellStyle: { ...NOWRAP },
      render: row => (
        <EntityLink entityRef={row.consumer.entityRef} defaultKind="resource">
          {row.endpointId}
        </EntityLink>
      ),
    },
    {
      title: 'Owner',
      field: 'owner',
      render: row => <OwnerLink owner={row.consumer.owner} />,
    },
    {
      title: 'Component',
      field: 'component',
      render: row => (
        <EntityLink
          entityRef={row.consumer.component}
          defaultKind="component"
        />
      ),
    },
    { title: 'Account', field: 'account', cellStyle: NOWRAP },
    { title: 'Region', field: 'region', cellStyle: NOWRAP },
    {
      title: 'State',
      field: 'state',
      cellStyle: NOWRAP,
      render: row => <StateChip state={row.consumer.state} />,
    },
    { title: 'Since', field: 'since', defaultSort: 'desc', cellStyle: NOWRAP },
  ];
  // Always there: whether an endpoint may be removed is decided row by row, for the rows on the page.
  columns.push({
    title: 'Actions',
    sorting: false,
    cellStyle: NOWRAP,
    render: row => (
      <EndpointActions
        serviceRef={props.serviceRef}
        serviceTitle={props.serviceTitle}
        consumer={row.consumer}
        canReview={props.canReview}
        onDone={props.onChanged}
      />
    ),
  });
  return (
    <Table<Row>
      title={tableTitle(`Connections (${props.consumers.length})`)}
      columns={fitColumns(columns)}
      data={props.consumers.map(toRow)}
      options={pagedTableOptions}
      emptyContent={
        <EmptyTableText>
          No VPC endpoint connects to this endpoint service yet.
        </EmptyTableText>
      }
    />
  );
}
