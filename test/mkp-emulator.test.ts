import { afterEach, describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { parse } from 'yaml';
import {
  CALLS_KEPT,
  MkpEmulator,
  type MkpEmulatorOptions,
  type WebhookRecord,
} from '../src/emulator/mkp.js';

// The emulator is only worth something if it is the API of openapi.yaml: every documented
// answer is checked against the published schemas and headers.

interface OpenApiResponse {
  $ref?: string;
  headers?: Record<string, unknown>;
  content?: Record<string, unknown>;
}
interface OpenApi {
  paths: Record<string, Record<string, { responses: Record<string, OpenApiResponse> }>>;
  components: {
    responses: Record<string, OpenApiResponse>;
    schemas: { EventType: { enum: string[] } } & Record<string, unknown>;
  };
}

const spec = parse(readFileSync('spec/mijnklantportaal/openapi.yaml', 'utf8')) as OpenApi;
const EVENT_TYPES = spec.components.schemas.EventType.enum;
const SPEC_ID = 'https://mkp.test/openapi.json';
const ajv = new Ajv2020({ strict: true, allErrors: true });
ajv.addKeyword('example');
ajv.addKeyword('paths');
ajv.addKeyword('components');
ajv.addSchema({ $id: SPEC_ID, paths: spec.paths, components: spec.components });

type SpecPath = '/webhooks' | '/webhooks/{webhookId}';

/** The schema and the headers that openapi.yaml documents for one answer. */
function documented(
  path: SpecPath,
  method: 'get' | 'post',
  status: number,
): { validate: ValidateFunction; headers: string[] } {
  const pointerPart = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');
  let response = spec.paths[path][method].responses[String(status)];
  if (!response) throw new Error(`${method.toUpperCase()} ${path} documents no ${status}`);
  let pointer = `#/paths/${pointerPart(path)}/${method}/responses/${status}`;
  if (response.$ref) {
    pointer = response.$ref;
    response = spec.components.responses[response.$ref.split('/').pop() ?? ''];
  }
  const validate = ajv.getSchema(`${SPEC_ID}${pointer}/content/application~1json/schema`);
  if (!validate) throw new Error(`no schema at ${pointer}`);
  return { validate, headers: Object.keys(response.headers ?? {}) };
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

const started: MkpEmulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()));
});

async function emulator(options?: MkpEmulatorOptions): Promise<MkpEmulator> {
  const emu = await MkpEmulator.start(options);
  started.push(emu);
  return emu;
}

async function call(
  emu: MkpEmulator,
  target: string,
  init: {
    method?: string;
    json?: unknown;
    raw?: string;
    token?: string | null;
    headers?: Record<string, string>;
    signal?: AbortSignal;
  } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  const token = init.token === undefined ? emu.token : init.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined = init.raw;
  if (init.json !== undefined) body = JSON.stringify(init.json);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const url = target.startsWith('http') ? target : `${emu.origin}${target}`;
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    body,
    signal: init.signal,
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** Asserts that the answer is one openapi.yaml documents, body and headers. */
function expectDocumented(answer: Answer, path: SpecPath, method: 'get' | 'post'): void {
  const { validate, headers } = documented(path, method, answer.status);
  expect(answer.headers.get('content-type')).toBe('application/json');
  expect(validate(answer.body) ? [] : validate.errors).toEqual([]);
  for (const name of headers) expect(answer.headers.get(name)).toMatch(/^\d+$/);
}

const list = (emu: MkpEmulator, page?: string): Promise<Answer> =>
  call(emu, page === undefined ? '/v1/webhooks' : `/v1/webhooks?page=${page}`);
const create = (emu: MkpEmulator, json: unknown): Promise<Answer> =>
  call(emu, '/v1/webhooks', { method: 'POST', json });
const hook = { url: 'https://hooks.example.com/mkp', type: 'customer-created' };

function seedOf(n: number): Array<{ type: string; url: string }> {
  return Array.from({ length: n }, (_, i) => ({
    type: EVENT_TYPES[i % EVENT_TYPES.length],
    url: `https://hooks.example.com/${i + 1}`,
  }));
}

/** How fetch fails when the server drops the connection (a TypeError of another realm). */
const CONNECTION_DROPPED = {
  message: 'fetch failed',
  cause: expect.objectContaining({ code: 'UND_ERR_SOCKET' }),
};

const RECORD_SHAPE = {
  id: expect.stringMatching(/^wbh_[a-z0-9]{14}$/),
  secret: expect.stringMatching(/^[A-Za-z0-9]{20}$/),
  createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/),
};

