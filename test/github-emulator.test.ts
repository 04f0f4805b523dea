import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import sodium from 'libsodium-wrappers';
import {
  GitHubEmulator,
  type GitHubEmulatorOptions,
  type SecretScope,
} from '../dev/emulator/github.js';

// Real HTTP against the emulator on a loopback port, with Node's fetch and with the Octokit of
// @actions/github: no mocks. What the action relies on is checked the way GitHub answers it.

let emulator: GitHubEmulator | undefined;

async function start(options?: GitHubEmulatorOptions): Promise<GitHubEmulator> {
  emulator = await GitHubEmulator.start(options);
  return emulator;
}

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

beforeAll(async () => {
  await sodium.ready;
});

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

async function api(
  gh: GitHubEmulator,
  method: string,
  path: string,
  body?: unknown,
  authorization: string | null = `token ${gh.token}`,
): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/vnd.github+json' };
  if (authorization !== null) headers.authorization = authorization;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${gh.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
  };
}

/** Seals `value` for the scope whose public key is at `keyPath`, as the action does. */
async function sealFor(
  gh: GitHubEmulator,
  keyPath: string,
  value: string,
): Promise<{ encrypted_value: string; key_id: string }> {
  const { body } = await api(gh, 'GET', keyPath);
  const { key, key_id } = body as { key: string; key_id: string };
  const sealed = sodium.crypto_box_seal(
    value,
    sodium.from_base64(key, sodium.base64_variants.ORIGINAL),
  );
  return { encrypted_value: sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL), key_id };
}

const REPO: SecretScope = { kind: 'repository', repository: 'acme/shop' };
const ENV: SecretScope = {
  kind: 'environment',
  repository: 'acme/shop',
  environment: 'production',
};
const ORG: SecretScope = { kind: 'organization', organization: 'acme' };
const REPO_SECRETS = '/repos/acme/shop/actions/secrets';
const ENV_SECRETS = '/repos/acme/shop/environments/production/secrets';
const ORG_SECRETS = '/orgs/acme/actions/secrets';

/** The Link header as { rel: 'page=N' or full URL }. */
function links(headers: Headers): Record<string, string> {
  const result: Record<string, string> = {};
  for (const part of (headers.get('link') ?? '').split(', ').filter((p) => p !== '')) {
    const match = /^<([^>]+)>; rel="(\w+)"$/.exec(part);
    if (!match) throw new Error(`malformed link ${part}`);
    result[match[2]!] = match[1]!;
  }
  return result;
}

