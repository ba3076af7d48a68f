/** Hands a granted token's place in the capacity back, once its request is known to have reached the server. */
export type TokenRelease = () => void;

/**
 * A client-side token bucket in front of EC2's own: EC2 meters Describe* calls per account and region with a
 * bucket of 100 tokens refilled at 20 per second. Pacing the sync to that bucket means it runs at the bound
 * without drawing throttling errors; the SDK's adaptive retry stays behind it for the calls that other tools
 * in the same account make.
 *
 * EC2 takes its token when a request arrives, this bucket when it grants one, earlier. In between, EC2's
 * bucket can still be full and lose refill that this one, below its capacity already, would count: this one
 * would then run ahead of EC2's and draw throttles later, when both run dry. So a granted token keeps its
 * place in the capacity until `release()` (the response has arrived, so the request has too): this bucket
 * never refills past what EC2's can hold, and needs no margin under EC2's capacity for it.
 */
export class TokenBucket {
  readonly #capacity: number;
  readonly #perSecond: number;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;
  /** Granted tokens not released yet: the bucket refills up to its capacity less these. */
  #unreleased = 0;
  #waiters: Array<(release: TokenRelease) => void> = [];
  #timer?: ReturnType<typeof setTimeout>;

  constructor(options: { capacity: number; perSecond: number; now?: () => number }) {
    this.#capacity = options.capacity;
    this.#perSecond = options.perSecond;
    this.#now = options.now ?? (() => performance.now());
    this.#tokens = options.capacity;
    this.#updatedAt = this.#now();
  }

  /**
   * Resolves when a token is available, in the order the callers asked, with the function that releases it
   * (calling that again does nothing).
   */
  take(): Promise<TokenRelease> {
    this.#refill();
    if (this.#waiters.length === 0 && this.#tokens >= 1) return Promise.resolve(this.#grant());
    return new Promise(resolve => {
      this.#waiters.push(resolve);
      this.#schedule();
    });
  }

  #grant(): TokenRelease {
    this.#tokens -= 1;
    this.#unreleased += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#refill();
      this.#unreleased -= 1;
      // The bucket may refill further now: a waiter can be due sooner than the pending timer assumed.
      if (this.#waiters.length > 0) {
        clearTimeout(this.#timer);
        this.#timer = undefined;
        this.#schedule();
      }
    };
  }

  #refill() {
    const now = this.#now();
    const room = this.#capacity - this.#unreleased;
    const refilled = this.#tokens + ((now - this.#updatedAt) / 1000) * this.#perSecond;
    this.#tokens = Math.max(this.#tokens, Math.min(room, refilled));
    this.#updatedAt = now;
  }

  #schedule() {
    if (this.#timer) return;
    // No room to refill into (the whole capacity granted and unreleased): the next release schedules.
    if (this.#capacity - this.#unreleased < 1) return;
    const wait = Math.max(0, ((1 - this.#tokens) / this.#perSecond) * 1000);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#refill();
      while (this.#waiters.length > 0 && this.#tokens >= 1) this.#waiters.shift()!(this.#grant());
      if (this.#waiters.length > 0) this.#schedule();
    }, wait);
    // Never keep the process alive just to pace calls nobody awaits any more.
    this.#timer.unref?.();
  }
}
