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
import { fold, joinMarkdown, markup, type Markdown } from '../text/encoders.js';
import { code, joined, phrase } from '../text/phrase.js';
import { plural } from '../text/words.js';
import { shownRecordUrl, shownUrl, type DeclaredUrl } from '../url.js';

/** A long list shows this many items and counts the rest; the job summary stays readable. */
const SHOWN_ITEMS = 40;

const ADDED: Record<AddVerdict, Markdown> = {
  'created-on-merge': markup`created on merge`,
  'already-present': markup`already on the account; its secret is delivered on merge`,
  unchecked: markup`added`,
};

const STAYS_UNMANAGED = markup`the API cannot delete: the record stays on the account as unmanaged; remove it in the manage portal`;

const REMOVED: Record<RemoveVerdict, Markdown> = {
  'never-created': markup`it was never created, so nothing stays behind`,
  'leaves-scope': markup`the API cannot delete: the record stays on the account, now outside this file's scope`,
  'stays-unmanaged': STAYS_UNMANAGED,
  // Without the account the record's fate is unknown; if it was created, it stays.
  unchecked: STAYS_UNMANAGED,
};

/** The subscriptions of the base file that the changes name: their `${VAR}` forms show URLs too. */
export function declaredInPullRequest(changes: PullRequestChanges): Subscription[] {
  if (changes.base === 'unreadable') return [];
  return [
    ...changes.items.flatMap((i) => ('subscription' in i ? [i.subscription] : [])),
    ...changes.pending.flatMap((i) => (i.pending === 'create' ? [i.subscription] : [])),
  ];
}

/** The lines that lead the report on a pull request. */
export function pullRequestSection(
  changes: PullRequestChanges,
  path: string,
  heading: string,
  declared: readonly DeclaredUrl[],
): Markdown[] {
  if (changes.base === 'unreadable') {
    return [
      markup`> **Note:** the base branch's ${code(path)} (${code(changes.ref)}) could not be read: ${changes.reason}. This is the whole plan, not only what this pull request changes.`,
      markup``,
    ];
  }
  const lines = [
    markup`${heading === '##' ? markup`###` : markup`####`} This pull request`,
    markup``,
  ];
  if (changes.base === 'new') {
    lines.push(
      markup`${code(path)} is new in this pull request: everything it declares comes from it.`,
      markup``,
    );
  }
  if (!changes.accountRead) {
    lines.push(
      markup`Without an ${code('api-token')} the account was not read: this compares the file with its version on ${code(changes.ref)}.`,
      markup``,
    );
  }
  const items = changes.items.map(item);
  lines.push(
    ...(items.length > 0 ? capped(items) : [markup`_No change to the declared webhooks._`]),
    markup``,
  );
  if (changes.pending.length > 0) {
    const summary = phrase`Already pending on ${code(changes.ref)}, not from this PR (${changes.pending.length})`;
    const pending = changes.pending.map((p) => pendingItem(p, declared));
    lines.push(fold(summary, joinMarkdown(capped(pending))), markup``);
  }
  return lines;
}

function item(change: PullRequestItem): Markdown {
  switch (change.change) {
    case 'add': {
      const s = change.subscription;
      return markup`- ➕ adds ${pair(s)} as ${code(s.secretName)}: ${ADDED[change.verdict]}`;
    }
    case 'remove':
      return markup`- ➖ removes ${pair(change.subscription)}: ${REMOVED[change.verdict]}`;
    case 'rename':
      return markup`- ✏️ renames the secret of ${pair(change.subscription)} from ${code(change.from)} to ${code(change.subscription.secretName)}: the new name is written on the next apply, the old secret stays where it was`;
    case 'scope':
      return markup`- 🔭 ${
        change.edit === 'added' ? markup`adds` : markup`removes`
      } ${code(change.pattern)} in ${code(change.key)}`;
    case 'moves':
      return markup`- 🔭 moves ${plural(change.records.length, 'record')} ${
        change.direction === 'out' ? markup`out of` : markup`into`
      } this file's scope: ${ids(change.records)}`;
  }
}

function pendingItem(item: PendingItem, declared: readonly DeclaredUrl[]): Markdown {
  if (item.pending === 'create') {
    const s = item.subscription;
    return markup`- ➕ ${pair(s)} as ${code(s.secretName)}: declared on the base branch, not on the account yet`;
  }
  const r = item.record;
  return markup`- ⚠️ ${code(r.id)} ${code(r.type)} → ${code(shownRecordUrl(r.url, declared))}: on the account, not declared`;
}

function capped(items: Markdown[]): Markdown[] {
  if (items.length <= SHOWN_ITEMS) return items;
  return [
    ...items.slice(0, SHOWN_ITEMS),
    markup`- _and ${items.length - SHOWN_ITEMS} more; the table below has every subscription_`,
  ];
}

function pair(s: Subscription): Markdown {
  return markup`${code(s.event)} → ${code(shownUrl(s))}`;
}

function ids(records: readonly RemoteWebhook[]): Markdown {
  const shown = joined(
    records.slice(0, 10).map((r) => [code(r.id)]),
    ', ',
  );
  return records.length > 10 ? markup`${shown} and ${records.length - 10} more` : markup`${shown}`;
}
