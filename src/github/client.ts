import { getOctokit } from '@actions/github';
import { defaults } from '@actions/github/lib/utils';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck/light.js';
import { GITHUB_MAX_WAIT_MS, GITHUB_TIMEOUT_MS, GITHUB_WRITE_INTERVAL_MS } from './pace.js';
import { SYSTEM_CLOCK, type Clock } from '../clock.js';
import { MAX_ANSWER_BYTES } from '../http-body.js';
import { rateLimitOf, RateLimitGate } from './rate-limits.js';
import { AnswerBrokeOff, AnswerTooLarge, causes, GitHubRefusal, guardedFetch } from './wire.js';

// One Octokit for every GitHub call (secrets, base file, PR comment, drift issue), pointed at
// the API the runner names (GITHUB_API_URL, read by the inputs), so GitHub Enterprise Server
// works. Under it, in this order from the wire up: the guarded fetch (origin, redirects,
// timeout, answer cap: wire.ts), the rate-limit gate (rate-limits.ts), the page size of lists
// of comments and issues, GitHub's retry plugin (5xx and network failures) and its throttling
// plugin (the pace of writes). Loaded only by runs that talk to GitHub.
export type GitHubClient = ReturnType<typeof getOctokit>;
/** A plugin as getOctokit takes them (named here, not imported from @octokit/core). */
type OctokitPlugin = NonNullable<Parameters<typeof getOctokit>[2]>;

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
  /** the longest a run waits for GitHub's rate limits, in all */
  githubMaxWaitMs?: number;
}

/** What a client's owner may add: a log for its waits, and for tests a clock. */
export interface GitHubClientOptions {
  /** Told about each rate-limit wait (the log), so a quiet run says why. */
  onWait?: (message: string) => void;
  clock?: Clock;
  /** Answers past this are refused unread; at most (and by default) MAX_ANSWER_BYTES. */
  maxAnswerBytes?: number;
}

/**
 * Every GitHub answer is refused unread past 1 MiB (CONTRACT §4): a secret store's are a few kB
 * (a key; 100 names a page), the base file's 1 MiB at most (read raw), a page of comments or
 * issues POSTS_PER_PAGE posts.
 */
export { MAX_ANSWER_BYTES };

/** GitHub's longest comment or issue body, in characters. */
const MAX_POST_CHARS = 65_536;
/** The most bytes a character takes in GitHub's JSON: a control character as `\u001b` (UTF-8: 4). */
const MAX_JSON_BYTES_PER_CHAR = 6;
/** A post's other fields: its author, up to 100 labels, 10 assignees, a milestone, reactions, URLs. */
const MAX_POST_FIELDS_BYTES = 64 * 1024;
/**
 * Comments and issues are listed this many a page (2) when a page of 100 was too large, so that
 * a page of the largest posts GitHub allows, with all their fields, stays within MAX_ANSWER_BYTES.
 */
export const POSTS_PER_PAGE = Math.floor(
  MAX_ANSWER_BYTES / (MAX_POST_CHARS * MAX_JSON_BYTES_PER_CHAR + MAX_POST_FIELDS_BYTES),
);

/**
 * 5xx and network failures (a timeout included) are retried by the retry plugin; rate limits
 * (403/429) by the rate-limit gate alone, as GitHub says, so a secret write is not multiplied.
 */
