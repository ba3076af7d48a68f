import { LoggerService } from '@backstage/backend-plugin-api';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { isTransient, messageOf } from './errors';

type JsonPrimitive = string | number | boolean | null;
/** What a checkpoint can record: the identity of a resource (ids, ARNs, names), as JSON. */
export type Recorded = {
  [key: string]: JsonPrimitive | JsonPrimitive[] | Recorded | undefined;
};

/** The parts of the action context that creating a resource once needs. */
export type EnsureContext = Pick<
  ActionContext<any, any>,
  'checkpoint' | 'logger' | 'signal'
>;

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Sends a create call once, and again only after a look-up has shown that the first one did not take effect.
 * The client used by `create` must not retry by itself (maxAttempts 1): after a lost response the SDK would
 * resend the create blindly, and not every API honours a ClientToken (ELBv2 has none; moto ignores it).
 */
export async function createWithLookup<T>(options: {
  what: string;
  logger: LoggerService;
  create: () => Promise<T>;
  find: () => Promise<T | undefined>;
  attempts?: number;
  /** Delay before the look-up after failed attempt `n` (1-based), in ms. */
  delayMs?: (attempt: number) => number;
}): Promise<T> {
  const attempts = options.attempts ?? 5;
  const delayMs =
    options.delayMs ??
    ((n: number) => Math.min(10_000, 250 * 2 ** n) * (0.5 + Math.random()));
  for (let attempt = 1; ; attempt++) {
    try {
      return await options.create();
    } catch (err) {
      if (!isTransient(err) || attempt >= attempts) throw err;
      options.logger.warn(
        `Creating ${options.what} failed (${messageOf(
          err,
        )}); looking it up before trying again (${attempt}/${attempts})`,
      );
      await sleep(delayMs(attempt));
      const found = await options.find();
      if (found !== undefined) {
        options.logger.info(
          `${options.what} was created by the attempt whose response was lost`,
        );
        return found;
      }
    }
  }
}

/**
 * Finds a resource or creates it, at most once per task:
 * - the look-up (by name or idempotency tag) runs first, so a retried task reuses what an earlier attempt made;
 * - the create runs inside `ctx.checkpoint`, under a key carrying the identity of what is created;
 * - a checkpoint replayed for a resource that is gone (removed by the cleanup of a failed attempt) is not
 *   trusted: the resource is created again.
 * `created` says whether this step created it (and so may remove it if a later part of the step fails).
 */
export async function ensureResource<T extends Recorded>(
  ctx: EnsureContext,
  options: {
    what: string;
    checkpointKey: string;
    find: () => Promise<T | undefined>;
    create: () => Promise<T>;
    /** Reads a recorded resource by its id; undefined when it no longer exists. */
    get: (recorded: T) => Promise<T | undefined>;
    delayMs?: (attempt: number) => number;
  },
): Promise<{ value: T; created: boolean }> {
  const existing = await options.find();
  if (existing !== undefined) {
    ctx.logger.info(`Found ${options.what}; reusing it`);
    return { value: existing, created: false };
  }
  const create = () =>
    createWithLookup({
      what: options.what,
      logger: ctx.logger,
      create: options.create,
      find: options.find,
      delayMs: options.delayMs,
    });
  let ran = false;
  const recorded = await ctx.checkpoint({
    key: options.checkpointKey,
    fn: async () => {
      ran = true;
      return await create();
    },
  });
  if (ran) {
    ctx.logger.info(`Created ${options.what}`);
    return { value: recorded, created: true };
  }
  const still = await options.get(recorded);
  if (still !== undefined) return { value: still, created: true };
  ctx.logger.info(
    `${options.what} recorded by an earlier attempt of this task no longer exists; creating it again`,
  );
  return { value: await create(), created: true };
}
