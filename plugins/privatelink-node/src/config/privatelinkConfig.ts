import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
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

/** The longest grace period a forced retirement may wait: 90 days. */
const MAX_GRACE_PERIOD_MS = 90 * 24 * 3600 * 1000;

/**
 * The actions PrivateLink registers with Backstage's actions registry, as `privatelink:<name>`; a platform team
 * may keep some out with `privatelink.actions.enabled`.
 *
 * @public
 */
export const PRIVATELINK_ACTION_NAMES = [
  'find-endpoint-services',
  'get-endpoint-service',
  'get-consumer-connections',
  'request-access',
  'review-access-request',
] as const;

/**
 * The name of one of {@link PRIVATELINK_ACTION_NAMES}.
 *
 * @public
 */
export type PrivateLinkActionName = (typeof PRIVATELINK_ACTION_NAMES)[number];

/** An organizational unit id (`ou-<root>-<ou>`) or the root's (`r-<root>`), as AWS Organizations writes them. */
const organizationalUnitId = z
  .string()
  .regex(/^(ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$/, {
    message: 'must be an organizational unit id such as ou-ab12-cd34ef56, or a root id such as r-ab12',
  });

const organizationsDiscovery = z
  .object({
    enabled: z.boolean().default(true),
    /**
     * The management account or a delegated administrator of AWS Organizations: its credentials come from the
     * root `aws` block (as for every account).
     */
    accountId: accountIdSchema,
    region: regionSchema.default('us-east-1'),
    organizationalUnits: z
      .array(
        z
          .object({
            id: organizationalUnitId,
            includeChildren: z.boolean().default(true),
            regions: z.array(regionSchema).min(1).optional(),
          })
          .strict(),
      )
      .min(1)
      .optional(),
    tags: z.record(tagKey, z.string().max(256)).optional(),
    exclude: z.array(accountIdSchema).default([]),
    ownerTagKey: tagKey.default(DEFAULT_TAG_KEYS.owner),
    systemTagKey: tagKey.default(DEFAULT_TAG_KEYS.system),
    owner: entityRef('group').optional(),
    system: entityRef('system').optional(),
    regions: z.array(regionSchema).min(1).optional(),
    refreshMinutes: z.number().min(1).max(1440).default(10),
  })
  .strict();

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
 * Anything that does not parse as a URL is logged as `(invalid)`. Never throws.
 *
 * @public
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
    discovery: z.object({ organizations: organizationsDiscovery.optional() }).strict().prefault({}),
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
    actions: z
      .object({
        enabled: z.array(z.enum(PRIVATELINK_ACTION_NAMES)).default([...PRIVATELINK_ACTION_NAMES]),
      })
      .strict()
      .prefault({}),
    retirement: z
      .object({
        // Read with Backstage's duration reader below; only its presence is typed here.
        gracePeriod: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
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

/**
 * One account and region the sync reads.
 *
 * @public
 */
export interface AccountRegion {
  /** The 12-digit AWS account id, as configured under `privatelink.accounts`. */
  accountId: string;
  /** One of the account's regions, e.g. `eu-west-1`. */
  region: string;
}

/**
 * The validated `privatelink` config block with defaults applied, as {@link readPrivateLinkConfig} returns it.
 * The config schema of this package (`config.d.ts`) describes each field as it is written in app-config.
 *
 * @public
 */
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
    /** Time to establish the TCP (and TLS) connection of one attempt, in milliseconds (100 to 60000; default 3000). */
    connectionTimeoutMs: number;
    /**
     * Time from sending one attempt's request to its response's headers, in milliseconds (100 to 300000; default
     * 20000); a response whose body then stalls for as long fails too.
     */
    requestTimeoutMs: number;
    /**
     * Attempts in all of a call made for a user (the API, the scaffolder actions), 1 to 10 (default 3); the sync
     * keeps {@link MAX_ATTEMPTS}.
     */
    interactiveMaxAttempts: number;
  };
  /** Regions read in every account that does not list its own (at least one; default `['us-east-1']`). */
  regions: string[];
  /**
   * The AWS accounts to read and act in, in config order, each account id at most once (default none). Nothing
   * is read or changed in an account that is not listed here.
   */
  accounts: Array<{
    /** The 12-digit AWS account id. */
    accountId: string;
    /** A readable name of the account, used in titles and logs. */
    name?: string;
    /** The regions read in this account: its own list, or else the top-level {@link PrivateLinkConfig.regions}. */
    regions: string[];
    /** The account's own owner: tagless resources, and who may create in it by default. */
    owner?: string;
    /**
     * The owners an owner tag in this account may name, and so the teams it delegates creating to; a tag naming
     * another falls back to the account's owner. Unset: any owner tag is taken as written.
     */
    owners?: string[];
    /** The system entity ref of the account's resources that carry no system tag. */
    system?: string;
  }>;
  /** Where accounts come from besides {@link PrivateLinkConfig.accounts}. */
  discovery: {
    /** Accounts listed by AWS Organizations; unset: none discovered. */
    organizations?: OrganizationsDiscoveryConfig;
  };
  /**
   * The owner entity ref of resources with neither an owner tag nor an account owner (default
   * `group:default/platform`).
   */
  defaultOwner: string;
  /**
   * The AWS tag keys that place a resource in the catalog: those holding its owner, system and component entity
   * refs and its entity name. Defaults: `DEFAULT_TAG_KEYS` of the common package (`backstage:owner`,
   * `backstage:system`, `backstage:component`, `backstage:name`).
   */
  tagKeys: {
    /** The tag key holding the owner entity ref. */
    owner: string;
    /** The tag key holding the system entity ref. */
    system: string;
    /** The tag key holding the ref of the component that the service exposes or the endpoint belongs to. */
    component: string;
    /** The tag key holding the entity name to use. */
    name: string;
  };
  /** Whether the principal `*` (every AWS account) may be allowed on an endpoint service (default false). */
  allowWildcardPrincipal: boolean;
  /** The rules of consumers' access requests to endpoint services. */
  accessRequests: {
    /**
     * Whether a request may name an account that is not configured (it is then flagged as external); default
     * false.
     */
    allowExternalAccounts: boolean;
    /** Whether an owner may decide their own request; default false. */
    allowSelfApproval: boolean;
    /** Open requests one user may have on one service at a time, 1 to 100 (default 5). */
    maxOpenPerUser: number;
  };
  /** The actions PrivateLink registers with Backstage's actions registry (served to AI agents over MCP). */
  actions: {
    /** The names of the actions to register, of {@link PRIVATELINK_ACTION_NAMES}; default all of them. */
    enabled: PrivateLinkActionName[];
  };
  /** How endpoint services are retired. */
  retirement: {
    /**
     * How long the connected consumers of a service are given between the announcement of a forced retirement and
     * the retirement itself, in milliseconds (`privatelink.retirement.gracePeriod`, a duration such as
     * `{ days: 7 }` or `P7D`); 0, the default, retires it at once.
     */
    gracePeriodMs: number;
  };
  /** The short-lived cache of the entity card's answers (`GET /api/privatelink/v1/services`) in the backend plugin. */
  detailsCache: {
    /** How long an answer and a caller's read decision are reused, in seconds (0 to 300; 0 turns the cache off; default 5). */
    ttlSeconds: number;
    /** Bound on the memory the cached answers take, in megabytes (1 to 4096; default 64). */
    maxMegabytes: number;
  };
  /** The scheduled sync of endpoint services, their permissions and connections into the catalog. */
  sync: {
    /** False to run the plugins without reading AWS; default true. */
    enabled: boolean;
    /**
     * When the full sync runs: `privatelink.sync.schedule` as the scheduler reads it, or by default every 10
     * minutes with a timeout of 5 minutes and an initial delay of 5 seconds.
     */
    schedule: SchedulerServiceTaskScheduleDefinition;
    /**
     * How many `DescribeVpcEndpointServicePermissions` calls may run at once in one account and region, 1 to 50
     * (default 4).
     */
    concurrency: number;
    /** Client-side pacing of the sync's Describe calls per account and region (a token bucket). */
    rateLimit: {
      /** Calls that may be in flight at once, 1 to 1000 (default 100, the size of EC2's own bucket). */
      burst: number;
      /** Calls per second after the burst, 0.1 to 1000 (default 20). */
      perSecond: number;
    };
  };
}

/**
 * `privatelink.discovery.organizations`: the accounts of an AWS organisation, listed from its management account
 * or a delegated administrator, and which of them to read.
 *
 * @public
 */
export interface OrganizationsDiscoveryConfig {
  /** False keeps the block but discovers nothing (default true). */
  enabled: boolean;
  /** The management account or a delegated administrator; credentials from the root `aws` block. */
  accountId: string;
  /** The region of the Organizations client (default `us-east-1`). */
  region: string;
  /**
   * The organizational units (or the root) whose accounts are read, each with or without the accounts of the
   * units below it (default with), and optionally their own regions. Unset: every account of the organisation.
   */
  organizationalUnits?: Array<{ id: string; includeChildren: boolean; regions?: string[] }>;
  /** Account tags that must all be present with these values, e.g. `{ privatelink: enabled }`. */
  tags?: Record<string, string>;
  /** Account ids never read, even when they match. */
  exclude: string[];
  /** The account tag holding the account's owner entity ref (default `backstage:owner`). */
  ownerTagKey: string;
  /** The account tag holding the account's system entity ref (default `backstage:system`). */
  systemTagKey: string;
  /** The owner of an account without an owner tag (default: `privatelink.defaultOwner`). */
  owner?: string;
  /** The system of an account without a system tag. */
  system?: string;
  /** Regions of discovered accounts whose unit names none (default: `privatelink.regions`). */
  regions?: string[];
  /** How often the organisation is listed again, in minutes (1 to 1440; default 10). */
  refreshMinutes: number;
}

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 5 },
};

