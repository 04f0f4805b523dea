// The report people read: the job summary, the PR comment and the drift issue all render a
// SyncResult through here, never by asking the APIs again. It maps over the result and its
// verdicts (verdicts.ts), whose words it renders as markdown. URLs are redacted; no secret value
// is ever part of a SyncResult's rendering (only secret names).
import type { ConfigProblem, Subscription } from '../config/types.js';
import { formatPosition } from '../log.js';
import type { PullRequestChanges } from '../pull-request.js';
import type { Outcome, SyncResult } from '../result.js';
import {
  alreadyDone,
  createdIn,
  duplicateRewrittenTo,
  duplicatesWords,
  ignoredWords,
  reportOutcomes,
  succeeded,
  unmanagedWords,
  type OutcomeReport,
  type OutcomeStatus,
} from '../verdicts.js';
import { upperSnake } from '../events.js';
import { adopt, renderEntries } from '../adopt.js';
import { STALE_REASON } from '../secrets/stale.js';
import { hasHiddenParts, redactUrl, shownUrl } from '../url.js';
import { phrase } from '../text/phrase.js';
import { uncheckedCount } from '../wording.js';
import { plural } from '../text/words.js';
import { bytes, fitComment } from './github-body.js';
import { cell, code, markdown } from './markdown.js';
import { pullRequestSection } from './pull-request.js';

export interface ReportOptions {
  /** Cut table rows (and the snippet) before the text would pass this many UTF-8 bytes. */
  maxLength?: number;
  /** Where a reader finds what was cut, e.g. "the job summary of this run has them all". */
  restIn?: string;
  /** Markdown heading level of the title. */
  heading?: '##' | '###';
  /** On a pull request: what it changes leads the report. */
  pullRequest?: PullRequestChanges;
}

const MODE_TITLES = {
  apply: 'apply',
  'dry-run': 'dry run',
  unchecked: 'validated only',
} as const;

export function renderReport(result: SyncResult, options: ReportOptions = {}): string {
  const heading = options.heading ?? '##';
  const head: string[] = [
    `${heading} MijnKlantportaal webhooks: ${MODE_TITLES[result.mode]}${result.cancelled ? ' (cancelled)' : succeeded(result) ? '' : ' (failed)'}`,
    '',
    `${code(result.file.path)}: ${countsLine(result)}`,
    '',
    modeSentence(result),
    '',
  ];
  // On a pull request whose base was read, the whole plan follows its changes, folded.
  let fold: string | undefined;
  if (options.pullRequest) {
    head.push(...pullRequestSection(options.pullRequest, result.file.path, heading));
    if (options.pullRequest.base !== 'unreadable') fold = 'The whole plan of this file';
  }
  const rows = tableRows(result);
  const tail = [
    ...duplicatesSection(result),
    ...secretsSection(result),
    ...failuresSection(result),
  ];
  return assemble(head, rows, tail, unmanagedSnippet(result), options, fold);
}

/**
 * GitHub refuses a job summary over 1 MiB whole ("upload aborted"); this leaves room for the
 * scrubber and line ends. Rows past it are cut with a note (CONTRACT §4 of bounded reports).
 */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024 - 16 * 1024;

/** The summary of a file that failed validation: every problem with its file:line:column. */
export function renderValidationFailure(
  path: string,
  problems: ConfigProblem[],
  options: Pick<ReportOptions, 'heading' | 'maxLength'> = {},
): string {
  const head = [
    `${options.heading ?? '##'} MijnKlantportaal webhooks: ${code(path)} is invalid`,
    '',
    `${plural(problems.length, 'problem')} found; nothing was sent to MijnKlantportaal or GitHub. The file format: docs/webhooks-yaml.md of mkp-webhooks-sync.`,
    '',
  ];
  // The location as code; the message renders, its quoted values are already in backticks.
  const lines = problems.map((p) => `- ${code(formatPosition(p))}: ${cell(p.message)}`);
  const limit = options.maxLength ?? Infinity;
  let size = bytes(head.join('\n'));
  let kept = 0;
  while (kept < lines.length && size + bytes(lines[kept]!) + 200 <= limit) {
    size += bytes(lines[kept]!) + 1;
    kept++;
  }
  const cut =
    kept < lines.length
      ? [
          `- _${plural(lines.length - kept, 'more problem')} not shown, to stay within GitHub's size limit; the log lists them all._`,
        ]
      : [];
  return [...head, ...lines.slice(0, kept), ...cut, ''].join('\n');
}

function countsLine(result: SyncResult): string {
  const { plan } = result;
  if (result.mode === 'unchecked' || !plan) {
    const unchecked = uncheckedCount(result.file.subscriptions);
    return `${plural(result.file.subscriptions.length, 'subscription')} declared${unchecked ? ` · ${markdown(unchecked)}` : ''}`;
  }
  const failed = result.outcomes.filter((o) => o.create?.state === 'failed').length;
  const parts = [
    result.mode === 'apply'
      ? `**${createdIn(result).length} created**${failed ? `, **${failed} failed**` : ''}`
      : `**${plan.create.length} to create**`,
    `${plan.unchanged.length} unchanged`,
    `${plan.unmanaged.length} unmanaged`,
  ];
  const groups = plan.duplicates.length;
  if (groups > 0) parts.push(`${plural(groups, 'webhook')} on the account more than once`);
  if (plan.ignored.length > 0) parts.push(markdown(ignoredWords(plan.ignored.length)));
  return parts.join(' · ');
}

