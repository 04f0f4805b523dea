// Every action input, read and checked once into a typed Settings (CONTRACT §3), and every
// fact of the runner's environment (the event, its payload, the API and run URLs). Only the
// shells read this module; nothing else reads inputs or the environment. All problems are
// reported together, before any file is read or call is made.
import { readFileSync } from 'node:fs';
import type { Repository } from './github/client.js';
import { isLoopbackHost } from './url.js';
import type { PullRequestEvent } from './pull-request.js';
import type { ResyncSecrets } from './sync.js';
import type { RateBudget } from './mkp/rate-gate.js';
import { SECRET_TARGETS, type SecretTargetKind } from './secrets/target.js';

export type { PullRequestEvent, Repository, SecretTargetKind };

const RESYNC = ['missing', 'always', 'never'] as const;

export const DEFAULT_API_URL = 'https://api.mijnklantportaal.nl/v1';
/** Where GitHub's REST API is when the runner does not say (GITHUB_API_URL). */
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

/** What the environment overrides (README "Tuning"); each HTTP layer keeps its own defaults. */
export interface Tuning {
  timeoutMs?: number;
  retryBaseMs?: number;
  budget?: RateBudget;
  githubWriteIntervalMs?: number;
  /** The longest GitHub's rate limits may hold a run, in all. */
  githubMaxWaitMs?: number;
}

export interface Settings {
  config: string;
  apiToken: string | undefined;
  apiUrl: string;
  dryRun: boolean;
  secretsTarget: SecretTargetKind;
  githubToken: string | undefined;
  /** GITHUB_API_URL: github.com's REST API, or a GitHub Enterprise Server's. */
  githubApiUrl: string;
  repository: Repository | undefined;
  environment: string | undefined;
  organization: string | undefined;
  resyncSecrets: ResyncSecrets;
  failOnDrift: boolean;
  prComment: boolean;
  driftIssue: boolean;
  /** GITHUB_EVENT_NAME: what started the run ('' outside Actions); the PR comment and drift issue act on some events only. */
  eventName: string;
  tuning: Tuning;
}

export class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'InputError';
  }
}

/** `getInput` returns an input's value ('' when unset), like core.getInput. */
export function readSettings(
  getInput: (name: string) => string,
  env: Record<string, string | undefined> = process.env,
): Settings {
  const read = new InputReader(getInput);
  const dryRun = read.bool('dry-run');
  const apiToken = read.token('api-token');
  if (!apiToken) {
    const driftChecks = ['fail-on-drift', 'drift-issue'].filter((n) =>
      /^(true|True|TRUE)$/.test(read.input(n)),
    );
    const problem = emptyTokenProblem(dryRun, env.GITHUB_EVENT_NAME ?? '', driftChecks);
    if (problem) read.problems.push(problem);
  }
  const apiUrl = checkApiUrl(read.input('api-url') || DEFAULT_API_URL, read.problems);
  const secretsTarget = read.oneOf('secrets-target', SECRET_TARGETS, 'outputs');
  const resyncSecrets = read.oneOf('resync-secrets', RESYNC, 'missing');
  const github = readGitHubInputs(read, secretsTarget);
  const settings: Settings = {
    config: read.input('config') || 'webhooks.yaml',
    apiToken,
    apiUrl,
    dryRun,
    secretsTarget,
    githubApiUrl: env.GITHUB_API_URL || DEFAULT_GITHUB_API_URL,
    ...github,
    resyncSecrets,
    failOnDrift: read.bool('fail-on-drift'),
    eventName: env.GITHUB_EVENT_NAME ?? '',
    tuning: readTuning(env, read.problems),
  };
  if (read.problems.length > 0) throw new InputError(read.problems);
  return settings;
}

/**
 * CONTRACT §2: a run without an api-token validates the file only, which is for pull request
 * events: a fork's pull request gets no secrets. Anywhere else an empty token is most likely a
 * secret that is missing or misspelled.
 */
