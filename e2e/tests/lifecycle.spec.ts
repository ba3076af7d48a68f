import { request as playwrightRequest } from '@playwright/test';
import { expect, test } from '@playwright/test';
import {
  BACKEND,
  elementStep,
  exposeValues,
  identityToken,
  loadBalancersIn,
  runTaskThroughApi,
  runTemplate,
  serviceByName,
  signIn,
  step,
  waitForEntity,
} from './helpers';

const PROVIDER = '123456789012';

/** The status of the service's entity in the catalog and its acceptance annotation, as the guest reads them. */
async function catalogEntity(name: string): Promise<{ status: number; acceptanceRequired?: string }> {
  const api = await playwrightRequest.newContext();
  try {
    const headers = { Authorization: `Bearer ${await identityToken(api, 'guest')}` };
    const res = await api.get(`${BACKEND}/api/catalog/entities/by-name/resource/default/${name}`, { headers });
    if (res.status() !== 200) return { status: res.status() };
    const entity = await res.json();
    return { status: 200, acceptanceRequired: entity.metadata.annotations?.['privatelink.io/acceptance-required'] };
  } finally {
    await api.dispose();
  }
}

test('lifecycle: an owner switches off acceptance in the tab, then retires the service and its load balancer with "Retire a private service"', async ({ page }) => {
  // A service of its own, exposed the way the expose journey does it (as the guest, of team platform).
  const name = `retiring-${Date.now().toString(36)}`;
  await runTaskThroughApi(
    'template:default/expose-service-privately',
    await exposeValues({ component: 'component:default/inventory-api', name, principals: ['arn:aws:iam::210987654321:root'] }),
  );
  await waitForEntity(`resource:default/${name}`);
  const exposed = await serviceByName(name);
  expect(exposed?.AcceptanceRequired).toBe(true);
  const nlbArn = exposed!.NetworkLoadBalancerArns![0];

  // Settings in the tab: acceptance off; the dialog sends only that, and AWS and then the catalog show it.
  await signIn(page);
  await page.goto(`/catalog/default/resource/${name}/privatelink`);
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('checkbox', { name: 'Acceptance required' }).uncheck();
  await step(page, 'lifecycle', '1-settings-dialog');
  await elementStep(dialog, 'lifecycle', 'settings-dialog');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText(/Changed acceptance required on .*The catalog shows the change within seconds/).first()).toBeVisible();
  expect((await serviceByName(name))?.AcceptanceRequired).toBe(false);
  await expect.poll(async () => (await catalogEntity(name)).acceptanceRequired, { timeout: 30_000 }).toBe('false');
  await step(page, 'lifecycle', '2-settings-changed');

  // Retire it with the template: the typed name, the endpoint service, then its NLB.
  await runTemplate(
    page,
    'retire-a-private-service',
    { service: `resource:default/${name}`, confirmName: name, force: false, deleteLoadBalancer: true },
    'lifecycle',
  );
  await expect(page.getByText(/Load balancers/).first()).toBeVisible({ timeout: 90_000 });
  await expect(page.getByText(`${exposed!.ServiceId} deleted`).first()).toBeVisible();
  await step(page, 'lifecycle', '3-retired');

  expect(await serviceByName(name)).toBeUndefined();
  expect((await loadBalancersIn(PROVIDER)).some(lb => lb.LoadBalancerArn === nlbArn)).toBe(false);
  // The targeted refresh takes its entity out of the catalog within seconds, not at the next full sync.
  const retired = Date.now();
  await expect.poll(async () => (await catalogEntity(name)).status, { timeout: 30_000 }).toBe(404);
  console.log(`lifecycle: the retired service left the catalog ${((Date.now() - retired) / 1000).toFixed(1)} s after the task finished`);
});
