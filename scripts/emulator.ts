/**
 * `npm run emulator`: the MijnKlantportaal emulator on a loopback port, with the demo's
 * account, until Ctrl-C. For trying the CLI (and the action) without an account:
 *
 *   npm run emulator                      # prints the two variables to export
 *   npx mkp-webhooks import --output -    # in another terminal, after exporting them
 *
 * PORT sets the port (default: any free one). The emulator keeps its records in memory.
 */
import { MkpEmulator } from '../test/emulator/mkp.js';
import { DEMO_ACCOUNT } from './demo-account.js';

const emulator = await MkpEmulator.start({
  seed: DEMO_ACCOUNT,
  port: Number(process.env.PORT ?? 0),
});
console.log(`MijnKlantportaal emulator on ${emulator.baseUrl}, seeded with ${emulator.records.length} webhooks.
In another terminal:

  export MKP_API_URL=${emulator.baseUrl} MKP_API_TOKEN=${emulator.token}
  npx mkp-webhooks import --output -

Ctrl-C stops it.`);
const stop = () => void emulator.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
