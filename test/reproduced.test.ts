import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { GitHubEmulator, type SecretScope } from '../dev/emulator/github.js';
import { MkpEmulator, type WebhookRecord } from '../src/emulator/mkp.js';
import { runAction, type ActionRun, type ActionRunOptions } from '../dev/harness/action-runner.js';
import { runCli } from '../dev/harness/processes.js';
import { findLeaks } from './harness/leaks.js';

/**
 * The three cases of issue 23, reproduced against the built action (dist/index.js) and CLI: a
 * run that ended green while the secret at the target was wrong, or while nothing was checked.
 * Every run is leak-checked after its test.
 */
const FAST = { MKP_RETRY_BASE_MS: '5', MKP_GITHUB_WRITE_INTERVAL_MS: '0' };
const SCOPE: SecretScope = { kind: 'repository', repository: 'acme/shop' };
const CRM = {
  event: 'customer-created',
  url: 'https://hooks.example.com/crm',
  secretName: 'MKP_WEBHOOK_CRM_CUSTOMER_CREATED',
};
const ONE = `webhooks:\n  - name: crm\n    url: ${CRM.url}\n    event: ${CRM.event}\n`;

let mkp: MkpEmulator | undefined;
let github: GitHubEmulator | undefined;
let runs: ActionRun[] = [];
afterEach(async () => {
  const hidden = [
    ...(mkp?.records.map((r) => r.secret) ?? []),
    mkp?.token ?? '',
    github?.token ?? '',
  ];
  const checked = runs;
  runs = [];
  await Promise.all([mkp?.close(), github?.close()]);
  mkp = undefined;
  github = undefined;
  for (const run of checked) expect(findLeaks({ run, secrets: hidden })).toEqual([]);
});

function workspace(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mkp-reproduced-'));
  writeFileSync(join(dir, 'webhooks.yaml'), yaml);
  return dir;
}

async function act(options: Partial<ActionRunOptions> & { cwd: string }): Promise<ActionRun> {
  const run = await runAction({
    ...options,
    inputs: options.inputs ?? {},
    env: { ...FAST, ...options.env },
  });
  runs.push(run);
  return run;
}

/** An apply with repository secrets on the emulators, as the runner starts it. */
function apply(cwd: string): Promise<ActionRun> {
  return act({
    cwd,
    inputs: {
      'api-token': mkp!.token,
      'api-url': mkp!.baseUrl,
      'secrets-target': 'repository',
      'github-token': github!.token,
      repository: 'acme/shop',
    },
    env: { GITHUB_API_URL: github!.url },
    event: { name: 'push', payload: {} },
  });
}

describe('case 1: two applies at once leave a duplicate; the secret at the target ends up right', () => {
  it('two overlapping applies, the next run, then the person removes the newer record: the target holds the kept record’s secret', async () => {
    mkp = await MkpEmulator.start();
    github = await GitHubEmulator.start();
    const cwd = workspace(ONE);
    // Both runs list the empty account at the same moment, so both create the webhook.
    mkp.inject({ kind: 'barrier', on: 'list', times: 2 });
    const overlapping = await Promise.all([apply(cwd), apply(cwd)]);
    expect(overlapping.map((r) => r.exitCode)).toEqual([0, 0]);
    expect(mkp.records).toHaveLength(2);
    // Whichever run wrote last left its own record's secret. Date that record as the newer one,
    // as the issue found it: written after the older record was created, so not stale.
    const atTarget = github.decrypt(SCOPE, CRM.secretName);
    const written = mkp.records.find((r) => r.secret === atTarget)!;
    const other = mkp.records.find((r) => r !== written)!;
    written.createdAt = later(other.createdAt, 1);
    const [older, newer] = [other, written] as [WebhookRecord, WebhookRecord];

    // The next run warns, names the record to keep and the one to remove, and writes the
    // kept record's secret: changed, and says why.
    const next = await apply(cwd);
    expect(next.exitCode).toBe(0);
    expect(next.outputs.changed).toBe('true');
    expect(next.stdout).toMatch(
      new RegExp(
        `::warning::duplicate webhooks on the account: .*Keep \`${older.id}\` \\(the oldest\\) and remove \`${newer.id}\` in the manage portal; while the duplicates exist, every apply writes the secret of \`${older.id}\``,
      ),
    );
    expect(github.decrypt(SCOPE, CRM.secretName)).toBe(older.secret);

    // The person removes the record the warning named; later runs change nothing, and the
    // secret at the target is the remaining webhook's.
    mkp.records = mkp.records.filter((r) => r.id !== newer.id);
    for (let run = 0; run < 2; run++) {
      const puts = github.count('PUT', '/actions/secrets/');
      const calm = await apply(cwd);
      expect(calm.exitCode).toBe(0);
      expect(calm.outputs.changed).toBe('false');
      expect(calm.stdout).not.toContain('duplicate');
      expect(github.count('PUT', '/actions/secrets/')).toBe(puts);
      expect(github.decrypt(SCOPE, CRM.secretName)).toBe(older.secret);
    }
  }, 60_000);
});

