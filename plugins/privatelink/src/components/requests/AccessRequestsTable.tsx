import { ReactNode } from 'react';
import {
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { AccessRequest } from '@privatelink-backstage/plugin-privatelink-common';
import { usePagedAccessRequests } from '../../hooks/data';
import { formatDate, humanizeRef } from '../../lib/format';
import { AccessRequestActions } from '../actions/AccessRequestActions';
import { EntityLink } from '../EntityLink';
import { ShowOlder } from '../ShowOlder';
import { RequestStatusChip } from '../StateChip';
import {
  fitColumns,
  EmptyTableText,
  pagedTableOptions,
  tableTitle,
} from '../tableDefaults';

/** Dates, chips and buttons stay on one line. */
const NOWRAP = { whiteSpace: 'nowrap' } as const;

interface Row {
  id: string;
  request: AccessRequest;
  service: string;
  consumer: string;
  account: string;
  requestedBy: string;
  requested: string;
  status: string;
  decision: string;
}

/** Why the follow-up accepting an approved request's connections stopped; nothing while it runs or once done. */
const FOLLOW_UP_STOPPED: Partial<Record<AccessRequest['followUp'], string>> = {
  revoked: 'follow-up stopped: account revoked',
  rejected: 'follow-up stopped: rejected connection',
};

function toRow(r: AccessRequest, forOwner: boolean): Row {
  const decided = r.decidedBy
    ? `${humanizeRef(r.decidedBy, 'user')}: ${r.decisionReason ?? ''}`
    : '';
  return {
    id: r.id,
    request: r,
    service: humanizeRef(r.serviceRef, 'resource'),
    consumer: humanizeRef(r.consumerRef, 'component'),
    // Owners must see at once that an account is outside the organisation's configured accounts.
    account: r.external ? `${r.accountId} (external account)` : r.accountId,
    requestedBy: humanizeRef(r.requestedBy, 'user'),
    requested: formatDate(r.requestedAt),
    status: r.status,
    decision: [
      decided,
      r.error,
      forOwner ? FOLLOW_UP_STOPPED[r.followUp] : undefined,
    ]
      .filter(Boolean)
      .join(' — '),
  };
}

/**
 * Access requests: of a service (all of them for owners, who approve or deny the pending ones and see where the
 * follow-up of an approved one stopped; their own for others), or without `serviceRef` the user's own requests
 * to any service. Newest first, a page at a time: "Show older" under the table appends the next page.
 */
export function AccessRequestsTable(props: {
  serviceRef?: string;
  canReview?: boolean;
  onChanged?: () => void;
  title?: string;
  /** Rendered above the table, with a function that reloads it (for Request access). */
  header?: (reload: () => void) => ReactNode;
}) {
  const requests = usePagedAccessRequests(props.serviceRef);
  const { value, loading, error, retry } = requests;
  if (error) {
    return (
      <ResponseErrorPanel
        title="Could not load the access requests"
        error={error}
      />
    );
  }
  const columns: TableColumn<Row>[] = [
    { title: 'Consumer', field: 'consumer', highlight: true },
    { title: 'Account', field: 'account' },
    { title: 'Requested by', field: 'requestedBy' },
    {
      title: 'Requested',
      field: 'requested',
      defaultSort: 'desc',
      cellStyle: NOWRAP,
    },
    { title: 'Reason', field: 'request.reason', sorting: false },
    {
      title: 'Status',
      field: 'status',
      cellStyle: NOWRAP,
      render: row => <RequestStatusChip status={row.request.status} />,
    },
    { title: 'Decision', field: 'decision', sorting: false },
  ];
  if (!props.serviceRef) {
    columns.unshift({
      title: 'Service',
      field: 'service',
      render: row => (
        <EntityLink entityRef={row.request.serviceRef} defaultKind="resource" />
      ),
    });
  }
  if (props.canReview) {
    columns.push({
      title: 'Actions',
      sorting: false,
      cellStyle: NOWRAP,
      render: row =>
        row.request.status === 'pending' ? (
          <AccessRequestActions
            request={row.request}
            onDone={() => {
              retry();
              props.onChanged?.();
            }}
          />
        ) : null,
    });
  }
  return (
    <>
      {props.header?.(retry)}
      <Table<Row>
        title={tableTitle(props.title ?? 'Access requests')}
        columns={fitColumns(columns)}
        data={(value ?? []).map(r => toRow(r, props.canReview === true))}
        isLoading={loading && !value}
        options={pagedTableOptions}
        emptyContent={<EmptyTableText>No access requests yet.</EmptyTableText>}
      />
      <ShowOlder list={requests} what="access requests" />
    </>
  );
}
