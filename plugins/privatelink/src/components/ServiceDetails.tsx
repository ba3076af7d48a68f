import { ReactNode } from 'react';
import { Entity } from '@backstage/catalog-model';
import { CopyTextButton } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import {
  EndpointServiceInfo,
  privateDnsStateLabel,
  readEndpointService,
} from '../lib/model';
import { StateChip } from './StateChip';

const useStyles = makeStyles(theme => ({
  list: {
    display: 'grid',
    gridTemplateColumns: 'minmax(10em, max-content) 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(1),
    margin: 0,
  },
  term: {
    fontWeight: theme.typography.fontWeightBold as number,
    color: theme.palette.text.secondary,
  },
  value: {
    margin: 0,
    minWidth: 0,
    overflowWrap: 'anywhere',
  },
  code: {
    fontFamily: 'monospace',
  },
  withButton: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    maxWidth: '100%',
  },
  inlineList: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
  },
  alert: {
    marginBottom: theme.spacing(1),
  },
}));

function Detail(props: { label: string; children: ReactNode }) {
  const classes = useStyles();
  return (
    <>
      <Typography component="dt" variant="body2" className={classes.term}>
        {props.label}
      </Typography>
      <Typography component="dd" variant="body2" className={classes.value}>
        {props.children}
      </Typography>
    </>
  );
}

const NOT_SET = '—';

function acceptanceLabel(value: boolean | undefined): string {
  if (value === undefined) return 'Unknown';
  return value ? 'Yes' : 'No';
}

/** Warnings about the service's data: stale sync and unverified private DNS. */
export function ServiceAlerts(props: { info: EndpointServiceInfo }) {
  const { info } = props;
  const classes = useStyles();
  return (
    <>
      {info.staleSince && (
        <Alert severity="warning" className={classes.alert}>
          Stale data: the account or region of this endpoint service could not
          be read since {info.staleSince}. What is shown may be out of date.
        </Alert>
      )}
      {info.privateDnsName && !info.privateDnsVerified && (
        <Alert severity="warning" className={classes.alert}>
          The private DNS name {info.privateDnsName} is not verified (
          {privateDnsStateLabel(info.privateDnsState)}). Consumers cannot use it
          until the domain ownership is verified.
        </Alert>
      )}
    </>
  );
}

/**
 * The endpoint service details read from the annotations of a vpc-endpoint-service Resource.
 * `showServiceLink` adds a link to the service entity (when shown on another entity's page).
 */
export function ServiceDetails(props: {
  service: Entity;
  showServiceLink?: boolean;
}) {
  const { service, showServiceLink } = props;
  const classes = useStyles();
  const info = readEndpointService(service);

  return (
    <Box>
      <ServiceAlerts info={info} />
      <dl className={classes.list}>
        {showServiceLink && (
          <Detail label="Endpoint service">
            <EntityRefLink entityRef={service} />
          </Detail>
        )}
        <Detail label="Service name">
          {info.serviceName ? (
            <span className={classes.withButton}>
              <span className={classes.code}>{info.serviceName}</span>
              <CopyTextButton
                text={info.serviceName}
                tooltipText="Service name copied to clipboard"
                aria-label="Copy service name"
              />
            </span>
          ) : (
            NOT_SET
          )}
        </Detail>
        <Detail label="Service id">
          <span className={classes.code}>{info.serviceId ?? NOT_SET}</span>
        </Detail>
        <Detail label="State">
          <StateChip state={info.state} />
        </Detail>
        <Detail label="DNS names">
          {info.dnsNames.length > 0 ? (
            <ul className={classes.inlineList} aria-label="DNS names">
              {info.dnsNames.map(name => (
                <li key={name} className={classes.code}>
                  {name}
                </li>
              ))}
            </ul>
          ) : (
            NOT_SET
          )}
        </Detail>
        <Detail label="Private DNS name">
          {info.privateDnsName ? (
            <>
              <span className={classes.code}>{info.privateDnsName}</span> (
              {privateDnsStateLabel(info.privateDnsState)})
            </>
          ) : (
            NOT_SET
          )}
        </Detail>
        <Detail label="Acceptance required">
          {acceptanceLabel(info.acceptanceRequired)}
        </Detail>
        <Detail label="Account">
          <span className={classes.code}>{info.accountId ?? NOT_SET}</span>
        </Detail>
        <Detail label="Region">{info.region ?? NOT_SET}</Detail>
      </dl>
    </Box>
  );
}
