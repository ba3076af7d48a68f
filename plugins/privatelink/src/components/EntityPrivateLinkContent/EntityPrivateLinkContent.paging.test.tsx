import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  AccessRequest,
  AuditEntry,
} from '@privatelink-backstage/plugin-privatelink-common';
import { makeRequest } from '../../__fixtures__/details';
import { SERVICE_REF, makeService } from '../../__fixtures__/entities';
import {
  mockPrivateLinkApi,
  renderWithApis,
  tableTitled,
} from '../../__testUtils__/renderWithApis';
import { PrivateLinkApi, PrivateLinkListPage } from '../../api';
import { EntityPrivateLinkContent } from './EntityPrivateLinkContent';

// material-table renders slowly in jsdom, more so when the suites run in parallel.
jest.setTimeout(60_000);

// Every test in this file is the service owner: the permission decisions are cached per file.
function render(api: PrivateLinkApi) {
  return renderWithApis(<EntityPrivateLinkContent />, {
    api,
    role: 'owner',
    entity: makeService(),
  });
}

/** A promise the test settles when it wants, to see the state while a page loads. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function entry(id: number, action: string): AuditEntry {
  return {
    id,
    actor: 'user:default/paula',
    via: 'api',
    action,
    serviceRef: SERVICE_REF,
    details: {},
    result: 'success',
    createdAt: `2024-03-0${id}T09:30:00Z`,
  };
}

/** The newest page of the audit log, with the cursor of an older one. */
const newestAudit: PrivateLinkListPage<AuditEntry> = {
  items: [entry(4, 'principals.allow'), entry(3, 'connections.accept')],
  nextBefore: '3',
};
const olderAudit: PrivateLinkListPage<AuditEntry> = {
  items: [entry(2, 'connections.reject'), entry(1, 'principals.revoke')],
};

const showOlderAudit = { name: 'Show older audit entries' };
const showOlderRequests = { name: 'Show older access requests' };

/** Answers the pages of `pages` by cursor: `undefined` for the newest. */
function pagesByCursor<T>(
  pages: Record<string, PrivateLinkListPage<T>>,
): (
  serviceRef?: string,
  options?: { before?: string },
) => Promise<PrivateLinkListPage<T>> {
  return async (_serviceRef, options) => {
    const page = pages[options?.before ?? 'newest'];
    if (!page) throw new Error(`no page before ${options?.before}`);
    return page;
  };
}

