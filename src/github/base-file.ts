// The base branch's version of the config file, read at the pull request's base commit through
// the GitHub contents API (raw: the file's own bytes, so that a file of 1 MiB is an answer of
// 1 MiB, CONTRACT §4's cap) and checked by the same loader. Whatever goes wrong makes the base
// 'unreadable' (a notice in the report), never a failure of the run.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { MAX_FILE_BYTES, parseWebhooksFile } from '../config/load.js';
import { ConfigError } from '../config/types.js';
import type { PullRequestBase, PullRequestEvent } from '../pull-request.js';
import {
  githubAnswer,
  githubClient,
  type GitHubClient,
  type GitHubClientOptions,
  type GitHubTuning,
  type Repository,
} from './client.js';
import { AnswerTooLarge } from './wire.js';
import { plural } from '../text/words.js';

/**
 * GitHub's raw media type: a file's (or a symbolic link's target file's) bytes as they are. A
 * folder, a submodule or a link to anything else is still answered as JSON that describes it.
 */
const RAW = 'application/vnd.github.raw+json';

export interface BaseFileRequest {
  /** Builds the client; default: one with the github-token. Tests pass their own. */
  octokit?: GitHubClient;
  githubToken: string | undefined;
  /** GITHUB_API_URL, for the default client. */
  githubApiUrl: string;
  tuning: GitHubTuning;
  repository: Repository | undefined;
  event: PullRequestEvent;
  /** The config path as the run was given it (relative to the working directory). */
  configPath: string;
  /** GITHUB_WORKSPACE, where a repository root is looked for when no `.git` is found. */
  workspace: string | undefined;
  /** Where `${VAR}` in the base file's URLs is read from: the same as for the head file. */
  env: Record<string, string | undefined>;
  /** The run's tokens, refused in a `${VAR}` value as in the head file. */
  tokens?: Record<string, string | undefined>;
  /** Told about each wait for GitHub's rate limits (the log), as the other GitHub clients are. */
  onWait?: GitHubClientOptions['onWait'];
}

export async function readBaseFile(request: BaseFileRequest): Promise<PullRequestBase> {
  const { event, repository, configPath } = request;
  const ref = event.baseRef ?? event.baseSha?.slice(0, 7) ?? 'the base branch';
  const unreadable = (reason: string): PullRequestBase => ({ state: 'unreadable', ref, reason });
  if (!event.baseSha) return unreadable('the event payload names no base commit');
  if (!request.githubToken) return unreadable('there is no github-token to read it with');
  if (!repository) return unreadable('the repository input is empty');
  const path = repositoryPath(configPath, request.workspace);
  if (path === undefined) {
    return unreadable(`${configPath} is outside the repository's checkout`);
  }

  const octokit =
    request.octokit ??
    githubClient(request.githubToken, request.githubApiUrl, request.tuning, {
      onWait: request.onWait,
    });
  const file = await fileAt(octokit, repository, path, event.baseSha);
  if (file === 'new') return { state: 'new', ref };
  if ('reason' in file) return unreadable(file.reason);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(file.bytes);
  } catch {
    return unreadable(`${path} is not UTF-8 text at the base commit`);
  }
  try {
    return {
      state: 'read',
      ref,
      file: parseWebhooksFile(text, configPath, { env: request.env, tokens: request.tokens }),
    };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const n = error.problems.length;
    return unreadable(`the base branch's file is invalid (${plural(n, 'problem')})`);
  }
}

/**
 * The config file's path from the repository root, with `/`: the nearest folder upward holding
 * `.git` is the root (a checkout into a sub-folder of the workspace has its own), else the
 * workspace. Undefined when the file lies outside it.
 */
export function repositoryPath(
  configPath: string,
  workspace: string | undefined,
): string | undefined {
  const absolute = resolve(configPath);
  let root: string | undefined;
  for (let dir = dirname(absolute); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) {
      root = dir;
      break;
    }
    if (dirname(dir) === dir) break;
  }
  root ??= workspace ? resolve(workspace) : process.cwd();
  const path = relative(root, absolute);
  if (path === '' || path.startsWith('..') || isAbsolute(path)) return undefined;
  return path.split(sep).join('/');
}

/**
 * The file's bytes at the commit, as the raw media type gives them; 'new' when the repository
 * is readable but the file is not there; else why not.
 */
async function fileAt(
  octokit: GitHubClient,
  repository: Repository,
  path: string,
  sha: string,
): Promise<{ bytes: Buffer } | 'new' | { reason: string }> {
  const tooLarge = { reason: `${path} is larger than 1 MB at the base commit` };
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  let answer: { headers: Record<string, unknown>; data: unknown };
  try {
    answer = await octokit.request(`GET /repos/{owner}/{repo}/contents/${encoded}`, {
      ...repository,
      ref: sha,
      headers: { accept: RAW },
      // The bytes as they came: Octokit would decode them as UTF-8, replacing what is not.
      request: { parseSuccessResponseBody: false },
    });
  } catch (error) {
    if (refusedAsTooLarge(error)) return tooLarge;
    const { status, said } = githubAnswer(error);
    const noCommit = /no commit found/i.test(said);
    if (status === 404 && !noCommit && (await repositoryReadable(octokit, repository))) {
      return 'new';
    }
    const why =
      (status === 403 || status === 404) && !noCommit
        ? ' (the github-token needs contents: read)'
        : '';
    return { reason: `${said}${why}` };
  }
  // The wire has read it whole (within its cap); a client without it may still break off here.
  const bytes = await bytesOf(answer.data as ReadableStream<Uint8Array> | null);
  if (bytes === undefined) return { reason: "GitHub's answer broke off" };
  // JSON is GitHub describing what is there instead: a folder, a submodule, a link elsewhere.
  if (/^application\/json\b/i.test(String(answer.headers['content-type'] ?? ''))) {
    return describesAFile(bytes)
      ? { reason: 'GitHub sent its content in an unexpected form' }
      : { reason: `${path} is not a file at the base commit` };
  }
  return bytes.length > MAX_FILE_BYTES ? tooLarge : { bytes };
}

async function bytesOf(body: ReadableStream<Uint8Array> | null): Promise<Buffer | undefined> {
  try {
    return Buffer.from(await new Response(body).arrayBuffer());
  } catch {
    return undefined;
  }
}

/** A JSON answer that describes a file (a server that ignored the raw media type). */
function describesAFile(json: Buffer): boolean {
  try {
    return (JSON.parse(json.toString('utf8')) as { type?: unknown } | null)?.type === 'file';
  } catch {
    return false;
  }
}

/** The wire refused the answer as over its cap: for the contents API, a file over 1 MiB. */
function refusedAsTooLarge(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e instanceof AnswerTooLarge) return true;
  }
  return false;
}

/** Tells "no such file at that commit" from "no access": GitHub answers 404 to both. */
async function repositoryReadable(octokit: GitHubClient, repository: Repository): Promise<boolean> {
  try {
    await octokit.request('GET /repos/{owner}/{repo}', { ...repository });
    return true;
  } catch {
    return false;
  }
}