describe('repository secrets', () => {
  it('takes a value sealed with its public key: 201 when created, 204 when updated', async () => {
    const gh = await start();
    const key = await api(gh, 'GET', `${REPO_SECRETS}/public-key`);
    expect(key.status).toBe(200);
    expect(key.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const { key: publicKey, key_id } = key.body as { key: string; key_id: string };
    expect(sodium.from_base64(publicKey, sodium.base64_variants.ORIGINAL)).toHaveLength(32);
    expect(key_id).toMatch(/^\d+$/);

    const created = await api(
      gh,
      'PUT',
      `${REPO_SECRETS}/mkp_hook`,
      await sealFor(gh, `${REPO_SECRETS}/public-key`, 's3cr3t'),
    );
    expect(created.status).toBe(201);
    expect(created.body).toEqual({});
    expect(gh.decrypt(REPO, 'MKP_HOOK')).toBe('s3cr3t');
    expect(gh.decrypt(REPO, 'mkp_hook')).toBe('s3cr3t');

    const updated = await api(
      gh,
      'PUT',
      `${REPO_SECRETS}/MKP_HOOK`,
      await sealFor(gh, `${REPO_SECRETS}/public-key`, 'n3w'),
    );
    expect(updated.status).toBe(204);
    expect(updated.body).toBeUndefined();
    expect(gh.decrypt(REPO, 'MKP_HOOK')).toBe('n3w');

    const stored = gh.secrets(REPO);
    expect(stored.map((s) => s.name)).toEqual(['MKP_HOOK']);
    expect(stored[0]!.key_id).toBe(key_id);
    expect(stored[0]!.visibility).toBeUndefined();

    const got = await api(gh, 'GET', `${REPO_SECRETS}/mkp_hook`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual({
      name: 'MKP_HOOK',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      updated_at: expect.any(String),
    });
    expect((await api(gh, 'GET', `${REPO_SECRETS}/NOPE`)).status).toBe(404);
    expect(gh.decrypt(REPO, 'NOPE')).toBeUndefined();
  });

  it('dates updated_at and its Date header by its own clock, which may be off (clockOffsetMs)', async () => {
    const offset = -3_600_000;
    const gh = await start({ clockOffsetMs: offset });
    const before = Date.now();
    await api(
      gh,
      'PUT',
      `${REPO_SECRETS}/MKP_HOOK`,
      await sealFor(gh, `${REPO_SECRETS}/public-key`, 'x'),
    );
    const got = await api(gh, 'GET', `${REPO_SECRETS}/MKP_HOOK`);
    const updated = Date.parse((got.body as { updated_at: string }).updated_at);
    // Whole seconds, an hour behind this machine's clock.
    expect(updated).toBeGreaterThanOrEqual(before + offset - 1_000);
    expect(updated).toBeLessThanOrEqual(Date.now() + offset);
    const date = Date.parse(got.headers.get('date')!);
    expect(Math.abs(date - (Date.now() + offset))).toBeLessThan(5_000);
  });

  it('keeps the key id stable and gives every scope its own key pair', async () => {
    const gh = await start();
    const a = (await api(gh, 'GET', `${REPO_SECRETS}/public-key`)).body as {
      key: string;
      key_id: string;
    };
    const b = (await api(gh, 'GET', `${REPO_SECRETS}/public-key`)).body as {
      key: string;
      key_id: string;
    };
    const env = (await api(gh, 'GET', `${ENV_SECRETS}/public-key`)).body as {
      key: string;
      key_id: string;
    };
    const org = (await api(gh, 'GET', `${ORG_SECRETS}/public-key`)).body as {
      key: string;
      key_id: string;
    };
    expect(b).toEqual(a);
    expect(new Set([a.key, env.key, org.key]).size).toBe(3);
    expect(new Set([a.key_id, env.key_id, org.key_id]).size).toBe(3);
  });

  it('refuses what it cannot open, a stale key id and bad names with 422', async () => {
    const gh = await start();
    const good = await sealFor(gh, `${REPO_SECRETS}/public-key`, 'v');
    const wrongKey = await api(gh, 'PUT', `${REPO_SECRETS}/A`, { ...good, key_id: '123' });
    expect(wrongKey.status).toBe(422);
    expect(wrongKey.body).toMatchObject({
      message: expect.stringContaining('improperly encrypted'),
      status: '422',
    });

    // Sealed for another scope's key: base64 and key id fine, but it does not open.
    const forEnv = await sealFor(gh, `${ENV_SECRETS}/public-key`, 'v');
    expect(
      (await api(gh, 'PUT', `${REPO_SECRETS}/A`, { ...forEnv, key_id: good.key_id })).status,
    ).toBe(422);
    expect(
      (await api(gh, 'PUT', `${REPO_SECRETS}/A`, { ...good, encrypted_value: 'not base64!' }))
        .status,
    ).toBe(422);
    const noKeyId = await api(gh, 'PUT', `${REPO_SECRETS}/A`, {
      encrypted_value: good.encrypted_value,
    });
    expect(noKeyId.status).toBe(422);
    expect((noKeyId.body as { message: string }).message).toContain('"key_id" wasn\'t supplied');
    expect((await api(gh, 'PUT', `${REPO_SECRETS}/1ABC`, good)).status).toBe(422);
    expect((await api(gh, 'PUT', `${REPO_SECRETS}/BAD-NAME`, good)).status).toBe(422);
    expect((await api(gh, 'PUT', `${REPO_SECRETS}/github_token`, good)).status).toBe(422);
    expect(gh.secrets(REPO)).toEqual([]);

    // After a key rotation, the old key id is refused; what was stored stays readable.
    expect((await api(gh, 'PUT', `${REPO_SECRETS}/A`, good)).status).toBe(201);
    const newKeyId = gh.rotateKey(REPO);
    expect(newKeyId).not.toBe(good.key_id);
    expect((await api(gh, 'PUT', `${REPO_SECRETS}/A`, good)).status).toBe(422);
    expect(gh.decrypt(REPO, 'A')).toBe('v');
  });

  it('paginates the list with Link headers like github.com', async () => {
    const gh = await start();
    for (const name of ['E', 'A', 'D', 'C', 'B']) gh.putSecret(REPO, name, `value of ${name}`);

    const first = await api(gh, 'GET', `${REPO_SECRETS}?per_page=2`);
    expect(first.body).toEqual({
      total_count: 5,
      secrets: [expect.objectContaining({ name: 'A' }), expect.objectContaining({ name: 'B' })],
    });
    expect(first.headers.get('link')).toBe(
      `<${gh.url}${REPO_SECRETS}?per_page=2&page=2>; rel="next", <${gh.url}${REPO_SECRETS}?per_page=2&page=3>; rel="last"`,
    );

    const second = await api(gh, 'GET', `${REPO_SECRETS}?per_page=2&page=2`);
    expect(
      (second.body as { secrets: Array<{ name: string }> }).secrets.map((s) => s.name),
    ).toEqual(['C', 'D']);
    expect(Object.keys(links(second.headers))).toEqual(['prev', 'next', 'last', 'first']);
    expect(links(second.headers).prev).toBe(`${gh.url}${REPO_SECRETS}?per_page=2&page=1`);

    const third = await api(gh, 'GET', `${REPO_SECRETS}?per_page=2&page=3`);
    expect((third.body as { secrets: unknown[] }).secrets).toHaveLength(1);
    expect(Object.keys(links(third.headers))).toEqual(['prev', 'first']);

    // Default 30 and at most 100: one page, no Link header.
    expect((await api(gh, 'GET', REPO_SECRETS)).headers.get('link')).toBeNull();
    expect((await api(gh, 'GET', `${REPO_SECRETS}?per_page=500`)).headers.get('link')).toBeNull();
    for (let i = 0; i < 101; i++) gh.putSecret(REPO, `S${i}`, 'x');
    const capped = await api(gh, 'GET', `${REPO_SECRETS}?per_page=500`);
    expect((capped.body as { secrets: unknown[] }).secrets).toHaveLength(100);
    expect(links(capped.headers).next).toBe(`${gh.url}${REPO_SECRETS}?per_page=500&page=2`);
    const defaults = await api(gh, 'GET', REPO_SECRETS);
    expect((defaults.body as { secrets: unknown[] }).secrets).toHaveLength(30);
    expect(links(defaults.headers).last).toBe(`${gh.url}${REPO_SECRETS}?page=4`);
  });
});

describe('environment secrets', () => {
  it('works under the environment path and answers 404 for an unknown environment', async () => {
    const gh = await start();
    const put = await api(
      gh,
      'PUT',
      `${ENV_SECRETS}/DEPLOY`,
      await sealFor(gh, `${ENV_SECRETS}/public-key`, 'env-value'),
    );
    expect(put.status).toBe(201);
    expect(gh.decrypt(ENV, 'DEPLOY')).toBe('env-value');
    expect(gh.secrets(REPO)).toEqual([]);
    expect(((await api(gh, 'GET', ENV_SECRETS)).body as { total_count: number }).total_count).toBe(
      1,
    );

    const unknown = await api(
      gh,
      'GET',
      '/repos/acme/shop/environments/staging/secrets/public-key',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ message: 'Not Found', status: '404' });
    expect((await api(gh, 'GET', '/repos/acme/nope/environments/production/secrets')).status).toBe(
      404,
    );
  });
});

describe('organization secrets', () => {
  it('requires visibility and keeps it, with the selected repositories', async () => {
    const gh = await start({
      repositories: [
        { fullName: 'acme/shop', id: 1001, environments: ['production'] },
        { fullName: 'acme/site', id: 1002 },
      ],
    });
    const sealed = await sealFor(gh, `${ORG_SECRETS}/public-key`, 'org-value');
    const without = await api(gh, 'PUT', `${ORG_SECRETS}/SHARED`, sealed);
    expect(without.status).toBe(422);
    expect((without.body as { message: string }).message).toContain(
      '"visibility" wasn\'t supplied',
    );
    expect(
      (await api(gh, 'PUT', `${ORG_SECRETS}/SHARED`, { ...sealed, visibility: 'public' })).status,
    ).toBe(422);

    const created = await api(gh, 'PUT', `${ORG_SECRETS}/SHARED`, {
      ...sealed,
      visibility: 'selected',
      selected_repository_ids: [1002],
    });
    expect(created.status).toBe(201);
    expect(gh.decrypt(ORG, 'SHARED')).toBe('org-value');
    expect(gh.secrets(ORG)[0]).toMatchObject({
      visibility: 'selected',
      selected_repository_ids: [1002],
    });

    const listed = await api(gh, 'GET', ORG_SECRETS);
    expect(listed.body).toEqual({
      total_count: 1,
      secrets: [
        {
          name: 'SHARED',
          created_at: expect.any(String),
          updated_at: expect.any(String),
          visibility: 'selected',
          selected_repositories_url: `${gh.url}/orgs/acme/actions/secrets/SHARED/repositories`,
        },
      ],
    });
    const repos = await api(gh, 'GET', `${ORG_SECRETS}/shared/repositories?per_page=100&page=1`);
    expect(repos.status).toBe(200);
    expect(repos.body).toEqual({
      total_count: 1,
      repositories: [expect.objectContaining({ id: 1002, full_name: 'acme/site', name: 'site' })],
    });

    // An update keeps the selection when it sends it again, and changes visibility when asked.
    const again = await sealFor(gh, `${ORG_SECRETS}/public-key`, 'org-value-2');
    expect(
      (
        await api(gh, 'PUT', `${ORG_SECRETS}/SHARED`, {
          ...again,
          visibility: 'selected',
          selected_repository_ids: [1002],
        })
      ).status,
    ).toBe(204);
    expect(gh.secrets(ORG)[0]).toMatchObject({
      visibility: 'selected',
      selected_repository_ids: [1002],
    });
    expect(
      (await api(gh, 'PUT', `${ORG_SECRETS}/SHARED`, { ...again, visibility: 'private' })).status,
    ).toBe(204);
    const got = await api(gh, 'GET', `${ORG_SECRETS}/SHARED`);
    expect(got.body).toMatchObject({ name: 'SHARED', visibility: 'private' });
    expect(got.body).not.toHaveProperty('selected_repositories_url');
    expect((await api(gh, 'GET', `${ORG_SECRETS}/SHARED/repositories`)).status).toBe(409);

    // Seeded secrets list their visibility too; an unknown organization is 404.
    gh.putSecret(ORG, 'SEEDED', 'x', { visibility: 'all' });
    const seeded = await api(gh, 'GET', `${ORG_SECRETS}/SEEDED`);
    expect(seeded.body).toMatchObject({ visibility: 'all' });
    expect((await api(gh, 'GET', '/orgs/other/actions/secrets')).status).toBe(404);
    expect(
      (
        await api(gh, 'PUT', `${ORG_SECRETS}/X`, {
          ...again,
          visibility: 'selected',
          selected_repository_ids: [9999],
        })
      ).status,
    ).toBe(422);
  });
});

describe('auth and permissions', () => {
  it('answers 401 Bad credentials to a missing or wrong token, and takes token or Bearer', async () => {
    const gh = await start({ token: 'right' });
    const missing = await api(gh, 'GET', REPO_SECRETS, undefined, null);
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({
      message: 'Bad credentials',
      documentation_url: 'https://docs.github.com/rest',
      status: '401',
    });
    expect((await api(gh, 'GET', REPO_SECRETS, undefined, 'token wrong')).status).toBe(401);
    expect((await api(gh, 'GET', REPO_SECRETS, undefined, 'Bearer right')).status).toBe(200);
    expect((await api(gh, 'GET', REPO_SECRETS, undefined, 'token right')).status).toBe(200);
  });

  it('answers 403 Resource not accessible by integration by permission', async () => {
    const gh = await start({ permissions: { secrets: 'read' } });
    gh.addPullRequest('acme/shop', 7);
    const sealed = await sealFor(gh, `${REPO_SECRETS}/public-key`, 'v');
    const denied = await api(gh, 'PUT', `${REPO_SECRETS}/A`, sealed);
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({
      message: 'Resource not accessible by integration',
      status: '403',
    });
    expect(denied.headers.get('x-accepted-github-permissions')).toBe('secrets=write');
    expect((await api(gh, 'GET', REPO_SECRETS)).status).toBe(200);

    gh.setPermissions({ secrets: 'none' });
    expect((await api(gh, 'GET', `${REPO_SECRETS}/public-key`)).status).toBe(403);

    gh.setPermissions({ secrets: 'write', environments: 'none' });
    expect((await api(gh, 'GET', `${ENV_SECRETS}/public-key`)).status).toBe(403);
    gh.setPermissions({ orgSecrets: 'none' });
    expect((await api(gh, 'GET', `${ORG_SECRETS}/public-key`)).status).toBe(403);

    gh.setPermissions({ issues: 'none', pullRequests: 'write' });
    expect((await api(gh, 'GET', '/repos/acme/shop/issues')).status).toBe(403);
    expect((await api(gh, 'POST', '/repos/acme/shop/issues', { title: 't' })).status).toBe(403);
    // On a pull request either permission will do.
    expect(
      (await api(gh, 'POST', '/repos/acme/shop/issues/7/comments', { body: 'plan' })).status,
    ).toBe(201);
    gh.setPermissions({ issues: 'write', pullRequests: 'none' });
    expect(
      (await api(gh, 'POST', '/repos/acme/shop/issues/7/comments', { body: 'plan 2' })).status,
    ).toBe(201);
    gh.setPermissions({ issues: 'read', pullRequests: 'read' });
    expect(
      (await api(gh, 'POST', '/repos/acme/shop/issues/7/comments', { body: 'plan 3' })).status,
    ).toBe(403);
    expect((await api(gh, 'GET', '/repos/acme/shop/issues/7/comments')).status).toBe(200);
  });

  it('answers 404 to unknown repositories and routes, with rate-limit headers', async () => {
    const gh = await start();
    const unknown = await api(gh, 'GET', '/repos/acme/nope/actions/secrets');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ message: 'Not Found', status: '404' });
    expect((await api(gh, 'GET', '/repos/acme/shop/something/else')).status).toBe(404);
    for (const header of ['limit', 'remaining', 'reset', 'used']) {
      expect(unknown.headers.get(`x-ratelimit-${header}`)).toMatch(/^\d+$/);
    }
    expect(unknown.headers.get('x-ratelimit-resource')).toBe('core');
    expect((await api(gh, 'GET', '/repos/ACME/Shop')).body).toMatchObject({
      id: 1001,
      full_name: 'acme/shop',
    });
  });
});

