import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  consumers,
  daysAgo,
  makeConsumer,
  makeDetails,
} from '../../__fixtures__/details';
import {
  SERVICE_ID,
  SERVICE_NAME,
  SERVICE_REF,
  componentWithServiceId,
  makeService,
  plainComponent,
} from '../../__fixtures__/entities';
import {
  mockPrivateLinkApi,
  renderWithApis,
} from '../../__testUtils__/renderWithApis';
import { PrivateLinkApi } from '../../api';
import { EntityPrivateLinkCard, EntityPrivateLinkCardProps } from '.';

// The card and its tables render slowly in jsdom, more so when the suites run in parallel.
jest.setTimeout(60_000);

const service = makeService();

function render(
  api: PrivateLinkApi,
  options: {
    entity?: typeof service;
    config?: object;
  } & EntityPrivateLinkCardProps = {},
) {
  const { entity = service, config, ...props } = options;
  return renderWithApis(<EntityPrivateLinkCard {...props} />, {
    api,
    entity,
    config,
  });
}

/** The `<dd>` that follows the `<dt>` with the given label. */
function detail(label: string): HTMLElement {
  return screen.getByText(label, { selector: 'dt' })
    .nextElementSibling as HTMLElement;
}

function warnings(): string[] {
  return screen.queryAllByRole('alert').map(a => a.textContent ?? '');
}

