import { isMapping } from '../parsed.js';
import { redactUrl } from '../url.js';
import { ApiError } from './errors.js';
import type { Clock } from '../clock.js';
import { ApiHttp, HTTP_DEFAULTS, type HttpSettings } from './http.js';
import type { RateBudget } from './rate-gate.js';
import { WebhookSecrets } from './secrets.js';
import type { RemoteWebhook } from './types.js';

/** More pages than any real account has (30,000 records): a guard against endless paging. */
const MAX_PAGES = 2000;
/** Reads of a page that comes back empty although a next page follows, before giving up. */
const EMPTY_PAGE_READS = 3;

/**
 * The Webhooks API of MijnKlantportaal: list and create. Every secret in an answer is masked
 * and moved to `secrets` as soon as the answer is parsed: the records it returns hold none.
 */
export class MkpClient {
  /** The API's clock (its Date header, ms) when the last listing's first page was answered. */
  clock: number | undefined;
  readonly secrets: WebhookSecrets;

  constructor(
    private readonly http: ApiHttp,
    private readonly baseUrl: string,
    mask: (secret: string) => void,
  ) {
    this.secrets = new WebhookSecrets(mask);
  }

  /** Every webhook on the account (listAccount, without the count of pages). */
  async listWebhooks(): Promise<RemoteWebhook[]> {
    return (await this.listAccount()).records;
  }

  /**
   * Every webhook on the account, one GET per page. The server's next_page_url is followed on
   * the api-url origin only. The published example of that link ends in a stray comma
   * (`?page=2,`), which a Laravel server reads as page 1: when the link's page is not a plain
   * number, or leads back to a page already read, the listing goes on with current_page + 1 on
   * the page just read, and stops on the last page.
   *
   * Listings end (CONTRACT §4): every page that links further must add a record id not read
   * before, or the listing fails; a link to a new address is no proof of progress (a server
   * without current_page that ignores `page` and always links one page further would be followed
   * to MAX_PAGES). The last page may add nothing: an empty account is one empty page.
   *
   * It says how many pages it read, one call each (a page read again while it was empty counts
   * once): a plan's cost counts them (CONTRACT §2).
   */
  async listAccount(): Promise<Listing> {
    const records: RemoteWebhook[] = [];
    const seen = new Set<string>();
    const pagesRead = new Set<number>();
    const ids = new Set<string>();
    let url: string | null = `${this.baseUrl}/webhooks`;
    let guessed = false;
    let pages = 0;
    for (let page = 1; url !== null; page++) {
      const operation: string = page === 1 ? 'list webhooks' : `list webhooks (page ${page})`;
      if (seen.has(url)) {
        throw new ApiError(
          'protocol',
          operation,
          `next_page_url repeats a page already read (${redactUrl(url)}); the listing would never end`,
        );
      }
      if (page > MAX_PAGES) {
        throw new ApiError('protocol', operation, `more than ${MAX_PAGES} pages; stopped`);
      }
      seen.add(url);
      const { read, added } = await this.readPageAdding(url, operation, guessed, ids);
      pages = page;
      if (page === 1) {
        this.clock = read.date === undefined ? undefined : Date.parse(read.date) || undefined;
      }
      if (read.current !== undefined) {
        if (pagesRead.has(read.current)) {
          throw new ApiError(
            'protocol',
            operation,
            `the API answered page ${read.current} again (${redactUrl(url)}); the listing would never end`,
          );
        }
        pagesRead.add(read.current);
      }
      // Records can shift between pages while the account changes; each counts once.
      for (const record of added) {
        ids.add(record.id);
        records.push(record);
      }
      const following: { url: string; guessed: boolean } | null = endsListing(read, guessed)
        ? null
        : this.nextPage(url, read.next!, read.current, pagesRead, operation);
      guessed = following?.guessed ?? false;
      url = following?.url ?? null;
    }
    return { records, pages };
  }

  /** Where the listing goes after `url`; null when the page read was the last one. */
  private nextPage(
    url: string,
    next: string,
    current: number | undefined,
    pagesRead: ReadonlySet<number>,
    operation: string,
  ): { url: string; guessed: boolean } {
    let link: URL;
    try {
      link = new URL(next, url);
    } catch {
      throw new ApiError('protocol', operation, 'next_page_url is not a URL');
    }
    // A link elsewhere is requested by no one: the HTTP layer refuses it, naming it redacted.
    if (link.origin !== new URL(url).origin) return { url: link.href, guessed: false };
    const linked = link.searchParams.get('page');
    const plain = linked !== null && /^[1-9]\d*$/.test(linked);
    if (current === undefined || (plain && !pagesRead.has(Number(linked)))) {
      return { url: link.href, guessed: false };
    }
    // The quirk: go on from the page just read, on its own origin and path.
    const own = new URL(url);
    own.searchParams.set('page', String(current + 1));
    return { url: own.href, guessed: true };
  }

