import { afterEach, describe, expect, it } from '@jest/globals';
import type { WebhooksFile } from '../src/config/types.js';
import { RecordingLog } from '../src/log.js';
import { spellingKey } from '../src/matching.js';
import { renderReport as reportOf } from '../src/report/summary.js';
import { GitHubSecretsTarget } from '../src/github/secrets.js';
import { OutputsTarget } from '../src/secrets/outputs.js';
import { CLOCK_MARGIN_MS, isStale, STALE_REASON } from '../src/secrets/stale.js';
import type { SecretTarget } from '../src/secrets/target.js';
import { sync, type ResyncSecrets } from '../src/sync.js';
import { plainText } from '../src/text/phrase.js';
import { alreadyDone, changed, driftLeft, succeeded } from '../src/verdicts.js';
import { created, deliveries } from './harness/outcomes.js';
import { GitHubEmulator, type SecretScope } from '../dev/emulator/github.js';
import { MkpEmulator } from '../src/emulator/mkp.js';
import { clientFor, subscription } from './harness/clients.js';
import { settingsFor } from './harness/settings.js';

/** The rendered markdown, as a reader's renderer gets it. */
const renderReport = (...args: Parameters<typeof reportOf>) => reportOf(...args).text();

/**
 * Issue 13, in process against both emulators: the secret at the target is the webhook's
 * current one after every successful run (stale secrets, clock skew, overwrites, read-only
 * tokens), the create answer is checked, and a cancelled run stops creating and says so.
 */
const started: Array<MkpEmulator | GitHubEmulator> = [];
afterEach(async () => {
  delete process.env.GITHUB_API_URL;
  await Promise.all(started.splice(0).map((e) => e.close()));
});

async function emulators(
  options: { clockOffsetMs?: number; normaliseUrls?: boolean; latencyMs?: number } = {},
) {
  const mkp = await MkpEmulator.start({
    normaliseUrls: options.normaliseUrls,
    latencyMs: options.latencyMs,
  });
  const github = await GitHubEmulator.start({ clockOffsetMs: options.clockOffsetMs });
  started.push(mkp, github);
  process.env.GITHUB_API_URL = github.url;
  return { mkp, github };
}

const SCOPE: SecretScope = { kind: 'repository', repository: 'acme/shop' };
const CRM = subscription('customer-created', 'https://hooks.example.com/crm', 'crm');
const BILLING = subscription('invoice-paid', 'https://billing.example.com/mkp', 'billing');
const FILE: WebhooksFile = { path: 'webhooks.yaml', subscriptions: [CRM, BILLING] };

async function apply(
  mkp: MkpEmulator,
  github: GitHubEmulator | null,
  options: {
    file?: WebhooksFile;
    resync?: ResyncSecrets;
    dryRun?: boolean;
    signal?: AbortSignal;
    target?: SecretTarget;
  } = {},
) {
  const target =
    options.target ??
    (github
      ? new GitHubSecretsTarget(
          settingsFor(
            {
              'api-token': mkp.token,
              'github-token': github.token,
              repository: 'acme/shop',
              'secrets-target': 'repository',
            },
            { MKP_GITHUB_WRITE_INTERVAL_MS: '0', GITHUB_API_URL: github.url },
          ),
        )
      : new OutputsTarget());
  const log = new RecordingLog();
  const result = await sync({
    file: options.file ?? FILE,
    client: clientFor(mkp, { signal: options.signal }).client,
    dryRun: options.dryRun ?? false,
    target,
    resync: options.resync ?? 'missing',
    log,
    signal: options.signal,
    graceMs: 300,
  });
  return { result, log, text: log.lines.join('\n') };
}

const puts = (github: GitHubEmulator) => github.count('PUT', '/actions/secrets/');
const recordOf = (mkp: MkpEmulator, s: typeof CRM) =>
  mkp.records.find((r) => r.type === s.event && r.url === s.url)!;

