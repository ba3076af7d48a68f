import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Alert from '@material-ui/lab/Alert';
import { PagedList } from '../hooks/data';
import { errorMessage } from '../lib/format';

/**
 * Under a table of a {@link PagedList}: "Show older" while the backend has an older page, which it loads and
 * appends, and why that failed when it did. Renders nothing once the last page is shown.
 */
export function ShowOlder<T>(props: {
  list: PagedList<T>;
  /** What the list holds, for the button's name and the error ("Could not load older access requests"). */
  what: string;
}) {
  const { list } = props;
  if (!list.value || (!list.hasOlder && !list.olderError)) return null;
  return (
    <Box mt={1}>
      {list.olderError && (
        <Box mb={1}>
          <Alert severity="error">
            Could not load older {props.what}: {errorMessage(list.olderError)}
          </Alert>
        </Box>
      )}
      {list.hasOlder && (
        <Box display="flex" justifyContent="center">
          <Button
            variant="outlined"
            size="small"
            // Both tables of the tab have one: the name tells them apart for screen readers.
            aria-label={`Show older ${props.what}`}
            onClick={list.loadOlder}
            disabled={list.loadingOlder}
            aria-busy={list.loadingOlder}
            startIcon={
              list.loadingOlder ? (
                <CircularProgress size={16} aria-label="Loading older" />
              ) : undefined
            }
          >
            Show older
          </Button>
        </Box>
      )}
    </Box>
  );
}
