import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { GitHubEmulator } from '../dev/emulator/github.js';
import { MkpEmulator } from '../src/emulator/mkp.js';
import { runAction, type ActionRun, type ActionRunOptions } from '../dev/harness/action-runner.js';
import { expectMaskedFirst, findLeaks } from './harness/leaks.js';
import { TunnelProxy } from './harness/proxy.js';

/**
 * The built action (dist/index.js) run as the runner runs it, against the emulators: the
 * outputs, exit status and job summary of CONTRACT §3 and §4. After every test, the leak check
 * runs over every run of that test: no secret or token in the log, the summary or the outputs.
 */
const FAST = {
  MKP_RETRY_BASE_MS: '5',
  MKP_HTTP_TIMEOUT_MS: '2000',
  MKP_GITHUB_WRITE_INTERVAL_MS: '0',
};
let mkp: MkpEmulator | undefined;
let github: GitHubEmulator | undefined;
let runs: ActionRun[] = [];
/** Values a test gave to `${VAR}`s: the leak check looks for them too. */
let variables: string[] = [];

afterEach(async () => {
  const secrets = mkp?.records.map((r) => r.secret) ?? [];
  const tokens = [mkp?.token ?? '', github?.token ?? ''];
  const posted = [
    ...(github?.comments.map((c) => c.body) ?? []),
    ...(github?.issues.map((i) => `${i.title}\n${i.body}`) ?? []),
  ];
  const checked = runs;
  const hidden = variables;
  runs = [];
  variables = [];
  // The servers close before the checks, so a failed check never leaves jest waiting on them.
  await Promise.all([mkp?.close(), github?.close()]);
  mkp = undefined;
  github = undefined;
  for (const run of checked) {
    const perSecret = Object.keys(run.outputs).filter((name) => /^[A-Z_][A-Z0-9_]*$/.test(name));
    expect(
      findLeaks({
        run,
        secrets: [...secrets, ...tokens],
        variables: hidden,
        posted,
        secretOutputs: perSecret,
      }),
    ).toEqual([]);
    expectMaskedFirst(run, [...secrets, ...tokens, ...hidden.filter((v) => v.length >= 8)]);
  }
});

function workspace(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mkp-action-test-'));
  writeFileSync(join(dir, 'webhooks.yaml'), yaml);
  return dir;
}

const THREE = `webhooks:
  - name: crm
    url: https://hooks.example.com/crm
    events: [customer-created, customer-deleted]
  - url: https://billing.example.com/mkp?key=k3y
    event: invoice-paid
`;

async function act(
  options: Partial<ActionRunOptions> & { yaml?: string } = {},
): Promise<ActionRun> {
  const run = await runAction({
    cwd: options.cwd ?? workspace(options.yaml ?? THREE),
    ...options,
    inputs: {
      ...(mkp ? { 'api-token': mkp.token, 'api-url': mkp.baseUrl } : {}),
      ...options.inputs,
    },
    env: { ...FAST, ...options.env },
  });
  runs.push(run);
  return run;
}

