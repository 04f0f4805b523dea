import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { githubClient } from '../src/github/client.js';
import { reportDrift } from '../src/github/drift-issue.js';
import { markedBy } from '../src/github/marker.js';
import { postPlanComment } from '../src/github/pr-comment.js';
import { RecordingLog } from '../src/log.js';
import { driftMarker } from '../src/report/drift-issue.js';
import { commentMarker } from '../src/report/pr-comment.js';
import { GitHubEmulator } from '../dev/emulator/github.js';
import { MkpEmulator } from '../src/emulator/mkp.js';
import { runAction } from '../dev/harness/action-runner.js';

/**
 * The action's hidden markers are matched only as a body's first line (`^marker\r?$`, CONTRACT
 * §4), besides the ownership check. Issue 22, finding 3: prod.yaml in a pull request carried
 * the marker of staging.yaml inside an `ignore` pattern; the step for staging.yaml found prod's
 * comment by `includes(marker)` (the same token wrote both) and overwrote it, so no comment
 * showed that the pull request adds a webhook to attacker.example.
 */
const STAGING = commentMarker('staging.yaml');

describe('markedBy', () => {
  it('is the first line, with LF or CRLF line ends, and nothing else', () => {
    expect(markedBy(`${STAGING}\nplan`, STAGING)).toBe(true);
    expect(markedBy(`${STAGING}\r\nplan\r\n`, STAGING)).toBe(true);
    expect(markedBy(STAGING, STAGING)).toBe(true);
    expect(markedBy(`plan\n${STAGING}`, STAGING)).toBe(false);
    expect(markedBy(`- adds \`https://x.example.com/${STAGING}*\`\n`, STAGING)).toBe(false);
    expect(markedBy(` ${STAGING}\nplan`, STAGING)).toBe(false);
    expect(markedBy(`${STAGING} \nplan`, STAGING)).toBe(false);
    expect(markedBy(`${STAGING}x\nplan`, STAGING)).toBe(false);
    expect(markedBy(`${STAGING}\r\r\nplan`, STAGING)).toBe(false);
    expect(markedBy(`${commentMarker('staging.yaml.old')}\nplan`, STAGING)).toBe(false);
    expect(markedBy('', STAGING)).toBe(false);
    expect(markedBy(null, STAGING)).toBe(false);
  });
});

describe('against the GitHub emulator', () => {
  let github: GitHubEmulator;
  beforeEach(async () => {
    github = await GitHubEmulator.start();
    process.env.GITHUB_API_URL = github.url;
    github.addPullRequest('acme/shop', 7);
  });
  afterEach(async () => {
    delete process.env.GITHUB_API_URL;
    await github.close();
  });
  const repository = { owner: 'acme', repo: 'shop' };
  const octokit = () =>
    githubClient(github.token, github.url, { githubWriteIntervalMs: 0, timeoutMs: 2_000 });
  /** Writes as the action's own token would: the ownership check passes. */
  const write = (path: string, body: Record<string, unknown>) =>
    fetch(`${github.url}/repos/acme/shop/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${github.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const postPlan = (configPath: string, markdown: string) =>
    postPlanComment({
      octokit: octokit(),
      repository,
      pullNumber: 7,
      configPath,
      markdown,
      log: new RecordingLog(),
    });

  it('the plan comment of one config is never taken for another’s that quotes its marker', async () => {
    const prod = `${commentMarker('prod.yaml')}\n- 🔭 adds \`https://x.example.com/${STAGING}*\` in \`ignore\``;
    await write('issues/7/comments', { body: prod });
    await postPlan('staging.yaml', 'staging plan');
    expect(github.comments.map((c) => c.body)).toEqual([prod, `${STAGING}\nstaging plan`]);
  });

  it('finds its own comment after a web edit turned its line ends into CRLF', async () => {
    await write('issues/7/comments', { body: `${STAGING}\r\nedited on the web\r\n` });
    await postPlan('staging.yaml', 'staging plan');
    expect(github.comments.map((c) => c.body)).toEqual([`${STAGING}\nstaging plan`]);
  });

  it('the drift issue of one config is never taken for another’s that quotes its marker', async () => {
    const marker = driftMarker('staging.yaml');
    const prod = `${driftMarker('prod.yaml')}\n- ⚠️ \`https://x.example.com/${marker}\`: on the account, not declared`;
    await write('issues', { title: 'prod drifted', body: prod, labels: ['mkp-webhooks-drift'] });
    const report = (drifted: boolean) =>
      reportDrift({
        octokit: octokit(),
        repository,
        configPath: 'staging.yaml',
        drifted,
        event: 'schedule',
        mode: 'dry-run',
        markdown: 'staging report',
        log: new RecordingLog(),
      });
    await report(false); // no drift for staging: it must not close prod's issue
    await report(true);
    const issues = github.issues.filter((i) => !i.pull_request);
    expect(issues.map((i) => [i.title, i.state])).toEqual([
      ['prod drifted', 'open'],
      ['MijnKlantportaal webhooks drifted from staging.yaml', 'open'],
    ]);
    expect(issues[0]!.body).toBe(prod);
  });
});

