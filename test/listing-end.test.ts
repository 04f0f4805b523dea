import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { ApiError } from '../src/mkp/errors.js';
import { MkpEmulator, type MkpEmulatorOptions } from '../src/emulator/mkp.js';
import { runCli } from '../dev/harness/processes.js';
import { clientFor } from './harness/clients.js';

/**
 * Listings end (CONTRACT §4; issue 22, finding 8): a page that links to a further page but adds
 * no record id not seen before ends the listing with an error; an empty last page ends it
 * normally; an empty account is one empty page. An answer without current_page whose
 * next_page_url always points one page further, repeating the same record, was followed to the
 * 2,000-page guard: about 32 minutes at 60 calls a minute.
 */
const emulators: MkpEmulator[] = [];
async function start(options: MkpEmulatorOptions = {}) {
  const emulator = await MkpEmulator.start({ rateLimit: false, ...options });
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
/** A budget that never paces: the old client would reach its 2,000-page guard in seconds. */
const UNPACED = { budget: { limit: 100_000, windowMs: 60_000 } };

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the listing to fail');
}

describe('the emulator’s endless paginator (endless-next)', () => {
  it('has no current_page, ignores `page`, and links one page past the one asked for', async () => {
    const emulator = await start({ seed: seed(1) });
    emulator.inject({ kind: 'endless-next', on: 'list', times: 2 });
    const auth = { authorization: `Bearer ${emulator.token}` };
    const first = (await (
      await fetch(`${emulator.baseUrl}/webhooks`, { headers: auth })
    ).json()) as Record<string, unknown>;
    const later = (await (
      await fetch(`${emulator.baseUrl}/webhooks?page=7`, { headers: auth })
    ).json()) as Record<string, unknown>;
    expect(first).not.toHaveProperty('current_page');
    expect(first.next_page_url).toBe(`${emulator.baseUrl}/webhooks?page=2`);
    expect(later.next_page_url).toBe(`${emulator.baseUrl}/webhooks?page=8`);
    expect(later.data).toEqual(first.data);
    expect((later.data as unknown[]).length).toBe(1);
  });
});

describe('listWebhooks ends', () => {
  it('fails after the second page when a page adds no record but links further', async () => {
    const emulator = await start({ seed: seed(1) });
    emulator.inject({ kind: 'endless-next', on: 'list', times: 10_000 });
    const { client } = clientFor(emulator, UNPACED);
    const error = await failure(client.listWebhooks());
    expect(error.failure).toBe('protocol');
    expect(error.message).toBe(
      `list webhooks (page 2): the page holds only records already read, yet next_page_url points further (${emulator.baseUrl}/webhooks?page=***); the listing would never end`,
    );
    expect(emulator.calls.map((c) => c.path)).toEqual(['/v1/webhooks', '/v1/webhooks?page=2']);
  });

  it('fails as soon as a full page repeats, however many pages came before', async () => {
    const emulator = await start({ seed: seed(40) });
    // Pages 1-3 are honest (40 records); from then on every answer is page 1 again, linking on.
    emulator.inject({ kind: 'endless-next', on: 'list', after: 2, times: 10_000 });
    const { client } = clientFor(emulator, UNPACED);
    const error = await failure(client.listWebhooks());
    expect(error.message).toContain('(page 3): the page holds only records already read');
    expect(emulator.count('list')).toBe(3);
  });

  it('an empty account is one empty page', async () => {
    const emulator = await start();
    const { client } = clientFor(emulator, UNPACED);
    expect(await client.listWebhooks()).toEqual([]);
    expect(emulator.calls.map((c) => c.path)).toEqual(['/v1/webhooks']);
  });

  it('an empty last page (next_page_url null) ends the listing normally', async () => {
    const emulator = await start({ seed: seed(20) });
    emulator.inject({ kind: 'empty-page', on: 'list', after: 1 });
    const { client } = clientFor(emulator, UNPACED);
    expect(await client.listWebhooks()).toHaveLength(15);
    expect(emulator.count('list')).toBe(2);
  });

  it('a page that links further and adds some new records among old ones goes on', async () => {
    const emulator = await start({ seed: seed(20) });
    const { client } = clientFor(emulator, UNPACED);
    // Two records created at the front of the account while page 1 is on its way (held back by
    // latency): page 2 then starts with page 1's last two records, and adds the other five.
    emulator.setLatency(300);
    const listing = client.listWebhooks();
    await new Promise<void>((resolve) => {
      const check = () => (emulator.count('list') >= 1 ? resolve() : setTimeout(check, 1));
      check();
    });
    emulator.records.unshift(
      ...seed(2).map((r, i) => ({ ...r, id: `wbh_front${i}`, secret: `s${i}`, createdAt: '' })),
    );
    const shiftedAt = Date.now();
    emulator.setLatency(0);
    const records = await listing;
    expect(emulator.calls[1]!.at).toBeGreaterThanOrEqual(shiftedAt); // page 2 saw the shift
    expect(records.map((r) => r.id)).toEqual(emulator.records.slice(2).map((r) => r.id));
    expect(emulator.count('list')).toBe(2);
  });

  it('keeps the quirks: `?page=2,` on a strict server, and a link back to page 1', async () => {
    const strict = await start({
      seed: seed(40),
      nextPageTrailingComma: true,
      strictPageParsing: true,
    });
    expect(await clientFor(strict, UNPACED).client.listWebhooks()).toHaveLength(40);
    expect(strict.count('list')).toBe(3);

    const looping = await start({ seed: seed(20) });
    looping.inject({ kind: 'loop-next', on: 'list', times: 5 });
    expect(await clientFor(looping, UNPACED).client.listWebhooks()).toHaveLength(20);
    expect(looping.count('list')).toBe(3); // the third page, asked for by number, is empty: the end
  });

  it('still reads an empty page that links further again, and fails when it stays empty', async () => {
    const once = await start({ seed: seed(20) });
    once.inject({ kind: 'empty-page', on: 'list' });
    expect(await clientFor(once, UNPACED).client.listWebhooks()).toHaveLength(20);
    expect(once.count('list')).toBe(3);

    const always = await start({ seed: seed(20) });
    always.inject({ kind: 'empty-page', on: 'list', times: 3 });
    const error = await failure(clientFor(always, UNPACED).client.listWebhooks());
    expect(error.message).toContain('stayed empty in 3 reads');
  });
});

describe('the built CLI against the endless paginator', () => {
  it('plan stops after two pages with a clear error, not at the 2,000-page guard', async () => {
    const emulator = await start({
      seed: [{ type: 'invoice-paid', url: 'https://a.example.com/' }],
    });
    emulator.inject({ kind: 'endless-next', on: 'list', times: 10_000 });
    const cwd = mkdtempSync(join(tmpdir(), 'mkp-listing-'));
    writeFileSync(
      join(cwd, 'webhooks.yaml'),
      'webhooks:\n  - url: https://a.example.com/\n    event: invoice-paid\n',
    );
    const run = await runCli(['plan', '--json'], {
      cwd,
      env: {
        MKP_API_TOKEN: emulator.token,
        MKP_API_URL: emulator.baseUrl,
        MKP_RATE_LIMIT: '100000/60000',
      },
    });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).error).toContain(
      'the page holds only records already read, yet next_page_url points further',
    );
    expect(emulator.count('list')).toBe(2);
  });
});
