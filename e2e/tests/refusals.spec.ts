import { DescribeVpcEndpointServicePermissionsCommand } from '@aws-sdk/client-ec2';
import { expect, request as playwrightRequest, test } from '@playwright/test';
import {
  BACKEND,
  demoNetwork,
  ec2In,
  endpointServicesIn,
  identityToken,
  loadBalancersIn,
  runTemplate,
  serviceByName,
  signInAs,
  step,
} from './helpers';

const SHARED_SERVICES = '123456789012';
const ORDERS_PROD = '345678901234';

/** What moto holds in the accounts a refused run could have touched: load balancers and endpoint services. */
async function inventory() {
  const counts: Record<string, { loadBalancers: string[]; endpointServices: number }> = {};
  for (const account of [SHARED_SERVICES, ORDERS_PROD]) {
    counts[account] = {
      loadBalancers: (await loadBalancersIn(account)).map(lb => lb.LoadBalancerName!).sort(),
      endpointServices: (await endpointServicesIn(account)).length,
    };
  }
  return counts;
}

test('refusals: a visitor of no team cannot expose a service into orders-prod, and nothing is created', async ({ page }) => {
  const name = `refused-${Date.now().toString(36)}`;
  const { vpcId, subnetIds } = await demoNetwork(ORDERS_PROD, 'orders-prod');
  const before = await inventory();

  await signInAs(page, 'visitor');
  await step(page, 'refusals', '1-signed-in-as-visitor');
  await runTemplate(
    page,
    'expose-service-privately',
    {
      component: 'component:default/orders-api',
      owner: 'group:default/orders',
      name,
      accountId: ORDERS_PROD,
      region: 'us-east-1',
      nlbMode: 'new',
      vpcId,
      subnetIds: subnetIds.slice(0, 2),
      port: 443,
      targetPort: 8080,
      targetType: 'ip',
      principals: [],
      acceptanceRequired: true,
      iac: false,
    },
    'refusals',
  );

  // The first AWS step, the load balancer, is refused before any AWS call: the visitor is in no team of orders-prod.
  await expect(page.getByText(`privatelink.resource.create is not allowed on account ${ORDERS_PROD}`).first()).toBeVisible({
    timeout: 90_000,
  });
  await expect(page.getByRole('link', { name: 'Endpoint service in the catalog' })).toHaveCount(0);
  await step(page, 'refusals', '2-task-refused');

  // Nothing was created in AWS: no load balancer or endpoint service of that name, and no other one either.
  for (const account of [SHARED_SERVICES, ORDERS_PROD]) {
    expect((await loadBalancersIn(account)).map(lb => lb.LoadBalancerName)).not.toContain(name);
    expect(
      (await endpointServicesIn(account)).filter(s => s.Tags?.some(t => t.Key === 'backstage:name' && t.Value === name)),
    ).toEqual([]);
  }
  expect(await serviceByName(name)).toBeUndefined();
  expect(await inventory()).toEqual(before);
});

