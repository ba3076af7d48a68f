import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import {
  accountIdSchema,
  DEFAULT_TAG_KEYS,
  describeIssues,
  regionSchema,
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

const schema = z
  .object({
    endpoint: z
      .url({ message: 'must be a URL such as http://127.0.0.1:5000' })
      .optional(),
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
  endpoint?: string;
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
  return new Set(refs.map(r => stringifyEntityRef(parseEntityRef(r, { defaultKind: 'group', defaultNamespace: 'default' }))));
}

/** Every account × region pair the sync reads, in config order. */
export function accountRegions(config: PrivateLinkConfig): AccountRegion[] {
  return config.accounts.flatMap(a => a.regions.map(region => ({ accountId: a.accountId, region })));
}
