// The rules the schema cannot express, across entries: `${VAR}` and the URL rules, unique names,
// unique (url, event) pairs, valid and unique secret names. They run on every entry the schema
// left usable, so that one run reports everything; a value the schema already reported (listed
// in `invalid`) is not judged again.
import { isEventType, type EventType } from '../events.js';
import type { SourcePosition } from '../log.js';
import { subscriptionKey } from '../matching.js';
import { shownUrl } from '../url.js';
import type { DataPath, FilePositions } from './positions.js';
import {
  defaultSecretTemplate,
  expandSecretTemplate,
  outputNameProblem,
  secretNameKey,
  secretNameProblem,
} from './secret-names.js';
import type { ConfigProblem, Subscription } from './types.js';
import { substituteVariables, type Environment } from './variables.js';
import { webhookUrlProblem } from './webhook-url.js';
import { quoted } from './wording.js';

export interface EntryRules {
  data: unknown;
  invalid: ReadonlySet<string>;
  positions: FilePositions;
  env: Environment;
  /** The run's tokens by the name people know them by (`api-token`); no `${VAR}` may hold one. */
  tokens: Readonly<Record<string, string | undefined>>;
  /** With `secrets-target: outputs`, secret names must not be the action's own output names. */
  secretsAsOutputs?: boolean;
  /** A validate-only run (no api-token): an unset or empty `${VAR}` is a notice (CONTRACT §1). */
  validateOnly?: boolean;
}

export function subscriptionsOf({
  data,
  invalid,
  positions,
  env,
  tokens,
  secretsAsOutputs = false,
  validateOnly,
}: EntryRules): {
  subscriptions: Subscription[];
  problems: ConfigProblem[];
  substitutedValues: string[];
  notices: ConfigProblem[];
} {
  const subscriptions: Subscription[] = [];
  const substitutedValues = new Set<string>();
  const problems: ConfigProblem[] = [];
  const notices: ConfigProblem[] = [];
  const report = (where: SourcePosition, message: string) => problems.push({ ...where, message });
  const notice = validateOnly
    ? (where: SourcePosition, message: string) => notices.push({ ...where, message })
    : undefined;
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
        report(where, `name ${quoted(name)} is already used by the entry on line ${first}`);
      } else {
        nameLines.set(name, where.line);
      }
    }

    const checked = checkedUrl(
      entry,
      usable('url'),
      positions.at(pathOf('url')),
      env,
      tokens,
      report,
      notice,
    );
    checked?.values.forEach((value) => substitutedValues.add(value));
    const url = checked?.url;
    const template = checked?.template;
    const unresolved = checked?.unresolved;

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
          report(positions.at(path), `event ${quoted(event)} is listed twice in \`events\``);
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
    let secretTemplate: string | undefined;
    if (!explicit) {
      if (nameKnown) secretTemplate = defaultSecretTemplate(name !== null);
    } else if (usable('secret') && typeof entry.secret === 'string') {
      secretTemplate = entry.secret;
      if (secretTemplate.includes('{NAME}') && name === null) {
        if (nameKnown) {
          report(
            secretWhere!,
            '`secret` uses {NAME}, but this entry has no `name`: add a `name`, or take {NAME} out of the template',
          );
        }
        secretTemplate = undefined;
      }
    }
    // Every event of the entry would get the same name: one problem, not one per pair.
    const shared =
      secretTemplate !== undefined && !secretTemplate.includes('{EVENT}') && events.length > 1;
    if (shared) {
      report(
        secretWhere ?? positions.at(pathOf()),
        `\`secret\` ${quoted(secretTemplate!)} has no {EVENT}, so the ${events.length} events of this entry would share one secret name: add {EVENT}, as in ${quoted(`${secretTemplate}_{EVENT}`)}`,
      );
    }

    let secretNameReported = false;
    events.forEach(({ event, path }, n) => {
      const position = positions.at(path, 'value', 'use');

      let secretName: string | undefined;
      if (secretTemplate !== undefined) {
        const candidate = expandSecretTemplate(secretTemplate, name, event);
        const problem =
          secretNameProblem(candidate) ??
          (secretsAsOutputs ? outputNameProblem(candidate) : undefined);
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
        const key = subscriptionKey(event, url);
        const first = pairs.get(key);
        if (first) {
          repeated = true;
          const normalised = first.url === url ? '' : ' (the same URL once normalised)';
          report(
            position,
            `${quoted(event)} to ${quoted(shownUrl({ url, template }))} is already declared on line ${first.line}${normalised}`,
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
            `secret name ${quoted(secretName)} is already used by the subscription on line ${first} (secret names are compared without regard to case): give the entries different names or \`secret\` templates`,
          );
        } else {
          secretNameLines.set(key, position.line);
        }
      }

      if (url !== undefined && secretName !== undefined) {
        subscriptions.push({
          name,
          event,
          url,
          ...(template === undefined ? {} : { template }),
          ...(unresolved === undefined ? {} : { unresolved }),
          secretName,
          position,
        });
      }
    });
  });
  return { subscriptions, problems, substitutedValues: [...substitutedValues], notices };
}

