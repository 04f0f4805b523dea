import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { parseWebhooksFile } from '../src/config/load.js';
import { getOctokit } from '@actions/github';
import { readBaseFile, repositoryPath } from '../src/github/base-file.js';
import { MAX_ANSWER_BYTES } from '../src/github/client.js';
import { readRunContext } from '../src/inputs.js';
import type { RemoteWebhook } from '../src/mkp/types.js';
import { makePlan } from '../src/plan.js';
import { pullRequestChanges } from '../src/pull-request.js';
import { renderReport as reportOf } from '../src/report/summary.js';
import { syncResult } from './harness/outcomes.js';
import { GitHubEmulator } from '../dev/emulator/github.js';

/** The rendered markdown, as a reader's renderer gets it. */
const renderReport = (...args: Parameters<typeof reportOf>) => reportOf(...args).text();

/**
 * The pull request's base file: the contents endpoint as GitHub answers it (emulated), the reader
 * that never fails the run, the path from the repository root, and the pure diff of two files.
 */
const SHA = 'a'.repeat(40);
let github: GitHubEmulator | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
});

const TUNING = { githubWriteIntervalMs: 0, timeoutMs: 5_000 };
const load = (text: string) => parseWebhooksFile(text, 'webhooks.yaml', { env: {} });

async function contents(path: string, token = github!.token) {
  const answer = await fetch(`${github!.url}/repos/acme/shop/contents/${path}`, {
    headers: { authorization: `token ${token}`, accept: 'application/vnd.github+json' },
  });
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
}

/** The contents API asked for the raw media type. */
function raw(path: string, accept = 'application/vnd.github.raw+json') {
  return fetch(`${github!.url}/repos/acme/shop/contents/${path}`, {
    headers: { authorization: `token ${github!.token}`, accept },
  });
}

/** A valid webhooks file of exactly `bytes` bytes: one entry, then comment lines. */
function fileOf(bytes: number): string {
  const head = 'webhooks:\n  - url: https://a.example.com/x\n    event: invoice-paid\n';
  const line = `# ${'x'.repeat(77)}\n`;
  const lines = line.repeat(Math.floor((bytes - head.length) / line.length));
  const rest = bytes - head.length - lines.length;
  return head + lines + (rest > 0 ? `#${'y'.repeat(rest - 2)}\n` : '');
}

