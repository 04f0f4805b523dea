// The base branch's version of the config file, read at the pull request's base commit through
// the GitHub contents API and checked by the same loader. Whatever goes wrong makes the base
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
  type GitHubTuning,
  type Repository,
} from './client.js';
import { plural } from '../text/words.js';

/** The contents API sends a file of up to MAX_FILE_BYTES in base64, with line breaks: 4/3 and more. */
const BASE_FILE_ANSWER_BYTES = 2 * MAX_FILE_BYTES;

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
}

export async function readBaseFile(request: BaseFileRequest): Promise<PullRequestBase> {
  const { event, repository, configPath } = request;
  const ref = event.baseRef ?? event.baseSha?.slice(0, 7) ?? 'the base branch';
  const unreadable = (reason: string): PullRequestBase => ({ state: 'unreadable', ref, reason });
  if (!event.baseSha) return unreadable('the event payload names no base commit');
  if (!request.githubToken) return unreadable('there is no `github-token` to read it with');
  if (!repository) return unreadable('the `repository` input is empty');
  const path = repositoryPath(configPath, request.workspace);
  if (path === undefined) {
    return unreadable(`${configPath} is outside the repository's checkout`);
  }

  const octokit =
    request.octokit ??
    githubClient(request.githubToken, request.githubApiUrl, request.tuning, {
      maxAnswerBytes: BASE_FILE_ANSWER_BYTES,
    });
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  let data: unknown;
  try {
    ({ data } = await octokit.request(`GET /repos/{owner}/{repo}/contents/${encoded}`, {
      ...repository,
      ref: event.baseSha,
    }));
  } catch (error) {
    const { status, said } = githubAnswer(error);
    const noCommit = /no commit found/i.test(said);
    if (status === 404 && !noCommit && (await repositoryReadable(octokit, repository))) {
      return { state: 'new', ref };
    }
    const why =
      (status === 403 || status === 404) && !noCommit
        ? ' (the github-token needs `contents: read`)'
        : '';
    return unreadable(`${said}${why}`);
  }

  const answer = data as { type?: unknown; encoding?: unknown; content?: unknown; size?: unknown };
  if (Array.isArray(data) || answer.type !== 'file') {
    return unreadable(`${path} is not a file at the base commit`);
  }
  if (typeof answer.size === 'number' && answer.size > MAX_FILE_BYTES) {
    return unreadable(`${path} is larger than 1 MB at the base commit`);
  }
  if (answer.encoding !== 'base64' || typeof answer.content !== 'string') {
    return unreadable('GitHub sent its content in an unexpected form');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(answer.content, 'base64'));
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

/** Tells "no such file at that commit" from "no access": GitHub answers 404 to both. */
async function repositoryReadable(octokit: GitHubClient, repository: Repository): Promise<boolean> {
  try {
    await octokit.request('GET /repos/{owner}/{repo}', { ...repository });
    return true;
  } catch {
    return false;
  }
}
