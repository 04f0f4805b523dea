// How a declared subscription and a record on the account are told to be the same webhook
// (CONTRACT §2). The plan, the loader's repeat check, the create guard and import all use it.
import { comparableUrl } from './url.js';

/** The matching key: the event and the WHATWG-parsed URL, nothing else normalised. */
export function subscriptionKey(event: string, url: string): string {
  return `${event} ${comparableUrl(url)}`;
}

/**
 * The create guard's looser key: the matching key that also ignores a trailing slash, the
 * percent-encoding of unreserved characters and the case of the path. An API that stores
 * another spelling than it was sent would otherwise get a new record on every run; the plan
 * itself keeps the exact rule above (CONTRACT §2).
 */
export function spellingKey(event: string, url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${event} ${url}`;
  }
  const decodeUnreserved = (text: string) =>
    text.replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => {
      const c = String.fromCharCode(parseInt(hex, 16));
      return /[A-Za-z0-9\-._~]/.test(c) ? c : escape.toUpperCase();
    });
  const path = decodeUnreserved(parsed.pathname).toLowerCase().replace(/\/+$/, '');
  const userinfo = parsed.username ? `${parsed.username}:${parsed.password}@` : '';
  return `${event} ${parsed.protocol}//${userinfo}${parsed.host}${path}${decodeUnreserved(parsed.search)}`;
}

/** The record that differs from a declared subscription only as `spellingKey` forgives. */
export function sameButSpelling<R extends { type: string; url: string }>(
  subscription: { event: string; url: string },
  records: readonly R[],
): R | undefined {
  const key = spellingKey(subscription.event, subscription.url);
  return records.find((r) => spellingKey(r.type, r.url) === key);
}
