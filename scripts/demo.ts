/**
 * `npm run demo`: the built action (dist/index.js), run exactly as the runner runs it, against
 * the project's MijnKlantportaal emulator on a loopback port. No account needed. The account
 * starts with one webhook the example file declares and one it does not; the first run creates
 * the rest, the second run shows that nothing changes.
 */
import { MkpEmulator } from '../test/emulator/mkp.js';
import { runAction, type ActionRun } from '../test/harness/action-runner.js';

const BILLING_HOOK_URL = 'https://billing.example.com/hooks/mkp?tenant=demo';

const emulator = await MkpEmulator.start({
  seed: [
    { type: 'customer-created', url: 'https://hooks.example.com/mkp/crm' },
    { type: 'ticket-created', url: 'https://legacy.example.org/tickets' },
  ],
});
const secrets = () => emulator.records.map((r) => r.secret);

function show(title: string, run: ActionRun): void {
  const hide = (text: string) => secrets().reduce((t, s) => t.split(s).join('***'), text);
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
  console.log(
    `\nThe account now holds ${emulator.records.length} webhooks; ${emulator.count('create')} create call(s) in all.`,
  );
} finally {
  await emulator.close();
}
