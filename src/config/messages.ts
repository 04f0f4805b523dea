// ajv's errors in words people act on, each at the node it concerns: an unknown key at the key,
// a bad value at the value, a missing key at the entry. ajv's own wording ("must match exactly
// one schema in oneOf") never reaches a user.
import type { ErrorObject } from 'ajv';
import { EVENT_TYPES } from '../events.js';
import type { SourcePosition } from '../log.js';
import { type DataPath, pointerToPath } from './positions.js';
import { webhooksSchema } from './schema.js';
import { secretTemplateProblem } from './secret-names.js';
import { closest } from './suggest.js';
import type { ConfigProblem } from './types.js';
import { alternatives, quoted, kindOf } from './wording.js';

export interface SchemaProblems {
  problems: ConfigProblem[];
  /** JSON pointers of values found invalid here; the later rules leave them alone. */
  invalid: Set<string>;
}

type Locate = (path: DataPath, part?: 'value' | 'key') => SourcePosition;

const schema = webhooksSchema();
const TOP_LEVEL_KEYS = Object.keys(schema.properties);
const ENTRY_KEYS = Object.keys(schema.definitions.webhook.properties);
const IGNORE_KEYS = Object.keys(schema.definitions.ignoreEntry.properties);

/** Which error of one value to show when ajv found several: the most basic first. */
const PRIORITY = ['type', 'minLength', 'minItems', 'pattern', 'maxLength', 'enum', 'const'];

export function describeSchemaErrors(
  errors: readonly ErrorObject[],
  data: unknown,
  locate: Locate,
): SchemaProblems {
  const problems: ConfigProblem[] = [];
  const invalid = new Set<string>();
  const byPointer = new Map<string, ErrorObject[]>();
  for (const error of errors) {
    const group = byPointer.get(error.instancePath) ?? [];
    group.push(error);
    byPointer.set(error.instancePath, group);
  }

  for (const [pointer, group] of byPointer) {
    const path = pointerToPath(pointer, data);
    const value = valueAt(data, path);
    const add = (message: string, where: SourcePosition = locate(path)) =>
      problems.push({ ...where, message });

    // Mappings: the top level and each entry. A wrong type says all there is to say.
    if (isMappingPath(path)) {
      const typeError = group.find((e) => e.keyword === 'type');
      if (typeError) {
        add(wrongType(path, value));
        continue;
      }
      const known =
        path.length === 0 ? TOP_LEVEL_KEYS : path[0] === 'ignore' ? IGNORE_KEYS : ENTRY_KEYS;
      // A misspelt key explains the missing one: `evnts` gets "did you mean `events`?" and no
      // separate "missing `events`".
      const unknown = group
        .filter((e) => e.keyword === 'additionalProperties')
        .map((e) => String(e.params.additionalProperty));
      const meant = new Set(unknown.map((key) => closest(key, known)));
      for (const error of group) {
        if (error.keyword !== 'required' || error.schemaPath.includes('/oneOf/')) continue;
        const key = String(error.params.missingProperty);
        if (!meant.has(key)) add(missing(key));
      }
      const oneOf = group.find((e) => e.keyword === 'oneOf');
      if (oneOf) {
        const entry = value as Record<string, unknown>;
        if (Object.hasOwn(entry, 'event') && Object.hasOwn(entry, 'events')) {
          add('use either `event` or `events`, not both');
        } else if (!meant.has('event') && !meant.has('events')) {
          add('missing `events` (or `event`)');
        }
      }
      for (const key of unknown) add(unknownKey(key, known), locate([...path, key], 'key'));
      for (const error of group) {
        if (!['additionalProperties', 'required', 'oneOf'].includes(error.keyword)) {
          add(fallback(path, error));
        }
      }
      continue;
    }

    // Values: one message each, for the most basic of their errors. A duplicate in `events` is
    // left to the entry rules, which point at every repeated event rather than only one.
    const shown = group
      .filter((e) => e.keyword !== 'uniqueItems')
      .sort((a, b) => rank(a.keyword) - rank(b.keyword))[0];
    if (!shown) continue;
    invalid.add(pointer);
    add(valueProblem(path, value, shown));
  }
  return { problems, invalid };
}

function valueProblem(path: DataPath, value: unknown, error: ErrorObject): string {
  const field = fieldOf(path);
  if (error.keyword === 'type') return wrongType(path, value);
  switch (`${field} ${error.keyword}`) {
    case 'version const':
      return '`version` must be 1 (the only version of this format)';
    case 'name pattern':
      return value === ''
        ? '`name` is empty'
        : `name ${quoted(String(value))} may contain only lowercase letters, digits and '-', and must start with a letter or digit`;
    case 'name maxLength':
      return `name ${quoted(String(value))} is longer than ${limit(error)} characters (${[...String(value)].length})`;
    case 'url minLength':
      return '`url` is empty';
    case 'url maxLength':
      return `\`url\` is longer than ${limit(error)} characters`;
    case 'event enum':
      return value === '' ? '`event` is empty' : unknownEvent(String(value));
    case 'events item enum':
      return value === '' ? 'an item of `events` is empty' : unknownEvent(String(value));
    case 'events minItems':
      return '`events` is empty: list at least one event';
    case 'owns minItems':
      return '`owns` is empty: list at least one URL pattern, or leave `owns` out to own the whole account';
    case 'owns item minLength':
      return 'an item of `owns` is empty';
    case 'secret pattern':
      return secretTemplateProblem(String(value)) ?? fallback(path, error);
    case 'secret maxLength':
      return `\`secret\` is longer than ${limit(error)} characters`;
    default:
      return fallback(path, error);
  }
}

