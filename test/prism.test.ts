import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse, stringify } from 'yaml';
import type { WebhooksFile } from '../src/config/types.js';
import { RecordingLog } from '../src/log.js';
import { connect } from '../src/mkp/client.js';
import { OutputsTarget } from '../src/secrets/outputs.js';
import { sync } from '../src/sync.js';
import { succeeded } from '../src/verdicts.js';
import { created, createFailures } from './harness/outcomes.js';
import { subscription } from './harness/clients.js';
import { freePort, startBackground, type Background } from '../dev/harness/processes.js';

/**
 * Our requests against the documented API, judged by a tool nobody here wrote: Prism mocks
 * spec/mijnklantportaal/openapi.yaml and, with --errors, refuses any request that breaks
 * it (422 with an sl-violations header, and a line in its log).
 *
 * One change to the spec copy, and only to an example: the documented page example links to
 * https://api.mijnklantportaal.nl, another origin than Prism's, which our client rightly refuses
 * to follow (CONTRACT §4). So the copy's example next_page_url is null. Schemas are untouched.
 */
let prism: Background;
let baseUrl: string;

beforeAll(async () => {
  const spec = parse(readFileSync('spec/mijnklantportaal/openapi.yaml', 'utf8'));
  spec.components.schemas.WebhookPage.properties.next_page_url.example = null;
  const dir = mkdtempSync(join(tmpdir(), 'mkp-prism-'));
  const specPath = join(dir, 'openapi.yaml');
  writeFileSync(specPath, stringify(spec));
  const port = await freePort();
  prism = await startBackground(
    'node',
    [
      'node_modules/@stoplight/prism-cli/dist/index.js',
      'mock',
      specPath,
      '-p',
      String(port),
      '-h',
      '127.0.0.1',
      '--errors',
    ],
    /Prism is listening/,
  );
  // Prism ignores the /v1 of `servers` (see ../shared/TOOLCHAIN.md).
  baseUrl = `http://127.0.0.1:${port}`;
}, 90_000);

afterAll(async () => {
  await prism?.stop();
});

const file: WebhooksFile = {
  path: 'webhooks.yaml',
  subscriptions: [
    subscription('customer-created', 'https://hooks.example.com/crm', 'crm'),
    subscription('invoice-paid', 'https://billing.example.com/mkp?tenant=7', 'billing'),
  ],
};

async function run(dryRun: boolean) {
  const log = new RecordingLog();
  const result = await sync({
    file,
    client: connect({
      apiUrl: baseUrl,
      token: 'prism-token',
      tuning: { timeoutMs: 5_000, retryBaseMs: 10, budget: { limit: 60, windowMs: 60_000 } },
      mask: log.mask.bind(log),
    }),
    dryRun,
    target: new OutputsTarget(),
    resync: 'missing',
    log,
  });
  return { result, log };
}

const violations = () =>
  prism
    .output()
    .split('\n')
    .filter((line) => /violation|did not pass/i.test(line));

describe('requests against the documented API (Prism mock of openapi.yaml)', () => {
  it('dry run: the listing request passes validation', async () => {
    const { result } = await run(true);
    expect(result.failures).toEqual([]);
    expect(result.plan).toBeDefined();
    expect(violations()).toEqual([]);
  });

  it('apply: the create requests pass validation', async () => {
    const { result } = await run(false);
    expect(result.failures).toEqual([]);
    expect(createFailures(result)).toEqual([]);
    expect(created(result)).toHaveLength(2);
    // A mock answers every create with the spec's example record, not what was sent: the
    // create answer check (CONTRACT §4) notices, so the run does not count as a success.
    for (const { remote, storedOtherwise } of created(result)) {
      expect(remote.url).toBe('https://hooks.example.com/mkp');
      expect(storedOtherwise).toContain('the API stored it as');
    }
    expect(succeeded(result)).toBe(false);
    expect(prism.output()).toMatch(/post \/webhooks/);
    expect(violations()).toEqual([]);
  });

  it('Prism does catch a request that breaks the spec (the check can fail)', async () => {
    const response = await fetch(`${baseUrl}/webhooks`, {
      method: 'POST',
      headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://a.example.com/', type: 'invoice-payed' }),
    });
    expect(response.status).toBe(422);
    expect(response.headers.get('sl-violations')).toContain('request');
    expect(violations().length).toBeGreaterThan(0);
  });
});
