import { redactUrl } from '../url.js';
import { ApiError } from './errors.js';
import { DOCUMENTED_BUDGET, RateGate, type RateBudget } from './rate-gate.js';

/**
 * The one HTTP layer under the MijnKlantportaal client. Every call passes through here, so the
 * cross-cutting rules live in one place: the token only goes to the origin of api-url, every
 * attempt has a timeout, pacing keeps within the rate budget, and transient failures (429, 5xx,
 * network) are retried with backoff and jitter within a bounded total wait. A call that must not
 * repeat (a create) is never retried when its outcome is unknown; it fails as 'outcome-unknown'
 * so that the caller can look before it tries again.
 */
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
}

/** What one attempt came to, before the retry decision. */
type Attempt =
  | { kind: 'answer'; answer: ApiAnswer }
  | { kind: 'retry'; reason: string; waitMs?: number; unknownOutcome: boolean }
  | { kind: 'fail'; error: ApiError };

const MAX_BACKOFF_MS = 8_000;

export class ApiHttp {
  readonly origin: string;
  private readonly gate: RateGate;
  private readonly random: () => number;

  constructor(private readonly settings: HttpSettings) {
    this.origin = new URL(settings.baseUrl).origin;
    this.gate = new RateGate(settings.budget, settings.concurrency);
    this.random = settings.random ?? Math.random;
  }

  async call(call: ApiCall): Promise<ApiAnswer> {
    const target = new URL(call.url);
    if (target.origin !== this.origin) {
      throw new ApiError(
        'protocol',
        call.operation,
        `refused to request ${redactUrl(call.url)}: it is not on the origin of api-url (${this.origin}), and the API token is sent to that origin only`,
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
          `${outcome.reason}; gave up after ${attempt} attempt${attempt === 1 ? '' : 's'}${
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
      if (outcome.waitMs !== undefined) this.gate.pause(Date.now() + wait);
      await sleep(wait);
    }
  }

  private async attempt(call: ApiCall): Promise<Attempt> {
    await this.gate.acquire();
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
      text = await response.text();
    } catch (error) {
      this.gate.release();
      return networkAttempt(error, this.settings.timeoutMs);
    }
    this.gate.release(response.headers);
    return answerAttempt(call, response, text);
  }
}

function answerAttempt(call: ApiCall, response: Response, text: string): Attempt {
  const { status } = response;
  if (status === 429) {
    return {
      kind: 'retry',
      reason: 'rate limited (429)',
      waitMs: rateLimitWait(response.headers),
      unknownOutcome: false,
    };
  }
  if (status >= 500) {
    return { kind: 'retry', reason: `the API answered ${status}`, unknownOutcome: true };
  }
  if (status >= 300 && status < 400) {
    return fail(call, 'protocol', `unexpected redirect (${status}); api-url may be wrong`, status);
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
      reason: `the API answered ${status} with a body that is not JSON (content-type ${response.headers.get('content-type') ?? 'none'})`,
      unknownOutcome: true,
    };
  }
  return { kind: 'answer', answer: { status, body } };
}

function networkAttempt(error: unknown, timeoutMs: number): Attempt {
  if (chain(error).some((e) => e.name === 'TimeoutError' || e.name === 'AbortError')) {
    return {
      kind: 'retry',
      reason: `no answer within ${seconds(timeoutMs)}`,
      unknownOutcome: true,
    };
  }
  const code = causeCode(error);
  // Refused or unresolvable: the request never reached the API, so repeating it is safe.
  const notSent = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
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

/** The wait a 429 asks for: retry-after seconds, else until x-ratelimit-reset. */
function rateLimitWait(headers: Headers): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null && /^\d+$/.test(retryAfter.trim())) {
    return Number.parseInt(retryAfter, 10) * 1000;
  }
  const reset = headers.get('x-ratelimit-reset');
  if (reset !== null && /^\d+$/.test(reset.trim())) {
    return Math.max(0, Number.parseInt(reset, 10) * 1000 - Date.now());
  }
  return undefined;
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
