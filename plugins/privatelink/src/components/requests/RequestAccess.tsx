import { useState } from 'react';
import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { RequestAccessDialog } from './RequestAccessDialog';

/** Name of the scaffolder template that creates a consumer endpoint for a service. */
const REQUEST_ACCESS_TEMPLATE = 'default/request-access-to-a-service';

/**
 * Link to the Request access template, with the fields given filled in: the service to connect to, and the
 * consuming component.
 */
export function requestAccessTemplateUrl(fields: {
  service?: string;
  component?: string;
}): string {
  const formData = encodeURIComponent(JSON.stringify(fields));
  return `/create/templates/${REQUEST_ACCESS_TEMPLATE}?formData=${formData}`;
}

/** For consumers: the Request access button (with its dialog) and the link to the template. */
export function RequestAccess(props: {
  serviceRef: string;
  serviceTitle: string;
  canRequest: boolean;
  onSent: () => void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={16}>
      {props.canRequest && (
        <Button
          variant="contained"
          color="primary"
          size="small"
          onClick={() => setOpen(true)}
        >
          Request access
        </Button>
      )}
      <Link to={requestAccessTemplateUrl({ service: props.serviceRef })}>
        Open the Request access template
      </Link>
      {open && (
        <RequestAccessDialog
          serviceRef={props.serviceRef}
          serviceTitle={props.serviceTitle}
          onClose={() => setOpen(false)}
          onSent={() => {
            setOpen(false);
            props.onSent();
          }}
        />
      )}
    </Box>
  );
}
