// What a pull request changes (CONTRACT §2): the head file against the base branch's file, both
// planned against the one listing the run read. Pure: the Action shell reads the base file and
// hands it in with the run's result; each item comes with its verdict, for the report to show.
import type { Subscription, UrlPattern, WebhooksFile } from './config/types.js';
import type { RemoteWebhook } from './mkp/types.js';
import { subscriptionKey } from './matching.js';
import { makePlan, type Plan } from './plan.js';

/** The pull request a `pull_request` or `pull_request_target` run is for (CONTRACT §2). */
export interface PullRequestEvent {
  number: number | undefined;
  /** `pull_request.base.sha`: the commit the base file is read at. */
  baseSha: string | undefined;
  /** `pull_request.base.ref`: the base branch's name, as people know it. */
  baseRef: string | undefined;
  /** `pull_request.head.sha`: the commit the plan comment speaks for. */
  headSha?: string;
}

/** The base branch's side of a pull request, as far as it could be read. */
export type PullRequestBase =
  /** The file at the base commit, valid. */
  | { state: 'read'; ref: string; file: WebhooksFile }
  /** The base commit has no such file: the pull request adds it. */
  | { state: 'new'; ref: string }
  /** Not readable (no token, no permission, an invalid base file): `reason` says why. */
  | { state: 'unreadable'; ref: string; reason: string };

/**
 * What merging does to a subscription the pull request adds: it is created on merge, or is
 * already on the account (its secret is delivered on merge); unknown when the account was not
 * read.
 */
export type AddVerdict = 'created-on-merge' | 'already-present' | 'unchecked';

/**
 * What becomes of a subscription the pull request removes: it was never created, so nothing
 * stays; or the API cannot delete, and its record stays on the account as unmanaged, or leaves
 * the file's scope. Unknown when the account was not read.
 */
export type RemoveVerdict = 'never-created' | 'stays-unmanaged' | 'leaves-scope' | 'unchecked';

/** One thing the pull request changes, in the order the report lists them. */
export type PullRequestItem =
  | { change: 'add'; subscription: Subscription; verdict: AddVerdict }
  | { change: 'remove'; subscription: Subscription; verdict: RemoveVerdict }
  /** The secret name changes; `from` is the base's name, where the old secret stays. */
  | { change: 'rename'; subscription: Subscription; from: string }
  /** An `owns` or `ignore` pattern added or taken out, as written. */
  | { change: 'scope'; key: 'owns' | 'ignore'; pattern: string; edit: 'added' | 'removed' }
  /** Records that the scope change moves out of or into this file's business. */
  | { change: 'moves'; direction: 'out' | 'in'; records: RemoteWebhook[] };

/** What was already pending on the base branch and the pull request keeps. */
export type PendingItem =
  /** Declared on the base branch, not on the account yet. */
  | { pending: 'create'; subscription: Subscription }
  /** On the account, declared by neither. */
  | { pending: 'unmanaged'; record: RemoteWebhook };

export type PullRequestChanges =
  /** The base could not be read: the report is the whole plan, with `reason` said once. */
  | { base: 'unreadable'; ref: string; reason: string }
  | {
      /** `new`: the pull request adds the file, so everything in it comes from it. */
      base: 'read' | 'new';
      /** The base branch's name (or its commit), as people know it. */
      ref: string;
      /** False without an api-token: a diff of the two files, no verdicts. */
      accountRead: boolean;
      items: PullRequestItem[];
      pending: PendingItem[];
    };

/**
 * The pull request's changes: the head and the base file planned against `listing` (undefined
 * when the account was not read), each change with its verdict.
 */
export function pullRequestChanges(
  head: WebhooksFile,
  base: PullRequestBase,
  listing: readonly RemoteWebhook[] | undefined,
): PullRequestChanges {
  if (base.state === 'unreadable')
    return { base: 'unreadable', ref: base.ref, reason: base.reason };
  const baseFile: WebhooksFile =
    base.state === 'read' ? base.file : { path: head.path, subscriptions: [] };
  const plans = listing && {
    head: makePlan(head.subscriptions, listing, head.scope),
    base: makePlan(baseFile.subscriptions, listing, baseFile.scope),
  };
  return {
    base: base.state,
    ref: base.ref,
    accountRead: plans !== undefined,
    items: [
      ...fileChanges(head, baseFile, plans),
      ...(base.state === 'read' ? scopeChanges(head, baseFile, plans) : []),
    ],
    pending: plans && base.state === 'read' ? pendingOnBase(plans) : [],
  };
}

