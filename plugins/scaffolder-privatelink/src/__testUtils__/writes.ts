import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ANNOTATION_LOCATION, Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ANNOTATIONS,
  privatelinkLocationRef,
  ServiceChangedEvent,
  VPC_ENDPOINT_SERVICE_TYPE,
  VPC_ENDPOINT_TYPE,
} from '@privatelink-backstage/plugin-privatelink-common';
import {
  AuditAttempt,
  AuditOutcome,
  Ec2ClientFactory,
  LifecycleNotifier,
  PrivateLinkAuditLog,
  readPrivateLinkConfig,
} from '@privatelink-backstage/plugin-privatelink-node';
import { createActionWrites } from '../lib/writes';

/** The accounts the action tests act in. */
export const TEST_ACCOUNTS = {
  provider: '123456789012',
  consumer: '210987654321',
};

/** The user `createMockActionContext` starts tasks as, and the groups they belong to in these tests. */
export const TEST_USER = 'user:default/mock';
export const TEST_OWNER = 'group:default/platform';

/** One row of the in-memory audit log. */
export type TestAuditRow = AuditAttempt & { id: number; result: 'started' | 'refused' | AuditOutcome['result']; message?: string; outcome?: AuditOutcome };

/** The endpoint service entity the sync emits (managed by its own location), as the write path trusts it. */
export function syncedServiceEntity(options: { accountId?: string; region?: string; serviceId: string; name?: string; owner?: string }): Entity {
  const accountId = options.accountId ?? TEST_ACCOUNTS.provider;
  const region = options.region ?? 'us-east-1';
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: options.name ?? options.serviceId,
      namespace: 'default',
      annotations: {
        [ANNOTATION_LOCATION]: privatelinkLocationRef({ accountId, region }),
        [ANNOTATIONS.accountId]: accountId,
        [ANNOTATIONS.region]: region,
        [ANNOTATIONS.serviceId]: options.serviceId,
      },
    },
    spec: { type: VPC_ENDPOINT_SERVICE_TYPE, owner: options.owner ?? TEST_OWNER },
  };
}

/** A consumer's endpoint entity as the sync emits it (in the consumer's account, depending on the service). */
export function syncedEndpointEntity(options: { accountId?: string; region?: string; endpointId: string; serviceRef?: string; owner?: string }): Entity {
  const accountId = options.accountId ?? TEST_ACCOUNTS.consumer;
  const region = options.region ?? 'us-east-1';
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: options.endpointId,
      namespace: 'default',
      annotations: {
        [ANNOTATION_LOCATION]: privatelinkLocationRef({ accountId, region }),
        [ANNOTATIONS.accountId]: accountId,
        [ANNOTATIONS.region]: region,
        [ANNOTATIONS.endpointId]: options.endpointId,
      },
    },
    spec: {
      type: VPC_ENDPOINT_TYPE,
      owner: options.owner ?? 'group:default/payments',
      ...(options.serviceRef ? { dependsOn: [options.serviceRef] } : {}),
    },
    ...(options.serviceRef ? { relations: [{ type: 'dependsOn', targetRef: options.serviceRef }] } : {}),
  };
}

/** A mock catalog that holds what `entities()` returns at the time of each call. */
function liveCatalog(entities: () => Entity[]): CatalogService {
  return new Proxy({} as CatalogService, {
    get: (_target, method) =>
      (...args: unknown[]) => (catalogServiceMock({ entities: entities() }) as any)[method](...args),
  });
}

/**
 * The real write path of the actions (gate, service operations, creation checks) over test doubles: an
 * in-memory audit log, a catalog holding `entities`, a permission decision per request, and the initiator's
 * ownership refs. What was audited and announced is recorded.
 */
