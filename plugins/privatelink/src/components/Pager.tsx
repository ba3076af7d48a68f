import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import ChevronLeft from '@material-ui/icons/ChevronLeft';
import ChevronRight from '@material-ui/icons/ChevronRight';

/**
 * Previous / next page with the range shown. Lighter than MUI's TablePagination (no rows-per-page select),
 * which costs more to render than a page of the card's rows.
 */
export function Pager(props: {
  page: number;
  pageSize: number;
  count: number;
  onChange: (page: number) => void;
}) {
  const { page, pageSize, count, onChange } = props;
  const from = page * pageSize + 1;
  const to = Math.min(count, (page + 1) * pageSize);
  return (
    <Box display="flex" alignItems="center" justifyContent="flex-end">
      <Typography variant="caption" aria-live="polite">
        {from}-{to} of {count}
      </Typography>
      <IconButton
        size="small"
        aria-label="Previous page"
        disabled={page === 0}
        onClick={() => onChange(page - 1)}
      >
        <ChevronLeft fontSize="small" />
      </IconButton>
      <IconButton
        size="small"
        aria-label="Next page"
        disabled={to >= count}
        onClick={() => onChange(page + 1)}
      >
        <ChevronRight fontSize="small" />
      </IconButton>
    </Box>
  );
}

/**
 * Previous / next page of a list the backend pages with a cursor, where the pages before are known only as the
 * cursors that led to them: `summary` says what the page shows (e.g. `21-40 of 10,000`).
 */
export function CursorPager(props: {
  summary: string;
  hasPrevious: boolean;
  hasNext: boolean;
  disabled?: boolean;
  onPrevious: () => void;
  onNext: () => void;
}) {
  const { summary, hasPrevious, hasNext, disabled, onPrevious, onNext } = props;
  return (
    <Box display="flex" alignItems="center" justifyContent="flex-end" p={1}>
      <Typography variant="caption" aria-live="polite">
        {summary}
      </Typography>
      <IconButton
        size="small"
        aria-label="Previous page"
        disabled={disabled || !hasPrevious}
        onClick={onPrevious}
      >
        <ChevronLeft fontSize="small" />
      </IconButton>
      <IconButton
        size="small"
        aria-label="Next page"
        disabled={disabled || !hasNext}
        onClick={onNext}
      >
        <ChevronRight fontSize="small" />
      </IconButton>
    </Box>
  );
}
