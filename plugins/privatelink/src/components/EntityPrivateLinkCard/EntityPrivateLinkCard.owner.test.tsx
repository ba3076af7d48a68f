import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeRequest } from '../../__fixtures__/details';
import { SERVICE_REF, makeService } from '../../__fixtures__/entities';
import {
  fill,
  mockPrivateLinkApi,
  renderWithApis,
} from '../../__testUtils__/renderWithApis';
import { PrivateLinkApi } from '../../api';

// The dialogs render slowly in jsdom, more so when the suites run in parallel.
jest.setTimeout(60_000);
import { EntityPrivateLinkCard } from '.';

// Every test in this file is the service owner: the permission decisions are cached per file.
function render(api: PrivateLinkApi) {
  return renderWithApis(<EntityPrivateLinkCard />, {
    api,
    role: 'owner',
    entity: makeService(),
  });
}

const pending = makeRequest();
const approved = makeRequest({
  id: '6f1c1e64-8f7e-4f63-9d61-1b2f1f0c0a02',
  consumerRef: 'component:default/ledger',
  accountId: '444444444444',
  status: 'approved',
});

async function openDialog(buttonName: string) {
  await userEvent.click(
    await screen.findByRole('button', { name: buttonName }),
  );
  return screen.findByRole('dialog');
}

describe('EntityPrivateLinkCard for owners', () => {
  it('lists pending connections first and accepts one after confirmation', async () => {
    const api = mockPrivateLinkApi();
    render(api);

    const table = await screen.findByRole('table', { name: 'Consumers' });
    const rows = within(table).getAllByRole('row').slice(1);
    // The pending connection comes first, and only it has actions.
    expect(rows[0]).toHaveTextContent('vpce-0fedcba9876543210');
    expect(
      within(table).getAllByRole('button', { name: /^Accept connection/ }),
    ).toHaveLength(1);
    expect(
      within(rows[0]).getByRole('button', {
        name: 'Reject connection vpce-0fedcba9876543210',
      }),
    ).toBeInTheDocument();
    // Owners may also file a request, e.g. for another component of their team.
    expect(
      screen.getByRole('button', { name: 'Request access' }),
    ).toBeInTheDocument();

    const dialog = await openDialog('Accept connection vpce-0fedcba9876543210');
    expect(
      within(dialog).getByRole('heading', {
        name: 'Accept connection vpce-0fedcba9876543210?',
      }),
    ).toBeInTheDocument();
    expect(dialog).toHaveTextContent('from account 333333333333');
    expect(api.acceptConnections).not.toHaveBeenCalled();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Accept' }),
    );
    await waitFor(() =>
      expect(api.acceptConnections).toHaveBeenCalledWith(SERVICE_REF, [
        'vpce-0fedcba9876543210',
      ]),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    // The service is read again to show the new state.
    await waitFor(() => expect(api.getServiceDetails).toHaveBeenCalledTimes(2));
    expect(api.rejectConnections).not.toHaveBeenCalled();
  });

  it('rejects a connection after confirmation, and not when cancelled', async () => {
    const api = mockPrivateLinkApi();
    render(api);

    let dialog = await openDialog('Reject connection vpce-0fedcba9876543210');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.rejectConnections).not.toHaveBeenCalled();

    dialog = await openDialog('Reject connection vpce-0fedcba9876543210');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Reject' }),
    );
    await waitFor(() =>
      expect(api.rejectConnections).toHaveBeenCalledWith(SERVICE_REF, [
        'vpce-0fedcba9876543210',
      ]),
    );
  });

  it('keeps the dialog open with the reason when a connection could not be changed', async () => {
    const api = mockPrivateLinkApi({
      acceptConnections: jest.fn().mockResolvedValue({
        changed: [],
        failed: [
          {
            endpointId: 'vpce-0fedcba9876543210',
            reason: 'InvalidState: not pending',
          },
        ],
      }),
    });
    render(api);

    const dialog = await openDialog('Accept connection vpce-0fedcba9876543210');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Accept' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'vpce-0fedcba9876543210: InvalidState: not pending',
    );
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('approves a pending access request after confirmation', async () => {
    const api = mockPrivateLinkApi({
      listAccessRequests: jest.fn().mockResolvedValue([pending, approved]),
    });
    render(api);

    const table = await screen.findByRole('table', {
      name: 'Pending access requests',
    });
    // Only the pending request waits for a decision.
    expect(within(table).getAllByRole('row')).toHaveLength(2);
    expect(table).toHaveTextContent('orders');
    expect(table).toHaveTextContent('olivia');
    expect(api.listAccessRequests).toHaveBeenCalledWith(SERVICE_REF);

    const dialog = await openDialog(
      'Approve access request of component:default/orders (account 555555555555)',
    );
    expect(
      within(dialog).getByRole('heading', {
        name: 'Approve access for component:default/orders?',
      }),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );

    await waitFor(() =>
      expect(api.approveAccessRequest).toHaveBeenCalledWith(
        pending.id,
        undefined,
      ),
    );
    await waitFor(() =>
      expect(api.listAccessRequests).toHaveBeenCalledTimes(2),
    );
    await waitFor(() => expect(api.getServiceDetails).toHaveBeenCalledTimes(2));
  });

  it('denies an access request only with a reason', async () => {
    const api = mockPrivateLinkApi({
      listAccessRequests: jest.fn().mockResolvedValue([pending]),
    });
    render(api);

    const dialog = await openDialog(
      'Deny access request of component:default/orders (account 555555555555)',
    );
    const deny = within(dialog).getByRole('button', { name: 'Deny' });
    expect(deny).toBeDisabled();

    await fill(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'Use the public API',
    );
    expect(deny).toBeEnabled();
    await userEvent.click(deny);

    await waitFor(() =>
      expect(api.denyAccessRequest).toHaveBeenCalledWith(
        pending.id,
        'Use the public API',
      ),
    );
  });

  it('shows the backend error of a decision in the dialog', async () => {
    const api = mockPrivateLinkApi({
      listAccessRequests: jest.fn().mockResolvedValue([pending]),
      approveAccessRequest: jest
        .fn()
        .mockRejectedValue(new Error('Access request is already denied')),
    });
    render(api);

    const dialog = await openDialog(
      'Approve access request of component:default/orders (account 555555555555)',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Access request is already denied',
    );
  });

  it('says so when no access request is waiting', async () => {
    render(
      mockPrivateLinkApi({
        listAccessRequests: jest.fn().mockResolvedValue([approved]),
      }),
    );
    expect(
      await screen.findByText('No access request is waiting.'),
    ).toBeInTheDocument();
  });
});
