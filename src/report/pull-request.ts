// The "This pull request" part of the job summary and PR comment (CONTRACT §2): what the pull
// request changes leads, what was already pending on the base branch follows, folded. It maps
// over the changes and their verdicts (pull-request.ts); it works nothing out again.
import type { Subscription } from '../config/types.js';
import type { RemoteWebhook } from '../mkp/types.js';
import type {
  AddVerdict,
  PendingItem,
  PullRequestChanges,
  PullRequestItem,
  RemoveVerdict,
} from '../pull-request.js';
import { plural } from '../text/words.js';
import { redactUrl, shownUrl } from '../url.js';
import { cell, code } from './markdown.js';

/** A long list shows this many items and counts the rest; the job summary stays readable. */
const SHOWN_ITEMS = 40;

const ADDED: Record<AddVerdict, string> = {
  'created-on-merge': 'created on merge',
  'already-present': 'already on the account; its secret is delivered on merge',
  unchecked: 'added',
};

const STAYS_UNMANAGED =
  'the API cannot delete: the record stays on the account as unmanaged; remove it in the manage portal';

const REMOVED: Record<RemoveVerdict, string> = {
  'never-created': 'it was never created, so nothing stays behind',
  'leaves-scope':
    "the API cannot delete: the record stays on the account, now outside this file's scope",
  'stays-unmanaged': STAYS_UNMANAGED,
  // Without the account the record's fate is unknown; if it was created, it stays.
  unchecked: STAYS_UNMANAGED,
};

/** The lines that lead the report on a pull request. */
export function pullRequestSection(
  changes: PullRequestChanges,
  path: string,
  heading: string,
): string[] {
  if (changes.base === 'unreadable') {
    return [
      `> **Note:** the base branch's ${code(path)} (${code(changes.ref)}) could not be read: ${cell(changes.reason)}. This is the whole plan, not only what this pull request changes.`,
      '',
    ];
  }
  const lines = [`${heading === '##' ? '###' : '####'} This pull request`, ''];
  if (changes.base === 'new') {
    lines.push(
      `${code(path)} is new in this pull request: everything it declares comes from it.`,
      '',
    );
  }
  if (!changes.accountRead) {
    lines.push(
      `Without an \`api-token\` the account was not read: this compares the file with its version on ${code(changes.ref)}.`,
      '',
    );
  }
  const items = changes.items.map(item);
  lines.push(...(items.length > 0 ? capped(items) : ['_No change to the declared webhooks._']), '');
  if (changes.pending.length > 0) {
    lines.push(
      '<details>',
      `<summary>Already pending on ${htmlCode(changes.ref)}, not from this PR (${changes.pending.length})</summary>`,
      '',
      ...capped(changes.pending.map(pendingItem)),
      '',
      '</details>',
      '',
    );
  }
  return lines;
}

function item(change: PullRequestItem): string {
  switch (change.change) {
    case 'add': {
      const s = change.subscription;
      return `- ➕ adds ${pair(s)} as ${code(s.secretName)}: ${ADDED[change.verdict]}`;
    }
    case 'remove':
      return `- ➖ removes ${pair(change.subscription)}: ${REMOVED[change.verdict]}`;
    case 'rename':
      return `- ✏️ renames the secret of ${pair(change.subscription)} from ${code(change.from)} to ${code(change.subscription.secretName)}: the new name is written on the next apply, the old secret stays where it was`;
    case 'scope':
      return `- 🔭 ${change.edit === 'added' ? 'adds' : 'removes'} ${code(change.pattern)} in \`${change.key}\``;
    case 'moves':
      return `- 🔭 moves ${plural(change.records.length, 'record')} ${change.direction === 'out' ? 'out of' : 'into'} this file's scope: ${ids(change.records)}`;
  }
}

function pendingItem(item: PendingItem): string {
  if (item.pending === 'create') {
    const s = item.subscription;
    return `- ➕ ${pair(s)} as ${code(s.secretName)}: declared on the base branch, not on the account yet`;
  }
  const r = item.record;
  return `- ⚠️ ${code(r.id)} ${code(r.type)} → ${code(redactUrl(r.url))}: on the account, not declared`;
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

/** Inline code inside HTML (a <summary>), where markdown backticks do not render. */
function htmlCode(text: string): string {
  return `<code>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</code>`;
}
