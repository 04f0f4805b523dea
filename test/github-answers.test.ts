import { afterEach, describe, expect, it } from '@jest/globals';
import { RequestError } from '@octokit/request-error';
import type { WebhooksFile } from '../src/config/types.js';
import { githubAnswer, githubClient } from '../src/github/client.js';
import { postPlanComment } from '../src/github/pr-comment.js';
import { GitHubSecretsTarget } from '../src/github/secrets.js';
import { RecordingLog } from '../src/log.js';
import { sync } from '../src/sync.js';
import { plainText } from '../src/text/phrase.js';
import { alreadyDone, succeeded } from '../src/verdicts.js';
import {
  GitHubEmulator,
  type GitHubEmulatorOptions,
  type SecretScope,
} from '../dev/emulator/github.js';
import { MkpEmulator } from '../src/emulator/mkp.js';
import { clientFor, subscription } from './harness/clients.js';
import { FakeClock } from './harness/fake-clock.js';
import { deliveries } from './harness/outcomes.js';
import { settingsFor } from './harness/settings.js';
import { markup } from '../src/text/encoders.js';

/**
 * GitHub's answers are handled as carefully as MijnKlantportaal's (CONTRACT §4, issue 26):
 * redirects stay on GITHUB_API_URL's origin, rate limits pause every call and are waited out
 * within a bound, a rotated key is read again, answers are checked before use, and the cap of
 * secrets is named. All against the decrypting GitHub emulator; waits use a fake clock.
 */
const SCOPE: SecretScope = { kind: 'repository', repository: 'acme/shop' };
/** 10:30:23 UTC on a day in 2026: the fake clock's start, to read the log's times. */
const T0 = Date.UTC(2026, 11, 8, 10, 30, 23);
const SECONDARY =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
const ABUSE =
  'You have triggered an abuse detection mechanism. Please wait a few minutes before you try again.';

const started: Array<GitHubEmulator | MkpEmulator> = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()));
});

async function emulator(options: GitHubEmulatorOptions = {}): Promise<GitHubEmulator> {
  const gh = await GitHubEmulator.start(options);
  started.push(gh);
  return gh;
}

interface Made {
  target: GitHubSecretsTarget;
  waits: string[];
}

function targetOn(
  gh: GitHubEmulator,
  options: {
    clock?: FakeClock;
    env?: Record<string, string>;
    inputs?: Record<string, string>;
  } = {},
): Made {
  const waits: string[] = [];
  const settings = settingsFor(
    {
      'api-token': 'k',
      'github-token': gh.token,
      repository: 'acme/shop',
      'secrets-target': 'repository',
      ...options.inputs,
    },
    { MKP_GITHUB_WRITE_INTERVAL_MS: '0', GITHUB_API_URL: gh.url, ...options.env },
  );
  const target = new GitHubSecretsTarget({
    ...settings,
    clock: options.clock,
    onWait: (message) => waits.push(message),
  });
  return { target, waits };
}

