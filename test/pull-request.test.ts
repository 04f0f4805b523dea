import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { GitHubEmulator } from '../dev/emulator/github.js';
import { MkpEmulator } from '../src/emulator/mkp.js';
import { runAction, type ActionRun, type ActionRunOptions } from '../dev/harness/action-runner.js';
import { expectMaskedFirst, expectNoLeak } from './harness/leaks.js';

/**
 * Ownership scope and the PR-scoped plan (CONTRACT §1-§3), end to end: the built action against
 * both emulators. A shared account where no file sees the others' webhooks as drift, and a pull
 * request whose report leads with what it changes.
 */
const FAST = {
  MKP_RETRY_BASE_MS: '5',
  MKP_HTTP_TIMEOUT_MS: '5000',
  MKP_GITHUB_WRITE_INTERVAL_MS: '0',
};
const BASE_SHA = 'b'.repeat(40);
let mkp: MkpEmulator | undefined;
let github: GitHubEmulator | undefined;
let runs: ActionRun[] = [];

afterEach(async () => {
  const secrets = mkp?.records.map((r) => r.secret) ?? [];
  const tokens = [mkp?.token ?? '', github?.token ?? ''];
  const checked = runs;
  runs = [];
  // The servers close before the checks, so a failed check never leaves jest waiting on them.
  await Promise.all([mkp?.close(), github?.close()]);
  mkp = undefined;
  github = undefined;
  for (const run of checked) {
    expectNoLeak(run, [...secrets, ...tokens]);
    expectMaskedFirst(run, [...secrets, ...tokens]);
  }
});

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mkp-scope-test-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function act(
  cwd: string,
  options: Partial<ActionRunOptions> & { token?: boolean } = {},
): Promise<ActionRun> {
  const run = await runAction({
    cwd,
    ...options,
    inputs: {
      ...(mkp && options.token !== false ? { 'api-token': mkp.token, 'api-url': mkp.baseUrl } : {}),
      ...options.inputs,
    },
    env: {
      ...FAST,
      GITHUB_WORKSPACE: cwd,
      ...(github ? { GITHUB_API_URL: github.url } : {}),
      ...options.env,
    },
  });
  runs.push(run);
  return run;
}

const plan = (run: ActionRun) => JSON.parse(run.outputs.plan ?? 'null');
const listCalls = () => mkp!.calls.filter((c) => c.operation === 'list').length;

describe('a shared account: two repositories and an integration', () => {
  const SHOP = `owns:
  - https://shop.example.com/mkp/*
webhooks:
  - name: orders
    url: https://shop.example.com/mkp/orders
    events: [customer-created, invoice-paid]
`;
  const CRM = `ignore:
  - url: https://shop.example.com/mkp/*
  - url: https://hooks.zapier.com/*
webhooks:
  - name: crm
    url: https://crm.example.com/mkp/customers
    event: customer-created
`;
  const seed = [
    { type: 'customer-created', url: 'https://shop.example.com/mkp/orders' },
    { type: 'invoice-paid', url: 'https://shop.example.com/mkp/orders' },
    { type: 'customer-created', url: 'https://crm.example.com/mkp/customers' },
    { type: 'invoice-paid', url: 'https://hooks.zapier.com/hooks/catch/123/abc' },
    { type: 'invoice-paid', url: 'https://hooks.zapier.com/hooks/catch/123/abc' },
  ];

  it('neither scheduled run reports drift, and each lists the others’ records as ignored', async () => {
    mkp = await MkpEmulator.start({ seed });
    github = await GitHubEmulator.start();
    const ids = mkp.records.map((r) => r.id);
    const scheduled = {
      event: { name: 'schedule', payload: {} },
      inputs: {
        'dry-run': 'true',
        'fail-on-drift': 'true',
        'drift-issue': 'true',
        'github-token': github.token,
        repository: 'acme/shop',
      },
    };
    const shop = await act(workspace({ 'webhooks.yaml': SHOP }), scheduled);
    const crm = await act(workspace({ 'webhooks.yaml': CRM }), scheduled);
    for (const run of [shop, crm]) {
      expect(run.exitCode).toBe(0);
      expect(run.outputs.drift).toBe('false');
      expect(run.outputs.unmanaged).toBe('0');
      expect(plan(run).duplicates).toEqual([]);
    }
    expect(plan(shop).ignored).toEqual([ids[2], ids[3], ids[4]].map((id) => ({ id })));
    expect(plan(crm).ignored).toEqual([ids[0], ids[1], ids[3], ids[4]].map((id) => ({ id })));
    expect(shop.summary).toContain('3 belong to others: outside `owns` or ignored');
    expect(crm.summary).toContain('4 belong to others: outside `owns` or ignored');
    expect(github.issues.filter((i) => !i.pull_request)).toHaveLength(0);

    // The same account without the scope drifts: the scope is what keeps the signal quiet.
    const unscoped = await act(
      workspace({ 'webhooks.yaml': CRM.replace(/^ignore:[\s\S]*?webhooks:/m, 'webhooks:') }),
      scheduled,
    );
    expect(unscoped.exitCode).not.toBe(0);
    expect(unscoped.outputs.drift).toBe('true');
  });
});

