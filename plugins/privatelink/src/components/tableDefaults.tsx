import { ReactNode } from 'react';

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
