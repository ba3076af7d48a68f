import { mockApis } from '@backstage/frontend-test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeDetails } from '../../__fixtures__/details';
import { SERVICE_REF, makeService } from '../../__fixtures__/entities';
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

const CUTS_MESSAGE =
  'The change cuts off consumers: vpce-0123456789abcdef0 (account 222222222222, connects from us-east-1); confirm to cut them';

// Every test in this file is the service owner: the permission decisions are cached per file.
function render(
  overrides: Partial<jest.Mocked<PrivateLinkApi>> = {},
  entity = makeService(),
) {
  const api = mockPrivateLinkApi(overrides);
  const alertApi = mockApis.alert();
  renderWithApis(<EntityPrivateLinkContent />, {
    api,
    role: 'owner',
    entity,
    alertApi,
  });
  return { api, alertApi };
}

async function openSettings() {
  await userEvent.click(
    await screen.findByRole('button', { name: 'Settings' }),
  );
  const dialog = await screen.findByRole('dialog', {
    name: 'Settings of Payments endpoint service',
  });
  return {
    dialog,
    acceptance: within(dialog).getByRole('checkbox', {
      name: 'Acceptance required',
    }),
    dnsName: within(dialog).getByRole('textbox', { name: 'Private DNS name' }),
    save: within(dialog).getByRole('button', { name: 'Save' }),
  };
}

/** The body of the n-th settings change sent, exactly as given to the client. */
function sent(api: jest.Mocked<PrivateLinkApi>, n = 0) {
  const [serviceRef, change] = api.updateServiceSettings.mock.calls[n];
  return { serviceRef, change };
}

