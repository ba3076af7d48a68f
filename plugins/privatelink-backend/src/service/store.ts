import { DatabaseService, resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  AccessRequest,
  AccessRequestFollowUp,
  AccessRequestStatus,
  AuditEntry,
} from '@privatelink-backstage/plugin-privatelink-common';
import { AuditAttempt, AuditSubject, PrivateLinkAuditLog } from '@privatelink-backstage/plugin-privatelink-node';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { ConflictError } from '@backstage/errors';

const migrationsDir = resolvePackagePath('@privatelink-backstage/plugin-privatelink-backend', 'migrations');

type Row = {
  id: string;
  service_ref: string;
  consumer_ref: string;
  account_id: string;
  reason: string;
  status: string;
  requested_by: string;
  requested_at: string | Date;
  decided_by: string | null;
  decided_at: string | Date | null;
  decision_reason: string | null;
  accepted_endpoint_ids: string | null;
  error: string | null;
  service_account_id: string | null;
  service_region: string | null;
  service_id: string | null;
  external: boolean | number;
  claimed_at: string | Date | null;
  follow_up: string;
  rejected_at_approval?: string | null;
};

/** SQLite (SQLITE_CONSTRAINT_UNIQUE) and PostgreSQL (23505) unique violations. */
function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err?.code === '23505' || err?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(err?.message ?? '');
}

const iso = (v: string | Date | null | undefined) => (v ? new Date(v).toISOString() : undefined);

function toRequest(row: Row): AccessRequest {
  return {
    id: row.id,
    serviceRef: row.service_ref,
    consumerRef: row.consumer_ref,
    accountId: row.account_id,
    reason: row.reason,
    // 'approving' is the short-lived claim of one approver; to readers it is still pending.
    status: (row.status === 'approving' ? 'pending' : row.status) as AccessRequestStatus,
    requestedBy: row.requested_by,
    requestedAt: iso(row.requested_at)!,
    decidedBy: row.decided_by ?? undefined,
    decidedAt: iso(row.decided_at),
    decisionReason: row.decision_reason ?? undefined,
    acceptedEndpointIds: row.accepted_endpoint_ids ? JSON.parse(row.accepted_endpoint_ids) : undefined,
    error: row.error ?? undefined,
    external: Boolean(row.external),
    ...(row.service_account_id && row.service_region && row.service_id
      ? { target: { accountId: row.service_account_id, region: row.service_region, serviceId: row.service_id } }
      : {}),
    followUp: (row.follow_up ?? 'active') as AccessRequestFollowUp,
    ...(row.rejected_at_approval ? { rejectedAtApproval: JSON.parse(row.rejected_at_approval) } : {}),
  };
}

/** The service whose audit log is read: its entity ref and the AWS service it stands for. */
export interface AuditLogSelector {
  serviceRef: string;
  target?: { accountId: string; region: string; serviceId: string };
}