/**
 * Raised when the `privatelink` config block is malformed; its message names each bad field.
 *
 * @public
 */
export class PrivateLinkConfigError extends Error {
  /** Always `'PrivateLinkConfigError'`. */
  name = 'PrivateLinkConfigError';
}

/**
 * Reads and validates the `privatelink` block once, at start. A malformed block stops the backend with a
 * message that names every bad field (`privatelink.accounts.1.accountId: must be a 12-digit AWS account id`),
 * rather than failing later in a sync.
 *
 * @param config - The root config; a missing `privatelink` block gives all the defaults.
 * @returns The block with defaults applied, and each account's `regions` filled in from the top-level `regions`.
 * @throws {@link PrivateLinkConfigError} when the block, or `privatelink.sync.schedule`, is malformed.
 * @public
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
  let gracePeriodMs = 0;
  if (config.has('privatelink.retirement.gracePeriod')) {
    try {
      gracePeriodMs = durationToMilliseconds(readDurationFromConfig(config, { key: 'privatelink.retirement.gracePeriod' }));
    } catch (e) {
      throw new PrivateLinkConfigError(`Invalid configuration: privatelink.retirement.gracePeriod: ${(e as Error).message}`);
    }
    if (!(gracePeriodMs >= 0 && gracePeriodMs <= MAX_GRACE_PERIOD_MS)) {
      throw new PrivateLinkConfigError('Invalid configuration: privatelink.retirement.gracePeriod: must be between 0 and 90 days');
    }
  }
  return {
    ...value,
    accounts: value.accounts.map(a => ({ ...a, regions: a.regions ?? value.regions })),
    retirement: { gracePeriodMs },
    sync: { ...value.sync, schedule },
  };
}

/**
 * The configured account with this id (its entry of `privatelink.accounts`), or undefined when the account is not
 * configured.
 *
 * @public
 */
export function configuredAccount(
  config: Pick<PrivateLinkConfig, 'accounts'>,
  accountId: string,
): PrivateLinkConfig['accounts'][number] | undefined {
  return config.accounts.find(a => a.accountId === accountId);
}

/**
 * The owners a resource in this account may be given (by an owner tag, or by whoever creates it): the
 * account's own owner and those it lists under `owners`, as full entity refs. Undefined when the account sets
 * no `owners` (or is not configured): then any owner tag is taken as written.
 *
 * @public
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

/**
 * Every account × region pair the sync reads, in config order.
 *
 * @public
 */
export function accountRegions(config: PrivateLinkConfig): AccountRegion[] {
  return config.accounts.flatMap(a => a.regions.map(region => ({ accountId: a.accountId, region })));
}
