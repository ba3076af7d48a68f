import { Table, TableColumn } from '@backstage/core-components';

interface Row {
  id: string;
  principal: string;
  type: string;
  account: string;
}

const ARN = /^arn:aws[\w-]*:iam::(\d{12}):(root|role|user)/;
const TYPES: Record<string, string> = {
  root: 'Account',
  role: 'Role',
  user: 'User',
};

function toRow(principal: string): Row {
  const match = ARN.exec(principal);
  let type = 'Other';
  if (principal === '*') type = 'Everyone';
  else if (match) type = TYPES[match[2]];
  return { id: principal, principal, type, account: match?.[1] ?? '' };
}

const columns: TableColumn<Row>[] = [
  {
    title: 'Principal',
    field: 'principal',
    highlight: true,
    render: row => <code>{row.principal}</code>,
  },
  { title: 'Type', field: 'type' },
  { title: 'Account', field: 'account' },
];

/** The principals allowed to connect to the service. */
export function PrincipalsTable(props: { principals: string[] }) {
  return (
    <Table<Row>
      title={`Allowed principals (${props.principals.length})`}
      columns={columns}
      data={props.principals.map(toRow)}
      filters={[{ column: 'Type', type: 'select' }]}
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
          No principal is allowed: no other account can connect yet.
        </div>
      }
    />
  );
}
