import { getOctokit } from '@actions/github';
import { defaults } from '@actions/github/lib/utils';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck/light.js';
import { GITHUB_TIMEOUT_MS, GITHUB_WRITE_INTERVAL_MS } from './pace.js';

// One Octokit for every GitHub call (secrets, base file, PR comment, drift issue), with GitHub's
// retry and throttling plugins, pointed at the API the runner names (GITHUB_API_URL, read by
// the inputs), so GitHub Enterprise Server works. Loaded only by runs that talk to GitHub.
export type GitHubClient = ReturnType<typeof getOctokit>;

/** A repository as the REST paths name it. */
export interface Repository {
  owner: string;
  repo: string;
}

/** What the environment tunes (README "Tuning"); pace.ts has the defaults. */
export interface GitHubTuning {
  /** pace of mutating requests (tests, GitHub Enterprise Server) */
  githubWriteIntervalMs?: number;
  /** how long one request may take before it is abandoned (and retried) */
  timeoutMs?: number;
}

/**
 * 5xx and network failures (a timeout included) are retried by the retry plugin, rate limits
 * (403/429) by the throttling plugin alone, as their retry-after says.
 */
export function githubClient(token: string, apiUrl: string, tuning: GitHubTuning): GitHubClient {
  const writeIntervalMs = tuning.githubWriteIntervalMs ?? GITHUB_WRITE_INTERVAL_MS;
  const timeoutMs = tuning.timeoutMs ?? GITHUB_TIMEOUT_MS;
  const retryTwice = (_after: number, _options: unknown, _octokit: unknown, retries: number) =>
    retries < 2;
  // @actions/github's own fetch goes through HTTPS_PROXY / HTTP_PROXY (NO_PROXY honoured) as
  // the runner's settings say, deciding for the GITHUB_API_URL of the moment it was loaded.
  // Passing `request` replaces its defaults as a whole, so that fetch is wrapped, not dropped.
  const proxyAwareFetch = defaults.request!.fetch as typeof fetch;
  const fetchWithTimeout: typeof fetch = (input, init) =>
    proxyAwareFetch(input, {
      ...init,
      signal: init?.signal
        ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)])
        : AbortSignal.timeout(timeoutMs),
    });
  const octokit = getOctokit(
    token,
    {
      // Given, not what @actions/github read when imported: the process may be pointed elsewhere.
      baseUrl: apiUrl,
      request: { fetch: fetchWithTimeout },
      retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
      throttle: {
        onRateLimit: retryTwice,
        onSecondaryRateLimit: retryTwice,
        ...(writeIntervalMs === GITHUB_WRITE_INTERVAL_MS
          ? {}
          : {
              write: new Bottleneck.Group({ maxConcurrent: 1, minTime: writeIntervalMs }),
              // Writes that notify people (comments, issues) are paced at 3× that.
              notifications: new Bottleneck.Group({
                maxConcurrent: 1,
                minTime: 3 * writeIntervalMs,
              }),
            }),
      },
    },
    retry,
    throttling,
  );
  // Pages are followed as GitHub's Link header says: the token goes to the API's origin only,
  // whatever a proxy or a misconfigured server writes there. Refused before any retry.
  const apiOrigin = originOf(apiUrl);
  octokit.hook.before('request', (options) => {
    const url = String(options.url);
    if (apiOrigin === undefined || !/^[a-z][a-z0-9+.-]*:/i.test(url)) return;
    const origin = originOf(url);
    if (origin !== apiOrigin) {
      throw new Error(
        `GitHub linked to ${origin ?? 'an unreadable URL'}, outside ${apiOrigin}; the github-token is not sent there`,
      );
    }
  });
  return octokit;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** GitHub's status and message, for sentences like "GitHub answered 403: Resource not ...". */
export function githubAnswer(error: unknown): { status?: number; said: string } {
  const status = (error as { status?: unknown }).status;
  const response = (error as { response?: { data?: { message?: unknown } } }).response;
  const message = response?.data?.message;
  if (typeof status !== 'number' || !response) {
    // Octokit reports a network failure as status 500 without a response.
    return { said: `GitHub could not be reached (${causes(error)})` };
  }
  return {
    status,
    said: `GitHub answered ${status}${typeof message === 'string' ? `: ${message}` : ''}`,
  };
}

/**
 * Who the token writes as: the REST `user.id` of its comments and issues. GraphQL `viewer` is
 * the one question every kind of token may ask (GET /user answers 403 for the workflow's
 * GITHUB_TOKEN and for GitHub App installation tokens, whose viewer is the app's bot).
 * Undefined, with a warning, when GitHub does not say.
 */
export async function tokenIdentity(
  octokit: GitHubClient,
  log: { warning(message: string): void },
): Promise<{ id: number; login: string } | undefined> {
  try {
    const { viewer } = await octokit.graphql<{
      viewer?: { login?: unknown; databaseId?: unknown };
    }>('query { viewer { login databaseId } }');
    if (typeof viewer?.databaseId === 'number' && typeof viewer.login === 'string') {
      return { id: viewer.databaseId, login: viewer.login };
    }
    log.warning('GitHub did not say who the github-token is (GraphQL viewer)');
  } catch (error) {
    log.warning(
      `GitHub did not say who the github-token is (GraphQL viewer: ${githubAnswer(error).said})`,
    );
  }
  return undefined;
}

function causes(error: unknown): string {
  const messages: string[] = [];
  for (let e: unknown = error; e instanceof Error && messages.length < 4; e = e.cause) {
    messages.push(e.message);
  }
  return messages.join(': ') || String(error);
}
