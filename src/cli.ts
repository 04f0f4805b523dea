import { lstat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadWebhooksFile } from './config/load.js';
import {
  ConfigError,
  formatProblem,
  type ConfigProblem,
  type Subscription,
  type WebhooksFile,
} from './config/types.js';
import { checkApiUrl, DEFAULT_API_URL, readTuning, tokenProblem } from './inputs.js';
import type { Log } from './log.js';
import { connect, type MkpClient } from './mkp/client.js';
import { checkedPlanJson, createdJson, planJson } from './report/outputs.js';
import { renderProblems, renderText } from './report/terminal.js';
import { MIN_MASKED_VARIABLE_LENGTH } from './scrub.js';
import { openTerminal, type Terminal } from './terminal.js';
import { closest } from './config/suggest.js';
import type { SyncResult } from './result.js';
import { sync } from './sync.js';
import { plainText } from './text/phrase.js';
import { createdIn, succeeded } from './verdicts.js';
import { uncheckedCount } from './wording.js';
import { messageOf, plural } from './text/words.js';
import packageJson from '../package.json' with { type: 'json' };

const { version } = packageJson;

/**
 * The terminal shell: `mkp-webhooks-sync validate|plan|apply|import|emulator|help`. Same core as
 * the Action; the token comes from MKP_API_TOKEN, the base URL from MKP_API_URL. It never prints
 * a secret. bin.ts loads it, after the Node version check.
 */
const BIN = 'mkp-webhooks-sync';
const USAGE = `usage: ${BIN} <command> [options]

commands:
  validate   check webhooks.yaml; nothing is sent anywhere
  plan       show what apply would do (reads the account when MKP_API_TOKEN is set)
  apply      create the missing webhooks (needs MKP_API_TOKEN)
  import     write webhooks.yaml from the webhooks already on the account
  emulator   serve a MijnKlantportaal emulator on 127.0.0.1, to try the others without an
             account; it prints the MKP_API_URL and MKP_API_TOKEN to use
  help       this text

options:
  --config FILE   validate, plan, apply: the declarative file (default webhooks.yaml)
  --json          validate, plan, apply: print machine-readable JSON on stdout
  --output FILE   import: where to write (default webhooks.yaml; - for stdout)
  --force         import: replace an existing file
  --names STYLE   import: entry names from the URL's host and path (auto), host only
                  (host), or none
  --secret-template T
                  import: secret-name template for every entry, e.g. {NAME}_{EVENT}_SECRET
  --owns PATTERN  import: only webhooks under this URL pattern (* any text), written as
                  the file's owns list; repeat it for several patterns
  --port N        emulator: the port to listen on (default: any free port)
  --seed ACCOUNT  emulator: none (an empty account, the default) or demo (two webhooks)
  -h, --help      this text
  -v, --version   the version

environment: MKP_API_TOKEN (API key or OAuth token), MKP_API_URL (default ${DEFAULT_API_URL})
`;

const USAGE_LINES = linesOf(USAGE);

/** Where people read the file's format: the docs of the release line this CLI belongs to. */
const FORMAT_DOCS =
  'https://github.com/mkp-webhooks-sync/mkp-webhooks-sync/blob/v1/docs/webhooks-yaml.md';

const COMMANDS = ['validate', 'plan', 'apply', 'import', 'emulator', 'help'] as const;
type Command = (typeof COMMANDS)[number];

