import { ReactNode } from 'react';
import { TableColumn } from '@backstage/core-components';

/** Options shared by the tab's and the page's tables: searchable, dense, ten rows a page. */
export const pagedTableOptions = {
  search: true,
  paging: true,
  pageSize: 10,
  pageSizeOptions: [10, 25, 50],
  padding: 'dense' as const,
  emptyRowsWhenPaging: false,
};

/** What a table of the tab says when it has no rows. */
export function EmptyTableText(props: { children: ReactNode }) {
  return <div style={{ padding: 16 }}>{props.children}</div>;
}

/**
 * A table's title on one line, however narrow the toolbar: the core Table puts it in a heading of its own.
 */
export function tableTitle(text: string) {
  return <span style={{ whiteSpace: 'nowrap' }}>{text}</span>;
}

/** Horizontal padding of the cells of {@link fitColumns}: the theme's 20 px left and 16 px right, less. */
const CELL_PADDING = { paddingLeft: 12, paddingRight: 12 };

/**
 * The columns of a core Table, sized to fit the table's width. Left without a width, the core Table gives every
 * column an equal share and fixes it in pixels on the body cells, as a minimum, so that a column whose content
 * needs more (an endpoint id, a chip, a row's buttons) pushes the table past its horizontal scroll; and with the
 * theme's 36 px of padding a cell, the one-line values of the tab's connections need more than the 1176 px that a
 * 1440 px window leaves them anyway. Either way the last column is cut off by the difference. `width: 'auto'` leaves the widths to the
 * browser's table layout, and closer cells give the content the room it needs: at 1440 px the connections and
 * the page's services fit with some 60 px to spare. The first column keeps the theme's left padding, in line with
 * the table's title.
 */
export function fitColumns<T extends object>(
  columns: TableColumn<T>[],
): TableColumn<T>[] {
  return columns.map((column, index) => {
    const padding =
      index === 0 ? { paddingRight: CELL_PADDING.paddingRight } : CELL_PADDING;
    const { cellStyle } = column;
    return {
      ...column,
      width: column.width ?? 'auto',
      headerStyle: { ...padding, ...column.headerStyle },
      cellStyle:
        typeof cellStyle === 'function'
          ? (data, rowData) => ({ ...padding, ...cellStyle(data, rowData) })
          : { ...padding, ...cellStyle },
    };
  });
}
