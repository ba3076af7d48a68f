import { DescribeVpcEndpointsCommand, DescribeVpcEndpointServicePermissionsCommand } from '@aws-sdk/client-ec2';
import { expect, request as playwrightRequest, test } from '@playwright/test';
import {
  BACKEND,
  demoNetwork,
  ec2In,
  endpointState,
  exposeValues,
  identityToken,
  runTaskThroughApi,
  runTemplate,
  serviceByName,
  signIn,
  signInAs,
  step,
} from './helpers';

// The consumer's account: payments-prod, owned by payments, of which the demo guest is a member.
const PAYMENTS_PROD = '210987654321';

test('request access: a consumer asks, the owner approves, the consumer\'s endpoint appears among the consumers', async ({ page, browser }) => {
  const name = `search-${Date.now().toString(36)}`;
  await runTaskThroughApi(
    'template:default/expose-service-privately',
    await exposeValues({ component: 'component:default/search-api', name, principals: [] }),
  );
  const service = (await serviceByName(name))!;
  const provider = await ec2In('123456789012');

  // The consumer is Bob, of payments (not an owner of the service): an owner does not decide their own request.
  // A second browser, with the project's own settings (base URL, viewport): contexts made by hand do not get them.
  const { baseURL, viewport } = test.info().project.use;
  const consumerContext = await browser.newContext({ baseURL, viewport });
  const consumer = await consumerContext.newPage();
  await signInAs(consumer, 'bob');
  const openService = async (p: typeof page) =>
    expect(async () => {
      await p.goto(`/catalog/default/resource/${name}`);
      await expect(p.getByText(service.ServiceName!).filter({ visible: true }).first()).toBeVisible({ timeout: 10_000 });
    }).toPass({ timeout: 60_000 });
  await openService(consumer);
  await step(consumer, 'access', '1-service-page');

  // Bob asks for the payments team's API in the payments-prod account (payments may create endpoints there).
  await consumer.getByRole('button', { name: 'Request access', exact: true }).click();
  const dialog = consumer.getByRole('dialog');
  await dialog.getByLabel('Consumer (component or group)').fill('component:default/payments-api');
  await dialog.getByLabel('AWS account id').fill(PAYMENTS_PROD);
  await dialog.getByLabel('Reason').fill('payments-api searches past payments');
  await step(consumer, 'access', '2-request-dialog');
  await dialog.getByRole('button', { name: 'Send request' }).click();
  await expect(dialog).toBeHidden();

  // The owner (the demo guest, a member of platform, the service's owner) approves.
  await signIn(page);
  await openService(page);
  const approve = page.getByRole('button', { name: /^Approve access request of/ }).first();
  await expect(approve).toBeVisible();
  await step(page, 'access', '3-pending-request');
  await approve.click();
  const confirm = page.getByRole('dialog');
  await confirm.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect
    .poll(async () => {
      const { AllowedPrincipals = [] } = await provider.send(
        new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: service.ServiceId }),
      );
      return AllowedPrincipals.map(p => p.Principal);
    })
    .toContain(`arn:aws:iam::${PAYMENTS_PROD}:root`);
  await step(page, 'access', '4-approved');

  // The consumer creates its endpoint with the "Request access to a service" template.
  const { vpcId, subnetIds } = await demoNetwork(PAYMENTS_PROD, 'payments-prod');
  await runTemplate(
    consumer,
    'request-access-to-a-service',
    { service: `resource:default/${name}`, component: 'component:default/payments-api', accountId: PAYMENTS_PROD, vpcId, subnetIds },
    'access',
  );
  await expect(consumer.getByRole('link', { name: 'The service' })).toBeVisible({ timeout: 90_000 });
  await step(consumer, 'access', '5-endpoint-created');
  await consumerContext.close();

  const { VpcEndpoints = [] } = await (await ec2In(PAYMENTS_PROD)).send(
    new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'service-name', Values: [service.ServiceName!] }] }),
  );
  expect(VpcEndpoints).toHaveLength(1);
  const endpointId = VpcEndpoints[0].VpcEndpointId!;
  // The service requires acceptance: the owners' approval covers the endpoint created after it, accepted as soon as
  // its creation is announced (no owner action, no wait for a scheduled job).
  await expect.poll(() => endpointState(PAYMENTS_PROD, endpointId), { timeout: 20_000 }).toBe('available');
  const api = await playwrightRequest.newContext();
  const headers = { Authorization: `Bearer ${await identityToken(api, 'guest')}` };
  const listed = await api.get(`${BACKEND}/api/privatelink/v1/access-requests`, {
    headers,
    params: { serviceRef: `resource:default/${name}` },
  });
  const { items } = await listed.json();
  expect(items).toEqual([
    expect.objectContaining({ status: 'approved', accountId: PAYMENTS_PROD, acceptedEndpointIds: [endpointId], followUp: 'accepted' }),
  ]);
  expect(items[0].error).toBeUndefined();
  await api.dispose();
  await expect(async () => {
    await page.goto(`/catalog/default/resource/${name}`);
    await expect(page.getByText(endpointId).filter({ visible: true }).first()).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 60_000 });
  await step(page, 'access', '6-consumer-listed');
});
