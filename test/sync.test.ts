import { afterEach, describe, expect, it } from '@jest/globals';
import type { WebhooksFile } from '../src/config/types.js';
import { RecordingLog } from '../src/log.js';
import { createdJson, planJson } from '../src/report/outputs.js';
import { renderReport } from '../src/report/summary.js';
import { renderText } from '../src/report/terminal.js';
import { OutputsTarget } from '../src/secrets/outputs.js';
import type { SecretTarget } from '../src/secrets/target.js';
import { sync, type ResyncSecrets } from '../src/sync.js';
import { changed, succeeded } from '../src/verdicts.js';
import { created, createFailures, deliveries } from './harness/outcomes.js';
import { MkpEmulator } from '../src/emulator/mkp.js';
import { clientFor, subscription } from './harness/clients.js';

/** list -> plan -> create -> deliver, in-process, over real HTTP against the emulator. */
const emulators: MkpEmulator[] = [];
async function start(options?: Parameters<typeof MkpEmulator.start>[0]) {
  const emulator = await MkpEmulator.start(options);
  emulators.push(emulator);
  return emulator;
}
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

const file = (n: number): WebhooksFile => ({
  path: 'webhooks.yaml',
  subscriptions: Array.from({ length: n }, (_, i) =>
    subscription('invoice-paid', `https://hooks.example.com/${i}`, `h${i}`),
  ),
});

async function apply(
  emulator: MkpEmulator,
  webhooks: WebhooksFile,
  options: {
    dryRun?: boolean;
    resync?: ResyncSecrets;
    target?: SecretTarget;
    token?: string | null;
  } = {},
) {
  const log = new RecordingLog();
  const target = options.target ?? new OutputsTarget();
  const tc =
    options.token === null ? null : clientFor(emulator, { token: options.token, timeoutMs: 500 });
  const result = await sync({
    file: webhooks,
    client: tc?.client ?? null,
    dryRun: options.dryRun ?? false,
    target,
    resync: options.resync ?? 'missing',
    log,
  });
  return { result, log, target, masked: [...log.masked, ...(tc?.masked ?? [])] };
}

