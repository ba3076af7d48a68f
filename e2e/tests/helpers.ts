import {
  DescribeVpcEndpointsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  EC2Client,
  paginateDescribeVpcEndpointServiceConfigurations,
  ServiceConfiguration,
} from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client, LoadBalancer, paginateDescribeLoadBalancers } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { APIRequestContext, expect, Locator, Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

/** The moto server the app runs against (scripts/e2e.sh exports it). */
export const motoEndpoint = () => {
  const endpoint = process.env.MOTO_ENDPOINT;
  if (!endpoint || !/^http:\/\/127\.0\.0\.1:\d+$/.test(endpoint)) throw new Error(`MOTO_ENDPOINT must be a loopback URL, got ${endpoint}`);
  return endpoint;
};

const REGION = 'us-east-1';
const STATIC = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** Credentials in one of the demo accounts: moto's static keys in the main one, the backend's role elsewhere. */
async function credentialsIn(accountId: string) {
  if (accountId === '123456789012') return STATIC;
  const sts = new STSClient({ region: REGION, endpoint: motoEndpoint(), credentials: STATIC });
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/PrivateLinkDemo`, RoleSessionName: 'e2e' }),
  );
  return { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken };
}

/** An EC2 client acting in one of the demo accounts, through the same role assumption the backend uses. */
export async function ec2In(accountId: string): Promise<EC2Client> {
  return new EC2Client({ region: REGION, endpoint: motoEndpoint(), credentials: await credentialsIn(accountId) });
}

/** An ELBv2 client acting in one of the demo accounts, the same way as {@link ec2In}. */
export async function elbIn(accountId: string): Promise<ElasticLoadBalancingV2Client> {
  return new ElasticLoadBalancingV2Client({ region: REGION, endpoint: motoEndpoint(), credentials: await credentialsIn(accountId) });
}

/** Every load balancer moto holds in an account (region us-east-1). */
export async function loadBalancersIn(accountId: string): Promise<LoadBalancer[]> {
  const all: LoadBalancer[] = [];
  for await (const page of paginateDescribeLoadBalancers({ client: await elbIn(accountId) }, {})) all.push(...(page.LoadBalancers ?? []));
  return all;
}

/** Every endpoint service moto holds in an account (region us-east-1). */
export async function endpointServicesIn(accountId: string): Promise<ServiceConfiguration[]> {
  const all: ServiceConfiguration[] = [];
  for await (const page of paginateDescribeVpcEndpointServiceConfigurations({ client: await ec2In(accountId) }, {})) {
    all.push(...(page.ServiceConfigurations ?? []));
  }
  return all;
}

/** What the seed created in moto for one demo service: its name, DNS names and the consumer endpoints. */
export async function seededService(name: string) {
  const provider = await ec2In('123456789012');
  const { ServiceConfigurations = [] } = await provider.send(new DescribeVpcEndpointServiceConfigurationsCommand({}));
  const service = ServiceConfigurations.find(s => s.Tags?.some(t => t.Key === 'backstage:name' && t.Value === name));
  if (!service) throw new Error(`moto has no endpoint service tagged backstage:name=${name}`);
  const consumers: string[] = [];
  for (const account of ['210987654321', '345678901234']) {
    const { VpcEndpoints = [] } = await (await ec2In(account)).send(new DescribeVpcEndpointsCommand({}));
    consumers.push(...VpcEndpoints.filter(e => e.ServiceName === service.ServiceName).map(e => e.VpcEndpointId!));
  }
  return { serviceId: service.ServiceId!, serviceName: service.ServiceName!, dnsNames: service.BaseEndpointDnsNames ?? [], consumers };
}

/** Signs in as the demo's guest. */
export async function signIn(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  const catalog = page.getByTestId('sidebar-root').getByRole('link', { name: 'Catalog', exact: true });
  // The guest sign-in page shows on a first visit; with a session the app opens straight away.
  await expect(enter.or(catalog).first()).toBeVisible();
  if (await enter.isVisible()) await enter.click();
  await expect(catalog).toBeVisible();
}

/** The backend the app's frontend talks to. */
export const BACKEND = process.env.PRIVATELINK_BACKEND_URL ?? 'http://localhost:7007';

/** A demo sign-in of the backend: the guest (platform, payments) or the visitor (a member of no team). */
export type DemoIdentity = 'guest' | 'visitor' | 'bob';

/** A Backstage token the real auth backend issues to a demo identity, through its sign-in provider's refresh. */
export async function identityToken(api: APIRequestContext, identity: DemoIdentity): Promise<string> {
  // The guest has a provider of its own; the visitor provider signs in the visitor, or one of its `users` by name.
  const path = identity === 'guest' ? 'guest/refresh' : identity === 'visitor' ? 'visitor/refresh' : `visitor/refresh?user=${identity}`;
  const response = await api.get(`${BACKEND}/api/auth/${path}`);
  expect(response.status(), `GET /api/auth/${path}`).toBe(200);
  const { backstageIdentity } = await response.json();
  expect(backstageIdentity.identity.userEntityRef).toBe(`user:default/${identity}`);
  return backstageIdentity.token;
}

/**
 * Signs in as a demo identity. The frontend has only the guest's "Enter" button; for the visitor, the browser's
 * calls to the guest provider's refresh are answered with what the backend's visitor provider answers, so the
 * app holds a real token the auth backend issued for user:default/visitor (only the provider is swapped).
 */
export async function signInAs(page: Page, identity: DemoIdentity) {
  if (identity === 'guest') {
    await signIn(page);
    return;
  }
  let served = 0;
  const wrong: string[] = [];
  await page.route('**/api/auth/guest/refresh*', async route => {
    const url = new URL(route.request().url());
    // Every identity but the guest signs in through the demo's visitor provider; bob is one of its `users`.
    url.pathname = url.pathname.replace(/\/guest\/refresh$/, '/visitor/refresh');
    if (identity !== 'visitor') url.searchParams.set('user', identity);
    // The browser's own headers (its Origin among them), so that the backend's CORS answer fits the page.
    const response = await page.context().request.get(url.toString(), { headers: route.request().headers() });
    if (response.ok()) {
      const { backstageIdentity } = await response.json();
      if (backstageIdentity?.identity?.userEntityRef === `user:default/${identity}`) served++;
      else wrong.push(String(backstageIdentity?.identity?.userEntityRef));
    }
    await route.fulfill({ response });
  });
  await signIn(page);
  expect(wrong, `the ${identity} provider answered for someone else`).toEqual([]);
  expect(served, `the app signed in through the ${identity} provider`).toBeGreaterThan(0);
}

const shots = path.resolve(__dirname, '../../e2e-test-results/screenshots');

/** A screenshot of one step of a journey, into e2e-test-results/screenshots (linked from the README). */
export async function step(page: Page, journey: string, name: string) {
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${journey}-${name}.png`), fullPage: true });
}

