import { ReactNode } from 'react';
import { CopyTextButton } from '@backstage/core-components';
import Tooltip from '@material-ui/core/Tooltip';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    minWidth: 0,
    maxWidth: '100%',
    verticalAlign: 'middle',
  },
  value: {
    display: 'block',
    minWidth: 0,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  code: {
    fontFamily: 'monospace',
    fontSize: '0.8125rem',
  },
  // The ellipsis at the start: the end of an AWS service name or ARN is the part that tells them apart.
  keepEnd: {
    direction: 'rtl',
    textAlign: 'left',
  },
  copy: { flexShrink: 0 },
  short: { fontFamily: 'monospace', whiteSpace: 'nowrap' },
}));

/** A short id (account, endpoint, VPC) in monospace, never broken over lines. */
export function Code(props: { children: ReactNode }) {
  const classes = useStyles();
  return <code className={classes.short}>{props.children}</code>;
}

/**
 * A long value (an AWS service name, ARN, DNS name or endpoint id) on one line: monospace, cut with an ellipsis
 * to `maxWidth` (or the space there is), the whole value in a tooltip, and a button that copies it.
 * `keep="end"` puts the ellipsis at the start, for values whose end tells them apart (service names, ARNs).
 */
export function TruncatedText(props: {
  text: string;
  /** The copy button's accessible name; no copy button when `copy` is false. */
  copyLabel?: string;
  /** What the copy button says once it copied. */
  copiedText?: string;
  copy?: boolean;
  maxWidth?: number | string;
  keep?: 'start' | 'end';
  /** Not monospace (e.g. a title). */
  plain?: boolean;
  /** Rendered instead of the text, e.g. a link; the tooltip and the copy button still hold `text`. */
  children?: ReactNode;
}) {
  const classes = useStyles();
  const { text, copy = true, keep = 'start' } = props;
  const content = props.children ?? text;
  return (
    <span
      className={classes.root}
      style={props.maxWidth !== undefined ? { maxWidth: props.maxWidth } : {}}
    >
      <Tooltip title={text} placement="top-start">
        <span
          className={[
            classes.value,
            props.plain ? '' : classes.code,
            keep === 'end' ? classes.keepEnd : '',
          ]
            .filter(Boolean)
            .join(' ')}
        >
          {keep === 'end' ? <span dir="ltr">{content}</span> : content}
        </span>
      </Tooltip>
      {copy && (
        <span className={classes.copy}>
          <CopyTextButton
            text={text}
            variant="tertiary"
            tooltipText={props.copiedText ?? 'Copied to clipboard'}
            aria-label={props.copyLabel ?? `Copy ${text}`}
          />
        </span>
      )}
    </span>
  );
}
