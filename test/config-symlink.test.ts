import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { loadWebhooksFile, SYMLINK_REFUSED } from '../src/config/load.js';
import { ConfigError } from '../src/config/types.js';
import { GitHubEmulator } from '../dev/emulator/github.js';
import { MkpEmulator } from '../src/emulator/mkp.js';
import { runAction } from '../dev/harness/action-runner.js';
import { runCli } from '../dev/harness/processes.js';
import { findLeaks } from './harness/leaks.js';

/**
 * The config file must be a regular file (CONTRACT §4; issue 22, finding 1): a pull request that
 * commits webhooks.yaml as a symbolic link to `.git/config` (where actions/checkout keeps the
 * job token) or to a credentials file of an earlier step had that file quoted into the PR
 * comment and the job summary. A link is refused before anything is read.
 */

/** The job token as actions/checkout keeps it in .git/config with persist-credentials. */
const JOB_TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
const BASIC = Buffer.from(`x-access-token:${JOB_TOKEN}`).toString('base64');
const GIT_CONFIG = `[core]
\trepositoryformatversion = 0
\tfilemode = true
\tbare = false
\tlogallrefupdates = true
[remote "origin"]
\turl = https://github.com/acme/shop
\tfetch = +refs/heads/*:refs/remotes/origin/*
[gc]
\tauto = 0
[http "https://github.com/"]
\textraheader = AUTHORIZATION: basic ${BASIC}
`;
/** A workload-identity credentials file, as a cloud auth step writes it into the workspace. */
const ID_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.idTokenRequestValue.c2lnbmF0dXJlMDAwMQ';
const CREDENTIALS = JSON.stringify({
  type: 'external_account',
  audience: '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/q',
  credential_source: {
    url: 'https://pipelines.actions.example/idtoken',
    headers: { Authorization: `bearer ${ID_TOKEN}` },
  },
});

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mkp-symlink-'));
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, '.git', 'config'), GIT_CONFIG);
  writeFileSync(join(dir, 'gha-creds-4f1a2b.json'), CREDENTIALS);
  return dir;
}

async function refusal(path: string): Promise<string> {
  try {
    await loadWebhooksFile(path, { env: {} });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const { problems } = error as ConfigError;
    expect(problems).toHaveLength(1);
    return problems[0]!.message;
  }
  throw new Error('expected a ConfigError');
}

describe('the loader reads a regular file only', () => {
  it('refuses a symbolic link before it is read, saying so and why', async () => {
    const dir = workspace();
    const path = join(dir, 'webhooks.yaml');
    symlinkSync('.git/config', path);
    const message = await refusal(path);
    expect(message).toBe(`cannot read ${path}: ${SYMLINK_REFUSED}`);
    expect(message).toContain('symbolic link');
    expect(message).toContain('.git/config');
    expect(message).not.toContain(BASIC);
  });

  it('refuses a link to a valid webhooks file, a dangling link and a link to a folder alike', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'real.yaml'), 'webhooks: []\n');
    const cases = {
      'valid.yaml': 'real.yaml',
      'dangling.yaml': 'nowhere.yaml',
      'folder.yaml': '.git',
    };
    for (const [name, target] of Object.entries(cases)) {
      symlinkSync(target, join(dir, name));
      expect(await refusal(join(dir, name))).toContain('it is a symbolic link');
    }
    // The file itself is fine.
    await expect(loadWebhooksFile(join(dir, 'real.yaml'), { env: {} })).resolves.toBeDefined();
  });

  it('still names a directory, a missing file and a file too large for what they are', async () => {
    const dir = workspace();
    expect(await refusal(join(dir, '.git'))).toContain('it is a directory');
    expect(await refusal(join(dir, 'none.yaml'))).toContain('no such file');
    writeFileSync(join(dir, 'big.yaml'), `# ${'x'.repeat(1024 * 1024)}\n`);
    expect(await refusal(join(dir, 'big.yaml'))).toContain('larger than 1 MB');
  });
});

describe('a pull request that makes webhooks.yaml a link (the built action)', () => {
  let mkp: MkpEmulator | undefined;
  let github: GitHubEmulator | undefined;
  afterEach(async () => {
    await Promise.all([mkp?.close(), github?.close()]);
    mkp = github = undefined;
  });

  it.each([
    ['.git/config', [JOB_TOKEN, BASIC, 'extraheader', 'AUTHORIZATION']],
    ['gha-creds-4f1a2b.json', [ID_TOKEN, 'credential_source', 'external_account']],
  ])(
    'to %s: refused; nothing of the file reaches the PR comment, the summary or the log',
    async (target, hidden) => {
      mkp = await MkpEmulator.start();
      github = await GitHubEmulator.start();
      github.addPullRequest('acme/shop', 12);
      const cwd = workspace();
      symlinkSync(target, join(cwd, 'webhooks.yaml'));
      const run = await runAction({
        cwd,
        event: { name: 'pull_request', payload: { pull_request: { number: 12 } } },
        inputs: {
          'api-token': mkp.token,
          'api-url': mkp.baseUrl,
          'dry-run': 'true',
          'pr-comment': 'true',
          'github-token': github.token,
          repository: 'acme/shop',
        },
        env: { GITHUB_API_URL: github.url, MKP_RETRY_BASE_MS: '5' },
      });
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toContain(
        '::error file=webhooks.yaml,line=1,col=1::cannot read webhooks.yaml: it is a symbolic link',
      );
      expect(mkp.calls).toHaveLength(0);
      const comments = github.comments.map((c) => c.body);
      expect(comments).toEqual([expect.stringContaining('it is a symbolic link')]);
      expect(run.summary).toContain('it is a symbolic link');
      // Not in any form: whole, base64, or a telling piece of the file.
      const posted = [...comments, ...github.issues.map((i) => i.body)];
      expect(findLeaks({ run, secrets: hidden, posted })).toEqual([]);
      for (const text of [run.stdout, run.stderr, run.summary, ...comments]) {
        for (const value of hidden) expect(text).not.toContain(value);
      }
    },
  );
});

describe('the CLI', () => {
  it('validate refuses a linked config and prints nothing of its target', async () => {
    const cwd = workspace();
    symlinkSync('.git/config', join(cwd, 'webhooks.yaml'));
    const run = await runCli(['validate'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'webhooks.yaml:1:1: cannot read webhooks.yaml: it is a symbolic link',
    );
    expect(run.stdout + run.stderr).not.toContain(BASIC);
    expect(run.stdout + run.stderr).not.toContain('extraheader');
  });
});