test('refusals: a visitor\'s dry run that allows a principal on central-logging is refused, and audited for its owners', async () => {
  const api = await playwrightRequest.newContext();
  const visitor = { Authorization: `Bearer ${await identityToken(api, 'visitor')}` };
  // The guest is a member of platform, which owns central-logging: an owner, who may read its audit log.
  const guest = { Authorization: `Bearer ${await identityToken(api, 'guest')}` };

  const entityResponse = await api.get(`${BACKEND}/api/catalog/entities/by-name/resource/default/central-logging`, { headers: guest });
  expect(entityResponse.status()).toBe(200);
  const annotations: Record<string, string> = (await entityResponse.json()).metadata.annotations;
  const serviceId = annotations['privatelink.io/service-id'];
  const accountId = annotations['amazonaws.com/account-id'];
  const region = annotations['amazonaws.com/region'];
  expect(serviceId).toMatch(/^vpce-svc-[0-9a-f]+$/);

  const provider = await ec2In(accountId);
  const principalsInAws = async () => {
    const { AllowedPrincipals = [] } = await provider.send(new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: serviceId }));
    return AllowedPrincipals.map(p => p.Principal!).sort();
  };
  const principalsBefore = await principalsInAws();

  // The newest rows of the service's log (it lists newest first): enough to find the rows of this run.
  const audit = async () => {
    const response = await api.get(`${BACKEND}/api/privatelink/v1/audit`, {
      headers: guest,
      params: { serviceRef: 'resource:default/central-logging' },
    });
    expect(response.status()).toBe(200);
    return (await response.json()).items as Array<{ id: number; actor: string; via: string; action: string; result: string; message?: string; details: any }>;
  };
  const lastIdBefore = Math.max(0, ...(await audit()).map(row => row.id));

  const dryRun = await api.post(`${BACKEND}/api/scaffolder/v2/dry-run`, {
    headers: visitor,
    data: {
      template: {
        apiVersion: 'scaffolder.backstage.io/v1beta3',
        kind: 'Template',
        metadata: { name: 'refusals-allow-principal' },
        spec: {
          owner: 'user:default/visitor',
          type: 'privatelink',
          parameters: [],
          steps: [
            {
              id: 'allow',
              name: 'Allow a principal on central-logging',
              action: 'aws:privatelink:principals:allow',
              input: { accountId, region, serviceId, principals: ['arn:aws:iam::999999999999:root'] },
            },
          ],
        },
      },
      values: {},
      directoryContents: [],
    },
  });
  const answer = await dryRun.text();
  expect(dryRun.status(), answer).toBe(403);
  expect(answer).toContain('privatelink.principal.manage is not allowed on resource:default/central-logging');

  const refusals = (await audit()).filter(
    row => row.id > lastIdBefore && row.actor === 'user:default/visitor' && row.via === 'scaffolder' && row.action === 'principals.allow',
  );
  expect(refusals).toHaveLength(1);
  expect(refusals[0]).toMatchObject({
    result: 'refused',
    message: 'privatelink.principal.manage is not allowed on resource:default/central-logging',
    details: { principals: ['arn:aws:iam::999999999999:root'], dryRun: true },
  });

  expect(await principalsInAws()).toEqual(principalsBefore);
  expect(principalsBefore).not.toContain('arn:aws:iam::999999999999:root');
  await api.dispose();
});

test('refusals: who may create where is the account rule of the real permission backend, delegation included', async () => {
  const api = await playwrightRequest.newContext();
  const guest = { Authorization: `Bearer ${await identityToken(api, 'guest')}` };
  const { vpcId, subnetIds } = await demoNetwork('123456789012', 'shared-services');
  const dryRunNlb = (accountId: string, owner: string) =>
    api.post(`${BACKEND}/api/scaffolder/v2/dry-run`, {
      headers: guest,
      data: {
        template: {
          apiVersion: 'scaffolder.backstage.io/v1beta3',
          kind: 'Template',
          metadata: { name: 'refusals-create-nlb' },
          spec: {
            owner: 'user:default/guest',
            type: 'privatelink',
            parameters: [],
            steps: [
              {
                id: 'nlb',
                name: 'Create a load balancer',
                action: 'aws:privatelink:nlb:create',
                input: { accountId, region: 'us-east-1', name: 'refusals-nlb', vpcId, subnetIds: subnetIds.slice(0, 2), owner },
              },
            ],
          },
        },
        values: {},
        directoryContents: [],
      },
    });
  // The guest is in platform (shared-services' owner) and payments (a team shared-services delegates to).
  const asOwner = await dryRunNlb('123456789012', 'group:default/platform');
  expect(asOwner.status(), await asOwner.text()).toBe(200);
  const delegated = await dryRunNlb('123456789012', 'group:default/payments');
  expect(delegated.status(), await delegated.text()).toBe(200);
  // orders-prod is owned by orders and delegates to nobody.
  const elsewhere = await dryRunNlb('345678901234', 'group:default/payments');
  expect(elsewhere.status()).toBe(403);
  expect(await elsewhere.text()).toContain('privatelink.resource.create is not allowed on account 345678901234');
  await api.dispose();
});
