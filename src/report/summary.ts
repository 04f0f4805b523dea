import type { ConfigProblem, Subscription } from '../config/types.js';
import type { RemoteWebhook } from '../mkp/types.js';
import { shownRecordUrl, subscriptionKey } from '../plan.js';
import { succeeded, type SyncResult } from '../sync.js';
import { upperSnake } from '../events.js';
import { adopt, renderEntries } from '../import.js';
import { STALE_REASON } from '../secrets/stale.js';
import { hasHiddenParts, redactUrl, shownUrl } from '../url.js';
import { cell, code, plural } from './markdown.js';
import { pullRequestSection, type PullRequestReport } from './pull-request.js';

/**
 * The report people read: the job summary, the PR comment and the drift issue all render a
 * SyncResult through here, never by asking the APIs again. URLs are redacted; no secret value
 * is ever part of a SyncResult's rendering (only secret names).
 */
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
    return `${plural(result.file.subscriptions.length, 'subscription')} declared`;
  }
  const parts = [
    result.mode === 'apply'
      ? `**${result.created.length} created**${result.createFailures.length ? `, **${result.createFailures.length} failed**` : ''}`
      : `**${plan.create.length} to create**`,
    `${plan.unchanged.length} unchanged`,
    `${plan.unmanaged.length} unmanaged`,
  ];
  const groups = duplicateGroups(plan.duplicates).length;
  if (groups > 0) parts.push(`${plural(groups, 'webhook')} on the account more than once`);
  if (plan.ignored.length > 0) {
    parts.push(belongToOthers(plan.ignored.length));
  }
  return parts.join(' · ');
}

/** The one line about records outside the file's scope (`owns`/`ignore`). */
export function belongToOthers(n: number): string {
  return `${n} ${n === 1 ? 'belongs' : 'belong'} to others: outside \`owns\` or ignored`;
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
    const where = result.target
      ? ` and delivers their secrets to ${result.target.description}`
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
  const rows: string[] = [];
  // Result first and the URL last: on a narrow page, what happened stays visible.
  const row = (mark: string, status: string, event: string, secret: string, url: string) =>
    `| ${mark} ${cell(status)} | ${code(event)} | ${secret ? code(secret) : ''} | ${code(url)} |`;

  const { plan } = result;
  if (result.mode === 'unchecked' || !plan) {
    for (const s of result.file.subscriptions) {
      rows.push(row('·', 'declared', s.event, s.secretName, shownUrl(s)));
    }
    return rows;
  }
  const created = new Map(result.created.map((c) => [c.subscription, c]));
  const failed = new Map(result.createFailures.map((f) => [f.subscription, f]));
  const delivered = new Map(result.deliveries.map((d) => [d.subscription, d]));
  const copies = new Map(
    duplicateGroups(plan.duplicates).map((g) => [subscriptionKey(g[0]!.type, g[0]!.url), g.length]),
  );
  const secretStatus = (s: Subscription): string => {
    const delivery = delivered.get(s);
    if (!delivery) return '';
    if (delivery.outcome === 'failed')
      return `; secret not written: ${delivery.message ?? 'failed'}`;
    if (delivery.replaced) return `; secret written over one last written ${delivery.replaced}`;
    if (delivery.reason === 'missing') return '; secret was missing, written';
    if (delivery.reason === 'stale') return `; secret ${STALE_REASON}; written again`;
    if (delivery.reason === 'outputs') return '; secret in the outputs';
    return '; secret written';
  };
  for (const s of plan.create) {
    const c = created.get(s);
    const f = failed.get(s);
    if (result.mode === 'dry-run')
      rows.push(row('➕', 'will create', s.event, s.secretName, shownUrl(s)));
    else if (c) {
      const how = c.storedOtherwise
        ? `created, but ${c.storedOtherwise}`
        : c.adopted
          ? 'created (found after its answer was lost)'
          : 'created';
      const status = secretStatus(s);
      const mark = status.includes('not written') || c.storedOtherwise ? '❌' : '✅';
      rows.push(row(mark, `${how}${status}`, s.event, s.secretName, shownUrl(s)));
    } else if (f) rows.push(row('❌', `failed: ${f.message}`, s.event, s.secretName, shownUrl(s)));
    else rows.push(row('➕', 'not created', s.event, s.secretName, shownUrl(s)));
  }
  for (const { subscription: s } of plan.unchanged) {
    const status = secretStatus(s);
    const times = copies.get(subscriptionKey(s.event, s.url));
    const mark = status.includes('not written') ? '❌' : times ? '⚠️' : '☑️';
    const extra = times ? `, on the account ${times} times (see Duplicates)` : '';
    rows.push(row(mark, `unchanged${extra}${status}`, s.event, s.secretName, shownUrl(s)));
  }
  for (const r of plan.unmanaged) {
    rows.push(row('⚠️', `not in the file (${r.id})`, r.type, '', redactUrl(r.url)));
  }
  return rows;
}

