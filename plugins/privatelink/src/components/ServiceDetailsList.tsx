import { ReactNode, memo } from 'react';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  PrivateLinkServiceDetails,
  normalizeEndpointState,
} from '@privatelink-backstage/plugin-privatelink-common';
import { privateDnsStateLabel } from '../lib/model';
import { StateChip } from './StateChip';
import { TruncatedText } from './TruncatedText';

const useDetailStyles = makeStyles(theme => ({
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
  value: { margin: 0, minWidth: 0, overflowWrap: 'anywhere' },
  code: { fontFamily: 'monospace', fontSize: '0.8125rem' },
  plainList: { listStyle: 'none', margin: 0, padding: 0 },
}));

/** One row of a {@link ServiceDetailsList}: a label and its value. */
export function Detail(props: { label: string; children: ReactNode }) {
  const classes = useDetailStyles();
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

/**
 * A list of long values (DNS names, ARNs) in monospace, each on one line with the whole value in a tooltip and a
 * copy button; or a dash. `keep="end"` cuts them at the start (ARNs).
 */
export function CodeList(props: {
  label: string;
  items: string[];
  keep?: 'start' | 'end';
}) {
  const classes = useDetailStyles();
  if (props.items.length === 0) return <>—</>;
  return (
    <ul className={classes.plainList} aria-label={props.label}>
      {props.items.map(item => (
        <li key={item}>
          <TruncatedText text={item} keep={props.keep} />
        </li>
      ))}
    </ul>
  );
}

/**
 * The connection details of an endpoint service. `showServiceLink` adds a link to the service entity, for
 * when the card is on another entity's page; `children` adds rows ({@link Detail}) at the end.
 */
function DetailsList(props: {
  details: PrivateLinkServiceDetails;
  showServiceLink?: boolean;
  children?: ReactNode;
}) {
  const { details, showServiceLink } = props;
  const classes = useDetailStyles();
  return (
    <dl className={classes.list}>
      {showServiceLink && (
        <Detail label="Endpoint service">
          <EntityRefLink entityRef={details.entityRef} title={details.title} />
        </Detail>
      )}
      <Detail label="Service name">
        <TruncatedText
          text={details.serviceName}
          keep="end"
          copiedText="Service name copied to clipboard"
          copyLabel="Copy service name"
        />
      </Detail>
      <Detail label="State">
        <StateChip state={normalizeEndpointState(details.state)} />
      </Detail>
      <Detail label="DNS names">
        <CodeList label="DNS names" items={details.dnsNames} />
      </Detail>
      <Detail label="Private DNS name">
        {details.privateDnsName ? (
          <>
            <TruncatedText
              text={details.privateDnsName}
              copiedText="Private DNS name copied to clipboard"
              copyLabel="Copy private DNS name"
            />{' '}
            ({privateDnsStateLabel(details.privateDnsState)})
          </>
        ) : (
          '—'
        )}
      </Detail>
      <Detail label="Acceptance required">
        {details.acceptanceRequired ? 'Yes' : 'No'}
      </Detail>
      <Detail label="Supported regions">
        {details.supportedRegions.length > 0
          ? details.supportedRegions.join(', ')
          : details.region}
      </Detail>
      <Detail label="Account">
        <span className={classes.code}>{details.accountId}</span>
      </Detail>
      {props.children}
    </dl>
  );
}

export const ServiceDetailsList = memo(DetailsList);
