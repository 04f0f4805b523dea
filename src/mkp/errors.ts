// Why a MijnKlantportaal call failed, in terms a user can act on. Every message names the
// operation; none contains the token or a secret (URLs in messages are redacted).

export type ApiFailure =
  /** 401/403: the token is wrong or lacks the webhooks scope. */
  | 'auth'
  /** A 4xx the API explains (422 and the like): the request itself is wrong. */
  | 'rejected'
  /** 429, 5xx or network trouble that outlasted the retries. */
  | 'unavailable'
  /** A create that may or may not have happened (timeout, reset, 5xx, unreadable 201). */
  | 'outcome-unknown'
  /** An answer that breaks the documented API: bad JSON, foreign next_page_url, a page loop. */
  | 'protocol'
  /** Never sent: the run was cancelled before the call could go (CONTRACT §4). */
  | 'cancelled';

export class ApiError extends Error {
  constructor(
    readonly failure: ApiFailure,
    readonly operation: string,
    detail: string,
    readonly status?: number,
    readonly apiMessage?: string,
  ) {
    super(`${operation}: ${detail}`);
    this.name = 'ApiError';
  }
}
