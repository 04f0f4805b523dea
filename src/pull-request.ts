// What a pull request changes (CONTRACT §2): the head file against the base branch's file, both
// planned against the same listing. Pure: the Action shell reads the base file and passes it in.
import type { UrlPattern } from './config/types.js';
import type { Subscription, WebhooksFile } from './config/types.js';
import type { RemoteWebhook } from './mkp/types.js';
import { subscriptionKey } from './matching.js';
import type { Plan } from './plan.js';

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

export interface Rename {
  subscription: Subscription;
  /** The secret name on the base branch; the secret stays there. */
  from: string;
}

export interface PullRequestChanges {
  /** The base branch's name (or its commit), as people know it. */
  base: string;
  adds: Subscription[];
  /** Base subscriptions the head no longer declares. */
  removes: Subscription[];
  renames: Rename[];
  /** `owns`/`ignore` patterns added or taken out, as written. */
  scopeEdits: Array<{ key: 'owns' | 'ignore'; pattern: string; change: 'added' | 'removed' }>;
  /** Records that the scope change moves into or out of this file's business (account read). */
  movedIn: RemoteWebhook[];
  movedOut: RemoteWebhook[];
  /** The base file's plan against the same listing; undefined when the account was not read. */
  basePlan: Plan | undefined;
}

/** The changes of a pull request whose base could be read; a new file adds everything. */
export function pullRequestChanges(
  head: WebhooksFile,
  base: Extract<PullRequestBase, { state: 'read' | 'new' }>,
  plans: { head?: Plan; base?: Plan } = {},
): PullRequestChanges {
  const baseFile: WebhooksFile =
    base.state === 'read' ? base.file : { path: head.path, subscriptions: [] };
  const keyOf = (s: Subscription) => subscriptionKey(s.event, s.url);
  const before = new Map(baseFile.subscriptions.map((s) => [keyOf(s), s]));
  const after = new Map(head.subscriptions.map((s) => [keyOf(s), s]));

  const changes: PullRequestChanges = {
    base: base.ref,
    adds: head.subscriptions.filter((s) => !before.has(keyOf(s))),
    removes: baseFile.subscriptions.filter((s) => !after.has(keyOf(s))),
    renames: [],
    scopeEdits: [],
    movedIn: [],
    movedOut: [],
    basePlan: base.state === 'read' ? plans.base : undefined,
  };
  for (const s of head.subscriptions) {
    const old = before.get(keyOf(s));
    if (old && old.secretName !== s.secretName) {
      changes.renames.push({ subscription: s, from: old.secretName });
    }
  }

  if (base.state === 'read') {
    const texts = (patterns: readonly UrlPattern[] | null | undefined) =>
      (patterns ?? []).map((p) => p.text);
    const ignoreTexts = (file: WebhooksFile) =>
      (file.scope?.ignore ?? []).map(
        (r) => `${r.pattern.text}${r.events ? ` (${r.events.join(', ')})` : ''}`,
      );
    edits(changes, 'owns', texts(baseFile.scope?.owns), texts(head.scope?.owns));
    edits(changes, 'ignore', ignoreTexts(baseFile), ignoreTexts(head));
    if (plans.head && plans.base) {
      const ids = (records: readonly RemoteWebhook[]) => new Set(records.map((r) => r.id));
      const wasIgnored = ids(plans.base.ignored);
      const isIgnored = ids(plans.head.ignored);
      changes.movedOut = plans.head.ignored.filter((r) => !wasIgnored.has(r.id));
      changes.movedIn = plans.base.ignored.filter((r) => !isIgnored.has(r.id));
    }
  }
  return changes;
}

function edits(
  changes: PullRequestChanges,
  key: 'owns' | 'ignore',
  before: string[],
  after: string[],
): void {
  for (const pattern of after) {
    if (!before.includes(pattern)) changes.scopeEdits.push({ key, pattern, change: 'added' });
  }
  for (const pattern of before) {
    if (!after.includes(pattern)) changes.scopeEdits.push({ key, pattern, change: 'removed' });
  }
}

/** How many items the "This pull request" part lists. */
export function changeCount(changes: PullRequestChanges): number {
  return (
    changes.adds.length +
    changes.removes.length +
    changes.renames.length +
    changes.scopeEdits.length
  );
}
