// The rules the schema cannot express, across entries: `${VAR}` and the URL rules, unique names,
// unique (url, event) pairs, valid and unique secret names. They run on every entry the schema
// left usable, so that one run reports everything; a value the schema already reported (listed
// in `invalid`) is not judged again.
import { isEventType, type EventType } from '../events.js';
import type { SourcePosition } from '../log.js';
import { subscriptionKey } from '../matching.js';
import { isMapping } from '../parsed.js';
import { shownUrl } from '../url.js';
import { listedEvents } from './event-list.js';
import type { DataPath, FilePositions } from './positions.js';
import {
  defaultSecretTemplate,
  expandSecretTemplate,
  outputNameProblem,
  secretNameKey,
  secretNameProblem,
} from './secret-names.js';
import type { ConfigProblem, Subscription } from './types.js';
import { substituteVariables, type Environment, type Substitution } from './variables.js';
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

export interface Entries {
  subscriptions: Subscription[];
  problems: ConfigProblem[];
  substitutedValues: string[];
  notices: ConfigProblem[];
}

/** Every entry of `webhooks` checked, in the file's order, into its subscriptions. */
export function subscriptionsOf(rules: EntryRules): Entries {
  const { data } = rules;
  const webhooks = isMapping(data) && Array.isArray(data.webhooks) ? data.webhooks : [];
  const checks = new EntryChecks(rules);
  webhooks.forEach((entry: unknown, index) => {
    if (isMapping(entry)) checks.entry(entry, index);
  });
  return checks.entries();
}

type Report = (where: SourcePosition, message: string) => void;

/** An entry of `webhooks` as the rules see it: its data and where its values are written. */
interface Entry {
  data: Record<string, unknown>;
  path: (...rest: Array<string | number>) => DataPath;
  /** Present and not already reported by the schema. */
  usable: (key: string) => boolean;
}

/**
 * The rules of one file, entry after entry: what each entry declares, and what the entries
 * before it already took (names, (url, event) pairs, secret names).
 */
class EntryChecks {
  private readonly found: Entries = {
    subscriptions: [],
    problems: [],
    substitutedValues: [],
    notices: [],
  };
  private readonly report: Report = (where, message) =>
    this.found.problems.push({ ...where, message });
  private readonly nameLines = new Map<string, number>();
  private readonly pairs = new Map<string, { line: number; url: string }>();
  private readonly secretNameLines = new Map<string, number>();

  constructor(private readonly rules: EntryRules) {}

  entries(): Entries {
    return { ...this.found, substitutedValues: [...new Set(this.found.substitutedValues)] };
  }

  entry(data: Record<string, unknown>, index: number): void {
    const { invalid, positions, validateOnly } = this.rules;
    const entry: Entry = {
      data,
      path: (...rest) => ['webhooks', index, ...rest],
      usable: (key) => Object.hasOwn(data, key) && !invalid.has(`/webhooks/${index}/${key}`),
    };
    const name = this.name(entry);
    const notice: Report | undefined = validateOnly
      ? (where, message) => this.found.notices.push({ ...where, message })
      : undefined;
    const url = checkedUrl(entry, positions.at(entry.path('url')), {
      ...this.rules,
      report: this.report,
      notice,
    });
    this.found.substitutedValues.push(...(url?.values ?? []));
    const events = this.events(entry);
    const secret = this.secretTemplate(entry, name, events.length);
    events.forEach(({ event, path }, n) => {
      // A shared name was reported once for the entry, not again for each event after the first.
      const sharedBefore = secret.shared && n > 0;
      this.subscription({ name: name.value, event, path, url, secret, sharedBefore });
    });
  }

  /** The entry's `name`: absent (null), known, or invalid (then nothing that needs it is judged). */
  private name(entry: Entry): { value: string | null; known: boolean } {
    if (!entry.usable('name') || typeof entry.data.name !== 'string') {
      return { value: null, known: !Object.hasOwn(entry.data, 'name') };
    }
    const name = entry.data.name;
    const where = this.rules.positions.at(entry.path('name'));
    const first = this.nameLines.get(name);
    if (first !== undefined) {
      this.report(where, `name ${quoted(name)} is already used by the entry on line ${first}`);
    } else {
      this.nameLines.set(name, where.line);
    }
    return { value: name, known: true };
  }

