// Declarative description of the demo AWS organisation that `seedDemoOrg`
// creates in moto. Only erasable TypeScript syntax: this file is loaded by
// plain `node` (type stripping) through the CLI.

/**
 * The AWS region every demo resource lives in.
 *
 * @public
 */
export const DEMO_REGION = 'us-east-1';

/**
 * Name of the IAM role assumed (through STS) in every consumer account.
 *
 * @public
 */
export const DEMO_ASSUME_ROLE_NAME = 'PrivateLinkDemo';

/**
 * Tag that every resource created by the seed carries; its value is a stable
 * key (e.g. `vpc/payments-prod`) used to find the resource again.
 *
 * @public
 */
export const DEMO_KEY_TAG = 'privatelink-demo:key';

/**
 * A subnet of a demo VPC.
 *
 * @public
 */
export type DemoSubnet = {
  readonly availabilityZone: string;
  readonly cidr: string;
};

/**
 * One AWS account of the demo organisation, with its single VPC.
 *
 * @public
 */
export type DemoAccount = {
  readonly accountId: string;
  /** Short name, used in keys and tags (e.g. `payments-prod`). */
  readonly name: string;
  /** `provider` accounts own the endpoint services, `consumer` accounts connect to them. */
  readonly role: 'provider' | 'consumer';
  /**
   * Role assumed through STS to act in this account; absent for the account
   * reached with the plain static credentials (moto's default account).
   */
  readonly assumeRoleArn?: string;
  /**
   * Its account tags in the organisation, which account discovery reads (owner, system, the opt-in tag);
   * absent for the management account.
   */
  readonly organizationTags?: Readonly<Record<string, string>>;
  readonly vpc: {
    readonly cidr: string;
    readonly enableDnsSupport: boolean;
    readonly enableDnsHostnames: boolean;
    readonly subnets: readonly DemoSubnet[];
  };
};

/**
 * A PrivateLink endpoint service of the provider account, fronted by its own
 * internal Network Load Balancer.
 *
 * @public
 */
export type DemoService = {
  /** Service name, e.g. `orders-api`. */
  readonly name: string;
  readonly accountId: string;
  readonly acceptanceRequired: boolean;
  readonly privateDnsName?: string;
  /**
   * Whether the seed proves the private DNS name (TXT record in the org's public zone, then the verification).
   * Default true; false leaves it `pendingVerification`.
   */
  readonly verifyPrivateDns?: boolean;
  readonly allowedPrincipals: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  readonly nlb: {
    readonly name: string;
    readonly targetGroupName: string;
    readonly listenerPort: number;
    readonly targetPort: number;
    readonly crossZone: boolean;
  };
};

/**
 * An interface endpoint of a consumer account to a demo endpoint service.
 *
 * @public
 */
export type DemoEndpoint = {
  readonly accountId: string;
  /** Name of the {@link DemoService} the endpoint connects to. */
  readonly service: string;
  /** Requested value; the seed falls back to `false` if the API refuses it. */
  readonly privateDnsEnabled: boolean;
  /** Left in `pendingAcceptance` for the owners to decide (services that require acceptance only). */
  readonly pending?: boolean;
  readonly tags: Readonly<Record<string, string>>;
};

/**
 * An endpoint of a consumer account to an AWS service (S3, EC2, ...).
 *
 * @public
 */
export type DemoAwsServiceEndpoint = {
  readonly accountId: string;
  /** Short name used in keys, e.g. `s3`. */
  readonly name: string;
  readonly serviceName: string;
  readonly type: 'Gateway' | 'Interface';
  readonly privateDnsEnabled?: boolean;
  readonly tags: Readonly<Record<string, string>>;
};

/**
 * The whole demo organisation.
 *
 * @public
 */
