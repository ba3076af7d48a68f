import { LoggerService } from '@backstage/backend-plugin-api';

/** What one poll found: done, still pending, or failed for good. */
export type PollOutcome<T> =
  | { status: 'done'; value: T }
  | { status: 'pending'; detail: string }
  | { status: 'failed'; reason: string };

/**
 * Polls `check` until it is done or failed, for at most `timeoutSeconds`, with growing delays and one progress
 * line per poll in the task log. Used where the SDK has no waiter (VPC endpoints).
 */
export async function pollUntil<T>(options: {
  what: string;
  logger: LoggerService;
  timeoutSeconds: number;
  check: () => Promise<PollOutcome<T>>;
  signal?: AbortSignal;
  minDelayMs?: number;
  maxDelayMs?: number;
}): Promise<T> {
  const started = Date.now();
  const deadline = started + options.timeoutSeconds * 1000;
  let delay = options.minDelayMs ?? 2000;
  const maxDelay = options.maxDelayMs ?? 15_000;
  for (;;) {
    const outcome = await options.check();
    const elapsed = Math.round((Date.now() - started) / 1000);
    if (outcome.status === 'done') return outcome.value;
    if (outcome.status === 'failed') {
      throw new Error(`${options.what} failed: ${outcome.reason}`);
    }
    options.logger.info(
      `Waiting for ${options.what}: ${outcome.detail} (${elapsed}s of at most ${options.timeoutSeconds}s)`,
    );
    if (Date.now() + delay > deadline) {
      throw new Error(
        `Timed out after ${options.timeoutSeconds}s waiting for ${options.what} (last seen: ${outcome.detail})`,
      );
    }
    await abortableSleep(delay, options.signal);
    delay = Math.min(maxDelay, delay * 2);
  }
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('The task was cancelled'));
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('The task was cancelled'));
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