describe('redirects', () => {
  it('a public key redirected to another origin is not followed, and nothing is created', async () => {
    const gh = await emulator();
    const elsewhere = await emulator();
    const mkp = await MkpEmulator.start();
    started.push(mkp);
    gh.inject({ method: 'GET', pathIncludes: '/public-key', redirect: { to: elsewhere.url } });
    const file: WebhooksFile = {
      path: 'webhooks.yaml',
      subscriptions: [subscription('customer-created', 'https://hooks.example.com/crm', 'crm')],
    };
    const result = await sync({
      file,
      client: clientFor(mkp).client,
      dryRun: false,
      target: targetOn(gh).target,
      resync: 'missing',
      log: new RecordingLog(),
    });
    expect(result.failures.join('\n')).toMatch(
      new RegExp(
        `GitHub redirected GET \\S+/public-key to ${elsewhere.url}, outside ${gh.url}; not followed`,
      ),
    );
    expect(mkp.records).toHaveLength(0);
    expect(elsewhere.calls).toHaveLength(0);
  });

  it('a secret write redirected to another origin fails saying so, and is not counted as written', async () => {
    const gh = await emulator();
    const elsewhere = await emulator();
    const { target } = targetOn(gh);
    await target.prepare();
    gh.inject({
      method: 'PUT',
      pathIncludes: '/secrets/',
      redirect: { to: elsewhere.url, status: 307 },
      times: Infinity,
    });
    await expect(target.write('MKP_A', 'secret-a')).rejects.toThrow(
      /cannot write repository secrets of acme\/shop: GitHub redirected PUT .*MKP_A to .*; not followed: the github-token and the secrets go to .* only/,
    );
    expect(elsewhere.calls).toHaveLength(0);
    expect(gh.secrets(SCOPE)).toEqual([]);
  });

  it('a redirect on the same origin (a renamed repository) is followed, body and all', async () => {
    const gh = await emulator();
    const { target } = targetOn(gh);
    gh.inject({
      method: 'GET',
      pathIncludes: '/public-key',
      redirect: { to: gh.url, status: 301 },
    });
    await target.prepare();
    gh.inject({ method: 'PUT', pathIncludes: '/MKP_A', redirect: { to: gh.url, status: 307 } });
    await target.write('MKP_A', 'secret-a');
    expect(gh.count('PUT', '/MKP_A')).toBe(2);
    expect(gh.decrypt(SCOPE, 'MKP_A')).toBe('secret-a');
  });

  it('a redirect loop on the same origin is cut short', async () => {
    const gh = await emulator();
    gh.inject({ method: 'GET', pathIncludes: '/public-key', redirect: { to: gh.url }, times: 10 });
    await expect(targetOn(gh).target.prepare()).rejects.toThrow(
      /GitHub redirected GET \S+\/public-key more than 5 times; not followed further/,
    );
    expect(gh.count('GET', '/public-key')).toBe(6);
  });

  it("a write counts only on GitHub's own 201 or 204", async () => {
    const gh = await emulator();
    const { target } = targetOn(gh);
    await target.prepare();
    gh.inject({ method: 'PUT', pathIncludes: '/MKP_A', json: { ok: true } });
    await expect(target.write('MKP_A', 'secret-a')).rejects.toThrow(
      'GitHub answered 200, not 201 or 204, so the secret does not count as written',
    );
  });
});