describe('stale secrets (written before the webhook was created) count as missing', () => {
  it('a webhook re-created in the manage portal gets its new secret at the next run, which says why', async () => {
    const { mkp, github } = await emulators();
    await apply(mkp, github);
    expect(github.decrypt(SCOPE, CRM.secretName)).toBe(recordOf(mkp, CRM).secret);
    // The secret was written a while ago; then the portal deletes and re-creates the webhook.
    github.putSecret(SCOPE, CRM.secretName, recordOf(mkp, CRM).secret, {
      updated_at: new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
    const fresh = mkp.recreate(recordOf(mkp, CRM).id);
    const before = puts(github);

    const { result, text } = await apply(mkp, github);
    expect(succeeded(result)).toBe(true);
    expect(changed(result)).toBe(true);
    expect(puts(github) - before).toBe(1);
    expect(github.decrypt(SCOPE, CRM.secretName)).toBe(fresh.secret);
    expect(deliveries(result)).toEqual([
      expect.objectContaining({ subscription: CRM, reason: 'stale', outcome: 'written' }),
    ]);
    expect(text).toContain(`wrote secret 1/1 ${CRM.secretName} (${STALE_REASON}`);
    expect(renderReport(result)).toContain(STALE_REASON);

    // And then it is current: the run after that writes nothing.
    const after = puts(github);
    const third = await apply(mkp, github);
    expect(changed(third.result)).toBe(false);
    expect(puts(github)).toBe(after);
  });

  it('a failed secret write of a new webhook is repaired by the next default run, as promised', async () => {
    const { mkp, github } = await emulators();
    await apply(mkp, github);
    // The old secret of that name stays at the target; the new webhook's write fails.
    github.putSecret(SCOPE, BILLING.secretName, 'the secret of a deleted webhook', {
      updated_at: new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
    mkp.records.splice(mkp.records.indexOf(recordOf(mkp, BILLING)), 1);
    github.inject({ method: 'PUT', pathIncludes: BILLING.secretName, status: 403 });
    const failed = await apply(mkp, github);
    expect(succeeded(failed.result)).toBe(false);
    expect(plainText(alreadyDone(failed.result))).toContain(
      'the next run with resync-secrets: missing',
    );
    expect(github.decrypt(SCOPE, BILLING.secretName)).toBe('the secret of a deleted webhook');

    const next = await apply(mkp, github);
    expect(succeeded(next.result)).toBe(true);
    expect(github.decrypt(SCOPE, BILLING.secretName)).toBe(recordOf(mkp, BILLING).secret);
    expect(deliveries(next.result).map((d) => d.reason)).toEqual(['stale']);
  });

  it.each([
    ['behind', -3_600_000],
    ['ahead of', 3_600_000],
  ])(
    "GitHub's clock an hour %s MijnKlantportaal's costs no extra write, run after run",
    async (_, clockOffsetMs) => {
      const { mkp, github } = await emulators({ clockOffsetMs });
      await apply(mkp, github);
      const afterCreate = puts(github);
      expect(afterCreate).toBe(2);
      for (let run = 0; run < 3; run++) {
        const { result } = await apply(mkp, github);
        expect(deliveries(result)).toEqual([]);
      }
      expect(puts(github)).toBe(afterCreate);
      // ... and a portal re-create is still seen through the skew.
      // The secret was written a minute ago by GitHub's clock; the record is re-created now.
      github.putSecret(SCOPE, CRM.secretName, recordOf(mkp, CRM).secret, {
        updated_at: new Date(Date.now() + clockOffsetMs - 60_000)
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z'),
      });
      const fresh = mkp.recreate(recordOf(mkp, CRM).id);
      const { result } = await apply(mkp, github);
      expect(deliveries(result).map((d) => d.reason)).toEqual(['stale']);
      expect(github.decrypt(SCOPE, CRM.secretName)).toBe(fresh.secret);
    },
  );

  it('a clock difference misread beyond the margin costs at most one extra write, never one per run', () => {
    // The rule itself, with the skew unknown (no Date headers): GitHub's clock 20 s behind.
    const created = Date.parse('2026-11-30T10:00:00Z');
    const github = (realMs: number) => new Date(realMs - 20_000).toISOString();
    const createdAt = new Date(created).toISOString();
    // Written 1 s after the create: judged stale once (the skew exceeds the margin)...
    expect(isStale(github(created + 1_000), createdAt)).toBe(true);
    // ...and the rewrite, by a run at least the skew later, is never stale again.
    expect(isStale(github(created + 20_000 + CLOCK_MARGIN_MS), createdAt)).toBe(false);
    // With the Date headers, the same skew costs nothing.
    const clocks = { target: created - 20_000, account: created };
    expect(isStale(github(created + 1_000), createdAt, clocks)).toBe(false);
    // A secret written an hour before the record was created is stale whatever the clocks.
    expect(isStale(github(created - 3_600_000), createdAt, clocks)).toBe(true);
    expect(isStale(undefined, createdAt)).toBe(false);
    // A hostile or broken API dating a record in its own future cannot make every run write.
    const future = new Date(created + 3_600_000).toISOString();
    expect(isStale(github(created), future, { target: created - 20_000, account: created })).toBe(
      false,
    );
    expect(isStale(github(created), undefined)).toBe(false);
  });
});

describe('no silent overwrite', () => {
  it("a new webhook's secret written over an existing one is a warning naming it and its updated_at", async () => {
    const { mkp, github } = await emulators();
    const old = '2026-01-02T03:04:05Z';
    github.putSecret(SCOPE, CRM.secretName, 'someone else', { updated_at: old });
    const { result, text } = await apply(mkp, github);
    expect(succeeded(result)).toBe(true);
    expect(text).toMatch(
      new RegExp(
        `warning: secret ${CRM.secretName} already existed at repository secrets of acme/shop \\(last written ${old}\\).*re-created in the manage portal.*another \`secret\` template`,
      ),
    );
    expect(text).not.toContain(`warning: secret ${BILLING.secretName}`);
    expect(renderReport(result)).toContain(`${CRM.secretName}\` (last written ${old})`);
  });
});

describe('the outputs target delivers the full set', () => {
  it('every apply outputs the secret of every declared webhook, from the listing alone', async () => {
    const { mkp } = await emulators();
    await apply(mkp, null);
    mkp.resetCalls();
    const target = new OutputsTarget();
    await apply(mkp, null, { target });
    expect(mkp.calls.map((c) => c.operation)).toEqual(['list']);
    expect(Object.fromEntries(target.values)).toEqual({
      [CRM.secretName]: recordOf(mkp, CRM).secret,
      [BILLING.secretName]: recordOf(mkp, BILLING).secret,
    });
  });
});

describe('a token that can read secrets but not write them', () => {
  it('passes the check before the creates, then every write fails: the run fails honestly and the next run with a writing token repairs it', async () => {
    const { mkp, github } = await emulators();
    github.setPermissions({ secrets: 'read' });
    const { result, text } = await apply(mkp, github);
    // The check reads the key and the names, which a read-only token may: it cannot tell.
    expect(mkp.records).toHaveLength(2);
    expect(succeeded(result)).toBe(false);
    expect(deliveries(result).every((d) => d.outcome === 'failed')).toBe(true);
    expect(text).toContain(
      'cannot write repository secrets of acme/shop (GitHub answered 403: Resource not accessible by integration): the github-token lacks the permission (it could read them, so it may have Secrets: read only)',
    );
    expect(plainText(alreadyDone(result))).toMatch(
      /created 2 webhooks \(secrets .*Secrets still to be written: .*The webhooks keep their secrets on the account; .* writes them\./,
    );

    github.setPermissions({ secrets: 'write' });
    const next = await apply(mkp, github);
    expect(succeeded(next.result)).toBe(true);
    expect(mkp.records).toHaveLength(2);
    for (const s of FILE.subscriptions) {
      expect(github.decrypt(SCOPE, s.secretName)).toBe(recordOf(mkp, s).secret);
    }
  });
});

describe('the create answer is checked (an API that stores another spelling)', () => {
  const spelled = subscription('customer-created', 'https://hooks.example.com/Mkp/%7Eops/', 'ops');
  const file: WebhooksFile = { path: 'webhooks.yaml', subscriptions: [spelled] };

  it('reports the stored form with "declare it as", and no later run creates a second record', async () => {
    const { mkp } = await emulators({ normaliseUrls: true });
    const first = await apply(mkp, null, { file });
    expect(mkp.records.map((r) => r.url)).toEqual(['https://hooks.example.com/mkp/~ops']);
    expect(succeeded(first.result)).toBe(false);
    expect(first.text).toContain('declare it as `https://hooks.example.com/mkp/~ops`');
    expect(renderReport(first.result)).toContain(
      'declare it as `https://hooks.example.com/mkp/~ops`',
    );
    // Its secret is still delivered: the record exists.
    expect(deliveries(first.result).map((d) => d.outcome)).toEqual(['written']);
    expect(driftLeft(first.result)).toBe(true);

    for (let run = 0; run < 3; run++) {
      const later = await apply(mkp, null, { file });
      expect(created(later.result)).toEqual([]);
      expect(later.text).toContain('declare it as `https://hooks.example.com/mkp/~ops`');
      expect(succeeded(later.result)).toBe(false);
    }
    expect(mkp.records).toHaveLength(1);

    // Declared as stored, it is simply unchanged.
    const fixed = subscription('customer-created', 'https://hooks.example.com/mkp/~ops', 'ops');
    const done = await apply(mkp, null, {
      file: { path: 'webhooks.yaml', subscriptions: [fixed] },
    });
    expect(succeeded(done.result)).toBe(true);
    expect(done.result.plan?.unchanged).toHaveLength(1);
  });

  it('names the variables that give the URL with the verb that fits one or several', async () => {
    const { mkp } = await emulators();
    mkp.seed([{ type: 'customer-created', url: 'https://hooks.example.com/mkp/ops/' }]);
    const url = 'https://hooks.example.com/mkp/ops';
    const by = (template: string): WebhooksFile => ({
      path: 'webhooks.yaml',
      subscriptions: [{ ...subscription('customer-created', url, 'ops'), template }],
    });
    const one = await apply(mkp, null, { file: by('https://${OPS_HOOK}'), dryRun: true });
    expect(one.text).toContain(
      'the API added a trailing slash to the URL that `${OPS_HOOK}` gives: set `${OPS_HOOK}` to',
    );
    const two = await apply(mkp, null, { file: by('https://${HOST}/mkp/${PART}'), dryRun: true });
    expect(two.text).toContain(
      'the API added a trailing slash to the URL that `${HOST}`, `${PART}` give: set',
    );
  });

  it('a dry run warns that the apply will not create it', async () => {
    const { mkp } = await emulators();
    mkp.seed([{ type: 'customer-created', url: 'https://hooks.example.com/mkp/~ops' }]);
    const { result, text } = await apply(mkp, null, { file, dryRun: true });
    expect(result.plan?.create).toHaveLength(1); // the plan keeps CONTRACT §2's exact rule
    expect(text).toContain('warning:');
    expect(text).toContain('An apply does not create it');
  });

  it('the guard forgives a trailing slash, unreserved percent-encoding and path case; nothing else', () => {
    const key = (url: string) => spellingKey('customer-created', url);
    const base = key('https://hooks.example.com/mkp/~ops');
    expect(key('https://hooks.example.com/Mkp/%7eops/')).toBe(base);
    expect(key('https://HOOKS.example.com:443/mkp/%7Eops')).toBe(base);
    expect(key('https://hooks.example.com/mkp/ops')).not.toBe(base);
    expect(key('https://hooks.example.com/mkp/~ops?x=1')).not.toBe(base);
    expect(key('https://other.example.com/mkp/~ops')).not.toBe(base);
    expect(key('https://hooks.example.com/mkp/%2Fops')).not.toBe(
      key('https://hooks.example.com/mkp//ops'),
    );
    expect(spellingKey('invoice-paid', 'https://hooks.example.com/mkp/~ops')).not.toBe(base);
  });
});

describe('cancellation', () => {
  it('starts no new create after the signal, reports the ones under way, and returns within the grace time', async () => {
    const { mkp } = await emulators({ latencyMs: 1_000 });
    const many: WebhooksFile = {
      path: 'webhooks.yaml',
      subscriptions: Array.from({ length: 20 }, (_, i) =>
        subscription('invoice-paid', `https://hooks.example.com/${i}`, `h${i}`),
      ),
    };
    const controller = new AbortController();
    const target = new OutputsTarget();
    const running = apply(mkp, null, { file: many, signal: controller.signal, target });
    // Cancel once the first creates are on their way.
    while (mkp.calls.filter((c) => c.operation === 'create').length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    controller.abort('SIGTERM');
    const { result } = await running;
    expect(result.cancelled).toBe('SIGTERM');
    expect(succeeded(result)).toBe(false);
    // No create started after the signal: at most one round of the HTTP layer's concurrency.
    const creates = mkp.calls.filter((c) => c.operation === 'create').length;
    expect(creates).toBeLessThanOrEqual(8);
    expect(creates).toBeLessThan(20);
    // What was made is reported; the secrets of what was made are in the outputs.
    for (const c of created(result))
      expect(target.values.get(c.subscription.secretName)).toBe(
        mkp.records.find((r) => r.id === c.remote.id)!.secret,
      );
    const report = renderReport(result);
    expect(report).toContain('(cancelled)');
    expect(report).toContain('The run was cancelled (SIGTERM)');
    expect(report).toContain('Already done:');
  });

  it('a signal while the account is read creates nothing and says so', async () => {
    const { mkp } = await emulators({ latencyMs: 1_000 });
    const controller = new AbortController();
    const running = apply(mkp, null, { signal: controller.signal });
    controller.abort('SIGINT');
    const { result } = await running;
    expect(result.cancelled).toBe('SIGINT');
    expect(result.failures).toEqual([
      'the run was cancelled while it read the account; nothing was created',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 1_200)); // the listing's late answer
    expect(mkp.count('create')).toBe(0);
    expect(plainText(alreadyDone(result))).toContain('no webhook was created');
  });
});
