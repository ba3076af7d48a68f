import { ResponseError } from '@backstage/errors';
import { mockApis } from '@backstage/frontend-test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeDetails } from '../../__fixtures__/details';
import { SERVICE_REF, makeService } from '../../__fixtures__/entities';
import {
  fill,
  mockPrivateLinkApi,
  renderWithApis,
  tableTitled,
} from '../../__testUtils__/renderWithApis';
import { PrivateLinkApi, PrivateLinkSettings } from '../../api';
import { EntityPrivateLinkContent } from './EntityPrivateLinkContent';

// material-table renders slowly in jsdom, more so when the suites run in parallel.
jest.setTimeout(60_000);

const ALLOWED = makeDetails().allowedPrincipals;

function settings(allowWildcardPrincipal: boolean): PrivateLinkSettings {
  return {
    regions: ['eu-west-1'],
    accounts: [],
    allowWildcardPrincipal,
    syncEnabled: true,
  };
}

/** The service as loaded first, then with `principals` once reloaded after a change. */
function detailsThen(principals: string[]) {
  return jest
    .fn()
    .mockResolvedValueOnce(makeDetails())
    .mockResolvedValue(makeDetails({ allowedPrincipals: principals }));
}

// Every test in this file is the service owner: the permission decisions are cached per file.
function render(overrides: Partial<jest.Mocked<PrivateLinkApi>> = {}) {
  const api = mockPrivateLinkApi({
    getSettings: jest.fn().mockResolvedValue(settings(false)),
    ...overrides,
  });
  const alertApi = mockApis.alert();
  renderWithApis(<EntityPrivateLinkContent />, {
    api,
    role: 'owner',
    entity: makeService(),
    alertApi,
  });
  return { api, alertApi };
}

async function openAllowDialog() {
  await userEvent.click(
    await screen.findByRole('button', { name: 'Allow principal' }),
  );
  const dialog = await screen.findByRole('dialog');
  return {
    dialog,
    field: within(dialog).getByRole('textbox', { name: /Principals/ }),
    allow: within(dialog).getByRole('button', { name: 'Allow' }),
  };
}

async function typeOver(field: HTMLElement, text: string) {
  await userEvent.clear(field);
  await fill(field, text);
}

