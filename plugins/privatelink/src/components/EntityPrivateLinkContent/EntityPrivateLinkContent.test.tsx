import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeRequest } from '../../__fixtures__/details';
import {
  SERVICE_NAME,
  SERVICE_REF,
  makeService,
  plainComponent,
} from '../../__fixtures__/entities';
import {
  mockPrivateLinkApi,
  renderWithApis,
  tableTitled,
} from '../../__testUtils__/renderWithApis';
import { PrivateLinkApi } from '../../api';
import { EntityPrivateLinkContent } from './EntityPrivateLinkContent';

// material-table renders slowly in jsdom, more so when the suites run in parallel.
jest.setTimeout(60_000);

// Every test in this file is the service owner: the permission decisions are cached per file.
function render(api: PrivateLinkApi, entity = makeService()) {
  return renderWithApis(<EntityPrivateLinkContent />, {
    api,
    role: 'owner',
    entity,
  });
}

const audit = [
  {
    id: 1,
    actor: 'user:default/paula',
    action: 'connections.accept',
    serviceRef: SERVICE_REF,
    details: { endpointIds: ['vpce-0123456789abcdef0'] },
    result: 'success' as const,
    createdAt: '2024-03-01T09:30:00Z',
  },
  {
    id: 2,
    actor: 'user:default/paula',
    action: 'principals.allow',
    serviceRef: SERVICE_REF,
    details: {},
    result: 'error' as const,
    message: 'AccessDenied',
    createdAt: '2024-03-02T10:00:00Z',
  },
];

describe('EntityPrivateLinkContent for owners', () => {
  it('shows the service, its connections, principals, requests and audit log', async () => {
    const api = mockPrivateLinkApi({
      listAccessRequests: jest.fn().mockResolvedValue([
        makeRequest(),
        makeRequest({
          id: 'done',
          status: 'approved',
          decidedBy: 'user:default/paula',
          decisionReason: 'ok',
        }),
      ]),
      listAudit: jest.fn().mockResolvedValue(audit),
    });
    render(api);

    const connections = await tableTitled('Connections (3)');
    expect(screen.getByText(SERVICE_NAME)).toBeInTheDocument();
    // The counts per state are a row of the details of their own, not chips under the Account row.
    const detail = (label: string) =>
      screen.getByText(label, { selector: 'dt' })
        .nextElementSibling as HTMLElement;
    expect(
      within(detail('Connections'))
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual(['Available: 2', 'Pending acceptance: 1']);
    expect(
      screen.getByRole('list', { name: 'Consumers by state' }),
    ).toBeInTheDocument();
    expect(detail('Account').querySelector('.MuiChip-root')).toBeNull();
    // The whole service name in a tooltip, with a copy button.
    expect(screen.getByTitle(SERVICE_NAME)).toHaveTextContent(SERVICE_NAME);
    expect(
      screen.getByRole('button', { name: 'Copy service name' }),
    ).toBeInTheDocument();

    expect(
      within(connections).getByRole('link', { name: 'vpce-0fedcba9876543210' }),
    ).toHaveAttribute('href', '/catalog/default/resource/billing-vpce');
    // The owner group and the component of the checkout endpoint.
    expect(
      within(connections)
        .getAllByRole('link', { name: 'checkout' })
        .map(link => link.getAttribute('href')),
    ).toEqual([
      '/catalog/default/group/checkout',
      '/catalog/default/component/checkout',
    ]);
    // Only the pending connection can be accepted.
    expect(
      within(connections).getAllByRole('button', {
        name: /^Accept connection/,
      }),
    ).toHaveLength(1);

    const principals = await tableTitled('Allowed principals (3)');
    expect(principals).toHaveTextContent(
      'arn:aws:iam::444444444444:role/ledger',
    );
    expect(principals).toHaveTextContent('Role');

    const requests = await tableTitled('Access requests');
    expect(requests).toHaveTextContent('Orders needs to charge cards');
    expect(requests).toHaveTextContent('paula: ok');
    expect(
      within(requests).getAllByRole('button', {
        name: /^Approve access request/,
      }),
    ).toHaveLength(1);

    const log = await tableTitled('Audit log');
    expect(
      await within(log).findByText('principals.allow'),
    ).toBeInTheDocument();
    expect(log).toHaveTextContent('AccessDenied');
    expect(log).toHaveTextContent('2024-03-02 10:00 UTC');
    expect(api.listAuditPage).toHaveBeenCalledWith(SERVICE_REF);
    // No table shows the core Table's filters toggle ("Filters (0)") beside its title.
    expect(screen.queryByText(/Filters/)).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'filter list' }),
    ).not.toBeInTheDocument();
    // A long ARN whole in a tooltip, with a copy button.
    expect(
      within(principals).getByTitle('arn:aws:iam::444444444444:role/ledger'),
    ).toBeInTheDocument();
    expect(
      within(principals).getByRole('button', {
        name: 'Copy arn:aws:iam::444444444444:role/ledger',
      }),
    ).toBeInTheDocument();
    // A single page each: nothing older to show.
    expect(
      screen.queryByRole('button', { name: /^Show older/ }),
    ).not.toBeInTheDocument();
  });

  it('filters the connections by search text', async () => {
    render(mockPrivateLinkApi());
    const connections = await tableTitled('Connections (3)');
    await userEvent.type(
      within(connections).getByPlaceholderText('Filter'),
      'ledger',
    );
    await waitFor(() =>
      expect(
        within(connections).queryByText('vpce-0123456789abcdef0'),
      ).not.toBeInTheDocument(),
    );
    expect(
      within(connections).getByText('vpce-0aaaabbbbccccdddd'),
    ).toBeInTheDocument();
  });

  it('accepts a pending connection from the table after confirmation', async () => {
    const api = mockPrivateLinkApi();
    render(api);
    const connections = await tableTitled('Connections (3)');
    await userEvent.click(
      within(connections).getByRole('button', {
        name: 'Accept connection vpce-0fedcba9876543210',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(api.acceptConnections).not.toHaveBeenCalled();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Accept' }),
    );
    await waitFor(() =>
      expect(api.acceptConnections).toHaveBeenCalledWith(SERVICE_REF, [
        'vpce-0fedcba9876543210',
      ]),
    );
  });

  it('shows the audit log error on its own', async () => {
    render(
      mockPrivateLinkApi({
        listAudit: jest.fn().mockRejectedValue(new Error('audit is down')),
      }),
    );
    expect(await tableTitled('Connections (3)')).toBeInTheDocument();
    expect(
      await screen.findByText(/Could not load the audit log/, undefined, {
        timeout: 5000,
      }),
    ).toBeInTheDocument();
  });

  it('shows the missing annotation state for an unrelated entity', async () => {
    const api = mockPrivateLinkApi();
    render(api, plainComponent);
    expect(await screen.findByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(api.getServiceDetails).not.toHaveBeenCalled();
  });
});
