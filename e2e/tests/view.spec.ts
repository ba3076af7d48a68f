import { expect, test } from '@playwright/test';
import { seededService, signIn, step } from './helpers';

test('view: the catalog lists the seeded endpoint services; a service page shows its consumers and DNS names', async ({ page }) => {
  const orders = await seededService('orders-api');
  expect(orders.consumers.length).toBeGreaterThan(0);

  await signIn(page);
  await page.goto('/catalog?filters%5Bkind%5D=resource&filters%5Btype%5D=vpc-endpoint-service&filters%5Buser%5D=all');
  for (const name of ['orders-api', 'auth-service', 'central-logging']) {
    await expect(page.getByRole('link', { name, exact: true }).first()).toBeVisible();
  }
  await step(page, 'view', '1-catalog-endpoint-services');

  await page.getByRole('link', { name: 'orders-api', exact: true }).first().click();
  await expect(page).toHaveURL(/\/catalog\/default\/resource\/orders-api/);
  const card = page.locator('article, .MuiCard-root').filter({ hasText: 'PrivateLink' }).first();
  await expect(card).toBeVisible();
  await expect(card.getByText(orders.serviceName).first()).toBeVisible();
  for (const dns of orders.dnsNames) await expect(card.getByText(dns).first()).toBeVisible();
  for (const endpointId of orders.consumers) await expect(page.getByText(endpointId).first()).toBeVisible();
  await step(page, 'view', '2-service-page-card');

  // The catalog graph draws the provider → consumer relation: the consumer endpoint is a node of the graph.
  const graph = page.locator('svg').filter({ has: page.locator(`text=${orders.consumers[0]}`) }).first();
  await expect(graph).toBeVisible();
  await step(page, 'view', '3-catalog-graph');
});
