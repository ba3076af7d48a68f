import { Table, TableColumn } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import { PrivateLinkServiceDetails } from '@privatelink-backstage/plugin-privatelink-common';
import { AllowPrincipals, RevokePrincipal } from '../actions/PrincipalActions';
import {
  fitColumns,
  EmptyTableText,
  pagedTableOptions,
  tableTitle,
} from '../tableDefaults';
import { TruncatedText } from '../TruncatedText';

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
    render: row => (
      <TruncatedText
        text={row.principal}
        keep="end"
        maxWidth={420}
        copiedText="Principal copied to clipboard"
        copyLabel={`Copy ${row.principal}`}
      />
    ),
  },
  { title: 'Type', field: 'type' },
  { title: 'Account', field: 'account' },
];

/** The principals allowed to connect to the service; owners allow more and revoke them. */
export function PrincipalsTable(props: {
  service: PrivateLinkServiceDetails;
  canManage: boolean;
  onChanged: () => void;
}) {
  const { service, canManage, onChanged } = props;
  const principals = service.allowedPrincipals;
  const shown = canManage
    ? [
        ...columns,
        {
          title: 'Actions',
          sorting: false,
          render: (row: Row) => (
            <RevokePrincipal
              service={service}
              principal={row.principal}
              onDone={onChanged}
            />
          ),
        },
      ]
    : columns;
  return (
    <>
      {canManage && (
        <Box mb={2}>
          <AllowPrincipals service={service} onDone={onChanged} />
        </Box>
      )}
      <Table<Row>
        title={tableTitle(`Allowed principals (${principals.length})`)}
        columns={fitColumns(shown)}
        data={principals.map(toRow)}
        options={pagedTableOptions}
        emptyContent={
          <EmptyTableText>
            No principal is allowed: no other account can connect yet.
          </EmptyTableText>
        }
      />
    </>
  );
}
