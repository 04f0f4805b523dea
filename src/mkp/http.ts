// The one HTTP layer under the MijnKlantportaal client. Every call passes through here, so the
// cross-cutting rules live in one place: the token only goes to the origin of api-url, every
// attempt has a timeout, pacing keeps within the rate budget, and transient failures (429, 5xx,
// network) are retried with backoff and jitter within a bounded total wait. A call that must not
// repeat (a create) is never retried when its outcome is unknown; it fails as 'outcome-unknown'
// so that the caller can look before it tries again. Once the run is cancelled no call starts,
// and one under way is let finish: its outcome is what the run reports.
import { SYSTEM_CLOCK, type Clock } from '../clock.js';
import { MAX_ANSWER_BYTES, overCap, readCapped } from '../http-body.js';
import { redactUrl } from '../url.js';
import { ApiError } from './errors.js';
import { DOCUMENTED_BUDGET, GateClosed, RateGate, type RateBudget } from './rate-gate.js';
import { plural } from '../text/words.js';

export interface HttpSettings {
  /** api-url without a trailing slash, e.g. https://api.mijnklantportaal.nl/v1 */
  baseUrl: string;
  token: string;
  /** Per attempt, including reading the body. */
  timeoutMs: number;
  /** First backoff delay; doubles per attempt, with jitter. */
  retryBaseMs: number;
  /** The most that the retries of one call may wait in total. */
  retryBudgetMs: number;
  maxAttempts: number;
  budget: RateBudget;
  concurrency: number;
  /** Told about each retry, so a long run shows why it waits. */
  onRetry?: (message: string) => void;
  random?: () => number;
  /** Aborted when the run is cancelled: no call is sent after that, and no retry waits on. */
  signal?: AbortSignal;
  /** The time retries and rate limits are judged by; tests give their own. */
  clock?: Clock;
  /** The API URL's setting as messages name it: `api-url` (the Action, the default), `MKP_API_URL` (the CLI). */
  urlSetting?: string;
  /**
   * A refused connection is retried by default: an API behind a load balancer can refuse for a
   * moment. The CLI says so at once instead: a person waits at the terminal, and a refused port
   * there is a wrong MKP_API_URL or an emulator not started.
   */
  retryRefused?: boolean;
}

export const HTTP_DEFAULTS: Omit<HttpSettings, 'baseUrl' | 'token'> = {
  timeoutMs: 30_000,
  retryBaseMs: 500,
  retryBudgetMs: 90_000,
  maxAttempts: 6,
  budget: DOCUMENTED_BUDGET,
  concurrency: 8,
};

export interface ApiCall {
  /** What the call does, for people: "list webhooks (page 2)". Never holds a secret. */
  operation: string;
  method: 'GET' | 'POST';
  url: string;
  body?: unknown;
  /** False for a create: an unknown outcome is reported instead of retried. */
  repeatable: boolean;
}

export interface ApiAnswer {
  status: number;
  body: unknown;
  /** The Date header: the API's clock, to compare its timestamps with another service's. */
  date?: string;
}

/** What one attempt came to, before the retry decision. */
type Attempt =
  | { kind: 'answer'; answer: ApiAnswer }
  | { kind: 'retry'; reason: string; waitMs?: number; unknownOutcome: boolean }
  | { kind: 'fail'; error: ApiError };

const MAX_BACKOFF_MS = 8_000;

export class ApiHttp {
  readonly origin: string;
  private readonly host: string;
  private readonly gate: RateGate;
  private readonly random: () => number;
  private readonly clock: Clock;
  private readonly urlSetting: string;

  constructor(private readonly settings: HttpSettings) {
    this.origin = new URL(settings.baseUrl).origin;
    this.clock = settings.clock ?? SYSTEM_CLOCK;
    this.gate = new RateGate(settings.budget, settings.concurrency, this.clock.now);
    this.host = new URL(settings.baseUrl).host;
    this.random = settings.random ?? Math.random;
    this.urlSetting = settings.urlSetting ?? 'api-url';
  }

