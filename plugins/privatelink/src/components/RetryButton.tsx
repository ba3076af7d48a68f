import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';

/** The Retry button under a failed load. */
export function RetryButton(props: { onRetry: () => void }) {
  return (
    <Box mt={1}>
      <Button variant="outlined" size="small" onClick={props.onRetry}>
        Retry
      </Button>
    </Box>
  );
}
