import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { connect } from '../src/mkp/client.js';
import { ApiError } from '../src/mkp/errors.js';
import { runCli } from '../dev/harness/processes.js';

/**
 * A malformed answer (bad header, bad JSON) is the API's fault, never the token's (CONTRACT §4;
 * issue 22, finding 9): a response header holding ESC or VT was reported as "does the API token
 * hold a line break" and not retried. It is now retried like other transient answers: a GET is
 * asked again; a create was sent, so its outcome is unknown. The server here is a raw TCP
 * socket on 127.0.0.1, since no HTTP server library sends such headers.
 */
const TOKEN = 'mkp-raw-token-0001';
const PAGE = JSON.stringify({ current_page: 1, data: [], next_page_url: null });
const RECORD = JSON.stringify({
  id: 'wbh_1',
  type: 'invoice-paid',
  url: 'https://a.example.com/',
  secret: 'whsec_raw_secret_value',
});

/** Each answer as raw HTTP/1.1 text, in order; the last one repeats. */
class RawServer {
  readonly requests: string[] = [];
  private readonly sockets = new Set<Socket>();
  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    private readonly answers: string[],
  ) {}

  static async start(answers: string[]): Promise<RawServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const raw = new RawServer(server, `http://127.0.0.1:${port}/v1`, answers);
    server.on('connection', (socket: Socket) => raw.serve(socket));
    return raw;
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    let head = '';
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      this.requests.push(head.slice(0, head.indexOf('\r\n')));
      head = '';
      const answer = this.answers[Math.min(this.requests.length, this.answers.length) - 1]!;
      socket.end(answer, 'latin1');
    });
    socket.on('error', () => undefined);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }
}

function answer(status: string, headers: string[], body: string): string {
  return [
    `HTTP/1.1 ${status}`,
    ...headers,
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    '',
    body,
  ].join('\r\n');
}
const json = 'content-type: application/json';
const BAD_HEADERS: Array<[string, string]> = [
  ['ESC', 'x-request-id: abc\u001b[31mdef'],
  ['VT', 'x-request-id: abc\u000bdef'],
  ['a bare LF', 'x-request-id: abc\ndef'],
  ['a bare CR', 'x-request-id: abc\rdef'],
];

const servers: RawServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(...answers: string[]): Promise<RawServer> {
  const server = await RawServer.start(answers);
  servers.push(server);
  return server;
}

function clientOf(server: RawServer, token = TOKEN) {
  const retries: string[] = [];
  const client = connect({
    apiUrl: server.baseUrl,
    token,
    tuning: { timeoutMs: 2_000, retryBaseMs: 1, budget: { limit: 1000, windowMs: 60_000 } },
    mask: () => undefined,
    onRetry: (message) => retries.push(message),
  });
  return { client, retries };
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

describe('a response header the HTTP parser refuses', () => {
  it.each(BAD_HEADERS)(
    'with %s: the API’s malformed answer, retried, never blamed on the token',
    async (_, header) => {
      const server = await serve(answer('200 OK', [json, header], PAGE));
      const { client, retries } = clientOf(server);
      const error = await failure(client.listWebhooks());
      expect(error.message).toBe(
        "list webhooks: the API's answer is not valid HTTP (a malformed status line or header); gave up after 6 attempts",
      );
      expect(error.message).not.toMatch(/token|line break/i);
      expect(error.failure).toBe('unavailable');
      expect(server.requests).toHaveLength(6);
      expect(retries[0]).toBe(
        "list webhooks: the API's answer is not valid HTTP (a malformed status line or header); retrying in " +
          retries[0]!.split('retrying in ')[1],
      );
    },
  );

  it('a bad status line is the API’s malformed answer too', async () => {
    const server = await serve(`HTTP/1.1 2x0 OK\r\n${json}\r\ncontent-length: 2\r\n\r\n{}`);
    const error = await failure(clientOf(server).client.listWebhooks());
    expect(error.message).toContain("the API's answer is not valid HTTP");
  });

  it('is transient: the next good answer is taken', async () => {
    const server = await serve(
      answer('200 OK', [json, BAD_HEADERS[0]![1]], PAGE),
      answer('200 OK', [json], PAGE),
    );
    const { client, retries } = clientOf(server);
    expect(await client.listWebhooks()).toEqual([]);
    expect(server.requests).toEqual(['GET /v1/webhooks HTTP/1.1', 'GET /v1/webhooks HTTP/1.1']);
    expect(retries).toHaveLength(1);
  });

  it('after a create, the outcome is unknown: not sent again, so the caller lists first', async () => {
    const server = await serve(answer('201 Created', [json, BAD_HEADERS[1]![1]], RECORD));
    const error = await failure(
      clientOf(server).client.createWebhook('https://a.example.com/', 'invoice-paid'),
    );
    expect(error.failure).toBe('outcome-unknown');
    expect(error.message).toBe(
      "create webhook invoice-paid https://a.example.com/: the API's answer is not valid HTTP (a malformed status line or header); the API may or may not have done it",
    );
    expect(server.requests).toEqual(['POST /v1/webhooks HTTP/1.1']);
  });

  it('our own invalid header is still named as ours, before anything is sent', async () => {
    const server = await serve(answer('200 OK', [json], PAGE));
    const error = await failure(clientOf(server, 'mkp-raw\ntoken').client.listWebhooks());
    expect(error.message).toContain('does the API token hold a line break');
    expect(error.message).not.toContain('mkp-raw');
    expect(server.requests).toHaveLength(0);
  });
});

describe('a body that is not JSON', () => {
  it('names the media type only when it reads as one, never the server’s raw text', async () => {
    const server = await serve(
      answer('200 OK', ['content-type: text/html; charset=utf-8'], '<html>proxy</html>'),
      answer('200 OK', ['content-type: ##[stop-commands]x ::add-mask::'], 'OK'),
      answer('200 OK', [json], PAGE),
    );
    const { client, retries } = clientOf(server);
    expect(await client.listWebhooks()).toEqual([]);
    expect(retries.map((r) => r.split(';')[0])).toEqual([
      'list webhooks: the API answered 200 with a body that is not JSON (content-type text/html)',
      'list webhooks: the API answered 200 with a body that is not JSON (an unreadable content-type)',
    ]);
  });
});

describe('the built CLI', () => {
  it('plan reports the malformed answer as the API’s, not the token’s', async () => {
    const server = await serve(answer('200 OK', [json, BAD_HEADERS[0]![1]], PAGE));
    const cwd = mkdtempSync(join(tmpdir(), 'mkp-malformed-'));
    writeFileSync(
      join(cwd, 'webhooks.yaml'),
      'webhooks:\n  - url: https://a.example.com/\n    event: invoice-paid\n',
    );
    const run = await runCli(['plan'], {
      cwd,
      env: { MKP_API_TOKEN: TOKEN, MKP_API_URL: server.baseUrl, MKP_RETRY_BASE_MS: '1' },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("list webhooks: the API's answer is not valid HTTP");
    expect(run.stderr).not.toMatch(/line break|token/i);
    expect(server.requests).toHaveLength(6);
  });
});
