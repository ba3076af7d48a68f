import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeService } from '../../__fixtures__/entities';
import {
  CONSUMER_TEAM_ENDPOINT,
  fill,
  mockPrivateLinkApi,
  renderWithApis,
} from '../../__testUtils__/renderWithApis';
import { EntityPrivateLinkCard } from '.';

// The dialogs render slowly in jsdom, more so when the suites run in parallel.
jest.setTimeout(60_000);

// Every test in this file is the checkout team, which owns the checkout endpoint: the permission decisions are
// cached per file.
describe('EntityPrivateLinkCard for the team of a consumer endpoint', () => {
  it('removes its own endpoint from the consumers table after typing its id, and reloads', async () => {
    const api = mockPrivateLinkApi();
    renderWithApis(<EntityPrivateLinkCard />, {
      api,
      role: 'consumerTeam',
      entity: makeService(),
    });
    const table = await screen.findByRole('table', { name: 'Consumers' });
    const remove = await within(table).findByRole('button', {
      name: 'Remove endpoint vpce-0123456789abcdef0',
    });
    expect(
      within(table).getAllByRole('button', { name: /^Remove endpoint/ }),
    ).toHaveLength(1);
    expect(
      within(table).queryByRole('button', { name: /^Accept connection/ }),
    ).not.toBeInTheDocument();

    await userEvent.click(remove);
    const dialog = await screen.findByRole('dialog', {
      name: 'Remove endpoint vpce-0123456789abcdef0?',
    });
    const confirm = within(dialog).getByRole('button', {
      name: 'Remove endpoint',
    });
    expect(confirm).toBeDisabled();
    await fill(
      within(dialog).getByRole('textbox', {
        name: 'Type vpce-0123456789abcdef0 to confirm',
      }),
      'vpce-0123456789abcdef0',
    );
    await userEvent.click(confirm);
    await waitFor(() =>
      expect(api.deleteEndpoint).toHaveBeenCalledWith(CONSUMER_TEAM_ENDPOINT),
    );
    await waitFor(() => expect(api.getServiceDetails).toHaveBeenCalledTimes(2));
  });
});
