// The report people read: the job summary, the PR comment and the drift issue all render a
// SyncResult through here, never by asking the APIs again. URLs are redacted; no secret value
// is ever part of a SyncResult's rendering (only secret names).
import type { ConfigProblem, Subscription } from '../config/types.js';
import type { RemoteWebhook } from '../mkp/types.js';
import { subscriptionKey } from '../matching.js';
import { shownRecordUrl } from '../plan.js';
import type { Outcome, SyncResult } from '../sync.js';
import { alreadyDone, createdIn, failedOutcome, succeeded } from '../verdicts.js';
import { upperSnake } from '../events.js';
import { adopt, renderEntries } from '../adopt.js';
import { STALE_REASON } from '../secrets/stale.js';
import { hasHiddenParts, redactUrl, shownUrl } from '../url.js';
import {
  duplicateRewriteSentence,
  duplicatesSentence,
  plural,
  uncheckedCount,
  uncheckedReason,
} from '../wording.js';
import { cell, code } from './markdown.js';
import { pullRequestSection, type PullRequestReport } from './pull-request.js';

export interface ReportOptions {
  /** Cut table rows (and the snippet) before the text would pass this many UTF-8 bytes. */
  maxLength?: number;
  /** Where a reader finds what was cut, e.g. "the job summary of this run has them all". */
  restIn?: string;
  /** Markdown heading level of the title. */
  heading?: '##' | '###';
  /** On a pull request: what it changes leads the report. */
  pullRequest?: PullRequestReport;
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
    head.push(...pullRequestSection(options.pullRequest, result.file.path, result.plan, heading));
    if (options.pullRequest.changes) fold = 'The whole plan of this file';
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
  const lines = problems.map(
    (p) => `- ${code(`${p.file}:${p.line}:${p.column}`)}: ${cell(p.message)}`,
  );
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

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function countsLine(result: SyncResult): string {
  const { plan } = result;
  if (result.mode === 'unchecked' || !plan) {
    const unchecked = uncheckedCount(result.file.subscriptions);
    return `${plural(result.file.subscriptions.length, 'subscription')} declared${unchecked ? ` · ${unchecked}` : ''}`;
  }
  const parts = [
    result.mode === 'apply'
      ? `**${createdIn(result).length} created**${createFailed(result).length ? `, **${createFailed(result).length} failed**` : ''}`
      : `**${plan.create.length} to create**`,
    `${plan.unchanged.length} unchanged`,
    `${plan.unmanaged.length} unmanaged`,
  ];
  const groups = plan.duplicates.length;
  if (groups > 0) parts.push(`${plural(groups, 'webhook')} on the account more than once`);
  if (plan.ignored.length > 0) {
    parts.push(belongToOthers(plan.ignored.length));
  }
  return parts.join(' · ');
}

/** The one line about records outside the file's scope (`owns`/`ignore`). */
export function belongToOthers(n: number): string {
  return `${plural(n, 'belongs', 'belong')} to others: outside \`owns\` or ignored`;
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

function tableRows(result: SyncResult): string[] {
  // Result first and the URL last: on a narrow page, what happened stays visible.
  const row = (mark: string, status: string, o: Outcome | { event: string; url: string }) =>
    'subscription' in o
      ? `| ${mark} ${cell(status)} | ${code(o.subscription.event)} | ${code(o.subscription.secretName)} | ${code(shownUrl(o.subscription))} |`
      : `| ${mark} ${cell(status)} | ${code(o.event)} |  | ${code(o.url)} |`;

  const { plan } = result;
  if (result.mode === 'unchecked' || !plan) {
    return result.outcomes.map((o) => row('·', uncheckedReason(o.subscription) ?? 'declared', o));
  }
  const copies = new Map(
    plan.duplicates.map((g) => [subscriptionKey(g[0]!.type, g[0]!.url), g.length]),
  );
  const rows: string[] = [];
  for (const o of result.outcomes.filter((o) => o.planned === 'create')) {
    const { create } = o;
    const mark = failedOutcome(o) ? '❌' : '✅';
    if (result.mode === 'dry-run') rows.push(row('➕', 'will create', o));
    else if (create?.state === 'created') {
      const how = create.storedOtherwise
        ? `created, but ${create.storedOtherwise}`
        : create.adopted
          ? 'created (found after its answer was lost)'
          : 'created';
      rows.push(row(mark, `${how}${secretStatus(o)}`, o));
    } else if (create?.state === 'failed') rows.push(row(mark, `failed: ${create.message}`, o));
    else rows.push(row('➕', 'not created', o));
  }
  for (const o of result.outcomes.filter((o) => o.planned === 'unchanged')) {
    const { subscription: s } = o;
    const times = copies.get(subscriptionKey(s.event, s.url));
    const mark = failedOutcome(o) ? '❌' : times ? '⚠️' : '☑️';
    const extra = times ? `, on the account ${times} times (see Duplicates)` : '';
    rows.push(row(mark, `unchanged${extra}${secretStatus(o)}`, o));
  }
  for (const r of plan.unmanaged) {
    rows.push(row('⚠️', `not in the file (${r.id})`, { event: r.type, url: redactUrl(r.url) }));
  }
  return rows;
}

/** What became of the secret, as the tail of a table row's status. */
function secretStatus({ secret }: Outcome): string {
  if (!secret) return '';
  if (secret.state === 'failed') return `; secret not written: ${secret.message ?? 'failed'}`;
  if (secret.replaced) return `; secret written over one last written ${secret.replaced}`;
  if (secret.reason === 'missing') return '; secret was missing, written';
  if (secret.reason === 'stale') return `; secret ${STALE_REASON}; written again`;
  if (secret.reason === 'duplicate') return '; secret of the oldest duplicate written again';
  if (secret.reason === 'outputs') return '; secret in the outputs';
  return '; secret written';
}

function createFailed(result: SyncResult): Outcome[] {
  return result.outcomes.filter((o) => o.create?.state === 'failed');
}

function duplicatesSection(result: SyncResult): string[] {
  const groups = result.plan?.duplicates ?? [];
  if (groups.length === 0) return [];
  const url = (group: RemoteWebhook[]) => shownRecordUrl(group[0]!, result.file.subscriptions);
  return [
    '### Duplicates on the account',
    '',
    ...groups.map(
      (group) => `- ${duplicatesSentence(group, url(group), code)}${rewriteNote(result, group)}.`,
    ),
    '',
  ];
}

/** Why this run wrote the secret of a duplicated webhook again (CONTRACT §2), when it did. */
function rewriteNote(result: SyncResult, group: RemoteWebhook[]): string {
  const kept = group[0]!.id;
  const rewritten = result.outcomes.some(
    (o) => o.record?.id === kept && o.secret?.reason === 'duplicate',
  );
  return rewritten && result.destination
    ? `; ${duplicateRewriteSentence(kept, result.destination.description, code)}`
    : '';
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
      `- Written over a secret of the same name that was already there: ${replaced.map((o) => `${code(o.subscription.secretName)} (last written ${o.secret!.replaced})`).join(', ')}. Expected after a webhook was deleted or re-created in the manage portal; otherwise that name belonged to something else.`,
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
    if (create?.state === 'failed') lines.push(`${what(subscription)} ${cell(create.message)}`);
  }
  for (const { subscription, create } of result.outcomes) {
    if (create?.state === 'created' && create.storedOtherwise) {
      lines.push(`${what(subscription)} created, but ${cell(create.storedOtherwise)}`);
    }
  }
  for (const { subscription, secret } of result.outcomes) {
    if (secret?.state === 'failed') {
      lines.push(`- secret ${code(subscription.secretName)}: ${cell(secret.message ?? 'failed')}`);
    }
  }
  lines.push('', alreadyDone(result, code), '');
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
  const cut = text([...table, ...rows.slice(0, kept), note(kept)], end);
  return bytes(cut) <= limit ? cut : hardCut(cut, limit);
}

/** A last guard for a tail (failures) that alone passes the limit: cut at a line end. */
function hardCut(text: string, limit: number): string {
  const note = "\n\n_Cut to stay within GitHub's size limit._\n";
  let cut = Buffer.from(text, 'utf8')
    .subarray(0, Math.max(0, limit - bytes(note)))
    .toString('utf8');
  cut = cut.slice(0, Math.max(0, cut.lastIndexOf('\n')));
  return `${cut}${note}`;
}