function wrongType(path: DataPath, value: unknown): string {
  const kind = kindOf(value);
  const field = fieldOf(path);
  if (value === null && !['webhooks', 'entry', 'ignore entry'].includes(field)) {
    if (field === 'events item') return 'an item of `events` is empty';
    if (field === 'events') return '`events` has no value: list at least one event';
    return `\`${field}\` has no value`;
  }
  switch (field) {
    case 'top level':
      return `expected a mapping with a \`webhooks\` list at the top of the file, found ${kind}`;
    case 'webhooks':
      return value === null
        ? '`webhooks` has no value: write a list of webhook entries under it (or `[]` for none)'
        : `\`webhooks\` must be a list of webhook entries, not ${kind}`;
    case 'entry':
      return value === null
        ? 'empty entry in `webhooks`: each entry needs a `url` and `event` or `events`'
        : `each entry of \`webhooks\` must be a mapping with a \`url\` and \`event\` or \`events\`, not ${kind}`;
    case 'event':
      return Array.isArray(value)
        ? '`event` takes one event: use `events` for a list'
        : `\`event\` must be an event name, not ${kind}`;
    case 'events':
      return typeof value === 'string'
        ? `\`events\` must be a list: use \`event\` for a single event, or write ${quoted(`[${value}]`)}`
        : `\`events\` must be a list of event names, not ${kind}`;
    case 'events item':
      return `an item of \`events\` must be an event name, not ${kind}`;
    case 'owns':
      return `\`owns\` must be a list of URL patterns, not ${kind}`;
    case 'owns item':
      return `an item of \`owns\` must be a URL pattern (text), not ${kind}`;
    case 'ignore':
      return `\`ignore\` must be a list of entries with a \`url\` pattern, not ${kind}`;
    case 'ignore entry':
      return value === null
        ? 'empty entry in `ignore`: each entry needs a `url` pattern'
        : `each entry of \`ignore\` must be a mapping with a \`url\` pattern (and optionally \`events\`), not ${kind}`;
    case 'name':
      return `\`name\` must be text, not ${kind}${quoteHint(value)}`;
    case 'secret':
      return `\`secret\` must be a secret-name template (text), not ${kind}${quoteHint(value)}`;
    default:
      return `\`${field}\` must be text, not ${kind}`;
  }
}

function unknownKey(key: string, known: readonly string[]): string {
  const suggestion = closest(key, known);
  return suggestion
    ? `unknown key ${quoted(key)} (did you mean \`${suggestion}\`?)`
    : `unknown key ${quoted(key)} (the keys here are ${alternatives(known)})`;
}

function unknownEvent(event: string): string {
  const suggestion = closest(event, EVENT_TYPES);
  return suggestion
    ? `unknown event ${quoted(event)} (did you mean \`${suggestion}\`?)`
    : `unknown event ${quoted(event)}: the events are ${EVENT_TYPES.join(', ')}`;
}

function missing(key: string): string {
  return key === 'webhooks'
    ? 'missing `webhooks`: the list of webhook entries'
    : `missing \`${key}\``;
}

/** For a schema rule this file has no sentence for yet: still located, still one line. */
function fallback(path: DataPath, error: ErrorObject): string {
  const where = path.length === 0 ? 'the file' : quoted(path.join('.'));
  return `${where} ${error.message ?? 'is not valid'}`;
}

/** `name: 123` is a number to YAML; quoting makes it text. */
function quoteHint(value: unknown): string {
  return typeof value === 'number' || typeof value === 'boolean'
    ? ` (write it in quotes: "${String(value)}")`
    : '';
}

/** The field a path names: a key, or 'top level', 'entry' or 'events item'. */
function fieldOf(path: DataPath): string {
  if (path.length === 0) return 'top level';
  if (path.length === 1) return String(path[0]);
  if (path[0] === 'webhooks' && path.length === 2) return 'entry';
  if (path[0] === 'ignore' && path.length === 2) return 'ignore entry';
  if (path[0] === 'owns' && path.length === 2) return 'owns item';
  if (path[2] === 'events' && path.length === 4) return 'events item';
  return String(path[path.length - 1]);
}

function isMappingPath(path: DataPath): boolean {
  return (
    path.length === 0 || (path.length === 2 && (path[0] === 'webhooks' || path[0] === 'ignore'))
  );
}

function valueAt(data: unknown, path: DataPath): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    if (!Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

function rank(keyword: string): number {
  const index = PRIORITY.indexOf(keyword);
  return index === -1 ? PRIORITY.length : index;
}

function limit(error: ErrorObject): number {
  return Number(error.params.limit);
}

/** For a file whose top level is a list or a single value. */
export function notAMapping(value: unknown): string {
  return Array.isArray(value)
    ? 'expected a mapping with a `webhooks` list at the top of the file, found a list: put the entries under `webhooks:`'
    : wrongType([], value);
}
