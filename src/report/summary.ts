import { formatProblem, type ConfigProblem, type Subscription } from '../config/types.js';
import type { RemoteWebhook } from '../mkp/types.js';
import { subscriptionKey } from '../plan.js';
import { succeeded, type SyncResult } from '../sync.js';
import { redactUrl } from '../url.js';
import { cell, code, plural } from './markdown.js';

/**
 * The report people read: the job summary, the PR comment and the drift issue all render a
 * SyncResult through here, never by asking the APIs again. URLs are redacted; no secret value
 * is ever part of a SyncResult's rendering (only secret names).
 */
export interface ReportOptions {
  /** Stop adding table rows before the text would pass this many characters. */
  maxLength?: number;
  /** Markdown heading level of the title. */
  heading?: '##' | '###';
}

const MODE_TITLES = {
  apply: 'apply',
  'dry-run': 'dry run',
  unchecked: 'validated only',
} as const;

export function renderReport(result: SyncResult, options: ReportOptions = {}): string {
  const heading = options.heading ?? '##';
  const head: string[] = [
    `${heading} MijnKlantportaal webhooks: ${MODE_TITLES[result.mode]}${succeeded(result) ? '' : ' (failed)'}`,
    '',
    `${code(result.file.path)}: ${countsLine(result)}`,
    '',
    modeSentence(result),
    '',
  ];
  const rows = tableRows(result);
  const tail = [
    ...duplicatesSection(result),
    ...secretsSection(result),
    ...failuresSection(result),
  ];
  return assemble(head, rows, tail, options.maxLength);
}

/** The summary of a file that failed validation: every problem with its file:line:column. */
export function renderValidationFailure(path: string, problems: ConfigProblem[]): string {
  return [
    `## MijnKlantportaal webhooks: ${code(path)} is invalid`,
    '',
    `${plural(problems.length, 'problem')} found; nothing was sent to MijnKlantportaal or GitHub.`,
    '',
    ...problems.map((problem) => `- ${code(formatProblem(problem))}`),
    '',
  ].join('\n');
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
  if (plan.duplicates.length > 0) parts.push(`${plan.duplicates.length} in duplicate groups`);
  return parts.join(' · ');
}

function modeSentence(result: SyncResult): string {
  if (result.mode === 'unchecked') {
    return 'No `api-token`, so the account was not checked: the file is valid, and these are the subscriptions and secret names it declares.';
  }
  if (!result.plan) return 'The account could not be read, so nothing was planned or changed.';
  if (result.mode === 'dry-run') {
    return 'Dry run: this is the plan; nothing was created and no secret was written.';
  }
  if (result.plan.create.length === 0 && result.plan.unmanaged.length === 0) {
    return 'The account already matched the file.';
  }
  return 'The account was brought in line with the file. Webhooks that the file does not declare are reported, never changed: the API cannot update or delete them.';
}

