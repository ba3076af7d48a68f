import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  CONSUMER_REF,
  consumerEndpoints,
  makeConsumerDetails,
  makeConsumerEndpoint,
  makeRequest,
} from '../../__fixtures__/details';
import { consumerComponent, consumerGroup } from '../../__fixtures__/entities';
import {
  mockPrivateLinkApi,
  renderWithApis,
  responseError,
} from '../../__testUtils__/renderWithApis';
import { PrivateLinkApi } from '../../api';
import {
  EntityPrivateLinkConsumerCard,
  EntityPrivateLinkConsumerCardProps,
} from '.';

// The tooltips and the lazy table render slowly in jsdom, more so when the suites run in parallel.
jest.setTimeout(60_000);

function render(
  api: PrivateLinkApi,
  options: {
    entity?: typeof consumerComponent;
    mountPage?: boolean;
  } & EntityPrivateLinkConsumerCardProps = {},
) {
  const { entity = consumerComponent, mountPage, ...props } = options;
  return renderWithApis(<EntityPrivateLinkConsumerCard {...props} />, {
    api,
    entity,
    mountPage,
  });
}

function withDetails(details: ReturnType<typeof makeConsumerDetails>) {
  return mockPrivateLinkApi({
    getConsumerDetails: jest.fn().mockResolvedValue(details),
  });
}

async function endpointRows(): Promise<HTMLElement[]> {
  const table = await screen.findByRole('table', {
    name: 'Private connections',
  });
  return within(table).getAllByRole('row').slice(1);
}

const [orders, auth, logging] = consumerEndpoints;

