// The "This pull request" part of the job summary and PR comment (CONTRACT §2): what the pull
// request changes leads, what was already pending on the base branch follows, folded.
import type { Subscription } from '../config/types.js';
import type { RemoteWebhook } from '../mkp/types.js';
import { subscriptionKey } from '../matching.js';
import type { Plan } from '../plan.js';
import type { PullRequestBase, PullRequestChanges } from '../pull-request.js';
import { redactUrl, shownUrl } from '../url.js';
import { plural } from '../text/words.js';
import { cell, code } from './markdown.js';

export interface PullRequestReport {
  base: PullRequestBase;
  /** Undefined when the base could not be read. */
  changes?: PullRequestChanges;
}

/** A long list shows this many items and counts the rest; the job summary stays readable. */
const SHOWN_ITEMS = 40;

/** The lines that lead the report on a pull request; `plan` is the head file's plan. */
export function pullRequestSection(
  report: PullRequestReport,
  path: string,
  plan: Plan | undefined,
  heading: string,
): string[] {
  const { base, changes } = report;
  if (base.state === 'unreadable' || !changes) {
    const reason = base.state === 'unreadable' ? base.reason : 'unknown';
    return [
      `> **Note:** the base branch's ${code(path)} (${code(base.ref)}) could not be read: ${cell(reason)}. This is the whole plan, not only what this pull request changes.`,
      '',
    ];
  }
  const sub = heading === '##' ? '###' : '####';
  const lines = [`${sub} This pull request`, ''];
  if (base.state === 'new') {
    lines.push(
      `${code(path)} is new in this pull request: everything it declares comes from it.`,
      '',
    );
  }
  if (!plan) {
    lines.push(
      `Without an \`api-token\` the account was not read: this compares the file with its version on ${code(changes.base)}.`,
      '',
    );
  }

  const created = new Set((plan?.create ?? []).map(keyOf));
  const items: string[] = [];
  for (const s of changes.adds) {
    const what = !plan
      ? 'added'
      : created.has(keyOf(s))
        ? 'created on merge'
        : 'already on the account; its secret is delivered on merge';
    items.push(`- ➕ adds ${pair(s)} as ${code(s.secretName)}: ${what}`);
  }
  const basePending = new Set((changes.basePlan?.create ?? []).map(keyOf));
  const ignoredNow = new Set((plan?.ignored ?? []).map((r) => r.id));
  const baseRecord = new Map(
    (changes.basePlan?.unchanged ?? []).map(({ subscription, remote }) => [
      keyOf(subscription),
      remote,
    ]),
  );
  for (const s of changes.removes) {
    const record = baseRecord.get(keyOf(s));
    const what =
      changes.basePlan && basePending.has(keyOf(s))
        ? 'it was never created, so nothing stays behind'
        : record && ignoredNow.has(record.id)
          ? "the API cannot delete: the record stays on the account, now outside this file's scope"
          : 'the API cannot delete: the record stays on the account as unmanaged; remove it in the manage portal';
    items.push(`- ➖ removes ${pair(s)}: ${what}`);
  }
  for (const { subscription: s, from } of changes.renames) {
    items.push(
      `- ✏️ renames the secret of ${pair(s)} from ${code(from)} to ${code(s.secretName)}: the new name is written on the next apply, the old secret stays where it was`,
    );
  }
  for (const { key, pattern, change } of changes.scopeEdits) {
    items.push(`- 🔭 ${change === 'added' ? 'adds' : 'removes'} ${code(pattern)} in \`${key}\``);
  }
  if (changes.movedOut.length > 0) {
    items.push(
      `- 🔭 moves ${plural(changes.movedOut.length, 'record')} out of this file's scope: ${ids(changes.movedOut)}`,
    );
  }
  if (changes.movedIn.length > 0) {
    items.push(
      `- 🔭 moves ${plural(changes.movedIn.length, 'record')} into this file's scope: ${ids(changes.movedIn)}`,
    );
  }
  lines.push(...(items.length > 0 ? capped(items) : ['_No change to the declared webhooks._']), '');

  const pending = pendingOnBase(changes, plan);
  if (pending.length > 0) {
    lines.push(
      '<details>',
      `<summary>Already pending on ${htmlCode(changes.base)}, not from this PR (${pending.length})</summary>`,
      '',
      ...capped(pending),
      '',
      '</details>',
      '',
    );
  }
  return lines;
}

/** What the base file would create that the head keeps, and the base's unmanaged records. */
function pendingOnBase(changes: PullRequestChanges, plan: Plan | undefined): string[] {
  const basePlan = changes.basePlan;
  if (!basePlan || !plan) return [];
  const stillCreated = new Set(plan.create.map(keyOf));
  const stillUnmanaged = new Set(plan.unmanaged.map((r) => r.id));
  return [
    ...basePlan.create
      .filter((s) => stillCreated.has(keyOf(s)))
      .map(
        (s) =>
          `- ➕ ${pair(s)} as ${code(s.secretName)}: declared on the base branch, not on the account yet`,
      ),
    ...basePlan.unmanaged
      .filter((r) => stillUnmanaged.has(r.id))
      .map(
        (r) =>
          `- ⚠️ ${code(r.id)} ${code(r.type)} → ${code(redactUrl(r.url))}: on the account, not declared`,
      ),
  ];
}

function capped(items: string[]): string[] {
  if (items.length <= SHOWN_ITEMS) return items;
  return [
    ...items.slice(0, SHOWN_ITEMS),
    `- _and ${items.length - SHOWN_ITEMS} more; the table below has every subscription_`,
  ];
}

function pair(s: Subscription): string {
  return `${code(s.event)} → ${code(shownUrl(s))}`;
}

function ids(records: readonly RemoteWebhook[]): string {
  const shown = records.slice(0, 10).map((r) => code(r.id));
  return records.length > 10
    ? `${shown.join(', ')} and ${records.length - 10} more`
    : shown.join(', ');
}

function keyOf(s: Subscription): string {
  return subscriptionKey(s.event, s.url);
}

/** Inline code inside HTML (a <summary>), where markdown backticks do not render. */
function htmlCode(text: string): string {
  return `<code>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</code>`;
}