describe('apply with secrets as step outputs', () => {
  it('first run: creates the missing webhooks with the floor of calls, and sets every output', async () => {
    mkp = await MkpEmulator.start({
      seed: [
        { type: 'customer-created', url: 'https://hooks.example.com/crm' },
        ...Array.from({ length: 33 }, (_, i) => ({
          type: 'offer-created',
          url: `https://old.example.com/${i}`,
        })),
      ],
    });
    const run = await act();
    expect(run.exitCode).toBe(0);
    expect(mkp.count('list')).toBe(3);
    expect(mkp.count('create')).toBe(2);
    // What applying costs (CONTRACT §2) is what this apply sent: 3 pages and 2 creates.
    expect(mkp.calls).toHaveLength(5);
    expect(run.stdout).toContain(
      'plan: 2 to create, 1 unchanged, 33 unmanaged; cost of applying: 5 API calls (3 list pages, 2 creates)\n',
    );
    expect(run.summary).toContain(
      '\n\nCost of applying: 5 API calls (3 list pages, 2 creates).\n\n',
    );

    const plan = JSON.parse(run.outputs.plan!);
    expect(plan.create).toEqual([
      {
        name: 'crm',
        event: 'customer-deleted',
        url: 'https://hooks.example.com/crm',
        secretName: 'MKP_WEBHOOK_CRM_CUSTOMER_DELETED',
      },
      {
        name: null,
        event: 'invoice-paid',
        url: 'https://billing.example.com/mkp?key=k3y',
        secretName: 'MKP_WEBHOOK_INVOICE_PAID',
      },
    ]);
    expect(plan.unchanged).toHaveLength(1);
    expect(plan.unmanaged).toHaveLength(33);
    expect(plan.duplicates).toEqual([]);

    // In the order of the plan; the two POSTs run concurrently, so the account may hold the
    // records in either order.
    const created = JSON.parse(run.outputs.created!) as Array<{
      id: string;
      event: string;
      url: string;
    }>;
    expect(created.map((c) => [c.event, c.url])).toEqual(
      plan.create.map((p: { event: string; url: string }) => [p.event, p.url]),
    );
    expect(created.map((c) => c.id)).toEqual(
      created.map((c) => mkp!.records.find((r) => r.type === c.event && r.url === c.url)!.id),
    );
    expect(new Set(created.map((c) => c.id))).toEqual(
      new Set(mkp.records.slice(-2).map((r) => r.id)),
    );
    const secrets = JSON.parse(run.outputs.secrets!);
    const byName = (name: string, event: string, url: string) => [
      name,
      mkp!.records.find((r) => r.type === event && r.url === url)!.secret,
    ];
    // Every declared webhook's secret, the existing one too (CONTRACT §3), in the file's order.
    expect(Object.entries(secrets)).toEqual([
      byName(
        'MKP_WEBHOOK_CRM_CUSTOMER_CREATED',
        'customer-created',
        'https://hooks.example.com/crm',
      ),
      byName(
        'MKP_WEBHOOK_CRM_CUSTOMER_DELETED',
        'customer-deleted',
        'https://hooks.example.com/crm',
      ),
      byName('MKP_WEBHOOK_INVOICE_PAID', 'invoice-paid', 'https://billing.example.com/mkp?key=k3y'),
    ]);
    expect(run.outputs.MKP_WEBHOOK_INVOICE_PAID).toBe(secrets.MKP_WEBHOOK_INVOICE_PAID);
    expect(run.outputs).toMatchObject({
      changed: 'true',
      drift: 'true',
      'to-create': '2',
      unmanaged: '33',
    });
    expect(run.summary).toContain('## MijnKlantportaal webhooks: apply');
    expect(run.summary).toContain('key=***');
    expect(run.summary).not.toContain('key=k3y');
    expect(run.stdout).not.toContain('key=k3y');
  });

  it('second run: creates nothing, changes nothing, and outputs the full set again', async () => {
    mkp = await MkpEmulator.start();
    const cwd = workspace(THREE);
    await act({ cwd });
    mkp.resetCalls();
    const run = await act({ cwd });
    expect(run.exitCode).toBe(0);
    expect(mkp.count('create')).toBe(0);
    expect(run.outputs).toMatchObject({
      changed: 'false',
      drift: 'false',
      created: '[]',
      'to-create': '0',
    });
    expect(Object.keys(JSON.parse(run.outputs.secrets!))).toEqual([
      'MKP_WEBHOOK_CRM_CUSTOMER_CREATED',
      'MKP_WEBHOOK_CRM_CUSTOMER_DELETED',
      'MKP_WEBHOOK_INVOICE_PAID',
    ]);
  });

  it('resync-secrets: always outputs every declared secret', async () => {
    mkp = await MkpEmulator.start();
    const cwd = workspace(THREE);
    await act({ cwd });
    const run = await act({ cwd, inputs: { 'resync-secrets': 'always' } });
    expect(Object.keys(JSON.parse(run.outputs.secrets!))).toHaveLength(3);
    expect(run.outputs.changed).toBe('false');
  });
});

