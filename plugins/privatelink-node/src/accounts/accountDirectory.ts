import { LoggerService } from '@backstage/backend-plugin-api';
import { PrivateLinkConfig } from '../config/privatelinkConfig';
import { AccountEntry, mergeAccounts, OrganizationsListing } from './organizations';

/**
 * Where the account list stands.
 *
 * @public
 */
export interface AccountDirectoryStatus {
  /** `off`: no discovery configured (or the sync is off); `pending`: not listed yet; `ok` / `failed`: the last listing. */
  discovery: 'off' | 'pending' | 'ok' | 'failed';
  /** Accounts in use: configured and discovered. */
  accounts: number;
  /** Discovered accounts in use that are not configured. */
  discovered: number;
  /** When the organisation was last listed successfully (ISO 8601). */
  lastListedAt?: string;
  /** Why the last listing failed, when it did (the accounts of the last good listing stay in use). */
  lastError?: string;
}

/** Why a listing failed, in words for the log and the status (AWS's error name and message, no request ids). */
function describeFailure(error: unknown): string {
  const e = error as { name?: string; message?: string };
  const name = e?.name ?? 'Error';
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return `${name}: the role may not list the organisation's accounts (organizations:ListAccounts, ListAccountsForParent, ListOrganizationalUnitsForParent, ListTagsForResource from the management account or a delegated administrator)`;
  }
  if (name === 'AWSOrganizationsNotInUseException') return `${name}: the account is not part of an organisation`;
  return `${name}: ${e?.message ?? String(error)}`;
}

/**
 * The accounts the product works with: the configured ones, plus those AWS Organizations lists when discovery
 * is configured. It owns the `accounts` of one live {@link PrivateLinkConfig}: each good listing replaces them
 * (configured first and as configured, then the discovered ones), so that every reader of the config — the sync,
 * the write path, the API — sees the same accounts at its next call. A failed listing changes nothing: the
 * accounts of the last good one stay (never "zero accounts, delete everything"). One listing at a time.
 *
 * @public
 */
export class AccountDirectory {
  readonly #config: PrivateLinkConfig;
  readonly #configured: AccountEntry[];
  readonly #list?: (signal?: AbortSignal) => Promise<OrganizationsListing>;
  readonly #logger: LoggerService;
  #status: AccountDirectoryStatus;
  #inFlight?: Promise<AccountDirectoryStatus>;

  constructor(options: {
    /** The live config: its `accounts` are the configured ones at first, and replaced by each good listing. */
    config: PrivateLinkConfig;
    /** Lists the organisation; unset: no discovery. */
    list?: (signal?: AbortSignal) => Promise<OrganizationsListing>;
    logger: LoggerService;
  }) {
    this.#config = options.config;
    this.#configured = [...options.config.accounts];
    this.#list = options.list;
    this.#logger = options.logger;
    this.#status = {
      discovery: options.list ? 'pending' : 'off',
      accounts: this.#configured.length,
      discovered: 0,
    };
  }

  /** The live config whose `accounts` this directory keeps. */
  get config(): PrivateLinkConfig {
    return this.#config;
  }

  /** Where the account list stands. */
  status(): AccountDirectoryStatus {
    return { ...this.#status };
  }

  /** Lists the organisation again (joins a listing in flight); without discovery, returns the status. */
  refresh(signal?: AbortSignal): Promise<AccountDirectoryStatus> {
    if (!this.#list) return Promise.resolve(this.status());
    this.#inFlight ??= this.#refresh(this.#list, signal).finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #refresh(
    list: (signal?: AbortSignal) => Promise<OrganizationsListing>,
    signal?: AbortSignal,
  ): Promise<AccountDirectoryStatus> {
    let listing: OrganizationsListing;
    try {
      listing = await list(signal);
    } catch (error) {
      const lastError = describeFailure(error);
      this.#status = { ...this.#status, discovery: 'failed', lastError };
      this.#logger.warn('Could not list the AWS organisation; keeping the accounts of the last good listing', {
        error: lastError,
        accounts: this.#config.accounts.length,
      });
      return this.status();
    }
    const before = new Set(this.#config.accounts.map(a => a.accountId));
    const merged = mergeAccounts(this.#configured, listing.accounts);
    const after = new Set(merged.map(a => a.accountId));
    this.#config.accounts = merged;
    this.#status = {
      discovery: 'ok',
      accounts: merged.length,
      discovered: merged.length - this.#configured.length,
      lastListedAt: new Date().toISOString(),
    };
    for (const warning of listing.warnings) this.#logger.warn(warning);
    const added = [...after].filter(id => !before.has(id));
    const removed = [...before].filter(id => !after.has(id));
    this.#logger.info('Listed the AWS organisation', {
      listed: listing.listed,
      accounts: merged.length,
      discovered: this.#status.discovered,
      added: added.join(',') || 'none',
      removed: removed.join(',') || 'none',
      calls: listing.calls,
    });
    return this.status();
  }
}
