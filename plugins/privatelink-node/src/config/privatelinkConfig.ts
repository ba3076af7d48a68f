import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import {
  accountIdSchema,
  DEFAULT_TAG_KEYS,
  describeIssues,
  regionSchema,
  toFullEntityRef,
} from '@privatelink-backstage/plugin-privatelink-common';
import { z } from 'zod';

const entityRef = (defaultKind: string) =>
  z.string().superRefine((value, ctx) => {
    try {
      parseEntityRef(value, { defaultKind, defaultNamespace: 'default' });
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `'${value}' is not an entity ref: ${(e as Error).message}` });
    }
  });

const tagKey = z.string().min(1).max(128);

/** An IPv4 address in 127.0.0.0/8, as the URL parser writes it (it normalises forms such as `127.1`). */
const LOOPBACK_IPV4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * Why `value` may not be `privatelink.endpoint`, or undefined when it may: an http or https URL on a loopback
 * host (127.0.0.0/8, ::1 or localhost), without a user name or password. The endpoint exists for an emulator
 * on this machine (moto); real AWS needs none, and credentials signed for AWS must never be sent elsewhere.
 * The message never repeats a user name or password.
 */
function endpointIssue(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be a URL such as http://127.0.0.1:5000';
  }
  if (url.username || url.password) {
    return 'must not carry a user name or password; give it as scheme://host:port, such as http://127.0.0.1:5000';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `must be an http or https URL, not ${url.protocol.replace(/:$/, '')}`;
  }
  const host = url.hostname;
  if (host !== 'localhost' && host !== '[::1]' && !LOOPBACK_IPV4.test(host)) {
    return `must name a loopback host (127.0.0.0/8, ::1 or localhost), not '${host}': it points the AWS clients at an emulator on this machine`;
  }
  return undefined;
}

/**
 * The endpoint as it may be logged: scheme://host:port only, without any user name, password, path or query.
 * Anything that does not parse as a URL is logged as `(invalid)`.
 */
export function redactEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    return `${url.protocol}//${url.host}`;
  } catch {
    return '(invalid)';
  }
}