/** Records sharing one (type, url), in account order. */
function duplicateGroups(duplicates: readonly RemoteWebhook[]): RemoteWebhook[][] {
  const groups = new Map<string, RemoteWebhook[]>();
  for (const r of duplicates) {
    const key = subscriptionKey(r.type, r.url);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()];
}

function duplicatesSection(result: SyncResult): string[] {
  const groups = duplicateGroups(result.plan?.duplicates ?? []);
  if (groups.length === 0) return [];
  const ids = (records: RemoteWebhook[]) => {
    const names = records.map((r) => code(r.id));
    return names.length === 2 ? `${names[0]} and ${names[1]} both` : `${names.join(', ')} all`;
  };
  return [
    '### Duplicates on the account',
    '',
    ...groups.map(
      (records) =>
        `- ${ids(records)} send ${code(records[0]!.type)} to ${code(shownRecordUrl(records[0]!, result.file.subscriptions))}: the receiver gets each event more than once. Remove the extra ones in the manage portal.`,
    ),
    '',
  ];
}

function secretsSection(result: SyncResult): string[] {
  if (result.mode !== 'apply' || !result.plan) return [];
  if (!result.target) {
    return [
      '### Secrets',
      '',
      'Not delivered from here: they stay readable on the account, and the Action delivers them with resync-secrets.',
      '',
    ];
  }
  const written = result.deliveries.filter((d) => d.outcome === 'written');
  const failed = result.deliveries.filter((d) => d.outcome === 'failed');
  const names = (list: typeof written) =>
    list.map((d) => code(d.subscription.secretName)).join(', ');
  const forNew = written.filter((d) => d.reason === 'created').length;
  const stale = written.filter((d) => d.reason === 'stale');
  const lines = [
    '### Secrets',
    '',
    `- Target: ${result.target.description}`,
    written.length > 0
      ? `- Delivered: ${plural(written.length, 'secret')} (${forNew} of new webhooks, ${written.length - forNew} of existing ones, as resync-secrets says)`
      : '- Delivered: none; nothing new, and resync-secrets found nothing to write',
  ];
  if (stale.length > 0) lines.push(`- ${STALE_REASON}, so written again: ${names(stale)}`);
  const replaced = written.filter((d) => d.replaced);
  if (replaced.length > 0) {
    lines.push(
      `- Written over a secret of the same name that was already there: ${replaced.map((d) => `${code(d.subscription.secretName)} (last written ${d.replaced})`).join(', ')}. Expected after a webhook was deleted or re-created in the manage portal; otherwise that name belonged to something else.`,
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
  for (const { subscription: s, message } of result.createFailures) {
    lines.push(`- ${code(s.event)} ${code(shownUrl(s))}: ${cell(message)}`);
  }
  for (const c of result.created.filter((c) => c.storedOtherwise)) {
    lines.push(
      `- ${code(c.subscription.event)} ${code(shownUrl(c.subscription))}: created, but ${cell(c.storedOtherwise!)}`,
    );
  }
  for (const d of result.deliveries.filter((d) => d.outcome === 'failed')) {
    lines.push(`- secret ${code(d.subscription.secretName)}: ${cell(d.message ?? 'failed')}`);
  }
  lines.push('', alreadyDone(result), '');
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

/** Every failure report says what was already done and what is left for the next run. */
export function alreadyDone(result: SyncResult): string {
  const created = result.created.map((c) => code(c.subscription.secretName));
  const pending = result.deliveries
    .filter((d) => d.outcome === 'failed')
    .map((d) => code(d.subscription.secretName));
  const parts = [
    created.length > 0
      ? `Already done: created ${plural(created.length, 'webhook')} (secrets ${created.join(', ')}).`
      : 'Already done: no webhook was created.',
  ];
  if (pending.length > 0) {
    parts.push(
      `Secrets still to be written: ${pending.join(', ')}. The webhooks keep their secrets on the account; the next run with resync-secrets: missing (the default) writes them.`,
    );
  }
  if (result.createFailures.length > 0) {
    parts.push('The next run creates what is still missing, and nothing twice.');
  }
  return parts.join(' ');
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