export type DemoOrg = {
  readonly region: string;
  readonly providerAccountId: string;
  /** The public Route 53 hosted zone (in the provider account) of the services' private DNS names. */
  readonly publicZone: string;
  /**
   * The organizational unit, right under the organisation's root, of every account with `organizationTags`.
   * The provider account is the organisation's management account.
   */
  readonly organizationalUnit: string;
  readonly accounts: readonly DemoAccount[];
  readonly services: readonly DemoService[];
  readonly endpoints: readonly DemoEndpoint[];
  readonly awsServiceEndpoints: readonly DemoAwsServiceEndpoint[];
};

const PROVIDER = '123456789012';
const PAYMENTS = '210987654321';
const ORDERS = '345678901234';

const root = (accountId: string) => `arn:aws:iam::${accountId}:root`;
const roleArn = (accountId: string) =>
  `arn:aws:iam::${accountId}:role/${DEMO_ASSUME_ROLE_NAME}`;

const nlb = (service: string) => ({
  name: `pl-demo-${service}`,
  targetGroupName: `pl-demo-${service}-tg`,
  listenerPort: 443,
  targetPort: 8080,
  crossZone: true,
});

const serviceTags = (
  name: string,
  owner: string,
  system: string,
): Record<string, string> => ({
  'backstage:owner': owner,
  'backstage:system': system,
  'backstage:component': name,
  'backstage:name': name,
  Name: name,
});

const paymentsEndpoint = (service: string, privateDnsEnabled: boolean) => ({
  accountId: PAYMENTS,
  service,
  privateDnsEnabled,
  tags: {
    'backstage:owner': 'group:default/payments',
    'backstage:component': 'payments-api',
    Name: `payments-api-to-${service}`,
  },
});

const ordersEndpoint = (service: string, privateDnsEnabled: boolean, pending = false) => ({
  accountId: ORDERS,
  service,
  privateDnsEnabled,
  pending,
  tags: {
    'backstage:owner': 'group:default/orders',
    'backstage:component': 'order-worker',
    Name: `order-worker-to-${service}`,
  },
});

/**
 * The demo organisation: one provider account (`shared-services`, moto's
 * default account) publishing three endpoint services, and two consumer
 * accounts connecting to them.
 *
 * @public
 */
