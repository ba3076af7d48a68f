import {
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import { AuthorizeResult, ResourcePermission } from '@backstage/plugin-permission-common';
import {
  PRIVATELINK_SERVICE_CHANGED_TOPIC,
  ServiceChangedEvent,
  WriteChannel,
} from '@privatelink-backstage/plugin-privatelink-common';
import { AuditAttempt, AuditSubject, PrivateLinkAuditLog } from './audit';
import { describeAwsFailure } from './awsFailure';

/**
 * Who causes a change and through which door. Only a scheduled job acts with the plugin's own credentials.
 *
 * @public
 */
export interface WriteActor {
  /**
   * The verified credentials of the person who caused the change (a user principal), or the plugin's own
   * (a service principal) for the scheduled job; the permissions are authorised with them.
   */
  credentials: BackstageCredentials;
  /** The door the change came through; only `job` may act with service credentials. */
  via: WriteChannel;
}

/**
 * A permission to hold on a resource (a service's entity ref, or an account id).
 *
 * @public
 */
export interface PermissionCheck {
  /** The resource permission to authorise, e.g. `privatelink.principal.manage`. */
  permission: ResourcePermission;
  /** The resource it is authorised on: an endpoint service's entity ref, or an account id. */
  resourceRef: string;
  /** Named in the refusal, e.g. the service's ref. */
  on: string;
}

/**
 * What a change reports back: the value for the caller, details for the audit row, a partial failure.
 *
 * @public
 */
export interface WriteOutcome<T> {
  /** What {@link WriteGate.run} returns to the caller. */
  value: T;
  /** What the change did, for the outcome of the audit row. */
  details?: Record<string, unknown>;
  /** Some items failed (AWS `Unsuccessful`): recorded as an error, the value still returned. */
  failure?: string;
  /** What became known during the change, such as the id of a created service. */
  subject?: Partial<AuditSubject>;
  /** Whether AWS changed; a change is announced on the change-event topic. Default true. */
  changed?: boolean;
  /** The service to announce, when it is not the subject's (a consumer endpoint changes the provider's service). */
  announce?: ServiceChangedEvent;
}

/**
 * One change through the write path, run by {@link WriteGate.run}.
 *
 * @public
 */
export interface WriteOperation<T> {
  /** Who causes the change; see {@link actorName} for who may. */
  actor: WriteActor;
  /** The kind of change, for the audit row and error messages, e.g. `principals.allow`. */
  action: string;
  /**
   * What the change is made on, for the audit row; the change is announced on its service when it (with what the
   * outcome's `subject` adds) has a region and service id, unless the outcome names another to `announce`.
   */
  subject: AuditSubject;
  /** What the attempt asks for, for the audit row (`dryRun: true` is added to it in a dry run). */
  details: Record<string, unknown>;
  /** Checks before the permissions: what the request names must exist (a configured account). Throw to refuse. */
  validate?: () => Promise<void> | void;
  /**
   * The permissions the actor must hold, authorised in one request after `validate`; the first one denied is the
   * refusal (a `NotAllowedError`). May be empty.
   */
  checks: PermissionCheck[];
  /** Checks that need more than a permission (the owner named, the account): throw to refuse. */
  precondition?: () => Promise<void> | void;
  /**
   * Runs every check, then returns `preview()` without writing a `started` row or calling `change`. Refusals and
   * checks that failed are still recorded. Default false.
   */
  dryRun?: boolean;
  /** The answer of a dry run, given once every check passed. */
  preview?: () => T;
  /**
   * True when, after the checks, there is nothing to change: then the preview is the answer and no row is
   * written. Only for the scheduled job, which looks once a minute; a person's attempt is always recorded.
   */
  nothingToDo?: () => boolean;
  /**
   * Whether a failure with this message is written down; default always. The scheduled job records only the
   * first failure of a streak (the message differs from the last one), not one row a minute while AWS fails.
   */
  recordFailure?: (message: string) => boolean;
  /**
   * Makes the change in AWS, once every check passed and the `started` row is written. An error that is not a
   * refusal is turned into a `ServiceUnavailableError` prefixed with `failure`.
   */
  change: () => Promise<WriteOutcome<T>>;
  /**
   * Says what failed when AWS fails, e.g. `Could not allow principals on vpce-svc-…`; the error's text follows.
   * Default: `Could not complete <action>`.
   */
  failure?: string;
}

/**
 * Publishes one change event (on `privatelink.service.changed`); {@link eventsPublisher} makes one from the
 * events service.
 *
 * @public
 */
export type ChangePublisher = (event: ServiceChangedEvent) => Promise<void>;

/**
 * The plugin's actor name in audit rows of its scheduled job.
 *
 * @public
 */
export const PLUGIN_ACTOR = 'plugin:privatelink';

const REFUSALS = new Set(['NotAllowedError', 'InputError', 'NotFoundError', 'ConflictError']);

/**
 * The actor name of a change for its audit row: the user entity ref of a user principal, or {@link PLUGIN_ACTOR}
 * for a service principal acting through the scheduled job (`via: 'job'`).
 *
 * @throws `NotAllowedError` for any other principal (e.g. a service outside the job, or none): only the scheduled
 *   job may act without a person.
 * @public
 */
export function actorName(actor: WriteActor): string {
  const principal = actor.credentials.principal as { type: string; userEntityRef?: string; subject?: string };
  if (principal.type === 'user') return (principal as BackstageUserPrincipal).userEntityRef;
  if (actor.via === 'job' && principal.type === 'service') return PLUGIN_ACTOR;
  throw new NotAllowedError('PrivateLink changes are made for a signed-in user only');
}

/**
 * The one write path of PrivateLink: every AWS mutation, whichever package makes it (the API, the scaffolder
 * actions, the scheduled job), runs through {@link WriteGate.run}, which
 * (a) authorises the person who caused it with the permission framework, before any AWS call and in a dry run
 *     too; a refusal writes a `refused` row and throws;
 * (b) writes the audit row `started` (when that fails, AWS is not called);
 * (c) makes the change;
 * (d) completes the row with the outcome and announces the change on `privatelink.service.changed`, to which the
 *     catalog module (targeted refresh) and the backend's details cache listen.
 *
 * Failures to write the outcome of a row or to announce a change are logged, never thrown: AWS has answered.
 *
 * @public
 */
export class WriteGate {
  readonly #permissions: PermissionsService;
  readonly #audit: PrivateLinkAuditLog;
  readonly #publish: ChangePublisher;
  readonly #logger: LoggerService;

  /**
   * @param options - `permissions` authorises the checks, `audit` records every attempt, `publish` announces
   *   changes, and `logger` receives what could not be recorded or announced.
   */
  constructor(options: {
    permissions: PermissionsService;
    audit: PrivateLinkAuditLog;
    publish: ChangePublisher;
    logger: LoggerService;
  }) {
    this.#permissions = options.permissions;
    this.#audit = options.audit;
    this.#publish = options.publish;
    this.#logger = options.logger;
  }

  /**
   * Records a refusal found before an operation could be set up (e.g. a forged entity), and throws it: always
   * rejects with `error`, whether or not the row could be written.
   */
  async refuse(actor: WriteActor, action: string, subject: AuditSubject, details: Record<string, unknown>, error: Error): Promise<never> {
    await this.#refused({ actor: safeActorName(actor), via: actor.via, action, ...subject, details }, error.message);
    throw error;
  }

  async #refused(attempt: AuditAttempt, message: string) {
    try {
      await this.#audit.refused(attempt, message);
    } catch (e) {
      // The refusal stands whether or not it could be written down; nothing was changed.
      this.#logger.error('Could not record a refused PrivateLink change', { action: attempt.action, error: (e as Error).message });
    }
  }

  /**
   * Runs one change through the write path: actor, `validate`, permissions and `precondition` first (in a dry run
   * too), then the `started` row, `change`, the outcome and the announcement. Returns the outcome's value, or the
   * preview in a dry run or when there is nothing to do.
   *
   * @throws The refusal (`NotAllowedError`, `InputError`, `NotFoundError` or `ConflictError`) after recording a
   *   `refused` row (a refusal that cannot be recorded is logged); any other failure of the checks or of `change`
   *   as a `ServiceUnavailableError` prefixed with `op.failure` (unless it is a `ServiceUnavailableError` or
   *   `NotModifiedError` already), after recording an `error` outcome; the audit log's error when the `started`
   *   row cannot be written (AWS is then not called); an `Error` when a dry run, or nothing to do, meets an
   *   operation without `preview`.
   */
  async run<T>(op: WriteOperation<T>): Promise<T> {
    const base = { via: op.actor.via, action: op.action, ...op.subject, details: { ...op.details, ...(op.dryRun ? { dryRun: true } : {}) } };
    let actor: string;
    try {
      actor = actorName(op.actor);
      await op.validate?.();
      await this.#authorize(op.actor.credentials, op.checks);
      await op.precondition?.();
    } catch (e) {
      const error = e as Error;
      if (REFUSALS.has(error.name)) {
        await this.#refused({ actor: safeActorName(op.actor), ...base }, error.message);
        throw e;
      }
      // A read that the checks needed failed (AWS unreachable): an attempt that ended in an error.
      const failed = asServiceError(error, op.failure ?? `Could not complete ${op.action}`, this.#logger);
      if (op.recordFailure?.(failed.message) ?? true) {
        await this.#complete(await this.#audit.start({ actor: safeActorName(op.actor), ...base }), { result: 'error', message: failed.message });
      }
      throw failed;
    }
    if (op.dryRun || op.nothingToDo?.()) {
      if (!op.preview) throw new Error(`${op.action} has no dry run`);
      return op.preview();
    }

    const id = await this.#audit.start({ actor, ...base });
    let outcome: WriteOutcome<T>;
    try {
      outcome = await op.change();
    } catch (e) {
      const error = asServiceError(e as Error, op.failure ?? `Could not complete ${op.action}`, this.#logger);
      await this.#complete(id, { result: 'error', message: error.message });
      // An error may come after part of a change to a synced service was made: the catalog re-reads it anyway.
      // (A failed create removes what it created; a consumer's subject is not the provider's service.)
      const { serviceRef, accountId, region, serviceId } = op.subject;
      if (serviceRef && region && serviceId) await this.#announce({ accountId, region, serviceId });
      throw error;
    }
    const subject = { ...op.subject, ...outcome.subject };
    await this.#complete(id, {
      result: outcome.failure ? 'error' : 'success',
      message: outcome.failure,
      details: outcome.details,
      subject: outcome.subject,
    });
    if (outcome.changed ?? true) {
      if (outcome.announce) await this.#announce(outcome.announce);
      else if (subject.serviceId && subject.region) {
        await this.#announce({ accountId: subject.accountId, region: subject.region, serviceId: subject.serviceId });
      }
    }
    return outcome.value;
  }

  /** Every check in one request to the permission framework; the first one denied is the refusal. */
  async #authorize(credentials: BackstageCredentials, checks: PermissionCheck[]) {
    if (checks.length === 0) return;
    const decisions = await this.#permissions.authorize(
      checks.map(c => ({ permission: c.permission, resourceRef: c.resourceRef })),
      { credentials },
    );
    const denied = checks.find((_, i) => decisions[i].result !== AuthorizeResult.ALLOW);
    if (denied) throw new NotAllowedError(`${denied.permission.name} is not allowed on ${denied.on}`);
  }

  async #complete(id: number, outcome: Parameters<PrivateLinkAuditLog['complete']>[1]) {
    try {
      await this.#audit.complete(id, outcome);
    } catch (e) {
      // AWS has answered: the change stands, and the row stays `started`, which says the outcome is unknown.
      this.#logger.error('Could not record the outcome of a PrivateLink change', { auditId: id, error: (e as Error).message });
    }
  }

  async #announce(event: ServiceChangedEvent) {
    try {
      await this.#publish(event);
    } catch (e) {
      // The next full sync reads it anyway; a lost event only delays the catalog.
      this.#logger.warn('Could not announce a PrivateLink change', { ...event, error: (e as Error).message });
    }
  }
}

/**
 * Errors of Backstage's own kinds pass; an AWS or network failure is a 503 that says what could not be done, in
 * words a person can act on ({@link describeAwsFailure}); the SDK's own text, when it is held back, is logged
 * under the reference the message names.
 */
function asServiceError(error: Error, what: string, logger: LoggerService): Error {
  if (REFUSALS.has(error.name) || error.name === 'ServiceUnavailableError' || error.name === 'NotModifiedError') return error;
  const { message, ref } = describeAwsFailure(error);
  if (ref) logger.error(`${what}: ${error.message}`, { ref, name: error.name });
  return new ServiceUnavailableError(`${what}: ${message}`);
}

function safeActorName(actor: WriteActor): string {
  try {
    return actorName(actor);
  } catch {
    const p = actor.credentials.principal as { type: string; subject?: string };
    return p.subject ?? p.type;
  }
}

/**
 * The publisher of change events on the events service: publishes each event as the payload of
 * `privatelink.service.changed`.
 *
 * @public
 */
export function eventsPublisher(events: { publish(p: { topic: string; eventPayload: unknown }): Promise<void> }): ChangePublisher {
  return event => events.publish({ topic: PRIVATELINK_SERVICE_CHANGED_TOPIC, eventPayload: event });
}
