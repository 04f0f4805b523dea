// The fetch under Octokit, for every GitHub call: the same rules as the MijnKlantportaal HTTP
// layer (mkp/http.ts). Nothing goes to an origin other than GITHUB_API_URL's: redirects are
// followed by hand, and only on that origin, so neither the token nor a secret's sealed value
// is sent elsewhere; every attempt has a timeout; an answer past its cap is refused unread.
import { overCap, readCapped } from '../http-body.js';

/**
 * A call that this layer refused, or an answer it would not use: the message says why, for
 * people. Never retried: the same call would meet the same refusal.
 */
export class GitHubRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitHubRefusal';
  }
}

/** An answer past its cap, refused unread (CONTRACT §4): the same call would bring it again. */
export class AnswerTooLarge extends GitHubRefusal {
  constructor(message: string) {
    super(message);
    this.name = 'AnswerTooLarge';
  }
}

/** A connection that broke while the answer was read: GitHub was reached, the answer is lost. */
export class AnswerBrokeOff extends Error {
  constructor(cause: unknown) {
    super(`GitHub's answer broke off (${causes(cause)})`, { cause });
    this.name = 'AnswerBrokeOff';
  }
}

export interface WireOptions {
  /** GITHUB_API_URL: its origin is the only one called. */
  apiUrl: string;
  /** Per attempt, redirects and reading the answer included. */
  timeoutMs: number;
  /** Answers larger than this are refused unread. */
  maxAnswerBytes: number;
}

/** Same-origin redirects followed in one call at most (GitHub's renames need one). */
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** `base` (the proxy-aware fetch of @actions/github) wrapped in the rules above. */
export function guardedFetch(base: typeof fetch, options: WireOptions): typeof fetch {
  const apiOrigin = originOf(options.apiUrl);
  return async (input, init = {}) => {
    let url = input instanceof Request ? input.url : String(input);
    let method = (init.method ?? 'GET').toUpperCase();
    let body = init.body;
    let headers = new Headers(init.headers);
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    for (let hop = 0; ; hop++) {
      const origin = originOf(url);
      if (origin !== apiOrigin || apiOrigin === undefined) {
        const home = apiOrigin ?? 'the origin of GITHUB_API_URL';
        throw new GitHubRefusal(
          hop === 0
            ? `GitHub linked to ${origin ?? 'an unreadable URL'}, outside ${home}; the github-token is not sent there`
            : `GitHub redirected ${method} ${pathOf(url)} to ${origin ?? 'an unreadable URL'}, outside ${home}; not followed: the github-token and the secrets go to ${home} only`,
        );
      }
      const response = await base(url, {
        ...init,
        method,
        body,
        headers,
        signal,
        redirect: 'manual',
      });
      if (!REDIRECTS.has(response.status))
        return capped(response, url, options.maxAnswerBytes, signal);
      await response.body?.cancel().catch(() => undefined);
      const location = response.headers.get('location');
      const next = location === null ? undefined : resolved(location, url);
      if (next === undefined || hop >= MAX_REDIRECTS) {
        throw new GitHubRefusal(
          next === undefined
            ? `GitHub answered ${response.status} to ${method} ${pathOf(url)} without a usable Location; not followed`
            : `GitHub redirected ${method} ${pathOf(url)} more than ${MAX_REDIRECTS} times; not followed further`,
        );
      }
      // As fetch follows them: 303 (and 301/302 after a POST) turn the call into a GET.
      if (
        (response.status === 303 && method !== 'GET' && method !== 'HEAD') ||
        ((response.status === 301 || response.status === 302) && method === 'POST')
      ) {
        method = 'GET';
        body = undefined;
        headers = new Headers(headers);
        headers.delete('content-type');
      }
      url = next;
    }
  };
}

/**
 * The answer, read whole when it is within `maxBytes` (http-body.ts), under the attempt's
 * timeout: past it, refused unread.
 */
async function capped(
  response: Response,
  url: string,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Response> {
  let body: Buffer | undefined;
  try {
    body = await readCapped(response, maxBytes);
  } catch (error) {
    // A timeout while reading is the attempt's timeout, as fetch reports it; anything else broke off.
    if (signal.aborted) throw signal.reason;
    throw new AnswerBrokeOff(error);
  }
  if (body === undefined) {
    throw new AnswerTooLarge(overCap('GitHub', response.status, maxBytes, 'check GITHUB_API_URL'));
  }
  const bodiless = [101, 204, 205, 304].includes(response.status);
  const whole = new Response(bodiless ? null : body, {
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers],
  });
  // Octokit's paginate reads the URL of a list's answer: the one this answer came from.
  return Object.defineProperty(whole, 'url', { value: response.url || url });
}

function originOf(url: string): string | undefined {
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

function resolved(location: string, base: string): string | undefined {
  try {
    return new URL(location, base).href;
  } catch {
    return undefined;
  }
}

/** The path of a URL without its query, for people. */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return 'an unreadable URL';
  }
}

/** An error and its causes as one line (fetch wraps the socket's error in a TypeError). */
export function causes(error: unknown): string {
  const messages: string[] = [];
  for (let e: unknown = error; e instanceof Error && messages.length < 4; e = e.cause) {
    if (e.message) messages.push(e.message);
  }
  return messages.join(': ') || String(error);
}
