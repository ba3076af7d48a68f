import { screen, within } from '@testing-library/react';
import { makeRequest } from '../../__fixtures__/details';
import { makeService } from '../../__fixtures__/entities';
import {
  mockPrivateLinkApi,
  renderWithApis,
  tableTitled,
} from '../../__testUtils__/renderWithApis';
import { EntityPrivateLinkContent } from './EntityPrivateLinkContent';

// material-table renders slowly in jsdom, more so when the suites run in parallel.
jest.setTimeout(60_000);

describe('EntityPrivateLinkContent for consumers', () => {
  it('shows their own requests and Request access, without owner actions or audit log', async () => {
    const api = mockPrivateLinkApi({
      listAccessRequests: jest
        .fn()
        .mockResolvedValue([
          makeRequest({ status: 'denied', decisionReason: 'no' }),
        ]),
    });
    renderWithApis(<EntityPrivateLinkContent />, {
      api,
      role: 'consumer',
      entity: makeService(),
    });

    const requests = await tableTitled('Your access requests');
    expect(await within(requests).findByText('Denied')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Request access' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Open the Request access template' }),
    ).toBeInTheDocument();

    const connections = await tableTitled('Connections (3)');
    expect(
      within(connections).queryByRole('button', { name: /^Accept/ }),
    ).not.toBeInTheDocument();
    // Principals are listed, but only owners allow or revoke them.
    const principals = await tableTitled('Allowed principals (3)');
    expect(principals).toHaveTextContent('arn:aws:iam::333333333333:root');
    expect(
      within(principals).queryByRole('button', { name: /^Revoke/ }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Allow principal' }),
    ).not.toBeInTheDocument();
    expect(screen.queryByText('Audit log')).not.toBeInTheDocument();
    // Nor settings, retirement or removing endpoints they do not own.
    expect(
      screen.queryByRole('button', { name: 'Settings' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Retire service' }),
    ).not.toBeInTheDocument();
    expect(
      within(connections).queryByRole('button', { name: /^Remove endpoint/ }),
    ).not.toBeInTheDocument();
    expect(api.listAuditPage).not.toHaveBeenCalled();
    expect(api.listAudit).not.toHaveBeenCalled();
  });

  it('does not tell consumers about the follow-up of their approved request', async () => {
    const api = mockPrivateLinkApi({
      listAccessRequests: jest.fn().mockResolvedValue([
        makeRequest({
          status: 'approved',
          decidedBy: 'user:default/paula',
          decisionReason: 'ok',
          followUp: 'revoked',
        }),
      ]),
    });
    renderWithApis(<EntityPrivateLinkContent />, {
      api,
      role: 'consumer',
      entity: makeService(),
    });

    const requests = await tableTitled('Your access requests');
    expect(await within(requests).findByText('paula: ok')).toBeInTheDocument();
    expect(requests).not.toHaveTextContent('follow-up');
  });
});
