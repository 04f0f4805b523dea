import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MkpEmulator } from '../src/emulator/mkp.js';
import { SCHEMA_URL } from '../src/adopt.js';
import { REPO_ROOT, testNode } from '../dev/harness/action-runner.js';
import { startBackground } from '../dev/harness/processes.js';

// The CLI as a user gets it from npm (CONTRACT §5): `npm pack`, then an install of the tarball
// into an empty folder with no network, then `npx mkp-webhooks-sync …` from there. And as the
// README's Install section says to get it before a release is on npm: `npm pack` of a clone of
// the repository (what `npm install github:…#TAG` packs), installed the same way.

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'mkp-package-'));
const project = join(work, 'project');
// Nothing of the developer's npm setup: a fresh cache and home, so the install cannot lean on them.
const npmEnv = {
  PATH: process.env.PATH ?? '',
  HOME: join(work, 'home'),
  npm_config_cache: join(work, 'cache'),
  npm_config_update_notifier: 'false',
};
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  repository: { url: string };
};
let files: string[] = [];
let mkp: MkpEmulator;

beforeAll(async () => {
  mkdirSync(project);
  mkdirSync(npmEnv.HOME);
  const { stdout } = await run(
    'npm',
    ['pack', '--json', '--ignore-scripts', '--pack-destination', work],
    { cwd: REPO_ROOT, env: npmEnv },
  );
  const [packed] = JSON.parse(stdout) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  files = packed!.files.map((f) => f.path);
  await run(
    'npm',
    ['install', '--offline', '--no-audit', '--no-fund', join(work, packed!.filename)],
    { cwd: project, env: npmEnv },
  );
  mkp = await MkpEmulator.start({
    seed: [
      { type: 'customer-created', url: 'https://hooks.example.com/crm' },
      { type: 'invoice-paid', url: 'https://billing.example.com/mkp?tenant=42' },
    ],
  });
}, 180_000);

afterAll(async () => {
  await mkp?.close();
  rmSync(work, { recursive: true, force: true });
});

/** `npx mkp-webhooks-sync ARGS` in the user's project, offline. */
async function npx(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run('npx', ['--offline', 'mkp-webhooks-sync', ...args], {
      cwd: project,
      env: { ...npmEnv, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the npm package', () => {
  it('holds the CLI bundle, the schema, the README and the licenses, and nothing else', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'webhooks.schema.json',
        'dist/cli/index.js',
        'dist/licenses.txt',
      ]),
    );
    if (existsSync(join(REPO_ROOT, 'LICENSE'))) expect(files).toContain('LICENSE');
    expect(files.filter((f) => !/^(dist\/cli\/|dist\/licenses\.txt$|[^/]+$)/.test(f))).toEqual([]);
  });

  it('installs from the tarball without the network, with nothing but itself', () => {
    const installed = readdirSync(join(project, 'node_modules')).filter((n) => !n.startsWith('.'));
    expect(installed).toEqual([pkg.name]);
  });

  it('runs as npx mkp-webhooks-sync: --version, validate, plan and import against the emulator', async () => {
    expect(await npx(['--version'])).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });

    const api = { MKP_API_URL: mkp.baseUrl, MKP_API_TOKEN: mkp.token };
    const imported = await npx(['import'], api);
    expect(imported.code).toBe(0);
    const written = readFileSync(join(project, 'webhooks.yaml'), 'utf8');
    expect(written).toContain('https://hooks.example.com/crm');

    const validated = await npx(['validate']);
    expect(validated.code).toBe(0);
    expect(validated.stdout).toBe('webhooks.yaml: valid, 2 subscriptions\n');

    const planned = await npx(['plan', '--json'], api);
    expect(planned.code).toBe(0);
    expect(JSON.parse(planned.stdout)).toMatchObject({ create: [], unmanaged: [] });
    for (const r of mkp.records) expect(imported.stdout + planned.stdout).not.toContain(r.secret);
  }, 120_000);

  it('serves its emulator: npx mkp-webhooks-sync emulator, then plan, apply and import against it', async () => {
    const emulator = await startBackground(
      testNode(),
      [join(project, 'node_modules', pkg.name, 'dist/cli/index.js'), 'emulator'],
      /Ctrl-C stops it/,
    );
    try {
      const [, url, token] = /export MKP_API_URL=(\S+) MKP_API_TOKEN=(\S+)/.exec(
        emulator.output(),
      )!;
      const api = { MKP_API_URL: url!, MKP_API_TOKEN: token! };
      const cwd = mkdtempSync(join(work, 'try-'));
      writeFileSync(
        join(cwd, 'webhooks.yaml'),
        'webhooks:\n  - name: crm\n    url: https://hooks.example.com/crm\n    events: [customer-created, customer-deleted]\n',
      );
      const inCwd = (args: string[]) =>
        run('npx', ['--offline', '--prefix', project, 'mkp-webhooks-sync', ...args], {
          cwd,
          env: { ...npmEnv, ...api },
        });
      expect((await inCwd(['plan'])).stdout).toContain('2 to create, 0 unchanged, 0 unmanaged');
      await inCwd(['apply']);
      expect((await inCwd(['import', '--output', '-'])).stdout).toContain(
        'events: [customer-created, customer-deleted]',
      );
    } finally {
      await emulator.stop();
    }
  }, 120_000);

  it('installs the same way from a clone of the repository, packed (the Install section)', async () => {
    const clone = join(work, 'clone');
    await run('git', ['clone', '--quiet', '--depth', '1', `file://${REPO_ROOT}`, clone], {
      env: npmEnv,
    });
    const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', clone], {
      cwd: work,
      env: npmEnv,
    });
    const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
    const elsewhere = join(work, 'from-clone');
    mkdirSync(elsewhere);
    await run(
      'npm',
      ['install', '--offline', '--no-audit', '--no-fund', join(work, packed!.filename)],
      { cwd: elsewhere, env: npmEnv },
    );
    const version = await run('npx', ['--offline', 'mkp-webhooks-sync', '--version'], {
      cwd: elsewhere,
      env: npmEnv,
    });
    expect(version.stdout).toBe(`${pkg.version}\n`);
  }, 120_000);

  it('import points editors at the schema of this repository at the release tag', () => {
    const repository = /github\.com\/([^/]+\/[^/.]+)/.exec(pkg.repository.url)![1];
    expect(SCHEMA_URL).toBe(
      `https://raw.githubusercontent.com/${repository}/v1/webhooks.schema.json`,
    );
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(SCHEMA_URL);
    expect(files).toContain('webhooks.schema.json');
  });
});