describe('EntityPrivateLinkContent paging', () => {
  it('appends the older page of the audit log under the newest, with a busy button while it loads', async () => {
    const older = deferred<PrivateLinkListPage<AuditEntry>>();
    const api = mockPrivateLinkApi({
      listAuditPage: jest.fn((_serviceRef, options) =>
        options?.before === '3' ? older.promise : Promise.resolve(newestAudit),
      ),
    });
    render(api);

    const log = await tableTitled('Audit log');
    expect(
      await within(log).findByText('principals.allow'),
    ).toBeInTheDocument();
    expect(within(log).getByText('connections.accept')).toBeInTheDocument();
    expect(
      within(log).queryByText('principals.revoke'),
    ).not.toBeInTheDocument();
    expect(api.listAuditPage).toHaveBeenCalledWith(SERVICE_REF);
    // The access requests have a single page: only the audit log offers older entries.
    expect(
      screen.queryByRole('button', showOlderRequests),
    ).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', showOlderAudit));
    expect(api.listAuditPage).toHaveBeenLastCalledWith(SERVICE_REF, {
      before: '3',
    });
    const button = screen.getByRole('button', showOlderAudit);
    expect(button).toBeDisabled();
    expect(button).toHaveAttribute('aria-busy', 'true');

    await act(async () => older.resolve(olderAudit));

    expect(
      await within(log).findByText('principals.revoke'),
    ).toBeInTheDocument();
    expect(within(log).getByText('connections.reject')).toBeInTheDocument();
    // What was shown stays.
    expect(within(log).getByText('principals.allow')).toBeInTheDocument();
    expect(within(log).getByText('connections.accept')).toBeInTheDocument();
    // That was the last page.
    expect(
      screen.queryByRole('button', showOlderAudit),
    ).not.toBeInTheDocument();
    expect(api.listAuditPage).toHaveBeenCalledTimes(2);
  });

  it('shows why the older page of the audit log failed, and loads it on the next click', async () => {
    const api = mockPrivateLinkApi({
      listAuditPage: jest
        .fn()
        .mockResolvedValueOnce(newestAudit)
        .mockRejectedValueOnce(new Error('audit is down'))
        .mockResolvedValueOnce(olderAudit),
    });
    render(api);

    const log = await tableTitled('Audit log');
    await within(log).findByText('principals.allow');
    await userEvent.click(screen.getByRole('button', showOlderAudit));

    expect(
      await screen.findByText(
        'Could not load older audit entries: audit is down',
      ),
    ).toBeInTheDocument();
    expect(within(log).getByText('principals.allow')).toBeInTheDocument();
    expect(
      within(log).queryByText('principals.revoke'),
    ).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', showOlderAudit));
    expect(
      await within(log).findByText('principals.revoke'),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(/Could not load older audit entries/),
    ).not.toBeInTheDocument();
    expect(within(log).getByText('principals.allow')).toBeInTheDocument();
    expect(api.listAuditPage).toHaveBeenNthCalledWith(3, SERVICE_REF, {
      before: '3',
    });
  });

  it('appends older pages of access requests until the last one', async () => {
    const api = mockPrivateLinkApi({
      listAccessRequestsPage: jest.fn(
        pagesByCursor<AccessRequest>({
          newest: {
            items: [makeRequest({ id: 'r3' })],
            nextBefore: 'cursor-r3',
          },
          'cursor-r3': {
            items: [
              makeRequest({
                id: 'r2',
                consumerRef: 'component:default/billing',
                status: 'approved',
                decidedBy: 'user:default/paula',
                decisionReason: 'fine',
              }),
            ],
            nextBefore: 'cursor-r2',
          },
          'cursor-r2': {
            items: [
              makeRequest({
                id: 'r1',
                consumerRef: 'component:default/ledger',
                status: 'denied',
                decidedBy: 'user:default/paula',
                decisionReason: 'not yet',
              }),
            ],
          },
        }),
      ),
    });
    render(api);

    const requests = await tableTitled('Access requests');
    expect(await within(requests).findByText('orders')).toBeInTheDocument();
    expect(within(requests).queryByText('billing')).not.toBeInTheDocument();
    expect(api.listAccessRequestsPage).toHaveBeenCalledWith(SERVICE_REF);

    await userEvent.click(screen.getByRole('button', showOlderRequests));
    expect(await within(requests).findByText('billing')).toBeInTheDocument();
    expect(within(requests).getByText('paula: fine')).toBeInTheDocument();
    expect(within(requests).getByText('orders')).toBeInTheDocument();
    expect(api.listAccessRequestsPage).toHaveBeenLastCalledWith(SERVICE_REF, {
      before: 'cursor-r3',
    });

    await userEvent.click(await screen.findByRole('button', showOlderRequests));
    expect(await within(requests).findByText('ledger')).toBeInTheDocument();
    expect(within(requests).getByText('paula: not yet')).toBeInTheDocument();
    expect(within(requests).getByText('orders')).toBeInTheDocument();
    expect(within(requests).getByText('billing')).toBeInTheDocument();
    expect(api.listAccessRequestsPage).toHaveBeenLastCalledWith(SERVICE_REF, {
      before: 'cursor-r2',
    });
    expect(
      screen.queryByRole('button', showOlderRequests),
    ).not.toBeInTheDocument();
    expect(api.listAccessRequestsPage).toHaveBeenCalledTimes(3);
  });

  it('reloads every page shown after a decision on a request of an older page', async () => {
    let approved = false;
    const older = () =>
      makeRequest({
        id: 'r2',
        consumerRef: 'component:default/billing',
        accountId: '666666666666',
        ...(approved
          ? {
              status: 'approved' as const,
              decidedBy: 'user:default/paula',
              decisionReason: 'go ahead',
            }
          : {}),
      });
    const api = mockPrivateLinkApi({
      listAccessRequestsPage: jest.fn(async (_serviceRef, options) =>
        options?.before === 'cursor-r3'
          ? { items: [older()] }
          : {
              items: [makeRequest({ id: 'r3', status: 'denied' })],
              nextBefore: 'cursor-r3',
            },
      ),
      approveAccessRequest: jest.fn(async (_id: string, _reason?: string) => {
        approved = true;
        return older();
      }),
    });
    render(api);

    const requests = await tableTitled('Access requests');
    await within(requests).findByText('orders');
    await userEvent.click(screen.getByRole('button', showOlderRequests));
    await userEvent.click(
      await within(requests).findByRole('button', {
        name: 'Approve access request of component:default/billing (account 666666666666)',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );

    // The older page is read again with the newest, and the decision shows in its row.
    expect(
      await within(requests).findByText('paula: go ahead'),
    ).toBeInTheDocument();
    expect(api.approveAccessRequest).toHaveBeenCalledWith('r2', undefined);
    expect(
      (api.listAccessRequestsPage as jest.Mock).mock.calls.filter(
        ([, options]) => options?.before === 'cursor-r3',
      ),
    ).toHaveLength(2);
    expect(within(requests).getByText('orders')).toBeInTheDocument();
    expect(
      within(requests).queryByRole('button', { name: /^Approve access/ }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', showOlderRequests),
    ).not.toBeInTheDocument();
  });

  it('tells owners where the follow-up of an approved request stopped', async () => {
    const decided = {
      status: 'approved' as const,
      decidedBy: 'user:default/paula',
      decisionReason: 'ok',
    };
    const api = mockPrivateLinkApi({
      listAccessRequests: jest.fn().mockResolvedValue([
        makeRequest({
          ...decided,
          id: 'revoked',
          consumerRef: 'component:default/billing',
          followUp: 'revoked',
        }),
        makeRequest({
          ...decided,
          id: 'rejected',
          consumerRef: 'component:default/ledger',
          followUp: 'rejected',
        }),
        makeRequest({ ...decided, id: 'accepted', followUp: 'accepted' }),
        makeRequest({ id: 'pending', consumerRef: 'component:default/shop' }),
      ]),
    });
    render(api);

    const requests = await tableTitled('Access requests');
    const rowOf = async (consumer: string) =>
      (await within(requests).findByText(consumer)).closest('tr')!;
    expect(await rowOf('billing')).toHaveTextContent(
      'paula: ok — follow-up stopped: account revoked',
    );
    expect(await rowOf('ledger')).toHaveTextContent(
      'paula: ok — follow-up stopped: rejected connection',
    );
    expect(await rowOf('orders')).toHaveTextContent('paula: ok');
    expect(await rowOf('orders')).not.toHaveTextContent('follow-up');
    expect(await rowOf('shop')).not.toHaveTextContent('follow-up');
  });
});
