// webhooks.yaml -> the declared subscriptions, or a ConfigError with every problem of the file
// (CONTRACT §1). Pure: no network, no logging, no annotations; the shells report the problems.
import { constants, type Stats } from 'node:fs';
import { lstat, open, type FileHandle } from 'node:fs/promises';
import validate from './schema-validator.generated.js';
import { describeSchemaErrors, notAMapping } from './messages.js';
import { quoted } from './wording.js';
import { disownedProblems, scopeOf } from './scope.js';
import { subscriptionsOf } from './subscriptions.js';
import { ConfigError, type ConfigProblem, type WebhooksFile } from './types.js';
import { parseYaml } from './yaml-document.js';

export interface LoadOptions {
  /** Where `${VAR}` in `url` is read from; process.env by default. */
  env?: Record<string, string | undefined>;
  /**
   * The run's tokens by the name people know them by (`api-token`, `github-token`): a `${VAR}`
   * value that holds one is refused (CONTRACT §1).
   */
  tokens?: Record<string, string | undefined>;
  /** True with `secrets-target: outputs`: secret names then become step output names too. */
  secretsAsOutputs?: boolean;
  /**
   * No api-token in this run (CONTRACT §1): an unset or empty `${VAR}` is a notice, and its
   * subscriptions are left out; every other rule still applies.
   */
  validateOnly?: boolean;
}

/**
 * Our limit. A real file is a few kB (1000 subscriptions are about 100 kB); past 1 MB, the YAML
 * parser alone can take seconds on unusual but valid input (about 2 s for 1 MB of nested or
 * blank lines, 20 s for 5 MB), so a larger file is refused before it is parsed.
 */
export const MAX_FILE_BYTES = 1024 * 1024;

const TOO_LARGE =
  'the file is larger than 1 MB, the limit for a webhooks file (a real one is a few kB)';

/** Checks `text` as the content of the file at `path`. Throws ConfigError, and nothing else. */
export function parseWebhooksFile(
  text: string,
  path: string,
  options: LoadOptions = {},
): WebhooksFile {
  let problems: ConfigProblem[];
  let file: WebhooksFile | undefined;
  try {
    ({ problems, file } = check(text, path, options.env ?? process.env, options));
  } catch (error) {
    problems = [{ file: path, line: 1, column: 1, message: unexpected(error) }];
  }
  if (problems.length > 0 || file === undefined) throw new ConfigError(inFileOrder(problems));
  return file;
}

/**
 * A symbolic link is refused before anything is read (CONTRACT §4): a pull request can commit
 * the config file as a link to any file on the runner, such as `.git/config`, where
 * actions/checkout keeps the job's token, and the file's problems are quoted into reports.
 */
export const SYMLINK_REFUSED =
  'it is a symbolic link, and the config file must be a regular file: a link can point at any file on the runner (such as .git/config, which holds the job token after actions/checkout), whose text would then be quoted in reports. Commit the file itself, not a link';

/** Opens without following a link where the platform can (not on Windows, where lstat decides). */
const READ_NO_FOLLOW = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

/** Why the file at `path` with these stats cannot be the config file; undefined when it can. */
function fileRefusal(path: string, info: Stats): string | undefined {
  if (info.isSymbolicLink()) return `cannot read ${path}: ${SYMLINK_REFUSED}`;
  if (info.isDirectory()) return `cannot read ${path}: it is a directory`;
  if (!info.isFile()) return `cannot read ${path}: it is not a regular file`;
  if (info.size > MAX_FILE_BYTES) return TOO_LARGE;
  return undefined;
}