describe('list', () => {
  it('pages a 40-record account 15 at a time, in creation order, like the WebhookPage schema', async () => {
    const emu = await emulator({ seed: seedOf(40) });
    const path = `${emu.origin}/v1/webhooks`;
    const pages: Answer[] = [];
    let next: string | null = `${emu.baseUrl}/webhooks`;
    while (next !== null) {
      const answer: Answer = await call(emu, next);
      expectDocumented(answer, '/webhooks', 'get');
      pages.push(answer);
      next = (answer.body as { next_page_url: string | null }).next_page_url;
    }
    const bodies = pages.map((p) => p.body as { data: WebhookRecord[] });
    expect(bodies.map(({ data: _data, ...rest }) => rest)).toEqual([
      {
        current_page: 1,
        first_page_url: `${path}?page=1`,
        from: 1,
        next_page_url: `${path}?page=2`,
        path,
        per_page: 15,
        prev_page_url: null,
        to: 15,
      },
      {
        current_page: 2,
        first_page_url: `${path}?page=1`,
        from: 16,
        next_page_url: `${path}?page=3`,
        path,
        per_page: 15,
        prev_page_url: `${path}?page=1`,
        to: 30,
      },
      {
        current_page: 3,
        first_page_url: `${path}?page=1`,
        from: 31,
        next_page_url: null,
        path,
        per_page: 15,
        prev_page_url: `${path}?page=2`,
        to: 40,
      },
    ]);
    const listed = bodies.flatMap((b) => b.data);
    expect(listed).toEqual(emu.records);
    expect(listed[0]).toEqual({ ...seedOf(1)[0], ...RECORD_SHAPE });
    expect(pages.map((p) => p.headers.get('X-RateLimit-Remaining'))).toEqual(['59', '58', '57']);
  });

  it('answers a page past the end with no data and null from/to', async () => {
    const emu = await emulator({ seed: seedOf(40) });
    const answer = await list(emu, '4');
    expectDocumented(answer, '/webhooks', 'get');
    expect(answer.body).toMatchObject({
      current_page: 4,
      data: [],
      from: null,
      to: null,
      next_page_url: null,
      prev_page_url: `${emu.origin}/v1/webhooks?page=3`,
    });
    const empty = await emulator();
    expect((await list(empty)).body).toMatchObject({ data: [], from: null, to: null });
  });

  it.each([
    ['2,', 2],
    ['%202', 2],
    ['2abc', 2],
    ['1e1', 10],
    ['abc', 1],
    ['0', 1],
    ['-2', 1],
    ['', 1],
    ['1&page=3', 3],
  ])('reads page=%s as page %d, like PHP intval', async (page, expected) => {
    const emu = await emulator({ seed: seedOf(40) });
    expect((await list(emu, page)).body).toMatchObject({ current_page: expected });
  });

  it('reproduces the published trailing comma in next_page_url, and the URL still works', async () => {
    const emu = await emulator({ seed: seedOf(20), nextPageTrailingComma: true });
    const first = await list(emu);
    const next = (first.body as { next_page_url: string }).next_page_url;
    expect(next).toBe(`${emu.origin}/v1/webhooks?page=2,`);
    const second = await call(emu, next);
    expectDocumented(second, '/webhooks', 'get');
    expect(second.body).toMatchObject({ current_page: 2, from: 16, to: 20, next_page_url: null });
  });

  it('honours pageSize and builds page URLs on the host the client used', async () => {
    const emu = await emulator({ seed: seedOf(3), pageSize: 2 });
    const port = new URL(emu.origin).port;
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        `${emu.baseUrl}/webhooks`,
        { headers: { host: `localhost:${port}`, authorization: `Bearer ${emu.token}` } },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(JSON.parse(body)).toMatchObject({
      per_page: 2,
      to: 2,
      next_page_url: `http://localhost:${port}/v1/webhooks?page=2`,
    });
  });
});