export const VALIDATE_ONLY_EVENTS: readonly string[] = [
  'pull_request',
  'pull_request_target',
  'merge_group',
];

const TOKEN_FROM_SECRET = 'api-token: ${{ secrets.MKP_API_TOKEN }}';

/**
 * Why an empty api-token cannot run: an apply needs it; a dry run outside a pull request may go
 * without it only when no drift check (`fail-on-drift`, `drift-issue`) would then pass unseen.
 */
function emptyTokenProblem(
  dryRun: boolean,
  eventName: string,
  driftChecks: string[],
): string | undefined {
  if (!dryRun) {
    return `input \`api-token\` is empty: pass a MijnKlantportaal API key from a secret (${TOKEN_FROM_SECRET}); only a dry run on a pull request may go without one`;
  }
  if (VALIDATE_ONLY_EVENTS.includes(eventName) || driftChecks.length === 0) return undefined;
  return `input \`api-token\` is empty on a ${eventName || 'local'} run with ${driftChecks.join(' and ')}: a drift check that cannot read the account must not pass. Pass ${TOKEN_FROM_SECRET} (is that secret missing, or misspelled?); only a pull request's run may validate the file alone`;
}

/**
 * The warning of a run without an api-token outside a pull request (CONTRACT §2), or undefined
 * on a pull request event, where a validate-only run is expected.
 */
export function accountNotCheckedWarning(settings: Settings): string | undefined {
  if (settings.apiToken || VALIDATE_ONLY_EVENTS.includes(settings.eventName)) return undefined;
  return `no api-token on a ${settings.eventName || 'local'} run: the file is valid, but the account was not checked. Pass ${TOKEN_FROM_SECRET} (is that secret missing, or misspelled?); only a pull request's run is expected to go without it`;
}

/**
 * The action's inputs as action.yml means them, every problem collected rather than thrown:
 * `input` is the text ('' when not given), `optional` undefined then; `bool`, `oneOf` and
 * `token` check the value they read.
 */
class InputReader {
  readonly problems: string[] = [];

  constructor(private readonly getInput: (name: string) => string) {}

  input(name: string): string {
    const value = this.getInput(name).trim();
    // Runners expand action.yml's `${{ github.* }}` defaults; local runners (local-action, act)
    // may pass them through as text, which means "not given".
    return /^\$\{\{.*\}\}$/.test(value) ? '' : value;
  }

  optional(name: string): string | undefined {
    return this.input(name) || undefined;
  }

  token(name: string): string | undefined {
    const value = this.optional(name);
    const problem = value === undefined ? undefined : tokenProblem(`input \`${name}\``, value);
    if (problem) this.problems.push(problem);
    return value;
  }

  bool(name: string): boolean {
    const value = this.input(name);
    if (value === '' || /^(false|False|FALSE)$/.test(value)) return false;
    if (/^(true|True|TRUE)$/.test(value)) return true;
    this.problems.push(`input \`${name}\` must be true or false, not \`${value}\``);
    return false;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.input(name) || fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`input \`${name}\` must be one of ${allowed.join(', ')}, not \`${value}\``);
    return fallback;
  }
}

type GitHubInputs = Pick<
  Settings,
  'repository' | 'environment' | 'organization' | 'githubToken' | 'prComment' | 'driftIssue'
>;

/**
 * Where on GitHub the run writes: the repository, environment or organization of the secret
 * target, the PR comment and the drift issue, and the token for them; each required where it
 * is needed.
 */
