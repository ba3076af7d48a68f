/**
 * A client-side token bucket in front of EC2's own: EC2 meters Describe* calls per account and region with a
 * bucket of 100 tokens refilled at 20 per second. Pacing the sync to that bucket means it runs at the bound
 * without drawing throttling errors; the SDK's adaptive retry stays behind it for the calls that other tools
 * in the same account make.
 */
export class TokenBucket {
  readonly #capacity: number;
  readonly #perSecond: number;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;
  #waiters: Array<() => void> = [];
  #timer?: ReturnType<typeof setTimeout>;

  constructor(options: { capacity: number; perSecond: number; now?: () => number }) {
    this.#capacity = options.capacity;
    this.#perSecond = options.perSecond;
    this.#now = options.now ?? (() => performance.now());
    this.#tokens = options.capacity;
    this.#updatedAt = this.#now();
  }

  /** Resolves when a token is available, in the order the callers asked. */
  take(): Promise<void> {
    this.#refill();
    if (this.#waiters.length === 0 && this.#tokens >= 1) {
      this.#tokens -= 1;
      return Promise.resolve();
    }
    return new Promise(resolve => {
      this.#waiters.push(resolve);
      this.#schedule();
    });
  }

  #refill() {
    const now = this.#now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + ((now - this.#updatedAt) / 1000) * this.#perSecond);
    this.#updatedAt = now;
  }

  #schedule() {
    if (this.#timer) return;
    const wait = Math.max(0, ((1 - this.#tokens) / this.#perSecond) * 1000);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#refill();
      while (this.#waiters.length > 0 && this.#tokens >= 1) {
        this.#tokens -= 1;
        this.#waiters.shift()!();
      }
      if (this.#waiters.length > 0) this.#schedule();
    }, wait);
    // Never keep the process alive just to pace calls nobody awaits any more.
    this.#timer.unref?.();
  }
}