describe('create and get', () => {
  it('creates a record with a generated id, secret and createdAt, readable by get and list', async () => {
    const emu = await emulator();
    const created = await create(emu, hook);
    expect(created.status).toBe(201);
    expectDocumented(created, '/webhooks', 'post');
    expect(created.body).toEqual({ ...hook, ...RECORD_SHAPE });
    expect(emu.records).toEqual([created.body]);

    const { id } = created.body as WebhookRecord;
    const got = await call(emu, `/v1/webhooks/${id}`);
    expect(got.status).toBe(200);
    expectDocumented(got, '/webhooks/{webhookId}', 'get');
    expect(got.body).toEqual(created.body);
    expect((await list(emu)).body).toMatchObject({ data: [created.body] });
  });

  it('answers 404 with a message for an unknown id', async () => {
    const emu = await emulator({ seed: seedOf(1) });
    const answer = await call(emu, '/v1/webhooks/wbh_doesnotexist00');
    expect(answer.status).toBe(404);
    expectDocumented(answer, '/webhooks/{webhookId}', 'get');
    expect(answer.body).toEqual({ message: 'Webhook not found.' });
  });

  it('accepts exactly the event types of openapi.yaml', async () => {
    const emu = await emulator();
    const answers = await Promise.all(EVENT_TYPES.map((type) => create(emu, { ...hook, type })));
    for (const answer of answers) {
      expect(answer.status).toBe(201);
      expectDocumented(answer, '/webhooks', 'post');
    }
    expect(emu.records.map((r) => r.type).sort()).toEqual([...EVENT_TYPES].sort());
    expect(new Set(emu.records.map((r) => r.id)).size).toBe(EVENT_TYPES.length);
    expect(new Set(emu.records.map((r) => r.secret)).size).toBe(EVENT_TYPES.length);

    const rejected = await create(emu, { ...hook, type: 'customer-updated' });
    expect(rejected.body).toEqual({
      message: `The type field must be one of ${EVENT_TYPES.join(', ')}.`,
    });
  });

  it('does not reject duplicates: the same (url, type) twice makes two records', async () => {
    const emu = await emulator();
    const first = await create(emu, hook);
    const second = await create(emu, hook);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(emu.records).toHaveLength(2);
    expect((first.body as WebhookRecord).id).not.toBe((second.body as WebhookRecord).id);
    expect((first.body as WebhookRecord).secret).not.toBe((second.body as WebhookRecord).secret);
  });

  const typeMessage = expect.stringMatching(/^The type field must be one of appointment-created, /);
  it.each<[string, { json?: unknown; raw?: string; headers?: Record<string, string> }, unknown]>([
    ['invalid JSON', { raw: '{"url": ' }, 'The url field is required. (and 1 more error)'],
    ['no url', { json: { type: hook.type } }, 'The url field is required.'],
    ['an empty url', { json: { ...hook, url: '' } }, 'The url field is required.'],
    ['a non-string url', { json: { ...hook, url: 42 } }, 'The url field must be a string.'],
    ['a relative url', { json: { ...hook, url: '/hooks' } }, 'The url field must be a valid URL.'],
    [
      'an ftp url',
      { json: { ...hook, url: 'ftp://x.example' } },
      'The url field must be a valid URL.',
    ],
    [
      'a url with spaces',
      { json: { ...hook, url: 'https://a b.example' } },
      'The url field must be a valid URL.',
    ],
    ['no type', { json: { url: hook.url } }, 'The type field is required.'],
    ['an unknown type', { json: { ...hook, type: 'customer-updated' } }, typeMessage],
    ['a non-string type', { json: { ...hook, type: ['customer-created'] } }, typeMessage],
    ['a JSON array', { json: [hook] }, 'The url field is required. (and 1 more error)'],
    [
      'JSON sent as text/plain',
      { raw: JSON.stringify(hook), headers: { 'content-type': 'text/plain' } },
      'The url field is required. (and 1 more error)',
    ],
  ])('answers 422 with a message for %s, and creates nothing', async (_case, init, message) => {
    const emu = await emulator();
    const answer = await call(emu, '/v1/webhooks', { method: 'POST', ...init });
    expect(answer.status).toBe(422);
    expectDocumented(answer, '/webhooks', 'post');
    expect(answer.body).toEqual({ message });
    expect(emu.records).toEqual([]);
  });

  it('accepts a form-encoded body like Laravel does', async () => {
    const emu = await emulator();
    const answer = await call(emu, '/v1/webhooks', {
      method: 'POST',
      raw: new URLSearchParams(hook).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(answer.status).toBe(201);
  });
});

describe('auth and routing', () => {
  it.each([
    ['no Authorization header', {}],
    ['an unknown token', { token: 'nope' }],
    ['another scheme', { token: null, headers: { authorization: 'Basic bWtwLXRlc3QtdG9rZW4=' } }],
  ])('answers 401 to %s, without rate-limit headers, and records the call', async (_c, init) => {
    const emu = await emulator({ seed: seedOf(1) });
    const answer = await call(emu, '/v1/webhooks', { token: null, ...init });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ message: 'Unauthenticated.' });
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.headers.get('X-RateLimit-Limit')).toBeNull();
    expect(emu.calls).toEqual([
      expect.objectContaining({ operation: 'list', status: 401, authorized: false }),
    ]);
  });

  it('accepts every configured token; token is the first', async () => {
    const emu = await emulator({ tokens: ['first', 'second'] });
    expect(emu.token).toBe('first');
    expect((await list(emu)).status).toBe(200);
    expect((await call(emu, '/v1/webhooks', { token: 'second' })).status).toBe(200);
    expect((await call(emu, '/v1/webhooks')).status).toBe(200);
    expect(emu.baseUrl).toBe(`${emu.origin}/v1`);
    expect(emu.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers 404 off the routes and 405 for a wrong method', async () => {
    const emu = await emulator();
    for (const path of ['/webhooks', '/v1/customers', '/v1/webhooks/a/b', '/v2/webhooks']) {
      const answer = await call(emu, path);
      expect([path, answer.status, answer.body]).toEqual([path, 404, { message: 'Not found.' }]);
    }
    const del = await call(emu, '/v1/webhooks/wbh_x', { method: 'DELETE' });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, HEAD');
    expect(del.body).toEqual({
      message: expect.stringContaining('DELETE method is not supported'),
    });
    const put = await call(emu, '/v1/webhooks', { method: 'PUT', json: hook });
    expect([put.status, put.headers.get('allow')]).toEqual([405, 'GET, HEAD, POST']);
    expect(emu.calls.map((c) => c.operation)).toEqual(Array(6).fill('other'));
  });
});