describe('a pull request: what it changes leads the report', () => {
  const BASE = `webhooks:
  - name: crm
    url: https://hooks.example.com/crm
    event: customer-created
  - name: legacy
    url: https://hooks.example.com/legacy
    event: ticket-created
  - name: billing
    url: https://hooks.example.com/billing
    event: invoice-paid
  - name: offers
    url: https://hooks.example.com/offers
    events: [offer-created, offer-accepted]
`;
  const HEAD = `webhooks:
  - name: crm
    url: https://hooks.example.com/crm
    event: customer-created
  - name: billing
    url: https://hooks.example.com/billing
    event: invoice-paid
    secret: BILLING_{EVENT}_SECRET
  - name: offers
    url: https://hooks.example.com/offers
    events: [offer-created, offer-accepted]
  - name: tickets
    url: https://hooks.example.com/tickets
    event: ticket-created
`;
  // crm, legacy and billing are on the account; the base's two offers are still to be created.
  const seed = [
    { type: 'customer-created', url: 'https://hooks.example.com/crm' },
    { type: 'ticket-created', url: 'https://hooks.example.com/legacy' },
    { type: 'invoice-paid', url: 'https://hooks.example.com/billing' },
  ];
  const event = {
    name: 'pull_request',
    payload: { pull_request: { number: 12, base: { sha: BASE_SHA, ref: 'main' } } },
  };
  const inputs = () => ({
    'dry-run': 'true',
    'pr-comment': 'true',
    'github-token': github!.token,
    repository: 'acme/shop',
  });

  async function start(files: Record<string, string>) {
    mkp = await MkpEmulator.start({ seed });
    github = await GitHubEmulator.start();
    github.addPullRequest('acme/shop', 12);
    github.addCommit('acme/shop', BASE_SHA, files);
  }

  it('adds, removes and renames under "This pull request"; the base’s pending creates folded', async () => {
    await start({ 'webhooks.yaml': BASE });
    const run = await act(workspace({ 'webhooks.yaml': HEAD }), { event, inputs: inputs() });
    expect(run.exitCode).toBe(0);

    const comment = github!.comments.find((c) => c.issue_number === 12)!.body;
    const [lead, rest] = comment.split('<summary>Already pending on <code>main</code>');
    const thisPr = lead!.slice(lead!.indexOf('#### This pull request'));
    const items = thisPr.split('\n').filter((line) => line.startsWith('- '));
    expect(items).toEqual([
      expect.stringMatching(
        /^- ➕ adds `ticket-created` → `https:\/\/hooks.example.com\/tickets` as `MKP_WEBHOOK_TICKETS_TICKET_CREATED`: created on merge$/,
      ),
      expect.stringMatching(
        /^- ➖ removes `ticket-created` → `https:\/\/hooks.example.com\/legacy`: the API cannot delete/,
      ),
      expect.stringMatching(
        /^- ✏️ renames the secret of `invoice-paid` .*from `MKP_WEBHOOK_BILLING_INVOICE_PAID` to `BILLING_INVOICE_PAID_SECRET`/,
      ),
    ]);
    expect(rest).toMatch(/^, not from this PR \(2\)<\/summary>/);
    const pending = rest!.slice(0, rest!.indexOf('</details>'));
    expect(pending.split('\n').filter((line) => line.startsWith('- '))).toEqual([
      expect.stringContaining('`offer-created` → `https://hooks.example.com/offers`'),
      expect.stringContaining('`offer-accepted` → `https://hooks.example.com/offers`'),
    ]);
    // The whole plan is still there, folded after both.
    expect(comment.indexOf('<summary>The whole plan of this file</summary>')).toBeGreaterThan(
      comment.indexOf('Already pending'),
    );
    expect(run.summary).toContain('### This pull request');

    expect(plan(run).pullRequest).toEqual({
      adds: [
        {
          name: 'tickets',
          event: 'ticket-created',
          url: 'https://hooks.example.com/tickets',
          secretName: 'MKP_WEBHOOK_TICKETS_TICKET_CREATED',
        },
      ],
      removes: [
        {
          name: 'legacy',
          event: 'ticket-created',
          url: 'https://hooks.example.com/legacy',
          secretName: 'MKP_WEBHOOK_LEGACY_TICKET_CREATED',
        },
      ],
      renames: [
        {
          name: 'billing',
          event: 'invoice-paid',
          url: 'https://hooks.example.com/billing',
          secretName: 'BILLING_INVOICE_PAID_SECRET',
          previousSecretName: 'MKP_WEBHOOK_BILLING_INVOICE_PAID',
        },
      ],
    });
    // Both files are planned against one listing: no extra MijnKlantportaal call.
    expect(listCalls()).toBe(1);
    expect(mkp!.calls).toHaveLength(1);
    expect(github!.count('GET', `/repos/acme/shop/contents/webhooks.yaml?ref=${BASE_SHA}`)).toBe(1);
  });

  it('reads the base file from the repository root of a checkout into a sub-folder', async () => {
    await start({ 'config/webhooks.yaml': BASE });
    const cwd = workspace({ 'shop/config/webhooks.yaml': HEAD });
    mkdirSync(join(cwd, 'shop', '.git'));
    const run = await act(cwd, {
      event,
      inputs: { ...inputs(), config: 'shop/config/webhooks.yaml' },
    });
    expect(run.exitCode).toBe(0);
    expect(github!.count('GET', '/repos/acme/shop/contents/config/webhooks.yaml')).toBe(1);
    expect(plan(run).pullRequest.adds).toHaveLength(1);
  });

  it('without an api-token (a fork) the PR part is a diff of the two files, and says so', async () => {
    await start({ 'webhooks.yaml': BASE });
    const run = await act(workspace({ 'webhooks.yaml': HEAD }), {
      event,
      inputs: inputs(),
      token: false,
    });
    expect(run.exitCode).toBe(0);
    expect(mkp!.calls).toHaveLength(0);
    const output = plan(run);
    expect(output.unchecked).toHaveLength(5);
    expect(output.pullRequest.adds).toHaveLength(1);
    expect(output.pullRequest.removes).toHaveLength(1);
    expect(output.pullRequest.renames).toHaveLength(1);
    expect(run.summary).toContain('this compares the file with its version on `main`');
    expect(run.summary).not.toContain('Already pending');
  });

  it('a file new in this pull request: everything is "this pull request"', async () => {
    await start({ 'README.md': '# shop\n' });
    const run = await act(workspace({ 'webhooks.yaml': HEAD }), { event, inputs: inputs() });
    expect(run.exitCode).toBe(0);
    expect(run.summary).toContain('`webhooks.yaml` is new in this pull request');
    const output = plan(run);
    expect(output.pullRequest.adds).toHaveLength(5);
    expect(output.pullRequest.removes).toEqual([]);
    expect(output.pullRequest.renames).toEqual([]);
    expect(run.summary).not.toContain('Already pending');
  });

  it.each([
    ['the token may not read contents (403)', 'contents', /GitHub answered 403/],
    ['the base commit is unknown (404)', 'commit', /No commit found for the ref/],
    ['the base file is invalid', 'invalid', /the base branch's file is invalid \(1 problem\)/],
    ['there is no github-token', 'token', /no `github-token` to read it with/],
  ])(
    'a base that cannot be read (%s) is a one-line notice and the whole plan',
    async (_, how, why) => {
      await start({
        'webhooks.yaml':
          how === 'invalid' ? 'webhooks:\n  - url: nope\n    event: invoice-paid\n' : BASE,
      });
      if (how === 'contents') github!.setPermissions({ contents: 'none' });
      const run = await act(workspace({ 'webhooks.yaml': HEAD }), {
        event:
          how === 'commit'
            ? {
                ...event,
                payload: {
                  pull_request: { number: 12, base: { sha: 'c'.repeat(40), ref: 'main' } },
                },
              }
            : event,
        inputs: how === 'token' ? { 'dry-run': 'true' } : inputs(),
      });
      expect(run.exitCode).toBe(0);
      const notices = run.stdout.split('\n').filter((line) => line.startsWith('::notice'));
      expect(notices).toEqual([expect.stringMatching(why)]);
      expect(run.summary).toMatch(why);
      expect(run.summary).toContain(
        'This is the whole plan, not only what this pull request changes.',
      );
      expect(run.summary).not.toContain('This pull request');
      expect(plan(run).pullRequest).toBeUndefined();
      expect(plan(run).create).toHaveLength(3);
      expect(listCalls()).toBe(1);
    },
  );

  it('a hostile GitHub that echoes the tokens in its error: the notice shows neither', async () => {
    await start({ 'webhooks.yaml': BASE });
    github!.inject({
      method: 'GET',
      pathIncludes: '/contents/',
      status: 403,
      message: `denied for ${github!.token} (api-token ${mkp!.token})`,
    });
    const run = await act(workspace({ 'webhooks.yaml': HEAD }), { event, inputs: inputs() });
    expect(run.exitCode).toBe(0);
    const notices = run.stdout.split('\n').filter((line) => line.startsWith('::notice'));
    expect(notices).toEqual([expect.stringMatching(/GitHub answered 403: denied for \*\*\*/)]);
    // afterEach also scans every output of the run for both tokens.
    expect(notices.join('\n')).not.toContain(github!.token);
  });
});
