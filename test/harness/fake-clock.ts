import type { Clock } from '../../src/clock.js';

/**
 * A clock for rate-limit waits without real sleeping. Each sleep is recorded; by default it
 * ends at once and moves the time on. Held, sleeps wait until `release()`, so a test can see
 * who waits at a closed gate (`whenSleeping`) before anything more is sent.
 */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  held = false;
  private pending: Array<{ until: number; resolve: () => void }> = [];
  private watchers: Array<{ count: number; resolve: () => void }> = [];

  constructor(public time: number) {}

  now(): number {
    return this.time;
  }

  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    const until = this.time + ms;
    if (!this.held) {
      this.time = Math.max(this.time, until);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.pending.push({ until, resolve });
      for (const watcher of this.watchers.filter((w) => this.pending.length >= w.count)) {
        watcher.resolve();
      }
    });
  }

  /** Resolves once `count` sleeps are waiting. */
  whenSleeping(count: number): Promise<void> {
    if (this.pending.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.watchers.push({ count, resolve }));
  }

  /** Ends every waiting sleep (the time moves to the latest of their ends) and stops holding. */
  release(): void {
    this.held = false;
    const waiting = this.pending;
    this.pending = [];
    this.time = Math.max(this.time, ...waiting.map((w) => w.until));
    for (const w of waiting) w.resolve();
  }
}