describe('rate limits', () => {
  it('waits as a secondary limit says, logs until when, and writes', async () => {
    const gh = await emulator();
    const clock = new FakeClock(T0);
    const { target, waits } = targetOn(gh, { clock });
    await target.prepare();
    gh.inject({
      method: 'PUT',
      pathIncludes: '/MKP_A',
      status: 403,
      message: SECONDARY,
      retryAfter: 42,
    });
    await target.write('MKP_A', 'secret-a');
    expect(waits).toEqual([
      'GitHub asks to wait 42 s, until 10:31:05 UTC (secondary rate limit); GitHub calls pause until then',
    ]);
    expect(clock.sleeps).toEqual([42_000]);
    expect(gh.decrypt(SCOPE, 'MKP_A')).toBe('secret-a');
  });

  it('reads the older "abuse detection" wording, and a retry-after given as an HTTP date', async () => {
    const gh = await emulator();
    const clock = new FakeClock(T0);
    const { target, waits } = targetOn(gh, { clock });
    await target.prepare();
    const at = new Date(T0 + 7_000).toUTCString();
    gh.inject({
      method: 'PUT',
      pathIncludes: '/MKP_A',
      status: 403,
      message: ABUSE,
      retryAfter: at,
    });
    await target.write('MKP_A', 'secret-a');
    expect(waits).toEqual([
      'GitHub asks to wait 7 s, until 10:30:30 UTC (secondary rate limit); GitHub calls pause until then',
    ]);
    expect(gh.decrypt(SCOPE, 'MKP_A')).toBe('secret-a');
  });

  it('without retry-after, a secondary limit waits the minute GitHub asks for', async () => {
    const gh = await emulator();
    const clock = new FakeClock(T0);
    const { target } = targetOn(gh, { clock });
    await target.prepare();
    gh.inject({
      method: 'PUT',
      pathIncludes: '/MKP_A',
      status: 429,
      message: SECONDARY,
      retryAfter: null,
    });
    await target.write('MKP_A', 'secret-a');
    expect(clock.sleeps).toEqual([60_000]);
  });

  it('pauses every call while a limit is in force, not just the one that met it', async () => {
    const gh = await emulator();
    const clock = new FakeClock(T0);
    const { target, waits } = targetOn(gh, { clock });
    await target.prepare();
    const reads = () => gh.calls.filter((c) => c.method === 'GET').length;
    const readsBefore = reads();
    clock.held = true;
    gh.inject({
      method: 'PUT',
      pathIncludes: '/MKP_FIRST',
      status: 403,
      message: SECONDARY,
      retryAfter: 42,
    });
    const first = target.write('MKP_FIRST', 'one');
    await clock.whenSleeping(1);
    // The second write waits for the first's answer, the reads at the gate: GitHub sees none.
    const second = target.write('MKP_SECOND', 'two');
    const reading = target.prepare();
    await clock.whenSleeping(3);
    expect(gh.count('PUT', '/MKP_SECOND')).toBe(0);
    expect(reads()).toBe(readsBefore);
    clock.release();
    await Promise.all([first, second, reading]);
    expect(gh.count('PUT', '/MKP_FIRST')).toBe(2);
    expect(gh.count('PUT', '/MKP_SECOND')).toBe(1);
    expect(gh.decrypt(SCOPE, 'MKP_SECOND')).toBe('two');
    expect(waits).toHaveLength(1);
  });

  it('the first write goes alone: the others are sent once it has its answer', async () => {
    const gh = await emulator();
    const { target } = targetOn(gh);
    await target.prepare();
    gh.inject({ method: 'PUT', pathIncludes: '/MKP_A', delayMs: 200 });
    await Promise.all(['MKP_A', 'MKP_B', 'MKP_C'].map((name) => target.write(name, name)));
    const puts = gh.calls.filter((c) => c.method === 'PUT');
    expect(puts[0]).toMatchObject({ path: expect.stringContaining('/MKP_A'), alongside: 0 });
    expect(puts[1]!.alongside).toBe(0); // the first was answered before the next came
    expect(puts).toHaveLength(3);
  });

  it('a primary limit beyond 5 minutes is not waited: the write fails naming the reset, and no other call is sent', async () => {
    const gh = await emulator();
    const now = Math.floor(Date.now() / 1000) * 1000;
    const clock = new FakeClock(now);
    const { target } = targetOn(gh, { clock });
    await target.prepare();
    const reset = now / 1000 + 3600;
    gh.inject({
      method: 'PUT',
      pathIncludes: '/MKP_FIRST',
      status: 403,
      message: 'API rate limit exceeded for installation ID 1.',
      rateLimitReset: reset,
    });
    const resetShown = new Date((reset + 1) * 1000).toISOString().slice(11, 19);
    const error = await target.write('MKP_FIRST', 'one').then(
      () => new Error('it succeeded'),
      (e: unknown) => e as Error,
    );
    expect(error.message).toBe(
      `cannot write repository secrets of acme/shop: GitHub answered 403: API rate limit exceeded for installation ID 1. The primary rate limit holds until ${resetShown} UTC, 60 min from now: longer than the 5 min a run waits for GitHub; not retried`,
    );
    await expect(target.write('MKP_SECOND', 'two')).rejects.toThrow(
      `not sent: GitHub's primary rate limit holds until ${resetShown} UTC`,
    );
    expect(gh.count('PUT', '/MKP_SECOND')).toBe(0);
    expect(clock.sleeps).toEqual([]);
  });

  it('the bound is MKP_GITHUB_MAX_WAIT_MS', async () => {
    const gh = await emulator();
    const clock = new FakeClock(T0);
    const { target } = targetOn(gh, { clock, env: { MKP_GITHUB_MAX_WAIT_MS: '30000' } });
    await target.prepare();
    gh.inject({
      method: 'PUT',
      pathIncludes: '/MKP_A',
      status: 403,
      message: SECONDARY,
      retryAfter: 42,
    });
    await expect(target.write('MKP_A', 'a')).rejects.toThrow(
      'holds until 10:31:05 UTC, 42 s from now: longer than the 30 s a run waits for GitHub',
    );
    expect(clock.sleeps).toEqual([]);
  });

  it('a limit that outlasts the retries is a rate limit, never a missing permission', async () => {
    const gh = await emulator();
    const clock = new FakeClock(T0);
    const { target } = targetOn(gh, { clock });
    await target.prepare();
    gh.inject({
      method: 'PUT',
      pathIncludes: '/MKP_A',
      status: 403,
      message: SECONDARY,
      times: 10,
    });
    const error = await target.write('MKP_A', 'a').then(
      () => new Error('it succeeded'),
      (e: unknown) => e as Error,
    );
    expect(error.message).toContain('still rate limited (secondary) after 2 waits; not retried');
    expect(error.message).not.toContain('permission');
    expect(gh.count('PUT', '/MKP_A')).toBe(3);
  });

  it('a 403 that is no rate limit still names the missing permission', async () => {
    const gh = await emulator();
    const { target } = targetOn(gh, { clock: new FakeClock(T0) });
    await target.prepare();
    gh.setPermissions({ secrets: 'read' });
    await expect(target.write('MKP_A', 'a')).rejects.toThrow(
      'the github-token lacks the permission',
    );
    expect(gh.count('PUT', '/MKP_A')).toBe(1);
  });

  it('a rate-limited PR comment is a warning about the limit, not about permissions', async () => {
    const gh = await emulator();
    gh.addPullRequest('acme/shop', 7);
    gh.inject({
      method: 'POST',
      pathIncludes: '/issues/7/comments',
      status: 403,
      message: SECONDARY,
      times: 5,
    });
    const log = new RecordingLog();
    const waits: string[] = [];
    const octokit = githubClient(
      gh.token,
      gh.url,
      { githubWriteIntervalMs: 0, timeoutMs: 5_000 },
      { clock: new FakeClock(T0), onWait: (message) => waits.push(message) },
    );
    await postPlanComment({
      octokit,
      repository: { owner: 'acme', repo: 'shop' },
      pullNumber: 7,
      configPath: 'webhooks.yaml',
      markdown: markup`plan`,
      scrub: (text) => text,
      log,
    });
    const warning = log.lines.find((line) => line.startsWith('warning:'))!;
    expect(warning).toContain('still rate limited (secondary) after 2 waits');
    expect(warning).not.toContain('cannot comment here');
    expect(waits).toHaveLength(2);
  });
});