/** Access requests and the audit log, in the plugin's own database (SQLite or PostgreSQL). */
export interface PrivateLinkStore extends PrivateLinkAuditLog {
  createRequest(input: Omit<AccessRequest, 'id' | 'status' | 'requestedAt' | 'external' | 'followUp'> & { external?: boolean }): Promise<AccessRequest>;
  /** Open (pending) requests of one user on one service. */
  countOpen(filter: { serviceRef: string; requestedBy: string }): Promise<number>;
  getRequest(id: string): Promise<AccessRequest | undefined>;
  /**
   * Requests newest first; a page of `limit` (default 500) older than the `before` request when given. `status`:
   * one or several (`pending` includes those being approved).
   */
  listRequests(
    filter: { serviceRef?: string; consumerRef?: string; requestedBy?: string; status?: AccessRequestStatus | AccessRequestStatus[] },
    page?: { limit?: number; before?: { requestedAt: string; id: string } },
  ): Promise<AccessRequest[]>;
  /**
   * Claims a pending request for one decision and, in the same transaction, writes the decision's `started`
   * audit row; returns that row's id, or undefined when another got there first or it is decided.
   */
  claim(id: string, attempt: AuditAttempt): Promise<number | undefined>;
  /** Claims a pending request for one approver; false when another got there first or it is decided. */
  claimForApproval(id: string): Promise<boolean>;
  /** Gives back claims taken before `olderThan` (their decision never finished); returns how many. */
  sweepClaims(olderThan: Date): Promise<number>;
  /** Gives a claimed request back (the AWS change failed). */
  releaseClaim(id: string, error: string): Promise<void>;
  decide(id: string, decision: { status: AccessRequestStatus; decidedBy: string; decisionReason?: string; acceptedEndpointIds?: string[]; error?: string | null; followUp?: AccessRequestFollowUp; rejectedAtApproval?: string[] }): Promise<AccessRequest>;
  /**
   * Approved requests decided since `since` whose follow-up is active, at most `limit`; with `service`, only those
   * filed for that AWS service (and those that recorded none, which the caller checks).
   */
  listAwaitingAcceptance(since: Date, options: { limit: number; service?: { accountId: string; region: string; serviceId: string } }): Promise<AccessRequest[]>;
  /**
   * Records a follow-up's outcome while the request's follow-up is still active, merging the accepted endpoints
   * with those recorded; false (nothing written) once another follow-up ended it.
   */
  setAccepted(id: string, endpointIds: string[], error?: string | null, followUp?: AccessRequestFollowUp): Promise<boolean>;
  /**
   * Closes the requests of a service that was retired: pending ones are denied with `reason` by `decidedBy`, and
   * approved ones stop waiting for connections (`followUp: revoked`). Returns the ids of the requests closed.
   */
  closeRequestsOfService(service: { serviceRef?: string; accountId: string; region: string; serviceId: string }, decidedBy: string, reason: string): Promise<string[]>;
  /** Writes a finished row at once, for changes made in the plugin's own database (access requests). */
  audit(entry: Omit<AuditEntry, 'id' | 'createdAt' | 'completedAt'>): Promise<void>;
  /** A service's rows, newest first: those on its entity ref, and those on its AWS service (a create, before the entity existed). */
  listAudit(selector: AuditLogSelector, limit: number, before?: number): Promise<AuditEntry[]>;
  /** One row, to check who may complete it. */
  getAudit(id: number): Promise<AuditEntry | undefined>;
}

