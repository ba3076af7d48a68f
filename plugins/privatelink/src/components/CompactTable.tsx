import { ReactNode, useState } from 'react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { Pager } from './Pager';

const useStyles = makeStyles(theme => ({
  // Closer than the theme's table cells: a card's table shares half a page between its columns.
  cell: { padding: theme.spacing(1, 1.5) },
  // The theme breaks a cell's words anywhere, down to one letter a line, when the columns are short of room.
  nowrap: { whiteSpace: 'nowrap' },
}));

/** A column of a {@link CompactTable}. */
export interface CompactColumn<T> {
  /** Header text; `hidden` keeps it for screen readers only (e.g. Actions). */
  title: string;
  hidden?: boolean;
  render: (row: T) => ReactNode;
  /** Hover text of the cell. */
  hint?: (row: T) => string | undefined;
  /** Keeps the cells on one line (short values: dates, buttons). */
  nowrap?: boolean;
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
  const classes = useStyles();
  const [page, setPage] = useState(0);
  // Stay on a page that exists when rows go away (after an action, say).
  const lastPage = Math.max(0, Math.ceil(rows.length / pageSize) - 1);
  const current = Math.min(page, lastPage);
  const shown = rows.slice(current * pageSize, (current + 1) * pageSize);
  const cellClass = (c: CompactColumn<T>) =>
    c.nowrap ? `${classes.cell} ${classes.nowrap}` : classes.cell;
  return (
    <>
      <Table size="small" aria-label={props.label}>
        <TableHead>
          <TableRow>
            {columns.map(c => (
              <TableCell key={c.title} className={cellClass(c)}>
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
                <TableCell
                  key={c.title}
                  className={cellClass(c)}
                  title={c.hint?.(row)}
                >
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