describe('issues and comments', () => {
  it('creates, lists by state and labels (newest first), updates and closes issues', async () => {
    const gh = await start();
    const created = await api(gh, 'POST', '/repos/acme/shop/issues', {
      title: 'Drift',
      body: 'found drift',
      labels: ['mkp-webhooks', 'bug'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      number: 1,
      title: 'Drift',
      body: 'found drift',
      state: 'open',
      labels: [
        expect.objectContaining({ name: 'mkp-webhooks' }),
        expect.objectContaining({ name: 'bug' }),
      ],
      user: { login: 'github-actions[bot]', type: 'Bot' },
    });
    expect(created.body).not.toHaveProperty('pull_request');
    await api(gh, 'POST', '/repos/acme/shop/issues', { title: 'Other', labels: ['mkp-webhooks'] });
    gh.addPullRequest('acme/shop', 3);
    expect((await api(gh, 'POST', '/repos/acme/shop/issues', { body: 'no title' })).status).toBe(
      422,
    );
    expect(gh.issues.map((i) => i.number)).toEqual([1, 2, 3]);

    const open = await api(gh, 'GET', '/repos/acme/shop/issues');
    expect((open.body as Array<{ number: number }>).map((i) => i.number)).toEqual([3, 2, 1]);
    expect((open.body as Array<{ pull_request?: unknown }>)[0]!.pull_request).toBeDefined();
    const labelled = await api(
      gh,
      'GET',
      '/repos/acme/shop/issues?state=open&labels=mkp-webhooks,BUG',
    );
    expect((labelled.body as Array<{ number: number }>).map((i) => i.number)).toEqual([1]);
    const paged = await api(gh, 'GET', '/repos/acme/shop/issues?labels=mkp-webhooks&per_page=1');
    expect((paged.body as Array<{ number: number }>).map((i) => i.number)).toEqual([2]);
    expect(links(paged.headers).next).toBe(
      `${gh.url}/repos/acme/shop/issues?labels=mkp-webhooks&per_page=1&page=2`,
    );

    const patched = await api(gh, 'PATCH', '/repos/acme/shop/issues/1', { body: 'still drifting' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ number: 1, body: 'still drifting', title: 'Drift' });
    const closed = await api(gh, 'PATCH', '/repos/acme/shop/issues/1', {
      state: 'closed',
      state_reason: 'completed',
    });
    expect(closed.body).toMatchObject({
      state: 'closed',
      state_reason: 'completed',
      closed_at: expect.any(String),
    });
    expect(gh.issues[0]!.state).toBe('closed');
    expect((await api(gh, 'PATCH', '/repos/acme/shop/issues/1', { state: 'gone' })).status).toBe(
      422,
    );

    const afterClose = await api(gh, 'GET', '/repos/acme/shop/issues?labels=mkp-webhooks');
    expect((afterClose.body as Array<{ number: number }>).map((i) => i.number)).toEqual([2]);
    const closedList = await api(gh, 'GET', '/repos/acme/shop/issues?state=closed');
    expect((closedList.body as Array<{ number: number }>).map((i) => i.number)).toEqual([1]);
    const all = await api(gh, 'GET', '/repos/acme/shop/issues?state=all');
    expect((all.body as unknown[]).length).toBe(3);
    expect((await api(gh, 'GET', '/repos/acme/shop/issues/1')).body).toMatchObject({
      state: 'closed',
    });
    expect((await api(gh, 'GET', '/repos/acme/shop/issues/99')).status).toBe(404);
    expect((await api(gh, 'PATCH', '/repos/acme/shop/issues/99', { body: 'x' })).status).toBe(404);
  });

  it('creates, lists (oldest first, paginated) and updates comments, on issues and PRs', async () => {
    const gh = await start();
    gh.addPullRequest('acme/shop', 12);
    gh.issues.push({
      number: 13,
      repository: 'acme/shop',
      title: 'seeded',
      body: '',
      state: 'open',
      labels: [],
      user: { login: 'octocat' },
      created_at: '2024-01-01T00:00:00Z',
      updated_at: '2024-01-01T00:00:00Z',
    });
    const ids: number[] = [];
    for (const body of ['one', 'two', 'three']) {
      const posted = await api(gh, 'POST', '/repos/acme/shop/issues/12/comments', { body });
      expect(posted.status).toBe(201);
      ids.push((posted.body as { id: number }).id);
    }
    expect(new Set(ids).size).toBe(3);
    expect(
      (await api(gh, 'POST', '/repos/acme/shop/issues/13/comments', { body: 'on issue' })).status,
    ).toBe(201);
    expect(
      (await api(gh, 'POST', '/repos/acme/shop/issues/14/comments', { body: 'x' })).status,
    ).toBe(404);
    expect((await api(gh, 'POST', '/repos/acme/shop/issues/12/comments', {})).status).toBe(422);

    const page1 = await api(gh, 'GET', '/repos/acme/shop/issues/12/comments?per_page=2');
    expect((page1.body as Array<{ body: string }>).map((c) => c.body)).toEqual(['one', 'two']);
    const page2 = await api(gh, 'GET', links(page1.headers).next!.slice(gh.url.length));
    expect((page2.body as Array<{ body: string }>).map((c) => c.body)).toEqual(['three']);
    expect((page2.body as Array<Record<string, unknown>>)[0]).toMatchObject({
      id: ids[2],
      user: { login: 'github-actions[bot]' },
      issue_url: `${gh.url}/repos/acme/shop/issues/12`,
      html_url: `https://github.com/acme/shop/pull/12#issuecomment-${ids[2]}`,
    });

    const updated = await api(gh, 'PATCH', `/repos/acme/shop/issues/comments/${ids[1]}`, {
      body: 'two, edited',
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id: ids[1], body: 'two, edited' });
    expect(gh.comments.find((c) => c.id === ids[1])!.body).toBe('two, edited');
    expect(
      (await api(gh, 'PATCH', '/repos/acme/shop/issues/comments/1', { body: 'x' })).status,
    ).toBe(404);
    expect(
      (await api(gh, 'POST', '/repos/acme/shop/issues/12/comments', { body: 'x'.repeat(65537) }))
        .status,
    ).toBe(422);
    expect((await api(gh, 'GET', '/repos/acme/shop/issues/12')).body).toMatchObject({
      comments: 3,
    });
  });
});

describe('faults and call records', () => {
  it('answers injected statuses for the next matching calls, and records every call', async () => {
    const gh = await start();
    gh.inject({ method: 'put', pathIncludes: '/actions/secrets/A', status: 503, times: 2 });
    gh.inject({ pathIncludes: '/issues', status: 500, message: 'Server Error' });
    const sealed = await sealFor(gh, `${REPO_SECRETS}/public-key`, 'v');

    const failed = await api(gh, 'PUT', `${REPO_SECRETS}/A`, sealed);
    expect(failed.status).toBe(503);
    expect(failed.body).toMatchObject({ message: 'Service Unavailable', status: '503' });
    expect((await api(gh, 'GET', `${REPO_SECRETS}/A`)).status).toBe(404); // method filter
    expect((await api(gh, 'PUT', `${REPO_SECRETS}/A`, sealed)).status).toBe(503);
    expect((await api(gh, 'PUT', `${REPO_SECRETS}/A`, sealed)).status).toBe(201);
    const issue = await api(gh, 'GET', '/repos/acme/shop/issues?state=all');
    expect(issue.status).toBe(500);
    expect(issue.body).toMatchObject({ message: 'Server Error' });
    expect((await api(gh, 'GET', '/repos/acme/shop/issues?state=all')).status).toBe(200);

    gh.inject({ pathIncludes: '/public-key', status: 429, times: Infinity });
    for (let i = 0; i < 3; i++) {
      const limited = await api(gh, 'GET', `${REPO_SECRETS}/public-key`);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(limited.headers.get('retry-after')).toBe('1');
    }

    expect(gh.count('PUT', `${REPO_SECRETS}/A`)).toBe(3);
    expect(gh.count('get', '/issues?state=all')).toBe(2);
    const put = gh.calls.find((c) => c.method === 'PUT')!;
    expect(put).toMatchObject({ path: `${REPO_SECRETS}/A`, status: 503, body: sealed });
    expect(typeof put.at).toBe('number');
    expect(gh.calls.every((c) => c.status > 0)).toBe(true);
  });
});

describe('faults around the handling of a call', () => {
  const scope: SecretScope = { kind: 'repository', repository: 'acme/shop' };

  it('drops a connection before handling (nothing stored) or after it (stored)', async () => {
    const gh = await start();
    const sealed = await sealFor(gh, `${REPO_SECRETS}/public-key`, 'v');
    gh.inject({ method: 'PUT', pathIncludes: '/A', drop: true });
    await expect(api(gh, 'PUT', `${REPO_SECRETS}/A`, sealed)).rejects.toThrow();
    expect(gh.secrets(scope).map((s) => s.name)).toEqual([]);
    gh.inject({ method: 'PUT', pathIncludes: '/A', drop: true, after: true });
    await expect(api(gh, 'PUT', `${REPO_SECRETS}/A`, sealed)).rejects.toThrow();
    expect(gh.decrypt(scope, 'A')).toBe('v');
  });

  it('answers a status after handling the call, and answers late with delayMs', async () => {
    const gh = await start();
    const sealed = await sealFor(gh, `${REPO_SECRETS}/public-key`, 'v');
    gh.inject({ method: 'PUT', pathIncludes: '/A', status: 502, after: true });
    expect((await api(gh, 'PUT', `${REPO_SECRETS}/A`, sealed)).status).toBe(502);
    expect(gh.decrypt(scope, 'A')).toBe('v');
    gh.inject({ method: 'PUT', pathIncludes: '/A', delayMs: 300 });
    const started = Date.now();
    expect((await api(gh, 'PUT', `${REPO_SECRETS}/A`, sealed)).status).toBe(204);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
  it('garbles bodies: half a JSON or text/plain after handling, an HTML page instead of it', async () => {
    const gh = await start();
    const sealed = await sealFor(gh, `${REPO_SECRETS}/public-key`, 'v');
    const raw = async (name: string) => {
      const response = await fetch(`${gh.url}${REPO_SECRETS}/${name}`, {
        method: 'PUT',
        headers: { authorization: `token ${gh.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(sealed),
      });
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        text: await response.text(),
      };
    };
    gh.inject({ method: 'PUT', pathIncludes: '/A', body: 'malformed-json' });
    expect(await raw('A')).toEqual({
      status: 201,
      type: 'application/json; charset=utf-8',
      text: '{',
    });
    expect(gh.decrypt(scope, 'A')).toBe('v');
    gh.inject({ method: 'PUT', pathIncludes: '/A', body: 'malformed-json' });
    // An update (204 without a body) becomes a 201 with half of `{}` too.
    expect(await raw('A')).toMatchObject({ status: 201, text: '{' });
    gh.inject({ method: 'PUT', pathIncludes: '/B', body: 'text' });
    expect(await raw('B')).toEqual({ status: 201, type: 'text/plain', text: 'OK' });
    expect(gh.decrypt(scope, 'B')).toBe('v');
    gh.inject({ method: 'PUT', pathIncludes: '/C', body: 'html' });
    const html = await raw('C');
    expect(html).toMatchObject({ status: 502, type: 'text/html' });
    expect(html.text).toMatch(/^<!DOCTYPE html>/);
    expect(gh.secrets(scope).map((s) => s.name)).not.toContain('C');
  });
});

describe('moments and schedules (issue 23: kills at an exact call, seeded soaks)', () => {
  it('a fault with skip lets that many matching calls through first', async () => {
    const gh = await start();
    const sealed = await sealFor(gh, `${REPO_SECRETS}/public-key`, 'v');
    gh.inject({ method: 'PUT', pathIncludes: '/actions/secrets/', status: 500, skip: 2, times: 2 });
    const statuses: number[] = [];
    for (const name of ['A', 'B', 'C', 'D', 'E']) {
      statuses.push((await api(gh, 'PUT', `${REPO_SECRETS}/${name}`, sealed)).status);
    }
    expect(statuses).toEqual([201, 201, 500, 500, 201]);
  });

  it('tells a watcher of each call received (before it is handled) and answered or dropped', async () => {
    const gh = await start();
    const scope: SecretScope = { kind: 'repository', repository: 'acme/shop' };
    const sealed = await sealFor(gh, `${REPO_SECRETS}/public-key`, 'v');
    const seen: string[] = [];
    gh.onCall((call, moment) => {
      if (call.method === 'PUT') seen.push(`${moment} ${gh.secrets(scope).length}`);
    });
    await api(gh, 'PUT', `${REPO_SECRETS}/A`, sealed);
    gh.inject({ method: 'PUT', pathIncludes: '/B', drop: true, after: true });
    await expect(api(gh, 'PUT', `${REPO_SECRETS}/B`, sealed)).rejects.toThrow();
    expect(seen).toEqual(['received 0', 'answered 1', 'received 1', 'answered 2']);
  });
});

describe('Octokit from @actions/github', () => {
  it('is happy with the answers: public key, secret write, paginate, comment', async () => {
    const gh = await start();
    gh.addPullRequest('acme/shop', 5);
    for (let i = 0; i < 5; i++) gh.putSecret(REPO, `SEEDED_${i}`, 'x');
    const octokit = getOctokit(gh.token, { baseUrl: gh.url });
    const repo = { owner: 'acme', repo: 'shop' };

    const { data: key } = await octokit.rest.actions.getRepoPublicKey(repo);
    const sealed = sodium.crypto_box_seal(
      'from-octokit',
      sodium.from_base64(key.key, sodium.base64_variants.ORIGINAL),
    );
    const created = await octokit.rest.actions.createOrUpdateRepoSecret({
      ...repo,
      secret_name: 'OCTO',
      encrypted_value: sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL),
      key_id: key.key_id,
    });
    expect(created.status).toBe(201);
    expect(gh.decrypt(REPO, 'OCTO')).toBe('from-octokit');

    const secrets = await octokit.paginate(octokit.rest.actions.listRepoSecrets, {
      ...repo,
      per_page: 2,
    });
    expect(secrets.map((s) => s.name)).toEqual([
      'OCTO',
      ...[0, 1, 2, 3, 4].map((i) => `SEEDED_${i}`),
    ]);
    expect(gh.count('GET', `${REPO_SECRETS}?per_page=2`)).toBe(3);

    const { data: comment, status } = await octokit.rest.issues.createComment({
      ...repo,
      issue_number: 5,
      body: 'the plan',
    });
    expect(status).toBe(201);
    expect(comment.body).toBe('the plan');
    expect(gh.comments).toEqual([expect.objectContaining({ issue_number: 5, body: 'the plan' })]);

    await expect(
      octokit.rest.issues.createComment({ ...repo, issue_number: 404, body: 'x' }),
    ).rejects.toMatchObject({
      status: 404,
    });
  });
});

describe('who a token is (three kinds of token)', () => {
  it.each([
    ['github-actions', 'github-actions[bot]', 403],
    ['app', 'mkp-sync[bot]', 403],
    ['personal', 'octo-dev', 200],
  ] as const)(
    'a %s token: GET /user answers %s, GraphQL viewer names %s with the id its comments carry',
    async (tokenKind, login, userStatus) => {
      const gh = await GitHubEmulator.start({ tokenKind });
      try {
        gh.addPullRequest('acme/shop', 5);
        const user = await api(gh, 'GET', '/user');
        expect(user.status).toBe(userStatus);
        if (userStatus === 403) {
          expect(user.body).toMatchObject({ message: 'Resource not accessible by integration' });
        }
        const viewer = await api(gh, 'POST', '/graphql', {
          query: 'query { viewer { login databaseId } }',
        });
        const posted = await api(gh, 'POST', '/repos/acme/shop/issues/5/comments', { body: 'x' });
        const author = (posted.body as { user: { id: number; login: string } }).user;
        expect(viewer.body).toEqual({ data: { viewer: { login, databaseId: author.id } } });
        expect(author.login).toBe(login);
        expect((posted.body as Record<string, unknown>).performed_via_github_app).toEqual(
          tokenKind === 'personal' ? null : { slug: login.replace('[bot]', '') },
        );
      } finally {
        await gh.close();
      }
    },
  );
});

describe('faults of issue 26: rate limits, redirects, odd answers, the cap', () => {
  it('answers both wordings of a secondary limit with retry-after and the budget left alone', async () => {
    const gh = await start();
    gh.inject(
      {
        pathIncludes: '/public-key',
        status: 403,
        message: 'You have exceeded a secondary rate limit.',
      },
      {
        pathIncludes: '/public-key',
        status: 403,
        message: 'You have triggered an abuse detection mechanism.',
        retryAfter: 'Wed, 09 Dec 2026 10:00:00 GMT',
      },
      {
        pathIncludes: '/public-key',
        status: 429,
        message: 'You have exceeded a secondary rate limit.',
        retryAfter: null,
      },
    );
    const secondary = await api(gh, 'GET', `${REPO_SECRETS}/public-key`);
    expect(secondary.status).toBe(403);
    expect(secondary.headers.get('retry-after')).toBe('1');
    expect(secondary.headers.get('x-ratelimit-remaining')).not.toBe('0');
    expect(secondary.body).toMatchObject({
      documentation_url: expect.stringContaining('#about-secondary-rate-limits'),
    });
    const abuse = await api(gh, 'GET', `${REPO_SECRETS}/public-key`);
    expect(abuse.headers.get('retry-after')).toBe('Wed, 09 Dec 2026 10:00:00 GMT');
    expect(abuse.body).toMatchObject({
      documentation_url: expect.stringContaining('#abuse-rate-limits'),
    });
    const bare = await api(gh, 'GET', `${REPO_SECRETS}/public-key`);
    expect(bare.status).toBe(429);
    expect(bare.headers.get('retry-after')).toBeNull();
  });

  it('answers a primary limit far away with its reset and no retry-after', async () => {
    const gh = await start();
    const reset = Math.floor(Date.now() / 1000) + 3600;
    gh.inject({
      pathIncludes: '/public-key',
      status: 403,
      message: 'API rate limit exceeded',
      rateLimitReset: reset,
    });
    const limited = await api(gh, 'GET', `${REPO_SECRETS}/public-key`);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-reset')).toBe(String(reset));
    expect(limited.headers.get('retry-after')).toBeNull();
  });

  it('redirects a call elsewhere without handling it', async () => {
    const gh = await start();
    const sealed = await sealFor(gh, `${REPO_SECRETS}/public-key`, 'v');
    gh.inject({
      method: 'PUT',
      pathIncludes: '/A',
      redirect: { to: 'http://127.0.0.1:9', status: 307 },
    });
    const response = await fetch(`${gh.url}${REPO_SECRETS}/A?x=1`, {
      method: 'PUT',
      headers: { authorization: `token ${gh.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(sealed),
      redirect: 'manual',
    });
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe(`http://127.0.0.1:9${REPO_SECRETS}/A?x=1`);
    expect(gh.secrets(REPO)).toEqual([]);
  });

  it('answers given JSON instead of handling the call', async () => {
    const gh = await start();
    gh.inject({ pathIncludes: '/public-key', json: { key_id: '1', key: 'AAAA' } });
    const answer = await api(gh, 'GET', `${REPO_SECRETS}/public-key`);
    expect(answer).toMatchObject({ status: 200, body: { key_id: '1', key: 'AAAA' } });
  });

  it('floods an answer until the client hangs up', async () => {
    const gh = await start();
    gh.inject({ pathIncludes: '/public-key', body: 'flood' });
    const response = await fetch(`${gh.url}${REPO_SECRETS}/public-key`, {
      headers: { authorization: `token ${gh.token}` },
    });
    expect(response.headers.get('content-length')).toBeNull();
    const reader = response.body!.getReader();
    let read = 0;
    while (read < 2 * 1024 * 1024) read += (await reader.read()).value!.byteLength;
    await reader.cancel();
    expect(gh.floodBytesSent).toBeLessThan(64 * 1024 * 1024);
  });

  it('rotates a key after answering a call', async () => {
    const gh = await start();
    const before = (await api(gh, 'GET', `${REPO_SECRETS}/public-key`)).body as { key_id: string };
    gh.inject({ method: 'GET', pathIncludes: '/public-key', rotateKeyOf: REPO });
    const answered = (await api(gh, 'GET', `${REPO_SECRETS}/public-key`)).body as {
      key_id: string;
    };
    const after = (await api(gh, 'GET', `${REPO_SECRETS}/public-key`)).body as { key_id: string };
    expect(answered.key_id).toBe(before.key_id);
    expect(after.key_id).not.toBe(before.key_id);
  });

  it('refuses a new secret past the scope’s cap, and still updates one that is there', async () => {
    const gh = await start({ secretCaps: { repository: 1 } });
    const sealed = await sealFor(gh, `${REPO_SECRETS}/public-key`, 'v');
    expect((await api(gh, 'PUT', `${REPO_SECRETS}/A`, sealed)).status).toBe(201);
    const refused = await api(gh, 'PUT', `${REPO_SECRETS}/B`, sealed);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ message: 'Maximum number of secrets reached' });
    expect((await api(gh, 'PUT', `${REPO_SECRETS}/A`, sealed)).status).toBe(204);
  });
});