export const DEMO_ORG: DemoOrg = {
  region: DEMO_REGION,
  providerAccountId: PROVIDER,
  publicZone: 'internal.example.com',
  organizationalUnit: 'workloads',
  accounts: [
    {
      accountId: PROVIDER,
      name: 'shared-services',
      role: 'provider',
      vpc: {
        cidr: '10.0.0.0/16',
        enableDnsSupport: true,
        enableDnsHostnames: true,
        subnets: [
          { availabilityZone: 'us-east-1a', cidr: '10.0.1.0/24' },
          { availabilityZone: 'us-east-1b', cidr: '10.0.2.0/24' },
          { availabilityZone: 'us-east-1c', cidr: '10.0.3.0/24' },
        ],
      },
    },
    {
      accountId: PAYMENTS,
      name: 'payments-prod',
      role: 'consumer',
      assumeRoleArn: roleArn(PAYMENTS),
      organizationTags: {
        privatelink: 'enabled',
        'backstage:owner': 'group:default/payments',
        'backstage:system': 'system:default/payments',
      },
      vpc: {
        cidr: '10.1.0.0/16',
        enableDnsSupport: true,
        enableDnsHostnames: true,
        subnets: [
          { availabilityZone: 'us-east-1a', cidr: '10.1.1.0/24' },
          { availabilityZone: 'us-east-1b', cidr: '10.1.2.0/24' },
        ],
      },
    },
    {
      accountId: ORDERS,
      name: 'orders-prod',
      role: 'consumer',
      assumeRoleArn: roleArn(ORDERS),
      organizationTags: {
        privatelink: 'enabled',
        'backstage:owner': 'group:default/orders',
        'backstage:system': 'system:default/commerce',
      },
      vpc: {
        cidr: '10.2.0.0/16',
        enableDnsSupport: true,
        enableDnsHostnames: true,
        subnets: [
          { availabilityZone: 'us-east-1a', cidr: '10.2.1.0/24' },
          { availabilityZone: 'us-east-1b', cidr: '10.2.2.0/24' },
        ],
      },
    },
  ],
  services: [
    {
      name: 'orders-api',
      accountId: PROVIDER,
      acceptanceRequired: true,
      allowedPrincipals: [root(PAYMENTS), root(ORDERS)],
      tags: serviceTags('orders-api', 'group:default/orders', 'commerce'),
      nlb: nlb('orders-api'),
    },
    {
      name: 'auth-service',
      accountId: PROVIDER,
      acceptanceRequired: false,
      privateDnsName: 'auth.internal.example.com',
      allowedPrincipals: [root(PAYMENTS), root(ORDERS)],
      tags: serviceTags(
        'auth-service',
        'group:default/identity',
        'identity-platform',
      ),
      nlb: nlb('auth-service'),
    },
    {
      name: 'central-logging',
      accountId: PROVIDER,
      acceptanceRequired: false,
      privateDnsName: 'logs.internal.example.com',
      allowedPrincipals: [root(PAYMENTS), root(ORDERS)],
      tags: serviceTags(
        'central-logging',
        'group:default/platform',
        'observability',
      ),
      nlb: nlb('central-logging'),
    },
    {
      // Its owners have not proved the name yet: it stays pendingVerification.
      name: 'metrics-gateway',
      accountId: PROVIDER,
      acceptanceRequired: false,
      privateDnsName: 'metrics.internal.example.com',
      verifyPrivateDns: false,
      allowedPrincipals: [root(PAYMENTS)],
      tags: serviceTags(
        'metrics-gateway',
        'group:default/platform',
        'observability',
      ),
      nlb: nlb('metrics-gateway'),
    },
  ],
  endpoints: [
    paymentsEndpoint('orders-api', false),
    paymentsEndpoint('auth-service', true),
    paymentsEndpoint('central-logging', true),
    ordersEndpoint('auth-service', true),
    ordersEndpoint('central-logging', true),
    // The orders team asked for orders-api; its owners have not decided yet.
    ordersEndpoint('orders-api', false, true),
  ],
  awsServiceEndpoints: [
    {
      accountId: PAYMENTS,
      name: 's3',
      serviceName: `com.amazonaws.${DEMO_REGION}.s3`,
      type: 'Gateway',
      tags: {
        'backstage:owner': 'group:default/payments',
        Name: 'payments-prod-s3',
      },
    },
    {
      accountId: PAYMENTS,
      name: 'ec2',
      serviceName: `com.amazonaws.${DEMO_REGION}.ec2`,
      type: 'Interface',
      privateDnsEnabled: true,
      tags: {
        'backstage:owner': 'group:default/payments',
        Name: 'payments-prod-ec2',
      },
    },
  ],
};

/**
 * Looks up a demo account by id; throws if it is not part of the demo org.
 *
 * @public
 */
export function getDemoAccount(
  accountId: string,
  org: DemoOrg = DEMO_ORG,
): DemoAccount {
  const account = org.accounts.find(a => a.accountId === accountId);
  if (!account) {
    throw new Error(`Account ${accountId} is not part of the demo org`);
  }
  return account;
}

/**
 * Stable keys (values of the {@link DEMO_KEY_TAG} tag) of the demo resources.
 *
 * @public
 */
export const demoKeys = {
  vpc: (account: string) => `vpc/${account}`,
  subnet: (account: string, az: string) => `subnet/${account}/${az}`,
  securityGroup: (account: string, purpose: string) =>
    `sg/${account}/${purpose}`,
  nlb: (service: string) => `nlb/${service}`,
  targetGroup: (service: string) => `tg/${service}`,
  service: (service: string) => `service/${service}`,
  endpoint: (account: string, target: string) =>
    `endpoint/${account}/${target}`,
};
