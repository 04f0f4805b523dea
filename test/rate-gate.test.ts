import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { GateClosed, RateGate } from '../src/mkp/rate-gate.js';

/** Pacing logic on a fake clock: what may go when, never how fast anything runs. */
describe('RateGate', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  const headers = (limit: number, remaining: number) =>
    new Headers({ 'x-ratelimit-limit': String(limit), 'x-ratelimit-remaining': String(remaining) });

  /** Starts n acquisitions and reports how many have been granted so far. */
  function start(gate: RateGate, n: number) {
    const granted: number[] = [];
    for (let i = 0; i < n; i++) void gate.acquire().then(() => granted.push(Date.now()));
    return granted;
  }

  /** One answered call (without rate headers), so the gate has heard from the API. */
  async function firstAnswer(gate: RateGate) {
    await gate.acquire();
    gate.release(new Headers());
  }

  it('sends one call at a time until the first answer says what the budget is', async () => {
    const gate = new RateGate({ limit: 100, windowMs: 60_000 }, 8);
    const granted = start(gate, 3);
    await jest.advanceTimersByTimeAsync(0);
    expect(granted).toHaveLength(1);
    gate.release(); // a network error tells nothing
    await jest.advanceTimersByTimeAsync(0);
    expect(granted).toHaveLength(2);
    gate.release(headers(100, 98));
    await jest.advanceTimersByTimeAsync(0);
    expect(granted).toHaveLength(3);
  });

  it('keeps at most `concurrency` calls in flight', async () => {
    const gate = new RateGate({ limit: 100, windowMs: 60_000 }, 3);
    await firstAnswer(gate);
    const granted = start(gate, 5);
    await jest.advanceTimersByTimeAsync(0);
    expect(granted).toHaveLength(3);
    gate.release();
    await jest.advanceTimersByTimeAsync(0);
    expect(granted).toHaveLength(4);
  });

  it('never lets more calls than the budget into one rolling window', async () => {
    const gate = new RateGate({ limit: 5, windowMs: 3_000 }, 10);
    await firstAnswer(gate);
    const granted = start(gate, 10);
    await jest.advanceTimersByTimeAsync(0);
    expect(granted).toHaveLength(4);
    for (let i = 0; i < 4; i++) gate.release();
    await jest.advanceTimersByTimeAsync(2_999);
    expect(granted).toHaveLength(4);
    await jest.advanceTimersByTimeAsync(1);
    expect(granted).toHaveLength(9);
    // Within any 3 s span, at most 5 grants, counting the first call.
    const all = [1_000_000, ...granted];
    for (const t of all) {
      expect(all.filter((u) => u >= t && u < t + 3_000).length).toBeLessThanOrEqual(5);
    }
  });

  it('learns the budget from X-RateLimit-Limit', async () => {
    const gate = new RateGate({ limit: 60, windowMs: 1_000 }, 10);
    await gate.acquire();
    gate.release(headers(2, 1));
    const granted = start(gate, 3);
    await jest.advanceTimersByTimeAsync(0);
    expect(granted).toHaveLength(1);
  });

  it('drops to a single call when the API says the budget is spent', async () => {
    const gate = new RateGate({ limit: 60, windowMs: 60_000 }, 8);
    await gate.acquire();
    gate.release(headers(60, 0)); // someone else spent the budget
    const granted = start(gate, 3);
    await jest.advanceTimersByTimeAsync(0);
    expect(granted).toHaveLength(1);
    gate.release(headers(60, 5)); // the probe learned there is room again
    await jest.advanceTimersByTimeAsync(0);
    expect(granted).toHaveLength(3);
  });

  it('lets no waiting call through once its run is cancelled; the others keep their turn', async () => {
    const gate = new RateGate({ limit: 60, windowMs: 60_000 }, 1);
    await firstAnswer(gate);
    await gate.acquire(); // the one call in flight
    const controller = new AbortController();
    const cancelled = gate.acquire(controller.signal);
    const other = start(gate, 1);
    controller.abort('SIGINT');
    await expect(cancelled).rejects.toBeInstanceOf(GateClosed);
    gate.release();
    await jest.advanceTimersByTimeAsync(0);
    expect(other).toHaveLength(1);
    await expect(gate.acquire(controller.signal)).rejects.toBeInstanceOf(GateClosed);
  });

  it('sends nothing during a pause, then one probe', async () => {
    const gate = new RateGate({ limit: 60, windowMs: 60_000 }, 8);
    await firstAnswer(gate);
    gate.pause(Date.now() + 2_000);
    const granted = start(gate, 3);
    await jest.advanceTimersByTimeAsync(1_999);
    expect(granted).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(granted).toHaveLength(1);
  });
});