describe('finding 3 end to end: the built action, one step per config on a pull request', () => {
  let mkp: MkpEmulator | undefined;
  let github: GitHubEmulator | undefined;
  afterEach(async () => {
    await Promise.all([mkp?.close(), github?.close()]);
    mkp = github = undefined;
  });

  it('the staging step does not overwrite the prod comment that quotes its marker', async () => {
    mkp = await MkpEmulator.start();
    github = await GitHubEmulator.start();
    github.addPullRequest('acme/shop', 12);
    const base = 'b'.repeat(40);
    const staging =
      'webhooks:\n  - url: https://staging.example.com/hook\n    event: invoice-paid\n';
    const prodBefore =
      'webhooks:\n  - url: https://prod.example.com/hook\n    event: invoice-paid\n';
    github.addCommit('acme/shop', base, { 'staging.yaml': staging, 'prod.yaml': prodBefore });
    const cwd = mkdtempSync(join(tmpdir(), 'mkp-markers-'));
    writeFileSync(join(cwd, 'staging.yaml'), staging);
    writeFileSync(
      join(cwd, 'prod.yaml'),
      [
        'ignore:',
        `  - url: "https://x.example.com/${STAGING}*"`,
        prodBefore,
        '  - url: https://attacker.example/hook',
        '    event: invoice-created',
        '',
      ].join('\n'),
    );
    const step = (config: string) =>
      runAction({
        cwd,
        event: {
          name: 'pull_request',
          payload: { pull_request: { number: 12, base: { sha: base, ref: 'main' } } },
        },
        inputs: {
          config,
          'api-token': mkp!.token,
          'api-url': mkp!.baseUrl,
          'dry-run': 'true',
          'pr-comment': 'true',
          'github-token': github!.token,
          repository: 'acme/shop',
        },
        env: { GITHUB_API_URL: github!.url, MKP_RETRY_BASE_MS: '5' },
      });
    expect((await step('prod.yaml')).exitCode).toBe(0);
    // The attack needs prod's comment to hold staging's marker: it does, inside the pattern.
    expect(github.comments.map((c) => c.body)).toEqual([expect.stringContaining(STAGING)]);
    expect((await step('staging.yaml')).exitCode).toBe(0);

    const comments = github.comments.map((c) => c.body);
    expect(comments).toHaveLength(2);
    const prod = comments.find((b) => markedBy(b, commentMarker('prod.yaml')));
    const own = comments.find((b) => markedBy(b, STAGING));
    expect(prod).toContain('attacker.example');
    expect(own).toContain('staging.example.com');
    expect(own).not.toContain('attacker.example');
    expect(github.count('PATCH', '/issues/comments/')).toBe(0);
  });
});