  /**
   * One page, and its records whose ids were not read before (`ids`). A page that links further
   * must add one:
   * - an empty one is read again, and fails the listing when it stays empty: a page can be
   *   empty for a moment (a replica behind), and skipping it would drop a page of records (the
   *   plan would then create them twice);
   * - one that holds only records already read fails at once: the server ignores `page` or
   *   loops, and asking again brings the same page.
   * A page the client asked for by current_page + 1 (`guessed`) that comes back empty is past
   * the last one.
   */
  private async readPageAdding(
    url: string,
    operation: string,
    guessed: boolean,
    ids: ReadonlySet<string>,
  ): Promise<{ read: Page; added: RemoteWebhook[] }> {
    for (let attempt = 1; ; attempt++) {
      const answer = await this.http.call({ operation, method: 'GET', url, repeatable: true });
      const read: Page = { ...this.readPage(answer.body, operation), date: answer.date };
      const added = newRecords(read.data, ids);
      if (added.length > 0 || endsListing(read, guessed)) return { read, added };
      if (read.data.length > 0) {
        throw new ApiError(
          'protocol',
          operation,
          `the page holds only records already read, yet next_page_url points further (${redactUrl(new URL(read.next!, url).href)}); the listing would never end`,
        );
      }
      if (attempt === EMPTY_PAGE_READS) {
        throw new ApiError(
          'protocol',
          operation,
          `the page stayed empty in ${EMPTY_PAGE_READS} reads although next_page_url points further; records would be missed`,
        );
      }
    }
  }

  /** Creates one webhook record; the answer's secret goes to `secrets`. */
  async createWebhook(url: string, type: string): Promise<RemoteWebhook> {
    const operation = `create webhook ${type} ${redactUrl(url)}`;
    const { body } = await this.http.call({
      operation,
      method: 'POST',
      url: `${this.baseUrl}/webhooks`,
      body: { url, type },
      repeatable: false,
    });
    const record = this.readRecord(body);
    if (!record) {
      // The record was made (2xx) but cannot be read: listing finds it.
      throw new ApiError(
        'outcome-unknown',
        operation,
        'the API answered without a readable record',
      );
    }
    return record;
  }

  private readPage(body: unknown, operation: string): Page {
    if (!isMapping(body) || !Array.isArray(body.data)) {
      throw new ApiError(
        'protocol',
        operation,
        'the answer is not a page of webhooks (no data list)',
      );
    }
    const data: RemoteWebhook[] = [];
    for (const item of body.data) {
      const record = this.readRecord(item);
      if (!record) {
        throw new ApiError(
          'protocol',
          operation,
          'the page holds a record without id, type or url',
        );
      }
      data.push(record);
    }
    const next = body.next_page_url;
    if (next !== null && next !== undefined && typeof next !== 'string') {
      throw new ApiError('protocol', operation, 'next_page_url is neither a URL nor null');
    }
    const whole = (value: unknown) =>
      typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 ? value : undefined;
    return {
      data,
      next: next || null,
      current: whole(body.current_page),
      last: whole(body.last_page),
    };
  }

  private readRecord(value: unknown): RemoteWebhook | undefined {
    if (!isMapping(value)) return undefined;
    const { id, type, url, secret, createdAt } = value;
    if (typeof secret === 'string' && secret !== '') {
      this.secrets.keep(typeof id === 'string' ? id : undefined, secret);
    }
    if (typeof id !== 'string' || typeof type !== 'string' || typeof url !== 'string') {
      return undefined;
    }
    return {
      id,
      type,
      url,
      ...(typeof createdAt === 'string' ? { createdAt } : {}),
    };
  }
}

/** Every record on the account, and the pages that took. */
export interface Listing {
  records: RemoteWebhook[];
  pages: number;
}

interface Page {
  data: RemoteWebhook[];
  next: string | null;
  /** current_page and last_page (the simple paginator has no last_page), when whole numbers. */
  current?: number;
  last?: number;
  /** The answer's Date header: the API's clock. */
  date?: string;
}

/**
 * The page read is the last: it links nowhere, it is the last by number, or it is an empty page
 * past the end that the client asked for by number.
 */
function endsListing(page: Page, guessed: boolean): boolean {
  return (
    page.next === null ||
    (page.last !== undefined && page.current === page.last) ||
    (guessed && page.data.length === 0)
  );
}

/** The records of a page whose ids are not in `ids`, each once. */
function newRecords(data: readonly RemoteWebhook[], ids: ReadonlySet<string>): RemoteWebhook[] {
  const added = new Map<string, RemoteWebhook>();
  for (const record of data) {
    if (!ids.has(record.id) && !added.has(record.id)) added.set(record.id, record);
  }
  return [...added.values()];
}

export interface Connection {
  apiUrl: string;
  token: string;
  /** What the environment sets (README "Tuning"); the HTTP layer's defaults fill in the rest. */
  tuning?: { timeoutMs?: number; retryBaseMs?: number; budget?: RateBudget };
  mask: (secret: string) => void;
  onRetry?: (message: string) => void;
  /** The run's cancellation: no call is sent after it. */
  signal?: AbortSignal;
  clock?: Clock;
  /** What differs by shell: how messages name the API URL setting, and whether a refused connection is retried. */
  shell?: Pick<HttpSettings, 'urlSetting' | 'retryRefused'>;
}

/** A client for one token, with the shared HTTP layer under it. */
export function connect(connection: Connection): MkpClient {
  const { timeoutMs, retryBaseMs, budget } = connection.tuning ?? {};
  const http = new ApiHttp({
    ...HTTP_DEFAULTS,
    timeoutMs: timeoutMs ?? HTTP_DEFAULTS.timeoutMs,
    retryBaseMs: retryBaseMs ?? HTTP_DEFAULTS.retryBaseMs,
    budget: budget ?? HTTP_DEFAULTS.budget,
    baseUrl: connection.apiUrl,
    token: connection.token,
    onRetry: connection.onRetry,
    signal: connection.signal,
    clock: connection.clock,
    ...connection.shell,
  });
  return new MkpClient(http, connection.apiUrl, connection.mask);
}