describe('key rotation', () => {
  it('a key rotated after it was read is read again once, and every write is sealed anew', async () => {
    const gh = await emulator();
    const { target } = targetOn(gh);
    await target.prepare();
    gh.rotateKey(SCOPE);
    await Promise.all(['MKP_A', 'MKP_B', 'MKP_C'].map((name) => target.write(name, `v-${name}`)));
    for (const name of ['MKP_A', 'MKP_B', 'MKP_C'])
      expect(gh.decrypt(SCOPE, name)).toBe(`v-${name}`);
    expect(gh.count('GET', '/public-key')).toBe(2);
    expect(gh.count('PUT', '/secrets/')).toBe(6);
  });

  it('reads the "key_id mismatch" wording too', async () => {
    const gh = await emulator();
    const { target } = targetOn(gh);
    await target.prepare();
    gh.inject({
      method: 'PUT',
      pathIncludes: '/MKP_A',
      status: 422,
      message: 'Bad request - key_id mismatch',
      rotateKeyOf: SCOPE,
    });
    await target.write('MKP_A', 'secret-a');
    expect(gh.decrypt(SCOPE, 'MKP_A')).toBe('secret-a');
    expect(gh.count('GET', '/public-key')).toBe(2);
  });

  it('a refusal that the key read again does not change fails after one read', async () => {
    const gh = await emulator();
    const { target } = targetOn(gh);
    await target.prepare();
    gh.inject({
      method: 'PUT',
      pathIncludes: '/MKP_A',
      status: 422,
      message: 'Bad request - validation failed due to an improperly encrypted secret',
      times: 5,
    });
    await expect(target.write('MKP_A', 'a')).rejects.toThrow(
      'GitHub answered 422: Bad request - validation failed due to an improperly encrypted secret (the public key read again is the same)',
    );
    expect(gh.count('GET', '/public-key')).toBe(2);
    expect(gh.count('PUT', '/MKP_A')).toBe(1);
  });
});

