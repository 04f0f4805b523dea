/**
 * `npm run emulator`: the MijnKlantportaal emulator on a loopback port, with the demo's
 * account, until Ctrl-C. For trying the CLI (and the action) without an account:
 *
 *   npm run emulator                            # prints the two variables to export
 *   npx mkp-webhooks-sync import --output -     # in another terminal, after exporting them
 *
 * PORT sets the port (default: any free one). The emulator keeps its records in memory.
 * A bad PORT, or one that is taken, is one sentence and exit status 1, never a stack trace.
 */
import { MkpEmulator } from '../src/emulator/mkp.js';
import { DEMO_ACCOUNT } from '../src/emulator/demo-account.js';

/** PORT as a port number, or the sentence that says what is wrong with it. */
function portOf(value: string | undefined): number | string {
  if (value === undefined || value.trim() === '') return 0;
  if (!/^\d+$/.test(value.trim()) || Number(value) > 65535) {
    return `PORT must be a port number from 0 to 65535 (0: any free port), not ${JSON.stringify(value)}.`;
  }
  return Number(value);
}

/** The listen failure as one sentence. */
function listenFailure(error: unknown, port: number): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') {
    return `Port ${port} on 127.0.0.1 is in use: stop what holds it, or pick another with PORT=… (leave PORT unset for any free port).`;
  }
  if (code === 'EACCES') {
    return `Port ${port} needs privileges this user lacks: pick a port above 1023 with PORT=… (or leave PORT unset).`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `The emulator could not listen on 127.0.0.1:${port}: ${message.split('\n')[0]}.`;
}

async function main(): Promise<number> {
  const port = portOf(process.env.PORT);
  if (typeof port === 'string') {
    console.error(port);
    return 1;
  }
  let emulator: MkpEmulator;
  try {
    emulator = await MkpEmulator.start({ seed: DEMO_ACCOUNT, port });
  } catch (error) {
    console.error(listenFailure(error, port));
    return 1;
  }
  console.log(`MijnKlantportaal emulator on ${emulator.baseUrl}, seeded with ${emulator.records.length} webhooks.
In another terminal:

  export MKP_API_URL=${emulator.baseUrl} MKP_API_TOKEN=${emulator.token}
  npx mkp-webhooks-sync import --output -

Ctrl-C stops it.`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return 0;
}

process.exitCode = await main();