/** The runner's own variables: a URL built from one would send its token to a webhook. */
const RUNNER_PREFIXES = ['GITHUB_', 'ACTIONS_', 'RUNNER_', 'INPUT_'];

/**
 * The entry's URL after `${VAR}` substitution, with the form it was written in and the values
 * substituted; or undefined (with the problem reported). In a validate-only run, an entry whose
 * variables this run lacks keeps the text as written, with those variables as `unresolved`.
 */
function checkedUrl(
  entry: Record<string, unknown>,
  usable: boolean,
  where: SourcePosition,
  env: Environment,
  tokens: Readonly<Record<string, string | undefined>>,
  report: (where: SourcePosition, message: string) => void,
  notice?: (where: SourcePosition, message: string) => void,
): { url: string; template?: string; values: string[]; unresolved?: string[] } | undefined {
  if (!usable || typeof entry.url !== 'string') return undefined;
  const written = entry.url;
  const substitution = substituteVariables(written, env);
  const refused = substitution.variables.filter((variable) =>
    RUNNER_PREFIXES.some((prefix) => variable.toUpperCase().startsWith(prefix)),
  );
  for (const variable of refused) {
    report(
      where,
      `\`url\` uses \`\${${variable}}\`: variables starting with ${RUNNER_PREFIXES.map((p) => quoted(p)).join(', ')} belong to the runner and may hold its tokens; put the value in a variable of your own (\`env:\` in the workflow)`,
    );
  }
  // Validate-only: a variable this run lacks (a fork's PR has no secrets) cannot be checked.
  const absent = notice
    ? substitution.variables.filter(
        (v) => !refused.includes(v) && (substitution.unset.includes(v) || env[v] === ''),
      )
    : [];
  for (const variable of absent) {
    const state = substitution.unset.includes(variable) ? 'not set' : 'empty';
    notice!(
      where,
      `not checked: ${variable} is ${state} in this run (\`url\` uses \`\${${variable}}\`)`,
    );
  }
  for (const variable of substitution.unset) {
    if (refused.includes(variable) || absent.includes(variable)) continue;
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
  const failed = substitution.unset.some((v) => !absent.includes(v));
  if (refused.length > 0 || failed || substitution.malformed) return undefined;
  const present = substitution.variables.filter((variable) => !absent.includes(variable));
  const values = present.map((variable) => env[variable]!);
  let carriesToken = false;
  for (const [input, token] of Object.entries(tokens)) {
    if (!token) continue;
    for (const variable of present) {
      if (!env[variable]!.includes(token)) continue;
      carriesToken = true;
      report(
        where,
        `the value of \`\${${variable}}\` contains the run's ${input}: a webhook URL is sent to MijnKlantportaal and shown in reports, so it must never carry a token`,
      );
    }
  }
  if (carriesToken) return undefined;
  // Not checked in this run: listed as written, so that it is counted and shown (CONTRACT §2).
  // Whitespace in the text as written fails whatever the values: reported now, as it would be.
  if (absent.length > 0) {
    const problem = /\s/.test(written) ? webhookUrlProblem(written, '`url`', written) : undefined;
    if (problem !== undefined) {
      report(where, problem);
      return undefined;
    }
    return { url: written, template: written, values, unresolved: absent };
  }
  const template = substitution.variables.length === 0 ? undefined : written;
  const subject =
    template === undefined
      ? '`url`'
      : `\`url\` (after substituting ${substitution.variables.map((v) => `\`\${${v}}\``).join(', ')})`;
  const problem = webhookUrlProblem(substitution.value, subject, template);
  if (problem !== undefined) {
    report(where, problem);
    return undefined;
  }
  return { url: substitution.value, ...(template === undefined ? {} : { template }), values };
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
