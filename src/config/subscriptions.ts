import { isEventType, type EventType } from '../events.js';
import type { SourcePosition } from '../log.js';
import { normalizeUrl, redactUrl } from '../url.js';
import type { DataPath, FilePositions } from './positions.js';
import {
  defaultSecretTemplate,
  expandSecretTemplate,
  secretNameKey,
  secretNameProblem,
} from './secret-names.js';
import type { ConfigProblem, Subscription } from './types.js';
import { substituteVariables, type Environment } from './variables.js';
import { webhookUrlProblem } from './webhook-url.js';
import { code } from './wording.js';

/**
 * The rules the schema cannot express, across entries: `${VAR}` and the URL rules, unique names,
 * unique (url, event) pairs, valid and unique secret names. They run on every entry the schema
 * left usable, so that one run reports everything; a value the schema already reported (listed
 * in `invalid`) is not judged again.
 */
export interface EntryRules {
  data: unknown;
  invalid: ReadonlySet<string>;
  positions: FilePositions;
  env: Environment;
}

export function subscriptionsOf({ data, invalid, positions, env }: EntryRules): {
  subscriptions: Subscription[];
  problems: ConfigProblem[];
} {
  const subscriptions: Subscription[] = [];
  const problems: ConfigProblem[] = [];
  const report = (where: SourcePosition, message: string) => problems.push({ ...where, message });
  const webhooks = isMapping(data) && Array.isArray(data.webhooks) ? data.webhooks : [];

  const nameLines = new Map<string, number>();
  const pairs = new Map<string, { line: number; url: string }>();
  const secretNameLines = new Map<string, number>();

  webhooks.forEach((entry: unknown, index) => {
    if (!isMapping(entry)) return;
    const pathOf = (...rest: Array<string | number>): DataPath => ['webhooks', index, ...rest];
    const usable = (key: string) =>
      Object.hasOwn(entry, key) && !invalid.has(`/webhooks/${index}/${key}`);

    // name: absent (null), known, or invalid (then nothing that depends on it is judged).
    let name: string | null = null;
    let nameKnown = !Object.hasOwn(entry, 'name');
    if (usable('name') && typeof entry.name === 'string') {
      name = entry.name;
      nameKnown = true;
      const where = positions.at(pathOf('name'));
      const first = nameLines.get(name);
      if (first !== undefined) {
        report(where, `name ${code(name)} is already used by the entry on line ${first}`);
      } else {
        nameLines.set(name, where.line);
      }
    }

    const url = checkedUrl(entry, usable('url'), positions.at(pathOf('url')), env, report);

    const events: Array<{ event: EventType; path: DataPath }> = [];
    const hasEvent = Object.hasOwn(entry, 'event');
    const hasEvents = Object.hasOwn(entry, 'events');
    if (hasEvent && !hasEvents && isEventType(entry.event)) {
      events.push({ event: entry.event, path: pathOf('event') });
    } else if (hasEvents && !hasEvent && Array.isArray(entry.events)) {
      const listed = new Set<string>();
      entry.events.forEach((event: unknown, item) => {
        if (!isEventType(event)) return;
        const path = pathOf('events', item);
        if (listed.has(event)) {
          report(positions.at(path), `event ${code(event)} is listed twice in \`events\``);
          return;
        }
        listed.add(event);
        events.push({ event, path });
      });
    }

    // The secret-name template: the entry's own, or the default. Unknown when it, or a name
    // it needs, is invalid; then the secret names of this entry are not judged.
    const explicit = Object.hasOwn(entry, 'secret');
    const secretWhere = explicit ? positions.at(pathOf('secret')) : undefined;
    let template: string | undefined;
    if (!explicit) {
      if (nameKnown) template = defaultSecretTemplate(name !== null);
    } else if (usable('secret') && typeof entry.secret === 'string') {
      template = entry.secret;
      if (template.includes('{NAME}') && name === null) {
        if (nameKnown) {
          report(
            secretWhere!,
            '`secret` uses {NAME}, but this entry has no `name`: add a `name`, or take {NAME} out of the template',
          );
        }
        template = undefined;
      }
    }
    // Every event of the entry would get the same name: one problem, not one per pair.
    const shared = template !== undefined && !template.includes('{EVENT}') && events.length > 1;
    if (shared) {
      report(
        secretWhere ?? positions.at(pathOf()),
        `\`secret\` ${code(template!)} has no {EVENT}, so the ${events.length} events of this entry would share one secret name: add {EVENT}, as in ${code(`${template}_{EVENT}`)}`,
      );
    }

    let secretNameReported = false;
    events.forEach(({ event, path }, n) => {
      const position = positions.at(path, 'value', 'use');

      let secretName: string | undefined;
      if (template !== undefined) {
        const candidate = expandSecretTemplate(template, name, event);
        const problem = secretNameProblem(candidate);
        if (problem === undefined) {
          secretName = candidate;
        } else if (!secretNameReported) {
          // The template is at fault, and the same fault usually shows for every event.
          report(secretWhere ?? positions.at(pathOf()), problem);
          secretNameReported = true;
        }
      }

      let repeated = false;
      if (url !== undefined) {
        const key = `${event} ${normalizeUrl(url)}`;
        const first = pairs.get(key);
        if (first) {
          repeated = true;
          const normalised = first.url === url ? '' : ' (the same URL once normalised)';
          report(
            position,
            `${code(event)} to ${code(redactUrl(url))} is already declared on line ${first.line}${normalised}`,
          );
        } else {
          pairs.set(key, { line: position.line, url });
        }
      }

      // A repeated pair already has its problem; a shared name was reported for the entry.
      if (secretName !== undefined && !repeated && !(shared && n > 0)) {
        const key = secretNameKey(secretName);
        const first = secretNameLines.get(key);
        if (first !== undefined) {
          report(
            secretWhere ?? position,
            `secret name ${code(secretName)} is already used by the subscription on line ${first} (secret names are compared without regard to case): give the entries different names or \`secret\` templates`,
          );
        } else {
          secretNameLines.set(key, position.line);
        }
      }

      if (url !== undefined && secretName !== undefined) {
        subscriptions.push({ name, event, url, secretName, position });
      }
    });
  });
  return { subscriptions, problems };
}

/** The entry's URL after `${VAR}` substitution, or undefined (with the problem reported). */
function checkedUrl(
  entry: Record<string, unknown>,
  usable: boolean,
  where: SourcePosition,
  env: Environment,
  report: (where: SourcePosition, message: string) => void,
): string | undefined {
  if (!usable || typeof entry.url !== 'string') return undefined;
  const substitution = substituteVariables(entry.url, env);
  for (const variable of substitution.unset) {
    report(
      where,
      `environment variable \`${variable}\` is not set (\`url\` uses \`\${${variable}}\`)`,
    );
  }
  if (substitution.malformed) {
    report(
      where,
      '`url` holds a `${` that does not start a variable: write `${NAME}`, with a NAME of letters, digits and _',
    );
  }
  if (substitution.unset.length > 0 || substitution.malformed) return undefined;
  const subject =
    substitution.variables.length === 0
      ? '`url`'
      : `\`url\` (after substituting ${substitution.variables.map((v) => `\`\${${v}}\``).join(', ')})`;
  const problem = webhookUrlProblem(substitution.value, subject);
  if (problem !== undefined) {
    report(where, problem);
    return undefined;
  }
  return substitution.value;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