describe('case 2: a token-less run outside a pull request never passes as a drift check', () => {
  const tokenless = (event: string, inputs: Record<string, string>) =>
    act({
      cwd: workspace(ONE),
      inputs: { 'api-url': mkp!.baseUrl, 'dry-run': 'true', ...inputs },
      event: {
        name: event,
        payload: event === 'pull_request' ? { pull_request: { number: 3 } } : {},
      },
    });

  it('a schedule run with dry-run, drift-issue and fail-on-drift and an empty api-token fails, naming api-token', async () => {
    mkp = await MkpEmulator.start();
    github = await GitHubEmulator.start();
    const run = await tokenless('schedule', {
      'drift-issue': 'true',
      'fail-on-drift': 'true',
      'github-token': github.token,
      repository: 'acme/shop',
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      '::error::input `api-token` is empty on a schedule run with fail-on-drift and drift-issue: a drift check that cannot read the account must not pass',
    );
    expect(run.stdout).not.toContain('the account was not checked');
    expect(run.outputs.drift).toBeUndefined();
    expect(mkp.calls).toHaveLength(0);
    expect(github.issues).toHaveLength(0);
  });

  it('a schedule dry run without the drift flags passes with a warning annotation that the account was not checked', async () => {
    mkp = await MkpEmulator.start();
    const run = await tokenless('schedule', {});
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      '::warning::no api-token on a schedule run: the file is valid, but the account was not checked',
    );
  });

  it('a pull request without a token (a fork) still passes, with fail-on-drift, and warns of nothing', async () => {
    mkp = await MkpEmulator.start();
    const run = await tokenless('pull_request', { 'fail-on-drift': 'true' });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('no api-token: the file is valid; the account was not checked');
    expect(run.stdout).not.toMatch(/^::warning::no api-token/m);
    expect(JSON.parse(run.outputs.plan!).unchecked).toHaveLength(1);
    expect(mkp.calls).toHaveLength(0);
  });
});

describe('case 3: an entry whose ${VAR} this run lacks is counted and listed, never dropped', () => {
  const SIX = `webhooks:
  - name: crm
    url: https://hooks.example.com/crm
    events: [customer-created, customer-deleted]
  - name: billing
    url: \${BILLING_HOOK_URL}
    event: invoice-paid
  - name: support
    url: https://support.example.com/mkp
    events: [ticket-created, ticket-reply-customer, ticket-reply-employee]
`;

  it('a token-less pull request lists it under unchecked with its literal ${VAR} url, and the summary shows it', async () => {
    mkp = await MkpEmulator.start();
    const run = await act({
      cwd: workspace(SIX),
      inputs: { 'dry-run': 'true' },
      event: { name: 'pull_request', payload: { pull_request: { number: 4 } } },
    });
    expect(run.exitCode).toBe(0);
    const { unchecked } = JSON.parse(run.outputs.plan!) as { unchecked: Array<{ url: string }> };
    expect(unchecked).toHaveLength(6);
    expect(unchecked[2]).toEqual({
      name: 'billing',
      event: 'invoice-paid',
      url: '${BILLING_HOOK_URL}',
      secretName: 'MKP_WEBHOOK_BILLING_INVOICE_PAID',
    });
    expect(run.summary).toContain('6 subscriptions declared · 1 not checked');
    expect(run.summary).toMatch(
      /\| · not checked: `BILLING_HOOK_URL` has no value in this run \| `invoice-paid`<br>`MKP_WEBHOOK_BILLING_INVOICE_PAID` \| `\$\{BILLING_HOOK_URL\}` \|/,
    );
    expect(run.stdout).toContain('::notice');
  });

  it('validate counts it (6 with the variable unset, as with it set), and plan lists it', async () => {
    const cwd = workspace(SIX);
    const unset = await runCli(['validate'], { cwd });
    expect(unset.code).toBe(0);
    expect(unset.stdout).toBe(
      'webhooks.yaml: valid, 6 subscriptions (1 not checked (a `${VAR}` without a value in this run))\n',
    );
    const set = await runCli(['validate'], {
      cwd,
      env: { BILLING_HOOK_URL: 'https://billing.example.com/mkp' },
    });
    expect(set.stdout).toBe('webhooks.yaml: valid, 6 subscriptions\n');

    const plan = await runCli(['plan'], { cwd });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(
      /· invoice-paid +\$\{BILLING_HOOK_URL\} +MKP_WEBHOOK_BILLING_INVOICE_PAID +not checked: `BILLING_HOOK_URL` has no value in this run/,
    );
    const json = JSON.parse((await runCli(['plan', '--json'], { cwd })).stdout);
    expect(json.unchecked.map((s: { url: string }) => s.url)).toContain('${BILLING_HOOK_URL}');
  });
});

/** `createdAt` moved on by whole seconds, in the emulator's own form. */
function later(createdAt: string, seconds: number): string {
  return new Date(Date.parse(createdAt) + seconds * 1000)
    .toISOString()
    .replace(/\.\d{3}Z$/, '+00:00');
}
