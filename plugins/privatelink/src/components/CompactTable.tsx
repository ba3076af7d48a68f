import { ReactNode, useState } from 'react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Pager } from './Pager';

/** A column of a {@link CompactTable}. */
export interface CompactColumn<T> {
  /** Header text; `hidden` keeps it for screen readers only (e.g. Actions). */
  title: string;
  hidden?: boolean;
  render: (row: T) => ReactNode;
  /** Hover text of the cell. */
  hint?: (row: T) => string | undefined;
}

/** A small, paginated table for the card: only the rows of the current page are rendered. */
export function CompactTable<T>(props: {
  label: string;
  columns: CompactColumn<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  pageSize?: number;
}) {
  const { columns, rows, pageSize = 5 } = props;
  const [page, setPage] = useState(0);
  // Stay on a page that exists when rows go away (after an action, say).
  const lastPage = Math.max(0, Math.ceil(rows.length / pageSize) - 1);
  const current = Math.min(page, lastPage);
  const shown = rows.slice(current * pageSize, (current + 1) * pageSize);
  return (
    <>
      <Table size="small" aria-label={props.label}>
        <TableHead>
          <TableRow>
            {columns.map(c => (
              <TableCell key={c.title}>
                {c.hidden ? (
                  <Typography variant="srOnly">{c.title}</Typography>
                ) : (
                  c.title
                )}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {shown.map(row => (
            <TableRow key={props.rowKey(row)}>
              {columns.map(c => (
                <TableCell key={c.title} title={c.hint?.(row)}>
                  {c.render(row)}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {rows.length > pageSize && (
        <Pager
          page={current}
          pageSize={pageSize}
          count={rows.length}
          onChange={setPage}
        />
      )}
    </>
  );
}
