import { afterEach, describe, expect, it } from '@jest/globals';
import { GitHubEmulator, type SecretScope } from '../dev/emulator/github.js';
import { MkpEmulator, type WebhookRecord } from '../src/emulator/mkp.js';
import type { WebhooksFile } from '../src/config/types.js';
import { GitHubSecretsTarget } from '../src/github/secrets.js';
import { RecordingLog } from '../src/log.js';
import { checkedPlanJson } from '../src/report/outputs.js';
import { renderReport } from '../src/report/summary.js';
import { OutputsTarget } from '../src/secrets/outputs.js';
import type { SecretTarget } from '../src/secrets/target.js';
import { sync, type ResyncSecrets } from '../src/sync.js';
import { changed, succeeded } from '../src/verdicts.js';
import { clientFor, subscription } from './harness/clients.js';
import { deliveries } from './harness/outcomes.js';
import { settingsFor } from './harness/settings.js';

/**
 * Duplicates decide one way, every run (CONTRACT §2, issue 23): of a group of records with one
 * (type, url), the oldest is matched and its secret delivered, whatever the API's order; while
 * the group exists an apply writes that secret to a GitHub target every run, says why, and
 * names the record to keep and the ones to remove.
 */
const started: Array<MkpEmulator | GitHubEmulator> = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()));
});

const SCOPE: SecretScope = { kind: 'repository', repository: 'acme/shop' };
const CRM = subscription('customer-created', 'https://hooks.example.com/crm', 'crm');
const FILE: WebhooksFile = { path: 'webhooks.yaml', subscriptions: [CRM] };

/** Two records of CRM: the newer one first in the API's order, as a later create can list. */
async function duplicated(): Promise<{
  mkp: MkpEmulator;
  github: GitHubEmulator;
  older: WebhookRecord;
  newer: WebhookRecord;
}> {
  const mkp = await MkpEmulator.start({
    seed: [
      { id: 'wbh_b', type: CRM.event, url: CRM.url, createdAt: '2026-12-01T10:00:05+00:00' },
      { id: 'wbh_a', type: CRM.event, url: CRM.url, createdAt: '2026-12-01T10:00:01+00:00' },
    ],
  });
  const github = await GitHubEmulator.start();
  started.push(mkp, github);
  const [newer, older] = mkp.records as [WebhookRecord, WebhookRecord];
  return { mkp, github, older, newer };
}

async function apply(
  mkp: MkpEmulator,
  github: GitHubEmulator,
  options: { resync?: ResyncSecrets; dryRun?: boolean; target?: SecretTarget } = {},
) {
  const target =
    options.target ??
    new GitHubSecretsTarget(
      settingsFor(
        {
          'api-token': mkp.token,
          'github-token': github.token,
          repository: 'acme/shop',
          'secrets-target': 'repository',
        },
        { MKP_GITHUB_WRITE_INTERVAL_MS: '0', GITHUB_API_URL: github.url },
      ),
    );
  const log = new RecordingLog();
  const result = await sync({
    file: FILE,
    client: clientFor(mkp).client,
    dryRun: options.dryRun ?? false,
    target,
    resync: options.resync ?? 'missing',
    log,
  });
  return { result, text: log.lines.join('\n') };
}

const puts = (github: GitHubEmulator) => github.count('PUT', '/actions/secrets/');

