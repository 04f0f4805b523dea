// When a secret at a GitHub target belongs to an older webhook record: written before the
// record it is meant for was created (a re-create in the manage portal, or a write that failed
// after the create). Such a secret counts as missing (CONTRACT §4, "Nothing lost").
import { parseTimestamp } from '../timestamps.js';

/**
 * Slack for whole-second timestamps and for the time between the two answers whose Date
 * headers give the clock difference. A secret written within this margin before its record
 * was created is not judged stale; the margin is far shorter than a re-create by hand.
 */
export const CLOCK_MARGIN_MS = 5_000;

export interface Clocks {
  /** The secret target's clock (Date header, ms) when it listed its secrets. */
  target?: number;
  /** MijnKlantportaal's clock (Date header, ms) when it listed the webhooks. */
  account?: number;
}

/**
 * True when `updatedAt` (the target's clock) is earlier than `createdAt` (the account's clock).
 * The two services' clocks may differ: the difference is read from their Date headers, which
 * both answered at about the same moment, so a skew of any size costs no write. A misreading
 * beyond the margin costs one extra write at most: the rewrite is dated by the run that made
 * it, long after the record was created. Unknown or unreadable times, and a record dated
 * after the account's own clock, are never stale.
 */
export function isStale(
  updatedAt: string | undefined,
  createdAt: string | undefined,
  clocks: Clocks = {},
): boolean {
  const written = parseTimestamp(updatedAt);
  const created = parseTimestamp(createdAt);
  if (Number.isNaN(written) || Number.isNaN(created)) return false;
  // A record dated after the account's own clock cannot be judged: trusting it would rewrite
  // the secret on every run.
  if (clocks.account !== undefined && created > clocks.account + CLOCK_MARGIN_MS) return false;
  const skew =
    clocks.target !== undefined && clocks.account !== undefined
      ? clocks.target - clocks.account
      : 0;
  return written - skew + CLOCK_MARGIN_MS < created;
}

/** The reason for people, in the log and the summary. */
export const STALE_REASON = 'stale: written before the webhook was created';
