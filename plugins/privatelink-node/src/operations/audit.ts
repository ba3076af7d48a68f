import { WriteChannel } from '@privatelink-backstage/plugin-privatelink-common';

/**
 * What a change is made on: an endpoint service (known once it exists), or only an account and region.
 *
 * @public
 */
export interface AuditSubject {
  /** The endpoint service's entity ref, when the change is on a service the catalog knows. */
  serviceRef?: string;
  /** The 12-digit AWS account id the change is made in. */
  accountId: string;
  /** The AWS region the change is made in, when it is known. */
  region?: string;
  /** The endpoint service id (`vpce-svc-…`), when there is one (a created service's is known only afterwards). */
  serviceId?: string;
}

/**
 * The row written for one attempt, before AWS is called.
 *
 * @public
 */
export interface AuditAttempt extends AuditSubject {
  /** The person who caused the change (user entity ref), or the plugin for its scheduled job. */
  actor: string;
  /** The door the change came through: the API, a scaffolder action, or the scheduled job. */
  via: WriteChannel;
  /** The kind of change, e.g. `principals.allow`, `endpoint-service.create`. */
  action: string;
  /** What the attempt asked for (e.g. the principals, the endpoint ids), stored with the row as JSON. */
  details: Record<string, unknown>;
}

/**
 * How an attempt ended. `subject` fills in what became known during it (the id of a created service).
 *
 * @public
 */
export interface AuditOutcome {
  /** `success` when the change was made; `error` when it failed, in whole or (some items) in part. */
  result: 'success' | 'error';
  /** What failed, for an error. */
  message?: string;
  /** What the change did (e.g. the principals changed), merged into the details of the attempt's row. */
  details?: Record<string, unknown>;
  /** What became known of the subject during the attempt, such as the id of a created service. */
  subject?: Partial<AuditSubject>;
}

/**
 * The audit log of PrivateLink changes (the backend plugin's `privatelink_audit` table, read by owners through
 * `GET /v1/audit`). Every attempt leaves one row: `refused` at once, or `started` before AWS is called and
 * completed with its outcome after.
 *
 * @public
 */
export interface PrivateLinkAuditLog {
  /** Records a refusal: nothing was changed. */
  refused(attempt: AuditAttempt, message: string): Promise<void>;
  /** Records the start of an attempt and returns its row's id; no AWS call is made unless this succeeded. */
  start(attempt: AuditAttempt): Promise<number>;
  /** Records the outcome of a started attempt. */
  complete(id: number, outcome: AuditOutcome): Promise<void>;
}
