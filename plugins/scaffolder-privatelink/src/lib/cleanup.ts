import { LoggerService } from '@backstage/backend-plugin-api';
import { messageOf } from './errors';

/**
 * Undo steps for what an action created in this run, run in reverse order when a later step fails, so that a
 * failure half-way leaves no orphan. What was found (not created) is never undone.
 */
export class Cleanup {
  readonly #logger: LoggerService;
  readonly #steps: Array<{ what: string; undo: () => Promise<unknown> }> = [];

  constructor(logger: LoggerService) {
    this.#logger = logger;
  }

  /** Registers how to remove something this run has just created or changed. */
  add(what: string, undo: () => Promise<unknown>): void {
    this.#steps.push({ what, undo });
  }

  /** Runs `body`; if it throws, undoes what was registered (newest first) and rethrows the original error. */
  async run<T>(body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (err) {
      await this.#undoAll(err);
      throw err;
    }
  }

  async #undoAll(cause: unknown): Promise<void> {
    if (this.#steps.length === 0) return;
    this.#logger.warn(
      `Failed (${messageOf(cause)}); removing what this step created`,
    );
    for (const { what, undo } of this.#steps.reverse()) {
      try {
        await undo();
        this.#logger.info(`Removed ${what}`);
      } catch (err) {
        // Keep going: the other resources can still be removed. Name what is left so a person can act.
        this.#logger.error(
          `Could not remove ${what}: ${messageOf(err)}. Remove it by hand.`,
        );
      }
    }
    this.#steps.length = 0;
  }
}
