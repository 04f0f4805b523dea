// The one place for secret-name rules. A subscription's secret is delivered under a name made
// from a template: `{NAME}` and `{EVENT}` are replaced by the entry's name and the event, both
// in UPPER_SNAKE. The result must be a name GitHub accepts for a secret, an environment
// variable and a step output alike.
import { upperSnake } from '../events.js';
import { closest } from './suggest.js';
import { character, quoted } from './wording.js';

/** Upper case only: GitHub compares secret names case-insensitively, so one spelling is kept. */
export const SECRET_NAME_PATTERN = /^[A-Z_][A-Z0-9_]*$/;

/**
 * Our limit, not GitHub's (which documents none): 100 characters keeps names readable in logs
 * and outputs, and is more than the default template can produce (`MKP_WEBHOOK_` + a 40
 * character name + the longest event is 81).
 */
export const SECRET_NAME_MAX_LENGTH = 100;

/**
 * Prefixes refused in any case: GitHub refuses `GITHUB_` for secrets, and the runner keeps
 * `ACTIONS_` and `RUNNER_` variables for itself (a secret exported as `ACTIONS_RUNTIME_TOKEN` or
 * `RUNNER_TEMP` would change how the job runs).
 */
export const RESERVED_SECRET_PREFIXES = ['GITHUB_', 'ACTIONS_', 'RUNNER_'] as const;

/**
 * The action's own outputs (CONTRACT §3). The runner stores outputs without regard to case, so
 * with `secrets-target: outputs` a secret named like one of these would replace it.
 */
export const STANDARD_OUTPUT_NAMES = [
  'plan',
  'created',
  'secrets',
  'changed',
  'drift',
  'to-create',
  'unmanaged',
] as const;

/** The placeholders a template may use, written `{NAME}` and `{EVENT}`. */
export const SECRET_PLACEHOLDERS = ['NAME', 'EVENT'] as const;

/** Characters a template may hold outside its placeholders. */
const TEMPLATE_CHARACTER = /[A-Z0-9_]/;

export function defaultSecretTemplate(hasName: boolean): string {
  return hasName ? 'MKP_WEBHOOK_{NAME}_{EVENT}' : 'MKP_WEBHOOK_{EVENT}';
}

/**
 * The secret name for one subscription. `{NAME}` stays as written when `name` is null, so the
 * result fails `secretNameProblem` rather than hiding the mistake; the loader reports that
 * case first, at the template.
 */
export function expandSecretTemplate(template: string, name: string | null, event: string): string {
  return template.replace(/\{(NAME|EVENT)\}/g, (placeholder, which: string) => {
    if (which === 'EVENT') return upperSnake(event);
    return name === null ? placeholder : upperSnake(name);
  });
}

/** What is wrong with a secret name, or undefined when GitHub and this action accept it. */
export function secretNameProblem(secretName: string): string | undefined {
  if (secretName === '') return 'the secret name is empty';
  const shown = quoted(secretName);
  if (secretName.length > SECRET_NAME_MAX_LENGTH) {
    return `secret name ${shown} is longer than ${SECRET_NAME_MAX_LENGTH} characters (${secretName.length})`;
  }
  if (/^[0-9]/.test(secretName)) return `secret name ${shown} must not start with a digit`;
  if (!SECRET_NAME_PATTERN.test(secretName)) {
    const bad = [...secretName].find((c) => !TEMPLATE_CHARACTER.test(c)) ?? '';
    return `secret name ${shown} may contain only A-Z, 0-9 and _, not ${character(bad)}`;
  }
  const reserved = RESERVED_SECRET_PREFIXES.find((p) => secretName.toUpperCase().startsWith(p));
  if (reserved === 'GITHUB_') {
    return `secret name ${shown} must not start with GITHUB_ (GitHub reserves that prefix)`;
  }
  if (reserved !== undefined) {
    return `secret name ${shown} must not start with ${reserved} (the runner reserves that prefix for its own variables)`;
  }
  return undefined;
}

/** With `secrets-target: outputs`: what is wrong with a secret name as a step output name. */
export function outputNameProblem(secretName: string): string | undefined {
  const output = STANDARD_OUTPUT_NAMES.find((o) => o.toUpperCase() === secretName.toUpperCase());
  if (output === undefined) return undefined;
  return `secret name ${quoted(secretName)} is the name of the action's output ${quoted(output)} (output names are compared without regard to case): with secrets-target: outputs it would replace that output; choose another \`secret\` template`;
}

/**
 * What is wrong with a `secret` template as written, or undefined when it only uses A-Z, 0-9,
 * _ and the placeholders. This is the rule of SECRET_TEMPLATE_PATTERN in the schema, in words.
 */
export function secretTemplateProblem(template: string): string | undefined {
  if (template === '')
    return '`secret` is empty: write a secret-name template such as `CRM_{EVENT}`';
  for (const match of template.matchAll(/\{([^{}]*)\}/g)) {
    const inner = match[1]!;
    if ((SECRET_PLACEHOLDERS as readonly string[]).includes(inner)) continue;
    const suggestion = closest(inner, SECRET_PLACEHOLDERS);
    const hint = suggestion
      ? `did you mean \`{${suggestion}}\`?`
      : `the placeholders are ${SECRET_PLACEHOLDERS.map((p) => `{${p}}`).join(' and ')}`;
    return `unknown placeholder ${quoted(match[0])} in \`secret\` (${hint})`;
  }
  const rest = template.replace(/\{(NAME|EVENT)\}/g, '');
  const bad = [...rest].find((c) => !TEMPLATE_CHARACTER.test(c));
  if (bad === undefined) return undefined;
  if (bad === '{' || bad === '}') {
    return `\`secret\` has a \`${bad}\` that is not part of {NAME} or {EVENT}`;
  }
  const why = /[a-z]/.test(bad) ? ' (secret names are upper case)' : '';
  return `\`secret\` may contain only A-Z, 0-9, _ and the placeholders {NAME} and {EVENT}, not ${character(bad)}${why}`;
}

/** Secret names are compared as GitHub does: without regard to case. */
export function secretNameKey(secretName: string): string {
  return secretName.toUpperCase();
}