  async call(call: ApiCall): Promise<ApiAnswer> {
    const target = new URL(call.url);
    if (target.origin !== this.origin) {
      throw new ApiError(
        'protocol',
        call.operation,
        `refused to request ${redactUrl(call.url)}: it is not on the origin of ${this.urlSetting} (${this.origin}), and the API token is sent to that origin only`,
      );
    }
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(call);
      if (outcome.kind === 'answer') return outcome.answer;
      if (outcome.kind === 'fail') throw outcome.error;
      if (outcome.unknownOutcome && !call.repeatable) {
        throw new ApiError(
          'outcome-unknown',
          call.operation,
          `${outcome.reason}; the API may or may not have done it`,
        );
      }
      const backoff = Math.min(MAX_BACKOFF_MS, this.settings.retryBaseMs * 2 ** (attempt - 1));
      const wait = outcome.waitMs ?? Math.round(backoff * (0.5 + this.random() / 2));
      if (attempt >= this.settings.maxAttempts || waited + wait > this.settings.retryBudgetMs) {
        throw new ApiError(
          'unavailable',
          call.operation,
          `${outcome.reason}; gave up after ${plural(attempt, 'attempt')}${
            outcome.waitMs !== undefined && attempt < this.settings.maxAttempts
              ? ` (the API asked to wait ${seconds(wait)}, beyond the retry budget of ${seconds(this.settings.retryBudgetMs)})`
              : ''
          }`,
        );
      }
      waited += wait;
      this.settings.onRetry?.(
        `${call.operation}: ${outcome.reason}; retrying in ${seconds(wait)} (attempt ${attempt + 1} of ${this.settings.maxAttempts})`,
      );
      if (outcome.waitMs !== undefined) this.gate.pause(this.clock.now() + wait);
      await this.clock.sleep(wait, this.settings.signal);
    }
  }

  private async attempt(call: ApiCall): Promise<Attempt> {
    try {
      await this.gate.acquire(this.settings.signal);
    } catch (error) {
      if (!(error instanceof GateClosed)) throw error;
      const detail = 'the run was cancelled before this call was sent';
      return { kind: 'fail', error: new ApiError('cancelled', call.operation, detail) };
    }
    let response: Response;
    let text: string;
    try {
      response = await fetch(call.url, {
        method: call.method,
        headers: {
          authorization: `Bearer ${this.settings.token}`,
          accept: 'application/json',
          'user-agent': 'mkp-webhooks-sync',
          ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      const body = await readCapped(response, MAX_ANSWER_BYTES);
      if (body === undefined) {
        this.gate.release(response.headers);
        // Never retried: the same call would bring the same flood.
        const hint = `a page of webhooks is a few kB; check ${this.urlSetting}`;
        return fail(
          call,
          'protocol',
          overCap('the API', response.status, MAX_ANSWER_BYTES, hint),
          response.status,
        );
      }
      text = body.toString('utf8');
    } catch (error) {
      this.gate.release();
      return networkAttempt(call, error, this.settings, this.host, this.urlSetting);
    }
    this.gate.release(response.headers);
    return answerAttempt(call, response, text, this.settings.budget, {
      now: this.clock.now(),
      urlSetting: this.urlSetting,
    });
  }
}

function answerAttempt(
  call: ApiCall,
  response: Response,
  text: string,
  budget: RateBudget,
  { now, urlSetting }: { now: number; urlSetting: string },
): Attempt {
  const { status } = response;
  if (status === 429) {
    return {
      kind: 'retry',
      reason: 'rate limited (429)',
      waitMs: rateLimitWait(response.headers, budget, now),
      unknownOutcome: false,
    };
  }
  if (status >= 500) {
    return { kind: 'retry', reason: `the API answered ${status}`, unknownOutcome: true };
  }
  if (status >= 300 && status < 400) {
    return fail(
      call,
      'protocol',
      `unexpected redirect (${status}); ${urlSetting} may be wrong`,
      status,
    );
  }
  const body = parseJson(text);
  if (status === 401 || status === 403) {
    return fail(
      call,
      'auth',
      `the API answered ${status}: the API token is wrong or lacks the webhooks scope`,
      status,
    );
  }
  if (status >= 400) {
    const message = apiMessage(body);
    return fail(
      call,
      'rejected',
      `the API answered ${status}${message ? `: ${message}` : ''}`,
      status,
      message,
    );
  }
  if (body === undefined) {
    // A 2xx that cannot be read: for a create, the record may exist; a GET can just be asked again.
    return {
      kind: 'retry',
      reason: `the API answered ${status} with a body that is not JSON (${contentType(response.headers)})`,
      unknownOutcome: true,
    };
  }
  const date = response.headers.get('date') ?? undefined;
  return { kind: 'answer', answer: { status, body, ...(date ? { date } : {}) } };
}

function networkAttempt(
  call: ApiCall,
  error: unknown,
  settings: Pick<HttpSettings, 'baseUrl' | 'timeoutMs' | 'retryRefused'>,
  host: string,
  urlSetting: string,
): Attempt {
  const { timeoutMs } = settings;
  // The answer broke HTTP: the API's (or a proxy's) fault, never the token's. Like a 2xx that
  // is not JSON, it is taken as transient: a GET is asked again; a create was sent and may have
  // been done, so its outcome is unknown and the account is listed before it is tried again.
  if (malformedAnswer(error)) {
    return {
      kind: 'retry',
      reason: "the API's answer is not valid HTTP (a malformed status line or header)",
      unknownOutcome: true,
    };
  }
  const never = neverSucceeds(error, host, urlSetting);
  if (never !== undefined) {
    return { kind: 'fail', error: new ApiError('unavailable', call.operation, never) };
  }
  if (chain(error).some((e) => e.name === 'TimeoutError' || e.name === 'AbortError')) {
    return {
      kind: 'retry',
      reason: `no answer within ${seconds(timeoutMs)}`,
      unknownOutcome: true,
    };
  }
  const code = causeCode(error);
  if (code === 'ECONNREFUSED') {
    const where = hostAndPort(settings.baseUrl);
    if (settings.retryRefused === false) {
      const detail = `cannot connect to ${where}: the connection was refused (is the API, or the emulator, running there?); check ${urlSetting}`;
      return { kind: 'fail', error: new ApiError('unavailable', call.operation, detail) };
    }
    // Refused: the request never reached the API, so repeating it is safe.
    return { kind: 'retry', reason: `${where} refused the connection`, unknownOutcome: false };
  }
  // Not resolved yet: the request never reached the API, so repeating it is safe.
  const notSent = code === 'EAI_AGAIN';
  return {
    kind: 'retry',
    reason: `network error (${
      code ??
      chain(error)
        .map((e) => e.message)
        .filter(Boolean)
        .join(': ')
    })`,
    unknownOutcome: !notSent,
  };
}

function fail(
  call: ApiCall,
  failure: ApiError['failure'],
  detail: string,
  status: number,
  message?: string,
): Attempt {
  return { kind: 'fail', error: new ApiError(failure, call.operation, detail, status, message) };
}

/**
 * fetch's parser refused the answer: a header with a control character (ESC, VT, a bare CR or
 * LF), a bad header name or status line. Node 20 names it by an HPE_ code, Node 24 by its text.
 */
function malformedAnswer(error: unknown): boolean {
  return chain(error).some(
    (e) =>
      e.name === 'HTTPParserError' ||
      (typeof e.code === 'string' && e.code.startsWith('HPE_')) ||
      (typeof e.message === 'string' && /does not match the HTTP\/1\.1 protocol/i.test(e.message)),
  );
}

/**
 * Failures that no retry can mend, as a sentence that names the host; undefined for the rest.
 * fetch's own message is not used: an invalid header's message quotes the header, token and all.
 * An invalid header here is one of our request (the answer's are malformedAnswer's).
 */
function neverSucceeds(error: unknown, host: string, urlSetting: string): string | undefined {
  const errors = chain(error);
  if (errors.some((e) => e.code === 'ENOTFOUND')) {
    return `cannot resolve ${hostName(host)}: check ${urlSetting}`;
  }
  if (errors.some((e) => typeof e.message === 'string' && /^bad port$/i.test(e.message))) {
    return `cannot connect to ${host}: fetch refuses that port; check ${urlSetting}`;
  }
  if (
    errors.some(
      (e) =>
        typeof e.message === 'string' &&
        /invalid header value|invalid authorization header/i.test(e.message),
    )
  ) {
    return `cannot send a request to ${host}: a header value is not valid HTTP (does the API token hold a line break or another control character?)`;
  }
  return undefined;
}

function hostName(host: string): string {
  return host.replace(/:\d+$/, '');
}

/** `host:port` of a URL, the scheme's default port spelled out (`api.example.com:443`). */
function hostAndPort(url: string): string {
  const { hostname, port, protocol } = new URL(url);
  return `${hostname}:${port || (protocol === 'https:' ? '443' : '80')}`;
}

/** Even `retry-after: 0` waits this long: an immediate retry would meet the same refusal. */
const MIN_RATE_LIMIT_WAIT_MS = 1_000;

/**
 * The wait a 429 asks for: retry-after (seconds or an HTTP date), else until x-ratelimit-reset,
 * else the documented rolling window (60 a minute: a full window clears it).
 */
function rateLimitWait(headers: Headers, budget: RateBudget, now: number): number {
  const atLeast = (ms: number) => Math.max(MIN_RATE_LIMIT_WAIT_MS, Math.ceil(ms));
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter && /^\d+$/.test(retryAfter)) return atLeast(Number(retryAfter) * 1000);
  if (retryAfter && /[a-z]/i.test(retryAfter)) {
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return atLeast(at - now);
  }
  const reset = headers.get('x-ratelimit-reset')?.trim();
  if (reset && /^\d+$/.test(reset)) return atLeast(Number(reset) * 1000 - now);
  return atLeast(budget.windowMs);
}

/** The answer's media type for a message: the server's text only when it looks like one. */
function contentType(headers: Headers): string {
  const value = headers.get('content-type');
  if (value === null) return 'content-type none';
  const media = /^\s*([\w.+-]{1,40}\/[\w.+-]{1,60})\s*(?:;|$)/.exec(value)?.[1];
  return media ? `content-type ${media.toLowerCase()}` : 'an unreadable content-type';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function apiMessage(body: unknown): string | undefined {
  if (body && typeof body === 'object' && 'message' in body) {
    const { message } = body as { message: unknown };
    if (typeof message === 'string' && message.trim() !== '') return message.trim().slice(0, 500);
  }
  return undefined;
}

/** The error and its causes (fetch wraps the socket's error in a TypeError). */
function chain(error: unknown): Array<{ name?: unknown; code?: unknown; message?: unknown }> {
  const errors: Array<{ name?: unknown; code?: unknown; message?: unknown }> = [];
  for (let e: unknown = error; e && typeof e === 'object' && errors.length < 5;) {
    errors.push(e as { name?: unknown; code?: unknown; message?: unknown });
    e = (e as { cause?: unknown }).cause;
  }
  return errors;
}

function causeCode(error: unknown): string | undefined {
  const code = chain(error).find((e) => typeof e.code === 'string')?.code;
  return code as string | undefined;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
