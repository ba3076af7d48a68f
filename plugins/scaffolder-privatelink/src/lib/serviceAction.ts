import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { ServiceChangedEvent } from '@privatelink-backstage/plugin-privatelink-common';
import { ServiceSelector } from '@privatelink-backstage/plugin-privatelink-node';
import { ActionWrites, serviceSelector, TaskWrites } from './writes';

type Ctx = Pick<ActionContext<any, any>, 'getInitiatorCredentials' | 'logger' | 'signal' | 'isDryRun'>;

/**
 * Runs a change on an existing endpoint service through the write path, as the task's initiator. The service
 * must be the sync's own entity for that account, region and id, which the catalog may still be syncing when an
 * earlier step created it (then the action waits). A dry run does not wait: for a service the catalog does not
 * hold (yet), it says so and previews without any check or AWS call, as nothing can be authorised on it.
 */
export async function onExistingService<T>(
  ctx: Ctx,
  writes: ActionWrites,
  target: ServiceChangedEvent,
  change: (task: TaskWrites, selector: ServiceSelector) => Promise<T>,
  previewUnknown: () => T,
): Promise<T> {
  const task = await writes.forTask(ctx);
  if (ctx.isDryRun) {
    let service;
    try {
      service = await task.findService(target);
    } catch (e) {
      // Any other refusal (an account that is not configured) goes through the write path, which records it.
      if ((e as Error).name !== 'NotFoundError') return change(task, { target });
      ctx.logger.warn(
        `Dry run: ${target.serviceId} is not in the catalog (yet); a real run acts on it only once it is synced and you may change it`,
      );
      return previewUnknown();
    }
    return change(task, { entity: service.entity });
  }
  return change(task, await serviceSelector(task, target, ctx));
}
