/**
 * `npm run demo`: the built action (dist/index.js), run exactly as the runner runs it, against
 * the project's MijnKlantportaal emulator on a loopback port. No account needed. The account
 * starts with one webhook the example file declares and one it does not; the first run creates
 * the rest, the second run shows that nothing changes. Then the CLI adopts the whole account:
 * `mkp-webhooks import` writes a file, and `plan` on it has nothing to do.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MkpEmulator } from '../src/emulator/mkp.js';
import { runAction, type ActionRun } from '../dev/harness/action-runner.js';
import { runCli, type CliRun } from '../dev/harness/processes.js';
import { BILLING_HOOK_URL, DEMO_ACCOUNT } from '../src/emulator/demo-account.js';

const emulator = await MkpEmulator.start({ seed: DEMO_ACCOUNT });
const secrets = () => emulator.records.map((r) => r.secret);

const hide = (text: string) => secrets().reduce((t, s) => t.split(s).join('***'), text);

function showCli(command: string, run: CliRun): void {
  console.log(`\n$ ${command}        (exit code ${run.code})`);
  if (run.stderr.trim()) console.log(hide(run.stderr.trimEnd()));
  if (run.stdout.trim()) console.log(hide(run.stdout.trimEnd()));
}

function show(title: string, run: ActionRun): void {
  console.log(`\n━━━ ${title} ━━━ exit code ${run.exitCode}`);
  console.log('\n── log (what the runner shows) ──');
  console.log(
    hide(run.stdout)
      .split('\n')
      .filter((line) => line && !line.startsWith('::add-mask::') && line !== '::endgroup::')
      .map((line) =>
        line
          .replace(/^::group::(.*)$/, '▸ $1')
          .replace(
            /^::(error|warning|notice)[^:]*::(.*)$/,
            (_m, kind: string, text: string) => `${kind}: ${text}`,
          ),
      )
      .join('\n'),
  );
  if (run.stderr.trim()) console.log(hide(run.stderr));
  console.log('\n── job summary (markdown) ──');
  console.log(hide(run.summary));
  console.log('── outputs (secrets shown as ***) ──');
  for (const [name, value] of Object.entries(run.outputs)) {
    console.log(`${name} = ${hide(value)}`);
  }
}

try {
  const inputs = {
    'api-token': emulator.token,
    'api-url': emulator.baseUrl,
    'secrets-target': 'outputs',
  };
  const env = { BILLING_HOOK_URL };
  console.log(
    `MijnKlantportaal emulator on ${emulator.baseUrl}, seeded with ${emulator.records.length} webhooks`,
  );
  show('first run: apply webhooks.yaml', await runAction({ inputs, env }));
  show('second run: nothing changes', await runAction({ inputs, env }));
  const creates = emulator.count('create');
  console.log(
    `\nThe account now holds ${emulator.records.length} webhooks; ${creates} create ${creates === 1 ? 'call' : 'calls'} in all.`,
  );

  // Adopting an account: one command writes the file, and the next plan is empty.
  console.log('\n━━━ third: adopt the whole account from a terminal ━━━');
  const cwd = mkdtempSync(join(tmpdir(), 'mkp-demo-import-'));
  const api = { MKP_API_URL: emulator.baseUrl, MKP_API_TOKEN: emulator.token };
  showCli('mkp-webhooks-sync import', await runCli(['import'], { cwd, env: api }));
  console.log(
    `\n── the written webhooks.yaml ──\n${readFileSync(join(cwd, 'webhooks.yaml'), 'utf8')}`,
  );
  showCli('mkp-webhooks-sync validate', await runCli(['validate'], { cwd }));
  showCli('mkp-webhooks-sync plan', await runCli(['plan'], { cwd, env: api }));
} finally {
  await emulator.close();
}