function modeSentence(result: SyncResult): string {
  if (result.mode === 'unchecked') {
    return 'No `api-token`, so the account was not checked: the file is valid, and these are the subscriptions and secret names it declares.';
  }
  if (!result.plan) return 'The account could not be read, so nothing was planned or changed.';
  if (result.cancelled) {
    return `The run was cancelled (${result.cancelled}): no webhook was created after that. What was done, and what is left for the next run, is below.`;
  }
  if (result.mode === 'dry-run') {
    const n = result.plan.create.length;
    const where = result.destination
      ? ` and delivers their secrets to ${result.destination.description}`
      : '';
    return `Dry run: this is the plan; nothing was created and no secret was written.${n > 0 ? ` Applying it creates the ${plural(n, 'webhook')} marked ➕${where}.` : ''}`;
  }
  if (result.plan.create.length === 0 && result.plan.unmanaged.length === 0) {
    return 'The account already matched the file.';
  }
  if (result.plan.create.length === 0) {
    return 'Nothing declared was missing. Webhooks that the file does not declare are reported, never changed: the API cannot update or delete them.';
  }
  return 'The account was brought in line with the file. Webhooks that the file does not declare are reported, never changed: the API cannot update or delete them.';
}

/** What each status looks like in the table: a mark people scan for. */
const MARKS: Record<OutcomeStatus, string> = {
  declared: '·',
  'to-create': '➕',
  'not-created': '➕',
  created: '✅',
  failed: '❌',
  unchanged: '☑️',
  duplicated: '⚠️',
};

function tableRows(result: SyncResult): string[] {
  // Result first and the URL last: on a narrow page, what happened stays visible.
  const rows = reportOutcomes(result).map((report) => {
    const s = report.outcome.subscription;
    return `| ${MARKS[report.status]} ${status(report)} | ${code(s.event)} | ${code(s.secretName)} | ${code(shownUrl(s))} |`;
  });
  for (const r of result.plan?.unmanaged ?? []) {
    rows.push(
      `| ⚠️ ${markdown(unmanagedWords(r))} | ${code(r.type)} |  | ${code(redactUrl(r.url))} |`,
    );
  }
  return rows;
}

/** A row's status: its words, a pointer to the duplicates, and what became of its secret. */
function status({ outcome, words, secret }: OutcomeReport): string {
  const duplicates = outcome.copies ? ' (see Duplicates)' : '';
  return `${markdown(words)}${duplicates}${secret ? `; ${markdown(secret)}` : ''}`;
}

function duplicatesSection(result: SyncResult): string[] {
  const groups = result.plan?.duplicates ?? [];
  if (groups.length === 0) return [];
  const declared = result.file.subscriptions;
  return [
    '### Duplicates on the account',
    '',
    ...groups.map(
      (group) =>
        `- ${markdown(duplicatesWords(group, declared, duplicateRewrittenTo(result, group)))}.`,
    ),
    '',
  ];
}

function secretsSection(result: SyncResult): string[] {
  if (result.mode !== 'apply' || !result.plan) return [];
  if (!result.destination) {
    return [
      '### Secrets',
      '',
      'Not delivered from here: they stay readable on the account, and the Action delivers them with resync-secrets.',
      '',
    ];
  }
  const written = result.outcomes.filter((o) => o.secret?.state === 'written');
  const failed = result.outcomes.filter((o) => o.secret?.state === 'failed');
  const names = (list: Outcome[]) => list.map((o) => code(o.subscription.secretName)).join(', ');
  const forNew = written.filter((o) => o.secret!.reason === 'created').length;
  const stale = written.filter((o) => o.secret!.reason === 'stale');
  const lines = [
    '### Secrets',
    '',
    `- Target: ${result.destination.description}`,
    written.length > 0
      ? `- Delivered: ${plural(written.length, 'secret')} (${forNew} of new webhooks, ${written.length - forNew} of existing ones, as resync-secrets says)`
      : '- Delivered: none; nothing new, and resync-secrets found nothing to write',
  ];
  if (stale.length > 0) lines.push(`- ${STALE_REASON}, so written again: ${names(stale)}`);
  const replaced = written.filter((o) => o.secret!.replaced);
  if (replaced.length > 0) {
    lines.push(
      `- Written over a secret of the same name that was already there: ${replaced.map((o) => `${code(o.subscription.secretName)} (last written ${o.secret!.replaced!})`).join(', ')}. Expected after a webhook was deleted or re-created in the manage portal; otherwise that name belonged to something else.`,
    );
  }
  if (failed.length > 0) lines.push(`- Not delivered: ${names(failed)}`);
  return [...lines, ''];
}