describe('sync', () => {
  it('first sync over 3 pages makes the floor of calls: one GET per page, one POST per missing', async () => {
    const emulator = await start({
      seed: Array.from({ length: 40 }, (_, i) => ({
        type: 'invoice-paid',
        url: `https://hooks.example.com/${i}`,
      })),
    });
    const { result, target } = await apply(emulator, file(45));
    expect(emulator.count('list')).toBe(3);
    expect(emulator.count('create')).toBe(5);
    expect(created(result).map((c) => c.subscription.url)).toEqual(
      [40, 41, 42, 43, 44].map((i) => `https://hooks.example.com/${i}`),
    );
    expect(succeeded(result)).toBe(true);
    expect(changed(result)).toBe(true);
    // The outputs get the full declared set (CONTRACT §3), from the listing: no extra call.
    const outputs = (target as OutputsTarget).values;
    expect(outputs.size).toBe(45);
    for (const record of emulator.records) {
      const i = Number(record.url.split('/').pop());
      expect(outputs.get(`MKP_WEBHOOK_H${i}_INVOICE_PAID`)).toBe(record.secret);
    }
  });

  it('a second run creates nothing and changes nothing', async () => {
    const emulator = await start();
    await apply(emulator, file(3));
    emulator.resetCalls();
    const { result, target } = await apply(emulator, file(3));
    expect(emulator.count('create')).toBe(0);
    expect(emulator.count('list')).toBe(1);
    expect(changed(result)).toBe(false);
    // The step outputs cannot be asked what they hold: every run gives the full set.
    expect((target as OutputsTarget).values.size).toBe(3);
    expect(deliveries(result).map((d) => d.reason)).toEqual(['outputs', 'outputs', 'outputs']);
  });

  it('resync-secrets: never outputs only the secrets of webhooks created in this run', async () => {
    const emulator = await start();
    await apply(emulator, file(2));
    const { target } = await apply(emulator, file(3), { resync: 'never' });
    expect([...(target as OutputsTarget).values.keys()]).toEqual(['MKP_WEBHOOK_H2_INVOICE_PAID']);
  });

  it('a dry run outputs no secret', async () => {
    const emulator = await start();
    await apply(emulator, file(2));
    const { target } = await apply(emulator, file(3), { dryRun: true, resync: 'always' });
    expect((target as OutputsTarget).values.size).toBe(0);
  });

  it('resync-secrets: always delivers the secret of every declared webhook', async () => {
    const emulator = await start();
    await apply(emulator, file(3));
    const { result, target } = await apply(emulator, file(3), { resync: 'always' });
    expect((target as OutputsTarget).values.size).toBe(3);
    expect(changed(result)).toBe(false); // outputs are not a GitHub secret store
  });

  it('dry-run makes no POST, with a token', async () => {
    const emulator = await start();
    const { result } = await apply(emulator, file(3), { dryRun: true });
    expect(emulator.count('create', 'POST')).toBe(0);
    expect(result.plan?.create).toHaveLength(3);
    expect(result.mode).toBe('dry-run');
  });

  it('without a token the account is not read at all', async () => {
    const emulator = await start();
    const { result } = await apply(emulator, file(3), { dryRun: true, token: null });
    expect(emulator.calls).toHaveLength(0);
    expect(result.mode).toBe('unchecked');
    expect(result.plan).toBeUndefined();
  });

  it.each(['error-after', 'reset-after', 'malformed-json'] as const)(
    'a create whose answer is lost (%s) is found by listing: no duplicate, every secret delivered',
    async (kind) => {
      const emulator = await start();
      emulator.inject({ kind, on: 'create', after: 1 });
      const { result, target, log } = await apply(emulator, file(3));
      expect(succeeded(result)).toBe(true);
      expect(emulator.records).toHaveLength(3);
      expect(emulator.count('create')).toBe(3);
      expect(emulator.count('list')).toBe(2); // the first listing, then one look after the lost answer
      expect(created(result).filter((c) => c.adopted)).toHaveLength(1);
      const outputs = (target as OutputsTarget).values;
      for (const record of emulator.records) expect([...outputs.values()]).toContain(record.secret);
      expect(log.lines.join('\n')).toContain('listing the account before trying again');
    },
  );

  it('reports creates and secret writes in the order of the plan, whichever answers first', async () => {
    const emulator = await start();
    // The first create to arrive answers last (within the client's 500 ms timeout).
    emulator.inject({ kind: 'slow', on: 'create', delayMs: 300 });
    const webhooks = file(4);
    webhooks.subscriptions[2]!.url = 'https://'; // rejected by the API: a failure in the middle
    webhooks.subscriptions[3]!.url = 'not a url'; // and another one
    const { result } = await apply(emulator, webhooks);
    expect(emulator.records.map((r) => r.url).sort()).toEqual([
      'https://hooks.example.com/0',
      'https://hooks.example.com/1',
    ]);
    const planned = webhooks.subscriptions;
    expect(created(result).map((c) => c.subscription)).toEqual([planned[0], planned[1]]);
    expect(createFailures(result).map((f) => f.subscription)).toEqual([planned[2], planned[3]]);
    expect(deliveries(result).map((d) => d.subscription)).toEqual([planned[0], planned[1]]);
  });

  it('creates again what a lost answer did not make (5xx before the record was made)', async () => {
    const emulator = await start();
    emulator.inject({ kind: 'error-before', on: 'create' });
    const { result } = await apply(emulator, file(2));
    expect(succeeded(result)).toBe(true);
    expect(emulator.records).toHaveLength(2);
    expect(emulator.count('create')).toBe(3);
  });

  it('a create that never gets a clear answer fails after its rounds, logged as an error', async () => {
    const emulator = await start();
    emulator.inject({ kind: 'error-before', on: 'create', times: 100 });
    const { result, log } = await apply(emulator, file(1));
    expect(emulator.records).toHaveLength(0);
    expect(emulator.count('create')).toBe(3); // one create per round, each after a fresh listing
    expect(emulator.count('list')).toBe(3);
    expect(createFailures(result)).toHaveLength(1);
    expect(succeeded(result)).toBe(false);
    const errors = log.lines.filter((line) => line.startsWith('error: '));
    expect(errors).toEqual([expect.stringContaining('failed to create invoice-paid')]);
    expect(errors[0]).toContain('creates it only if it is still missing');
  });

  it('a create with a lost answer and a failed second listing is logged as an error', async () => {
    const emulator = await start();
    emulator.inject({ kind: 'error-after', on: 'create' });
    emulator.inject({ kind: 'error-before', on: 'list', after: 1, times: 100 });
    const { result, log } = await apply(emulator, file(1));
    expect(emulator.records).toHaveLength(1); // made, but not found again in this run
    expect(createFailures(result)).toHaveLength(1);
    expect(succeeded(result)).toBe(false);
    const errors = log.lines.filter((line) => line.startsWith('error: '));
    expect(errors).toEqual([expect.stringContaining('could not be listed again')]);
  });

  it('one failed create does not stop the others; the run reports it and fails', async () => {
    const emulator = await start();
    const webhooks = file(3);
    webhooks.subscriptions[1] = subscription('invoice-paid', 'https://hooks.example.com/x', 'bad');
    // The emulator rejects this one: a URL it does not accept.
    webhooks.subscriptions[1].url = 'https://';
    const { result } = await apply(emulator, webhooks);
    expect(created(result)).toHaveLength(2);
    expect(createFailures(result)).toHaveLength(1);
    expect(createFailures(result)[0]!.message).toContain('422');
    expect(succeeded(result)).toBe(false);
  });

  it('a listing that fails creates nothing and says why', async () => {
    const emulator = await start();
    const { result } = await apply(emulator, file(2), { token: 'wrong' });
    expect(result.plan).toBeUndefined();
    expect(result.failures).toEqual([
      'list webhooks: the API answered 401: the API token is wrong or lacks the webhooks scope',
    ]);
    expect(emulator.count('create')).toBe(0);
  });

  it('a secret target that cannot be prepared stops the run before anything is created', async () => {
    const emulator = await start();
    const target: SecretTarget = {
      description: 'a locked store',
      persistent: true,
      prepare: async () => {
        throw new Error('cannot read the locked store');
      },
      write: async () => undefined,
    };
    const { result } = await apply(emulator, file(2), { target });
    expect(emulator.count('create')).toBe(0);
    expect(result.failures).toEqual(['cannot read the locked store']);
  });

  it('masks every secret before the run returns, listed or created', async () => {
    const emulator = await start({
      seed: [{ type: 'ticket-created', url: 'https://other.example.com/' }],
    });
    const { masked } = await apply(emulator, file(2));
    for (const record of emulator.records) expect(masked).toContain(record.secret);
  });

  it('holds no secret in the plan, the outcomes or anything rendered from them', async () => {
    const emulator = await start({
      seed: [
        { type: 'invoice-paid', url: 'https://hooks.example.com/0' },
        { type: 'ticket-created', url: 'https://other.example.com/' },
      ],
    });
    const { result, target } = await apply(emulator, file(2), { resync: 'always' });
    const secrets = emulator.records.map((r) => r.secret);
    expect(secrets).toHaveLength(3);
    // The walk sees into Maps and class instances: it finds the secrets where they are held.
    expect(stringsIn(target)).toContain(emulator.records[0]!.secret);
    const rendered = [
      renderReport(result),
      renderText(result),
      JSON.stringify(planJson(result)),
      JSON.stringify(createdJson(result)),
    ];
    for (const secret of secrets) {
      expect(stringsIn(result).filter((text) => text.includes(secret))).toEqual([]);
      expect(rendered.filter((text) => text.includes(secret))).toEqual([]);
    }
  });
});

/** Every string reachable from a value: properties, array items, Map keys and values. */
function stringsIn(value: unknown, seen = new Set<unknown>()): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object' || seen.has(value)) return [];
  seen.add(value);
  const parts: unknown[] =
    value instanceof Map ? [...value.keys(), ...value.values()] : Object.values(value);
  return parts.flatMap((part) => stringsIn(part, seen));
}
