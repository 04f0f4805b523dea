import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { MAX_ANSWER_BYTES, overCap, readCapped } from '../src/http-body.js';

/**
 * The one capped body reader under both clients (CONTRACT §4: answers over 1 MiB are refused
 * unread), against a real loopback server that sends bodies of a given size.
 */
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** Serves `bytes` bytes, in content-length or chunked, and counts what it managed to write. */
async function serve(bytes: number, declareLength: boolean) {
  const sent = { bytes: 0 };
  server = createServer((_req, res) => {
    res.writeHead(200, declareLength ? { 'content-length': bytes } : {});
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const pump = () => {
      while (sent.bytes < bytes && !res.destroyed) {
        const piece = chunk.subarray(0, Math.min(chunk.length, bytes - sent.bytes));
        sent.bytes += piece.length;
        if (!res.write(piece)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/`, sent };
}

describe('readCapped', () => {
  it.each([true, false])(
    'reads a body of exactly the cap whole (content-length declared: %s)',
    async (declared) => {
      const { url } = await serve(MAX_ANSWER_BYTES, declared);
      const body = await readCapped(await fetch(url));
      expect(body?.length).toBe(MAX_ANSWER_BYTES);
    },
  );

  it('refuses a declared content-length past the cap without reading the body', async () => {
    const { url, sent } = await serve(300 * 1024 * 1024, true);
    expect(await readCapped(await fetch(url))).toBeUndefined();
    expect(sent.bytes).toBeLessThan(64 * 1024 * 1024);
  });

  it('cuts a streamed body as soon as it passes the cap', async () => {
    const { url, sent } = await serve(300 * 1024 * 1024, false);
    expect(await readCapped(await fetch(url), 1000)).toBeUndefined();
    expect(sent.bytes).toBeLessThan(64 * 1024 * 1024);
  });

  it('throws what the stream threw when the answer breaks off', async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': 100 });
      res.write('half');
      setTimeout(() => res.destroy(), 10);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    await expect(readCapped(await fetch(url))).rejects.toThrow();
  });
});

it('one sentence for an answer past its cap, on either side', () => {
  expect(overCap('the API', 200, MAX_ANSWER_BYTES, 'check api-url')).toBe(
    'the API answered 200 with a body over 1 MiB, refused unread (check api-url)',
  );
  expect(overCap('GitHub', 200, 1000, 'check GITHUB_API_URL')).toBe(
    'GitHub answered 200 with a body over 1000 bytes, refused unread (check GITHUB_API_URL)',
  );
});
