import { expect, test } from '@playwright/test';
import { seededService, signIn, step } from './helpers';

test('view: the catalog lists the seeded endpoint services; a service page shows its consumers and DNS names', async ({ page }) => {
  const orders = await seededService('orders-api');
  expect(orders.consumers.length).toBeGreaterThan(0);

  await signIn(page);
  // The demo mounts the catalog at the root (app-config.yaml: page:catalog path '/').
  await page.goto('/?filters%5Bkind%5D=resource&filters%5Btype%5D=vpc-endpoint-service&filters%5Buser%5D=all');
  for (const name of ['orders-api', 'auth-service', 'central-logging', 'metrics-gateway']) {
    await expect(page.getByRole('link', { name, exact: true }).first()).toBeVisible();
  }
  await step(page, 'view', '1-catalog-endpoint-services');

  await page.getByRole('link', { name: 'orders-api', exact: true }).first().click();
  await expect(page).toHaveURL(/\/catalog\/default\/resource\/orders-api/);
  await expect(page.getByText(orders.serviceName).filter({ visible: true }).first()).toBeVisible();
  for (const dns of orders.dnsNames) await expect(page.getByText(dns).filter({ visible: true }).first()).toBeVisible();
  for (const endpointId of orders.consumers) await expect(page.getByText(endpointId).filter({ visible: true }).first()).toBeVisible();
  await step(page, 'view', '2-service-page-card');

  // The catalog graph draws the provider → consumer relation: the payments endpoint (titled after its component)
  // is a node of the service's relations graph.
  const graph = page.locator('svg').filter({ hasText: 'payments-api → orders-api' }).first();
  await expect(graph).toBeVisible();
  await step(page, 'view', '3-catalog-graph');

  // The PrivateLink tab of the service, and the PrivateLink page: "what can I consume privately?"
  await page.goto('/catalog/default/resource/orders-api/privatelink');
  for (const endpointId of orders.consumers) await expect(page.getByText(endpointId).filter({ visible: true }).first()).toBeVisible();
  // orders-prod's endpoint waits for the owners of orders-api (the seed leaves it pending).
  await expect(page.getByText('Pending acceptance').filter({ visible: true }).first()).toBeVisible();
  await step(page, 'view', '4-privatelink-tab');
  await page.goto('/privatelink');
  for (const name of ['orders-api', 'auth-service', 'central-logging']) {
    await expect(page.getByText(name, { exact: true }).first()).toBeVisible();
  }
  await step(page, 'view', '5-privatelink-page');
});