/** A screenshot of one element of a step (a dialog, a card), cropped to it, next to the full-page ones. */
export async function elementStep(locator: Locator, journey: string, name: string) {
  fs.mkdirSync(shots, { recursive: true });
  await locator.screenshot({ path: path.join(shots, `${journey}-${name}.png`) });
}

/** The demo VPC and private subnets of an account, as the seed tagged them. */
export async function demoNetwork(accountId: string, accountName: string) {
  const { DescribeVpcsCommand, DescribeSubnetsCommand } = await import('@aws-sdk/client-ec2');
  const ec2 = await ec2In(accountId);
  const { Vpcs = [] } = await ec2.send(
    new DescribeVpcsCommand({ Filters: [{ Name: 'tag:privatelink-demo:key', Values: [`vpc/${accountName}`] }] }),
  );
  const vpcId = Vpcs[0]?.VpcId;
  if (!vpcId) throw new Error(`no demo VPC in ${accountName}`);
  const { Subnets = [] } = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
  const subnetIds = Subnets.sort((a, b) => a.AvailabilityZone!.localeCompare(b.AvailabilityZone!)).map(s => s.SubnetId!);
  return { vpcId, subnetIds };
}

/** Opens a template prefilled with form data, walks to the review step and starts it. */
export async function runTemplate(page: Page, template: string, formData: object, journey: string) {
  await page.goto(`/create/templates/default/${template}?formData=${encodeURIComponent(JSON.stringify(formData))}`);
  const create = page.getByRole('button', { name: 'Create', exact: true });
  // Every step but the last has Next; the last has Review; the review step has Create.
  const next = page.getByRole('button', { name: /^(Next|Review)$/ });
  await expect(next.or(create).first()).toBeVisible();
  await step(page, journey, 'template-form');
  while (!(await create.isVisible())) {
    await next.click();
    await expect(next.or(create).first()).toBeVisible();
  }
  await step(page, journey, 'template-review');
  await create.click();
}

