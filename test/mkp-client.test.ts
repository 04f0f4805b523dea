import { afterEach, describe, expect, it } from '@jest/globals';
import { connect } from '../src/mkp/client.js';
import { ApiError } from '../src/mkp/errors.js';
import type { Clock } from '../src/clock.js';
import { MkpEmulator } from '../src/emulator/mkp.js';
import { freePort } from '../dev/harness/processes.js';
import { clientFor } from './harness/clients.js';

/** The API client and its HTTP layer, over real HTTP against the emulator (CONTRACT §4). */
const emulators: MkpEmulator[] = [];
async function start(options?: Parameters<typeof MkpEmulator.start>[0]) {
  const emulator = await MkpEmulator.start(options);
  emulators.push(emulator);
  return emulator;
}
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

const seed = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    type: 'customer-created',
    url: `https://hooks.example.com/${i}`,
  }));

/**
 * Time that moves only when the client waits: each wait is recorded with what `seen` said at
 * that moment (how many calls the API had), and none takes real time.
 */
function virtualClock(seen: () => number, start = Date.UTC(2026, 0, 5, 12, 0, 0)) {
  let now = start;
  const waits: Array<{ ms: number; seen: number }> = [];
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      waits.push({ ms, seen: seen() });
      now += ms;
    },
  };
  return { clock, waits, start };
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('listWebhooks', () => {
  it('reads every page with one GET per page, and masks every secret as it arrives', async () => {
    const emulator = await start({ seed: seed(40) });
    const { client, masked } = clientFor(emulator);
    const records = await client.listWebhooks();
    expect(records.map((r) => r.id)).toEqual(emulator.records.map((r) => r.id));
    expect(emulator.count('list')).toBe(3);
    expect(new Set(masked)).toEqual(new Set(emulator.records.map((r) => r.secret)));
  });

  it('reads past the published next_page_url quirk (a trailing comma) with current_page + 1', async () => {
    const emulator = await start({ seed: seed(20), nextPageTrailingComma: true });
    const { client } = clientFor(emulator);
    expect(await client.listWebhooks()).toHaveLength(20);
    expect(emulator.calls.map((c) => c.path)).toEqual(['/v1/webhooks', '/v1/webhooks?page=2']);
  });

  it('survives the quirk on a strict Laravel server: page=2, would be page 1 again', async () => {
    const emulator = await start({
      seed: seed(40),
      nextPageTrailingComma: true,
      strictPageParsing: true,
    });
    const { client } = clientFor(emulator);
    const records = await client.listWebhooks();
    expect(records.map((r) => r.id)).toEqual(emulator.records.map((r) => r.id));
    // One call per page: the comma link is not requested, current_page + 1 is.
    expect(emulator.calls.map((c) => c.path)).toEqual([
      '/v1/webhooks',
      '/v1/webhooks?page=2',
      '/v1/webhooks?page=3',
    ]);
  });

  it('stops on the last page the strict server names, with 15 records or exactly 30', async () => {
    for (const count of [15, 30]) {
      const emulator = await start({
        seed: seed(count),
        nextPageTrailingComma: true,
        strictPageParsing: true,
      });
      const { client } = clientFor(emulator);
      expect(await client.listWebhooks()).toHaveLength(count);
      expect(emulator.count('list')).toBe(count / 15);
    }
  });

  it('says how many pages the listing read, one call each, which the cost of a plan counts', async () => {
    const cases: Array<{ records: number; fault?: 'empty-page'; pages: number; calls: number }> = [
      { records: 0, pages: 1, calls: 1 }, // an empty account is one empty page
      { records: 15, pages: 1, calls: 1 },
      { records: 40, pages: 3, calls: 3 },
      // page 1 comes back empty once and is read again: still one page
      { records: 20, fault: 'empty-page', pages: 2, calls: 3 },
    ];
    for (const { records, fault, pages, calls } of cases) {
      const emulator = await start({ seed: seed(records) });
      if (fault) emulator.inject({ kind: fault, on: 'list' });
      const listing = await clientFor(emulator).client.listAccount();
      expect([records, listing.records.length, listing.pages]).toEqual([records, records, pages]);
      expect(emulator.count('list')).toBe(calls);
    }
  });

  it('redacts a server-supplied next_page_url in its error', async () => {
    const emulator = await start({ seed: seed(20) });
    emulator.inject({
      kind: 'foreign-next',
      on: 'list',
      url: 'https://user:pw@evil.example.net/v1/webhooks?page=2&token=abc123secret&KEYONLY',
    });
    const { client } = clientFor(emulator);
    const error = await failure(client.listWebhooks());
    expect(error.message).toContain(
      'refused to request https://evil.example.net/v1/webhooks?page=***&token=***&***:',
    );
    expect(error.message).not.toMatch(/abc123secret|KEYONLY|user|pw@/);
  });

  it('never requests a next_page_url on another origin, so the token goes nowhere else', async () => {
    const foreign = await start();
    const emulator = await start({ seed: seed(20) });
    emulator.inject({
      kind: 'foreign-next',
      on: 'list',
      url: `${foreign.baseUrl}/webhooks?page=2`,
    });
    const { client } = clientFor(emulator);
    const error = await failure(client.listWebhooks());
    expect(error.failure).toBe('protocol');
    expect(error.message).toContain('not on the origin of api-url');
    expect(foreign.calls).toHaveLength(0);
    expect(emulator.count('list')).toBe(1);
  });

  it('goes on with current_page + 1 when next_page_url leads back to a page already read', async () => {
    const emulator = await start({ seed: seed(20) });
    emulator.inject({ kind: 'loop-next', on: 'list', times: 5 });
    const { client } = clientFor(emulator);
    expect(await client.listWebhooks()).toHaveLength(20);
    // page 1 and 2 link back to page 1; page 3 (asked for by the client) is empty: the end
    expect(emulator.calls.map((c) => c.path)).toEqual([
      '/v1/webhooks',
      '/v1/webhooks?page=2',
      '/v1/webhooks?page=3',
    ]);
  });

  it('reads an empty page that links further again instead of missing its records', async () => {
    const emulator = await start({ seed: seed(20) });
    emulator.inject({ kind: 'empty-page', on: 'list' });
    const { client } = clientFor(emulator);
    expect((await client.listWebhooks()).length).toBe(20);
    expect(emulator.count('list')).toBe(3);
  });

  it('does not read a page again when it is linked under another address', async () => {
    const emulator = await start({ seed: seed(20) });
    // page 1 (read as /webhooks) links to ?page=1, which was read: page 2 comes next
    emulator.inject({ kind: 'loop-next', on: 'list' });
    const { client } = clientFor(emulator);
    const records = await client.listWebhooks();
    expect(emulator.count('list')).toBe(2);
    expect(records).toHaveLength(20);
    expect(new Set(records.map((r) => r.id)).size).toBe(20);
  });

  it('fails the listing when a page that links further stays empty', async () => {
    const emulator = await start({ seed: seed(20) });
    emulator.inject({ kind: 'empty-page', on: 'list', times: 3 });
    const { client } = clientFor(emulator);
    const error = await failure(client.listWebhooks());
    expect(error.failure).toBe('protocol');
    expect(error.message).toContain('stayed empty in 3 reads');
  });

  it('waits as a 429 says (retry-after) and then succeeds', async () => {
    const emulator = await start({ seed: seed(3) });
    emulator.inject({ kind: 'rate-limit', on: 'list', retryAfter: 1 });
    const { clock, waits } = virtualClock(() => emulator.count('list'));
    const { client, retries } = clientFor(emulator, { clock });
    expect(await client.listWebhooks()).toHaveLength(3);
    const calls = emulator.calls.filter((c) => c.operation === 'list');
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    // The wait the API asked for, between the refused call and the next.
    expect(waits).toEqual([{ ms: 1_000, seen: 1 }]);
    expect(retries.join('\n')).toContain('rate limited (429)');
  });

  it.each([
    'error-before',
    'reset-before',
    'html',
    'malformed-json',
    'wrong-content-type',
  ] as const)('retries a listing after %s', async (kind) => {
    const emulator = await start({ seed: seed(3) });
    emulator.inject({ kind, on: 'list' });
    const { client } = clientFor(emulator);
    expect(await client.listWebhooks()).toHaveLength(3);
    expect(emulator.count('list')).toBe(2);
  });

  it('gives up after a bounded number of attempts with a clear message', async () => {
    const emulator = await start();
    emulator.inject({ kind: 'error-before', on: 'list', times: 100 });
    const { client } = clientFor(emulator);
    const error = await failure(client.listWebhooks());
    expect(error.failure).toBe('unavailable');
    expect(error.message).toMatch(/^list webhooks: the API answered 503; gave up after 6 attempts/);
  });

  it('times out a slow answer and tries again', async () => {
    const emulator = await start({ seed: seed(2) });
    emulator.inject({ kind: 'slow', on: 'list', delayMs: 2_000 });
    const { client, retries } = clientFor(emulator, { timeoutMs: 200 });
    expect(await client.listWebhooks()).toHaveLength(2);
    expect(retries[0]).toContain('no answer within 0.2 s');
  });

  it('says that the token is wrong or lacks the webhooks scope on 401, without the token', async () => {
    const emulator = await start();
    const { client } = clientFor(emulator, { token: 'wrong-token-value' });
    const error = await failure(client.listWebhooks());
    expect(error.failure).toBe('auth');
    expect(error.message).toBe(
      'list webhooks: the API answered 401: the API token is wrong or lacks the webhooks scope',
    );
    expect(emulator.count('list')).toBe(1); // no retry of a 401
  });
});

