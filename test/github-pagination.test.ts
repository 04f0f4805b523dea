import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { githubClient, POSTS_PER_PAGE } from '../src/github/client.js';
import { RecordingLog } from '../src/log.js';
import { reportDrift } from '../src/github/drift-issue.js';
import { postPlanComment } from '../src/github/pr-comment.js';
import { GitHubSecretsTarget } from '../src/github/secrets.js';
import { driftMarker } from '../src/report/drift-issue.js';
import { commentMarker } from '../src/report/pr-comment.js';
import { GitHubEmulator } from '../dev/emulator/github.js';
import { settingsFor } from './harness/settings.js';
import { markup } from '../src/text/encoders.js';

/**
 * Lists longer than one page (GitHub's Link header; secrets 100 a page, comments and issues
 * POSTS_PER_PAGE): every item is found, and the number of calls is the number of pages, never
 * more. Every answer stays within 1 MiB (CONTRACT §4), a page of the largest posts included.
 */
let github: GitHubEmulator;

async function start(repositories = 1): Promise<GitHubEmulator> {
  github = await GitHubEmulator.start({
    repositories: Array.from({ length: repositories }, (_, i) => ({
      fullName: i === 0 ? 'acme/shop' : `acme/repo-${i}`,
      id: 1001 + i,
    })),
  });
  process.env.GITHUB_API_URL = github.url;
  return github;
}

const repository = { owner: 'acme', repo: 'shop' };
const TUNING = { githubWriteIntervalMs: 0, timeoutMs: 5_000 };
const listings = (path: string) =>
  github.calls.filter((c) => c.method === 'GET' && c.path.includes(path));

function target(inputs: Record<string, string>) {
  return new GitHubSecretsTarget(
    settingsFor(
      { 'api-token': 'k', 'github-token': github.token, repository: 'acme/shop', ...inputs },
      { MKP_GITHUB_WRITE_INTERVAL_MS: '0', GITHUB_API_URL: github.url },
    ),
  );
}