/** The seeded or created endpoint service named by its backstage:name tag, read from moto. */
export async function serviceByName(name: string) {
  const provider = await ec2In('123456789012');
  const { ServiceConfigurations = [] } = await provider.send(new DescribeVpcEndpointServiceConfigurationsCommand({}));
  return ServiceConfigurations.find(s => s.Tags?.some(t => t.Key === 'backstage:name' && t.Value === name));
}

/** The "Expose service privately" values of a fresh service behind a new NLB in the demo's shared-services VPC. */
export async function exposeValues(values: {
  name: string;
  component: string;
  principals: string[];
  privateDnsName?: string;
  hostedZoneId?: string;
}) {
  const { vpcId, subnetIds } = await demoNetwork('123456789012', 'shared-services');
  return {
    owner: 'group:default/platform',
    accountId: '123456789012',
    region: 'us-east-1',
    nlbMode: 'new',
    vpcId,
    subnetIds: subnetIds.slice(0, 2),
    port: 443,
    targetPort: 8080,
    targetType: 'ip',
    acceptanceRequired: true,
    iac: false,
    ...values,
  };
}

/**
 * Runs a template through the scaffolder's own API as the guest and waits for the task to complete: a journey's
 * starting point that does not depend on another journey.
 */
export async function runTaskThroughApi(templateRef: string, values: object) {
  const { request: playwrightRequest } = await import('@playwright/test');
  const api = await playwrightRequest.newContext();
  try {
    const headers = { Authorization: `Bearer ${await identityToken(api, 'guest')}` };
    const created = await api.post(`${BACKEND}/api/scaffolder/v2/tasks`, { headers, data: { templateRef, values } });
    expect(created.status()).toBe(201);
    const { id } = await created.json();
    await expect
      .poll(async () => (await (await api.get(`${BACKEND}/api/scaffolder/v2/tasks/${id}`, { headers })).json()).status, {
        timeout: 90_000,
      })
      .toBe('completed');
  } finally {
    await api.dispose();
  }
}

/** Waits until the catalog holds the entity (the targeted refresh after a change takes seconds). */
export async function waitForEntity(ref: string) {
  const { request: playwrightRequest } = await import('@playwright/test');
  const api = await playwrightRequest.newContext();
  try {
    const headers = { Authorization: `Bearer ${await identityToken(api, 'guest')}` };
    const [kind, rest] = ref.split(':');
    const [namespace, name] = rest.split('/');
    await expect
      .poll(async () => (await api.get(`${BACKEND}/api/catalog/entities/by-name/${kind}/${namespace}/${name}`, { headers })).status(), {
        timeout: 60_000,
      })
      .toBe(200);
  } finally {
    await api.dispose();
  }
}

/** The state of an endpoint as its own account sees it in the emulator. */
export async function endpointState(accountId: string, endpointId: string) {
  const { VpcEndpoints = [] } = await (await ec2In(accountId)).send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }));
  return VpcEndpoints[0]?.State;
}

/** The id of the demo's public hosted zone (internal.example.com), where private DNS names are proved. */
export async function demoPublicZoneId() {
  const { ListHostedZonesByNameCommand, Route53Client } = await import('@aws-sdk/client-route-53');
  const route53 = new Route53Client({ region: REGION, endpoint: motoEndpoint(), credentials: STATIC });
  const { HostedZones = [] } = await route53.send(new ListHostedZonesByNameCommand({ DNSName: 'internal.example.com' }));
  const zone = HostedZones.find(z => z.Name === 'internal.example.com.' && !z.Config?.PrivateZone);
  if (!zone?.Id) throw new Error('the demo seed made no public zone internal.example.com');
  return zone.Id.replace(/^\/hostedzone\//, '');
}
