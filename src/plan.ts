import { inScope, WHOLE_ACCOUNT } from './config/scope.js';
import type { Scope, Subscription } from './config/types.js';
import type { RemoteWebhook } from './mkp/types.js';
import { subscriptionKey } from './matching.js';
import { parseTimestamp } from './timestamps.js';

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
  /**
   * Groups of records sharing one (type, url), the groups in the account order of their first
   * record. Each group starts with the record that is kept (`keptFirst`): the one a declaration
   * matches and whose secret is delivered; the others are to be removed in the portal.
   */
  duplicates: RemoteWebhook[][];
  /** Out of the file's scope (outside `owns`, or matched by `ignore`): someone else's business. */
  ignored: RemoteWebhook[];
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
  const byKey = groupByKey(remote);

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
    if (!declared.has(subscriptionKey(record.type, record.url))) plan.unmanaged.push(record);
  }
  plan.duplicates = duplicateGroups(byKey);
  return plan;
}

/** Records by matching key, each group kept record first (`keptFirst`). */
function groupByKey(records: readonly RemoteWebhook[]): Map<string, RemoteWebhook[]> {
  const byKey = new Map<string, RemoteWebhook[]>();
  for (const record of records) {
    const key = subscriptionKey(record.type, record.url);
    const group = byKey.get(key);
    if (group) group.push(record);
    else byKey.set(key, [record]);
  }
  for (const group of byKey.values()) group.sort(keptFirst);
  return byKey;
}

/**
 * The order of a duplicate group (CONTRACT §2), the same in every run whatever the API's order:
 * the oldest record first (earliest `createdAt`), then the lowest id as code-unit strings; a
 * record whose `createdAt` is absent or unreadable after those with one.
 */
export function keptFirst(a: RemoteWebhook, b: RemoteWebhook): number {
  const at = (r: RemoteWebhook) => {
    const ms = parseTimestamp(r.createdAt);
    return Number.isNaN(ms) ? Infinity : ms;
  };
  const [x, y] = [at(a), at(b)];
  if (x !== y) return x < y ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Groups of records that send one event to one URL more than once. */
export function duplicateGroups(
  records: readonly RemoteWebhook[] | ReadonlyMap<string, RemoteWebhook[]>,
): RemoteWebhook[][] {
  const byKey = records instanceof Map ? records : groupByKey(records as RemoteWebhook[]);
  return [...byKey.values()].filter((group) => group.length > 1);
}

/** True when the account did not match the file: anything to create, or unmanaged records. */
export function hasDrift(plan: Plan): boolean {
  return plan.create.length > 0 || plan.unmanaged.length > 0;
}