describe('answers checked before use', () => {
  const b64 = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64');

  it.each([
    [
      'not base64',
      { key_id: '1234', key: 'not base64 at all!' },
      'the key is not base64 of 32 bytes',
    ],
    ['16 bytes', { key_id: '1234', key: b64(16) }, 'the key is not base64 of 32 bytes'],
    ['without key_id', { key: b64(32) }, 'no key_id'],
    ['a list', [], 'not a JSON object'],
  ])('a public key %s fails the run before any webhook is created', async (_what, json, says) => {
    const gh = await emulator();
    const mkp = await MkpEmulator.start();
    started.push(mkp);
    gh.inject({ method: 'GET', pathIncludes: '/public-key', json });
    const result = await sync({
      file: {
        path: 'webhooks.yaml',
        subscriptions: [subscription('customer-created', 'https://hooks.example.com/crm', 'crm')],
      },
      client: clientFor(mkp).client,
      dryRun: false,
      target: targetOn(gh).target,
      resync: 'missing',
      log: new RecordingLog(),
    });
    expect(result.failures.join('\n')).toContain(
      `cannot read repository secrets of acme/shop: GitHub's answer is not a public key as GitHub documents it (${says}); nothing is written with it`,
    );
    expect(mkp.records).toHaveLength(0);
  });

  it.each([
    ['secrets that is no list', { total_count: 1, secrets: 'MKP_A' }, 'no secrets list'],
    ['an unnamed secret', { total_count: 1, secrets: [{}] }, 'entry 1 is not a named secret'],
    [
      'a date that is no text',
      { total_count: 1, secrets: [{ name: 'A', updated_at: 5 }] },
      'entry 1 is not a named secret',
    ],
    ['no total_count', { secrets: [] }, 'no total_count'],
  ])(
    'a list of secrets with %s is refused as such, not as "could not be reached"',
    async (_what, json, says) => {
      const gh = await emulator();
      gh.inject({ method: 'GET', pathIncludes: '/actions/secrets?', json });
      const error = await targetOn(gh)
        .target.prepare()
        .then(
          () => new Error('it succeeded'),
          (e: unknown) => e as Error,
        );
      expect(error.message).toBe(
        `cannot read repository secrets of acme/shop: GitHub's answer is not the list of secrets as GitHub documents it (${says}); nothing is written with it`,
      );
    },
  );

  it("an organization secret's repositories are checked too", async () => {
    const gh = await emulator();
    const org: SecretScope = { kind: 'organization', organization: 'acme' };
    gh.putSecret(org, 'MKP_A', 'old', { visibility: 'selected', selected_repository_ids: [1001] });
    const { target } = targetOn(gh, { inputs: { 'secrets-target': 'organization' } });
    await target.prepare();
    gh.inject({
      pathIncludes: '/MKP_A/repositories',
      json: { total_count: 1, repositories: [{ id: 'x' }] },
    });
    await expect(target.write('MKP_A', 'new')).rejects.toThrow(
      "GitHub's answer is not the list of repositories as GitHub documents it (entry 1 is not a repository with an id)",
    );
    expect(gh.decrypt(org, 'MKP_A')).toBe('old');
  });

  it.each([
    ['streamed', { declareLength: false }],
    ['declared in content-length', { declareLength: true, floodBytes: 5 * 1024 * 1024 }],
  ])('an answer over 1 MiB (%s) is refused unread', async (_how, flood) => {
    const gh = await emulator();
    gh.inject({ method: 'GET', pathIncludes: '/public-key', body: 'flood', ...flood });
    await expect(targetOn(gh).target.prepare()).rejects.toThrow(
      'cannot read repository secrets of acme/shop: GitHub answered 200 with a body over 1 MiB, refused unread (check GITHUB_API_URL)',
    );
    expect(gh.floodBytesSent).toBeLessThan(64 * 1024 * 1024);
    expect(gh.count('GET', '/public-key')).toBe(1); // never retried
  });

  it('"could not be reached" only when no answer came', () => {
    const request = { method: 'GET', url: 'https://api.github.com/x', headers: {} } as const;
    const unreachable = new RequestError('connect ECONNREFUSED 127.0.0.1:9', 500, { request });
    expect(githubAnswer(unreachable).said).toBe(
      'GitHub could not be reached (connect ECONNREFUSED 127.0.0.1:9)',
    );
    expect(
      githubAnswer(new TypeError("Cannot set properties of undefined (setting 'x')")).said,
    ).toBe("GitHub's answer could not be used (Cannot set properties of undefined (setting 'x'))");
  });
});