export function testWrites(options: {
  ec2: Ec2ClientFactory;
  /** The catalog's entities; a function is asked on every read (a test may "sync" a service it created). */
  entities?: Entity[] | (() => Entity[]);
  /** `privatelink.accounts`; by default the provider and consumer accounts, owned by platform. */
  accounts?: Array<{ accountId: string; owner?: string; owners?: string[] }>;
  /** Decides each permission request; allows everything by default. */
  allow?: (request: { permission: string; resourceRef?: string }, credentials: BackstageCredentials) => boolean;
  /** The initiator's ownership refs; a function is asked on every look-up. */
  ownershipRefs?: string[] | (() => string[]);
  /** More of the `privatelink` config block, e.g. `retirement`. */
  privatelink?: Record<string, unknown>;
}) {
  const audit: TestAuditRow[] = [];
  const notices: Array<Parameters<LifecycleNotifier>[0]> = [];
  const published: ServiceChangedEvent[] = [];
  const auditLog: PrivateLinkAuditLog = {
    async refused(attempt, message) {
      audit.push({ ...attempt, id: audit.length + 1, result: 'refused', message });
    },
    async start(attempt) {
      audit.push({ ...attempt, id: audit.length + 1, result: 'started' });
      return audit.length;
    },
    async complete(id, outcome) {
      const row = audit[id - 1];
      Object.assign(row, { result: outcome.result, message: outcome.message, outcome });
    },
  };
  const permissions = mockServices.permissions.mock({
    authorize: (async (requests: Array<{ permission: { name: string }; resourceRef?: string }>, opts: { credentials: BackstageCredentials }) =>
      requests.map(r => ({
        result: (options.allow ?? (() => true))({ permission: r.permission.name, resourceRef: r.resourceRef }, opts.credentials)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      }))) as any,
  });
  const config = readPrivateLinkConfig(
    new ConfigReader({
      privatelink: {
        ...options.privatelink,
        accounts: options.accounts ?? [
          { accountId: TEST_ACCOUNTS.provider, owner: TEST_OWNER },
          { accountId: TEST_ACCOUNTS.consumer, owner: TEST_OWNER },
        ],
      },
    }),
  );
  const writes = createActionWrites({
    config,
    permissions,
    userInfo: {
      getUserInfo: async () => ({
        userEntityRef: TEST_USER,
        ownershipEntityRefs: (typeof options.ownershipRefs === 'function' ? options.ownershipRefs() : options.ownershipRefs) ?? [TEST_USER, TEST_OWNER],
      }),
    },
    catalog: liveCatalog(() => (typeof options.entities === 'function' ? options.entities() : options.entities ?? [])),
    ec2: options.ec2,
    publish: async event => {
      published.push(event);
    },
    logger: mockServices.logger.mock(),
    auditLog: () => auditLog,
    // A service that is not in the catalog is refused at once, instead of after the wait for a sync.
    serviceSyncTimeoutMs: 0,
    notify: async notice => {
      notices.push(notice);
    },
  });
  return { writes, audit, published, permissions, notices };
}

/**
 * A refused step, as every action must refuse: the error of `type` with `message`, no AWS call, no output,
 * nothing announced, and one `refused` audit row of `action` for the test's user that says why.
 */
export async function expectRefusedStep(options: {
  failure: Promise<void>;
  type: new (...args: any[]) => Error;
  message: string;
  ctx: { output: unknown };
  expectNoAwsCall: () => void;
  published: unknown[];
  audit: TestAuditRow[];
  action: string;
}) {
  await expect(options.failure).rejects.toThrow(options.type);
  await expect(options.failure).rejects.toThrow(options.message);
  options.expectNoAwsCall();
  expect(options.ctx.output).not.toHaveBeenCalled();
  expect(options.published).toEqual([]);
  expect(options.audit).toEqual([
    expect.objectContaining({ actor: TEST_USER, via: 'scaffolder', action: options.action, result: 'refused' }),
  ]);
  expect(options.audit[0].message).toContain(options.message);
}

/**
 * The refusals every action on an existing service makes before any AWS call, as `it.each` rows
 * `[what, testWrites options, context override, message]`: a user without `permission` (also in a dry run), an
 * account that is not configured, a service the catalog does not hold, and a forged copy of the service's entity
 * registered from a file.
 */
export function existingServiceRefusals<I extends { accountId: string; serviceId: string }>(options: {
  input: I;
  service: Entity;
  permission: string;
  /** Who the first row is about, e.g. "a user who may not manage the service". */
  who: string;
}): Array<[string, Partial<Parameters<typeof testWrites>[0]>, { input?: I; isDryRun?: boolean }, string]> {
  const { input, service, permission } = options;
  const without = { allow: ({ permission: asked }: { permission: string }) => asked !== permission };
  const forged: Entity = {
    ...service,
    metadata: {
      ...service.metadata,
      annotations: { ...service.metadata.annotations, [ANNOTATION_LOCATION]: 'url:https://example.com/catalog-info.yaml' },
    },
  };
  return [
    [options.who, without, {}, `${permission} is not allowed on resource:default/${service.metadata.name}`],
    ['in a dry run too', without, { isDryRun: true }, `${permission} is not allowed`],
    ['an account that is not configured', {}, { input: { ...input, accountId: '999999999999' } }, 'Account 999999999999 is not configured'],
    ['a service the catalog does not hold', {}, { input: { ...input, serviceId: 'vpce-svc-0aaaaaaaaaaaaaaaa' } }, 'No endpoint service vpce-svc-0aaaaaaaaaaaaaaaa'],
    ['a forged entity: the right annotations, registered from a file', { entities: [forged] }, {}, 'No endpoint service'],
  ];
}

