import { AuthService, BackstageCredentials, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { AuditAttempt, AuditOutcome, PrivateLinkAuditLog } from './audit';

/**
 * The audit log as seen from another plugin (the scaffolder module): each row is written by the PrivateLink
 * backend plugin through `POST /v1/audit/attempts`, with a token the calling plugin issues on behalf of the
 * initiator. The backend takes the actor from that verified token and the door (`via`) from the plugin that
 * issued it, never from the body; a plain user token cannot write there.
 *
 * Each method rejects with a `ResponseError` when the backend answers with an error status.
 *
 * @public
 */
export function createHttpAuditLog(options: {
  /** Finds the base URL of the `privatelink` backend plugin. */
  discovery: DiscoveryService;
  /** Issues the plugin request token on behalf of the initiator. */
  auth: AuthService;
  /** The initiator's credentials (`ctx.getInitiatorCredentials()`). */
  credentials: BackstageCredentials;
}): PrivateLinkAuditLog {
  async function post<T>(path: string, body: unknown): Promise<T> {
    const baseUrl = await options.discovery.getBaseUrl('privatelink');
    const { token } = await options.auth.getPluginRequestToken({
      onBehalfOf: options.credentials,
      targetPluginId: 'privatelink',
    });
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
  // actor and via are the server's to set; what is sent of them is only for symmetry with the in-process log.
  const attemptBody = ({ actor: _actor, via: _via, ...rest }: AuditAttempt) => rest;

  return {
    async refused(attempt, message) {
      await post('/v1/audit/attempts', { ...attemptBody(attempt), result: 'refused', message });
    },
    async start(attempt) {
      const { id } = await post<{ id: number }>('/v1/audit/attempts', { ...attemptBody(attempt), result: 'started' });
      return id;
    },
    async complete(id, outcome: AuditOutcome) {
      await post(`/v1/audit/attempts/${id}/outcome`, outcome);
    },
  };
}
