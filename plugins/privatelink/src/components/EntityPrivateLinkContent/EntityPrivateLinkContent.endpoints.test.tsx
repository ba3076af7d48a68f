import { mockApis } from '@backstage/frontend-test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { consumers, makeDetails } from '../../__fixtures__/details';
import { makeService } from '../../__fixtures__/entities';
import {
  CONSUMER_TEAM_ENDPOINT,
  fill,
  mockPrivateLinkApi,
  renderWithApis,
  tableTitled,
} from '../../__testUtils__/renderWithApis';
import { PrivateLinkApi } from '../../api';
import { useState } from 'react';
import { RemoveEndpoint } from '../actions/EndpointActions';
import { EntityPrivateLinkContent } from './EntityPrivateLinkContent';

// material-table renders slowly in jsdom, more so when the suites run in parallel.
jest.setTimeout(60_000);

// Every test in this file is the checkout team, which owns the checkout endpoint: the permission decisions are
// cached per file.
function render(overrides: Partial<jest.Mocked<PrivateLinkApi>> = {}) {
  const api = mockPrivateLinkApi(overrides);
  const alertApi = mockApis.alert();
  renderWithApis(<EntityPrivateLinkContent />, {
    api,
    role: 'consumerTeam',
    entity: makeService(),
    alertApi,
  });
  return { api, alertApi };
}

describe('EntityPrivateLinkContent for the team of a consumer endpoint', () => {
  it('offers Remove on its own endpoint only, and no settings or retirement', async () => {
    render();
    const connections = await tableTitled('Connections (3)');
    expect(
      await within(connections).findByRole('button', {
        name: 'Remove endpoint vpce-0123456789abcdef0',
      }),
    ).toBeInTheDocument();
    expect(
      within(connections).getAllByRole('button', { name: /^Remove endpoint/ }),
    ).toHaveLength(1);
    expect(
      within(connections).queryByRole('button', { name: /^Accept/ }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Settings' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Retire service' }),
    ).not.toBeInTheDocument();
  });

  it('removes the endpoint by its entity ref once its endpoint id is typed, and reloads', async () => {
    const { api, alertApi } = render({
      getServiceDetails: jest
        .fn()
        .mockResolvedValueOnce(makeDetails())
        .mockResolvedValue(
          makeDetails({
            consumers: consumers.filter(
              c => c.entityRef !== CONSUMER_TEAM_ENDPOINT,
            ),
          }),
        ),
    });
    const connections = await tableTitled('Connections (3)');
    await userEvent.click(
      await within(connections).findByRole('button', {
        name: 'Remove endpoint vpce-0123456789abcdef0',
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Remove endpoint vpce-0123456789abcdef0?',
    });
    expect(dialog).toHaveTextContent(
      'This deletes the VPC endpoint vpce-0123456789abcdef0 in account 222222222222 (eu-west-1)',
    );
    const confirm = within(dialog).getByRole('button', {
      name: 'Remove endpoint',
    });
    const typed = within(dialog).getByRole('textbox', {
      name: 'Type vpce-0123456789abcdef0 to confirm',
    });
    expect(confirm).toBeDisabled();
    // Part of the id, or another endpoint's, is not enough.
    await fill(typed, 'vpce-0123456789abcdef');
    expect(confirm).toBeDisabled();
    await userEvent.clear(typed);
    await fill(typed, 'vpce-0fedcba9876543210');
    expect(confirm).toBeDisabled();
    expect(api.deleteEndpoint).not.toHaveBeenCalled();
    await userEvent.clear(typed);
    await fill(typed, 'vpce-0123456789abcdef0');
    expect(confirm).toBeEnabled();
    await userEvent.click(confirm);

    await waitFor(() =>
      expect(api.deleteEndpoint).toHaveBeenCalledWith(CONSUMER_TEAM_ENDPOINT),
    );
    expect(api.deleteEndpoint).toHaveBeenCalledTimes(1);
    expect(await tableTitled('Connections (2)')).not.toHaveTextContent(
      'vpce-0123456789abcdef0',
    );
    await waitFor(() => expect(dialog).not.toBeInTheDocument());
    expect(alertApi.getAlerts()).toEqual([
      expect.objectContaining({
        severity: 'success',
        message:
          'Removed endpoint vpce-0123456789abcdef0. The catalog shows the change within seconds.',
      }),
    ]);
  });

  it('does not offer Remove on an endpoint that is being deleted', async () => {
    // The same row, allowed to its team: Remove is offered while the endpoint is available (the decision is in),
    // and goes once the endpoint is being deleted.
    const own = consumers.find(c => c.entityRef === CONSUMER_TEAM_ENDPOINT)!;
    function Row() {
      const [state, setState] = useState(own.state);
      return (
        <>
          <button type="button" onClick={() => setState('deleting')}>
            mark deleting
          </button>
          <RemoveEndpoint
            consumer={{ ...own, state }}
            serviceTitle="Orders API"
            onDone={() => {}}
          />
        </>
      );
    }
    renderWithApis(<Row />, {
      api: mockPrivateLinkApi(),
      role: 'consumerTeam',
      entity: makeService(),
    });
    expect(
      await screen.findByRole('button', {
        name: `Remove endpoint ${own.endpointId}`,
      }),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'mark deleting' }),
    );
    expect(
      screen.queryByRole('button', { name: /^Remove endpoint/ }),
    ).not.toBeInTheDocument();
  });
});