describe('EntityPrivateLinkConsumerCard', () => {
  it('shows a progress bar while loading', async () => {
    render(
      mockPrivateLinkApi({
        getConsumerDetails: jest.fn().mockReturnValue(new Promise(() => {})),
      }),
    );
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
    expect(screen.getByText('Private connections')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('lists one row per endpoint: service, state, DNS name to use, account and VPC, since', async () => {
    const api = mockPrivateLinkApi();
    render(api);

    const rows = await endpointRows();
    expect(api.getConsumerDetails).toHaveBeenCalledWith(CONSUMER_REF);
    expect(rows).toHaveLength(3);

    // A private-DNS row: the service's verified private DNS name is the one to use.
    expect(
      within(rows[0]).getByRole('link', { name: 'Orders API' }),
    ).toHaveAttribute('href', '/catalog/default/resource/orders-api');
    expect(
      within(rows[0]).getByRole('link', { name: orders.endpointId }),
    ).toHaveAttribute('href', `/catalog/default/resource/${orders.endpointId}`);
    expect(within(rows[0]).getByText('Available')).toBeInTheDocument();
    expect(
      within(rows[0]).getByText('orders.internal.example.com'),
    ).toBeInTheDocument();
    expect(within(rows[0]).getByText('Private DNS name')).toBeInTheDocument();
    expect(
      within(rows[0]).getByRole('button', {
        name: `Copy the DNS name of ${orders.endpointId}`,
      }),
    ).toBeInTheDocument();
    expect(rows[0]).toHaveTextContent('222222222222 · eu-west-1');
    expect(rows[0]).toHaveTextContent('vpc-0a1b2c3d4e5f60718');
    expect(rows[0]).toHaveTextContent('since 3 days ago');

    // An endpoint-DNS row: the endpoint does not enable private DNS, so its own regional name is the one.
    expect(within(rows[1]).getByText(auth.dnsNameToUse!)).toBeInTheDocument();
    expect(within(rows[1]).getByText('Endpoint DNS name')).toBeInTheDocument();
    expect(within(rows[1]).getByText('Pending acceptance')).toBeInTheDocument();
    expect(rows[1]).toHaveTextContent('yesterday');

    // A service without a title is named by its ref; without a VPC, only the region is known.
    expect(
      within(rows[2]).getByRole('link', { name: 'central-logging' }),
    ).toBeInTheDocument();
    expect(rows[2]).toHaveTextContent('2 months ago');
    expect(rows[2]).not.toHaveTextContent('vpc-');
  });

  it('copies the DNS name to use', async () => {
    const copied: string[] = [];
    const execCommand = jest.fn((command: string) => {
      if (command === 'copy') copied.push(String(document.getSelection()));
      return true;
    });
    Object.defineProperty(document, 'execCommand', {
      value: execCommand,
      configurable: true,
    });
    try {
      render(mockPrivateLinkApi());
      const rows = await endpointRows();
      await userEvent.click(
        within(rows[1]).getByRole('button', {
          name: `Copy the DNS name of ${auth.endpointId}`,
        }),
      );
      await waitFor(() => expect(copied).toEqual([auth.dnsNameToUse]));
    } finally {
      delete (document as any).execCommand;
    }
  });

  it('shows the whole DNS name in a tooltip', async () => {
    render(mockPrivateLinkApi());
    const rows = await endpointRows();
    await userEvent.hover(within(rows[1]).getByText(auth.dnsNameToUse!));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      auth.dnsNameToUse!,
    );
  });

  it('reveals the other DNS names on demand', async () => {
    render(mockPrivateLinkApi());
    const rows = await endpointRows();
    expect(
      screen.queryByRole('list', {
        name: `Other DNS names of ${orders.endpointId}`,
      }),
    ).not.toBeInTheDocument();
    expect(
      within(rows[0]).queryByText(orders.otherDnsNames[0]),
    ).not.toBeInTheDocument();

    const toggle = within(rows[0]).getByRole('button', {
      name: `Show 3 other DNS names of ${orders.endpointId}`,
    });
    expect(toggle).toHaveTextContent('+3 more');
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(toggle);

    const list = within(rows[0]).getByRole('list', {
      name: `Other DNS names of ${orders.endpointId}`,
    });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual(orders.otherDnsNames);
    expect(
      within(list).getByRole('button', {
        name: `Copy ${orders.otherDnsNames[1]}`,
      }),
    ).toBeInTheDocument();
    const hide = within(rows[0]).getByRole('button', {
      name: `Hide the other DNS names of ${orders.endpointId}`,
    });
    expect(hide).toHaveAttribute('aria-expanded', 'true');

    await userEvent.click(hide);
    expect(
      within(rows[0]).queryByRole('list', {
        name: `Other DNS names of ${orders.endpointId}`,
      }),
    ).not.toBeInTheDocument();
    // The second endpoint has two other names; the third none, and no toggle.
    expect(
      within(rows[1]).getByRole('button', {
        name: `Show 2 other DNS names of ${auth.endpointId}`,
      }),
    ).toBeInTheDocument();
    expect(
      within(rows[2]).queryByRole('button', { name: /other DNS names?/ }),
    ).not.toBeInTheDocument();
  });

  it('says why the endpoint’s own DNS name is the one to use', async () => {
    render(mockPrivateLinkApi());
    const rows = await endpointRows();
    await userEvent.hover(within(rows[1]).getByText('Endpoint DNS name'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'Private DNS is not enabled on this endpoint, so auth.internal.example.com does not resolve to it',
    );
  });

  it('flags stale endpoints', async () => {
    render(mockPrivateLinkApi());
    const rows = await endpointRows();
    expect(screen.getByRole('alert')).toHaveTextContent(
      `Stale data: 1 endpoint could not be read from AWS since 2024-05-01 10:00 UTC (${logging.endpointId}).`,
    );
    expect(rows[2]).toHaveTextContent('Stale since 2024-05-01 10:00 UTC');
    expect(rows[0]).not.toHaveTextContent('Stale');
  });

  it('lists the pending and denied access requests with their reasons', async () => {
    render(mockPrivateLinkApi());
    const table = await screen.findByRole('table', {
      name: 'Pending and denied access requests',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(r => r.textContent)).toEqual([
      'search-apiPending2222222222222024-06-03Payments searches past payments',
      'ledger-apiDenied2222222222222024-06-01Reconcile payoutsDenied by olivia: Use the reporting replica instead',
    ]);
    expect(
      within(rows[1]).getByRole('link', { name: 'ledger-api' }),
    ).toHaveAttribute('href', '/catalog/default/resource/ledger-api');
    // Every request is the component's own: no consumer column.
    expect(
      within(table).queryByRole('columnheader', { name: 'Consumer' }),
    ).not.toBeInTheDocument();
  });

  it('names the consumer of each request on a group', async () => {
    render(
      withDetails(
        makeConsumerDetails({
          entityRef: 'group:default/payments',
          endpoints: [orders],
        }),
      ),
      { entity: consumerGroup },
    );
    const table = await screen.findByRole('table', {
      name: 'Pending and denied access requests',
    });
    expect(
      within(table).getByRole('columnheader', { name: 'Consumer' }),
    ).toBeInTheDocument();
    expect(within(table).getAllByRole('row')[1]).toHaveTextContent(
      'search-apipayments-apiPending',
    );
  });

  it('shows an endpoint to a service the catalog does not know', async () => {
    render(
      withDetails(
        makeConsumerDetails({
          endpoints: [
            makeConsumerEndpoint({
              endpointId: 'vpce-0ddd1111eeee22223',
              dnsNameToUse:
                'vpce-0ddd1111eeee22223-x.s3.eu-west-1.vpce.amazonaws.com',
              dnsNameSource: 'endpoint',
            }),
            makeConsumerEndpoint({ endpointId: 'vpce-0eee1111ffff22223' }),
          ],
          requests: [],
        }),
      ),
    );
    const rows = await endpointRows();
    expect(rows[0]).toHaveTextContent('Service not in the catalog');
    expect(rows[0]).toHaveTextContent('vpce-0ddd1111eeee22223');
    expect(rows[1]).toHaveTextContent('No DNS name known yet');
    expect(
      screen.queryByRole('table', {
        name: 'Pending and denied access requests',
      }),
    ).not.toBeInTheDocument();
  });

  describe('without endpoints', () => {
    const empty = makeConsumerDetails({ endpoints: [], requests: [] });

    it('says so and links to the PrivateLink page and the Request access template', async () => {
      render(withDetails(empty));
      expect(
        await screen.findByText('No private connections yet'),
      ).toBeInTheDocument();
      expect(
        // A link that looks like a button (core-components' LinkButton).
        screen.getByRole('button', { name: 'Request access to a service' }),
      ).toHaveAttribute('href', '/privatelink');
      const template = screen.getByRole('link', {
        name: 'Open the Request access template',
      });
      const url = new URL(template.getAttribute('href')!, 'http://localhost');
      expect(url.pathname).toBe(
        '/create/templates/default/request-access-to-a-service',
      );
      expect(JSON.parse(url.searchParams.get('formData')!)).toEqual({
        component: CONSUMER_REF,
      });
      expect(screen.queryByRole('table')).not.toBeInTheDocument();
    });

    it('offers the template alone when the app does not mount the PrivateLink page', async () => {
      render(withDetails(empty), { mountPage: false });
      expect(
        await screen.findByRole('link', {
          name: 'Open the Request access template',
        }),
      ).toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: 'Request access to a service' }),
      ).not.toBeInTheDocument();
    });

    it('on a group, links to the PrivateLink page only', async () => {
      render(withDetails({ ...empty, entityRef: 'group:default/payments' }), {
        entity: consumerGroup,
      });
      expect(
        await screen.findByRole('button', {
          name: 'Request access to a service',
        }),
      ).toBeInTheDocument();
      expect(
        screen.queryByRole('link', {
          name: 'Open the Request access template',
        }),
      ).not.toBeInTheDocument();
    });

    it('still lists the requests waiting for a decision', async () => {
      render(
        withDetails(
          makeConsumerDetails({
            endpoints: [],
            requests: [makeRequest({ consumerRef: CONSUMER_REF })],
          }),
        ),
      );
      expect(
        await screen.findByText('No private connections yet'),
      ).toBeInTheDocument();
      expect(
        screen.getByRole('table', {
          name: 'Pending and denied access requests',
        }),
      ).toHaveTextContent('Orders needs to charge cards');
    });
  });

  it('shows the backend’s message when loading fails, not a stack, and retries', async () => {
    const error = await responseError(
      404,
      'NotFoundError',
      'No entity component:default/payments-api',
    );
    const getConsumerDetails = jest
      .fn()
      .mockRejectedValueOnce(error)
      .mockResolvedValue(makeConsumerDetails());
    render(mockPrivateLinkApi({ getConsumerDetails }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'Could not load the private connections: No entity component:default/payments-api',
    );
    // Neither the error's name, its status line nor a stack trace.
    expect(alert).not.toHaveTextContent(
      /NotFoundError|ResponseError|404|\bat\b/,
    );
    expect(screen.queryByText(/Request failed/)).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await endpointRows()).toHaveLength(3);
    expect(getConsumerDetails).toHaveBeenCalledTimes(2);
  });
});
