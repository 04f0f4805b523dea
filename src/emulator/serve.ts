// `mkp-webhooks-sync emulator` and `npm run emulator`: the MijnKlantportaal emulator on
// 127.0.0.1 until it is told to stop, so that plan, apply and import can be tried without an
// account. The CLI loads this folder only for that command (an on-demand chunk of the bundle).
import { DEMO_ACCOUNT } from './demo-account.js';
import { MkpEmulator } from './mkp.js';

/** The accounts the emulator can start with: empty, or the demo's two webhooks. */
export const SEEDS = { none: [], demo: DEMO_ACCOUNT } as const;
export type SeedName = keyof typeof SEEDS;

/** How the port was given, for sentences: `--port N` on the command line, `PORT=…` for npm run. */
export interface PortSetting {
  /** How to give another port: `--port N`. */
  set: string;
  /** How to get any free port: `leave out --port`. */
  unset: string;
}

export interface ServeOptions {
  port: number;
  seed: SeedName;
  portSetting: PortSetting;
  /** How people start the CLI, for the commands it suggests: `npx mkp-webhooks-sync`. */
  cli: string;
  out: (text: string) => void;
  /** A failure, as one sentence without a final full stop. */
  fail: (sentence: string) => void;
  /** Settles when the emulator is to stop (Ctrl-C). */
  stop: Promise<unknown>;
}

/** Serves until `stop` settles; 0 then, or 1 when it could not listen (said in one sentence). */
export async function serveEmulator(options: ServeOptions): Promise<number> {
  let emulator: MkpEmulator;
  try {
    emulator = await MkpEmulator.start({ seed: [...SEEDS[options.seed]], port: options.port });
  } catch (error) {
    options.fail(listenFailure(error, options.port, options.portSetting));
    return 1;
  }
  options.out(startedText(emulator, options));
  try {
    await options.stop;
  } finally {
    await emulator.close();
  }
  return 0;
}

/** Why `text` is not a port number, in a sentence without a final full stop; undefined when it is. */
export function portProblem(text: string, name: string): string | undefined {
  const value = text.trim();
  if (/^\d+$/.test(value) && Number(value) <= 65535) return undefined;
  return `${name} must be a port number from 0 to 65535 (0: any free port), not ${JSON.stringify(text)}`;
}

function startedText(emulator: MkpEmulator, { seed, cli }: ServeOptions): string {
  const account =
    seed === 'demo'
      ? `the demo account: ${emulator.records.length} webhooks`
      : 'an empty account (--seed demo starts it with two webhooks)';
  const commands =
    seed === 'demo'
      ? [
          [`${cli} import --output -`, 'the account as a webhooks.yaml'],
          [`${cli} plan`, 'your webhooks.yaml against it'],
        ]
      : [
          [`${cli} plan`, 'what apply would create from your webhooks.yaml'],
          [`${cli} apply`, 'creates it on the emulator'],
          [`${cli} import --output -`, 'the account as a webhooks.yaml'],
        ];
  const width = Math.max(...commands.map(([command]) => command!.length));
  return `MijnKlantportaal emulator on ${emulator.baseUrl}, ${account}.
In another terminal:

  export MKP_API_URL=${emulator.baseUrl} MKP_API_TOKEN=${emulator.token}
${commands.map(([command, what]) => `  ${command!.padEnd(width)}   # ${what}`).join('\n')}

Ctrl-C stops it; the account is kept in memory only.
`;
}

/** The listen failure as one sentence without a final full stop. */
function listenFailure(error: unknown, port: number, setting: PortSetting): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') {
    return `Port ${port} on 127.0.0.1 is in use: stop what holds it, or pick another with ${setting.set} (${setting.unset} for any free port)`;
  }
  if (code === 'EACCES') {
    return `Port ${port} needs privileges this user lacks: pick a port above 1023 with ${setting.set} (or ${setting.unset})`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `The emulator could not listen on 127.0.0.1:${port}: ${message.split('\n')[0]}`;
}