export function githubClient(
  token: string,
  apiUrl: string,
  tuning: GitHubTuning,
  options: GitHubClientOptions = {},
): GitHubClient {
  const writeIntervalMs = tuning.githubWriteIntervalMs ?? GITHUB_WRITE_INTERVAL_MS;
  const clock = options.clock ?? SYSTEM_CLOCK;
  const gate = new RateLimitGate({
    clock,
    maxWaitMs: tuning.githubMaxWaitMs ?? GITHUB_MAX_WAIT_MS,
    onWait: options.onWait ?? (() => undefined),
  });
  // @actions/github's own fetch goes through HTTPS_PROXY / HTTP_PROXY (NO_PROXY honoured) as
  // the runner's settings say, deciding for the GITHUB_API_URL of the moment it was loaded.
  // Passing `request` replaces its defaults as a whole, so that fetch is wrapped, not dropped.
  const proxyAwareFetch = defaults.request!.fetch as typeof fetch;
  const fetch = guardedFetch(proxyAwareFetch, {
    apiUrl,
    timeoutMs: tuning.timeoutMs ?? GITHUB_TIMEOUT_MS,
    maxAnswerBytes: Math.min(options.maxAnswerBytes ?? MAX_ANSWER_BYTES, MAX_ANSWER_BYTES),
  });
  const neverAgain = () => false;
  return getOctokit(
    token,
    {
      // Given, not what @actions/github read when imported: the process may be pointed elsewhere.
      baseUrl: apiUrl,
      request: { fetch },
      retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
      throttle: {
        // The gate below has waited already; the plugin only paces.
        onRateLimit: neverAgain,
        onSecondaryRateLimit: neverAgain,
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
    // First in the list is nearest the wire: the retry plugin retries around the gate.
    rateLimitGuard(gate, clock),
    retry,
    throttling,
  );
}

/**
 * Every call waits at the gate while a rate limit is in force; a call that meets one closes it
 * and is tried again when it opens, at most RATE_LIMIT_RETRIES times. A refusal of the wire
 * (a redirect elsewhere, an oversized answer) and a limit not waited out are final. The first
 * write goes alone, as the MijnKlantportaal calls start: a limit (or refusal) it meets holds
 * back the others before they are sent.
 */
function rateLimitGuard(gate: RateLimitGate, clock: Clock): OctokitPlugin {
  return (octokit) => {
    /** Settles when the first write has GitHub's first answer (or no answer). */
    let firstAnswer: Promise<void> | undefined;
    octokit.hook.wrap('request', async (request, options) => {
      const write = options.method !== 'GET' && options.method !== 'HEAD';
      let answered: (() => void) | undefined;
      if (write && firstAnswer) await firstAnswer;
      else if (write) firstAnswer = new Promise((resolve) => (answered = resolve));
      for (let retries = 0; ; retries++) {
        try {
          await gate.clear();
          return await request(options);
        } catch (error) {
          const refusal = refusalIn(error);
          if (refusal) throw final(refusal);
          const limit = rateLimitOf(error, clock.now());
          if (!limit) throw error;
          try {
            gate.meet(limit, retries);
          } catch (refused) {
            throw final(refused as GitHubRefusal);
          }
        } finally {
          // The others go once the gate knows what the first answer said.
          answered?.();
        }
      }
    });
  };
}

/**
 * A list of comments or issues, in as few calls as usual: 100 a page. A page over
 * MAX_ANSWER_BYTES (a few of GitHub's largest posts) is refused unread, and then the whole list
 * is read again POSTS_PER_PAGE a page, which always fits (CONTRACT §4: 1 MiB at most).
 */
export async function listPosts<T>(read: (perPage: number) => Promise<T>): Promise<T> {
  try {
    return await read(100);
  } catch (error) {
    if (!(refusalIn(error) instanceof AnswerTooLarge)) throw error;
    return await read(POSTS_PER_PAGE);
  }
}

/** The refusal an error is, or carries as its cause (Octokit wraps what fetch throws). */
function refusalIn(error: unknown): GitHubRefusal | undefined {
  if (error instanceof GitHubRefusal) return error;
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  return cause instanceof GitHubRefusal ? cause : undefined;
}

/** The retry plugin reads `error.request` of whatever fails; a refusal has no retries left. */
function final(refusal: GitHubRefusal): GitHubRefusal {
  if (!('request' in refusal)) {
    Object.defineProperty(refusal, 'request', { value: { request: { retries: 0 } } });
  }
  return refusal;
}

/**
 * GitHub's status and message, for sentences like "GitHub answered 403: Resource not ...".
 * "Could not be reached" only when no answer came; a refusal of this client says its own why.
 */
export function githubAnswer(error: unknown): { status?: number; said: string } {
  const refusal = refusalIn(error);
  if (refusal) return { said: refusal.message };
  const status = (error as { status?: unknown }).status;
  const response = (error as { response?: { data?: { message?: unknown } } }).response;
  if (typeof status === 'number' && response) {
    const message = response.data?.message;
    return {
      status,
      said: `GitHub answered ${status}${typeof message === 'string' ? `: ${message}` : ''}`,
    };
  }
  const chain = errorChain(error);
  const broke = chain.find((e) => e instanceof AnswerBrokeOff);
  if (broke) return { said: broke.message };
  // Octokit reports a failed fetch as an HttpError (status 500) without a response.
  if (chain.some((e) => ['HttpError', 'AbortError', 'TimeoutError'].includes(e.name))) {
    return { said: `GitHub could not be reached (${causes(error)})` };
  }
  return { said: `GitHub's answer could not be used (${causes(error)})` };
}

function errorChain(error: unknown): Error[] {
  const chain: Error[] = [];
  for (let e: unknown = error; e instanceof Error && chain.length < 5; e = e.cause) chain.push(e);
  return chain;
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
