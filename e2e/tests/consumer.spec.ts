import { DescribeVpcEndpointsCommand, DescribeVpcEndpointServiceConfigurationsCommand } from '@aws-sdk/client-ec2';
import { expect, test } from '@playwright/test';
import { ec2In, elementStep, signIn, step } from './helpers';

const PROVIDER = '123456789012';
const PAYMENTS_PROD = '210987654321';

/**
 * The DNS names payments-api's team must configure, worked out from the emulator through the SDK: the service's
 * private DNS name where the endpoint has private DNS enabled and the name is verified, else the endpoint's first
 * (regional) DNS name.
 */
async function dnsNamesToUse(): Promise<string[]> {
  const { VpcEndpoints = [] } = await (await ec2In(PAYMENTS_PROD)).send(
    new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'tag:backstage:component', Values: ['payments-api'] }] }),
  );
  const { ServiceConfigurations = [] } = await (await ec2In(PROVIDER)).send(new DescribeVpcEndpointServiceConfigurationsCommand({}));
  return VpcEndpoints.filter(e => (e.State as string) !== 'deleted').map(e => {
    const service = ServiceConfigurations.find(s => s.ServiceName === e.ServiceName);
    const verified = service?.PrivateDnsName && service.PrivateDnsNameConfiguration?.State === 'verified';
    return e.PrivateDnsEnabled && verified ? service!.PrivateDnsName! : e.DnsEntries![0].DnsName!;
  });
}

test("consumer: payments-api's page shows its private connections with the DNS name to use, as the emulator has them", async ({ page }) => {
  const expected = await dnsNamesToUse();
  expect(expected.length).toBeGreaterThanOrEqual(3);

  await signIn(page);
  await page.goto('/catalog/default/component/payments-api');
  const card = page.locator('article, .MuiCard-root').filter({ hasText: 'Private connections' }).first();
  await expect(card).toBeVisible();
  for (const name of expected) {
    await expect(card.getByText(name, { exact: true }).first()).toBeVisible();
  }
  // Each name to use comes with a copy button.
  expect(await card.getByRole('button', { name: /copy/i }).count()).toBeGreaterThanOrEqual(expected.length);
  await step(page, 'consumer', '1-payments-api');
  await elementStep(card, 'consumer', 'card');
});
