/**
 * `npm run emulator`: the MijnKlantportaal emulator on a loopback port, with the demo's
 * account, until Ctrl-C. For trying the CLI (and the action) without an account:
 *
 *   npm run emulator                            # prints the two variables to export
 *   npx mkp-webhooks-sync import --output -     # in another terminal, after exporting them
 *
 * The same as `mkp-webhooks-sync emulator --seed demo` (src/emulator/serve.ts), with PORT
 * for the port (default: any free one). The emulator keeps its records in memory. A bad PORT,
 * or one that is taken, is one sentence and exit status 1, never a stack trace.
 */
import { portProblem, serveEmulator } from '../src/emulator/serve.js';

async function main(): Promise<number> {
  const port = process.env.PORT?.trim() ? process.env.PORT : '0';
  const problem = portProblem(port, 'PORT');
  if (problem !== undefined) {
    console.error(`${problem}.`);
    return 1;
  }
  return serveEmulator({
    port: Number(port),
    seed: 'demo',
    portSetting: { set: 'PORT=…', unset: 'leave PORT unset' },
    cli: 'npx mkp-webhooks-sync',
    out: (text) => process.stdout.write(text),
    fail: (sentence) => console.error(`${sentence}.`),
    stop: new Promise((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    }),
  });
}

process.exitCode = await main();
