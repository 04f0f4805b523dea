import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import MarkdownIt from 'markdown-it';
import { GitHubEmulator } from '../dev/emulator/github.js';
import { runAction, type ActionRun } from '../dev/harness/action-runner.js';
import { runCli } from '../dev/harness/processes.js';
import { MkpEmulator } from '../src/emulator/mkp.js';

/**
 * Issue 22's findings 2, 5 and 6, reproduced against the built action and CLI on the loopback
 * emulators: text from the pull request's file, the account's records and the API reaches a
 * reader's renderer, the runner and the terminal as text, and a `${VAR}` path token is never
 * shown. (Findings 1, 3, 4, 7, 8 and 9 have theirs: config-symlink, markers, config-quotes,
 * import-write, listing-end and malformed-answers.)
 */
let mkp: MkpEmulator | undefined;
let github: GitHubEmulator | undefined;
afterEach(async () => {
  await Promise.all([mkp?.close(), github?.close()]);
  mkp = github = undefined;
});

const BASE = 'b'.repeat(40);
const RUN_URL = 'https://github.com/acme/shop/actions/runs/7';
const renderer = new MarkdownIt({ html: true });

/** What a reader's renderer makes of a body: its links and images, and the text outside code. */
function rendered(markdown: string) {
  const html = renderer.render(markdown);
  const links = [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);
  const text = html
    .replace(/<(code|pre)>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(
      /&(lt|gt|quot|amp);/g,
      (_, e: string) => ({ lt: '<', gt: '>', quot: '"', amp: '&' })[e]!,
    );
  return { html, links, text };
}

/** A body with no image, no raw HTML of the attack, no link but the run's, no live mention. */
function expectInert(markdown: string) {
  const { html, links, text } = rendered(markdown);
  expect(html).not.toMatch(/<img|<script|<iframe/i);
  expect(links.every((href) => href === RUN_URL)).toBe(true);
  expect(text).not.toMatch(/(^|[^\w`])@acme/);
  expect(text).not.toMatch(/https?:\/\/evil|www\.evil/);
}

function workspace(files: Record<string, string>): string {
  const cwd = mkdtempSync(join(tmpdir(), 'mkp-untrusted-'));
  for (const [path, text] of Object.entries(files)) writeFileSync(join(cwd, path), text);
  return cwd;
}

async function pullRequestRun(cwd: string, env: Record<string, string> = {}): Promise<ActionRun> {
  return runAction({
    cwd,
    event: {
      name: 'pull_request',
      payload: {
        pull_request: {
          number: 12,
          head: { sha: 'c'.repeat(40) },
          base: { sha: BASE, ref: 'main' },
        },
      },
    },
    inputs: {
      'api-token': mkp!.token,
      'api-url': mkp!.baseUrl,
      'dry-run': 'true',
      'pr-comment': 'true',
      'github-token': github!.token,
      repository: 'acme/shop',
    },
    env: {
      GITHUB_API_URL: github!.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_RUN_ID: '7',
      MKP_RETRY_BASE_MS: '5',
      ...env,
    },
  });
}

describe('finding 2: markdown from the file, the account and the parser stays text', () => {
  it('a pattern in "This pull request", a query key in the table, a parser message in the PR comment', async () => {
    mkp = await MkpEmulator.start();
    github = await GitHubEmulator.start();
    github.addPullRequest('acme/shop', 12);
    const before = 'webhooks:\n  - url: https://shop.example.com/hook\n    event: invoice-paid\n';
    github.addCommit('acme/shop', BASE, { 'webhooks.yaml': before });
    const hostile =
      '`` @acme/security-team [LGTM](https://evil.example) ![](https://evil.example/t.png)';
    const cwd = workspace({
      'webhooks.yaml': [
        'ignore:',
        `  - url: 'https://x.example/${hostile.replace(/'/g, "''")}*'`,
        'webhooks:',
        '  - url: https://shop.example.com/hook',
        '    event: invoice-paid',
        // A URL holds no whitespace: the same attack, without it.
        `  - url: 'https://shop.example.com/q?${hostile.replace(/ /g, '')}=1'`,
        '    event: invoice-created',
        '',
      ].join('\n'),
    });
    const run = await pullRequestRun(cwd);
    if (run.exitCode !== 0) throw new Error(run.stdout);
    const [comment] = github.comments.map((c) => c.body);
    // The attack's text is there, as text: the reader sees what the pull request wrote.
    expect(comment).toContain('security-team');
    expect(rendered(comment!).html).toContain('security-team');
    expectInert(comment!);
    expectInert(run.summary);

    // The same file made invalid: the parser's message quotes the line.
    writeFileSync(
      join(cwd, 'webhooks.yaml'),
      'webhooks: |x @acme/security-team please approve: [LGTM](https://evil.example) ![](https://evil.example/t.png)\n',
    );
    const invalid = await pullRequestRun(cwd);
    expect(invalid.exitCode).toBe(1);
    const bodies = github.comments.map((c) => c.body);
    expect(bodies).toHaveLength(1); // updated in place
    expect(bodies[0]).toContain('is invalid');
    expectInert(bodies[0]!);
    expectInert(invalid.summary);
  });

  it('a record URL someone else created on the account, in the drift issue', async () => {
    mkp = await MkpEmulator.start({
      seed: [
        {
          type: 'invoice-paid',
          url: 'https://evil.example/x?``@acme/security-team[LGTM](https://evil.example)![](https://evil.example/t.png)=1',
        },
      ],
    });
    github = await GitHubEmulator.start();
    const cwd = workspace({
      'webhooks.yaml':
        'webhooks:\n  - url: https://shop.example.com/hook\n    event: invoice-paid\n',
    });
    const run = await runAction({
      cwd,
      event: { name: 'schedule', payload: {} },
      inputs: {
        'api-token': mkp.token,
        'api-url': mkp.baseUrl,
        'dry-run': 'true',
        'drift-issue': 'true',
        'github-token': github.token,
        repository: 'acme/shop',
      },
      env: {
        GITHUB_API_URL: github.url,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_RUN_ID: '7',
        MKP_RETRY_BASE_MS: '5',
      },
    });
    expect(run.exitCode).toBe(0);
    const issue = github.issues.find((i) => !i.pull_request);
    expect(issue?.body).toContain('security-team');
    expectInert(issue!.body);
  });
});