/** Every option, and the commands it applies to (none: it applies to every command). */
const OPTIONS = {
  config: { type: 'string', for: ['validate', 'plan', 'apply'] },
  json: { type: 'boolean', for: ['validate', 'plan', 'apply'] },
  output: { type: 'string', for: ['import'] },
  force: { type: 'boolean', for: ['import'] },
  names: { type: 'string', for: ['import'] },
  'secret-template': { type: 'string', for: ['import'] },
  owns: { type: 'string', multiple: true, for: ['import'] },
  port: { type: 'string', for: ['emulator'] },
  seed: { type: 'string', for: ['emulator'] },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const satisfies Record<
  string,
  { type: 'string' | 'boolean'; short?: string; multiple?: boolean; for?: readonly Command[] }
>;

class UsageError extends Error {}

export async function main(argv: string[], env = process.env): Promise<number> {
  const terminal = openTerminal();
  // With --json, every failure of validate, plan and apply prints one shape on stdout, once.
  let jsonFailure: JsonFailureSink | undefined;
  try {
    const { values, command } = parseCommandLine(argv);
    if (values.help || command === 'help') {
      terminal.show(...USAGE_LINES);
      return 0;
    }
    if (values.version) {
      terminal.show(version);
      return 0;
    }
    if (!command) {
      // A bare `npx mkp-webhooks-sync` is how many people start: the usage teaches more than a line.
      terminal.err('error: expected a command', '', ...USAGE_LINES);
      return 2;
    }
    if (command === 'emulator') return await emulatorCommand(values, terminal);
    if (values.json) jsonFailure = onceAsJson(command, terminal.json);

    const { token, problem } = readToken(env);
    const refused = tokenRefusal(command, token, problem, terminal.log);
    if (refused) {
      terminal.err(`error: ${refused}`);
      jsonFailure?.({ error: refused });
      return 1;
    }
    const client = () => makeClient(env, token!, terminal.log);
    if (command === 'import') return await runImport(values, client, terminal);
    const access: Access = { env, token, client };
    return await runFileCommand(command, values, access, terminal, jsonFailure);
  } catch (error) {
    if (error instanceof UsageError) {
      terminal.err(`error: ${error.message}; see ${BIN} --help`);
      return 2;
    }
    terminal.err(`error: ${messageOf(error)}`);
    jsonFailure?.({ error: messageOf(error) });
    return 1;
  }
}

/**
 * Why the command cannot run with this MKP_API_TOKEN (readToken's `problem`, or none given where
 * one is needed), or undefined. A token readToken kept is masked first.
 */
function tokenRefusal(
  command: Command,
  token: string | undefined,
  problem: string | undefined,
  log: Log,
): string | undefined {
  if (token) log.mask(token);
  if (problem) return problem;
  if ((command === 'apply' || command === 'import') && !token) {
    return `${command} needs MKP_API_TOKEN (a MijnKlantportaal API key with the webhooks scope)`;
  }
  return undefined;
}

async function runImport(
  values: CliValues,
  client: () => MkpClient,
  { log, data }: Terminal,
): Promise<number> {
  const names = values.names ?? 'auto';
  if (names !== 'auto' && names !== 'host' && names !== 'none') {
    throw new UsageError(`--names must be auto, host or none, not ${names}`);
  }
  const { importAccount } = await import('./import.js');
  return importAccount({
    client: client(),
    output: values.output ?? 'webhooks.yaml',
    force: values.force ?? false,
    names,
    secretTemplate: values['secret-template'],
    owns: values.owns,
    log,
    out: data,
  });
}

/** What a command that reads the file may use: the environment, and the account when a token is set. */
interface Access {
  env: Record<string, string | undefined>;
  token: string | undefined;
  client: () => MkpClient;
}

/** validate, plan and apply: the file, then (plan, apply) the run and what it came to. */
async function runFileCommand(
  command: 'validate' | 'plan' | 'apply',
  values: CliValues,
  { env, token, client }: Access,
  terminal: Terminal,
  jsonFailure: JsonFailureSink | undefined,
): Promise<number> {
  const json = values.json ?? false;
  const config = values.config ?? 'webhooks.yaml';
  const fail = (error: string, result?: SyncResult) => jsonFailure?.({ error, result });
  const file = await loadFile(config, command === 'validate' || !token, { env, token }, terminal);
  if (file instanceof ConfigError) {
    terminal.err(...renderProblems(file.problems));
    if (await isMissing(config)) terminal.err(startHint(config));
    jsonFailure?.({
      error: `${config} has ${plural(file.problems.length, 'problem')}; nothing was sent`,
      problems: file.problems,
    });
    return 1;
  }
  const result = await sync({
    file,
    client: token && command !== 'validate' ? client() : null,
    dryRun: command !== 'apply',
    target: null,
    resync: 'never',
    log: terminal.log,
  });
  if (command === 'validate') {
    if (json) terminal.json({ valid: true, ...planJson(result) });
    else terminal.show(`${file.path}: valid, ${validCount(file.subscriptions)}`);
    return 0;
  }
  return reportRun(command, result, json, terminal, fail);
}

/**
 * The file, checked, its notices on stderr and its `${VAR}` values scrubbed; or its problems.
 * validate never reads the account, and plan without a token cannot: `${VAR}`s that this run
 * lacks are then not checked (CONTRACT §1).
 */
async function loadFile(
  config: string,
  validateOnly: boolean,
  { env, token }: Pick<Access, 'env' | 'token'>,
  { err, scrubber }: Terminal,
): Promise<WebhooksFile | ConfigError> {
  let file: WebhooksFile;
  try {
    file = await loadWebhooksFile(config, { env, tokens: { MKP_API_TOKEN: token }, validateOnly });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  for (const notice of file.notices ?? []) err(`notice: ${formatProblem(notice)}`);
  for (const value of file.substitutedValues ?? []) scrubber.add(value, 'variable');
  return file;
}

/** The plan or what the apply did, for people or as JSON; exit 1 when the run did not succeed. */
function reportRun(
  command: 'plan' | 'apply',
  result: SyncResult,
  json: boolean,
  { json: out, show, err }: Terminal,
  fail: (error: string, result?: SyncResult) => void,
): number {
  // Each failure was logged on stderr as it happened; it is not repeated.
  if (!succeeded(result)) {
    if (command === 'plan') {
      fail(`no plan: ${failureMessages(result).join('; ')}`);
      return 1;
    }
    const what = result.plan
      ? `apply did not finish: ${createdIn(result).length} of ${plural(result.plan.create.length, 'webhook')} created; the next apply (or the Action) repairs what is left`
      : 'nothing was created';
    if (json) fail(`${what} (${failureMessages(result).join('; ')})`, result);
    else if (result.plan) {
      show(...renderText(result));
      err(what);
    }
    return 1;
  }
  if (json && command === 'plan') out(planJson(result));
  else if (json) out({ plan: checkedPlanJson(result.plan!), created: createdJson(result) });
  else show(...renderText(result));
  const created = createdIn(result).length;
  if (command === 'apply' && created > 0) {
    const [secrets, stay, them] =
      created === 1 ? ['secret', 'stays', 'it'] : ['secrets', 'stay', 'them'];
    err(
      `The ${secrets} of the ${plural(created, 'new webhook')} ${stay} on the MijnKlantportaal account; this terminal never shows ${them}. The Action delivers ${them} to GitHub (resync-secrets: missing).`,
    );
  }
  return 0;
}

/** What a failed `--json` run prints (docs/json.md): the problems of an invalid file, and what apply did. */
interface JsonFailure {
  error: string;
  problems?: ConfigProblem[];
  result?: SyncResult;
}

type JsonFailureSink = (failure: JsonFailure) => void;

/** With --json: prints a failure in its one shape on stdout, the first time only. */
function onceAsJson(command: Command, out: (value: unknown) => void): JsonFailureSink {
  let printed = false;
  return (failure) => {
    if (printed) return;
    printed = true;
    out(failureJson(command, failure));
  };
}

function failureJson(command: Command, { error, problems = [], result }: JsonFailure): object {
  if (command === 'validate') return { valid: false, error, problems };
  const plan = result?.plan ? checkedPlanJson(result.plan) : null;
  if (command === 'apply') {
    return { error, problems, plan, created: result ? createdJson(result) : [] };
  }
  return { error, problems, plan };
}

/**
 * MKP_API_TOKEN, or why it is refused. The check comes before the token is masked: a refusal
 * must stay readable. A token shorter than MIN_MASKED_VARIABLE_LENGTH is refused too: the
 * scrubber cuts it out of everything printed, and `e` made every message `w***bhooks.yaml`;
 * no real API key is that short.
 */
function readToken(env: Record<string, string | undefined>): { token?: string; problem?: string } {
  const token = env.MKP_API_TOKEN?.trim() || undefined;
  if (token === undefined) return {};
  const problem = tokenProblem('MKP_API_TOKEN', token);
  if (problem) return { token, problem };
  if (token.length < MIN_MASKED_VARIABLE_LENGTH) {
    return {
      problem: `MKP_API_TOKEN is only ${plural(token.length, 'character')} long: a MijnKlantportaal API key or OAuth token is far longer (at least ${MIN_MASKED_VARIABLE_LENGTH} characters are needed to keep it out of what this command prints). Check what MKP_API_TOKEN holds; nothing was sent`,
    };
  }
  return { token };
}

/** True when nothing is at `path` (not even a link), so the file is still to be written. */
async function isMissing(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return false;
  } catch (error) {
    return (error as { code?: unknown }).code === 'ENOENT';
  }
}

/** What to do when there is no config file yet: write one, or import it from the account. */
function startHint(config: string): string {
  // A path to paste into a shell: quoted unless it is plain.
  const word = /^[\w./-]+$/.test(config) ? config : `'${config.replace(/'/g, `'\\''`)}'`;
  const output = config === 'webhooks.yaml' ? '' : ` --output ${word}`;
  return `To start, write ${config} (the format: ${FORMAT_DOCS}), or write it from the webhooks already on the account: MKP_API_TOKEN=… ${BIN} import${output}`;
}

/** `emulator [--port N] [--seed none|demo]`: loads the emulator's chunk and serves until Ctrl-C. */
async function emulatorCommand(values: CliValues, { show, err }: Terminal): Promise<number> {
  const port = values.port ?? '0';
  const { portProblem, serveEmulator, SEEDS } = await import('./emulator/serve.js');
  const problem = portProblem(port, '--port');
  if (problem !== undefined) throw new UsageError(problem);
  const seed = values.seed ?? 'none';
  if (!Object.hasOwn(SEEDS, seed)) {
    throw new UsageError(`--seed must be ${Object.keys(SEEDS).join(' or ')}, not ${seed}`);
  }
  return serveEmulator({
    port: Number(port),
    seed: seed as keyof typeof SEEDS,
    portSetting: { set: '--port N', unset: 'leave out --port' },
    cli: `npx ${BIN}`,
    out: (text) => show(...linesOf(text)),
    fail: (sentence) => err(`error: ${sentence}`),
    stop: new Promise((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    }),
  });
}

/** argv -> the command and its options; a usage mistake is one UsageError sentence. */
interface CliValues {
  config?: string;
  json?: boolean;
  output?: string;
  force?: boolean;
  names?: string;
  'secret-template'?: string;
  owns?: string[];
  port?: string;
  seed?: string;
  help?: boolean;
  version?: boolean;
}

function parseCommandLine(argv: string[]): { command: Command | undefined; values: CliValues } {
  const long = Object.keys(OPTIONS);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: false,
      tokens: true,
      options: OPTIONS as unknown as Record<
        string,
        { type: 'string' | 'boolean'; short?: string; multiple?: boolean }
      >,
    });
  } catch (error) {
    throw new UsageError(messageOf(error));
  }
  const [first, ...rest] = parsed.positionals;
  const command = COMMANDS.find((c) => c === first);
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') continue;
    // parseArgs names a known short option by its long name (-v: version).
    const shown = token.rawName;
    const option = Object.hasOwn(OPTIONS, token.name)
      ? (OPTIONS as Record<string, { type: string; for?: readonly string[] }>)[token.name]
      : undefined;
    if (!option) {
      const guess = closest(token.name, long);
      throw new UsageError(`unknown option ${shown}${guess ? ` (did you mean --${guess}?)` : ''}`);
    }
    if (option.type === 'string' && token.value === undefined) {
      throw new UsageError(`${shown} needs a value`);
    }
    if (option.type === 'boolean' && token.inlineValue) {
      throw new UsageError(`${shown} takes no value`);
    }
    if (command !== undefined && option.for && !option.for.includes(command)) {
      throw new UsageError(
        `${shown} does not apply to ${command} (it is for ${option.for.join(', ')})`,
      );
    }
  }
  if (first !== undefined && command === undefined) {
    const guess = closest(first, COMMANDS);
    throw new UsageError(`unknown command ${first}${guess ? ` (did you mean ${guess}?)` : ''}`);
  }
  // `help plan` prints the one usage text too.
  const helpFor = command === 'help' && rest.length === 1 ? rest.shift() : undefined;
  if (helpFor !== undefined && !(COMMANDS as readonly string[]).includes(helpFor)) {
    const guess = closest(helpFor, COMMANDS);
    throw new UsageError(`unknown command ${helpFor}${guess ? ` (did you mean ${guess}?)` : ''}`);
  }
  if (rest.length > 0) throw new UsageError(`unexpected argument ${rest[0]}`);

  return { command, values: parsed.values as CliValues };
}

function failureMessages(result: SyncResult): string[] {
  // A create failure's message already names its subscription.
  const createFailures = result.outcomes.flatMap(({ create }) =>
    create?.state === 'failed' ? [plainText(create.message)] : [],
  );
  return [...result.failures, ...createFailures];
}

function makeClient(env: Record<string, string | undefined>, token: string, log: Log): MkpClient {
  const problems: string[] = [];
  const apiUrl = checkApiUrl(env.MKP_API_URL?.trim() || DEFAULT_API_URL, problems, 'MKP_API_URL');
  const tuning = readTuning(env, problems);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return connect({
    apiUrl,
    token,
    tuning,
    mask: log.mask,
    onRetry: log.info,
    // A person waits at the terminal: a refused port is said at once, not retried for 12 s.
    shell: { urlSetting: 'MKP_API_URL', retryRefused: false },
  });
}

/** Our own multi-line text as the lines a terminal sink takes. */
function linesOf(text: string): string[] {
  return text.replace(/\n$/, '').split('\n');
}

process.exitCode = await main(process.argv.slice(2));

/** `validate`'s count: every declared subscription, and how many this run could not check. */
function validCount(subscriptions: readonly Subscription[]): string {
  const unchecked = uncheckedCount(subscriptions);
  const count = plural(subscriptions.length, 'subscription');
  return unchecked ? `${count} (${plainText(unchecked)})` : count;
}
