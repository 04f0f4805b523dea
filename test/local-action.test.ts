import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MkpEmulator } from '../src/emulator/mkp.js';
import { REPO_ROOT } from '../dev/harness/action-runner.js';

/**
 * The action under GitHub's own runner emulation, @github/local-action: it reads action.yml,
 * applies its defaults, implements masking and outputs as the runner does. It exits 0 even when
 * the action fails, so the assertions read its output.
 */
let mkp: MkpEmulator;
let output = '';

beforeAll(async () => {
  mkp = await MkpEmulator.start({
    seed: [{ type: 'customer-created', url: 'https://hooks.example.com/mkp/crm' }],
  });
  const envFile = join(mkdtempSync(join(tmpdir(), 'mkp-local-action-')), '.env');
  // Only the inputs a workflow would set; everything else comes from action.yml's defaults.
  writeFileSync(
    envFile,
    [
      `INPUT_API-TOKEN=${mkp.token}`,
      `INPUT_API-URL=${mkp.baseUrl}`,
      'BILLING_HOOK_URL=https://billing.example.com/hooks/mkp?tenant=local',
      '',
    ].join('\n'),
  );
  output = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(REPO_ROOT, 'node_modules/@github/local-action/bin/local-action.js'),
        '.',
        'src/main.ts',
        envFile,
      ],
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME } },
    );
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(text));
  });
}, 120_000);

afterAll(async () => {
  await mkp.close();
});

describe('@github/local-action', () => {
  it('runs the action with action.yml defaults (config webhooks.yaml, apply, outputs target)', () => {
    expect(output).toContain('Running Action');
    expect(output).toContain('webhooks.yaml: 8 subscriptions declared');
    expect(output).not.toContain('::error::');
    expect(mkp.records).toHaveLength(8);
    expect(mkp.count('create')).toBe(7);
  });

  it('sets the outputs', () => {
    expect(output).toContain('::set-output name=changed::true');
    expect(output).toContain('::set-output name=to-create::7');
    expect(output).toContain('::set-output name=unmanaged::0');
  });

  it('treats plan and created as masked: they hold the resolved ${BILLING_HOOK_URL}', () => {
    // The value is masked (CONTRACT §4), and it is not in the log; the runner emulation
    // therefore will not carry these outputs on, as the runner does not across jobs.
    expect(output).not.toContain('tenant=local');
    for (const name of ['plan', 'created']) {
      expect(output).toContain(`Skip output ${name} since it may contain secret`);
    }
  });

  it('masks every secret: the runner emulation recognises each secret output as holding one', () => {
    for (const name of [
      'secrets',
      'MKP_WEBHOOK_CRM_CUSTOMER_DELETED',
      'BILLING_INVOICE_PAID_SECRET',
      'MKP_WEBHOOK_OFFER_ACCEPTED',
    ]) {
      expect(output).toContain(`Skip output ${name} since it may contain secret`);
    }
    for (const record of mkp.records) expect(output).not.toContain(record.secret);
    expect(output).not.toContain(mkp.token);
  });
});
