import { redactUrl } from '../url.js';
import { ApiError } from './errors.js';
import { ApiHttp, HTTP_DEFAULTS } from './http.js';
import type { RateBudget } from './rate-gate.js';
import type { RemoteWebhook } from './types.js';

/** More pages than any real account has (30,000 records): a guard against endless paging. */
const MAX_PAGES = 2000;
/** Reads of a page that comes back empty although a next page follows, before giving up. */
const EMPTY_PAGE_READS = 3;

/**
 * The Webhooks API of MijnKlantportaal: list and create. Every secret in an answer is handed
 * to `mask` as soon as the answer is parsed, before anything else sees the record.
 */
export class MkpClient {
  constructor(
    private readonly http: ApiHttp,
    private readonly baseUrl: string,
    private readonly mask: (secret: string) => void,
  ) {}

  /** Every webhook on the account, following next_page_url on the api-url origin only. */
  async listWebhooks(): Promise<RemoteWebhook[]> {
    const records: RemoteWebhook[] = [];
    const seen = new Set<string>();
    const ids = new Set<string>();
    let url: string | null = `${this.baseUrl}/webhooks`;
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
      const { data, next } = await this.readFullPage(url, operation);
      // Records can shift between pages while the account changes; each counts once.
      for (const record of data) {
        if (ids.has(record.id)) continue;
        ids.add(record.id);
        records.push(record);
      }
      url = next === null ? null : new URL(next, url).href;
    }
    return records;
  }

  /**
   * One page. An empty page that still links to a next one would silently drop a page of
   * records (and the plan would then create them twice): it is read again, and fails the
   * listing when it stays empty.
   */
  private async readFullPage(
    url: string,
    operation: string,
  ): Promise<{ data: RemoteWebhook[]; next: string | null }> {
    for (let read = 1; ; read++) {
      const { body } = await this.http.call({ operation, method: 'GET', url, repeatable: true });
      const page = this.readPage(body, operation);
      if (page.data.length > 0 || page.next === null) return page;
      if (read === EMPTY_PAGE_READS) {
        throw new ApiError(
          'protocol',
          operation,
          `the page stayed empty in ${EMPTY_PAGE_READS} reads although next_page_url points further; records would be missed`,
        );
      }
    }
  }

  /** Creates one webhook record; the answer carries its secret. */
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

  private readPage(
    body: unknown,
    operation: string,
  ): { data: RemoteWebhook[]; next: string | null } {
    if (!isObject(body) || !Array.isArray(body.data)) {
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
    return { data, next: next || null };
  }

  private readRecord(value: unknown): RemoteWebhook | undefined {
    if (!isObject(value)) return undefined;
    const { id, type, url, secret, createdAt } = value;
    if (typeof secret === 'string' && secret !== '') this.mask(secret);
    if (typeof id !== 'string' || typeof type !== 'string' || typeof url !== 'string') {
      return undefined;
    }
    return {
      id,
      type,
      url,
      secret: typeof secret === 'string' ? secret : '',
      ...(typeof createdAt === 'string' ? { createdAt } : {}),
    };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface Connection {
  apiUrl: string;
  token: string;
  tuning: { timeoutMs: number; retryBaseMs: number; budget: RateBudget };
  mask: (secret: string) => void;
  onRetry?: (message: string) => void;
}

/** A client for one token, with the shared HTTP layer under it. */
export function connect(connection: Connection): MkpClient {
  const http = new ApiHttp({
    ...HTTP_DEFAULTS,
    ...connection.tuning,
    baseUrl: connection.apiUrl,
    token: connection.token,
    onRetry: connection.onRetry,
  });
  return new MkpClient(http, connection.apiUrl, connection.mask);
}
