import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { PrivateLinkConsumerEndpoint } from '@privatelink-backstage/plugin-privatelink-common';
import { isPrivateDnsVerified } from '../../lib/model';
import { TruncatedText } from '../TruncatedText';

const useStyles = makeStyles(theme => ({
  others: { listStyle: 'none', margin: 0, padding: 0 },
  toggle: {
    minWidth: 0,
    padding: theme.spacing(0, 0.5),
    textTransform: 'none',
  },
}));

/** A DNS name in monospace, cut to the cell's width with the whole name in a tooltip, and a copy button. */
function DnsName(props: { name: string; copyLabel: string }) {
  return (
    <TruncatedText
      text={props.name}
      maxWidth="24em"
      copiedText="DNS name copied to clipboard"
      copyLabel={props.copyLabel}
    />
  );
}

/** Why the endpoint's own DNS name is the one to use, when the service has a private DNS name. */
function whyNotPrivateDns(endpoint: PrivateLinkConsumerEndpoint) {
  const privateName = endpoint.service?.privateDnsName;
  if (!privateName) return undefined;
  if (endpoint.privateDnsEnabled === false) {
    return `Private DNS is not enabled on this endpoint, so ${privateName} does not resolve to it`;
  }
  if (!isPrivateDnsVerified(endpoint.service?.privateDnsState)) {
    return `The service's private DNS name ${privateName} is not verified yet`;
  }
  return undefined;
}

/**
 * The DNS name a consumer puts in its configuration (`dnsNameToUse`), with a copy button and where it comes from
 * (the service's private DNS name or the endpoint's own); the endpoint's other DNS names behind a "+N more"
 * toggle.
 */
export function DnsNameCell(props: { endpoint: PrivateLinkConsumerEndpoint }) {
  const { endpoint } = props;
  const classes = useStyles();
  const [open, setOpen] = useState(false);
  const others = endpoint.otherDnsNames ?? [];
  const listId = `privatelink-dns-${endpoint.endpointId}`;
  if (!endpoint.dnsNameToUse) {
    return (
      <Typography variant="body2" color="textSecondary">
        No DNS name known yet
      </Typography>
    );
  }
  const why = whyNotPrivateDns(endpoint);
  const source =
    endpoint.dnsNameSource === 'private-dns'
      ? 'Private DNS name'
      : 'Endpoint DNS name';
  return (
    <>
      <DnsName
        name={endpoint.dnsNameToUse}
        copyLabel={`Copy the DNS name of ${endpoint.endpointId}`}
      />
      <Typography variant="caption" color="textSecondary" component="div">
        {why ? (
          <Tooltip title={why}>
            <span>{source}</span>
          </Tooltip>
        ) : (
          <span>{source}</span>
        )}
        {others.length > 0 && (
          <>
            {' · '}
            <Button
              size="small"
              color="primary"
              className={classes.toggle}
              aria-expanded={open}
              aria-controls={listId}
              aria-label={
                open
                  ? `Hide the other DNS names of ${endpoint.endpointId}`
                  : `Show ${others.length} other DNS ${
                      others.length === 1 ? 'name' : 'names'
                    } of ${endpoint.endpointId}`
              }
              onClick={() => setOpen(o => !o)}
            >
              {open ? 'fewer' : `+${others.length} more`}
            </Button>
          </>
        )}
      </Typography>
      {open && (
        <ul
          id={listId}
          className={classes.others}
          aria-label={`Other DNS names of ${endpoint.endpointId}`}
        >
          {others.map(name => (
            <li key={name}>
              <DnsName name={name} copyLabel={`Copy ${name}`} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
