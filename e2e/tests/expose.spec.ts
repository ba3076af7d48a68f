import { expect, test } from '@playwright/test';
import { demoPublicZoneId, exposeValues, runTemplate, serviceByName, signIn, step } from './helpers';

test('expose: "Expose service privately" succeeds, proves its private DNS name, and the new service shows its DNS names within seconds', async ({ page }) => {
  const name = `inventory-${Date.now().toString(36)}`;
  const privateDnsName = `${name}.internal.example.com`;

  await signIn(page);
  await runTemplate(
    page,
    'expose-service-privately',
    await exposeValues({
      component: 'component:default/inventory-api',
      name,
      principals: ['arn:aws:iam::210987654321:root'],
      // The demo's public zone: the template writes the TXT record there and starts the verification.
      privateDnsName,
      hostedZoneId: await demoPublicZoneId(),
    }),
    'expose',
  );

  const entityLink = page.getByRole('link', { name: 'Endpoint service in the catalog' });
  await expect(entityLink).toBeVisible({ timeout: 90_000 });
  await step(page, 'expose', 'task-succeeded');
  const finished = Date.now();

  const service = await serviceByName(name);
  expect(service?.BaseEndpointDnsNames?.length).toBeGreaterThan(0);
  // EC2 (the emulator) found the record and verified the name.
  expect(service?.PrivateDnsName).toBe(privateDnsName);
  expect(service?.PrivateDnsNameConfiguration?.State).toBe('verified');
  const dns = service!.BaseEndpointDnsNames![0];

  // The scheduled sync runs every 5 minutes; the targeted refresh has to bring the entity in seconds.
  await entityLink.click();
  await expect(async () => {
    await page.goto(`/catalog/default/resource/${name}`);
    await expect(page.getByText(dns).filter({ visible: true }).first()).toBeVisible({ timeout: 10_000 });
    await expect(page.getByText(privateDnsName).filter({ visible: true }).first()).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
  const seconds = (Date.now() - finished) / 1000;
  test.info().annotations.push({ type: 'dns-visible-after-seconds', description: seconds.toFixed(1) });
  console.log(`expose: the new service's DNS name was on its page ${seconds.toFixed(1)} s after the task finished`);
  expect(seconds).toBeLessThan(30);
  await step(page, 'expose', 'service-page');
});