/** Reads and checks the file. A file that cannot be read is a ConfigError at 1:1 as well. */
export async function loadWebhooksFile(
  path: string,
  options: LoadOptions = {},
): Promise<WebhooksFile> {
  const atStart = (message: string) =>
    new ConfigError([{ file: path, line: 1, column: 1, message }]);
  let bytes: Buffer;
  let checked = false;
  let handle: FileHandle | undefined;
  try {
    const refusal = fileRefusal(path, await lstat(path));
    if (refusal !== undefined) throw atStart(refusal);
    checked = true;
    // The file opened is the one checked: O_NOFOLLOW fails on a link swapped in since the lstat.
    handle = await open(path, READ_NO_FOLLOW);
    const opened = fileRefusal(path, await handle.stat());
    if (opened !== undefined) throw atStart(opened);
    bytes = await handle.readFile();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const swapped = checked && (error as { code?: unknown } | null)?.code === 'ELOOP';
    throw atStart(`cannot read ${path}: ${swapped ? SYMLINK_REFUSED : readFailure(error)}`);
  } finally {
    await handle?.close();
  }
  if (bytes.length > MAX_FILE_BYTES) throw atStart(TOO_LARGE);

  let text: string;
  try {
    // The BOM is kept here and dropped by parseWebhooksFile, which takes text from anywhere.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const lossy = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    const before = lossy.slice(0, Math.max(0, lossy.indexOf('\uFFFD')));
    const lines = before.split('\n');
    throw new ConfigError([
      {
        file: path,
        line: lines.length,
        column: lines[lines.length - 1]!.length + 1,
        message: 'the file is not valid UTF-8 text: save it as UTF-8',
      },
    ]);
  }
  return parseWebhooksFile(text, path, options);
}

function check(
  text: string,
  path: string,
  env: Record<string, string | undefined>,
  options: LoadOptions,
): { problems: ConfigProblem[]; file?: WebhooksFile } {
  const atStart = (message: string) => ({
    problems: [{ file: path, line: 1, column: 1, message }],
  });
  if (typeof text !== 'string') return atStart('the file content is not text');
  if (text.length > MAX_FILE_BYTES || Buffer.byteLength(text, 'utf8') > MAX_FILE_BYTES) {
    return atStart(TOO_LARGE);
  }
  // Editors do not count a byte order mark as a column, and neither do annotations.
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;

  const yaml = parseYaml(source, path);
  const problems = [...yaml.problems];
  if (yaml.empty && problems.length === 0) {
    return atStart('the file is empty: expected a mapping with a `webhooks` list');
  }
  if (!('data' in yaml)) return { problems };
  const data = yaml.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { problems: [...problems, { ...yaml.positions.at([]), message: notAMapping(data) }] };
  }

  const locate = yaml.positions.at.bind(yaml.positions);
  const schema = validate(data)
    ? { problems: [], invalid: new Set<string>() }
    : describeSchemaErrors(validate.errors ?? [], data, locate);
  problems.push(...schema.problems);

  const entries = subscriptionsOf({
    data,
    invalid: schema.invalid,
    positions: yaml.positions,
    env,
    tokens: options.tokens ?? {},
    secretsAsOutputs: options.secretsAsOutputs ?? false,
    validateOnly: options.validateOnly ?? false,
  });
  problems.push(...entries.problems);
  const { scope, problems: scopeProblems } = scopeOf(data, schema.invalid, yaml.positions);
  problems.push(...scopeProblems, ...disownedProblems(entries.subscriptions, scope));

  if (problems.length > 0) return { problems };
  const scoped = scope.owns !== null || scope.ignore.length > 0;
  const file: WebhooksFile = {
    path,
    subscriptions: entries.subscriptions,
    substitutedValues: entries.substitutedValues,
    ...(scoped && { scope }),
  };
  if (entries.notices.length > 0) file.notices = inFileOrder(entries.notices);
  return { problems, file };
}

/** Problems sorted by line and column (stable), each once. */
function inFileOrder(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort(
      (a, b) =>
        a.problem.line - b.problem.line || a.problem.column - b.problem.column || a.index - b.index,
    )
    .map(({ problem }) => problem)
    .filter((problem) => {
      const key = `${problem.line}:${problem.column}:${problem.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

function readFailure(error: unknown): string {
  const codeOf = (error as { code?: unknown } | null)?.code;
  switch (codeOf) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return typeof codeOf === 'string'
        ? codeOf
        : error instanceof Error
          ? error.message
          : String(error);
  }
}

/** A failure no rule foresaw, still as a problem: the loader throws nothing but ConfigError. */
function unexpected(error: unknown): string {
  if (error instanceof RangeError) return 'the file is nested too deeply to read';
  const message = error instanceof Error ? error.message : String(error);
  // The error may quote the file: as much of it as any message does.
  const first = message.split(/\r\n|\r|\n/)[0] ?? '';
  return `the file could not be checked (${quoted(first)}); this is a bug in mkp-webhooks-sync, please report it`;
}
