import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { REPO_ROOT, spawnNode } from '../dev/harness/action-runner.js';
import { startBackground } from '../dev/harness/processes.js';

/** `npm run emulator` as a newcomer runs it: a usable address, or one sentence. */
const TSX = join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs');
const emulatorScript = (env: Record<string, string>) =>
  spawnNode(process.execPath, [TSX, 'scripts/emulator.ts'], REPO_ROOT, {
    PATH: process.env.PATH ?? '',
    ...env,
  });

let holder: Server | undefined;
afterEach(() => new Promise<void>((done) => (holder ? holder.close(() => done()) : done())));

describe('npm run emulator', () => {
  it('says in one sentence that PORT is not a port number', async () => {
    for (const port of ['abc', '-1', '70000', '80.5']) {
      const run = await emulatorScript({ PORT: port });
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `PORT must be a port number from 0 to 65535 (0: any free port), not "${port}".\n`,
      );
    }
  }, 60_000);

  it('says in one sentence that the port is in use', async () => {
    holder = createServer();
    await new Promise<void>((done) => holder!.listen(0, '127.0.0.1', done));
    const { port } = holder.address() as { port: number };
    const run = await emulatorScript({ PORT: String(port) });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe(
      `Port ${port} on 127.0.0.1 is in use: stop what holds it, or pick another with PORT=… (leave PORT unset for any free port).\n`,
    );
  }, 60_000);

  it('serves the demo account on a free port and prints what to export', async () => {
    const emulator = await startBackground(
      process.execPath,
      [TSX, join(REPO_ROOT, 'scripts/emulator.ts')],
      /Ctrl-C stops it/,
    );
    try {
      const url = /export MKP_API_URL=(\S+) MKP_API_TOKEN=(\S+)/.exec(emulator.output());
      expect(url).not.toBeNull();
      const answer = await fetch(`${url![1]}/webhooks`, {
        headers: { authorization: `Bearer ${url![2]}` },
      });
      expect(answer.status).toBe(200);
      expect(emulator.output()).toContain('npx mkp-webhooks-sync import --output -');
    } finally {
      await emulator.stop();
    }
  }, 60_000);
});
