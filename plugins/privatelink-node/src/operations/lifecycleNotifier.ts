import { parseEntityRef } from '@backstage/catalog-model';
import { LifecycleNotifier } from './serviceLifecycle';

/**
 * The part of Backstage's `NotificationService` (`@backstage/plugin-notifications-node`) that a
 * {@link LifecycleNotifier} uses.
 *
 * @public
 */
export interface NotificationSender {
  /** Sends one notification to the users of the entities named. */
  send(options: {
    recipients: { type: 'entity'; entityRef: string | string[] };
    payload: { title: string; description?: string; link?: string; topic?: string; severity?: 'critical' | 'high' | 'normal' | 'low' };
  }): Promise<void>;
}

/**
 * The path of an entity's page in the Backstage app, e.g. `/catalog/default/resource/orders-api`.
 *
 * @public
 */
export function entityPagePath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(kind.toLocaleLowerCase('en-US'))}/${encodeURIComponent(name)}`;
}

/**
 * A {@link LifecycleNotifier} on the notifications service: one notification (topic `privatelink`, severity high)
 * to every recipient entity, linked to the entity's page.
 *
 * @public
 */
export function lifecycleNotifier(notifications: NotificationSender): LifecycleNotifier {
  return async notice =>
    notifications.send({
      recipients: { type: 'entity', entityRef: notice.recipients },
      payload: {
        title: notice.title,
        description: notice.description,
        link: entityPagePath(notice.entityRef),
        topic: 'privatelink',
        severity: 'high',
      },
    });
}