describe('a duplicate group on the account', () => {
  it('the oldest record is matched and its secret written every run while the group exists, saying why', async () => {
    const { mkp, github, older, newer } = await duplicated();
    // Another run wrote the newer record's secret last, after both were created.
    github.putSecret(SCOPE, CRM.secretName, newer.secret);

    for (let run = 1; run <= 3; run++) {
      const before = puts(github);
      const { result, text } = await apply(mkp, github);
      expect(succeeded(result)).toBe(true);
      expect(result.plan!.unchanged[0]!.remote.id).toBe(older.id);
      expect(deliveries(result)).toEqual([
        expect.objectContaining({ subscription: CRM, reason: 'duplicate', outcome: 'written' }),
      ]);
      expect(changed(result)).toBe(true);
      expect(puts(github) - before).toBe(1);
      expect(github.decrypt(SCOPE, CRM.secretName)).toBe(older.secret);
      expect(text).toContain(
        'warning: duplicate webhooks on the account: `wbh_a` and `wbh_b` both send `customer-created` to `https://hooks.example.com/crm`: the receiver gets each event more than once. Keep `wbh_a` (the oldest) and remove `wbh_b` in the manage portal; while the duplicates exist, every apply writes the secret of `wbh_a` to repository secrets of acme/shop, since another run may have written that of a newer record',
      );
      expect(text).toContain(
        `wrote secret 1/1 ${CRM.secretName} (of wbh_a, the oldest of its duplicates)`,
      );
      const report = renderReport(result).text();
      expect(report).toContain('Keep `wbh_a` (the oldest) and remove `wbh_b` in the manage portal');
      expect(report).toContain('every apply writes the secret of `wbh_a`');
      expect(report).toContain('secret of the oldest duplicate written again');
      // The plan output lists the group, kept record first.
      expect(checkedPlanJson(result.plan!)).toHaveProperty('duplicates', [
        { id: 'wbh_a', event: CRM.event, url: CRM.url },
        { id: 'wbh_b', event: CRM.event, url: CRM.url },
      ]);
    }

    // The person removes the record the warning named; from then on nothing is written.
    mkp.records = mkp.records.filter((r) => r.id !== newer.id);
    const before = puts(github);
    const { result, text } = await apply(mkp, github);
    expect(changed(result)).toBe(false);
    expect(deliveries(result)).toEqual([]);
    expect(puts(github)).toBe(before);
    expect(text).not.toContain('duplicate');
    expect(github.decrypt(SCOPE, CRM.secretName)).toBe(older.secret);
  });

  it('resync-secrets: never still wins: nothing is written, and the warning promises no write', async () => {
    const { mkp, github, newer } = await duplicated();
    github.putSecret(SCOPE, CRM.secretName, newer.secret);
    const { result, text } = await apply(mkp, github, { resync: 'never' });
    expect(deliveries(result)).toEqual([]);
    expect(changed(result)).toBe(false);
    expect(puts(github)).toBe(0);
    expect(text).toContain('Keep `wbh_a` (the oldest) and remove `wbh_b` in the manage portal');
    expect(text).not.toContain('every apply writes');
  });

  it('a dry run writes nothing; the step outputs get the oldest record’s secret', async () => {
    const { mkp, github, older } = await duplicated();
    const dry = await apply(mkp, github, { dryRun: true });
    expect(deliveries(dry.result)).toEqual([]);
    expect(puts(github)).toBe(0);
    expect(dry.text).not.toContain('every apply writes');

    const outputs = new OutputsTarget();
    const { result } = await apply(mkp, github, { target: outputs });
    expect(deliveries(result).map((d) => d.reason)).toEqual(['outputs']);
    expect(outputs.values.get(CRM.secretName)).toBe(older.secret);
    expect(changed(result)).toBe(false);
  });

  it('a group that no declaration matches is warned about, and nothing is written for it', async () => {
    const AT = '2026-11-01T08:00:00+00:00';
    const mkp = await MkpEmulator.start({
      seed: [
        { id: 'wbh_2', type: 'offer-created', url: 'https://old.example.com/o', createdAt: AT },
        { id: 'wbh_1', type: 'offer-created', url: 'https://old.example.com/o', createdAt: AT },
        { id: 'wbh_0', type: 'offer-created', url: 'https://old.example.com/o', createdAt: AT },
        { type: CRM.event, url: CRM.url },
      ],
    });
    const github = await GitHubEmulator.start();
    started.push(mkp, github);
    await apply(mkp, github);
    const before = puts(github);
    const { result, text } = await apply(mkp, github);
    expect(changed(result)).toBe(false);
    expect(puts(github)).toBe(before);
    // All three carry the same createdAt, so the lowest id is kept.
    expect(text).toContain(
      '`wbh_0`, `wbh_1`, `wbh_2` all send `offer-created` to `https://old.example.com/o`: the receiver gets each event more than once. Keep `wbh_0` (the oldest) and remove `wbh_1` and `wbh_2` in the manage portal',
    );
  });
});
