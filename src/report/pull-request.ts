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
import { fold, joinMarkdown, md, type Markdown } from '../text/encoders.js';
import { code, joined, phrase } from '../text/phrase.js';
import { plural } from '../text/words.js';
import { shownRecordUrl, shownUrl, type DeclaredUrl } from '../url.js';

/** A long list shows this many items and counts the rest; the job summary stays readable. */
const SHOWN_ITEMS = 40;

const ADDED: Record<AddVerdict, Markdown> = {
  'created-on-merge': md`
created on merge
  `,
  'already-present': md`
already on the account; its secret is delivered on merge
  `,
  unchecked: md`
added
  `,
};

const STAYS_UNMANAGED = md`
the API cannot delete: the record stays on the account as unmanaged; remove it in the manage portal
`;

const REMOVED: Record<RemoveVerdict, Markdown> = {
  'never-created': md`
it was never created, so nothing stays behind
  `,
  'leaves-scope': md`
the API cannot delete: the record stays on the account, now outside this file's scope
  `,
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
      md`> **Note:** the base branch's ${code(path)} (${code(changes.ref)}) could not be read: ${changes.reason}. This is the whole plan, not only what this pull request changes.`,
      md``,
    ];
  }
  const lines = [
    md`${
      heading === '##'
        ? md`
###
          `
        : md`
####
          `
    } This pull request`,
    md``,
  ];
  if (changes.base === 'new') {
    lines.push(
      md`${code(path)} is new in this pull request: everything it declares comes from it.`,
      md``,
    );
  }
  if (!changes.accountRead) {
    lines.push(
      md`Without an ${code('api-token')} the account was not read: this compares the file with its version on ${code(changes.ref)}.`,
      md``,
    );
  }
  const items = changes.items.map(item);
  lines.push(
    ...(items.length > 0
      ? capped(items)
      : [
          md`
_No change to the declared webhooks._
          `,
        ]),
    md``,
  );
  if (changes.pending.length > 0) {
    const summary = phrase`Already pending on ${code(changes.ref)}, not from this PR (${changes.pending.length})`;
    const pending = changes.pending.map((p) => pendingItem(p, declared));
    lines.push(fold(summary, joinMarkdown(capped(pending))), md``);
  }
  return lines;
}

function item(change: PullRequestItem): Markdown {
  switch (change.change) {
    case 'add': {
      const s = change.subscription;
      return md`- ➕ adds ${pair(s)} as ${code(s.secretName)}: ${ADDED[change.verdict]}`;
    }
    case 'remove':
      return md`- ➖ removes ${pair(change.subscription)}: ${REMOVED[change.verdict]}`;
    case 'rename':
      return md`- ✏️ renames the secret of ${pair(change.subscription)} from ${code(change.from)} to ${code(change.subscription.secretName)}: the new name is written on the next apply, the old secret stays where it was`;
    case 'scope':
      return md`- 🔭 ${
        change.edit === 'added'
          ? md`
adds
            `
          : md`
removes
            `
      } ${code(change.pattern)} in ${code(change.key)}`;
    case 'moves':
      return md`- 🔭 moves ${plural(change.records.length, 'record')} ${
        change.direction === 'out'
          ? md`
out of
            `
          : md`
into
            `
      } this file's scope: ${ids(change.records)}`;
  }
}

function pendingItem(item: PendingItem, declared: readonly DeclaredUrl[]): Markdown {
  if (item.pending === 'create') {
    const s = item.subscription;
    return md`- ➕ ${pair(s)} as ${code(s.secretName)}: declared on the base branch, not on the account yet`;
  }
  const r = item.record;
  return md`- ⚠️ ${code(r.id)} ${code(r.type)} → ${code(shownRecordUrl(r.url, declared))}: on the account, not declared`;
}

function capped(items: Markdown[]): Markdown[] {
  if (items.length <= SHOWN_ITEMS) return items;
  return [
    ...items.slice(0, SHOWN_ITEMS),
    md`- _and ${items.length - SHOWN_ITEMS} more; the table below has every subscription_`,
  ];
}

function pair(s: Subscription): Markdown {
  return md`${code(s.event)} → ${code(shownUrl(s))}`;
}

function ids(records: readonly RemoteWebhook[]): Markdown {
  const shown = joined(
    records.slice(0, 10).map((r) => [code(r.id)]),
    ', ',
  );
  return records.length > 10 ? md`${shown} and ${records.length - 10} more` : md`${shown}`;
}
