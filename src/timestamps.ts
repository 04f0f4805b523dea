// The one reading of the services' timestamps (a record's `createdAt`, a secret's
// `updated_at`), for the stale rule and the order of duplicate records. Pure: no clock.

/**
 * ISO 8601 / RFC 3339 and the SQL form (`2026-12-01 10:00:00`): a date, optionally a time with
 * seconds and a fraction, optionally an offset (`Z`, `+01:00`, `+0100`, `+01`).
 */
const ISO_LIKE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** A zone that another textual form states (an HTTP date's `GMT`, an offset at the end). */
const STATED_ZONE = /(?:\b(?:GMT|UTC|UT)|Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A timestamp as ms since the epoch, or NaN when it cannot be read. A time without an offset
 * is read as UTC, never in the runner's local zone: an API that sends local time then errs
 * toward "stale", which costs an extra write, never a missed one. Other forms are read only
 * when they state their zone.
 */
export function parseTimestamp(text: string | undefined): number {
  if (text === undefined) return NaN;
  const trimmed = text.trim();
  const match = ISO_LIKE.exec(trimmed);
  if (!match) return STATED_ZONE.test(trimmed) ? Date.parse(trimmed) : NaN;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone = 'Z'] = match;
  const parts = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [year, month, day, hour, minute, second] = parts;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return NaN;
  const ms = Math.floor(Number(`0.${fraction || '0'}`) * 1000);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // Date.UTC would read years 0-99 as 1900-1999
  date.setUTCHours(hour, minute, second, ms);
  // 31 February rolls over into March: such a date is not a date.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return NaN;
  return date.getTime() - offsetMinutes(zone) * 60_000;
}

/** `Z` -> 0; `+01:00`, `+0100`, `+01` -> 60; `-05:30` -> -330. */
function offsetMinutes(zone: string): number {
  if (/^z$/i.test(zone)) return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
}