const schema = z
  .object({
    endpoint: z
      .string()
      .superRefine((value, ctx) => {
        const issue = endpointIssue(value);
        if (issue) ctx.addIssue({ code: 'custom', message: issue });
      })
      .optional(),
    emulator: z.boolean().default(false),
    aws: z
      .object({
        connectionTimeoutMs: z.number().int().min(100).max(60_000).default(3_000),
        requestTimeoutMs: z.number().int().min(100).max(300_000).default(20_000),
        interactiveMaxAttempts: z.number().int().min(1).max(10).default(3),
      })
      .strict()
      .prefault({}),
    regions: z.array(regionSchema).min(1).default(['us-east-1']),
    accounts: z
      .array(
        z
          .object({
            accountId: accountIdSchema,
            name: z.string().min(1).optional(),
            regions: z.array(regionSchema).min(1).optional(),
            owner: entityRef('group').optional(),
            owners: z.array(entityRef('group')).optional(),
            system: entityRef('system').optional(),
          })
          .strict(),
      )
      .default([])
      .superRefine((accounts, ctx) => {
        const seen = new Set<string>();
        accounts.forEach((a, i) => {
          if (seen.has(a.accountId)) {
            ctx.addIssue({ code: 'custom', path: [i, 'accountId'], message: `account ${a.accountId} is listed twice` });
          }
          seen.add(a.accountId);
        });
      }),
    defaultOwner: entityRef('group').default('group:default/platform'),
    tagKeys: z
      .object({
        owner: tagKey.default(DEFAULT_TAG_KEYS.owner),
        system: tagKey.default(DEFAULT_TAG_KEYS.system),
        component: tagKey.default(DEFAULT_TAG_KEYS.component),
        name: tagKey.default(DEFAULT_TAG_KEYS.name),
      })
      .strict()
      .prefault({}),
    allowWildcardPrincipal: z.boolean().default(false),
    accessRequests: z
      .object({
        allowExternalAccounts: z.boolean().default(false),
        allowSelfApproval: z.boolean().default(false),
        maxOpenPerUser: z.number().int().min(1).max(100).default(5),
      })
      .strict()
      .prefault({}),
    detailsCache: z
      .object({
        ttlSeconds: z.number().min(0).max(300).default(5),
        maxMegabytes: z.number().min(1).max(4096).default(64),
      })
      .strict()
      .prefault({}),
    sync: z
      .object({
        enabled: z.boolean().default(true),
        // Checked with the scheduler's own reader below; only its presence is typed here.
        schedule: z.record(z.string(), z.unknown()).optional(),
        concurrency: z.number().int().min(1).max(50).default(4),
        rateLimit: z
          .object({
            burst: z.number().int().min(1).max(1000).default(100),
            perSecond: z.number().min(0.1).max(1000).default(20),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** One account and region the sync reads. */
export interface AccountRegion {
  accountId: string;
  region: string;
}

/** The validated `privatelink` config block with defaults applied. */
export interface PrivateLinkConfig {
  /** An emulator's URL on a loopback host (validated: http or https, no user name or password). */
  endpoint?: string;
  /**
   * True when the clients talk to an emulator (moto) and its quirks are accepted, such as its
   * `loadbalancer/app/…` ARNs for network load balancers. Set explicitly, never inferred from `endpoint`.
   */
  emulator: boolean;
  /** How long an AWS call may take, and how often a user's call is tried. */
  aws: {
    /** Time to establish the TCP (and TLS) connection of one attempt. */
    connectionTimeoutMs: number;
    /**
     * Time from sending one attempt's request to its response's headers; a response whose body then stalls
     * for as long fails too.
     */
    requestTimeoutMs: number;
    /** Attempts in all of a call made for a user (the API, the scaffolder actions); the sync keeps MAX_ATTEMPTS. */
    interactiveMaxAttempts: number;
  };
  regions: string[];
  accounts: Array<{
    accountId: string;
    name?: string;
    regions: string[];
    /** The account's own owner: tagless resources, and who may create in it by default. */
    owner?: string;
    /**
     * The owners an owner tag in this account may name, and so the teams it delegates creating to; a tag naming
     * another falls back to the account's owner. Unset: any owner tag is taken as written.
     */
    owners?: string[];
    system?: string;
  }>;
  defaultOwner: string;
  tagKeys: { owner: string; system: string; component: string; name: string };
  allowWildcardPrincipal: boolean;
  accessRequests: {
    /** Whether a request may name an account that is not configured (it is then flagged as external). */
    allowExternalAccounts: boolean;
    /** Whether an owner may decide their own request. */
    allowSelfApproval: boolean;
    /** Open requests one user may have on one service at a time. */
    maxOpenPerUser: number;
  };
  detailsCache: { ttlSeconds: number; maxMegabytes: number };
  sync: {
    enabled: boolean;
    schedule: SchedulerServiceTaskScheduleDefinition;
    concurrency: number;
    rateLimit: { burst: number; perSecond: number };
  };
}

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 5 },
};

/** Raised when the `privatelink` config block is malformed; its message names each bad field. */
export class PrivateLinkConfigError extends Error {
  name = 'PrivateLinkConfigError';
}

/**
 * Reads and validates the `privatelink` block once, at start. A malformed block stops the backend with a
 * message that names every bad field (`privatelink.accounts.1.accountId: must be a 12-digit AWS account id`),
 * rather than failing later in a sync.
 */
export function readPrivateLinkConfig(config: Config): PrivateLinkConfig {
  const raw = config.getOptional('privatelink') ?? {};
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new PrivateLinkConfigError(
      `Invalid configuration: ${describeIssues(parsed.error, 'privatelink')}`,
    );
  }
  const value = parsed.data;
  let schedule = DEFAULT_SCHEDULE;
  if (config.has('privatelink.sync.schedule')) {
    try {
      schedule = readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig('privatelink.sync.schedule'),
      );
    } catch (e) {
      throw new PrivateLinkConfigError(
        `Invalid configuration: privatelink.sync.schedule: ${(e as Error).message}`,
      );
    }
  }
  return {
    ...value,
    accounts: value.accounts.map(a => ({ ...a, regions: a.regions ?? value.regions })),
    sync: { ...value.sync, schedule },
  };
}

/** The configured account with this id, if any. */
export function configuredAccount(config: Pick<PrivateLinkConfig, 'accounts'>, accountId: string) {
  return config.accounts.find(a => a.accountId === accountId);
}

/**
 * The owners a resource in this account may be given (by an owner tag, or by whoever creates it): the
 * account's own owner and those it lists under `owners`, as full entity refs. Undefined when the account sets
 * no `owners`: then any owner tag is taken as written.
 */
export function permittedOwners(
  config: Pick<PrivateLinkConfig, 'accounts'>,
  accountId: string,
): Set<string> | undefined {
  const account = configuredAccount(config, accountId);
  if (!account?.owners) return undefined;
  const refs = [account.owner, ...account.owners].filter((r): r is string => Boolean(r));
  return new Set(refs.map(r => toFullEntityRef(r, 'group')!));
}

/** Every account × region pair the sync reads, in config order. */
export function accountRegions(config: PrivateLinkConfig): AccountRegion[] {
  return config.accounts.flatMap(a => a.regions.map(region => ({ accountId: a.accountId, region })));
}