describe('the contents endpoint of the GitHub emulator', () => {
  it('answers a file as GitHub does: base64 in 60-character lines, size, blob sha', async () => {
    github = await GitHubEmulator.start();
    const text = `webhooks:\n${'  # a long comment line to make more than one base64 line\n'.repeat(3)}`;
    github.addCommit('acme/shop', SHA, { 'config/webhooks.yaml': text });
    const { status, body } = await contents(`config/webhooks.yaml?ref=${SHA}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ type: 'file', encoding: 'base64', path: 'config/webhooks.yaml' });
    const lines = (body.content as string).split('\n');
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.slice(0, -2).every((line) => line.length === 60)).toBe(true);
    expect(Buffer.from(body.content as string, 'base64').toString('utf8')).toBe(text);
    expect(body.size).toBe(Buffer.byteLength(text));
    // git's blob id of the text: `printf '…' | git hash-object --stdin`
    expect(body.sha).toMatch(/^[0-9a-f]{40}$/);
  });

  it('answers a file raw when asked for the raw media type, typed as GitHub types it; a folder stays JSON', async () => {
    github = await GitHubEmulator.start();
    const text = 'webhooks: []\n# é, and a line of 1 MB follows\n' + '#'.repeat(1_500_000) + '\n';
    github.addCommit('acme/shop', SHA, { 'config/webhooks.yaml': text });
    for (const [accept, type, media] of [
      ['application/vnd.github.raw+json', 'application/vnd.github.raw', 'param=raw; format=json'],
      ['application/vnd.github.raw', 'application/vnd.github.raw', 'param=raw'],
      ['application/vnd.github.v3.raw', 'application/vnd.github.v3.raw', 'param=raw'],
    ]) {
      const answer = await raw(`config/webhooks.yaml?ref=${SHA}`, accept);
      expect(answer.headers.get('content-type')).toBe(`${type}; charset=utf-8`);
      expect(answer.headers.get('x-github-media-type')).toBe(`github.v3; ${media}`);
      expect(await answer.text()).toBe(text); // past 1 MB too: raw is GitHub's way to larger files
    }
    const folder = await raw(`config?ref=${SHA}`);
    expect(folder.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await folder.json()).toEqual([
      expect.objectContaining({ type: 'file', name: 'webhooks.yaml' }),
    ]);
  });

  it('404 for a missing path or an unknown ref, a list for a folder, 403 without contents access', async () => {
    github = await GitHubEmulator.start();
    github.addCommit('acme/shop', SHA, { 'config/webhooks.yaml': 'webhooks: []\n' });
    expect((await contents(`nope.yaml?ref=${SHA}`)).status).toBe(404);
    const unknown = await contents(`config/webhooks.yaml?ref=${'c'.repeat(40)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe(`No commit found for the ref ${'c'.repeat(40)}`);
    const folder = await contents(`config?ref=${SHA}`);
    expect(folder.body).toEqual([expect.objectContaining({ type: 'file', name: 'webhooks.yaml' })]);
    github.setPermissions({ contents: 'none' });
    expect((await contents(`config/webhooks.yaml?ref=${SHA}`)).status).toBe(403);
    expect((await contents(`config/webhooks.yaml?ref=${SHA}`, 'wrong')).status).toBe(401);
  });
});

describe('readBaseFile', () => {
  const event = { number: 12, baseSha: SHA, baseRef: 'main' };
  const request = () => ({
    octokit: getOctokit(github!.token, { baseUrl: github!.url, retry: { enabled: false } }),
    githubToken: github!.token,
    githubApiUrl: github!.url,
    tuning: TUNING,
    repository: { owner: 'acme', repo: 'shop' },
    event,
    configPath: 'webhooks.yaml',
    workspace: process.cwd(),
    env: {},
  });

  it('reads and checks the base file; a path missing at a readable repository is a new file', async () => {
    github = await GitHubEmulator.start({
      repositories: [{ fullName: 'acme/shop' }],
    });
    github.addCommit('acme/shop', SHA, {
      'webhooks.yaml': 'webhooks:\n  - url: https://a.example.com/x\n    event: invoice-paid\n',
    });
    const base = await readBaseFile(request());
    expect(base.state).toBe('read');
    if (base.state === 'read') expect(base.file.subscriptions).toHaveLength(1);

    github.addCommit('acme/shop', SHA, { 'README.md': '#\n' });
    expect(await readBaseFile(request())).toEqual({ state: 'new', ref: 'main' });
  });

  it('anything else is unreadable with a reason, never an exception', async () => {
    github = await GitHubEmulator.start();
    github.addCommit('acme/shop', SHA, { 'webhooks.yaml': 'x'.repeat(1024 * 1024 + 1) });
    expect(await readBaseFile(request())).toMatchObject({
      state: 'unreadable',
      reason: expect.stringContaining('larger than 1 MB'),
    });
    github.addCommit('acme/shop', SHA, { 'webhooks.yaml/inner.yaml': 'webhooks: []\n' });
    expect(await readBaseFile(request())).toMatchObject({
      reason: expect.stringContaining('not a file'),
    });
    github.addCommit('acme/shop', SHA, { 'webhooks.yaml': 'webhooks: [\n' });
    expect(await readBaseFile(request())).toMatchObject({
      reason: expect.stringContaining("the base branch's file is invalid"),
    });
    github.inject({ pathIncludes: '/contents/', status: 500, times: Infinity });
    expect(await readBaseFile(request())).toMatchObject({
      state: 'unreadable',
      reason: expect.stringContaining('GitHub answered 500'),
    });
    expect(await readBaseFile({ ...request(), event: { ...event, baseSha: undefined } })).toEqual({
      state: 'unreadable',
      ref: 'main',
      reason: 'the event payload names no base commit',
    });
  });
});

describe('readBaseFile through the GitHub client (its wire and its 1 MiB cap)', () => {
  const event = { number: 12, baseSha: SHA, baseRef: 'main' };
  const request = () => ({
    githubToken: github!.token,
    githubApiUrl: github!.url,
    tuning: TUNING,
    repository: { owner: 'acme', repo: 'shop' },
    event,
    configPath: 'webhooks.yaml',
    workspace: process.cwd(),
    env: {},
  });

  it('reads a base file of 1 MiB, the largest a webhooks file may be, in one answer of 1 MiB', async () => {
    github = await GitHubEmulator.start();
    const text = fileOf(MAX_ANSWER_BYTES);
    expect(Buffer.byteLength(text)).toBe(MAX_ANSWER_BYTES);
    github.addCommit('acme/shop', SHA, { 'webhooks.yaml': text });
    const base = await readBaseFile(request());
    expect(base).toMatchObject({ state: 'read', file: { subscriptions: [expect.anything()] } });
    expect(github.calls.map((c) => `${c.method} ${c.status}`)).toEqual(['GET 200']);
  });

  it('a larger base file is refused at 1 MiB, unread past it: "larger than 1 MB"', async () => {
    github = await GitHubEmulator.start();
    github.addCommit('acme/shop', SHA, { 'webhooks.yaml': fileOf(MAX_ANSWER_BYTES + 1) });
    expect(await readBaseFile(request())).toMatchObject({
      state: 'unreadable',
      reason: 'webhooks.yaml is larger than 1 MB at the base commit',
    });
    github.inject({ pathIncludes: '/contents/', body: 'flood' }); // 400 MiB, streamed
    expect(await readBaseFile(request())).toMatchObject({
      reason: 'webhooks.yaml is larger than 1 MB at the base commit',
    });
    expect(github.floodBytesSent).toBeLessThan(64 * 1024 * 1024);
    expect(github.count('GET', '/contents/')).toBe(2); // never retried
  });

  it("waits for GitHub's rate limit as the other GitHub clients do, and says so in the log", async () => {
    github = await GitHubEmulator.start();
    github.addCommit('acme/shop', SHA, { 'webhooks.yaml': fileOf(200) });
    github.inject({
      pathIncludes: '/contents/',
      status: 403,
      message: 'You have exceeded a secondary rate limit.',
    });
    const waits: string[] = [];
    const base = await readBaseFile({ ...request(), onWait: (message) => waits.push(message) });
    expect(base.state).toBe('read');
    expect(waits).toEqual([
      expect.stringMatching(/^GitHub asks to wait 1 s, until .* UTC \(secondary rate limit\)/),
    ]);
  });
});

describe('repositoryPath', () => {
  it('is relative to the nearest folder holding .git, else to the workspace', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'mkp-root-'));
    mkdirSync(join(workspace, 'shop', 'config'), { recursive: true });
    writeFileSync(join(workspace, 'shop', 'config', 'webhooks.yaml'), '');
    expect(repositoryPath(join(workspace, 'shop/config/webhooks.yaml'), workspace)).toBe(
      'shop/config/webhooks.yaml',
    );
    mkdirSync(join(workspace, 'shop', '.git'));
    expect(repositoryPath(join(workspace, 'shop/config/webhooks.yaml'), workspace)).toBe(
      'config/webhooks.yaml',
    );
    expect(repositoryPath(join(workspace, '..', 'elsewhere.yaml'), workspace)).toBeUndefined();
  });
});