describe('paginated GitHub lists', () => {
  afterEach(async () => {
    delete process.env.GITHUB_API_URL;
    await github.close();
  });

  it.each([
    [99, 1],
    [100, 1],
    [101, 2],
    [250, 3],
  ])('%i repository secrets are read in %i call(s), every one of them', async (n, calls) => {
    await start();
    const scope = { kind: 'repository', repository: 'acme/shop' } as const;
    for (let i = 0; i < n; i++) github.putSecret(scope, `S${String(i).padStart(3, '0')}`, 'v');
    const existing = await target({ 'secrets-target': 'repository' }).prepare();
    expect(existing.updatedAt.size).toBe(n);
    expect(listings('/actions/secrets?').length).toBe(calls);
  });

  it('keeps all 150 selected repositories of an organization secret when rewriting it', async () => {
    await start(150);
    const scope = { kind: 'organization', organization: 'acme' } as const;
    const ids = Array.from({ length: 150 }, (_, i) => 1001 + i);
    github.putSecret(scope, 'SHARED', 'old', {
      visibility: 'selected',
      selected_repository_ids: ids,
    });
    const secrets = target({ 'secrets-target': 'organization' });
    await secrets.prepare();
    await secrets.write('shared', 'new');
    expect(github.secrets(scope)[0]!.selected_repository_ids).toEqual(ids);
    expect(github.decrypt(scope, 'SHARED')).toBe('new');
    expect(listings('/SHARED/repositories').length).toBe(2);
  });

  /** A pull request with `n` comments, the last the action's own (GitHub lists oldest first). */
  function comments(n: number, body = (i: number) => `comment ${i}`): void {
    github.addPullRequest('acme/shop', 7);
    const at = new Date(Date.UTC(2026, 0, 1)).getTime();
    for (let i = 0; i < n; i++) {
      const ours = i === n - 1;
      github.comments.push({
        id: 5000 + i,
        repository: 'acme/shop',
        issue_number: 7,
        body: ours ? `${commentMarker('webhooks.yaml').text()}\nold plan` : body(i),
        user: { login: ours ? 'github-actions[bot]' : 'octocat' },
        created_at: new Date(at + i * 1000).toISOString(),
        updated_at: new Date(at + i * 1000).toISOString(),
      });
    }
  }

  async function comment(options: Parameters<typeof githubClient>[3] = {}): Promise<RecordingLog> {
    const log = new RecordingLog();
    await postPlanComment({
      octokit: githubClient(github.token, github.url, TUNING, options),
      repository,
      pullNumber: 7,
      configPath: 'webhooks.yaml',
      markdown: markup`new plan`,
      scrub: (text) => text,
      log,
    });
    return log;
  }

  it.each([
    [3, 1],
    [150, 2],
  ])('finds its own plan comment among %i comments in %i listing calls', async (n, calls) => {
    await start();
    comments(n);
    await comment();
    expect(github.comments).toHaveLength(n);
    expect(github.comments[n - 1]!.body).toBe(`${commentMarker('webhooks.yaml').text()}\nnew plan`);
    expect(github.count('PATCH', '/issues/comments/')).toBe(1);
    expect(github.count('POST', '/comments')).toBe(0);
    expect(listings('/issues/7/comments').length).toBe(calls);
    expect(listings('/issues/7/comments').every((c) => c.path.includes('per_page=100'))).toBe(true);
  });

  it('lists comments again 2 a page when a page of 100 passes 1 MiB: the longest comments GitHub allows', async () => {
    expect(POSTS_PER_PAGE).toBe(2);
    await start();
    // 65,536 characters, each sent as 6 bytes of JSON (\u0001): 384 KiB a comment.
    comments(8, (i) => String.fromCharCode(1 + i).repeat(65_536));
    const log = await comment();
    expect(log.lines.filter((line) => line.startsWith('warning:'))).toEqual([]);
    expect(github.comments[7]!.body).toBe(`${commentMarker('webhooks.yaml').text()}\nnew plan`);
    // The page of 100, refused unread, then four pages of 2.
    const calls = listings('/issues/7/comments').map((c) => /per_page=(\d+)/.exec(c.path)?.[1]);
    expect(calls).toEqual(['100', '2', '2', '2', '2']);
  });

  it('no GitHub answer passes 1 MiB, whatever cap a caller asks for', async () => {
    await start();
    comments(2);
    // Every listing floods: the page of 100 and the pages of 2 it is read again in.
    github.inject({ method: 'GET', pathIncludes: '/issues/7/comments', body: 'flood', times: 2 });
    const log = await comment({ maxAnswerBytes: 48 * 1024 * 1024 });
    expect(log.lines.join('\n')).toContain(
      'GitHub answered 200 with a body over 1 MiB, refused unread (check GITHUB_API_URL)',
    );
    expect(github.floodBytesSent).toBeLessThan(64 * 1024 * 1024);
    expect(listings('/issues/7/comments')).toHaveLength(2);
  });

  /** `n` open labeled issues, the oldest the action's own drift issue (listed last). */
  function driftIssues(n: number, body = (i: number) => `issue ${i}`): void {
    const at = new Date(Date.UTC(2026, 0, 1)).getTime();
    for (let i = 1; i <= n; i++) {
      const ours = i === 1;
      github.issues.push({
        number: i,
        repository: 'acme/shop',
        title: `issue ${i}`,
        body: ours ? `${driftMarker('webhooks.yaml').text()}\nold` : body(i),
        state: 'open',
        labels: ['mkp-webhooks-drift'],
        user: { login: ours ? 'github-actions[bot]' : 'octocat' },
        created_at: new Date(at + i * 1000).toISOString(),
        updated_at: new Date(at + i * 1000).toISOString(),
      });
    }
  }

  async function drift(): Promise<RecordingLog> {
    const log = new RecordingLog();
    await reportDrift({
      octokit: githubClient(github.token, github.url, TUNING),
      repository,
      configPath: 'webhooks.yaml',
      drifted: true,
      event: 'schedule',
      mode: 'dry-run',
      markdown: markup`drift`,
      scrub: (text) => text,
      log,
    });
    return log;
  }

  it('finds its own drift issue among 130 open labeled issues in 2 listing calls', async () => {
    await start();
    driftIssues(130);
    await drift();
    expect(github.issues).toHaveLength(130);
    expect(github.issues[0]!.body).toContain('drift');
    expect(github.count('PATCH', '/issues/1')).toBe(1);
    expect(github.count('POST', '/issues')).toBe(0);
    expect(listings('/repos/acme/shop/issues?').length).toBe(2);
  });

  it('finds it among issues of the longest body GitHub allows, every page within 1 MiB', async () => {
    await start();
    driftIssues(7, (i) => String.fromCharCode(i).repeat(65_536));
    const log = await drift();
    expect(log.lines.filter((line) => line.startsWith('warning:'))).toEqual([]);
    expect(github.count('PATCH', '/issues/1')).toBe(1);
    // The page of 100, refused unread, then four pages of 2.
    expect(listings('/repos/acme/shop/issues?').length).toBe(5);
  });
});

describe('a next-page link to another origin', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    servers.length = 0;
  });
  async function serve(answer: (req: IncomingMessage) => { body: unknown; link?: string }) {
    const seen: IncomingMessage[] = [];
    const server = createServer((req, res) => {
      seen.push(req);
      const { body, link } = answer(req);
      res.writeHead(200, { 'content-type': 'application/json', ...(link ? { link } : {}) });
      res.end(JSON.stringify(body));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
  }

  it('is not followed: the github-token never leaves the API origin', async () => {
    const elsewhere = await serve(() => ({ body: [] }));
    const api = await serve((req) =>
      req.url?.includes('/public-key')
        ? { body: { key_id: '1', key: Buffer.alloc(32).toString('base64') } }
        : req.url?.includes('/secrets')
          ? {
              body: { total_count: 2, secrets: [{ name: 'A' }] },
              link: `<${elsewhere.url}/repos/acme/shop/actions/secrets?per_page=100&page=2>; rel="next"`,
            }
          : { body: [], link: `<${elsewhere.url}/repos/acme/shop/issues?page=2>; rel="next"` },
    );
    const log = new RecordingLog();
    await reportDrift({
      octokit: githubClient('gh-token', api.url, TUNING),
      repository,
      configPath: 'webhooks.yaml',
      drifted: true,
      event: 'schedule',
      mode: 'dry-run',
      markdown: markup`drift`,
      scrub: (text) => text,
      log,
    });
    expect(log.lines.join('\n')).toContain('the github-token is not sent there');

    const secrets = new GitHubSecretsTarget({
      secretsTarget: 'repository',
      repository,
      environment: undefined,
      organization: undefined,
      githubToken: 'gh-token',
      githubApiUrl: api.url,
      tuning: TUNING,
    });
    await expect(secrets.prepare()).rejects.toThrow(/not sent there/);
    expect(elsewhere.seen).toHaveLength(0);
    expect(api.seen.length).toBeGreaterThan(0);
  });
});