function readGitHubInputs(read: InputReader, secretsTarget: SecretTargetKind): GitHubInputs {
  const repositoryText = read.input('repository');
  const repository = repositoryText ? parseRepository(repositoryText) : undefined;
  if (repositoryText && !repository) {
    read.problems.push(
      `input \`repository\` must be owner/name as GitHub spells them (letters, digits, -, _ and . in the name), not \`${repositoryText}\``,
    );
  }
  const environment = read.optional('environment');
  const organization = read.optional('organization');
  for (const problem of [environmentProblem(environment), organizationProblem(organization)]) {
    if (problem) read.problems.push(problem);
  }
  const inputs: GitHubInputs = {
    repository,
    environment,
    organization: organization ?? repository?.owner,
    githubToken: read.token('github-token'),
    prComment: read.bool('pr-comment'),
    driftIssue: read.bool('drift-issue'),
  };
  const { githubToken, prComment, driftIssue } = inputs;
  const needsRepository =
    secretsTarget === 'repository' || secretsTarget === 'environment' || prComment || driftIssue;
  if (needsRepository && !repositoryText) {
    read.problems.push(
      'input `repository` is empty: it is needed to write secrets, comments and issues',
    );
  }
  if (secretsTarget === 'environment' && !environment) {
    read.problems.push(
      'input `environment` is empty: it is required with secrets-target: environment',
    );
  }
  if (secretsTarget === 'organization' && !inputs.organization) {
    read.problems.push(
      'input `organization` is empty and `repository` gives no owner: it is required with secrets-target: organization',
    );
  }
  if ((secretsTarget !== 'outputs' || prComment || driftIssue) && !githubToken) {
    read.problems.push(
      'input `github-token` is empty: it is needed to write GitHub secrets, comments and issues',
    );
  }
  return inputs;
}

/**
 * `owner/name` as GitHub allows them: an owner of letters, digits, - and _ (enterprise managed
 * users), not starting with - or _; a name of letters, digits, -, _ and ., never `.` or `..`.
 * Anything else (`../x`) would change the path of an API call.
 */
export function parseRepository(text: string): Repository | undefined {
  const match = /^([A-Za-z0-9][A-Za-z0-9_-]{0,38})\/([A-Za-z0-9_.-]{1,100})$/.exec(text);
  if (!match || match[2] === '.' || match[2] === '..') return undefined;
  return { owner: match[1]!, repo: match[2]! };
}

/**
 * What is wrong with the `environment` input, or undefined when GitHub could hold it: at most
 * 255 characters, no control character, and never `.` or `..`, which URL parsing would resolve
 * out of the environment's path (the call would reach the repository's own secrets).
 */
export function environmentProblem(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  if (CONTROL.test(name)) {
    return "input `environment` contains a control character (such as a line break): give the environment's name alone";
  }
  if (name === '.' || name === '..' || name.length > 255) {
    return `input \`environment\` must be an environment's name (at most 255 characters, not . or ..), not \`${name.slice(0, 60)}\``;
  }
  return undefined;
}

/**
 * What is wrong with the `organization` input, or undefined when it is a GitHub login: letters,
 * digits and single hyphens inside, 1 to 39 characters (`Acme Corp` would change the call's path).
 */