type Plans = { head: Plan; base: Plan } | undefined;

/** Added, removed and renamed subscriptions, each with what merging does to it. */
function fileChanges(head: WebhooksFile, base: WebhooksFile, plans: Plans): PullRequestItem[] {
  const before = new Map(base.subscriptions.map((s) => [keyOf(s), s]));
  const after = new Set(head.subscriptions.map(keyOf));
  const adds = head.subscriptions
    .filter((s) => !before.has(keyOf(s)))
    .map((subscription): PullRequestItem => ({
      change: 'add',
      subscription,
      verdict: addVerdict(subscription, plans),
    }));
  const removes = base.subscriptions
    .filter((s) => !after.has(keyOf(s)))
    .map((subscription): PullRequestItem => ({
      change: 'remove',
      subscription,
      verdict: removeVerdict(subscription, plans),
    }));
  const renames = head.subscriptions.flatMap((subscription): PullRequestItem[] => {
    const old = before.get(keyOf(subscription));
    return old && old.secretName !== subscription.secretName
      ? [{ change: 'rename', subscription, from: old.secretName }]
      : [];
  });
  return [...adds, ...removes, ...renames];
}

function addVerdict(subscription: Subscription, plans: Plans): AddVerdict {
  if (!plans) return 'unchecked';
  return plans.head.create.includes(subscription) ? 'created-on-merge' : 'already-present';
}

function removeVerdict(subscription: Subscription, plans: Plans): RemoveVerdict {
  if (!plans) return 'unchecked';
  if (plans.base.create.includes(subscription)) return 'never-created';
  const record = plans.base.unchanged.find((u) => u.subscription === subscription)?.remote;
  return record && plans.head.ignored.includes(record) ? 'leaves-scope' : 'stays-unmanaged';
}

/** `owns` and `ignore` patterns added or taken out, and the records that moves in or out. */
function scopeChanges(head: WebhooksFile, base: WebhooksFile, plans: Plans): PullRequestItem[] {
  const owns = (file: WebhooksFile) => (file.scope?.owns ?? []).map((p: UrlPattern) => p.text);
  const ignore = (file: WebhooksFile) =>
    (file.scope?.ignore ?? []).map(
      (r) => `${r.pattern.text}${r.events ? ` (${r.events.join(', ')})` : ''}`,
    );
  const items = [
    ...patternEdits('owns', owns(base), owns(head)),
    ...patternEdits('ignore', ignore(base), ignore(head)),
  ];
  if (!plans) return items;
  const moved = (from: RemoteWebhook[], to: RemoteWebhook[]) => from.filter((r) => !to.includes(r));
  const out = moved(plans.head.ignored, plans.base.ignored);
  const into = moved(plans.base.ignored, plans.head.ignored);
  if (out.length > 0) items.push({ change: 'moves', direction: 'out', records: out });
  if (into.length > 0) items.push({ change: 'moves', direction: 'in', records: into });
  return items;
}

function patternEdits(
  key: 'owns' | 'ignore',
  before: string[],
  after: string[],
): PullRequestItem[] {
  return [
    ...after
      .filter((pattern) => !before.includes(pattern))
      .map((pattern): PullRequestItem => ({ change: 'scope', key, pattern, edit: 'added' })),
    ...before
      .filter((pattern) => !after.includes(pattern))
      .map((pattern): PullRequestItem => ({ change: 'scope', key, pattern, edit: 'removed' })),
  ];
}

/** What the base file would create that the head keeps, and the records neither declares. */
function pendingOnBase(plans: { head: Plan; base: Plan }): PendingItem[] {
  const stillCreated = new Set(plans.head.create.map(keyOf));
  return [
    ...plans.base.create
      .filter((s) => stillCreated.has(keyOf(s)))
      .map((subscription): PendingItem => ({ pending: 'create', subscription })),
    ...plans.base.unmanaged
      .filter((record) => plans.head.unmanaged.includes(record))
      .map((record): PendingItem => ({ pending: 'unmanaged', record })),
  ];
}

/** The one rule that tells a head subscription and a base one apart (CONTRACT §2's key). */
function keyOf(s: Subscription): string {
  return subscriptionKey(s.event, s.url);
}