describe('dry-run', () => {
  it('with a token: plans against the account and makes no POST', async () => {
    mkp = await MkpEmulator.start();
    const run = await act({ inputs: { 'dry-run': 'true' } });
    expect(run.exitCode).toBe(0);
    expect(mkp.count('create', 'POST')).toBe(0);
    expect(JSON.parse(run.outputs.plan!).create).toHaveLength(3);
    expect(run.outputs).toMatchObject({ drift: 'true', 'to-create': '3', changed: 'false' });
    expect(run.summary).toContain('dry run');
  });

  it('without a token on a pull request (a fork): validates, says the account was not checked, and passes', async () => {
    mkp = await MkpEmulator.start();
    const run = await act({
      inputs: { 'dry-run': 'true', 'api-token': '', 'fail-on-drift': 'true' },
      event: { name: 'pull_request', payload: { pull_request: { number: 7 } } },
    });
    expect(run.exitCode).toBe(0);
    expect(mkp.calls).toHaveLength(0);
    expect(JSON.parse(run.outputs.plan!)).toEqual({
      unchecked: [
        {
          name: 'crm',
          event: 'customer-created',
          url: 'https://hooks.example.com/crm',
          secretName: 'MKP_WEBHOOK_CRM_CUSTOMER_CREATED',
        },
        {
          name: 'crm',
          event: 'customer-deleted',
          url: 'https://hooks.example.com/crm',
          secretName: 'MKP_WEBHOOK_CRM_CUSTOMER_DELETED',
        },
        {
          name: null,
          event: 'invoice-paid',
          url: 'https://billing.example.com/mkp?key=k3y',
          secretName: 'MKP_WEBHOOK_INVOICE_PAID',
        },
      ],
    });
    expect(run.outputs).toMatchObject({
      drift: 'false',
      'to-create': '0',
      unmanaged: '0',
      changed: 'false',
    });
    expect(run.summary).toContain('the account was not checked');
    expect(run.summary).toContain('`MKP_WEBHOOK_INVOICE_PAID`');
    expect(run.summary).toContain(
      'Cost of applying: not known, as the account was not read (up to 3 creates, plus its list pages).',
    );
  });
});

