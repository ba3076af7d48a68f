import { BackstageCredentials, BackstageUserPrincipal } from '@backstage/backend-plugin-api';
import { ConflictError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuditAttempt, AuditOutcome } from '@privatelink-backstage/plugin-privatelink-node';
import { PrivateLinkStore } from './store';

/** The plugin whose on-behalf-of tokens may write audit rows over HTTP: the scaffolder, for its actions. */
export const AUDIT_WRITER_PLUGIN = 'plugin:scaffolder';

type AttemptBody = Omit<AuditAttempt, 'actor' | 'via'> & { result: 'started' | 'refused'; message?: string };

/**
 * Writes the audit rows of the scaffolder actions, which run in another plugin. The caller must be a user whose
 * token the scaffolder plugin issued on their behalf (`principal.actor`), so a signed-in user cannot write rows
 * by calling the route themselves; the row's actor is that user, and only they may complete it.
 */
export function scaffolderAuditWriter(store: PrivateLinkStore) {
  return {
    actorOf(credentials: BackstageCredentials<BackstageUserPrincipal>): string {
      if (credentials.principal.actor?.subject !== AUDIT_WRITER_PLUGIN) {
        throw new NotAllowedError('Only the PrivateLink scaffolder actions write audit rows, with a token the scaffolder issued');
      }
      return credentials.principal.userEntityRef;
    },
    async write(actor: string, body: AttemptBody): Promise<number | undefined> {
      const { result, message, ...attempt } = body;
      const row = { ...attempt, actor, via: 'scaffolder' as const };
      if (result === 'refused') {
        await store.refused(row, message ?? 'refused');
        return undefined;
      }
      return store.start(row);
    },
    async complete(actor: string, id: number, outcome: AuditOutcome): Promise<void> {
      const row = await store.getAudit(id);
      if (!row || row.via !== 'scaffolder' || row.actor !== actor) throw new NotFoundError(`No audit row ${id} of yours`);
      if (row.result !== 'started') throw new ConflictError(`Audit row ${id} is complete already`);
      await store.complete(id, outcome);
    },
  };
}
