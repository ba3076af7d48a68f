import { CreateVpcEndpointCommand, DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { expect, Page, test } from '@playwright/test';
import {
  demoNetwork,
  ec2In,
  endpointState,
  exposeValues,
  runTaskThroughApi,
  serviceByName,
  signIn,
  step,
  waitForEntity,
} from './helpers';

const PAYMENTS_PROD = '210987654321';
const ORDERS_PROD = '345678901234';
const root = (accountId: string) => `arn:aws:iam::${accountId}:root`;

/** Opens the service's tab until the catalog shows the connection with the owner's buttons (or without them). */
async function expectPending(page: Page, name: string, endpointIds: string[], pending: boolean) {
  await expect(async () => {
    await page.goto(`/catalog/default/resource/${name}/privatelink`);
    await expect(page.getByText(/Connections \(\d+\)/).first()).toBeVisible({ timeout: 10_000 });
    for (const id of endpointIds) {
      await expect(page.getByText(id).filter({ visible: true }).first()).toBeVisible({ timeout: 5_000 });
      const accept = page.getByRole('button', { name: `Accept connection ${id}` });
      if (pending) await expect(accept).toBeVisible({ timeout: 5_000 });
      else await expect(accept).toHaveCount(0, { timeout: 5_000 });
    }
  }).toPass({ timeout: 60_000 });
}

test('connections: an owner accepts one pending connection and rejects another in the tab; the consumers see it in AWS', async ({ page }) => {
  const name = `ledger-${Date.now().toString(36)}`;
  // A service that requires acceptance, open to payments-prod and orders-prod.
  await runTaskThroughApi(
    'template:default/expose-service-privately',
    await exposeValues({ component: 'component:default/search-api', name, principals: [root(PAYMENTS_PROD), root(ORDERS_PROD)] }),
  );
  const service = (await serviceByName(name))!;
  await waitForEntity(`resource:default/${name}`);

  // orders-prod connects from outside the portal (e.g. its own Terraform)…
  const orders = await demoNetwork(ORDERS_PROD, 'orders-prod');
  const { VpcEndpoint } = await (await ec2In(ORDERS_PROD)).send(
    new CreateVpcEndpointCommand({
      VpcId: orders.vpcId,
      ServiceName: service.ServiceName,
      VpcEndpointType: 'Interface',
      SubnetIds: orders.subnetIds,
    }),
  );
  const fromOrders = VpcEndpoint!.VpcEndpointId!;
  // …payments through "Request access to a service", whose announcement brings both connections into the catalog.
  const payments = await demoNetwork(PAYMENTS_PROD, 'payments-prod');
  await runTaskThroughApi('template:default/request-access-to-a-service', {
    service: `resource:default/${name}`,
    component: 'component:default/payments-api',
    accountId: PAYMENTS_PROD,
    vpcId: payments.vpcId,
    subnetIds: payments.subnetIds,
  });
  const { VpcEndpoints = [] } = await (await ec2In(PAYMENTS_PROD)).send(
    new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'service-name', Values: [service.ServiceName!] }] }),
  );
  expect(VpcEndpoints).toHaveLength(1);
  const fromPayments = VpcEndpoints[0].VpcEndpointId!;
  expect([await endpointState(PAYMENTS_PROD, fromPayments), await endpointState(ORDERS_PROD, fromOrders)]).toEqual([
    'pendingAcceptance',
    'pendingAcceptance',
  ]);

  // The owner (the guest, a member of platform) decides in the tab.
  await signIn(page);
  await expectPending(page, name, [fromPayments, fromOrders], true);
  await step(page, 'connections', '1-pending');

  await page.getByRole('button', { name: `Accept connection ${fromPayments}` }).click();
  await expect(page.getByText(`Accept connection ${fromPayments}?`)).toBeVisible();
  await step(page, 'connections', '2-accept-confirmation');
  await page.getByRole('dialog').getByRole('button', { name: 'Accept', exact: true }).click();
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect.poll(() => endpointState(PAYMENTS_PROD, fromPayments)).toBe('available');

  await page.getByRole('button', { name: `Reject connection ${fromOrders}` }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Reject', exact: true }).click();
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect.poll(() => endpointState(ORDERS_PROD, fromOrders)).toBe('rejected');

  // The tab comes to show both decisions, with no buttons left, and the audit log has both.
  await expectPending(page, name, [fromPayments, fromOrders], false);
  await expect(page.getByText('connections.accept').filter({ visible: true }).first()).toBeVisible();
  await expect(page.getByText('connections.reject').filter({ visible: true }).first()).toBeVisible();
  await step(page, 'connections', '3-decided');
});
