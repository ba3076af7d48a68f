import { DescribeVpcEndpointServicePermissionsCommand } from '@aws-sdk/client-ec2';
import { expect, Page, test } from '@playwright/test';
import { ec2In, seededService, signIn, step } from './helpers';

const PROVIDER = '123456789012';

/** The principals moto holds for the service: the source of truth the tab must come to show. */
async function principalsInAws(serviceId: string) {
  const { AllowedPrincipals = [] } = await (await ec2In(PROVIDER)).send(
    new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: serviceId }),
  );
  return AllowedPrincipals.map(p => p.Principal!);
}

/** Reopens the tab until the principals table shows (or no longer shows) the principal: the catalog takes seconds. */
async function expectListed(page: Page, principal: string, listed: boolean) {
  await expect(async () => {
    await page.goto('/catalog/default/resource/central-logging/privatelink');
    const cell = page.getByText(principal, { exact: true }).filter({ visible: true });
    await expect(page.getByText(/Allowed principals \(\d+\)/).first()).toBeVisible({ timeout: 10_000 });
    if (listed) await expect(cell.first()).toBeVisible({ timeout: 5_000 });
    else await expect(cell).toHaveCount(0, { timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
}

test('principals: an owner allows an account on a service from its tab, then revokes it', async ({ page }) => {
  // The demo's guest is in group platform, which owns central-logging.
  const service = await seededService('central-logging');
  // A 12-digit account nobody else uses, so that the journey can run again against the same moto.
  const account = `9${String(Date.now()).slice(-11)}`;
  const principal = `arn:aws:iam::${account}:root`;
  expect(await principalsInAws(service.serviceId)).not.toContain(principal);

  await signIn(page);
  await page.goto('/catalog/default/resource/central-logging/privatelink');
  await page.getByRole('button', { name: 'Allow principal' }).click();
  const dialog = page.getByRole('dialog');
  const field = dialog.getByRole('textbox', { name: /Principals/ });
  // Checked before anything is sent: an 11-digit id is refused inline.
  await field.fill(account.slice(1));
  await expect(dialog.getByRole('button', { name: 'Allow', exact: true })).toBeDisabled();
  await field.fill(account);
  await expect(dialog.getByText(`Allows ${principal}`)).toBeVisible();
  await step(page, 'principals', '1-allow-dialog');
  await dialog.getByRole('button', { name: 'Allow', exact: true }).click();
  await expect(page.getByText(/The catalog shows the change within seconds/).first()).toBeVisible();

  expect(await principalsInAws(service.serviceId)).toContain(principal);
  await expectListed(page, principal, true);
  await step(page, 'principals', '2-allowed');

  await page.getByRole('button', { name: `Revoke principal ${principal}` }).click();
  await expect(page.getByText(`Revoke ${principal}?`)).toBeVisible();
  await step(page, 'principals', '3-revoke-confirmation');
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke', exact: true }).click();
  await expect(page.getByText(/Revoked .* The catalog shows the change within seconds/).first()).toBeVisible();

  expect(await principalsInAws(service.serviceId)).not.toContain(principal);
  await expectListed(page, principal, false);
  // The other principals are untouched.
  for (const other of ['210987654321', '345678901234']) {
    expect(await principalsInAws(service.serviceId)).toContain(`arn:aws:iam::${other}:root`);
  }
});
