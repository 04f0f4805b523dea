import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { GitHubEmulator, type SecretScope } from '../dev/emulator/github.js';
import { MkpEmulator } from '../src/emulator/mkp.js';
import { runAction } from '../dev/harness/action-runner.js';
import { isStale } from '../src/secrets/stale.js';
import { parseTimestamp } from '../src/timestamps.js';

/**
 * The one reading of the services' timestamps (issue 23): a time without an offset is UTC,
 * whatever zone the runner is in; the stale rule and the order of duplicates both use it.
 */
const started: Array<MkpEmulator | GitHubEmulator> = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()));
});

describe('parseTimestamp', () => {
  const utc = Date.UTC(2026, 11, 1, 10, 0, 0);

  it.each([
    ['2026-12-01T10:00:00Z', utc],
    ['2026-12-01T10:00:00+00:00', utc],
    ['2026-12-01T11:00:00+01:00', utc],
    ['2026-12-01T11:00:00+0100', utc],
    ['2026-12-01T11:00:00+01', utc],
    ['2026-12-01T04:30:00-05:30', utc],
    ['2026-12-01T10:00:00.250Z', utc + 250],
    ['2026-12-01T10:00:00.123456Z', utc + 123],
    ['2026-12-01t10:00:00z', utc],
    ['Tue, 01 Dec 2026 10:00:00 GMT', utc],
  ])('reads %s', (text, ms) => {
    expect(parseTimestamp(text)).toBe(ms);
  });

  it('reads a time without an offset as UTC (the built action is run in another zone below)', () => {
    expect(parseTimestamp('2026-12-01T10:00:00')).toBe(utc);
    expect(parseTimestamp('2026-12-01 10:00:00')).toBe(utc);
    expect(parseTimestamp('2026-07-01 10:00:00')).toBe(Date.UTC(2026, 6, 1, 10));
    expect(parseTimestamp('2026-12-01')).toBe(Date.UTC(2026, 11, 1));
    expect(parseTimestamp('0099-12-01T10:00:00Z')).toBe(new Date('0099-12-01T10:00:00Z').getTime());
  });

  it('is the reading of the stale rule: a secret written before an offset-less createdAt is stale', () => {
    expect(isStale('2026-12-01T09:30:00Z', '2026-12-01T10:00:00')).toBe(true);
    expect(isStale('2026-12-01T09:30:00Z', '2026-12-01 10:00:00')).toBe(true);
    expect(isStale('2026-12-01T10:30:00Z', '2026-12-01 10:00:00')).toBe(false);
  });

  it.each([
    undefined,
    '',
    'yesterday',
    '2026-02-31T10:00:00Z',
    '2026-13-01T10:00:00Z',
    '2026-12-01T24:00:00Z',
    '12/01/2026 10:00', // no zone stated, and not ISO: unreadable rather than local
    '2026-12-01T10:00:00+01:00 trailing',
  ])('gives NaN for %p', (text) => {
    expect(parseTimestamp(text)).toBeNaN();
  });
});

describe('the stale rule in the runner zone Europe/Amsterdam', () => {
  // jest gives each test file its own copy of process.env, so the zone is set where it takes
  // effect: in the environment of the built action, as a runner in that zone would have it.
  it('the built action there writes the current secret of a webhook re-created in the portal', async () => {
    const CRM = {
      event: 'customer-created',
      url: 'https://hooks.example.com/crm',
      secretName: 'MKP_WEBHOOK_CRM_CUSTOMER_CREATED',
    };
    const SCOPE: SecretScope = { kind: 'repository', repository: 'acme/shop' };
    // Ten minutes ago the record was re-created; the API sends its createdAt without an offset.
    const createdAt = new Date(Date.now() - 600_000)
      .toISOString()
      .replace(/\.\d{3}Z$/, '')
      .replace('T', ' ');
    const mkp = await MkpEmulator.start({ seed: [{ type: CRM.event, url: CRM.url, createdAt }] });
    const github = await GitHubEmulator.start();
    started.push(mkp, github);
    // The deleted record's secret was written 20 minutes before that, by GitHub's clock: read
    // in Amsterdam time the record would date from an hour or two earlier, older than it.
    const written = new Date(Date.now() - 1_800_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    github.putSecret(SCOPE, CRM.secretName, 'the secret of the deleted record', {
      updated_at: written,
    });
    const cwd = mkdtempSync(join(tmpdir(), 'mkp-tz-'));
    writeFileSync(
      join(cwd, 'webhooks.yaml'),
      `webhooks:\n  - name: crm\n    url: ${CRM.url}\n    event: ${CRM.event}\n`,
    );
    const run = await runAction({
      cwd,
      inputs: {
        'api-token': mkp.token,
        'api-url': mkp.baseUrl,
        'secrets-target': 'repository',
        'github-token': github.token,
        repository: 'acme/shop',
      },
      env: {
        TZ: 'Europe/Amsterdam',
        GITHUB_API_URL: github.url,
        MKP_RETRY_BASE_MS: '5',
        MKP_GITHUB_WRITE_INTERVAL_MS: '0',
      },
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('stale: written before the webhook was created');
    expect(run.outputs.changed).toBe('true');
    expect(github.decrypt(SCOPE, CRM.secretName)).toBe(mkp.records[0]!.secret);
  });
});