describe('EntityPrivateLinkContent settings for owners', () => {
  it('shows the current settings, the own region fixed, and sends nothing until something changes', async () => {
    const { api } = render();
    const { dialog, acceptance, dnsName, save } = await openSettings();
    expect(acceptance).toBeChecked();
    expect(dnsName).toHaveValue('payments.internal.example.com');
    expect(
      within(dialog).getByRole('checkbox', {
        name: "eu-west-1 (the service's region)",
      }),
    ).toBeDisabled();
    expect(
      within(dialog).getByRole('checkbox', { name: 'us-east-1' }),
    ).toBeChecked();
    expect(save).toBeDisabled();

    // Switching back and forth is no change either.
    await userEvent.click(acceptance);
    expect(save).toBeEnabled();
    await userEvent.click(acceptance);
    expect(save).toBeDisabled();

    // A name AWS would refuse is caught before sending.
    await userEvent.clear(dnsName);
    await fill(dnsName, 'Payments.Example');
    expect(
      within(dialog).getByText(/must be a lower-case DNS name/),
    ).toBeInTheDocument();
    expect(save).toBeDisabled();
    expect(api.updateServiceSettings).not.toHaveBeenCalled();
  });

  it('sends only the changed private DNS name, says verification starts again, and reloads', async () => {
    const { api, alertApi } = render({
      getServiceDetails: jest
        .fn()
        .mockResolvedValueOnce(makeDetails())
        .mockResolvedValue(
          makeDetails({
            privateDnsName: 'pay.internal.example.com',
            privateDnsState: 'pendingVerification',
          }),
        ),
      updateServiceSettings: jest.fn().mockResolvedValue({
        serviceRef: SERVICE_REF,
        changed: ['privateDnsName'],
        cuts: [],
        privateDnsState: 'pendingVerification',
      }),
    });
    const { dialog, dnsName, save } = await openSettings();
    await userEvent.clear(dnsName);
    await fill(dnsName, 'pay.internal.example.com');
    expect(
      within(dialog).getByRole('region', { name: 'Changes to send' }),
    ).toHaveTextContent(
      'The private DNS name becomes pay.internal.example.com; its verification starts again.',
    );
    await userEvent.click(save);

    await waitFor(() => expect(api.updateServiceSettings).toHaveBeenCalled());
    expect(sent(api)).toStrictEqual({
      serviceRef: SERVICE_REF,
      change: { privateDnsName: 'pay.internal.example.com' },
    });
    await waitFor(() => expect(dialog).not.toBeInTheDocument());
    await waitFor(() => expect(api.getServiceDetails).toHaveBeenCalledTimes(2));
    expect(alertApi.getAlerts()).toEqual([
      expect.objectContaining({
        severity: 'success',
        message:
          'Changed private DNS name on Payments endpoint service. Private DNS name: Pending verification. The catalog shows the change within seconds.',
      }),
    ]);
  });

  it('removes the private DNS name when the field is cleared', async () => {
    const { api } = render();
    const { dialog, dnsName, save } = await openSettings();
    await userEvent.clear(dnsName);
    expect(dialog).toHaveTextContent(
      'Left empty, the private DNS name is removed',
    );
    await userEvent.click(save);
    await waitFor(() => expect(api.updateServiceSettings).toHaveBeenCalled());
    expect(sent(api).change).toStrictEqual({ privateDnsName: null });
  });

  it('on a 409 shows the consumers cut off, and Apply anyway resends with confirmCuts', async () => {
    const { api, alertApi } = render({
      updateServiceSettings: jest
        .fn()
        .mockRejectedValueOnce(
          await responseError(409, 'ConflictError', CUTS_MESSAGE),
        )
        .mockResolvedValue({
          serviceRef: SERVICE_REF,
          changed: ['acceptanceRequired', 'supportedRegions'],
          cuts: [
            {
              endpointId: 'vpce-0123456789abcdef0',
              accountId: '222222222222',
              state: 'available',
              reason: 'connects from us-east-1',
            },
          ],
        }),
    });
    const { dialog, acceptance, save } = await openSettings();
    await userEvent.click(acceptance);
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: 'us-east-1' }),
    );
    await userEvent.selectOptions(
      within(dialog).getByRole('combobox', { name: 'Add a region' }),
      'eu-central-1',
    );
    expect(
      within(dialog).getByRole('checkbox', { name: 'eu-central-1' }),
    ).toBeChecked();
    await userEvent.click(save);

    const expected = {
      acceptanceRequired: false,
      addSupportedRegions: ['eu-central-1'],
      removeSupportedRegions: ['us-east-1'],
    };
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      CUTS_MESSAGE,
    );
    expect(sent(api, 0).change).toStrictEqual(expected);
    expect(api.getServiceDetails).toHaveBeenCalledTimes(1);

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Apply anyway' }),
    );
    await waitFor(() =>
      expect(api.updateServiceSettings).toHaveBeenCalledTimes(2),
    );
    expect(sent(api, 1)).toStrictEqual({
      serviceRef: SERVICE_REF,
      change: { ...expected, confirmCuts: true },
    });
    await waitFor(() => expect(dialog).not.toBeInTheDocument());
    await waitFor(() => expect(api.getServiceDetails).toHaveBeenCalledTimes(2));
    expect(alertApi.getAlerts()).toEqual([
      expect.objectContaining({
        severity: 'success',
        message:
          'Changed acceptance required, supported regions on Payments endpoint service. Cut off vpce-0123456789abcdef0 (connects from us-east-1). The catalog shows the change within seconds.',
      }),
    ]);
  });

  it('drops the offer to apply anyway once the change is edited', async () => {
    const { api } = render({
      updateServiceSettings: jest
        .fn()
        .mockRejectedValue(
          await responseError(409, 'ConflictError', CUTS_MESSAGE),
        ),
    });
    const { dialog } = await openSettings();
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: 'us-east-1' }),
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(
      await within(dialog).findByRole('button', { name: 'Apply anyway' }),
    ).toBeInTheDocument();

    // Putting the region back: nothing to send, nothing to confirm.
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: 'us-east-1' }),
    );
    expect(
      within(dialog).queryByRole('button', { name: 'Apply anyway' }),
    ).not.toBeInTheDocument();
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Save' })).toBeDisabled();
    expect(api.updateServiceSettings).toHaveBeenCalledTimes(1);
  });

  it('shows any other refusal as the backend’s message and keeps the dialog open', async () => {
    const { api, alertApi } = render({
      updateServiceSettings: jest
        .fn()
        .mockRejectedValue(
          await responseError(
            403,
            'NotAllowedError',
            'You may not change the settings of this endpoint service',
          ),
        ),
    });
    const { dialog, acceptance, save } = await openSettings();
    await userEvent.click(acceptance);
    await userEvent.click(save);
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'You may not change the settings of this endpoint service',
    );
    expect(
      within(dialog).queryByRole('button', { name: 'Apply anyway' }),
    ).not.toBeInTheDocument();
    expect(save).toBeEnabled();
    expect(api.getServiceDetails).toHaveBeenCalledTimes(1);
    expect(alertApi.getAlerts()).toEqual([]);
  });

  it('sends the IP address types as the whole set, and refuses none without a request', async () => {
    const { api, alertApi } = render({
      updateServiceSettings: jest.fn().mockResolvedValue({
        serviceRef: SERVICE_REF,
        changed: ['supportedIpAddressTypes'],
        cuts: [],
      }),
    });
    const { dialog, save } = await openSettings();
    const types = within(dialog).getByRole('group', {
      name: 'IP address types',
    });
    const ipv4 = within(types).getByRole('checkbox', { name: 'IPv4' });
    const ipv6 = within(types).getByRole('checkbox', { name: 'IPv6' });
    expect(ipv4).toBeChecked();
    expect(ipv6).not.toBeChecked();

    // None checked: said under the checkboxes, and nothing can be sent.
    await userEvent.click(ipv4);
    expect(types).toHaveTextContent('Choose at least one IP address type');
    expect(save).toBeDisabled();

    await userEvent.click(ipv6);
    await userEvent.click(ipv4);
    expect(
      within(dialog).getByRole('region', { name: 'Changes to send' }),
    ).toHaveTextContent('Consumers connect over IPv4 and IPv6.');
    await userEvent.click(save);
    await waitFor(() => expect(api.updateServiceSettings).toHaveBeenCalled());
    expect(api.updateServiceSettings).toHaveBeenCalledTimes(1);
    expect(sent(api).change).toStrictEqual({
      supportedIpAddressTypes: ['ipv4', 'ipv6'],
    });
    await waitFor(() => expect(dialog).not.toBeInTheDocument());
    expect(alertApi.getAlerts()).toEqual([
      expect.objectContaining({
        message:
          'Changed IP address types on Payments endpoint service. The catalog shows the change within seconds.',
      }),
    ]);
  });

  it('treats a service whose IP address types are not known as IPv4', async () => {
    render({
      getServiceDetails: jest
        .fn()
        .mockResolvedValue(makeDetails({ supportedIpAddressTypes: [] })),
    });
    const { dialog, save } = await openSettings();
    expect(
      within(dialog).getByRole('checkbox', { name: 'IPv4' }),
    ).toBeChecked();
    expect(save).toBeDisabled();
  });

  it('shows AWS’s refusal of IPv6 without a dualstack load balancer in the dialog', async () => {
    const message =
      'IPv6 needs a dualstack Network Load Balancer behind vpce-svc-0a1b2c3d4e5f60718';
    const { api } = render({
      updateServiceSettings: jest
        .fn()
        .mockRejectedValue(await responseError(400, 'InputError', message)),
    });
    const { dialog, save } = await openSettings();
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: 'IPv6' }),
    );
    await userEvent.click(save);
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(message);
    expect(api.updateServiceSettings).toHaveBeenCalledTimes(1);
  });

  it('offers only the user’s own teams and the current owner, and sends the new owner', async () => {
    const { api } = render({
      updateServiceSettings: jest.fn().mockResolvedValue({
        serviceRef: SERVICE_REF,
        changed: ['owner'],
        cuts: [],
      }),
    });
    const { dialog, save } = await openSettings();
    const placement = within(dialog).getByRole('region', { name: 'Placement' });
    const owner = within(placement).getByRole('combobox', { name: 'Owner' });
    expect(owner).toHaveValue('group:default/payments');
    // The identity's groups load after the dialog opens; the user entity of its ownership refs is no team.
    expect(
      await within(owner).findByRole('option', { name: 'checkout' }),
    ).toBeInTheDocument();
    expect(
      within(owner)
        .getAllByRole('option')
        .map(o => [o.textContent, o.getAttribute('value')]),
    ).toEqual([
      ['payments (current owner)', 'group:default/payments'],
      ['checkout', 'group:default/checkout'],
    ]);
    expect(placement).toHaveTextContent(
      'Only your own teams are offered: the team taking the service over accepts it by one of its members making the change.',
    );

    await userEvent.selectOptions(owner, 'group:default/checkout');
    expect(
      within(dialog).getByRole('region', { name: 'Changes to send' }),
    ).toHaveTextContent(
      'The service is handed to checkout, which then owns it.',
    );
    await userEvent.click(save);
    await waitFor(() => expect(api.updateServiceSettings).toHaveBeenCalled());
    expect(sent(api).change).toStrictEqual({ owner: 'group:default/checkout' });
  });

  it('shows the refusal of a handover the account does not permit', async () => {
    const message =
      'group:default/checkout may not own endpoint services of account 111111111111';
    render({
      updateServiceSettings: jest
        .fn()
        .mockRejectedValue(
          await responseError(403, 'NotAllowedError', message),
        ),
    });
    const { dialog, save } = await openSettings();
    const owner = within(dialog).getByRole('combobox', { name: 'Owner' });
    await within(owner).findByRole('option', { name: 'checkout' });
    await userEvent.selectOptions(owner, 'group:default/checkout');
    await userEvent.click(save);
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(message);
    expect(dialog).toBeInTheDocument();
  });

  it('clears the system to null, and sets a component the catalog must know', async () => {
    const { api } = render({
      updateServiceSettings: jest
        .fn()
        .mockResolvedValueOnce({
          serviceRef: SERVICE_REF,
          changed: ['system'],
          cuts: [],
        })
        .mockRejectedValueOnce(
          await responseError(
            400,
            'InputError',
            'component: component:default/nope is not in the catalog',
          ),
        ),
    });
    const first = await openSettings();
    const system = within(first.dialog).getByRole('textbox', {
      name: 'System',
    });
    expect(system).toHaveValue('payments');
    await userEvent.click(
      within(first.dialog).getByRole('button', { name: 'Clear system' }),
    );
    expect(system).toHaveValue('');
    expect(first.dialog).toHaveTextContent(
      'Left empty, the service no longer names a system.',
    );
    expect(
      within(first.dialog).getByRole('region', { name: 'Changes to send' }),
    ).toHaveTextContent('The service leaves the system payments.');
    await userEvent.click(first.save);
    await waitFor(() => expect(api.updateServiceSettings).toHaveBeenCalled());
    expect(sent(api).change).toStrictEqual({ system: null });
    await waitFor(() => expect(first.dialog).not.toBeInTheDocument());

    // The service's entity names no component: a typed one is sent, a ref of another kind is caught first.
    const second = await openSettings();
    const component = within(second.dialog).getByRole('textbox', {
      name: 'Component',
    });
    expect(component).toHaveValue('');
    await fill(component, 'system:default/nope');
    expect(second.dialog).toHaveTextContent('must be a component ref');
    expect(second.save).toBeDisabled();
    await userEvent.clear(component);
    await fill(component, 'component:default/nope');
    await userEvent.click(second.save);
    expect(await within(second.dialog).findByRole('alert')).toHaveTextContent(
      'component: component:default/nope is not in the catalog',
    );
    expect(sent(api, 1).change).toStrictEqual({
      component: 'component:default/nope',
    });
  });

  it('starts from the component the service’s entity names, and clears it to null', async () => {
    const service = makeService();
    const { api } = render(
      {},
      {
        ...service,
        spec: {
          ...service.spec,
          dependencyOf: ['component:default/payments-api'],
        },
      },
    );
    const { dialog, save } = await openSettings();
    const component = within(dialog).getByRole('textbox', {
      name: 'Component',
    });
    expect(component).toHaveValue('component:default/payments-api');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Clear component' }),
    );
    expect(
      within(dialog).getByRole('region', { name: 'Changes to send' }),
    ).toHaveTextContent(
      'The service no longer names the component payments-api.',
    );
    await userEvent.click(save);
    await waitFor(() => expect(api.updateServiceSettings).toHaveBeenCalled());
    expect(sent(api).change).toStrictEqual({ component: null });
  });
});