function failuresSection(result: SyncResult): string[] {
  if (succeeded(result)) return [];
  const lines = ['### What went wrong', ''];
  if (result.cancelled) {
    lines.push(
      `- The run was cancelled (${result.cancelled}): no new webhook was created after that.`,
    );
  }
  for (const failure of result.failures) lines.push(`- ${cell(failure)}`);
  const what = (s: Subscription) => `- ${code(s.event)} ${code(shownUrl(s))}:`;
  for (const { subscription, create } of result.outcomes) {
    if (create?.state === 'failed') lines.push(`${what(subscription)} ${markdown(create.message)}`);
  }
  for (const { subscription, create } of result.outcomes) {
    if (create?.state === 'created' && create.storedOtherwise) {
      lines.push(`${what(subscription)} created, but ${markdown(create.storedOtherwise)}`);
    }
  }
  for (const { subscription, secret } of result.outcomes) {
    if (secret?.state === 'failed') {
      const why = markdown(secret.message ?? phrase`failed`);
      lines.push(`- secret ${code(subscription.secretName)}: ${why}`);
    }
  }
  lines.push('', markdown(alreadyDone(result)), '');
  return lines;
}

/** A ready-made addition to the file that declares the unmanaged webhooks (URLs redacted). */
function unmanagedSnippet(result: SyncResult): string[] {
  const unmanaged = result.plan?.unmanaged ?? [];
  if (unmanaged.length === 0) return [];
  const taken = new Set(result.file.subscriptions.flatMap((s) => (s.name ? [s.name] : [])));
  const { entries, skipped } = adopt(unmanaged, 'auto', taken);
  const lines = ['### Declare the unmanaged webhooks', ''];
  if (entries.length > 0) {
    // A URL with hidden parts must not be pasted redacted: it becomes a ${VAR} to set from a secret.
    const hidden = entries.filter((e) => hasHiddenParts(e.url));
    const shown = entries.map((e) =>
      hasHiddenParts(e.url) ? { ...e, url: `\${${urlVariable(e.name)}}` } : e,
    );
    lines.push('To manage them from the file, add these entries under `webhooks:`:', '', '```yaml');
    lines.push(renderEntries(shown), '```', '');
    if (hidden.length > 0) {
      lines.push(
        `Their URLs carry credentials or query values, so the entries read them from the environment: set ${hidden.map((e) => code(urlVariable(e.name))).join(', ')} from a secret in the workflow (\`npx mkp-webhooks-sync@1 import --output -\` prints the exact URLs).`,
        '',
      );
    }
  }
  for (const { record, reason } of skipped) {
    lines.push(
      `- ${code(record.id)} cannot be declared in a file (${cell(reason)}); change or remove it in the manage portal.`,
    );
  }
  if (skipped.length > 0) lines.push('');
  lines.push('Or remove them in the manage portal if nobody needs them.', '');
  return lines;
}

function urlVariable(name: string | undefined): string {
  return `${upperSnake(name ?? 'webhook')}_URL`;
}

function assemble(
  head: string[],
  rows: string[],
  tail: string[],
  snippet: string[],
  options: ReportOptions,
  fold?: string,
): string {
  const table = ['| Result | Event | Secret name | URL |', '|---|---|---|---|'];
  // On a pull request the whole plan follows its changes, folded.
  const folded = (body: string[]) =>
    fold ? ['<details>', `<summary>${fold}</summary>`, '', ...body, '', '</details>'] : body;
  const text = (body: string[], end: string[]) =>
    [...head, ...folded(body), '', ...tail, ...end].join('\n');
  if (rows.length === 0) {
    return text(['_The file declares no webhooks and the account has none._'], snippet);
  }
  const full = text([...table, ...rows], snippet);
  const limit = options.maxLength;
  if (limit === undefined || bytes(full) <= limit) return full;
  const rest = options.restIn ? `; ${options.restIn}` : '';
  // First the ready-made snippet goes (the import command writes the same entries)...
  const end =
    snippet.length === 0
      ? []
      : [
          '### Declare the unmanaged webhooks',
          '',
          `Left out to stay within GitHub's size limit: \`npx mkp-webhooks-sync import --output -\` writes entries for every webhook on the account.`,
          '',
        ];
  if (bytes(text([...table, ...rows], end)) <= limit) return text([...table, ...rows], end);
  // ...then whole rows, and it says so, so that the text stays a valid table below the limit.
  const note = (n: number) =>
    `\n_${plural(rows.length - n, 'more row')} not shown, to stay within GitHub's size limit${rest}._`;
  const fixed = bytes(text([...table, note(0)], end));
  const sizes = rows.map((row) => bytes(row) + 1);
  let kept = 0;
  for (let used = fixed; kept < rows.length && used + sizes[kept]! <= limit; kept++) {
    used += sizes[kept]!;
  }
  // A tail (failures) that alone passes the limit is cut like any GitHub body.
  const cut = text([...table, ...rows.slice(0, kept), note(kept)], end);
  return fitComment(cut, limit, options.restIn ?? 'the log has the whole run');
}