export function organizationProblem(login: string | undefined): string | undefined {
  if (login === undefined || /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/.test(login)) {
    return undefined;
  }
  const shown = CONTROL.test(login)
    ? 'a name with a control character'
    : `\`${login.slice(0, 60)}\``;
  return `input \`organization\` must be an organization's login as GitHub spells it (letters, digits and single hyphens, at most 39 characters), not ${shown}`;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * A token with a control character (a newline from an earlier step's output, say) would split
 * the Authorization header and the runner's masking, which works line by line: refused before
 * any request. The message never shows the value.
 */
export function tokenProblem(subject: string, value: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    return `${subject} contains a control character (such as a line break): pass the token alone, e.g. \${{ secrets.X }} without extra lines`;
  }
  return undefined;
}

/**
 * https, or http to a loopback address only (a local emulator); no trailing slash. `subject`
 * names where the URL came from: the Action's input, or the CLI's MKP_API_URL.
 */
export function checkApiUrl(
  value: string,
  problems: string[],
  subject = 'input `api-url`',
): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`${subject} is not a URL: \`${value}\``);
    return value;
  }
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    problems.push(
      `${subject} must use https (plain http is allowed only to a loopback address such as 127.0.0.1), not \`${url.protocol}//${url.host}\``,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    problems.push(`${subject} must not carry user-info, a query or a fragment`);
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * Tuning from the environment, for tests, benchmarks and unusual networks; not part of the
 * contract: MKP_HTTP_TIMEOUT_MS, MKP_RETRY_BASE_MS, MKP_RATE_LIMIT ("60/60000": calls/window ms),
 * MKP_GITHUB_WRITE_INTERVAL_MS (pace of GitHub writes; GitHub asks for one a second),
 * MKP_GITHUB_MAX_WAIT_MS (the longest GitHub's rate limits may hold a run; default 5 minutes).
 */
export function readTuning(
  env: Record<string, string | undefined>,
  problems: string[] = [],
): Tuning {
  let budget: RateBudget | undefined;
  const whole = (name: string, min: number): number | undefined => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    if (/^\d+$/.test(value) && Number(value) >= min) return Number(value);
    problems.push(
      `environment variable ${name} must be a whole number of at least ${min}, not \`${value}\``,
    );
    return undefined;
  };
  const rate = env.MKP_RATE_LIMIT;
  if (rate) {
    const match = /^(\d+)\/(\d+)$/.exec(rate);
    if (match && Number(match[1]) > 0 && Number(match[2]) > 0) {
      budget = { limit: Number(match[1]), windowMs: Number(match[2]) };
    } else {
      problems.push(`environment variable MKP_RATE_LIMIT must look like 60/60000, not \`${rate}\``);
    }
  }
  return {
    timeoutMs: whole('MKP_HTTP_TIMEOUT_MS', 1),
    retryBaseMs: whole('MKP_RETRY_BASE_MS', 1),
    budget,
    githubWriteIntervalMs: whole('MKP_GITHUB_WRITE_INTERVAL_MS', 0),
    githubMaxWaitMs: whole('MKP_GITHUB_MAX_WAIT_MS', 0),
  };
}

export interface RunContext {
  pullRequest: PullRequestEvent | undefined;
  /** GITHUB_WORKSPACE: the folder the repository is checked out into (or above). */
  workspace: string | undefined;
  /** A link to this workflow run, when the runner says where it is. */
  runUrl: string | undefined;
  /** GITHUB_STEP_SUMMARY: the file the job summary goes to; unset in local runs. */
  stepSummary: string | undefined;
}

/**
 * The runner's event, read from GITHUB_EVENT_NAME and the payload at GITHUB_EVENT_PATH, and
 * where the run is (GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID).
 */
export function readRunContext(env: Record<string, string | undefined>): RunContext {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  const where = {
    workspace: env.GITHUB_WORKSPACE || undefined,
    runUrl: server && repo && run ? `${server}/${repo}/actions/runs/${run}` : undefined,
    stepSummary: env.GITHUB_STEP_SUMMARY || undefined,
  };
  const name = env.GITHUB_EVENT_NAME;
  if (name !== 'pull_request' && name !== 'pull_request_target') {
    return { pullRequest: undefined, ...where };
  }
  let payload: unknown;
  try {
    payload = env.GITHUB_EVENT_PATH
      ? JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'))
      : undefined;
  } catch {
    payload = undefined; // an unreadable payload leaves the base unknown: a notice, not a failure
  }
  const pr = (payload as { pull_request?: Record<string, unknown> } | undefined)?.pull_request;
  const base = (pr?.base ?? {}) as { sha?: unknown; ref?: unknown };
  const head = (pr?.head ?? {}) as { sha?: unknown };
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  return {
    pullRequest: {
      number: typeof pr?.number === 'number' ? pr.number : undefined,
      baseSha:
        typeof base.sha === 'string' && /^[0-9a-f]{40,64}$/i.test(base.sha) ? base.sha : undefined,
      baseRef: text(base.ref),
      headSha: typeof head.sha === 'string' ? head.sha : undefined,
    },
    ...where,
  };
}
