import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { githubClient } from '../src/github/client.js';
import { RecordingLog } from '../src/log.js';
import { reportDrift } from '../src/github/drift-issue.js';
import { postPlanComment } from '../src/github/pr-comment.js';
import { driftMarker } from '../src/report/drift-issue.js';
import { commentMarker } from '../src/report/pr-comment.js';
import { GitHubEmulator } from '../dev/emulator/github.js';

/** The PR comment and the drift issue, against the GitHub emulator (CONTRACT §3, §4). */
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

describe('plan comment', () => {
  const post = (markdown: string, configPath = 'webhooks.yaml', log = new RecordingLog()) =>
    postPlanComment({
      octokit: octokit(),
      repository,
      pullNumber: 7,
      configPath,
      markdown,
      log,
    }).then(() => log);

  it('is created once, then updated in place on later runs', async () => {
    await post('plan one');
    await post('plan two');
    const comments = github.comments.filter((c) => c.issue_number === 7);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toBe(`${commentMarker('webhooks.yaml')}\nplan two`);
    expect(github.count('POST', '/issues/7/comments')).toBe(1);
    expect(github.count('PATCH', '/issues/comments/')).toBe(1);
  });

  it('keeps one comment per config path', async () => {
    await post('a', 'webhooks.yaml');
    await post('b', 'other/webhooks.yaml');
    await post('c', 'webhooks.yaml');
    const bodies = github.comments.map((c) => c.body).sort();
    expect(bodies).toEqual([
      `${commentMarker('other/webhooks.yaml')}\nb`,
      `${commentMarker('webhooks.yaml')}\nc`,
    ]);
  });

  it('leaves other people’s comments alone', async () => {
    await fetch(`${github.url}/repos/acme/shop/issues/7/comments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${github.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'looks good' }),
    });
    await post('plan');
    expect(github.comments.map((c) => c.body)).toEqual([
      'looks good',
      `${commentMarker('webhooks.yaml')}\nplan`,
    ]);
  });

  it.each(['github-actions', 'app', 'personal'] as const)(
    'updates only the comment its own %s token wrote, never a hostile one with the marker before it',
    async (tokenKind) => {
      const gh = await GitHubEmulator.start({ tokenKind });
      try {
        process.env.GITHUB_API_URL = gh.url;
        gh.addPullRequest('acme/shop', 7);
        const marker = commentMarker('webhooks.yaml');
        const planted = (id: number, login: string, body: string, at: string) =>
          gh.comments.push({
            id,
            repository: 'acme/shop',
            issue_number: 7,
            body,
            user: { login },
            created_at: at,
            updated_at: at,
          });
        // Someone pasted the marker first: another person, and another app's bot.
        planted(11, 'mallory', `${marker}\nedit me`, '2024-01-01T00:00:00Z');
        planted(12, 'other-app[bot]', `${marker}\nnot yours`, '2024-01-01T00:00:01Z');
        const log = new RecordingLog();
        const client = githubClient(gh.token, gh.url, {
          githubWriteIntervalMs: 0,
          timeoutMs: 2_000,
        });
        const postWith = (markdown: string) =>
          postPlanComment({
            octokit: client,
            repository,
            pullNumber: 7,
            configPath: 'webhooks.yaml',
            markdown,
            log,
          });
        await postWith('plan one');
        await postWith('plan two');
        expect(gh.comments.map((c) => [c.id, c.user.login, c.body])).toEqual([
          [11, 'mallory', `${marker}\nedit me`],
          [12, 'other-app[bot]', `${marker}\nnot yours`],
          [expect.any(Number), expect.any(String), `${marker}\nplan two`],
        ]);
        expect(gh.comments[2]!.user.login).not.toBe('mallory');
        expect(gh.count('POST', '/issues/7/comments')).toBe(1);
        expect(gh.count('PATCH', '/issues/comments/')).toBe(1);
        expect(log.lines.filter((l) => l.startsWith('warning:'))).toEqual([]);
        // GET /user is what installation tokens cannot ask; the identity comes from GraphQL.
        expect(gh.count('GET', '/user')).toBe(0);
      } finally {
        process.env.GITHUB_API_URL = github.url;
        await gh.close();
      }
    },
  );

  it('posts a new comment rather than edit one when GitHub does not say who the token is', async () => {
    github.inject({ method: 'POST', pathIncludes: '/graphql', status: 502, times: 10 });
    await post('plan one');
    const log = await post('plan two');
    expect(github.comments.map((c) => c.body)).toEqual([
      `${commentMarker('webhooks.yaml')}\nplan one`,
      `${commentMarker('webhooks.yaml')}\nplan two`,
    ]);
    expect(log.lines.filter((l) => l.startsWith('warning:'))).toEqual([
      expect.stringContaining('GitHub did not say who the github-token is'),
    ]);
  });

  it('a token that cannot comment (a fork) becomes a warning, not a failure', async () => {
    github.setPermissions({ pullRequests: 'read', issues: 'read' });
    const log = await post('plan');
    expect(github.comments).toHaveLength(0);
    const warnings = log.lines.filter((l) => l.startsWith('warning:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      'could not post the plan comment on pull request #7 (GitHub answered 403',
    );
    expect(warnings[0]).toContain('pull-requests: write');
  });
});

describe('drift issue', () => {
  const report = (drifted: boolean, markdown = 'report') =>
    reportDrift({
      octokit: octokit(),
      repository,
      configPath: 'webhooks.yaml',
      drifted,
      event: 'schedule',
      mode: 'dry-run',
      markdown,
      runUrl: 'https://github.com/acme/shop/actions/runs/1',
      log: new RecordingLog(),
    });
  const driftIssues = () =>
    github.issues.filter((i) => i.body.includes(driftMarker('webhooks.yaml')));

  it('is opened on drift, updated on more drift, and closed with a comment when drift is gone', async () => {
    await report(true, 'first');
    expect(driftIssues()).toHaveLength(1);
    expect(driftIssues()[0]).toMatchObject({ state: 'open', labels: ['mkp-webhooks-drift'] });
    expect(driftIssues()[0]!.body).toContain('first');

    await report(true, 'second');
    expect(driftIssues()).toHaveLength(1);
    expect(driftIssues()[0]!.body).toContain('second');

    await report(false);
    expect(driftIssues()[0]!.state).toBe('closed');
    const closing = github.comments.filter((c) => c.issue_number === driftIssues()[0]!.number);
    expect(closing).toHaveLength(1);
    expect(closing[0]!.body).toContain('matches `webhooks.yaml` again');

    await report(true, 'third');
    expect(driftIssues().filter((i) => i.state === 'open')).toHaveLength(1);
    expect(driftIssues()).toHaveLength(2);
  });

  it('finds its issue by the marker, never by the title', async () => {
    await fetch(`${github.url}/repos/acme/shop/issues`, {
      method: 'POST',
      headers: { authorization: `Bearer ${github.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'MijnKlantportaal webhooks drifted from webhooks.yaml',
        body: 'someone else wrote this',
        labels: ['mkp-webhooks-drift'],
      }),
    });
    await report(true);
    expect(github.issues.filter((i) => !i.pull_request)).toHaveLength(2);
    expect(github.issues.find((i) => i.body === 'someone else wrote this')!.state).toBe('open');
  });

  it('never edits or closes an issue someone else opened with its marker and label', async () => {
    const marker = driftMarker('webhooks.yaml');
    github.issues.push({
      number: 3,
      repository: 'acme/shop',
      title: 'MijnKlantportaal webhooks drifted from webhooks.yaml',
      body: `${marker}\nplanted`,
      state: 'open',
      labels: ['mkp-webhooks-drift'],
      user: { login: 'mallory' },
      created_at: '2024-01-01T00:00:00Z',
      updated_at: '2024-01-01T00:00:00Z',
    });
    await report(true);
    await report(false);
    const planted = github.issues.find((i) => i.number === 3)!;
    expect([planted.body, planted.state]).toEqual([`${marker}\nplanted`, 'open']);
    const own = github.issues.filter((i) => !i.pull_request && i.number !== 3);
    expect(own.map((i) => [i.user.login, i.state])).toEqual([['github-actions[bot]', 'closed']]);
  });

  it('is left alone by the runs whose event has no say in it, which say so without asking GitHub', async () => {
    const ask = (event: string, mode: 'apply' | 'dry-run', drifted: boolean) => {
      const log = new RecordingLog();
      return reportDrift({
        octokit: octokit(),
        repository,
        configPath: 'webhooks.yaml',
        drifted,
        event,
        mode,
        markdown: 'report',
        log,
      }).then(() => log.lines);
    };
    expect(await ask('pull_request', 'apply', true)).toEqual([
      'info: drift-issue: this is a pull_request run; the drift issue is opened and closed by schedule and workflow_dispatch runs (and closed by an apply on push)',
    ]);
    expect(await ask('push', 'dry-run', true)).toHaveLength(1);
    expect(github.calls).toHaveLength(0);
    // An apply on push may close the issue, never open it.
    expect(await ask('push', 'apply', true)).toEqual([
      'info: drift-issue: drift remains; a push run may close the drift issue but not open or update it',
    ]);
    expect(driftIssues()).toHaveLength(0);
  });

  it('does nothing without drift and without an open issue', async () => {
    await report(false);
    expect(github.issues.filter((i) => !i.pull_request)).toHaveLength(0);
    expect(github.calls.filter((c) => c.method !== 'GET')).toHaveLength(0);
  });

  it('a token that cannot manage issues becomes a warning', async () => {
    github.setPermissions({ issues: 'read' });
    const log = new RecordingLog();
    await reportDrift({
      octokit: octokit(),
      repository,
      configPath: 'webhooks.yaml',
      drifted: true,
      event: 'schedule',
      mode: 'dry-run',
      markdown: 'x',
      log,
    });
    expect(log.lines.join('\n')).toContain(
      'warning: could not update the drift issue (GitHub answered 403',
    );
  });
});