describe('finding 5: a `${VAR}` value with a token in its path is never shown', () => {
  const TOKEN = 'Tk-7f3e9a2b41';
  const VALUE = `https://billing.example.com/hooks/${TOKEN}?tenant=acme`;
  const entry = (events: string[]) =>
    `webhooks:\n  - url: \${BILLING_HOOK_URL}\n    events: [${events.join(', ')}]\n`;

  function expectHidden(run: ActionRun, bodies: string[] = []) {
    for (const text of [run.stdout, run.stderr, run.summary, run.outputs.plan ?? '', ...bodies]) {
      // The plan output is for machines and keeps URLs whole; everything else is for people.
      if (text === run.outputs.plan) continue;
      // `::add-mask::` hands the value to the runner, which never prints it.
      expect(text.replace(/^::add-mask::.*$/gm, '')).not.toContain(TOKEN);
    }
  }

  it('a pull request drops one event: the record it leaves is shown in `${VAR}` form', async () => {
    mkp = await MkpEmulator.start({
      seed: [
        { type: 'invoice-paid', url: VALUE },
        { type: 'invoice-created', url: VALUE },
      ],
    });
    github = await GitHubEmulator.start();
    github.addPullRequest('acme/shop', 12);
    github.addCommit('acme/shop', BASE, {
      'webhooks.yaml': entry(['invoice-paid', 'invoice-created']),
    });
    const cwd = workspace({ 'webhooks.yaml': entry(['invoice-paid']) });
    const run = await pullRequestRun(cwd, { BILLING_HOOK_URL: VALUE });
    expect(run.exitCode).toBe(0);
    const bodies = github.comments.map((c) => c.body);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain('${BILLING_HOOK_URL}');
    expect(bodies[0]).toContain('removes');
    expectHidden(run, bodies);
  });

  it('the API stores it with a trailing slash: the message names the variable and what differs', async () => {
    mkp = await MkpEmulator.start({
      seed: [
        { type: 'invoice-paid', url: `https://billing.example.com/hooks/${TOKEN}/?tenant=acme` },
      ],
    });
    github = await GitHubEmulator.start();
    const cwd = workspace({ 'webhooks.yaml': entry(['invoice-paid']) });
    const run = await runAction({
      cwd,
      inputs: { 'api-token': mkp.token, 'api-url': mkp.baseUrl },
      env: { BILLING_HOOK_URL: VALUE, MKP_RETRY_BASE_MS: '5' },
    });
    expect(run.exitCode).toBe(1); // the create guard: nothing created, said as an error
    expect(mkp.records).toHaveLength(1);
    expect(run.stdout).toContain('the API added a trailing slash');
    expect(run.stdout).toContain('`${BILLING_HOOK_URL}`');
    expectHidden(run);
  });
});

describe('finding 6: the CLI sends no terminal escape from the account or the file', () => {
  // eslint-disable-next-line no-control-regex
  const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

  it('plan shows a record id and type with OSC 52, a title change and erase-line as escapes', async () => {
    mkp = await MkpEmulator.start();
    mkp.records.push({
      id: 'wbh_\u001b]52;c;ZWNobyBoaQ==\u0007',
      type: 'invoice-paid\u001b]0;pwned\u0007\u001b[2K\r',
      url: 'https://other.example.com/hook',
      secret: 's'.repeat(32),
      createdAt: '2026-01-01T00:00:00Z',
    });
    const cwd = workspace({
      'webhooks.yaml':
        'webhooks:\n  - url: https://shop.example.com/hook\n    event: invoice-paid\n',
    });
    const run = await runCli(['plan'], {
      cwd,
      env: { MKP_API_TOKEN: mkp.token, MKP_API_URL: mkp.baseUrl },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('\\x1b]52;c;');
    expect(CONTROL.test(run.stdout)).toBe(false);
    expect(CONTROL.test(run.stderr)).toBe(false);
  });

  it('validate shows ESC sequences from the file as escapes, not over its own error line', async () => {
    const cwd = workspace({
      'webhooks.yaml':
        'webhooks:\n  - url: https://shop.example.com/hook\n    event: "invoice-paid\u001b[1A\u001b[2K\u009b2K"\n',
    });
    const run = await runCli(['validate'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('\\x1b[1A');
    expect(CONTROL.test(run.stdout)).toBe(false);
    expect(CONTROL.test(run.stderr)).toBe(false);
  });
});