describe('answers that cannot be trusted (CONTRACT §4)', () => {
  it.each([true, false])(
    'refuses a body over 1 MiB unread and does not retry it (content-length declared: %s)',
    async (declareLength) => {
      const emulator = await start({ seed: seed(3) });
      emulator.inject({ kind: 'flood', on: 'list', declareLength, times: 10 });
      const { client } = clientFor(emulator);
      const error = await failure(client.listWebhooks());
      expect(error.failure).toBe('protocol');
      expect(error.message).toBe(
        'list webhooks: the API answered 200 with a body over 1 MiB, refused unread (a page of webhooks is a few kB; check api-url)',
      );
      expect(emulator.count('list')).toBe(1);
      // Stopped at the limit: far less than the 700 MiB on offer was sent (socket buffers aside).
      expect(emulator.floodBytesSent).toBeLessThan(64 * 1024 * 1024);
    },
  );

  it('waits the documented window after a 429 without retry-after or x-ratelimit-reset', async () => {
    const emulator = await start({ seed: seed(3) });
    emulator.inject({ kind: 'rate-limit', on: 'list', retryAfter: null });
    // MKP_RATE_LIMIT-style tuning: a 1.5 s window stands in for the documented minute.
    const { clock, waits } = virtualClock(() => emulator.count('list'));
    const { client, retries } = clientFor(emulator, {
      budget: { limit: 60, windowMs: 1_500 },
      clock,
    });
    expect(await client.listWebhooks()).toHaveLength(3);
    expect(retries).toEqual([
      'list webhooks: rate limited (429); retrying in 1.5 s (attempt 2 of 6)',
    ]);
    expect(waits).toEqual([{ ms: 1_500, seen: 1 }]);
  });

  it('waits at least a second on retry-after: 0', async () => {
    const emulator = await start({ seed: seed(3) });
    emulator.inject({ kind: 'rate-limit', on: 'list', retryAfter: 0 });
    const { clock, waits } = virtualClock(() => emulator.count('list'));
    const { client, retries } = clientFor(emulator, { clock });
    expect(await client.listWebhooks()).toHaveLength(3);
    expect(retries).toEqual([
      'list webhooks: rate limited (429); retrying in 1.0 s (attempt 2 of 6)',
    ]);
    expect(waits).toEqual([{ ms: 1_000, seen: 1 }]);
  });

  it('honours an HTTP-date retry-after', async () => {
    const emulator = await start({ seed: seed(3) });
    const { clock, waits, start: now } = virtualClock(() => emulator.count('list'));
    const at = new Date(now + 3_000);
    emulator.inject({ kind: 'rate-limit', on: 'list', retryAfter: at.toUTCString() });
    const { client, retries } = clientFor(emulator, { clock });
    expect(await client.listWebhooks()).toHaveLength(3);
    expect(waits).toEqual([{ ms: 3_000, seen: 1 }]);
    expect(retries).toEqual([
      'list webhooks: rate limited (429); retrying in 3.0 s (attempt 2 of 6)',
    ]);
  });

  it('sends nothing once the run is cancelled, and a retry stops waiting', async () => {
    const emulator = await start({ seed: seed(40) });
    // Page 2 is refused with a 30 s wait; the run is cancelled as the retry is announced.
    emulator.inject({ kind: 'rate-limit', on: 'list', retryAfter: 30, after: 1 });
    const controller = new AbortController();
    const client = connect({
      apiUrl: emulator.baseUrl,
      token: emulator.token,
      mask: () => undefined,
      onRetry: () => controller.abort('SIGINT'),
      signal: controller.signal,
    });
    const error = await failure(client.listWebhooks());
    expect(error.failure).toBe('cancelled');
    expect(error.message).toBe(
      'list webhooks (page 2): the run was cancelled before this call was sent',
    );
    expect(emulator.calls.map((c) => c.status)).toEqual([200, 429]);
    // And a client of a cancelled run sends nothing at all.
    const late = await failure(client.createWebhook('https://hooks.example.com/x', 'invoice-paid'));
    expect(late.failure).toBe('cancelled');
    expect(emulator.count('create')).toBe(0);
  });

  it('does not retry a host that cannot be resolved, and names it', async () => {
    const retried: string[] = [];
    const client = connect({
      apiUrl: 'https://api.mijnklantpotaal.invalid/v1',
      token: 'mkp-test-token',
      tuning: { timeoutMs: 5_000, retryBaseMs: 5, budget: { limit: 60, windowMs: 60_000 } },
      mask: () => {},
      onRetry: (message) => retried.push(message),
    });
    const error = await failure(client.listWebhooks());
    expect(error.message).toBe(
      'list webhooks: cannot resolve api.mijnklantpotaal.invalid: check api-url',
    );
    expect(retried).toEqual([]);
  });

  it('does not retry a port fetch refuses', async () => {
    const retried: string[] = [];
    const client = connect({
      apiUrl: 'http://127.0.0.1:6000/v1',
      token: 'mkp-test-token',
      tuning: { timeoutMs: 5_000, retryBaseMs: 5, budget: { limit: 60, windowMs: 60_000 } },
      mask: () => {},
      onRetry: (message) => retried.push(message),
    });
    const error = await failure(client.listWebhooks());
    expect(error.message).toBe(
      'list webhooks: cannot connect to 127.0.0.1:6000: fetch refuses that port; check api-url',
    );
    expect(retried).toEqual([]);
  });

  it('retries a refused connection within its budget (the Action), naming host and port', async () => {
    const port = await freePort(); // nothing listens there
    const retried: string[] = [];
    const client = connect({
      apiUrl: `http://127.0.0.1:${port}/v1`,
      token: 'mkp-test-token',
      tuning: { timeoutMs: 5_000, retryBaseMs: 1, budget: { limit: 60, windowMs: 60_000 } },
      mask: () => {},
      onRetry: (message) => retried.push(message),
    });
    const error = await failure(client.listWebhooks());
    expect(error.message).toBe(
      `list webhooks: 127.0.0.1:${port} refused the connection; gave up after 6 attempts`,
    );
    expect(retried).toHaveLength(5);
    expect(retried[0]).toMatch(
      new RegExp(`^list webhooks: 127\\.0\\.0\\.1:${port} refused the connection; retrying in`),
    );
  });

  it('fails a refused connection at once for the CLI, naming host, port and MKP_API_URL', async () => {
    const port = await freePort();
    for (const host of ['127.0.0.1', 'localhost']) {
      const retried: string[] = [];
      const client = connect({
        apiUrl: `http://${host}:${port}/v1`,
        token: 'mkp-test-token',
        tuning: { timeoutMs: 5_000, retryBaseMs: 1, budget: { limit: 60, windowMs: 60_000 } },
        mask: () => {},
        onRetry: (message) => retried.push(message),
        shell: { urlSetting: 'MKP_API_URL', retryRefused: false },
      });
      const error = await failure(client.listWebhooks());
      expect(error.message).toBe(
        `list webhooks: cannot connect to ${host}:${port}: the connection was refused (is the API, or the emulator, running there?); check MKP_API_URL`,
      );
      expect(retried).toEqual([]);
    }
  });

  it('names the API URL setting of the shell in its messages', async () => {
    const client = connect({
      apiUrl: 'https://api.mijnklantpotaal.invalid/v1',
      token: 'mkp-test-token',
      tuning: { timeoutMs: 5_000, retryBaseMs: 5, budget: { limit: 60, windowMs: 60_000 } },
      mask: () => {},
      shell: { urlSetting: 'MKP_API_URL' },
    });
    expect((await failure(client.listWebhooks())).message).toBe(
      'list webhooks: cannot resolve api.mijnklantpotaal.invalid: check MKP_API_URL',
    );
  });

  it('does not retry an invalid header value, and never quotes the token', async () => {
    const emulator = await start();
    const { client, retries } = clientFor(emulator, { token: 'mkp-test\ntoken' });
    const error = await failure(client.listWebhooks());
    expect(error.message).toBe(
      `list webhooks: cannot send a request to ${new URL(emulator.baseUrl).host}: a header value is not valid HTTP (does the API token hold a line break or another control character?)`,
    );
    expect(error.message).not.toContain('mkp-test');
    expect(retries).toEqual([]);
    expect(emulator.calls).toHaveLength(0);
  });
});

