import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeDetails } from '../../__fixtures__/details';
import {
  SERVICE_ID,
  SERVICE_REF,
  makeService,
} from '../../__fixtures__/entities';
import {
  fill,
  mockPrivateLinkApi,
  renderWithApis,
  responseError,
} from '../../__testUtils__/renderWithApis';
import { PrivateLinkApi } from '../../api';
import { EntityPrivateLinkContent } from './EntityPrivateLinkContent';

// material-table and the dialogs render slowly in jsdom, more so when the suites run in parallel.
jest.setTimeout(60_000);

const NAME = 'payments-endpoint-service';
const NLB =
  'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/net/payments/0123456789abcdef';
const CONNECTED =
  'Consumers are connected to vpce-svc-0a1b2c3d4e5f60718: vpce-0123456789abcdef0 (account 222222222222), vpce-0aaaabbbbccccdddd (account 444444444444); retire with force to reject them';

const retired = {
  serviceRef: SERVICE_REF,
  serviceId: SERVICE_ID,
  deleted: true,
  rejectedConnections: ['vpce-0123456789abcdef0', 'vpce-0aaaabbbbccccdddd'],
  notified: ['group:default/checkout', 'group:default/ledger'],
  closedRequests: 1,
  loadBalancerArns: [NLB],
};

// Every test in this file is the service owner: the permission decisions are cached per file.
function render(overrides: Partial<jest.Mocked<PrivateLinkApi>> = {}) {
  const api = mockPrivateLinkApi(overrides);
  renderWithApis(<EntityPrivateLinkContent />, {
    api,
    role: 'owner',
    entity: makeService(),
  });
  return api;
}

async function openRetire() {
  await userEvent.click(
    await screen.findByRole('button', { name: 'Retire service' }),
  );
  const dialog = await screen.findByRole('dialog', {
    name: 'Retire Payments endpoint service?',
  });
  return {
    dialog,
    name: within(dialog).getByRole('textbox', {
      name: `Type ${NAME} to confirm`,
    }),
    retire: within(dialog).getByRole('button', { name: 'Retire service' }),
  };
}

