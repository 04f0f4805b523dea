import type { ConfigProblem } from '../config/types.js';
import { formatProblem } from '../config/types.js';
import type { SyncResult } from '../result.js';
import { joined, plainText } from '../text/phrase.js';
import { plural } from '../text/words.js';
import { redactUrl, shownUrl } from '../url.js';
import {
  ignoredWords,
  reportOutcomes,
  unmanagedWords,
  type OutcomeReport,
  type OutcomeStatus,
} from '../verdicts.js';

/** What each status looks like at the start of a terminal line. */
const MARKS: Record<OutcomeStatus, string> = {
  declared: '·',
  'to-create': '+',
  'not-created': '+',
  created: '+',
  failed: 'x',
  unchanged: '=',
  duplicated: '=',
};

/** The plan and its outcome as plain text for a terminal, from the same SyncResult. */
export function renderText(result: SyncResult): string {
  const { plan, file } = result;
  const row = (mark: string, event: string, url: string, tail: string) =>
    `  ${mark} ${event.padEnd(28)} ${url}${tail ? `  ${tail}` : ''}`;
  const outcomeRow = ({ outcome, status, words, secret }: OutcomeReport) => {
    const s = outcome.subscription;
    const what = plainText(secret ? joined([words, secret], '; ') : words);
    return row(MARKS[status], s.event, shownUrl(s), `${s.secretName}  ${what}`);
  };
  if (!plan && result.mode !== 'unchecked') {
    // The failures themselves went to stderr as they happened: each is printed once.
    return `${file.path}: no plan, the account could not be read\n`;
  }
  const lines = [
    plan
      ? `${file.path}: ${plan.create.length} to create, ${plan.unchanged.length} unchanged, ${plan.unmanaged.length} unmanaged${result.mode === 'dry-run' ? ' (plan only)' : ''}`
      : `${file.path}: valid; ${plural(file.subscriptions.length, 'subscription')} declared (no MKP_API_TOKEN: the account was not checked)`,
    ...reportOutcomes(result).map(outcomeRow),
  ];
  for (const r of plan?.unmanaged ?? []) {
    lines.push(row('!', r.type, redactUrl(r.url), plainText(unmanagedWords(r))));
  }
  if (plan && plan.duplicates.length > 0) {
    const ids = plan.duplicates.flat().map((r) => r.id);
    lines.push(`  duplicates on the account: ${ids.join(', ')}`);
  }
  if (plan && plan.ignored.length > 0)
    lines.push(`  ${plainText(ignoredWords(plan.ignored.length))}`);
  return `${lines.join('\n')}\n`;
}

export function renderProblems(problems: ConfigProblem[]): string {
  return `${problems.map(formatProblem).join('\n')}\n${plural(problems.length, 'problem')}; nothing was sent\n`;
}
