import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { REPO_ROOT, runAction, spawnNode, testNode } from '../dev/harness/action-runner.js';
import { freePort, runCli, startBackground, type Background } from '../dev/harness/processes.js';
import { MkpEmulator } from '../src/emulator/mkp.js';

// What a newcomer meets first with the built CLI (dist/cli, CONTRACT §5, issue 24): help, a
// missing file, a refused port, a mistyped token, and the emulator that ships with it.
// .ci/run runs this file again under Node 24.

let mkp: MkpEmulator | undefined;
let background: Background | undefined;
let holder: Server | undefined;
afterEach(async () => {
  await mkp?.close();
  await background?.stop();
  await new Promise<void>((done) => (holder ? holder.close(() => done()) : done()));
  mkp = background = holder = undefined;
});

const dir = (yaml?: string) => {
  const cwd = mkdtempSync(join(tmpdir(), 'mkp-newcomer-'));
  if (yaml !== undefined) writeFileSync(join(cwd, 'webhooks.yaml'), yaml);
  return cwd;
};
const FILE = `webhooks:
  - name: crm
    url: https://hooks.example.com/crm
    events: [customer-created, customer-deleted]
`;

describe('help', () => {
  it('`help` prints the usage, as --help does; `help plan` too', async () => {
    const usage = await runCli(['--help'], { cwd: dir() });
    expect(usage.code).toBe(0);
    expect(usage.stdout).toMatch(/^usage: mkp-webhooks-sync <command> \[options\]\n/);
    for (const command of ['emulator', 'help', '--port N', '--seed ACCOUNT']) {
      expect(usage.stdout).toContain(command);
    }
    for (const args of [['help'], ['help', 'plan']]) {
      expect(await runCli(args, { cwd: dir() })).toEqual(usage);
    }
    // No command at all: the usage, on stderr, as a usage error.
    expect(await runCli([], { cwd: dir() })).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: expected a command\n\n${usage.stdout}`,
    });
    expect(await runCli(['help', 'pln'], { cwd: dir() })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: unknown command pln (did you mean plan?); see mkp-webhooks-sync --help\n',
    });
  });
});

describe('a missing webhooks.yaml', () => {
  it('says how to start: write the file, or import it from the account', async () => {
    for (const command of ['validate', 'plan']) {
      const run = await runCli([command], { cwd: dir() });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        'webhooks.yaml:1:1: cannot read webhooks.yaml: no such file\n' +
          '1 problem; nothing was sent\n' +
          'To start, write webhooks.yaml (the format: https://github.com/mkp-webhooks-sync/mkp-webhooks-sync/blob/v1/docs/webhooks-yaml.md), or write it from the webhooks already on the account: MKP_API_TOKEN=… mkp-webhooks-sync import\n',
      );
    }
    const other = await runCli(['plan', '--config', 'prod.yaml'], { cwd: dir() });
    expect(other.stderr).toContain('MKP_API_TOKEN=… mkp-webhooks-sync import --output prod.yaml\n');
    // A path to paste into a shell is quoted when it is not plain.
    const spaced = await runCli(['plan', '--config', "it's mine.yaml"], { cwd: dir() });
    expect(spaced.stderr).toContain(`import --output 'it'\\''s mine.yaml'\n`);
  });

  it('gives no such hint for a file that is there but invalid', async () => {
    const run = await runCli(['validate'], { cwd: dir('webhooks: 3\n') });
    expect(run.code).toBe(1);
    expect(run.stderr).not.toContain('To start');
  });
});

describe('a refused connection', () => {
  it('names host and port and MKP_API_URL, at once, in the CLI', async () => {
    const port = await freePort(); // nothing listens there
    const cwd = dir(FILE);
    const env = { MKP_API_TOKEN: 'mkp-test-token', MKP_API_URL: `http://127.0.0.1:${port}/v1` };
    for (const args of [['plan'], ['apply'], ['import', '--output', '-']]) {
      const run = await runCli(args, { cwd, env });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        `error: list webhooks: cannot connect to 127.0.0.1:${port}: the connection was refused (is the API, or the emulator, running there?); check MKP_API_URL\n`,
      );
      expect(run.stderr).not.toMatch(/retrying|api-url/);
    }
  });

  it('is retried by the Action within its budget, naming host and port', async () => {
    const port = await freePort();
    const run = await runAction({
      inputs: { 'api-token': 'mkp-test-token', 'api-url': `http://127.0.0.1:${port}/v1` },
      env: { MKP_RETRY_BASE_MS: '1' },
      cwd: dir(FILE),
    });
    expect(run.exitCode).toBe(1);
    const retries = run.stdout.split('\n').filter((line) => line.includes('retrying in'));
    expect(retries).toHaveLength(5);
    expect(retries[0]).toContain(`list webhooks: 127.0.0.1:${port} refused the connection;`);
    expect(run.stdout).toContain(
      `127.0.0.1:${port} refused the connection; gave up after 6 attempts`,
    );
  });
});

