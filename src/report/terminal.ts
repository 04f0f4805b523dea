// The plan and its outcome as lines for a terminal, from the same SyncResult as the summary. The
// table's cells are escaped for the terminal (text/encoders.ts) before they are measured, so its
// columns line up by what the terminal shows: an emoji is two columns, `\x1b` four.
import type { ConfigProblem } from '../config/types.js';
import { formatProblem } from '../config/types.js';
import type { SyncResult } from '../result.js';
import { padToWidth, displayWidth, terminalLine } from '../text/encoders.js';
import { joined, plainText } from '../text/phrase.js';
import { plural } from '../text/words.js';
import { shownRecordUrl, shownUrl } from '../url.js';
import {
  costWords,
  createdIn,
  ignoredWords,
  planCounts,
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

/** The plan and its outcome as terminal lines, from the same SyncResult. */
export function renderText(result: SyncResult): string[] {
  const { plan, file } = result;
  if (!plan && result.mode !== 'unchecked') {
    // The failures themselves went to stderr as they happened: each is printed once.
    return [`${file.path}: no plan, the account could not be read`];
  }
  const outcomeRow = ({ outcome, status, words, secret }: OutcomeReport) => {
    const s = outcome.subscription;
    const what = plainText(secret ? joined([words, secret], '; ') : words);
    return [MARKS[status], s.event, shownUrl(s), s.secretName, what];
  };
  const rows = reportOutcomes(result).map(outcomeRow);
  for (const r of plan?.unmanaged ?? []) {
    const url = shownRecordUrl(r.url, file.subscriptions);
    rows.push(['!', r.type, url, '', plainText(unmanagedWords(r))]);
  }
  const lines = [`${file.path}: ${countsLine(result)}`, ...aligned(rows)];
  if (plan && plan.duplicates.length > 0) {
    const ids = plan.duplicates.flat().map((r) => r.id);
    lines.push(`  duplicates on the account: ${ids.join(', ')}`);
  }
  if (plan && plan.ignored.length > 0) {
    lines.push(`  ${plainText(ignoredWords(plan.ignored.length))}`);
  }
  // Last, where a long table ends on the screen.
  const cost = costWords(result);
  if (cost) lines.push(`  cost of applying: ${plainText(cost)}`);
  return lines.map(terminalLine);
}

/** The first line's counts: what the plan holds, or, after an apply, what was created. */
function countsLine(result: SyncResult): string {
  const { plan, file } = result;
  if (!plan) {
    return `valid; ${plural(file.subscriptions.length, 'subscription')} declared (no MKP_API_TOKEN: the account was not checked)`;
  }
  if (result.mode === 'dry-run') return `${planCounts(plan)} (plan only)`;
  const failed = result.outcomes.filter((o) => o.create?.state === 'failed').length;
  const created = `${createdIn(result).length} created${failed > 0 ? `, ${failed} failed` : ''}`;
  return `${created}, ${plan.unchanged.length} unchanged, ${plan.unmanaged.length} unmanaged`;
}

/**
 * Rows as lines whose columns line up: each cell escaped as the terminal shows it, then padded to
 * its column's widest cell by display width; the mark leads, the last column runs on.
 */
function aligned(rows: string[][]): string[] {
  const cells = rows.map((row) => row.map(terminalLine));
  const widths = cells.reduce<number[]>(
    (most, row) => row.map((cell, i) => Math.max(most[i] ?? 0, displayWidth(cell))),
    [],
  );
  return cells.map((row) => {
    const [mark, ...rest] = row;
    const padded = rest.map((cell, i) =>
      i === rest.length - 1 ? cell : padToWidth(cell, widths[i + 1]!),
    );
    return `  ${padToWidth(mark!, widths[0]!)} ${padded.join('  ')}`.trimEnd();
  });
}

/** An invalid file's problems, one a line, and the count. */
export function renderProblems(problems: ConfigProblem[]): string[] {
  return [
    ...problems.map(formatProblem),
    `${plural(problems.length, 'problem')}; nothing was sent`,
  ].map(terminalLine);
}