describe('pullRequestChanges', () => {
  const record = (id: string, type: string, url: string): RemoteWebhook => ({
    id,
    type,
    url,
  });
  const listing = [
    record('w1', 'invoice-paid', 'https://shop.example.com/mkp/a'),
    record('w2', 'invoice-paid', 'https://crm.example.com/mkp/b'),
    record('w3', 'invoice-paid', 'https://hooks.zapier.com/x'),
  ];

  it('scope changes: the patterns added and removed, and the records they move', () => {
    const base = load(
      'ignore:\n  - url: https://hooks.zapier.com/*\nwebhooks:\n  - url: https://shop.example.com/mkp/a\n    event: invoice-paid\n',
    );
    const head = load(
      'owns:\n  - https://shop.example.com/*\nwebhooks:\n  - url: https://shop.example.com/mkp/a\n    event: invoice-paid\n',
    );
    const changes = pullRequestChanges(head, { state: 'read', ref: 'main', file: base }, listing);
    expect(changes).toEqual({
      base: 'read',
      ref: 'main',
      accountRead: true,
      items: [
        { change: 'scope', key: 'owns', pattern: 'https://shop.example.com/*', edit: 'added' },
        { change: 'scope', key: 'ignore', pattern: 'https://hooks.zapier.com/*', edit: 'removed' },
        { change: 'moves', direction: 'out', records: [listing[1]] },
      ],
      // The base's unmanaged w2 is no longer pending: the PR moved it out of scope.
      pending: [],
    });

    const result = syncResult({
      mode: 'dry-run',
      file: head,
      plan: makePlan(head.subscriptions, listing, head.scope),
      target: null,
    });
    const text = renderReport(result, { pullRequest: changes });
    expect(text).toContain('- 🔭 adds `https://shop.example.com/*` in `owns`');
    expect(text).toContain('- 🔭 removes `https://hooks.zapier.com/*` in `ignore`');
    expect(text).toContain("- 🔭 moves 1 record out of this file's scope: `w2`");
    expect(text).not.toContain('Already pending');
  });

  it('gives each added and removed subscription its verdict, from both files planned against one listing', () => {
    const entries = (names: string[]) =>
      names.map((n) => `  - name: ${n}\n    url: ${URLS[n]}\n    event: invoice-paid\n`).join('');
    const URLS: Record<string, string> = {
      a: 'https://shop.example.com/mkp/a',
      b: 'https://crm.example.com/mkp/b',
      never: 'https://shop.example.com/mkp/never',
      pending: 'https://shop.example.com/mkp/pending',
      zapier: 'https://hooks.zapier.com/x',
      new: 'https://shop.example.com/mkp/new',
    };
    const base = load(`webhooks:\n${entries(['a', 'b', 'never', 'pending'])}`);
    const head = load(
      `ignore:\n  - url: https://crm.example.com/*\nwebhooks:\n${entries(['pending', 'zapier', 'new'])}`,
    );
    const verdicts = (l: typeof listing | undefined) =>
      (
        pullRequestChanges(head, { state: 'read', ref: 'main', file: base }, l) as {
          items: Array<{ change: string; subscription?: { url: string }; verdict?: string }>;
        }
      ).items
        .filter((i) => i.verdict)
        .map((i) => `${i.change} ${i.subscription!.url}: ${i.verdict}`);
    expect(verdicts(listing)).toEqual([
      'add https://hooks.zapier.com/x: already-present',
      'add https://shop.example.com/mkp/new: created-on-merge',
      'remove https://shop.example.com/mkp/a: stays-unmanaged',
      'remove https://crm.example.com/mkp/b: leaves-scope',
      'remove https://shop.example.com/mkp/never: never-created',
    ]);
    const changes = pullRequestChanges(head, { state: 'read', ref: 'main', file: base }, listing);
    expect(changes.base !== 'unreadable' && changes.pending).toEqual([
      { pending: 'create', subscription: base.subscriptions[3] },
    ]);
    // Without the account (no api-token) the same diff, and no verdict can be known.
    expect(verdicts(undefined)).toEqual([
      'add https://hooks.zapier.com/x: unchecked',
      'add https://shop.example.com/mkp/new: unchecked',
      'remove https://shop.example.com/mkp/a: unchecked',
      'remove https://crm.example.com/mkp/b: unchecked',
      'remove https://shop.example.com/mkp/never: unchecked',
    ]);
  });

  it('a removal whose record the PR also moves out of scope is not called unmanaged', () => {
    const base = load(
      'webhooks:\n  - name: crm\n    url: https://crm.example.com/mkp/b\n    event: invoice-paid\n  - url: https://shop.example.com/mkp/a\n    event: invoice-paid\n',
    );
    const head = load(
      'owns: [https://shop.example.com/*]\nwebhooks:\n  - url: https://shop.example.com/mkp/a\n    event: invoice-paid\n',
    );
    const changes = pullRequestChanges(head, { state: 'read', ref: 'main', file: base }, listing);
    const result = syncResult({
      mode: 'dry-run',
      file: head,
      plan: makePlan(head.subscriptions, listing, head.scope),
      target: null,
    });
    const text = renderReport(result, { pullRequest: changes });
    expect(text).toContain(
      "- ➖ removes `invoice-paid` → `https://crm.example.com/mkp/b`: the API cannot delete: the record stays on the account, now outside this file's scope",
    );
  });

  it('a hostile base branch name stays text in the comment', () => {
    const head = load('webhooks: []\n');
    const base = { state: 'read', ref: 'x</summary><img src=y>`', file: head } as const;
    const changes = pullRequestChanges(head, base, [listing[0]!]);
    const result = syncResult({
      mode: 'dry-run',
      file: head,
      plan: makePlan([], [listing[0]!]),
      target: null,
    });
    const text = renderReport(result, { pullRequest: changes });
    expect(text).toContain(
      '<summary>Already pending on <code>x&lt;/summary&gt;&lt;img src=y&gt;`</code>',
    );
    expect(text).not.toContain('<img');
  });
});