function tableRows(result: SyncResult): string[] {
  const rows: string[] = [];
  const row = (mark: string, event: string, url: string, secret: string, status: string) =>
    `| ${mark} | ${code(event)} | ${code(redactUrl(url))} | ${secret ? code(secret) : ''} | ${cell(status)} |`;

  const { plan } = result;
  if (result.mode === 'unchecked' || !plan) {
    for (const s of result.file.subscriptions) {
      rows.push(row('·', s.event, s.url, s.secretName, 'declared; account not checked'));
    }
    return rows;
  }
  const created = new Map(result.created.map((c) => [c.subscription, c]));
  const failed = new Map(result.createFailures.map((f) => [f.subscription, f]));
  const delivered = new Map(result.deliveries.map((d) => [d.subscription, d]));
  const secretStatus = (s: Subscription): string => {
    const delivery = delivered.get(s);
    if (!delivery) return '';
    return delivery.outcome === 'written'
      ? `; secret written${delivery.reason === 'missing' ? ' (was missing)' : ''}`
      : `; secret not written: ${delivery.message ?? 'failed'}`;
  };
  for (const s of plan.create) {
    const c = created.get(s);
    const f = failed.get(s);
    if (result.mode === 'dry-run')
      rows.push(row('➕', s.event, s.url, s.secretName, 'will create'));
    else if (c) {
      const how = c.adopted ? 'created (found after its answer was lost)' : 'created';
      rows.push(row('✅', s.event, s.url, s.secretName, `${how}${secretStatus(s)}`));
    } else if (f) rows.push(row('❌', s.event, s.url, s.secretName, `failed: ${f.message}`));
    else rows.push(row('➕', s.event, s.url, s.secretName, 'not created'));
  }
  for (const { subscription: s } of plan.unchanged) {
    const status = secretStatus(s);
    rows.push(
      row(
        status.includes('not written') ? '❌' : '✔️',
        s.event,
        s.url,
        s.secretName,
        `unchanged${status}`,
      ),
    );
  }
  for (const r of plan.unmanaged) {
    rows.push(row('⚠️', r.type, r.url, '', `unmanaged (${r.id}): on the account, not in the file`));
  }
  return rows;
}

function duplicatesSection(result: SyncResult): string[] {
  const duplicates = result.plan?.duplicates ?? [];
  if (duplicates.length === 0) return [];
  const groups = new Map<string, RemoteWebhook[]>();
  for (const r of duplicates) {
    const key = subscriptionKey(r.type, r.url);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [
    '### Duplicates on the account',
    '',
    ...[...groups.values()].map(
      (records) =>
        `- ${records.map((r) => code(r.id)).join(', ')} all send ${code(records[0]!.type)} to ${code(redactUrl(records[0]!.url))}: the receiver gets every event more than once. Remove the extra ones in the manage portal.`,
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
  const lines = [
    '### Secrets',
    '',
    `Target: ${result.target.description}.`,
    written.length > 0
      ? `Delivered: ${plural(written.length, 'secret')} (${names(written)}).`
      : 'Delivered: none; nothing new, and resync-secrets found nothing to write.',
  ];
  if (failed.length > 0) lines.push(`Not delivered: ${names(failed)}.`);
  return [...lines, ''];
}

function failuresSection(result: SyncResult): string[] {
  if (succeeded(result)) return [];
  const lines = ['### What went wrong', ''];
  for (const failure of result.failures) lines.push(`- ${cell(failure)}`);
  for (const { subscription: s, message } of result.createFailures) {
    lines.push(`- ${code(s.event)} ${code(redactUrl(s.url))}: ${cell(message)}`);
  }
  for (const d of result.deliveries.filter((d) => d.outcome === 'failed')) {
    lines.push(`- secret ${code(d.subscription.secretName)}: ${cell(d.message ?? 'failed')}`);
  }
  lines.push('', alreadyDone(result), '');
  return lines;
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

function assemble(head: string[], rows: string[], tail: string[], maxLength?: number): string {
  const table = ['| | Event | URL | Secret name | Status |', '|---|---|---|---|---|'];
  const text = (body: string[]) => [...head, ...body, '', ...tail].join('\n');
  if (rows.length === 0) return text(['_The file declares no webhooks and the account has none._']);
  const full = text([...table, ...rows]);
  if (maxLength === undefined || full.length <= maxLength) return full;
  // Cut whole rows, and say so, so that the text stays a valid table below the limit.
  let kept = rows.length;
  const note = (n: number) =>
    `\n_${plural(rows.length - n, 'more row')} left out to stay within GitHub's size limit; the job summary of this run has them all._`;
  while (kept > 0 && text([...table, ...rows.slice(0, kept), note(kept)]).length > maxLength) {
    kept = Math.max(0, kept - Math.max(1, Math.ceil((kept * 1) / 20)));
  }
  return text([...table, ...rows.slice(0, kept), note(kept)]);
}
