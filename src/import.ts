import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Document } from 'yaml';
import { parseWebhooksFile } from './config/load.js';
import { compilePattern, inScope } from './config/scope.js';
import { ConfigError, formatProblem } from './config/types.js';
import { NAME_MAX_LENGTH } from './config/schema.js';
import { webhookUrlProblem } from './config/webhook-url.js';
import { EVENT_TYPES, isEventType, type EventType } from './events.js';
import type { Log } from './log.js';
import type { MkpClient } from './mkp/client.js';
import type { RemoteWebhook } from './mkp/types.js';
import { subscriptionKey } from './matching.js';
import { duplicateGroups } from './plan.js';
import { hasHiddenParts, redactUrl } from './url.js';
import { duplicatesSentence, plural } from './wording.js';

/**
 * Adopting an existing account: the webhooks already there, written as a webhooks.yaml that
 * declares every record a valid file can hold. Used by `mkp-webhooks-sync import`, and by the job
 * summary's snippet for unmanaged records. No secret value is ever part of the output.
 */
export type NameStyle = 'auto' | 'host' | 'none';

export interface ImportedEntry {
  name?: string;
  url: string;
  events: EventType[];
}

export interface Adoption {
  entries: ImportedEntry[];
  /** Records no valid file can hold, each with the reason. */
  skipped: Array<{ record: RemoteWebhook; reason: string }>;
  /** Every record of each group sharing one (type, url); only the first is declared. */
  duplicates: RemoteWebhook[][];
}

/** Groups declarable records by URL (exactly as the account holds it) into entries. */
export function adopt(
  records: readonly RemoteWebhook[],
  names: NameStyle = 'auto',
  takenNames: ReadonlySet<string> = new Set(),
): Adoption {
  const skipped: Adoption['skipped'] = [];
  const declarable: RemoteWebhook[] = [];
  for (const record of records) {
    const reason = undeclarable(record);
    if (reason) skipped.push({ record, reason });
    else declarable.push(record);
  }
  const declared = new Set<string>();
  const byUrl = new Map<string, Set<EventType>>();
  for (const record of declarable) {
    const key = subscriptionKey(record.type, record.url);
    if (declared.has(key)) continue; // the first of a group is declared; the rest stay duplicates
    declared.add(key);
    const events = byUrl.get(record.url) ?? new Set<EventType>();
    events.add(record.type as EventType);
    byUrl.set(record.url, events);
  }

  const used = new Set(takenNames);
  const entries = [...byUrl].map(([url, events]): ImportedEntry => {
    const entry: ImportedEntry = {
      url,
      events: EVENT_TYPES.filter((event) => events.has(event)),
    };
    if (names !== 'none') entry.name = uniqueName(nameFor(url, names), used);
    return entry;
  });
  return { entries, skipped, duplicates: duplicateGroups(declarable) };
}

/** Why no valid webhooks.yaml can declare this record, or undefined when one can. */
function undeclarable(record: RemoteWebhook): string | undefined {
  if (!isEventType(record.type)) return `unknown event type ${record.type}`;
  // The loader's own URL rules, so that the written file always loads.
  const problem = webhookUrlProblem(record.url, 'the URL');
  if (problem !== undefined) return problem;
  if (record.url.includes('${')) return 'the URL holds ${, which the file reads as a variable';
  return undefined;
}

