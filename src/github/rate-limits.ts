// GitHub's rate limits, as its REST documentation says to handle them ("Rate limits for the
// REST API"): a 403 or 429 is a primary limit when x-ratelimit-remaining is 0, a secondary one
// when its message says so (in today's wording or the older "abuse detection" one, which older
// GitHub Enterprise Server versions still send). Wait as retry-after says (seconds or an HTTP
// date), else until x-ratelimit-reset, else a minute; and send nothing meanwhile. One gate per
// client holds every call while a limit is in force, and a wait past the bound is not waited.
import type { Clock } from '../clock.js';
import { GitHubRefusal } from './wire.js';

/** Waits one call may make before it fails: GitHub asks to stop after "a specific number". */
export const RATE_LIMIT_RETRIES = 2;
/** GitHub: without retry-after or a spent budget, "wait for at least one minute". */
const SECONDARY_FALLBACK_MS = 60_000;
/** Even `retry-after: 0` waits this long: an immediate retry would meet the same refusal. */
const MIN_WAIT_MS = 1_000;
const SECONDARY = /secondary rate limit|abuse detection mechanism/i;

export interface RateLimit {
  kind: 'primary' | 'secondary';
  /** When GitHub may be asked again (ms, the clock's time). */
  until: number;
  /** GitHub's status and message, for the sentence when it is not waited out. */
  said: string;
}

interface Answered {
  status?: unknown;
  message?: unknown;
  response?: { headers?: Record<string, unknown>; data?: unknown };
}

/** The rate limit an Octokit error reports, or undefined when it is not one. */
export function rateLimitOf(error: unknown, now: number): RateLimit | undefined {
  const { status, response } = (error ?? {}) as Answered;
  if ((status !== 403 && status !== 429) || !response) return undefined;
  const headers = response.headers ?? {};
  const data = response.data as { message?: unknown } | undefined;
  const message = typeof data?.message === 'string' ? data.message : '';
  const secondary = SECONDARY.test(message);
  const spent = String(headers['x-ratelimit-remaining'] ?? '').trim() === '0';
  if (!secondary && !spent && status !== 429) return undefined;
  const retryAfter = retryAfterMs(headers['retry-after'], now);
  const reset = Number(String(headers['x-ratelimit-reset'] ?? '').trim());
  let until: number;
  if (retryAfter !== undefined) until = now + retryAfter;
  // One second past the reset, so that the next call comes after it.
  else if (spent && /^\d+$/.test(String(headers['x-ratelimit-reset']).trim())) {
    until = reset * 1000 + 1000;
  } else until = now + SECONDARY_FALLBACK_MS;
  return {
    // A 429 that names neither is taken for a secondary limit: the budget is not spent.
    kind: spent && !secondary ? 'primary' : 'secondary',
    until: Math.max(until, now + MIN_WAIT_MS),
    said: `GitHub answered ${status}${message ? `: ${message.trim().slice(0, 200)}` : ''}`,
  };
}

/** retry-after in whole seconds or as an HTTP date, as ms from now; undefined when absent. */
function retryAfterMs(value: unknown, now: number): number | undefined {
  const text = typeof value === 'string' ? value.trim() : '';
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (/[a-z]/i.test(text)) {
    const at = Date.parse(text);
    if (!Number.isNaN(at)) return at - now;
  }
  return undefined;
}

/** A call that GitHub's rate limit keeps from being made or retried; the message says until when. */
export class GitHubRateLimited extends GitHubRefusal {
  constructor(message: string) {
    super(message);
    this.name = 'GitHubRateLimited';
  }
}

export interface RateLimitOptions {
  clock: Clock;
  /** The longest this client waits for rate limits, in all. */
  maxWaitMs: number;
  /** Told about each wait, so the log says why the run is quiet. */
  onWait: (message: string) => void;
}

/**
 * The gate of one client: closed while a rate limit is in force, so that every call waits, not
 * just the one that met it. A limit that ends beyond the bound closes it for good: no call is
 * sent until then, and each fails naming the time.
 */
export class RateLimitGate {
  private until = 0;
  private refused: RateLimit | undefined;
  private waited = 0;

  constructor(private readonly options: RateLimitOptions) {}

  /** Resolves when calls may be sent; throws when a limit beyond the bound is in force. */
  async clear(): Promise<void> {
    const { clock } = this.options;
    for (let now = clock.now(); ; now = clock.now()) {
      if (this.refused && this.refused.until > now) {
        throw new GitHubRateLimited(
          `not sent: GitHub's ${this.refused.kind} rate limit holds until ${clockTime(this.refused.until)}`,
        );
      }
      if (this.until <= now) return;
      await clock.sleep(this.until - now);
    }
  }

  /**
   * A call met `limit` after `retries` waits: closes the gate until it ends and logs the wait,
   * or throws when the call may not wait (too many waits, or beyond the bound).
   */
  meet(limit: RateLimit, retries: number): void {
    const { clock, maxWaitMs, onWait } = this.options;
    const now = clock.now();
    const wait = limit.until - now;
    const extension = Math.max(0, limit.until - Math.max(this.until, now));
    if (wait > maxWaitMs || this.waited + extension > maxWaitMs) {
      this.refused = limit;
      throw new GitHubRateLimited(
        `${limit.said.replace(/\.?$/, '.')} The ${limit.kind} rate limit holds until ${clockTime(limit.until)}, ${duration(wait)} from now: longer than the ${duration(maxWaitMs)} a run waits for GitHub${this.waited > 0 ? ' in all' : ''}; not retried`,
      );
    }
    if (retries >= RATE_LIMIT_RETRIES) {
      throw new GitHubRateLimited(
        `${limit.said}; still rate limited (${limit.kind}) after ${RATE_LIMIT_RETRIES} waits; not retried`,
      );
    }
    if (extension === 0) return;
    this.until = limit.until;
    this.waited += extension;
    onWait(
      `GitHub asks to wait ${duration(wait)}, until ${clockTime(limit.until)} (${limit.kind} rate limit); GitHub calls pause until then`,
    );
  }
}

/** A time of day as the runner's log reads it: UTC, to the second. */
export function clockTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

function duration(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}