describe('rate limit', () => {
  it('limits each token in a rolling window, answers 429 as documented, and recovers', async () => {
    // A clock stepped by hand: the window is judged on these instants, not on how fast the
    // machine answers (the test used to allow 20 ms for five calls).
    let now = 1_700_000_000_000;
    const start = now;
    const emu = await emulator({
      tokens: ['a', 'b'],
      rateLimit: { limit: 5, windowMs: 500 },
      clock: () => now,
    });
    const remaining: Array<string | null> = [];
    for (let i = 0; i < 5; i += 1) {
      const answer = await list(emu);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('X-RateLimit-Limit')).toBe('5');
      expect(answer.headers.get('retry-after')).toBeNull();
      expect(answer.headers.get('x-ratelimit-reset')).toBeNull();
      remaining.push(answer.headers.get('X-RateLimit-Remaining'));
      now += 10;
    }
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);

    now = start + 250;
    const limited = await create(emu, hook);
    expect(limited.status).toBe(429);
    expectDocumented(limited, '/webhooks', 'post');
    expect(limited.body).toEqual({ code: 429, message: 'Too many requests.' });
    // The first call frees its place at start + 500: 250 ms away, rounded up to a second.
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.headers.get('X-RateLimit-Remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-reset')).toBe(String(Math.ceil(now / 1000) + 1));
    expect(emu.records).toEqual([]);
    expect((await call(emu, '/v1/webhooks', { token: 'b' })).status).toBe(200);

    // One instant before the first call leaves the window, the budget is still spent.
    now = start + 499;
    expect((await list(emu)).status).toBe(429);

    // The 429s came inside the window; had they counted, they would still block now.
    now = start + 540;
    const again: Array<string | null> = [];
    for (let i = 0; i < 5; i += 1) {
      const answer = await list(emu);
      expect(answer.status).toBe(200);
      again.push(answer.headers.get('X-RateLimit-Remaining'));
    }
    expect(again).toEqual(['4', '3', '2', '1', '0']);
    expect((await list(emu)).status).toBe(429);
    expect(emu.calls.map((c) => c.at)).toContain(start + 540);
  });

  it('sends no rate-limit headers and never limits when rateLimit is false', async () => {
    const emu = await emulator({ rateLimit: false });
    const answers = await Promise.all(Array.from({ length: 80 }, () => list(emu)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers[0].headers.get('X-RateLimit-Limit')).toBeNull();
    expect(answers[0].headers.get('X-RateLimit-Remaining')).toBeNull();
  });

  it('defaults to the documented 60 a minute', async () => {
    const emu = await emulator();
    const answers = await Promise.all(Array.from({ length: 61 }, () => list(emu)));
    expect(answers.filter((a) => a.status === 429)).toHaveLength(1);
    expect(answers[0].headers.get('X-RateLimit-Limit')).toBe('60');
    const limited = answers.find((a) => a.status === 429);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(55);
  });
});