/** A name from the URL: host without www. and the public suffix, then the path. */
function nameFor(url: string, style: Exclude<NameStyle, 'none'>): string {
  const parsed = new URL(url);
  const labels = parsed.hostname.replace(/^www\./, '').split('.');
  const host = (labels.length > 1 ? labels.slice(0, -1) : labels).join('-');
  const path = style === 'auto' ? parsed.pathname : '';
  const name = `${host}-${path}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return (name || 'webhook').slice(0, NAME_MAX_LENGTH - 3).replace(/-+$/, '');
}

function uniqueName(base: string, used: Set<string>): string {
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
  used.add(name);
  return name;
}

/**
 * The schema of the release users run (the v1 tag): a user's repository has no copy of it, and
 * editors fetch it from here.
 */
export const SCHEMA_URL =
  'https://raw.githubusercontent.com/mkp-webhooks-sync/mkp-webhooks-sync/v1/webhooks.schema.json';

/** webhooks.yaml text for the entries, with the schema comment for editors. */
export function renderWebhooksFile(
  entries: ImportedEntry[],
  secretTemplate?: string,
  owns: readonly string[] = [],
): string {
  const doc = new Document({
    version: 1,
    ...(owns.length > 0 ? { owns: [...owns] } : {}),
    webhooks: entryNodes(entries, secretTemplate),
  });
  doc.commentBefore = ` yaml-language-server: $schema=${SCHEMA_URL}`;
  flowEvents(doc.get('webhooks'));
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** Only the list items, to paste under `webhooks:` of an existing file. */
export function renderEntries(entries: ImportedEntry[]): string {
  const doc = new Document(entryNodes(entries));
  flowEvents(doc.contents);
  return doc
    .toString({ lineWidth: 0, flowCollectionPadding: false })
    .replace(/^/gm, '  ')
    .trimEnd();
}

function entryNodes(entries: ImportedEntry[], secretTemplate?: string) {
  return entries.map((entry) => ({
    ...(entry.name ? { name: entry.name } : {}),
    url: entry.url,
    events: entry.events,
    ...(secretTemplate ? { secret: secretTemplate } : {}),
  }));
}

/** `events: [a, b]` on one line, as people write it. */
function flowEvents(list: unknown): void {
  for (const item of (list as { items: Array<{ get(k: string, keep: true): { flow: boolean } }> })
    .items) {
    item.get('events', true).flow = true;
  }
}

export interface ImportOptions {
  client: MkpClient;
  /** A path, or '-' for stdout. */
  output: string;
  force: boolean;
  names?: NameStyle;
  secretTemplate?: string;
  /** `--owns`: only records under these URL patterns, and the patterns written as `owns`. */
  owns?: readonly string[];
  log: Log;
  out: (text: string) => void;
}

/** `mkp-webhooks-sync import`: exit status 0 when a valid file was written. */
export async function importAccount(options: ImportOptions): Promise<number> {
  const { client, output, log } = options;
  const toStdout = output === '-';
  if (!toStdout && !options.force && existsSync(output)) {
    log.error(`${output} exists; pass --force to replace it, or --output FILE (- for stdout)`);
    return 1;
  }
  const owns = options.owns ?? [];
  const patterns = [];
  for (const pattern of owns) {
    try {
      patterns.push({ text: pattern, matcher: compilePattern(pattern), line: 0 });
    } catch (error) {
      log.error(`--owns ${(error as Error).message}`);
      return 1;
    }
  }
  const listed = await client.listWebhooks();
  const scope = { owns: patterns.length > 0 ? patterns : null, ignore: [] };
  const records = listed.filter((record) => inScope(scope, record.type, record.url));
  const adoption = adopt(records, options.names ?? 'auto');
  const text = renderWebhooksFile(adoption.entries, options.secretTemplate, owns);

  // The file must pass the same loader that plan and apply use, or nothing is written.
  try {
    parseWebhooksFile(text, toStdout ? 'webhooks.yaml' : output, { env: {} });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) log.error(formatProblem(problem));
    log.error(
      'the imported file would not be valid (see above); nothing was written. Try --names auto, or a --secret-template with {NAME} and {EVENT}',
    );
    return 1;
  }

  for (const { record, reason } of adoption.skipped) {
    log.warning(`skipped ${record.id} (${record.type} ${redactUrl(record.url)}): ${reason}`);
  }
  for (const group of adoption.duplicates) {
    const sentence = duplicatesSentence(group, redactUrl(group[0]!.url));
    log.warning(`duplicates: ${sentence}; the file declares one of them`);
  }
  const exposed = adoption.entries.filter((entry) => hasHiddenParts(entry.url));
  if (exposed.length > 0) {
    log.warning(
      `${plural(exposed.length, 'URL')} carry user-info or query values, written whole: ${exposed.map((e) => redactUrl(e.url)).join(', ')}. The file goes into git; move such values into \${VAR} (read from the environment) to keep them out of it`,
    );
  }
  if (toStdout) options.out(text);
  else await writeFile(output, text);
  const subscriptions = adoption.entries.reduce((n, e) => n + e.events.length, 0);
  if (listed.length > records.length) {
    log.info(`${plural(listed.length - records.length, 'record')} outside --owns left out`);
  }
  log.info(
    `imported ${plural(records.length, 'record')} as ${plural(adoption.entries.length, 'entry', 'entries')} (${plural(subscriptions, 'subscription')}) into ${toStdout ? 'stdout' : output}; ${adoption.skipped.length} skipped, ${plural(adoption.duplicates.length, 'duplicate group')}. No secret was written.`,
  );
  return 0;
}
