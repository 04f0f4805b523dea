import { inScope, WHOLE_ACCOUNT, type Scope } from './config/scope.js';
import type { Subscription } from './config/types.js';
import type { RemoteWebhook } from './mkp/types.js';
import { normalizeUrl, redactUrl, shownUrl } from './url.js';

/**
 * What the account needs to match the file (CONTRACT §2). Pure data: the summary, the PR
 * comment, the outputs and apply all work from the same Plan.
 */
export interface Plan {
  /** Declared, not on the account: apply creates these. */
  create: Subscription[];
  /** Declared and present; `remote` is the record whose secret is delivered. */
  unchanged: Array<{ subscription: Subscription; remote: RemoteWebhook }>;
  /** On the account, not declared: reported, never touched (the API cannot delete). */
  unmanaged: RemoteWebhook[];
  /** Every record of each group of records sharing one (type, url), in account order. */
  duplicates: RemoteWebhook[];
  /** Out of the file's scope (outside `owns`, or matched by `ignore`): someone else's business. */
  ignored: RemoteWebhook[];
}

/** The matching key: the event and the WHATWG-parsed URL, nothing else normalised. */
export function subscriptionKey(event: string, url: string): string {
  let href: string;
  try {
    href = normalizeUrl(url);
  } catch {
    href = url; // a remote URL we cannot parse matches nothing declared
  }
  return `${event} ${href}`;
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

/** Records that differ from a declared subscription only as `spellingKey` forgives. */
export function sameButSpelling(
  subscription: Subscription,
  records: readonly RemoteWebhook[],
): RemoteWebhook | undefined {
  const key = spellingKey(subscription.event, subscription.url);
  return records.find((r) => spellingKey(r.type, r.url) === key);
}

export function makePlan(
  desired: readonly Subscription[],
  listed: readonly RemoteWebhook[],
  scope: Scope = WHOLE_ACCOUNT,
): Plan {
  // Records outside the scope take no further part: not unmanaged, not duplicates, not matched.
  const ignored: RemoteWebhook[] = [];
  const remote: RemoteWebhook[] = [];
  for (const record of listed) {
    if (inScope(scope, record.type, record.url)) remote.push(record);
    else ignored.push(record);
  }
  const byKey = new Map<string, RemoteWebhook[]>();
  for (const record of remote) {
    const key = subscriptionKey(record.type, record.url);
    const group = byKey.get(key);
    if (group) group.push(record);
    else byKey.set(key, [record]);
  }

  const plan: Plan = { create: [], unchanged: [], unmanaged: [], duplicates: [], ignored };
  const declared = new Set<string>();
  for (const subscription of desired) {
    const key = subscriptionKey(subscription.event, subscription.url);
    declared.add(key);
    const group = byKey.get(key);
    if (group) plan.unchanged.push({ subscription, remote: group[0]! });
    else plan.create.push(subscription);
  }
  for (const record of remote) {
    const key = subscriptionKey(record.type, record.url);
    if (!declared.has(key)) plan.unmanaged.push(record);
    if (byKey.get(key)!.length > 1) plan.duplicates.push(record);
  }
  return plan;
}

/** True when the account did not match the file: anything to create, or unmanaged records. */
export function hasDrift(plan: Plan): boolean {
  return plan.create.length > 0 || plan.unmanaged.length > 0;
}

/**
 * How a record's URL is shown to people: as the declared subscription it matches shows it (the
 * `${VAR}` form when it has one), else redacted.
 */
export function shownRecordUrl(record: RemoteWebhook, declared: readonly Subscription[]): string {
  const key = subscriptionKey(record.type, record.url);
  const match = declared.find((s) => subscriptionKey(s.event, s.url) === key);
  return match ? shownUrl(match) : redactUrl(record.url);
}