describe('MKP_API_TOKEN', () => {
  it('shorter than 8 characters is refused by the CLI, before any call, in words that stay whole', async () => {
    mkp = await MkpEmulator.start();
    const cwd = dir(FILE);
    for (const token of ['e', 'mkp_tok']) {
      const env = { MKP_API_TOKEN: token, MKP_API_URL: mkp.baseUrl };
      const run = await runCli(['plan'], { cwd, env });
      expect(run).toEqual({
        code: 1,
        stdout: '',
        stderr:
          `error: MKP_API_TOKEN is only ${token.length} characters long: a MijnKlantportaal API key or OAuth token is far longer (at least 8 characters are needed to keep it out of what this command prints). Check what MKP_API_TOKEN holds; nothing was sent\n`.replace(
            '1 characters',
            '1 character',
          ),
      });
      const json = await runCli(['apply', '--json'], { cwd, env });
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ problems: [], plan: null, created: [] });
      expect(JSON.parse(json.stdout).error).toMatch(/^MKP_API_TOKEN is only/);
    }
    expect(mkp.calls).toHaveLength(0);
    // Eight characters are enough to be judged by the API.
    const eight = await runCli(['plan'], {
      cwd,
      env: { MKP_API_TOKEN: 'mkp_toke', MKP_API_URL: mkp.baseUrl },
    });
    expect(eight.stderr).toContain('the API token is wrong or lacks the webhooks scope');
    expect(mkp.calls).toHaveLength(1);
  });

  it('the Action is unchanged: a one-letter api-token goes to the API, which refuses it', async () => {
    mkp = await MkpEmulator.start();
    const run = await runAction({
      inputs: { 'api-token': 'e', 'api-url': mkp.baseUrl, 'dry-run': 'true' },
      cwd: dir(FILE),
    });
    expect(run.exitCode).toBe(1);
    expect(mkp.calls).toHaveLength(1);
  });
});

describe('mkp-webhooks-sync emulator', () => {
  const CLI = join(REPO_ROOT, 'dist/cli/index.js');
  const serve = async (args: string[]) => {
    background = await startBackground(testNode(), [CLI, 'emulator', ...args], /Ctrl-C stops it/);
    const [, url, token] = /export MKP_API_URL=(\S+) MKP_API_TOKEN=(\S+)/.exec(
      background.output(),
    )!;
    return { MKP_API_URL: url!, MKP_API_TOKEN: token! };
  };

  it('serves an empty account on 127.0.0.1 that plan, apply and import work against; Ctrl-C ends it', async () => {
    const api = await serve([]);
    expect(api.MKP_API_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(background!.output()).toContain(
      'an empty account (--seed demo starts it with two webhooks)',
    );
    expect(background!.output()).toContain('npx mkp-webhooks-sync apply');
    const cwd = dir(FILE);
    const plan = await runCli(['plan', '--json'], { cwd, env: api });
    expect(JSON.parse(plan.stdout)).toMatchObject({ unchanged: [], unmanaged: [] });
    expect(JSON.parse(plan.stdout).create).toHaveLength(2);
    expect((await runCli(['apply'], { cwd, env: api })).code).toBe(0);
    const imported = await runCli(['import', '--output', '-'], { cwd, env: api });
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('url: https://hooks.example.com/crm');
    expect(imported.stdout).toContain('events: [customer-created, customer-deleted]');
    const again = await runCli(['plan'], { cwd, env: api });
    expect(again.stdout).toContain('0 to create, 2 unchanged, 0 unmanaged');

    const exited = new Promise<number | null>((done) => background!.child.once('exit', done));
    background!.child.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 60_000);

  it('--seed demo serves the demo account; --port picks the port', async () => {
    const port = await freePort();
    const api = await serve(['--port', String(port), '--seed', 'demo']);
    expect(api.MKP_API_URL).toBe(`http://127.0.0.1:${port}/v1`);
    expect(background!.output()).toContain('the demo account: 2 webhooks');
    const listed = await fetch(`${api.MKP_API_URL}/webhooks`, {
      headers: { authorization: `Bearer ${api.MKP_API_TOKEN}` },
    });
    expect(((await listed.json()) as { data: unknown[] }).data).toHaveLength(2);
  }, 60_000);

  it('a bad --port or --seed is a usage error; a port in use is one sentence', async () => {
    const cwd = dir();
    expect(await runCli(['emulator', '--port', '70000'], { cwd })).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: --port must be a port number from 0 to 65535 (0: any free port), not "70000"; see mkp-webhooks-sync --help\n',
    });
    expect((await runCli(['emulator', '--seed', 'full'], { cwd })).stderr).toBe(
      'error: --seed must be none or demo, not full; see mkp-webhooks-sync --help\n',
    );
    expect((await runCli(['plan', '--seed', 'demo'], { cwd })).stderr).toContain(
      '--seed does not apply to plan (it is for emulator)',
    );
    holder = createServer();
    await new Promise<void>((done) => holder!.listen(0, '127.0.0.1', done));
    const { port } = holder.address() as { port: number };
    expect(await runCli(['emulator', '--port', String(port)], { cwd })).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: Port ${port} on 127.0.0.1 is in use: stop what holds it, or pick another with --port N (leave out --port for any free port)\n`,
    });
  });

  it('ships as a chunk that only this command loads', async () => {
    // A copy of the built CLI without the emulator's chunk: every other command still runs.
    const copy = mkdtempSync(join(tmpdir(), 'mkp-cli-copy-'));
    try {
      cpSync(join(REPO_ROOT, 'dist/cli'), copy, { recursive: true });
      const main = join(copy, 'main');
      const chunks = readdirSync(main).filter(
        (f) =>
          f.endsWith('.js') && readFileSync(join(main, f), 'utf8').includes('Unauthenticated.'),
      );
      expect(chunks).toHaveLength(1);
      expect(chunks[0]).not.toBe('index.js');
      rmSync(join(main, chunks[0]!));
      const cwd = dir(FILE);
      const env = { PATH: process.env.PATH ?? '' };
      const entry = join(copy, 'index.js');
      const validate = await spawnNode(testNode(), [entry, 'validate'], cwd, env);
      expect(validate.exitCode).toBe(0);
      expect(validate.stdout).toBe('webhooks.yaml: valid, 2 subscriptions\n');
      const emulator = await spawnNode(testNode(), [entry, 'emulator'], cwd, env);
      expect(emulator.exitCode).toBe(1);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