describe('faults', () => {
  it('rate-limit: a documented 429 with the given retry-after', async () => {
    const emu = await emulator();
    emu.inject({ kind: 'rate-limit', on: 'list', retryAfter: 7 });
    const now = Date.now();
    const answer = await list(emu);
    expect(answer.status).toBe(429);
    expectDocumented(answer, '/webhooks', 'get');
    expect(answer.headers.get('retry-after')).toBe('7');
    expect(answer.headers.get('X-RateLimit-Remaining')).toBe('0');
    expect(Number(answer.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(
      Math.floor(now / 1000) + 7,
    );
    expect((await list(emu)).status).toBe(200);
  });

  it('error-before: 503 (or the given status) and nothing created', async () => {
    const emu = await emulator();
    emu.inject(
      { kind: 'error-before', on: 'create' },
      { kind: 'error-before', on: 'create', status: 500 },
    );
    const first = await create(emu, hook);
    const second = await create(emu, hook);
    expect([first.status, second.status]).toEqual([503, 500]);
    expect(first.headers.get('content-type')).toBe('application/json');
    expect(first.body).toEqual({ message: 'Service Unavailable' });
    expect(emu.records).toEqual([]);
    expect((await create(emu, hook)).status).toBe(201);
  });

  it('error-after: the record is created, the answer is a 5xx', async () => {
    const emu = await emulator();
    emu.inject({ kind: 'error-after', on: 'create' });
    const answer = await create(emu, hook);
    expect(answer.status).toBe(503);
    expect(emu.records).toEqual([expect.objectContaining(hook)]);
    expect((await list(emu)).body).toMatchObject({ data: [expect.objectContaining(hook)] });
  });

  it('reset-before: the connection drops and nothing is created', async () => {
    const emu = await emulator();
    emu.inject({ kind: 'reset-before', on: 'create' });
    await expect(create(emu, hook)).rejects.toMatchObject(CONNECTION_DROPPED);
    expect(emu.records).toEqual([]);
    expect(emu.calls).toEqual([
      expect.objectContaining({ method: 'POST', operation: 'create', status: 'reset' }),
    ]);
  });

  it('reset-after: the record is created, then the connection drops', async () => {
    const emu = await emulator();
    emu.inject({ kind: 'reset-after', on: 'create' });
    await expect(create(emu, hook)).rejects.toMatchObject(CONNECTION_DROPPED);
    expect(emu.records).toEqual([expect.objectContaining(hook)]);
    expect((await create(emu, hook)).status).toBe(201);
  });

  it('slow: the operation happens but the answer outlasts a client timeout', async () => {
    const emu = await emulator();
    emu.inject({ kind: 'slow', on: 'create' });
    const signal = AbortSignal.timeout(100);
    const failure = await call(emu, '/v1/webhooks', { method: 'POST', json: hook, signal }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toMatchObject({ name: 'TimeoutError' });
    expect(emu.records).toHaveLength(1);
  });

  it('slow: answers after delayMs', async () => {
    const emu = await emulator();
    emu.inject({ kind: 'slow', on: 'get', delayMs: 150 });
    const [record] = emu.seed([hook]);
    const start = Date.now();
    const answer = await call(emu, `/v1/webhooks/${record.id}`);
    expect(Date.now() - start).toBeGreaterThanOrEqual(140);
    expect(answer.status).toBe(200);
    expectDocumented(answer, '/webhooks/{webhookId}', 'get');
  });

  it('close() does not wait for a pending slow answer', async () => {
    const emu = await MkpEmulator.start();
    emu.inject({ kind: 'slow', on: 'list' });
    const pending = list(emu).catch((e: unknown) => e);
    while (emu.count('list') === 0) await new Promise((r) => setTimeout(r, 5));
    const start = Date.now();
    await emu.close();
    // The slow answer is held back 10 s; close() returning well before shows it did not wait.
    expect(Date.now() - start).toBeLessThan(5_000);
    expect(await pending).toMatchObject(CONNECTION_DROPPED);
    await emu.close(); // twice is harmless
  });

  it('malformed-json: the right status and content type, a truncated body', async () => {
    const emu = await emulator();
    emu.inject({ kind: 'malformed-json', on: 'create' });
    const answer = await create(emu, hook);
    expect(answer.status).toBe(201);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.text.startsWith('{')).toBe(true);
    expect(() => JSON.parse(answer.text)).toThrow(SyntaxError);
    expect(emu.records).toHaveLength(1);
  });

  it('html: a 502 error page from a proxy, nothing created', async () => {
    const emu = await emulator();
    emu.inject({ kind: 'html', on: 'create' });
    const answer = await create(emu, hook);
    expect(answer.status).toBe(502);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(answer.text).toContain('<h1>502 Bad Gateway</h1>');
    expect(emu.records).toEqual([]);
  });

  it('wrong-content-type: the right status, a plain-text body', async () => {
    const emu = await emulator({ seed: seedOf(1) });
    emu.inject({ kind: 'wrong-content-type', on: 'list' });
    const answer = await list(emu);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(answer.body).toBeUndefined();
  });

  it('empty-page: no data, but next_page_url as usual', async () => {
    const emu = await emulator({ seed: seedOf(20) });
    emu.inject({ kind: 'empty-page', on: 'list' });
    const answer = await list(emu);
    expectDocumented(answer, '/webhooks', 'get');
    expect(answer.body).toMatchObject({
      current_page: 1,
      data: [],
      from: null,
      to: null,
      next_page_url: `${emu.origin}/v1/webhooks?page=2`,
    });
    expect((await list(emu)).body).toMatchObject({ from: 1, to: 15 });
  });

  it('foreign-next: next_page_url on another origin, by default or as given', async () => {
    const emu = await emulator({ seed: seedOf(20) });
    emu.inject(
      { kind: 'foreign-next', on: 'list' },
      { kind: 'foreign-next', on: 'list', url: 'http://127.0.0.2:1/v1/webhooks?page=2' },
    );
    const first = await list(emu);
    expectDocumented(first, '/webhooks', 'get');
    expect(first.body).toMatchObject({
      next_page_url: 'https://evil.example.net/v1/webhooks?page=2',
      to: 15,
    });
    expect((await list(emu)).body).toMatchObject({
      next_page_url: 'http://127.0.0.2:1/v1/webhooks?page=2',
    });
  });

  it('loop-next: a later page points back at page 1', async () => {
    const emu = await emulator({ seed: seedOf(40) });
    emu.inject({ kind: 'loop-next', on: 'list', after: 1 });
    const first = await list(emu);
    const next = (first.body as { next_page_url: string }).next_page_url;
    const second = await call(emu, next);
    expectDocumented(second, '/webhooks', 'get');
    expect(second.body).toMatchObject({
      current_page: 2,
      next_page_url: `${emu.origin}/v1/webhooks?page=1`,
    });
  });

  it('refuses list-only faults on other operations', async () => {
    const emu = await emulator();
    expect(() => emu.inject({ kind: 'empty-page', on: 'create' })).toThrow(TypeError);
  });

  it('applies faults per operation, in order of injection, honouring after and times', async () => {
    const emu = await emulator();
    emu.inject(
      { kind: 'error-before', on: 'create', after: 1, times: 2 },
      { kind: 'error-after', on: 'create', status: 500 },
      { kind: 'error-before', on: 'get', status: 502 },
    );
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      statuses.push((await create(emu, hook)).status);
      statuses.push((await list(emu)).status);
    }
    expect(statuses).toEqual([201, 200, 503, 200, 503, 200, 500, 200, 201, 200]);
    expect(emu.records).toHaveLength(3);
    expect((await call(emu, `/v1/webhooks/${emu.records[0].id}`)).status).toBe(502);
  });

  it('applies after auth and rate limit, and a faulted call counts toward the window', async () => {
    const emu = await emulator({ rateLimit: { limit: 2, windowMs: 60_000 } });
    emu.inject({ kind: 'error-before', on: 'list' });
    expect((await list(emu).then(() => call(emu, '/v1/webhooks', { token: 'x' }))).status).toBe(
      401,
    );
    expect(emu.calls.map((c) => c.status)).toEqual([503, 401]);
    const second = await list(emu);
    expect([second.status, second.headers.get('X-RateLimit-Remaining')]).toEqual([200, '0']);
    emu.inject({ kind: 'error-after', on: 'list' });
    expect((await list(emu)).status).toBe(429);
    expect((await list(emu)).status).toBe(429);
    // the fault is still pending: a 429 did not consume it
    expect(emu.calls.map((c) => c.status)).toEqual([503, 401, 200, 429, 429]);
  });
});

describe('bookkeeping', () => {
  it('records every call with its path, operation, status and posted body', async () => {
    const emu = await emulator();
    const before = Date.now();
    await create(emu, hook);
    await call(emu, '/v1/webhooks', { method: 'POST', raw: 'not json' });
    await list(emu, '2,');
    await call(emu, '/v1/webhooks', { token: null });
    expect(emu.calls).toEqual([
      {
        method: 'POST',
        path: '/v1/webhooks',
        operation: 'create',
        status: 201,
        authorized: true,
        at: expect.any(Number),
        body: hook,
      },
      expect.objectContaining({ status: 422, body: 'not json' }),
      expect.objectContaining({ method: 'GET', path: '/v1/webhooks?page=2,', status: 200 }),
      expect.objectContaining({ operation: 'list', status: 401, authorized: false }),
    ]);
    expect(emu.calls[0].at).toBeGreaterThanOrEqual(before);
    expect('body' in emu.calls[2]).toBe(false);
    expect([emu.count('create'), emu.count('create', 'post'), emu.count('list')]).toEqual([
      2, 2, 2,
    ]);
    expect(emu.count('list', 'POST')).toBe(0);
    emu.resetCalls();
    expect(emu.calls).toEqual([]);
    expect(emu.count('get')).toBe(0);
  });

  it('keeps the latest calls only (callsKept; CALLS_KEPT by default), so it can serve for days', async () => {
    expect(CALLS_KEPT).toBe(10_000);
    const emu = await emulator({ callsKept: 3, rateLimit: false });
    for (const page of ['1', '2', '3', '4', '5']) await list(emu, page);
    await create(emu, hook);
    expect(emu.calls.map((c) => c.path)).toEqual([
      '/v1/webhooks?page=4',
      '/v1/webhooks?page=5',
      '/v1/webhooks',
    ]);
    expect([emu.count('list'), emu.count('create')]).toEqual([2, 1]);
    expect(emu.records).toHaveLength(1); // the account itself is not trimmed
  });

  it('seeds records, generating what is missing and keeping what is given', async () => {
    const given = {
      id: 'wbh_given00000000',
      type: 'not-an-event',
      url: 'http://plain.example/x#frag',
      secret: 's',
      createdAt: '2024-04-29T21:00:00+02:00',
    };
    const emu = await emulator({ seed: [given] });
    const [added] = emu.seed([hook]);
    expect(added).toEqual({ ...hook, ...RECORD_SHAPE });
    expect(emu.records).toEqual([given, added]);
    emu.records.push({ ...given, id: 'wbh_pushed0000000' });
    expect((await call(emu, '/v1/webhooks/wbh_pushed0000000')).status).toBe(200);
  });

  it('adds latency to every answer', async () => {
    // Lower bounds only hold under any load; the latency is large so that a loaded machine's
    // own delay cannot pass for it.
    const emu = await emulator({ latencyMs: 1_500 });
    let start = Date.now();
    await call(emu, '/v1/webhooks', { token: null });
    expect(Date.now() - start).toBeGreaterThanOrEqual(1_450);
    emu.setLatency(0);
    start = Date.now();
    await list(emu);
    expect(Date.now() - start).toBeLessThan(1_450);
  });
});

describe('quirks for the right-secret scenarios', () => {
  it('normaliseUrls stores and answers another spelling than was sent', async () => {
    const emu = await emulator({ normaliseUrls: true });
    const created = await call(emu, `${emu.baseUrl}/webhooks`, {
      method: 'POST',
      json: { url: 'https://hooks.example.com/Mkp/%7Eops/?a=B', type: 'customer-created' },
    });
    expect(created.status).toBe(201);
    expect((created.body as WebhookRecord).url).toBe('https://hooks.example.com/mkp/~ops?a=B');
    expect(emu.records.map((r) => r.url)).toEqual(['https://hooks.example.com/mkp/~ops?a=B']);
  });

  it('recreate replaces a record as the manage portal does: same type and URL, new id and secret', async () => {
    const emu = await emulator({
      seed: [
        {
          type: 'invoice-paid',
          url: 'https://a.example.com/x',
          createdAt: '2026-01-01T00:00:00+00:00',
        },
      ],
    });
    const old = emu.records[0]!;
    const fresh = emu.recreate(old.id);
    expect(emu.records).toEqual([fresh]);
    expect([fresh.type, fresh.url]).toEqual([old.type, old.url]);
    expect(fresh.id).not.toBe(old.id);
    expect(fresh.secret).not.toBe(old.secret);
    expect(Date.parse(fresh.createdAt)).toBeGreaterThan(Date.parse(old.createdAt));
  });
});

describe('as the CLI serves it (mkp-webhooks-sync emulator, running for days)', () => {
  it('drops a request body over 1 MiB unread and keeps answering', async () => {
    const emu = await emulator();
    const sent = fetch(`${emu.baseUrl}/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emu.token}`, 'content-type': 'application/json' },
      body: 'x'.repeat(2 * 1024 * 1024),
    });
    await expect(sent).rejects.toThrow();
    expect(emu.records).toEqual([]);
    const listed = await call(emu, `${emu.baseUrl}/webhooks`);
    expect(listed.status).toBe(200);
  });
});