export async function createPrivateLinkStore(database: DatabaseService | { getClient(): Promise<Knex> }, options: { skipMigrations?: boolean } = {}): Promise<PrivateLinkStore> {
  const db = await database.getClient();
  const migrations = 'migrations' in database ? database.migrations : undefined;
  if (!options.skipMigrations && !migrations?.skip) {
    await db.migrate.latest({ directory: migrationsDir });
  }
  const requests = () => db<Row>('privatelink_access_requests');

  return {
    async createRequest(input) {
      const row: Row = {
        id: randomUUID(),
        service_ref: input.serviceRef,
        consumer_ref: input.consumerRef,
        account_id: input.accountId,
        reason: input.reason,
        status: 'pending',
        requested_by: input.requestedBy,
        requested_at: new Date().toISOString(),
        decided_by: null,
        decided_at: null,
        decision_reason: null,
        accepted_endpoint_ids: null,
        error: null,
        service_account_id: input.target?.accountId ?? null,
        service_region: input.target?.region ?? null,
        service_id: input.target?.serviceId ?? null,
        external: input.external ?? false,
        claimed_at: null,
        follow_up: 'active',
      };
      try {
        await requests().insert(row);
      } catch (e) {
        if (isUniqueViolation(e)) {
          throw new ConflictError(
            `There is already a pending request for ${input.consumerRef} from account ${input.accountId}`,
          );
        }
        throw e;
      }
      return toRequest(row);
    },
    async getRequest(id) {
      const row = await requests().where({ id }).first();
      return row ? toRequest(row) : undefined;
    },
    async listRequests(filter, page = {}) {
      let q = requests().select();
      const { before } = page;
      if (before) {
        q = q.where(w =>
          w.where('requested_at', '<', before.requestedAt).orWhere(e => e.where('requested_at', before.requestedAt).where('id', '<', before.id)),
        );
      }
      if (filter.serviceRef) q = q.where('service_ref', filter.serviceRef);
      if (filter.requestedBy) q = q.where('requested_by', filter.requestedBy);
      if (filter.consumerRef) q = q.where('consumer_ref', filter.consumerRef);
      if (filter.status) {
        const statuses: string[] = [filter.status].flat();
        if (statuses.includes('pending')) statuses.push('approving');
        q = q.whereIn('status', statuses);
      }
      const rows = await q.orderBy([{ column: 'requested_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(page.limit ?? 500);
      return rows.map(toRequest);
    },
    async countOpen(filter) {
      const [{ n }] = await requests()
        .where({ service_ref: filter.serviceRef, requested_by: filter.requestedBy })
        .whereIn('status', ['pending', 'approving'])
        .count({ n: '*' });
      return Number(n);
    },
    async claim(id, attempt) {
      // One transaction: the claim and the decision's started row are written together, or neither is.
      return db.transaction(async tx => {
        const changed = await tx<Row>('privatelink_access_requests')
          .where({ id, status: 'pending' })
          .update({ status: 'approving', claimed_at: new Date().toISOString() });
        if (changed !== 1) return undefined;
        const [row] = await tx('privatelink_audit')
          .insert({ ...auditColumns(attempt), result: 'started', message: null, created_at: new Date().toISOString() })
          .returning('id');
        return Number(typeof row === 'object' ? row.id : row);
      });
    },
    async claimForApproval(id) {
      // One conditional update: of two concurrent approvals, exactly one sees a changed row.
      const changed = await requests().where({ id, status: 'pending' }).update({ status: 'approving', claimed_at: new Date().toISOString() });
      return changed === 1;
    },
    async releaseClaim(id, error) {
      await requests().where({ id, status: 'approving' }).update({ status: 'pending', error, claimed_at: null });
    },
    async sweepClaims(olderThan) {
      return requests()
        .where({ status: 'approving' })
        .where(q => q.where('claimed_at', '<', olderThan.toISOString()).orWhereNull('claimed_at'))
        .update({ status: 'pending', claimed_at: null, error: 'the decision did not finish; decide again' });
    },
    async decide(id, decision) {
      await requests()
        .where({ id })
        .update({
          status: decision.status,
          decided_by: decision.decidedBy,
          decided_at: new Date().toISOString(),
          decision_reason: decision.decisionReason ?? null,
          accepted_endpoint_ids: decision.acceptedEndpointIds ? JSON.stringify(decision.acceptedEndpointIds) : null,
          error: decision.error ?? null,
          claimed_at: null,
          ...(decision.followUp ? { follow_up: decision.followUp } : {}),
          ...(decision.rejectedAtApproval?.length ? { rejected_at_approval: JSON.stringify(decision.rejectedAtApproval) } : {}),
        });
      return toRequest((await requests().where({ id }).first())!);
    },
    async listAwaitingAcceptance(since, { limit, service }) {
      const query = requests()
        .where({ status: 'approved', follow_up: 'active' })
        .where('decided_at', '>=', since.toISOString());
      if (service) {
        query.where(q =>
          q
            .where({ service_account_id: service.accountId, service_region: service.region, service_id: service.serviceId })
            .orWhereNull('service_id'),
        );
      }
      const rows = await query.limit(limit);
      return rows.map(toRequest);
    },
    async setAccepted(id, endpointIds, error, followUp) {
      // Only while the follow-up is active, merged with what is recorded: a follow-up that lost a race (another
      // replica, or the job and an announcement) never overwrites the winner's outcome.
      return db.transaction(async tx => {
        const row = await tx('privatelink_access_requests').where({ id }).first();
        if (!row || row.follow_up !== 'active') return false;
        const recorded: string[] = row.accepted_endpoint_ids ? JSON.parse(row.accepted_endpoint_ids) : [];
        const merged = [...new Set([...recorded, ...endpointIds])];
        await tx('privatelink_access_requests')
          .where({ id, follow_up: 'active' })
          .update({ accepted_endpoint_ids: JSON.stringify(merged), error: error ?? null, ...(followUp ? { follow_up: followUp } : {}) });
        return true;
      });
    },
    async closeRequestsOfService(service, decidedBy, reason) {
      const ofService = (q: Knex.QueryBuilder) =>
        q
          .where({ service_account_id: service.accountId, service_region: service.region, service_id: service.serviceId })
          .orWhere(w => (service.serviceRef ? w.where({ service_ref: service.serviceRef }).whereNull('service_id') : w.whereRaw('1 = 0')));
      return db.transaction(async tx => {
        const pending = await tx<Row>('privatelink_access_requests').where(ofService).where({ status: 'pending' }).select('id');
        const ids = pending.map(r => r.id);
        if (ids.length) {
          await tx('privatelink_access_requests')
            .whereIn('id', ids)
            .where({ status: 'pending' })
            .update({ status: 'denied', decided_by: decidedBy, decided_at: new Date().toISOString(), decision_reason: reason, follow_up: 'revoked' });
        }
        await tx('privatelink_access_requests').where(ofService).where({ status: 'approved', follow_up: 'active' }).update({ follow_up: 'revoked' });
        return ids;
      });
    },
    async audit(entry) {
      const now = new Date().toISOString();
      await db('privatelink_audit').insert({ ...auditColumns(entry), result: entry.result, message: entry.message ?? null, created_at: now, completed_at: now });
    },
    async refused(attempt, message) {
      const now = new Date().toISOString();
      await db('privatelink_audit').insert({ ...auditColumns(attempt), result: 'refused', message, created_at: now, completed_at: now });
    },
    async start(attempt) {
      const [row] = await db('privatelink_audit')
        .insert({ ...auditColumns(attempt), result: 'started', message: null, created_at: new Date().toISOString() })
        .returning('id');
      return Number(typeof row === 'object' ? row.id : row);
    },
    async complete(id, outcome) {
      const current = await db('privatelink_audit').where({ id }).first();
      if (!current) throw new Error(`No audit row ${id}`);
      const subject = outcome.subject ?? {};
      await db('privatelink_audit')
        .where({ id, result: 'started' })
        .update({
          result: outcome.result,
          message: outcome.message ?? null,
          details: JSON.stringify({ ...JSON.parse(current.details), ...outcome.details }),
          ...(subject.serviceRef ? { service_ref: subject.serviceRef } : {}),
          ...(subject.region ? { region: subject.region } : {}),
          ...(subject.serviceId ? { service_id: subject.serviceId } : {}),
          completed_at: new Date().toISOString(),
        });
    },
    async getAudit(id) {
      const row = await db('privatelink_audit').where({ id }).first();
      return row ? toAuditEntry(row) : undefined;
    },
    async listAudit(selector, limit, before) {
      const { serviceRef, target } = selector;
      const rows = await db('privatelink_audit')
        .where(q => (before ? q.where('id', '<', before) : q))
        .where(q => {
          q.where({ service_ref: serviceRef });
          // Service ids are unique: this also finds a consumer's endpoint.create rows, made in its own account.
          if (target) q.orWhere({ region: target.region, service_id: target.serviceId });
        })
        .orderBy('id', 'desc')
        .limit(limit);
      return rows.map(toAuditEntry);
    },
  };
}

type AuditColumnsInput = Partial<AuditSubject> & { actor: string; via?: string; action: string; details: Record<string, unknown> };

function auditColumns(entry: AuditColumnsInput) {
  return {
    actor: entry.actor,
    via: entry.via ?? 'api',
    action: entry.action,
    service_ref: entry.serviceRef ?? null,
    account_id: entry.accountId ?? null,
    region: entry.region ?? null,
    service_id: entry.serviceId ?? null,
    details: JSON.stringify(entry.details),
  };
}

function toAuditEntry(r: any): AuditEntry {
  return {
    id: Number(r.id),
    actor: r.actor,
    via: r.via,
    action: r.action,
    serviceRef: r.service_ref ?? undefined,
    accountId: r.account_id ?? undefined,
    region: r.region ?? undefined,
    serviceId: r.service_id ?? undefined,
    details: JSON.parse(r.details),
    result: r.result,
    message: r.message ?? undefined,
    createdAt: iso(r.created_at)!,
    completedAt: iso(r.completed_at),
  };
}