describe("GitHub's cap of secrets", () => {
  it('is named with what to do; new names are not sent again, updates still are', async () => {
    const gh = await emulator({ secretCaps: { repository: 3 } });
    gh.putSecret(SCOPE, 'OLD_ONE', 'x');
    gh.putSecret(SCOPE, 'OLD_TWO', 'y');
    const { target } = targetOn(gh);
    await target.prepare();
    await target.write('MKP_A', 'a');
    await expect(target.write('MKP_B', 'b')).rejects.toThrow(
      'cannot write repository secrets of acme/shop (GitHub answered 422: Maximum number of secrets reached): the repository secrets of acme/shop are full (GitHub allows 100 secrets): remove secrets that are no longer used there, or choose another secrets-target',
    );
    await expect(target.write('MKP_C', 'c')).rejects.toThrow('are full');
    expect(gh.count('PUT', '/MKP_C')).toBe(0);
    await target.write('OLD_ONE', 'z');
    expect(gh.decrypt(SCOPE, 'OLD_ONE')).toBe('z');
  });

  it('"the next run writes them" is not promised for secrets that the cap keeps out', async () => {
    const gh = await emulator({ secretCaps: { repository: 2 } });
    const mkp = await MkpEmulator.start();
    started.push(mkp);
    const result = await sync({
      file: {
        path: 'webhooks.yaml',
        subscriptions: [
          subscription('customer-created', 'https://hooks.example.com/crm', 'crm'),
          subscription('customer-deleted', 'https://hooks.example.com/crm', 'crm'),
          subscription('invoice-paid', 'https://billing.example.com/mkp', 'billing'),
        ],
      },
      client: clientFor(mkp).client,
      dryRun: false,
      target: targetOn(gh).target,
      resync: 'missing',
      log: new RecordingLog(),
      writeConcurrency: 1,
    });
    expect(succeeded(result)).toBe(false);
    const failed = deliveries(result).filter((d) => d.outcome === 'failed');
    expect(failed.map((d) => d.subscription.secretName)).toEqual([
      'MKP_WEBHOOK_BILLING_INVOICE_PAID',
    ]);
    const done = plainText(alreadyDone(result));
    expect(done).toContain(
      'Secret that no run can write yet: `MKP_WEBHOOK_BILLING_INVOICE_PAID`: the repository secrets of acme/shop are full (GitHub allows 100 secrets): remove secrets that are no longer used there, or choose another secrets-target; then the next run with resync-secrets: missing writes it. The webhook keeps its secret on the account.',
    );
    expect(done).not.toContain('still to be written');
  });
});