describe('moments of a run (issue 23: overlapping runs, kills at an exact call)', () => {
  it('a barrier performs each call as it arrives and answers them all once the last has arrived', async () => {
    const emu = await emulator();
    emu.inject({ kind: 'barrier', on: 'list', times: 2 });
    let answered = false;
    const first = list(emu).then((a) => ((answered = true), a));
    // The first listing waits for a second one, however long that takes.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(answered).toBe(false);
    await create(emu, hook); // not a list: passes the barrier, and is made
    const second = await list(emu);
    const firstAnswer = await first;
    // Each listing shows the account as it was when that call arrived.
    expect((firstAnswer.body as { data: unknown[] }).data).toHaveLength(0);
    expect((second.body as { data: unknown[] }).data).toHaveLength(1);
    expect((await list(emu)).status).toBe(200); // the barrier is spent
  });

  it('tells a watcher of each call received (already made) and answered, in order', async () => {
    const emu = await emulator();
    const seen: string[] = [];
    const stop = emu.onCall((call, moment) =>
      seen.push(`${call.operation} ${moment} ${emu.records.length}`),
    );
    await create(emu, hook);
    emu.inject({ kind: 'reset-before', on: 'list' });
    await list(emu).catch(() => undefined);
    stop();
    await list(emu);
    expect(seen).toEqual([
      'create received 1',
      'create answered 1',
      'list received 1',
      'list answered 1',
    ]);
  });
});