describe('EntityPrivateLinkCard', () => {
  it('shows the endpoint service and its consumers from the API', async () => {
    const api = mockPrivateLinkApi();
    render(api);

    expect(await screen.findByText('Consumers (3)')).toBeInTheDocument();
    expect(api.getServiceDetails).toHaveBeenCalledWith(SERVICE_REF);

    expect(detail('Service name')).toHaveTextContent(SERVICE_NAME);
    expect(
      screen.getByRole('button', { name: 'Copy service name' }),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('list', { name: 'DNS names' }))
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      `${SERVICE_ID}.eu-west-1.vpce.amazonaws.com`,
      `${SERVICE_ID}-eu-west-1a.eu-west-1.vpce.amazonaws.com`,
    ]);
    expect(detail('Private DNS name')).toHaveTextContent(
      'payments.internal.example.com (Verified)',
    );
    expect(detail('Acceptance required')).toHaveTextContent('Yes');
    expect(detail('Supported regions')).toHaveTextContent(
      'eu-west-1, us-east-1',
    );
    expect(detail('State')).toHaveTextContent('Available');
    // The service is the entity itself: no link to it, and nothing to warn about.
    expect(screen.queryByText('Endpoint service')).not.toBeInTheDocument();
    expect(warnings()).toEqual([]);

    const rows = within(screen.getByRole('table', { name: 'Consumers' }))
      .getAllByRole('row')
      .slice(1);
    // Connections pending acceptance first.
    const yesterday = consumers[1].createdAt!.slice(0, 10);
    expect(rows.map(r => r.textContent)).toEqual([
      `billing333333333333vpce-0fedcba9876543210Pending acceptance${yesterday}`,
      'checkout222222222222vpce-0123456789abcdef0Available2024-03-01',
      'ledger444444444444vpce-0aaaabbbbccccddddAvailable2024-03-01',
    ]);
    expect(
      within(rows[2]).getByRole('link', { name: 'ledger' }),
    ).toHaveAttribute('href', '/catalog/default/group/ledger');
    expect(
      within(screen.getByRole('list', { name: 'Consumers by state' }))
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual(['Available: 2', 'Pending acceptance: 1']);
    expect(
      within(screen.getByRole('list', { name: 'Allowed principals' }))
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      'arn:aws:iam::222222222222:root',
      'arn:aws:iam::333333333333:root',
      'arn:aws:iam::444444444444:role/ledger',
    ]);
  });

  it('links to the service when shown on a Component exposed through it', async () => {
    const api = mockPrivateLinkApi();
    render(api, { entity: componentWithServiceId });
    expect(
      await within(await findDetail('Endpoint service')).findByRole('link', {
        name: 'Payments endpoint service',
      }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/resource/payments-endpoint-service',
    );
    expect(api.getServiceDetails).toHaveBeenCalledWith(
      'component:default/payments-api',
    );
  });

  it('warns when the private DNS name is not verified', async () => {
    render(
      mockPrivateLinkApi({
        getServiceDetails: jest
          .fn()
          .mockResolvedValue(
            makeDetails({ privateDnsState: 'pendingVerification' }),
          ),
      }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The private DNS name payments.internal.example.com is not verified (Pending verification)',
    );
    expect(detail('Private DNS name')).toHaveTextContent(
      '(Pending verification)',
    );
  });

  it('warns when every account may connect', async () => {
    render(
      mockPrivateLinkApi({
        getServiceDetails: jest
          .fn()
          .mockResolvedValue(makeDetails({ allowedPrincipals: ['*'] })),
      }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The principal * is allowed: every AWS account can connect',
    );
  });

  it('warns when the data is stale', async () => {
    render(
      mockPrivateLinkApi({
        getServiceDetails: jest
          .fn()
          .mockResolvedValue(
            makeDetails({ staleSince: '2024-05-01T10:00:00Z' }),
          ),
      }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Stale data: this endpoint service could not be read from AWS since 2024-05-01 10:00 UTC',
    );
  });

  it('warns when the retirement of the service is announced', async () => {
    render(
      mockPrivateLinkApi({
        getServiceDetails: jest.fn().mockResolvedValue(
          makeDetails({
            retirement: {
              announcedAt: '2024-06-08T09:00:00.000Z',
              retireAfter: '2024-06-22T09:00:00.000Z',
            },
          }),
        ),
      }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Retirement announced: this service will be retired from 2024-06-22 09:00 UTC. Move your consumers off it.',
    );
  });

  it('warns when the service has no consumers', async () => {
    render(
      mockPrivateLinkApi({
        getServiceDetails: jest
          .fn()
          .mockResolvedValue(makeDetails({ consumers: [] })),
      }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'No consumers: no VPC endpoint connects to this endpoint service yet.',
    );
    expect(screen.getByText('Consumers (0)')).toBeInTheDocument();
    expect(
      screen.queryByRole('table', { name: 'Consumers' }),
    ).not.toBeInTheDocument();
  });

  describe('connections pending for long', () => {
    const details = makeDetails({
      consumers: [consumers[0], { ...consumers[1], createdAt: daysAgo(5) }],
    });
    const api = () =>
      mockPrivateLinkApi({
        getServiceDetails: jest.fn().mockResolvedValue(details),
      });
    const oldPending =
      /1 connection has been pending acceptance for more than (\d+) days?: vpce-0fedcba9876543210/;

    it('are flagged after 3 days by default', async () => {
      render(api());
      expect(await screen.findByRole('alert')).toHaveTextContent(oldPending);
      expect(warnings()[0]).toMatch('more than 3 days');
    });

    it('are flagged after privatelink.pendingWarningDays', async () => {
      render(api(), { config: { privatelink: { pendingWarningDays: 7 } } });
      expect(await screen.findByText('Consumers (2)')).toBeInTheDocument();
      expect(warnings()).toEqual([]);
    });

    it('are flagged after the days of the prop, over the config', async () => {
      render(api(), {
        pendingWarningDays: 4,
        config: { privatelink: { pendingWarningDays: 7 } },
      });
      expect(await screen.findByRole('alert')).toHaveTextContent(
        'more than 4 days',
      );
    });
  });

  it('paginates the consumers', async () => {
    const many = Array.from({ length: 12 }, (_, i) =>
      makeConsumer({
        endpointId: `vpce-${String(i).padStart(17, '0')}`,
      }),
    );
    render(
      mockPrivateLinkApi({
        getServiceDetails: jest
          .fn()
          .mockResolvedValue(makeDetails({ consumers: many })),
      }),
    );
    const table = await screen.findByRole('table', { name: 'Consumers' });
    expect(within(table).getAllByRole('row')).toHaveLength(6);
    expect(screen.getByText('1-5 of 12')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('6-10 of 12')).toBeInTheDocument();
    expect(
      within(table).getByText('vpce-00000000000000005'),
    ).toBeInTheDocument();
  });

  it('shows a failure to load the access requests without hiding the service', async () => {
    render(
      mockPrivateLinkApi({
        listAccessRequests: jest
          .fn()
          .mockRejectedValue(new Error('requests are down')),
      }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load the access requests: requests are down',
    );
    expect(screen.getByText('Consumers (3)')).toBeInTheDocument();
  });

  it('shows the missing annotation state for an unrelated entity', async () => {
    const api = mockPrivateLinkApi();
    render(api, { entity: plainComponent });
    expect(await screen.findByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(api.getServiceDetails).not.toHaveBeenCalled();
  });

  it('says so when the backend knows no endpoint service for the entity', async () => {
    render(
      mockPrivateLinkApi({
        getServiceDetails: jest.fn().mockResolvedValue(undefined),
      }),
      { entity: componentWithServiceId },
    );
    expect(
      await screen.findByText('Endpoint service not found'),
    ).toBeInTheDocument();
  });

  it('shows a progress bar while loading', async () => {
    render(
      mockPrivateLinkApi({
        getServiceDetails: jest.fn().mockReturnValue(new Promise(() => {})),
      }),
    );
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
    expect(screen.queryByText(/Consumers/)).not.toBeInTheDocument();
  });

  it('shows the error and retries', async () => {
    const getServiceDetails = jest
      .fn()
      .mockRejectedValueOnce(new Error('backend is down'))
      .mockResolvedValue(makeDetails());
    render(mockPrivateLinkApi({ getServiceDetails }));

    expect(
      await screen.findByText(
        /Could not load the PrivateLink endpoint service/,
      ),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/backend is down/).length).toBeGreaterThan(0);

    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('Consumers (3)')).toBeInTheDocument();
    await waitFor(() => expect(getServiceDetails).toHaveBeenCalledTimes(2));
  });
});

async function findDetail(label: string): Promise<HTMLElement> {
  const term = await screen.findByText(label, { selector: 'dt' });
  return term.nextElementSibling as HTMLElement;
}