describe('createWebhook', () => {
  it('returns the record with its secret, masked before it is returned', async () => {
    const emulator = await start();
    const { client, masked } = clientFor(emulator);
    const record = await client.createWebhook('https://hooks.example.com/a', 'invoice-paid');
    const { secret, ...stored } = emulator.records[0]!;
    // The record holds no secret: the client keeps it apart, by record id.
    expect(record).toEqual(stored);
    expect(client.secrets.of(record.id)).toBe(secret);
    expect(masked).toEqual([secret]);
    expect(emulator.calls[0]!.body).toEqual({
      url: 'https://hooks.example.com/a',
      type: 'invoice-paid',
    });
  });

  it('carries the API message of a 422 and names the subscription', async () => {
    const emulator = await start();
    const { client } = clientFor(emulator);
    const error = await failure(client.createWebhook('not a url', 'invoice-paid'));
    expect(error.failure).toBe('rejected');
    expect(error.status).toBe(422);
    expect(error.message).toMatch(
      /^create webhook invoice-paid .*: the API answered 422: The url field must be a valid URL\./,
    );
  });

  it.each(['error-after', 'reset-after', 'malformed-json', 'slow'] as const)(
    'never repeats a create whose outcome is unknown (%s)',
    async (kind) => {
      const emulator = await start();
      emulator.inject({ kind, on: 'create', delayMs: 1_000 });
      const { client } = clientFor(emulator, { timeoutMs: 300 });
      const error = await failure(
        client.createWebhook('https://hooks.example.com/a', 'invoice-paid'),
      );
      expect(error.failure).toBe('outcome-unknown');
      expect(emulator.count('create')).toBe(1);
      expect(emulator.records).toHaveLength(1); // it was made; only the answer was lost
    },
  );

  it('repeats a create that the API refused with 429 (nothing was made)', async () => {
    const emulator = await start();
    emulator.inject({ kind: 'rate-limit', on: 'create', retryAfter: 0 });
    const { client } = clientFor(emulator);
    await client.createWebhook('https://hooks.example.com/a', 'invoice-paid');
    expect(emulator.count('create')).toBe(2);
    expect(emulator.records).toHaveLength(1);
  });
});