describe('exit status', () => {
  it('fail-on-drift fails a run that found drift, and passes one that found none', async () => {
    mkp = await MkpEmulator.start();
    const cwd = workspace(THREE);
    const drifted = await act({ cwd, inputs: { 'fail-on-drift': 'true' } });
    expect(drifted.exitCode).toBe(1);
    expect(drifted.stdout).toMatch(
      /::error::drift: the account did not match webhooks.yaml at the start of the run \(3 to create, 0 unmanaged\)/,
    );
    expect(mkp.records).toHaveLength(3); // the apply still happened
    const clean = await act({ cwd, inputs: { 'fail-on-drift': 'true' } });
    expect(clean.exitCode).toBe(0);
  });

  it('a wrong token fails with a message that says so, and creates nothing', async () => {
    mkp = await MkpEmulator.start();
    const run = await act({ inputs: { 'api-token': 'not-the-token' } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      'list webhooks: the API answered 401: the API token is wrong or lacks the webhooks scope',
    );
    expect(mkp.count('create')).toBe(0);
  });

  it('invalid inputs fail before anything is read or sent, each named', async () => {
    mkp = await MkpEmulator.start();
    const run = await act({ inputs: { 'dry-run': 'maybe', 'secrets-target': 'vault' } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('::error::input `dry-run` must be true or false, not `maybe`');
    expect(run.stdout).toContain(
      '::error::input `secrets-target` must be one of outputs, repository, environment, organization, not `vault`',
    );
    expect(mkp.calls).toHaveLength(0);
  });

  it('http to a non-loopback api-url is refused', async () => {
    const run = await act({ inputs: { 'api-token': 't', 'api-url': 'http://api.example.com/v1' } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('must use https');
  });
});

describe('an invalid file', () => {
  const BROKEN = `webhooks:
  - name: crm
    url: https://hooks.example.com/crm
    evnts: [customer-created]
  - url: http://plain.example.com/
    event: invoice-payed
`;

  it('fails with one annotation per problem at its line and column, and sends nothing', async () => {
    mkp = await MkpEmulator.start();
    const run = await act({ yaml: BROKEN });
    expect(run.exitCode).toBe(1);
    expect(mkp.calls).toHaveLength(0);
    const annotations = run.stdout.split('\n').filter((l) => l.startsWith('::error file='));
    expect(annotations).toHaveLength(3);
    expect(annotations[0]).toMatch(
      /^::error file=webhooks.yaml,line=4,col=5::unknown key `evnts` \(did you mean `events`\?\)/,
    );
    expect(
      annotations.some((a) => a.startsWith('::error file=webhooks.yaml,line=5,col=10::')),
    ).toBe(true);
    expect(
      annotations.some((a) =>
        /line=6,col=12::unknown event `invoice-payed` \(did you mean `invoice-paid`\?\)/.test(a),
      ),
    ).toBe(true);
    expect(run.stdout).toContain('webhooks.yaml:4:5: unknown key `evnts`');
    expect(run.summary).toContain('is invalid');
    expect(run.summary).toContain('3 problems found; nothing was sent');
    expect(run.stdout).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
  });

  it('a missing file is a clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mkp-empty-'));
    const run = await act({ cwd: dir, inputs: { 'dry-run': 'true' } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/webhooks\.yaml:1:1: .*(no such file|cannot read)/);
  });
});

describe('the API misbehaving (CONTRACT §4)', () => {
  it('a 429 with retry-after is waited out, and the run succeeds', async () => {
    mkp = await MkpEmulator.start();
    mkp.inject({ kind: 'rate-limit', on: 'create', retryAfter: 1 });
    const run = await act();
    expect(run.exitCode).toBe(0);
    expect(mkp.records).toHaveLength(3);
    expect(run.stdout).toContain('rate limited (429); retrying in 1.0 s');
  });

  it.each(['error-after', 'reset-after'] as const)(
    'a create answered by %s leaves no duplicate and delivers every secret',
    async (kind) => {
      mkp = await MkpEmulator.start();
      mkp.inject({ kind, on: 'create' });
      const run = await act();
      expect(run.exitCode).toBe(0);
      expect(mkp.records).toHaveLength(3);
      const secrets = JSON.parse(run.outputs.secrets!);
      expect(Object.values(secrets).sort()).toEqual(mkp.records.map((r) => r.secret).sort());
    },
  );

  it('a foreign next_page_url is never contacted', async () => {
    const foreign = await MkpEmulator.start();
    try {
      mkp = await MkpEmulator.start({
        seed: Array.from({ length: 20 }, (_, i) => ({
          type: 'offer-created',
          url: `https://x.example.com/${i}`,
        })),
      });
      mkp.inject({ kind: 'foreign-next', on: 'list', url: `${foreign.baseUrl}/webhooks?page=2` });
      const run = await act();
      expect(run.exitCode).toBe(1);
      expect(foreign.calls).toHaveLength(0);
      expect(mkp.count('create')).toBe(0);
      expect(run.stdout).toContain('is not on the origin of api-url');
    } finally {
      await foreign.close();
    }
  });
});

describe('GitHub: secrets, the PR comment and the drift issue', () => {
  async function startGitHub() {
    github = await GitHubEmulator.start();
    github.addPullRequest('acme/shop', 12);
    return { GITHUB_API_URL: github.url };
  }

  it('writes repository secrets that decrypt to the webhooks’ secrets; outputs hold no secret', async () => {
    mkp = await MkpEmulator.start();
    const env = await startGitHub();
    const run = await act({
      env,
      inputs: {
        'secrets-target': 'repository',
        'github-token': github!.token,
        repository: 'acme/shop',
      },
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.secrets).toBe('{}');
    expect(run.outputs.MKP_WEBHOOK_INVOICE_PAID).toBeUndefined();
    const scope = { kind: 'repository', repository: 'acme/shop' } as const;
    expect(github!.decrypt(scope, 'MKP_WEBHOOK_INVOICE_PAID')).toBe(
      mkp.records.find((r) => r.type === 'invoice-paid')!.secret,
    );
    expect(run.summary).toContain('- Target: repository secrets of acme/shop');
  });

  it('reaches GitHub through the runner’s HTTPS_PROXY / HTTP_PROXY', async () => {
    mkp = await MkpEmulator.start();
    await startGitHub();
    const proxy = await TunnelProxy.start();
    try {
      // A name only the proxy can reach: without the proxy, the calls could not resolve it.
      const viaProxy = github!.url.replace('127.0.0.1', 'github.proxied.test');
      const run = await act({
        env: { GITHUB_API_URL: viaProxy, HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url },
        inputs: {
          'secrets-target': 'repository',
          'github-token': github!.token,
          repository: 'acme/shop',
        },
      });
      expect(run.exitCode).toBe(0);
      const scope = { kind: 'repository', repository: 'acme/shop' } as const;
      expect(github!.decrypt(scope, 'MKP_WEBHOOK_INVOICE_PAID')).toBe(
        mkp.records.find((r) => r.type === 'invoice-paid')!.secret,
      );
      const host = new URL(viaProxy).host;
      expect(proxy.tunnels.length).toBeGreaterThan(0);
      expect(new Set(proxy.tunnels)).toEqual(new Set([host]));
    } finally {
      await proxy.close();
    }
  });

  it('posts the plan on the pull request, then updates the same comment', async () => {
    mkp = await MkpEmulator.start();
    const env = await startGitHub();
    const options = {
      env,
      event: { name: 'pull_request', payload: { pull_request: { number: 12 } } },
      inputs: {
        'dry-run': 'true',
        'pr-comment': 'true',
        'github-token': github!.token,
        repository: 'acme/shop',
      },
    };
    const cwd = workspace(THREE);
    await act({ ...options, cwd });
    // Neither the commit nor the run known: no footer, rather than a lone "Plan".
    const first = github!.comments.find((c) => c.issue_number === 12)!.body;
    expect(first).not.toMatch(/_Plan/);
    expect(first.trimEnd().split('\n').at(-1)).toMatch(/^\| ➕ will create \|/);
    const second = await act({
      ...options,
      cwd,
      env: {
        ...env,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_RUN_ID: '42',
      },
      event: {
        name: 'pull_request',
        payload: { pull_request: { number: 12, head: { sha: 'abcdef1234'.repeat(4) } } },
      },
    });
    expect(second.exitCode).toBe(0);
    const comments = github!.comments.filter((c) => c.issue_number === 12);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.trimEnd().split('\n').at(-1)).toBe(
      '_Plan for abcdef1 · [workflow run](https://github.com/acme/shop/actions/runs/42)_',
    );
    expect(comments[0]!.body).toContain('### MijnKlantportaal webhooks: dry run');
    expect(comments[0]!.body).toContain('Cost of applying: 4 API calls (1 list page, 3 creates).');
    expect(comments[0]!.body).toContain('key=***');
    expect(comments[0]!.body).not.toContain('key=k3y');
  });

  it('a comment the token may not post is a warning; the run passes', async () => {
    mkp = await MkpEmulator.start();
    const env = await startGitHub();
    github!.setPermissions({ pullRequests: 'read', issues: 'read' });
    const run = await act({
      env,
      event: { name: 'pull_request', payload: { pull_request: { number: 12 } } },
      inputs: {
        'dry-run': 'true',
        'pr-comment': 'true',
        'github-token': github!.token,
        repository: 'acme/shop',
      },
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('::warning::could not post the plan comment on pull request #12');
  });

  const driftInputs = () => ({
    'drift-issue': 'true',
    'github-token': github!.token,
    repository: 'acme/shop',
  });
  const driftIssues = () => github!.issues.filter((i) => !i.pull_request);
  const on = (name: string) => ({ event: { name, payload: {} } });

  it('a scheduled dry run opens the drift issue; a scheduled apply that creates everything missing closes it', async () => {
    mkp = await MkpEmulator.start();
    const env = await startGitHub();
    const cwd = workspace(THREE);
    const inputs = driftInputs();
    await act({ cwd, env, inputs: { ...inputs, 'dry-run': 'true' }, ...on('schedule') });
    expect(driftIssues()).toHaveLength(1);
    expect(driftIssues()[0]!.state).toBe('open');
    // Drift is judged after the run's own changes; the `drift` output keeps "at the start".
    const apply = await act({ cwd, env, inputs, ...on('workflow_dispatch') });
    expect(apply.outputs.drift).toBe('true');
    expect(driftIssues()).toHaveLength(1);
    expect(driftIssues()[0]!.state).toBe('closed');
  });

  it('an apply that leaves drift (unmanaged records) keeps the issue open; one that creates all opens none', async () => {
    mkp = await MkpEmulator.start();
    const env = await startGitHub();
    const inputs = driftInputs();
    await act({ env, inputs, ...on('schedule') });
    expect(driftIssues()).toHaveLength(0);
    mkp.seed([{ type: 'offer-created', url: 'https://old.example.com/1' }]);
    await act({ env, inputs, ...on('schedule') });
    expect(driftIssues().map((i) => i.state)).toEqual(['open']);
  });

  it("a pull request's run never opens or closes it; an apply on push may close it, never open it", async () => {
    mkp = await MkpEmulator.start({
      seed: [{ type: 'offer-created', url: 'https://old.example.com/1' }],
    });
    const env = await startGitHub();
    const cwd = workspace(THREE);
    const inputs = driftInputs();
    const pr = await act({
      cwd,
      env,
      inputs: { ...inputs, 'dry-run': 'true' },
      event: { name: 'pull_request', payload: { pull_request: { number: 12 } } },
    });
    expect(driftIssues()).toHaveLength(0);
    expect(pr.stdout).toContain('drift-issue: this is a pull_request run');
    const push = await act({ cwd, env, inputs, ...on('push') });
    expect(push.exitCode).toBe(0);
    expect(driftIssues()).toHaveLength(0); // drift remains (the unmanaged record): no issue
    await act({ cwd, env, inputs: { ...inputs, 'dry-run': 'true' }, ...on('schedule') });
    expect(driftIssues().map((i) => i.state)).toEqual(['open']);
    // The fix is merged: the file declares the record; the apply on push closes the issue.
    const fixed = workspace(
      `${THREE}  - url: https://old.example.com/1\n    event: offer-created\n`,
    );
    await act({ cwd: fixed, env, inputs, ...on('pull_request') });
    expect(driftIssues().map((i) => i.state)).toEqual(['open']);
    await act({ cwd: fixed, env, inputs, ...on('push') });
    expect(driftIssues().map((i) => i.state)).toEqual(['closed']);
  });
});

describe('hostile input: nothing secret reaches a person (CONTRACT §1, §4)', () => {
  const SLACK = 'T0AAAA11/B0BBBB22/xyzSecretPathValue';
  const CHAT = `webhooks:
  - name: chat
    url: https://hooks.slack.com/services/\${SLACK_PATH}
    event: ticket-created
`;
  const written = 'https://hooks.slack.com/services/${SLACK_PATH}';
  const resolved = `https://hooks.slack.com/services/${SLACK}`;

  it('shows a ${VAR} URL in its ${VAR} form in log, summary, PR comment and drift issue; outputs keep it resolved', async () => {
    mkp = await MkpEmulator.start({
      seed: [{ type: 'offer-created', url: 'https://stray.example.com/x' }],
    });
    github = await GitHubEmulator.start();
    github.addPullRequest('acme/shop', 12);
    variables.push(SLACK);
    const cwd = workspace(CHAT);
    const env = { GITHUB_API_URL: github.url, SLACK_PATH: SLACK };
    const inputs = {
      'github-token': github.token,
      repository: 'acme/shop',
      'pr-comment': 'true',
      'drift-issue': 'true',
    };
    const onPr = await act({
      cwd,
      env,
      event: { name: 'pull_request', payload: { pull_request: { number: 12 } } },
      inputs: { ...inputs, 'dry-run': 'true' },
    });
    expect(onPr.exitCode).toBe(0);
    expect(onPr.stdout).toContain(`::add-mask::${SLACK}`);
    expect(onPr.summary).toContain(`\`${written}\``);
    expect(JSON.parse(onPr.outputs.plan!).create).toEqual([
      expect.objectContaining({ url: resolved }),
    ]);
    expect(github.comments.map((c) => c.body)).toEqual([expect.stringContaining(written)]);

    const scheduled = await act({ cwd, env, event: { name: 'schedule', payload: {} }, inputs });
    expect(scheduled.exitCode).toBe(0);
    expect(JSON.parse(scheduled.outputs.created!)).toEqual([
      expect.objectContaining({ url: resolved }),
    ]);
    expect(mkp.records.map((r) => r.url)).toContain(resolved);
    expect(github.issues.filter((i) => !i.pull_request).map((i) => i.body)).toEqual([
      expect.stringContaining(written),
    ]);
  });

  it.each([
    ['${ACTIONS_RUNTIME_TOKEN}', { ACTIONS_RUNTIME_TOKEN: 'eyJ0eXAiOiJKV1Qi.runtime' }],
    ['${GITHUB_TOKEN}', { GITHUB_TOKEN: 'ghs_runnerTokenValue0001' }],
    ['${HOOK_URL}', { HOOK_URL: 'https://x.example.com/?k=mkp-test-token' }],
  ])(
    'refuses url %s before any call: a runner variable, or a value that carries the api-token',
    async (reference, env) => {
      mkp = await MkpEmulator.start();
      variables.push(...Object.values(env));
      const yaml = `webhooks:\n  - url: https://x.example.com/${reference}\n    event: offer-created\n`;
      const run = await act({ yaml, env });
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toMatch(/::error file=webhooks\.yaml,line=2,col=10::/);
      expect(mkp.calls).toHaveLength(0);
    },
  );

  it('refuses a token with a line break before any call, and never shows it', async () => {
    mkp = await MkpEmulator.start();
    const token = 'mkp_live_AbC123\nXyZ789tail';
    const run = await act({ inputs: { 'api-token': token } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      'input `api-token` contains a control character (such as a line break)',
    );
    expect(mkp.calls).toHaveLength(0);
    expect(findLeaks({ run, secrets: [token] })).toEqual([]);
  });
});

describe('the publish phase never fails a finished apply', () => {
  const yaml = THREE;
  it.each([
    {
      what: 'a broken event payload',
      inputs: { 'pr-comment': 'true' },
      env: (dir: string) => {
        writeFileSync(join(dir, 'event.json'), '{"pull_request": {"number": 12');
        return { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: join(dir, 'event.json') };
      },
    },
    {
      what: 'an invalid GITHUB_API_URL',
      inputs: { 'drift-issue': 'true' },
      env: () => ({ GITHUB_EVENT_NAME: 'schedule', GITHUB_API_URL: 'not a url' }),
    },
    {
      what: 'an unwritable job summary',
      inputs: { 'drift-issue': 'true', 'pr-comment': 'true' },
      env: (dir: string) => ({ GITHUB_EVENT_NAME: 'schedule', GITHUB_STEP_SUMMARY: dir }),
    },
  ])('$what is a warning; the outputs and the report still come out', async ({ inputs, env }) => {
    mkp = await MkpEmulator.start();
    github = await GitHubEmulator.start();
    const cwd = workspace(yaml);
    const run = await act({
      cwd,
      inputs: {
        ...(inputs as Record<string, string>),
        'github-token': github.token,
        repository: 'acme/shop',
      },
      env: { GITHUB_API_URL: github.url, ...env(cwd) },
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/::warning::/);
    expect(run.stdout).not.toContain('::error::');
    expect(JSON.parse(run.outputs.created!)).toHaveLength(3);
    expect(Object.keys(JSON.parse(run.outputs.secrets!))).toHaveLength(3);
    expect(mkp.records).toHaveLength(3);
  });
});

describe('a cancelled run (SIGINT, then SIGTERM 7.5 s later, from the runner) leaves a record', () => {
  const TWELVE = `webhooks:
${Array.from({ length: 12 }, (_, i) => i)
  .map((i) => `  - name: h${i}\n    url: https://hooks.example.com/${i}\n    event: invoice-paid\n`)
  .join('')}`;

  it.each([
    { signal: 'SIGTERM' as const, target: 'outputs' },
    { signal: 'SIGINT' as const, target: 'repository' },
  ])(
    '$signal mid-create, secrets-target $target: no new create, outputs and "Already done", non-zero, before the runner would kill it',
    async ({ signal, target }) => {
      // Every answer takes 3 s, so the creates are under way when the signal comes.
      mkp = await MkpEmulator.start({ latencyMs: 3_000 });
      github = await GitHubEmulator.start();
      let signalled = false;
      const run = await act({
        yaml: TWELVE,
        inputs: {
          'secrets-target': target,
          'github-token': github.token,
          repository: 'acme/shop',
        },
        env: { GITHUB_API_URL: github.url, MKP_HTTP_TIMEOUT_MS: '20000' },
        onSpawn: (child) => {
          // As the runner does: the signal, and 7.5 s later the end of the process. Whatever the
          // run has not written by then is lost, so the checks below prove it reported in time.
          let kill: NodeJS.Timeout | undefined;
          const poll = setInterval(() => {
            if (mkp!.calls.some((c) => c.operation === 'create')) {
              clearInterval(poll);
              signalled = true;
              child.kill(signal);
              kill = setTimeout(() => child.kill('SIGKILL'), 7_500);
            }
          }, 20);
          child.on('exit', () => {
            clearInterval(poll);
            clearTimeout(kill);
          });
        },
      });
      expect(signalled).toBe(true);
      expect(run.exitCode).not.toBe(0);
      expect(run.stdout).toContain(`received ${signal}: the run is cancelled`);
      expect(run.summary).toContain('(cancelled)');
      expect(run.summary).toContain(`The run was cancelled (${signal})`);
      expect(run.summary).toContain('Already done:');
      expect(run.stdout).toMatch(/::error::.*Already done:/);
      for (const name of ['plan', 'created', 'secrets', 'changed', 'drift']) {
        expect(run.outputs[name]).toBeDefined();
      }
      // Creates in flight may finish on the account; none starts after the signal, and
      // everything that exists is in `created` or named as under way in the summary.
      const made = JSON.parse(run.outputs.created!) as unknown[];
      expect(mkp.records.length).toBeGreaterThanOrEqual(made.length);
      // The HTTP layer runs 8 at once: the other 4 were still to start when the signal came.
      expect(mkp.count('create')).toBeLessThanOrEqual(8);
    },
  );
});
