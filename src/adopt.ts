// Adopting an existing account, as a pure transform: the records already there become entries
// that a valid webhooks.yaml can declare, and their YAML text. Used by the import command and
// by the job summary's snippet for unmanaged records. No secret value is ever part of it.
import { Document } from 'yaml';
import { NAME_MAX_LENGTH } from './config/schema.js';
import { webhookUrlProblem } from './config/webhook-url.js';
import { quoted } from './config/wording.js';
import { EVENT_TYPES, isEventType, type EventType } from './events.js';
import { subscriptionKey } from './matching.js';
import type { RemoteWebhook } from './mkp/types.js';
import { duplicateGroups } from './plan.js';

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
  if (!isEventType(record.type)) return `unknown event type ${quoted(record.type)}`;
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