describe('pacing', () => {
  it('stays within the rate budget without provoking a 429', async () => {
    const emulator = await start({ rateLimit: { limit: 5, windowMs: 600 } });
    const { client } = clientFor(emulator, { budget: { limit: 5, windowMs: 600 } });
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        client.createWebhook(`https://hooks.example.com/${i}`, 'invoice-paid'),
      ),
    );
    expect(emulator.records).toHaveLength(12);
    expect(emulator.calls.filter((c) => c.status === 429)).toHaveLength(0);
  });

  it('learns the wait from a 429 when someone else spent the budget', async () => {
    const emulator = await start({ rateLimit: { limit: 3, windowMs: 800 } });
    // Another consumer of the same token spends the whole budget first.
    await Promise.all(
      [1, 2, 3].map(() =>
        fetch(`${emulator.baseUrl}/webhooks`, {
          headers: { authorization: `Bearer ${emulator.token}` },
        }),
      ),
    );
    const { client } = clientFor(emulator, { budget: { limit: 3, windowMs: 800 } });
    await Promise.all(
      [1, 2, 3, 4].map((i) =>
        client.createWebhook(`https://hooks.example.com/${i}`, 'invoice-paid'),
      ),
    );
    expect(emulator.records).toHaveLength(4);
    // At most one call ran into the spent budget at a time: no burst of 429s.
    const refused = emulator.calls.filter((c) => c.status === 429);
    expect(refused.length).toBeLessThanOrEqual(2);
  });
});
