import { WriteChannel } from '@privatelink-backstage/plugin-privatelink-common';

/** What a change is made on: an endpoint service (known once it exists), or only an account and region. */
export interface AuditSubject {
  serviceRef?: string;
  accountId: string;
  region?: string;
  serviceId?: string;
}

/** The row written for one attempt, before AWS is called. */
export interface AuditAttempt extends AuditSubject {
  /** The person who caused the change (user entity ref), or the plugin for its scheduled job. */
  actor: string;
  via: WriteChannel;
  /** e.g. `principals.allow`, `endpoint-service.create`. */
  action: string;
  details: Record<string, unknown>;
}

/** How an attempt ended. `subject` fills in what became known during it (the id of a created service). */
export interface AuditOutcome {
  result: 'success' | 'error';
  message?: string;
  details?: Record<string, unknown>;
  subject?: Partial<AuditSubject>;
}

/**
 * The audit log of PrivateLink changes (the backend plugin's `privatelink_audit` table, read by owners through
 * `GET /v1/audit`). Every attempt leaves one row: `refused` at once, or `started` before AWS is called and
 * completed with its outcome after.
 */
export interface PrivateLinkAuditLog {
  /** Records a refusal: nothing was changed. */
  refused(attempt: AuditAttempt, message: string): Promise<void>;
  /** Records the start of an attempt and returns its row's id; no AWS call is made unless this succeeded. */
  start(attempt: AuditAttempt): Promise<number>;
  /** Records the outcome of a started attempt. */
  complete(id: number, outcome: AuditOutcome): Promise<void>;
}