describe('EntityPrivateLinkContent retirement for owners', () => {
  it('keeps Retire service disabled until the entity name is typed, then retires and shows the load balancers', async () => {
    const api = render({
      retireService: jest.fn().mockResolvedValue({
        ...retired,
        rejectedConnections: [],
        notified: [],
        closedRequests: 0,
      }),
    });
    const { dialog, name, retire } = await openRetire();
    expect(retire).toBeDisabled();
    // Part of the name is not enough; the rest, pasted after it, is.
    await fill(name, 'payments');
    expect(retire).toBeDisabled();
    await userEvent.paste('-endpoint-service');
    expect(name).toHaveValue(NAME);
    expect(retire).toBeEnabled();
    expect(api.retireService).not.toHaveBeenCalled();

    await userEvent.click(retire);
    await waitFor(() => expect(api.retireService).toHaveBeenCalled());
    expect(api.retireService.mock.calls[0][0]).toStrictEqual({
      serviceRef: SERVICE_REF,
      confirmName: NAME,
    });
    const done = await screen.findByRole('dialog', {
      name: 'Retired Payments endpoint service',
    });
    expect(within(done).getByRole('alert')).toHaveTextContent(
      `Retired Payments endpoint service: endpoint service ${SERVICE_ID} is deleted. Its entities leave the catalog within seconds.`,
    );
    expect(
      within(
        within(done).getByRole('list', { name: 'Load balancers' }),
      ).getByText(NLB),
    ).toBeInTheDocument();
    expect(done).toHaveTextContent('aws:privatelink:nlb:delete');
    // The tab reloads once the summary is closed, not before: the service is about to leave the catalog.
    expect(api.getServiceDetails).toHaveBeenCalledTimes(1);
    await userEvent.click(within(done).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(done).not.toBeInTheDocument());
    await waitFor(() => expect(api.getServiceDetails).toHaveBeenCalledTimes(2));
    expect(dialog).not.toBeInTheDocument();
  });

  it('on a 409 names the connected consumers, and Retire anyway resends with force', async () => {
    const api = render({
      retireService: jest
        .fn()
        .mockRejectedValueOnce(
          await responseError(409, 'ConflictError', CONNECTED),
        )
        .mockResolvedValue(retired),
    });
    const { dialog, name, retire } = await openRetire();
    await fill(name, NAME);
    await userEvent.click(retire);

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      CONNECTED,
    );
    // Sending the same again would be refused the same way.
    expect(retire).toBeDisabled();
    await userEvent.click(
      within(dialog).getByRole('checkbox', {
        name: /^Retire anyway \(force\)/,
      }),
    );
    const anyway = within(dialog).getByRole('button', {
      name: 'Retire anyway',
    });
    expect(anyway).toBeEnabled();
    await userEvent.click(anyway);

    await waitFor(() => expect(api.retireService).toHaveBeenCalledTimes(2));
    expect(api.retireService.mock.calls.map(c => c[0])).toStrictEqual([
      { serviceRef: SERVICE_REF, confirmName: NAME },
      { serviceRef: SERVICE_REF, confirmName: NAME, force: true },
    ]);
    const done = await screen.findByRole('dialog', {
      name: 'Retired Payments endpoint service',
    });
    expect(done).toHaveTextContent(
      'Rejected 2 connections: vpce-0123456789abcdef0, vpce-0aaaabbbbccccdddd. Told their owners: group:default/checkout, group:default/ledger.',
    );
    expect(done).toHaveTextContent('Closed 1 access request.');
    expect(done).toHaveTextContent(NLB);
  });

  it('shows another refusal as the backend’s message and stays open', async () => {
    const api = render({
      retireService: jest
        .fn()
        .mockRejectedValue(
          await responseError(
            400,
            'InputError',
            `confirmName must be the entity name of the service, ${NAME}`,
          ),
        ),
    });
    const { dialog, name, retire } = await openRetire();
    await fill(name, NAME);
    await userEvent.click(retire);
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      `confirmName must be the entity name of the service, ${NAME}`,
    );
    expect(
      within(dialog).queryByRole('checkbox', { name: /^Retire anyway/ }),
    ).not.toBeInTheDocument();
    expect(retire).toBeEnabled();
    expect(api.getServiceDetails).toHaveBeenCalledTimes(1);
  });

  it('shows a forced retirement that only announced, not as retired', async () => {
    const api = render({
      retireService: jest
        .fn()
        .mockRejectedValueOnce(
          await responseError(409, 'ConflictError', CONNECTED),
        )
        .mockResolvedValue({
          ...retired,
          deleted: false,
          rejectedConnections: [],
          closedRequests: 0,
          announced: {
            announcedAt: '2024-06-08T09:00:00.000Z',
            retireAfter: '2024-06-22T09:00:00.000Z',
          },
        }),
    });
    const { dialog, name, retire } = await openRetire();
    await fill(name, NAME);
    await userEvent.click(retire);
    await within(dialog).findByRole('alert');
    await userEvent.click(
      within(dialog).getByRole('checkbox', {
        name: /^Retire anyway \(force\)/,
      }),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Retire anyway' }),
    );

    const done = await screen.findByRole('dialog', {
      name: 'Retirement of Payments endpoint service announced',
    });
    expect(within(done).getByRole('alert')).toHaveTextContent(
      'Retirement announced to 2 consumer teams. You can retire it from 2024-06-22 09:00 UTC.',
    );
    expect(done).toHaveTextContent(
      'Told: group:default/checkout, group:default/ledger.',
    );
    expect(done).toHaveTextContent('Nothing was rejected or deleted');
    expect(done).not.toHaveTextContent(/Retired|is deleted/);
    await userEvent.click(within(done).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(api.getServiceDetails).toHaveBeenCalledTimes(2));
  });

  it('shows an announced retirement, and its refusal before the grace period ends with readable times', async () => {
    const api = render({
      getServiceDetails: jest.fn().mockResolvedValue(
        makeDetails({
          retirement: {
            announcedAt: '2099-06-08T09:00:00.000Z',
            retireAfter: '2099-06-22T09:00:00.000Z',
          },
        }),
      ),
      retireService: jest
        .fn()
        .mockRejectedValueOnce(
          await responseError(409, 'ConflictError', CONNECTED),
        )
        .mockRejectedValueOnce(
          await responseError(
            409,
            'ConflictError',
            `The retirement of ${SERVICE_REF} was announced to its consumers at 2099-06-08T09:00:00.000Z; it can be retired with force from 2099-06-22T09:00:00.000Z (or once no consumer is connected)`,
          ),
        ),
    });
    // The tab warns everyone who looks at it.
    expect(
      await screen.findByText(
        'Retirement announced: this service will be retired from 2099-06-22 09:00 UTC. Move your consumers off it.',
      ),
    ).toBeInTheDocument();

    const { dialog, name, retire } = await openRetire();
    expect(within(dialog).getByRole('alert')).toHaveTextContent(
      'Retirement announced on 2099-06-08 09:00 UTC; retire with force from 2099-06-22 09:00 UTC.',
    );
    await fill(name, NAME);
    await userEvent.click(retire);
    await within(dialog).findByText(CONNECTED);
    await userEvent.click(
      within(dialog).getByRole('checkbox', {
        name: /^Retire anyway \(force\)/,
      }),
    );
    const anyway = within(dialog).getByRole('button', {
      name: 'Retire anyway',
    });
    await userEvent.click(anyway);
    expect(
      await within(dialog).findByText(
        `The retirement of ${SERVICE_REF} was announced to its consumers at 2099-06-08 09:00 UTC; it can be retired with force from 2099-06-22 09:00 UTC (or once no consumer is connected)`,
      ),
    ).toBeInTheDocument();
    // Sending it again before then would be refused the same way.
    expect(anyway).toBeDisabled();
    expect(api.retireService).toHaveBeenCalledTimes(2);
    expect(api.retireService.mock.calls[1][0]).toStrictEqual({
      serviceRef: SERVICE_REF,
      confirmName: NAME,
      force: true,
    });
  });
});
