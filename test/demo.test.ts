import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { REPO_ROOT } from '../dev/harness/action-runner.js';

/** `npm run demo`, the README's first command, as a new user runs it. */
describe('npm run demo', () => {
  it('applies, shows that a second run changes nothing, and adopts the account with import', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/demo.ts'],
      {
        cwd: REPO_ROOT,
        // The node that runs the built action and CLI: MKP_TEST_NODE when .ci/run sets it.
        env: { PATH: process.env.PATH, MKP_TEST_NODE: process.env.MKP_TEST_NODE ?? '' },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    expect(stdout).toMatch(/first run: apply webhooks\.yaml ━━━ exit code 0/);
    expect(stdout).toMatch(/second run: nothing changes ━━━ exit code 0/);
    const changed = [...stdout.matchAll(/^changed = (\w+)$/gm)].map((m) => m[1]);
    expect(changed).toEqual(['true', 'false']);
    expect(stdout).toContain('The account now holds 9 webhooks; 7 create calls in all.');
    expect(stdout).toMatch(/\$ mkp-webhooks-sync import {8}\(exit code 0\)/);
    expect(stdout).toMatch(/\$ mkp-webhooks-sync validate {8}\(exit code 0\)/);
    expect(stdout).toContain(
      'plan: 7 to create, 1 unchanged, 1 unmanaged; cost of applying: 8 API calls (1 list page, 7 creates)',
    );
    // The CLI's plan of the imported file: its count line once, and what applying costs.
    expect(stdout.match(/0 to create, 9 unchanged, 0 unmanaged/g)).toEqual([
      '0 to create, 9 unchanged, 0 unmanaged',
    ]);
    expect(stdout).toContain('  cost of applying: 1 API call (1 list page, 0 creates)');
    // Every apply outputs the secret of each of the 8 declared webhooks (CONTRACT §3), and the
    // demo shows each as ***.
    const secrets = [...stdout.matchAll(/^secrets = (.*)$/gm)].map(
      (m) => JSON.parse(m[1]!) as Record<string, string>,
    );
    expect(secrets.map((s) => Object.keys(s).length)).toEqual([8, 8]);
    expect(new Set(Object.values(secrets[0]!))).toEqual(new Set(['***']));
    expect(stdout).not.toMatch(/^MKP_WEBHOOK_\w+ = (?!\*\*\*$)/m);
  }, 60_000);
});