describe('EntityPrivateLinkContent principals for owners', () => {
  it('offers Allow principal and a Revoke on every principal', async () => {
    render();
    const principals = await tableTitled('Allowed principals (3)');
    expect(
      await screen.findByRole('button', { name: 'Allow principal' }),
    ).toBeInTheDocument();
    expect(
      within(principals)
        .getAllByRole('button', { name: /^Revoke principal/ })
        .map(b => b.getAttribute('aria-label')),
    ).toEqual(ALLOWED.map(p => `Revoke principal ${p}`));
  });

  it('shows why a principal is invalid, keeps Allow disabled and sends nothing', async () => {
    const { api } = render();
    const { dialog, field, allow } = await openAllowDialog();
    // Empty: nothing to send, and nothing to complain about yet.
    expect(allow).toBeDisabled();
    expect(dialog).not.toHaveTextContent(/is not an IAM principal ARN/);

    await fill(field, '12345');
    expect(
      await within(dialog).findByText(
        "'12345' must be a 12-digit AWS account id, e.g. 123456789012",
      ),
    ).toBeInTheDocument();
    expect(allow).toBeDisabled();

    await typeOver(
      field,
      '222222222222, arn:aws:iam::123456789012:role/path/name',
    );
    expect(
      await within(dialog).findByText(
        /^'arn:aws:iam::123456789012:role\/path\/name' is not an IAM principal ARN/,
      ),
    ).toBeInTheDocument();
    expect(allow).toBeDisabled();

    // The settings say no to `*`.
    await typeOver(field, '*');
    expect(
      await within(dialog).findByText(
        /^The principal '\*' lets every AWS account connect; it is refused unless privatelink.allowWildcardPrincipal is true/,
      ),
    ).toBeInTheDocument();
    expect(allow).toBeDisabled();
    await userEvent.click(allow, { pointerEventsCheck: 0 });

    // A valid one enables Allow, which proves the disabled state came from the validation.
    await typeOver(field, '555555555555');
    expect(
      await within(dialog).findByText('Allows arn:aws:iam::555555555555:root'),
    ).toBeInTheDocument();
    expect(allow).toBeEnabled();
    expect(api.allowPrincipals).not.toHaveBeenCalled();
    expect(api.getServiceDetails).toHaveBeenCalledTimes(1);
  });

  it('allows account ids and ARNs, says so and reloads the service', async () => {
    const added = [
      'arn:aws:iam::555555555555:root',
      'arn:aws:iam::666666666666:role/ops',
    ];
    const { api, alertApi } = render({
      getServiceDetails: detailsThen([...ALLOWED, ...added]),
      allowPrincipals: jest.fn().mockResolvedValue({ changed: added }),
    });
    const { dialog, field, allow } = await openAllowDialog();
    await fill(
      field,
      '555555555555,\narn:aws:iam::666666666666:role/ops 555555555555',
    );
    await waitFor(() => expect(allow).toBeEnabled());
    await userEvent.click(allow);

    await waitFor(() =>
      expect(api.allowPrincipals).toHaveBeenCalledWith(SERVICE_REF, added),
    );
    expect(api.allowPrincipals).toHaveBeenCalledTimes(1);
    expect(await tableTitled('Allowed principals (5)')).toHaveTextContent(
      'arn:aws:iam::666666666666:role/ops',
    );
    await waitFor(() => expect(dialog).not.toBeInTheDocument());
    expect(alertApi.getAlerts()).toEqual([
      expect.objectContaining({
        severity: 'success',
        message: `Allowed ${added.join(
          ', ',
        )} on Payments endpoint service. The catalog shows the change within seconds.`,
      }),
    ]);
  });

  it('allows everyone when the settings permit the wildcard', async () => {
    const { api } = render({
      getSettings: jest.fn().mockResolvedValue(settings(true)),
      allowPrincipals: jest.fn().mockResolvedValue({ changed: ['*'] }),
    });
    const { dialog, field, allow } = await openAllowDialog();
    await fill(field, '*');
    expect(await within(dialog).findByText('Allows *')).toBeInTheDocument();
    await userEvent.click(allow);
    await waitFor(() =>
      expect(api.allowPrincipals).toHaveBeenCalledWith(SERVICE_REF, ['*']),
    );
  });

  it('revokes a principal after a confirmation naming it, and reloads the service', async () => {
    const revoked = 'arn:aws:iam::333333333333:root';
    const { api, alertApi } = render({
      getServiceDetails: detailsThen(ALLOWED.filter(p => p !== revoked)),
      revokePrincipals: jest.fn().mockResolvedValue({ changed: [revoked] }),
    });
    const principals = await tableTitled('Allowed principals (3)');
    await userEvent.click(
      within(principals).getByRole('button', {
        name: `Revoke principal ${revoked}`,
      }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByRole('heading', { name: `Revoke ${revoked}?` }),
    ).toBeInTheDocument();
    expect(api.revokePrincipals).not.toHaveBeenCalled();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Revoke' }),
    );
    await waitFor(() =>
      expect(api.revokePrincipals).toHaveBeenCalledWith(SERVICE_REF, [revoked]),
    );
    const reloaded = await tableTitled('Allowed principals (2)');
    expect(reloaded).not.toHaveTextContent(revoked);
    expect(alertApi.getAlerts()).toEqual([
      expect.objectContaining({
        severity: 'success',
        message: expect.stringContaining(
          `Revoked ${revoked} on Payments endpoint service. The catalog shows the change within seconds.`,
        ),
      }),
    ]);
  });

  it('shows the backend’s error in the dialog and changes nothing else', async () => {
    const failure = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'ServiceUnavailableError',
            message:
              'Could not allow principals on vpce-svc-0a1b2c3d4e5f60718: UnauthorizedOperation',
          },
          response: { statusCode: 503 },
        }),
        {
          status: 503,
          statusText: 'Service Unavailable',
          headers: { 'Content-Type': 'application/json' },
        },
      ),
    );
    const { api, alertApi } = render({
      allowPrincipals: jest.fn().mockRejectedValue(failure),
    });
    const { dialog, field, allow } = await openAllowDialog();
    await fill(field, '555555555555');
    await waitFor(() => expect(allow).toBeEnabled());
    await userEvent.click(allow);

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Could not allow principals on vpce-svc-0a1b2c3d4e5f60718: UnauthorizedOperation',
    );
    // The dialog stays open with what was typed, for another try.
    expect(field).toHaveValue('555555555555');
    expect(allow).toBeEnabled();
    expect(api.allowPrincipals).toHaveBeenCalledTimes(1);
    expect(api.getServiceDetails).toHaveBeenCalledTimes(1);
    expect(alertApi.getAlerts()).toEqual([]);
    // Behind the open dialog, the table is as it was.
    expect(
      screen.getByRole('heading', {
        name: 'Allowed principals (3)',
        hidden: true,
      }),
    ).toBeInTheDocument();
  });
});
