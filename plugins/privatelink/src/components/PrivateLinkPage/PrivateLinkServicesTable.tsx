import { ReactNode, useState } from 'react';
import {
  EmptyState,
  InfoCard,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink, catalogApiRef } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import InputAdornment from '@material-ui/core/InputAdornment';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import SearchIcon from '@material-ui/icons/Search';
import Autocomplete from '@material-ui/lab/Autocomplete';
import {
  ANNOTATIONS,
  EndpointServiceSearchItem,
  EndpointServiceSearchPage,
  EndpointServiceSearchQuery,
} from '@privatelink-backstage/plugin-privatelink-common';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useDebounce from 'react-use/esm/useDebounce';
import { privatelinkApiRef } from '../../api';
import { humanizeRef } from '../../lib/format';
import { ENDPOINT_SERVICE_FILTER, privateDnsStateLabel } from '../../lib/model';
import { CursorPager } from '../Pager';
import { RetryButton } from '../RetryButton';
import { AccessChip } from '../StateChip';
import { fitColumns, EmptyTableText } from '../tableDefaults';
import { TruncatedText } from '../TruncatedText';

/** Services per page. */
const PAGE_SIZE = 20;
/** How long typing pauses before the search is sent. */
const SEARCH_DELAY_MS = 300;

const ACCOUNT_FACET = `metadata.annotations.${ANNOTATIONS.accountId}`;

const useStyles = makeStyles(theme => ({
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    padding: theme.spacing(0, 2, 2),
  },
  search: { minWidth: 280, flexGrow: 1 },
  select: { minWidth: 200 },
}));

/** What the user searches for: the words and the filters of the page's toolbar. */
interface Search {
  q: string;
  owner?: string;
  system?: string;
  accountId?: string;
  connectable: boolean;
}

/**
 * A page being shown, as the cursor that leads to it (none for the first) and what the pages before it held, for
 * the range shown under the table.
 */
interface PageRef {
  cursor?: string;
  offset: number;
  scanned: number;
}

const FIRST_PAGE: PageRef = { offset: 0, scanned: 0 };

function toQuery(search: Search): EndpointServiceSearchQuery {
  return {
    q: search.q || undefined,
    owner: search.owner,
    system: search.system,
    accountId: search.accountId,
    access: search.connectable ? 'connectable' : undefined,
    limit: PAGE_SIZE,
  };
}

const number = (n: number) => n.toLocaleString('en-US');

/** What the pager says the page shows. */
function summaryOf(page: EndpointServiceSearchPage, at: PageRef): string {
  const shown = page.items.length;
  const range = `${number(at.offset + 1)}-${number(at.offset + shown)}`;
  if (page.scanned === undefined) {
    return shown
      ? `${range} of ${number(page.totalItems)}`
      : `0 of ${number(page.totalItems)}`;
  }
  // "I can connect" is applied after the catalog's pages: say how far through the matches the pages have read.
  const read = `${number(at.scanned + page.scanned)} of ${number(
    page.totalItems,
  )} services read`;
  return shown
    ? `${range} you can connect to; ${read}`
    : `None you can connect to yet; ${read}`;
}

/** Keeps short values (titles, owners, Yes/No) on one line: the long AWS names are the ones cut, with a tooltip. */
const NOWRAP = { whiteSpace: 'nowrap' } as const;

