// Pacing for one API token: at most `concurrency` calls in flight, never more than the rate
// budget in any rolling window, and a single call at a time once the API says the budget is
// spent (that call learns the wait from a 429). The budget is the documented 60 a minute until
// the API's X-RateLimit-Limit says otherwise.

export interface RateBudget {
  limit: number;
  windowMs: number;
}

export const DOCUMENTED_BUDGET: RateBudget = { limit: 60, windowMs: 60_000 };

interface Waiter {
  resolve: () => void;
}

/** What `acquire` rejects with when its signal aborts first: the call was never let through. */
export class GateClosed extends Error {
  constructor() {
    super('the call was not sent: its run was cancelled');
    this.name = 'GateClosed';
  }
}

export class RateGate {
  private limit: number;
  private readonly windowMs: number;
  private inFlight = 0;
  /** When each completed call leaves the window; a call counts from send until response + window. */
  private releases: number[] = [];
  /** Calls the API says are left, minus calls sent since; undefined when it does not say. */
  private remaining: number | undefined;
  /** Until the first answer, nothing is known of the budget: one call at a time. */
  private firstAnswer = true;
  private pausedUntil = 0;
  private readonly waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    budget: RateBudget = DOCUMENTED_BUDGET,
    private readonly concurrency = 8,
    private readonly now: () => number = Date.now,
  ) {
    this.limit = budget.limit;
    this.windowMs = budget.windowMs;
  }

  /**
   * Resolves when one more call may be sent; pair every acquire that resolves with one release.
   * Once `signal` aborts, a call still waiting is not let through (GateClosed).
   */
  acquire(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new GateClosed());
      const stopWaiting = () => {
        const at = this.waiters.indexOf(waiter);
        if (at !== -1) this.waiters.splice(at, 1);
        reject(new GateClosed());
      };
      const waiter: Waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', stopWaiting);
          resolve();
        },
      };
      signal?.addEventListener('abort', stopWaiting, { once: true });
      this.waiters.push(waiter);
      this.pump();
    });
  }

  /** Records the end of a call, with the rate headers of its response when there was one. */
  release(headers?: Headers): void {
    this.inFlight--;
    this.releases.push(this.now() + this.windowMs);
    if (headers) {
      this.firstAnswer = false;
      this.learn(headers);
    }
    this.pump();
  }

  /** The API refused a call (429): send nothing before `until`, then probe with one call. */
  pause(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
    this.remaining = 0;
    this.pump();
  }

  private learn(headers: Headers): void {
    const limit = intHeader(headers, 'x-ratelimit-limit');
    if (limit !== undefined && limit > 0) this.limit = limit;
    const remaining = intHeader(headers, 'x-ratelimit-remaining');
    // Calls still in flight may not be counted in this snapshot yet: assume they are not.
    if (remaining !== undefined) this.remaining = remaining - this.inFlight;
  }

  private pump(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.waiters.length > 0) {
      const wait = this.waitBeforeNext();
      if (wait === 'busy') return; // a release will pump again
      if (wait > 0) {
        this.timer = setTimeout(() => this.pump(), wait);
        return;
      }
      this.inFlight++;
      if (this.remaining !== undefined) this.remaining--;
      this.waiters.shift()!.resolve();
    }
  }

  /** 0 when a call may go now, ms to wait for the window, or 'busy' until a call ends. */
  private waitBeforeNext(): number | 'busy' {
    const now = this.now();
    if (now < this.pausedUntil) return this.pausedUntil - now;
    this.releases = this.releases.filter((t) => t > now);
    const spent = this.firstAnswer || (this.remaining !== undefined && this.remaining <= 0);
    const cap = spent ? 1 : this.concurrency;
    if (this.inFlight >= cap) return 'busy';
    if (this.inFlight + this.releases.length < this.limit) return 0;
    if (this.releases.length === 0) return 'busy';
    return this.releases[0]! - now; // pushed in time order: the first leaves first
  }
}

function intHeader(headers: Headers, name: string): number | undefined {
  const value = headers.get(name);
  if (value === null || !/^\s*-?\d+\s*$/.test(value)) return undefined;
  return Number.parseInt(value, 10);
}