describe('readRunContext (the pull request a run is for)', () => {
  const payloadFile = (payload: unknown) => {
    const dir = mkdtempSync(join(tmpdir(), 'mkp-event-'));
    const path = join(dir, 'event.json');
    writeFileSync(path, typeof payload === 'string' ? payload : JSON.stringify(payload));
    return path;
  };
  const sha = 'f'.repeat(40);

  it('reads base.sha and base.ref on pull_request and pull_request_target, nothing on other events', () => {
    const path = payloadFile({ pull_request: { number: 7, base: { sha, ref: 'main' } } });
    for (const name of ['pull_request', 'pull_request_target']) {
      expect(
        readRunContext({
          GITHUB_EVENT_NAME: name,
          GITHUB_EVENT_PATH: path,
          GITHUB_WORKSPACE: '/w',
        }),
      ).toEqual({ pullRequest: { number: 7, baseSha: sha, baseRef: 'main' }, workspace: '/w' });
    }
    expect(readRunContext({ GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: path }).pullRequest).toBe(
      undefined,
    );
  });

  it('an unreadable payload or a base sha that is not a commit id leaves the base unknown', () => {
    const unknown = { number: undefined, baseSha: undefined, baseRef: undefined };
    expect(
      readRunContext({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: payloadFile('{') })
        .pullRequest,
    ).toEqual(unknown);
    expect(readRunContext({ GITHUB_EVENT_NAME: 'pull_request' }).pullRequest).toEqual(unknown);
    const odd = payloadFile({ pull_request: { base: { sha: '../../etc', ref: 7 } } });
    expect(
      readRunContext({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: odd }).pullRequest,
    ).toEqual(unknown);
  });
});