function useColumns(): TableColumn<EndpointServiceSearchItem>[] {
  return fitColumns<EndpointServiceSearchItem>([
    {
      title: 'Service',
      field: 'title',
      highlight: true,
      cellStyle: { ...NOWRAP },
      render: row => (
        <EntityRefLink entityRef={row.entityRef} hideIcon>
          {row.title ?? row.name}
        </EntityRefLink>
      ),
    },
    {
      title: 'Owner',
      field: 'owner',
      cellStyle: NOWRAP,
      render: row =>
        row.owner ? (
          <EntityRefLink entityRef={row.owner} defaultKind="group" hideIcon />
        ) : (
          '—'
        ),
    },
    {
      title: 'System',
      field: 'system',
      cellStyle: NOWRAP,
      render: row =>
        row.system ? (
          <EntityRefLink entityRef={row.system} defaultKind="system" hideIcon />
        ) : (
          '—'
        ),
    },
    {
      title: 'Service name',
      field: 'serviceName',
      render: row =>
        row.serviceName ? (
          <TruncatedText
            text={row.serviceName}
            keep="end"
            maxWidth={150}
            copiedText="Service name copied to clipboard"
            copyLabel={`Copy service name of ${row.title ?? row.name}`}
          />
        ) : (
          '—'
        ),
    },
    {
      title: 'Private DNS name',
      field: 'privateDnsName',
      render: row =>
        row.privateDnsName ? (
          <>
            {/* No copy button: the service name is the one to copy here, and the row must fit. */}
            <TruncatedText
              text={row.privateDnsName}
              maxWidth={130}
              copy={false}
            />
            <Typography variant="caption" color="textSecondary" component="div">
              {privateDnsStateLabel(row.privateDnsState)}
            </Typography>
          </>
        ) : (
          '—'
        ),
    },
    {
      title: 'Acceptance required',
      field: 'acceptanceRequired',
      cellStyle: NOWRAP,
      render: row => {
        if (row.acceptanceRequired === undefined) return 'Unknown';
        return row.acceptanceRequired ? 'Yes' : 'No';
      },
    },
    { title: 'Consumers', field: 'consumers', type: 'numeric' },
    {
      title: 'Your access',
      field: 'access',
      cellStyle: NOWRAP,
      render: row => <AccessChip access={row.access} />,
    },
  ]);
}

/** A filter of the toolbar: one value of a catalog facet, or any. */
function FacetFilter(props: {
  label: string;
  options: string[];
  value?: string;
  optionLabel: (value: string) => string;
  onChange: (value?: string) => void;
}) {
  const classes = useStyles();
  return (
    <Autocomplete
      className={classes.select}
      size="small"
      options={props.options}
      getOptionLabel={props.optionLabel}
      value={props.value ?? null}
      onChange={(_event, value) => props.onChange(value ?? undefined)}
      renderInput={params => (
        <TextField {...params} label={props.label} variant="outlined" />
      )}
    />
  );
}

/**
 * The values the filters offer, as the catalog counts them for every endpoint service (one facets query, whatever
 * the number of services), with the accounts' configured names. The filters stay empty when either fails: the
 * search box still works.
 */
function useFilterOptions() {
  const catalogApi = useApi(catalogApiRef);
  const privatelinkApi = useApi(privatelinkApiRef);
  const { value: facets } = useAsync(
    () =>
      catalogApi.getEntityFacets({
        filter: ENDPOINT_SERVICE_FILTER,
        facets: ['spec.owner', 'spec.system', ACCOUNT_FACET],
      }),
    [catalogApi],
  );
  const { value: settings } = useAsync(
    async () => (await privatelinkApi.getSettings()) ?? undefined,
    [privatelinkApi],
  );
  const values = (facet: string) =>
    (facets?.facets[facet] ?? []).map(f => f.value).sort();
  const accountNames = new Map(
    (settings?.accounts ?? []).map(a => [a.accountId, a.name]),
  );
  return {
    owners: values('spec.owner'),
    systems: values('spec.system'),
    accounts: values(ACCOUNT_FACET),
    accountLabel: (id: string) =>
      accountNames.get(id) ? `${accountNames.get(id)} (${id})` : id,
  };
}

/**
 * "What can I consume privately?": the synced endpoint services, a page at a time from the backend (which searches
 * and pages the catalog), each with where the user's teams stand with it. Searchable by name, title and service
 * name; filterable by owner, system, account, and to the services the user's teams can connect to.
 *
 * @public
 */