  /** `event`, or each event of `events` once; none when the schema found them wrong. */
  private events(entry: Entry): Array<{ event: EventType; path: DataPath }> {
    const { data } = entry;
    const hasEvent = Object.hasOwn(data, 'event');
    const hasEvents = Object.hasOwn(data, 'events');
    if (hasEvent && !hasEvents && isEventType(data.event)) {
      return [{ event: data.event, path: entry.path('event') }];
    }
    if (hasEvents && !hasEvent && Array.isArray(data.events)) {
      return listedEvents(data.events, entry.path('events'), this.rules.positions, this.report);
    }
    return [];
  }

  /**
   * The secret-name template: the entry's own, or the default. Unknown when it, or a name it
   * needs, is invalid; then the secret names of this entry are not judged. `shared` when every
   * event of the entry would get the same name: one problem, not one per pair.
   */
  private secretTemplate(
    entry: Entry,
    name: { value: string | null; known: boolean },
    eventCount: number,
  ): SecretTemplate {
    const explicit = Object.hasOwn(entry.data, 'secret');
    const where = explicit ? this.rules.positions.at(entry.path('secret')) : undefined;
    const at = where ?? this.rules.positions.at(entry.path());
    let template: string | undefined;
    if (!explicit) {
      if (name.known) template = defaultSecretTemplate(name.value !== null);
    } else if (entry.usable('secret') && typeof entry.data.secret === 'string') {
      template = entry.data.secret;
      if (template.includes('{NAME}') && name.value === null) {
        if (name.known) {
          this.report(
            at,
            '`secret` uses {NAME}, but this entry has no `name`: add a `name`, or take {NAME} out of the template',
          );
        }
        template = undefined;
      }
    }
    const shared = template !== undefined && !template.includes('{EVENT}') && eventCount > 1;
    if (shared) {
      this.report(
        at,
        `\`secret\` ${quoted(template!)} has no {EVENT}, so the ${eventCount} events of this entry would share one secret name: add {EVENT}, as in ${quoted(`${template!}_{EVENT}`)}`,
      );
    }
    return { template, where, at, shared, reported: false };
  }

  /** One (url, event) pair of the entry: its secret name, then the pair's and the name's uniqueness. */
  private subscription(pair: Pair): void {
    const { event, path, url, secret } = pair;
    const position = this.rules.positions.at(path, 'value', 'use');
    const secretName = this.secretName(pair.name, event, secret);
    const repeated = url !== undefined && this.repeatedPair(event, url, position);
    // A repeated pair already has its problem; a shared name was reported for the entry.
    if (secretName !== undefined && !repeated && !pair.sharedBefore) {
      this.uniqueSecretName(secretName, secret.where ?? position);
    }
    if (url !== undefined && secretName !== undefined) {
      this.found.subscriptions.push({
        name: pair.name,
        event,
        url: url.url,
        ...(url.template === undefined ? {} : { template: url.template }),
        ...(url.unresolved === undefined ? {} : { unresolved: url.unresolved }),
        secretName,
        position,
      });
    }
  }

  /** The pair's secret name, or undefined (the template's fault is reported once per entry). */
  private secretName(
    name: string | null,
    event: EventType,
    secret: SecretTemplate,
  ): string | undefined {
    if (secret.template === undefined) return undefined;
    const candidate = expandSecretTemplate(secret.template, name, event);
    const problem =
      secretNameProblem(candidate) ??
      (this.rules.secretsAsOutputs ? outputNameProblem(candidate) : undefined);
    if (problem === undefined) return candidate;
    // The template is at fault, and the same fault usually shows for every event.
    if (!secret.reported) this.report(secret.at, problem);
    secret.reported = true;
    return undefined;
  }

  /** True (and reported) when an entry before declared this event and URL already. */
  private repeatedPair(event: EventType, url: CheckedUrl, position: SourcePosition): boolean {
    const key = subscriptionKey(event, url.url);
    const first = this.pairs.get(key);
    if (!first) {
      this.pairs.set(key, { line: position.line, url: url.url });
      return false;
    }
    const normalised = first.url === url.url ? '' : ' (the same URL once normalised)';
    this.report(
      position,
      `${quoted(event)} to ${quoted(shownUrl(url))} is already declared on line ${first.line}${normalised}`,
    );
    return true;
  }

  private uniqueSecretName(secretName: string, where: SourcePosition): void {
    const key = secretNameKey(secretName);
    const first = this.secretNameLines.get(key);
    if (first === undefined) {
      this.secretNameLines.set(key, where.line);
      return;
    }
    this.report(
      where,
      `secret name ${quoted(secretName)} is already used by the subscription on line ${first} (secret names are compared without regard to case): give the entries different names or \`secret\` templates`,
    );
  }
}

