import {
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { AuditEntry } from '@privatelink-backstage/plugin-privatelink-common';
import { useAuditLog } from '../../hooks/data';
import { formatDateTime, humanizeRef } from '../../lib/format';
import { ShowOlder } from '../ShowOlder';
import {
  fitColumns,
  EmptyTableText,
  pagedTableOptions,
  tableTitle,
} from '../tableDefaults';

interface Row {
  id: number;
  time: string;
  actor: string;
  via: string;
  action: string;
  result: string;
  details: string;
}

const RESULTS: Record<AuditEntry['result'], string> = {
  success: 'Success',
  error: 'Error',
  refused: 'Refused',
  // Written before AWS was called and never completed: the backend stopped halfway, the outcome is unknown.
  started: 'No outcome recorded',
};

const CHANNELS: Record<AuditEntry['via'], string> = {
  api: 'Portal',
  scaffolder: 'Template',
  job: 'Scheduled job',
};

function toRow(e: AuditEntry): Row {
  return {
    id: e.id,
    time: formatDateTime(e.createdAt),
    actor: humanizeRef(e.actor, 'user'),
    via: CHANNELS[e.via] ?? e.via,
    action: e.action,
    result: RESULTS[e.result] ?? e.result,
    details: [e.message, JSON.stringify(e.details)].filter(Boolean).join(' — '),
  };
}

const columns: TableColumn<Row>[] = fitColumns<Row>([
  { title: 'Time', field: 'time', defaultSort: 'desc' },
  { title: 'Actor', field: 'actor' },
  { title: 'Through', field: 'via' },
  { title: 'Action', field: 'action' },
  { title: 'Result', field: 'result' },
  { title: 'Details', field: 'details', sorting: false },
]);

/**
 * For owners: who changed what on the service, and how it ended. Newest first, a page at a time: "Show older"
 * under the table appends the next page.
 */
export function AuditLogTable(props: { serviceRef: string }) {
  const log = useAuditLog(props.serviceRef);
  const { value, loading, error } = log;
  if (error) {
    return (
      <ResponseErrorPanel title="Could not load the audit log" error={error} />
    );
  }
  return (
    <>
      <Table<Row>
        title={tableTitle('Audit log')}
        columns={columns}
        data={(value ?? []).map(toRow)}
        isLoading={loading}
        options={pagedTableOptions}
        emptyContent={
          <EmptyTableText>Nothing has been changed here yet.</EmptyTableText>
        }
      />
      <ShowOlder list={log} what="audit entries" />
    </>
  );
}