export function PrivateLinkServicesTable() {
  const api = useApi(privatelinkApiRef);
  const classes = useStyles();
  const columns = useColumns();
  const options = useFilterOptions();
  const [text, setText] = useState('');
  // One state, so that a new search and its return to the first page are one change (and one request).
  const [state, setState] = useState<{ search: Search; pages: PageRef[] }>({
    search: { q: '', connectable: false },
    pages: [FIRST_PAGE],
  });
  const change = (update: Partial<Search>) =>
    setState(s => ({
      search: { ...s.search, ...update },
      pages: [FIRST_PAGE],
    }));
  useDebounce(
    () => {
      if (text.trim() !== state.search.q) change({ q: text.trim() });
    },
    SEARCH_DELAY_MS,
    [text],
  );

  const at = state.pages[state.pages.length - 1];
  const { value, loading, error, retry } = useAsyncRetry(
    () =>
      api.searchServices(
        at.cursor
          ? { cursor: at.cursor, limit: PAGE_SIZE }
          : toQuery(state.search),
      ),
    [api, state],
  );
  const next = () => {
    if (!value?.nextCursor) return;
    const page: PageRef = {
      cursor: value.nextCursor,
      offset: at.offset + value.items.length,
      scanned: at.scanned + (value.scanned ?? 0),
    };
    setState(s => ({ ...s, pages: [...s.pages, page] }));
  };
  const previous = () => setState(s => ({ ...s, pages: s.pages.slice(0, -1) }));

  const { search } = state;
  const searching = Boolean(
    search.q ||
      search.owner ||
      search.system ||
      search.accountId ||
      search.connectable,
  );
  let empty: ReactNode = (
    <EmptyState
      missing="data"
      title="No endpoint services"
      description="No endpoint service is synced into the catalog yet."
    />
  );
  if (value?.nextCursor) {
    empty = (
      <EmptyTableText>
        None you can connect to among these services: see the next page.
      </EmptyTableText>
    );
  } else if (searching) {
    empty = (
      <EmptyTableText>No endpoint service matches the search.</EmptyTableText>
    );
  }

  return (
    <InfoCard
      title="What can I consume privately?"
      subheader="Endpoint services in the catalog that you can connect to over AWS PrivateLink, and where your teams stand with each"
      titleTypographyProps={{ component: 'h2', variant: 'h5' }}
      noPadding
    >
      <Box className={classes.filters} role="search">
        <TextField
          id="privatelink-services-search"
          className={classes.search}
          size="small"
          variant="outlined"
          label="Search services"
          placeholder="Name, title or service name"
          value={text}
          onChange={e => setText(e.target.value)}
          InputProps={{
            startAdornment: (
              <InputAdornment position="start">
                <SearchIcon fontSize="small" />
              </InputAdornment>
            ),
          }}
        />
        <FacetFilter
          label="Owner"
          options={options.owners}
          value={search.owner}
          optionLabel={v => humanizeRef(v, 'group')}
          onChange={owner => change({ owner })}
        />
        <FacetFilter
          label="System"
          options={options.systems}
          value={search.system}
          optionLabel={v => humanizeRef(v, 'system')}
          onChange={system => change({ system })}
        />
        <FacetFilter
          label="Account"
          options={options.accounts}
          value={search.accountId}
          optionLabel={options.accountLabel}
          onChange={accountId => change({ accountId })}
        />
        <FormControlLabel
          control={
            <Switch
              checked={search.connectable}
              onChange={(_event, connectable) => change({ connectable })}
              color="primary"
            />
          }
          label="I can connect"
        />
      </Box>
      {error ? (
        <Box p={2}>
          <ResponseErrorPanel
            title="Could not load the endpoint services"
            error={error}
          />
          <RetryButton onRetry={retry} />
        </Box>
      ) : (
        <>
          <Table<EndpointServiceSearchItem>
            columns={columns}
            data={value?.items ?? []}
            isLoading={loading}
            components={{ Container: PlainContainer }}
            options={{
              toolbar: false,
              paging: false,
              search: false,
              sorting: false,
              draggable: false,
              padding: 'dense',
            }}
            emptyContent={empty}
          />
          {value && value.totalItems > 0 && (
            <CursorPager
              summary={summaryOf(value, at)}
              hasPrevious={state.pages.length > 1}
              hasNext={Boolean(value.nextCursor)}
              disabled={loading}
              onPrevious={previous}
              onNext={next}
            />
          )}
        </>
      )}
    </InfoCard>
  );
}

/** The table inside the card: no second paper of its own. */
function PlainContainer(props: { children?: ReactNode }) {
  return <div>{props.children}</div>;
}