interface SecretTemplate {
  template: string | undefined;
  /** Where the entry writes `secret`, when it does. */
  where: SourcePosition | undefined;
  /** Where a problem of the template is reported: at `secret`, else at the entry. */
  at: SourcePosition;
  shared: boolean;
  /** Whether a problem of its names was reported already (once per entry). */
  reported: boolean;
}

interface Pair {
  name: string | null;
  event: EventType;
  path: DataPath;
  url: CheckedUrl | undefined;
  secret: SecretTemplate;
  sharedBefore: boolean;
}

/** The runner's own variables: a URL built from one would send its token to a webhook. */
const RUNNER_PREFIXES = ['GITHUB_', 'ACTIONS_', 'RUNNER_', 'INPUT_'];

/** The entry's URL after `${VAR}` substitution, with the form it was written in. */
interface CheckedUrl {
  url: string;
  template?: string;
  /** The values substituted for its `${VAR}`s. */
  values: string[];
  /** Validate-only: the `${VAR}`s this run lacks; `url` and `template` are then as written. */
  unresolved?: string[];
}

interface UrlRules extends EntryRules {
  report: Report;
  /** Validate-only runs: an unset or empty `${VAR}` is a notice, not a problem. */
  notice: Report | undefined;
}

/**
 * The entry's URL after `${VAR}` substitution, with the form it was written in and the values
 * substituted; or undefined (with the problem reported). In a validate-only run, an entry whose
 * variables this run lacks keeps the text as written, with those variables as `unresolved`.
 */
function checkedUrl(entry: Entry, where: SourcePosition, rules: UrlRules): CheckedUrl | undefined {
  if (!entry.usable('url') || typeof entry.data.url !== 'string') return undefined;
  const written = entry.data.url;
  const substitution = substituteVariables(written, rules.env);
  const absent = absentVariables(substitution, where, rules);
  if (absent === undefined) return undefined;
  const present = substitution.variables.filter((variable) => !absent.includes(variable));
  if (carriesToken(present, where, rules)) return undefined;
  const values = present.map((variable) => rules.env[variable]!);
  if (absent.length > 0) return unresolvedUrl(written, values, absent, where, rules);
  const template = substitution.variables.length === 0 ? undefined : written;
  const subject =
    template === undefined
      ? '`url`'
      : `\`url\` (after substituting ${substitution.variables.map((v) => `\`\${${v}}\``).join(', ')})`;
  const problem = webhookUrlProblem(substitution.value, subject, template);
  if (problem !== undefined) {
    rules.report(where, problem);
    return undefined;
  }
  return { url: substitution.value, ...(template === undefined ? {} : { template }), values };
}

/**
 * The URL of an entry that a validate-only run cannot check, listed as written so that it is
 * counted and shown (CONTRACT §2). Whitespace in the text as written fails whatever the values:
 * reported now, as a run with the values would.
 */
function unresolvedUrl(
  written: string,
  values: string[],
  unresolved: string[],
  where: SourcePosition,
  rules: UrlRules,
): CheckedUrl | undefined {
  const problem = /\s/.test(written) ? webhookUrlProblem(written, '`url`', written) : undefined;
  if (problem === undefined) return { url: written, template: written, values, unresolved };
  rules.report(where, problem);
  return undefined;
}

/**
 * The `${VAR}`s a validate-only run lacks (unset or empty: a notice each, and the URL is not
 * checked), none elsewhere; or undefined, with the problems reported, when a `${VAR}` cannot be
 * used: one of the runner's own, unset (with a token), or a stray `${`.
 */
function absentVariables(
  substitution: Substitution,
  where: SourcePosition,
  { env, report, notice }: UrlRules,
): string[] | undefined {
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
  const usable =
    refused.length === 0 &&
    !substitution.malformed &&
    substitution.unset.every((variable) => absent.includes(variable));
  return usable ? absent : undefined;
}

/** True (and reported) when the value of one of these `${VAR}`s holds one of the run's tokens. */
function carriesToken(
  variables: readonly string[],
  where: SourcePosition,
  { env, tokens, report }: UrlRules,
): boolean {
  let carries = false;
  for (const [input, token] of Object.entries(tokens)) {
    if (!token) continue;
    for (const variable of variables) {
      if (!env[variable]!.includes(token)) continue;
      carries = true;
      report(
        where,
        `the value of \`\${${variable}}\` contains the run's ${input}: a webhook URL is sent to MijnKlantportaal and shown in reports, so it must never carry a token`,
      );
    }
  }
  return carries;
}
