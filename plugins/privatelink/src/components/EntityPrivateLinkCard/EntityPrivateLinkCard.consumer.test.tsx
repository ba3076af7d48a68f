import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
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

const checkoutComponent: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/checkout' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/checkout' }],
};

// Every test in this file is a consumer: the permission decisions are cached per file.
function render(api: PrivateLinkApi) {
  return renderWithApis(<EntityPrivateLinkCard />, {
    api,
    role: 'consumer',
    entity: makeService(),
    catalogEntities: [checkoutComponent],
  });
}

async function openRequestDialog() {
  await userEvent.click(
    await screen.findByRole('button', { name: 'Request access' }),
  );
  return screen.findByRole('dialog', {
    name: 'Request access to Payments endpoint service',
  });
}

describe('EntityPrivateLinkCard for consumers', () => {
  it('offers Request access and the template, and no owner actions', async () => {
    render(mockPrivateLinkApi());

    expect(
      await screen.findByRole('button', { name: 'Request access' }),
    ).toBeInTheDocument();
    const link = screen.getByRole('link', {
      name: 'Open the Request access template',
    });
    const url = new URL(link.getAttribute('href')!, 'http://localhost');
    expect(url.pathname).toBe(
      '/create/templates/default/request-access-to-a-service',
    );
    expect(JSON.parse(url.searchParams.get('formData')!)).toEqual({
      service: SERVICE_REF,
    });

    expect(
      screen.queryByRole('button', { name: /^Reject connection/ }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /^Accept connection/ }),
    ).not.toBeInTheDocument();
  });

  it('shows the status of the user’s own requests', async () => {
    render(
      mockPrivateLinkApi({
        listAccessRequests: jest.fn().mockResolvedValue([
          makeRequest({ consumerRef: 'component:default/checkout' }),
          makeRequest({
            id: 'other',
            accountId: '666666666666',
            status: 'denied',
          }),
        ]),
      }),
    );
    const table = await screen.findByRole('table', {
      name: 'Your access requests',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(r => r.textContent)).toEqual([
      'checkout555555555555Pending2024-04-02',
      'orders666666666666Denied2024-04-02',
    ]);
    expect(
      screen.queryByRole('button', { name: /^Approve/ }),
    ).not.toBeInTheDocument();
  });

  it('posts an access request for an owned component', async () => {
    const api = mockPrivateLinkApi();
    render(api);
    const dialog = await openRequestDialog();

    await userEvent.click(
      within(dialog).getByRole('textbox', { name: /Consumer/ }),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'component:default/checkout' }),
    );
    await fill(
      within(dialog).getByRole('textbox', { name: /AWS account id/ }),
      '222222222222',
    );
    await fill(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'Checkout takes payments',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Send request' }),
    );

    await waitFor(() =>
      expect(api.createAccessRequest).toHaveBeenCalledWith({
        serviceRef: SERVICE_REF,
        consumerRef: 'component:default/checkout',
        accountId: '222222222222',
        reason: 'Checkout takes payments',
      }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    await waitFor(() =>
      expect(api.listAccessRequests).toHaveBeenCalledTimes(2),
    );
  });

  it('accepts a typed consumer ref', async () => {
    const api = mockPrivateLinkApi();
    render(api);
    const dialog = await openRequestDialog();

    await fill(
      within(dialog).getByRole('textbox', { name: /Consumer/ }),
      'group:team-x',
    );
    await fill(
      within(dialog).getByRole('textbox', { name: /AWS account id/ }),
      ' 222222222222 ',
    );
    await fill(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'Reports',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Send request' }),
    );
    await waitFor(() =>
      expect(api.createAccessRequest).toHaveBeenCalledWith(
        expect.objectContaining({
          consumerRef: 'group:default/team-x',
          accountId: '222222222222',
        }),
      ),
    );
  });

  it('refuses a bad account id, consumer and reason without posting', async () => {
    const api = mockPrivateLinkApi();
    render(api);
    const dialog = await openRequestDialog();

    await fill(
      within(dialog).getByRole('textbox', { name: /Consumer/ }),
      'api:payments',
    );
    await fill(
      within(dialog).getByRole('textbox', { name: /AWS account id/ }),
      '12345',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Send request' }),
    );

    expect(
      await within(dialog).findByText(
        'Must be a 12-digit AWS account id, e.g. 123456789012',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'Enter a component or group, e.g. component:default/checkout',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('Say in a few words why you need access'),
    ).toBeInTheDocument();
    expect(api.createAccessRequest).not.toHaveBeenCalled();
  });

  it('shows the backend’s refusal in the dialog', async () => {
    const conflict = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'ConflictError',
            message: 'There is already a pending request',
          },
          response: { statusCode: 409 },
        }),
        {
          status: 409,
          statusText: 'Conflict',
          headers: { 'Content-Type': 'application/json' },
        },
      ),
    );
    const api = mockPrivateLinkApi({
      createAccessRequest: jest.fn().mockRejectedValue(conflict),
    });
    render(api);
    const dialog = await openRequestDialog();

    await fill(
      within(dialog).getByRole('textbox', { name: /Consumer/ }),
      'checkout',
    );
    await fill(
      within(dialog).getByRole('textbox', { name: /AWS account id/ }),
      '222222222222',
    );
    await fill(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'Payments',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Send request' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'There is already a pending request',
    );
  });
});
