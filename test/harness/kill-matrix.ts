import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitHubEmulator, type GhCall } from '../../dev/emulator/github.js';
import { MkpEmulator, type CallMoment, type CallRecord } from '../../src/emulator/mkp.js';
import { runAction, type ActionRun } from '../../dev/harness/action-runner.js';
import {
  ALREADY_AT_TARGET,
  BASE,
  DECLARED,
  DEFAULT_TIMEOUT_MS,
  recordOf,
  REPOSITORY,
  SCOPE,
  SECRETS_PUT,
  WEBHOOKS_YAML,
} from './fault-matrix.js';
import {
  as,
  duplicates,
  FAST,
  incomplete,
  leaks,
  stackTraces,
  errorLines,
  type Violation,
} from './fault-runner.js';

/*
 * Killed anywhere, healed next time (CONTRACT §4 "No duplicates", issue 23): the built action
 * is sent SIGKILL at one moment of an apply with repository secrets, each moment an event of an
 * emulator (the Nth create or secret write received or answered), never a timer, so that every
 * moment is hit on every run. Then a clean run must leave every declared subscription exactly
 * once, with its own secret at the target. Same account as the fault matrix. Imports no jest.
 */

/** Which calls a kill counts: the emulator and what the call is. */
export type KillCall = 'list' | 'create' | 'secrets list' | 'public key' | 'secret write';

export interface KillCell {
  /** Where in the run, for people (RELIABILITY.md). */
  phase: 'listing' | 'target read' | 'creates' | 'secret writes' | 'between writes';
  call: KillCall;
  /** The Nth such call of the run. */
  n: number;
  moment: CallMoment;
  /** What had happened when the process died, for people. */
  state: string;
}

/** GitHub writes one at a time with this gap, so that "between writes" is a moment of its own. */
export const KILL_WRITE_INTERVAL_MS = 150;

const cell = (
  phase: KillCell['phase'],
  call: KillCall,
  n: number,
  moment: CallMoment,
  state: string,
): KillCell => ({ phase, call, n, moment, state });

/** Every moment of the run, in order: the listing, the target read, creates, writes. */
export const KILLS: readonly KillCell[] = [
  cell('listing', 'list', 1, 'received', 'the listing begun; nothing created'),
  cell('listing', 'list', 2, 'received', 'page 2 asked for; nothing created'),
  cell('listing', 'list', 2, 'answered', 'the account read; nothing created'),
  cell('target read', 'secrets list', 1, 'received', "the target's secret names asked for"),
  cell('target read', 'public key', 1, 'answered', "the target's key read; nothing created"),
  cell('creates', 'create', 1, 'received', 'a webhook made, its answer not read'),
  cell('creates', 'create', 2, 'received', 'both webhooks made; the second not yet answered'),
  cell('creates', 'create', 1, 'answered', 'a webhook made and answered, the other perhaps made'),
  cell('creates', 'create', 2, 'answered', 'both webhooks made and answered; no secret written'),
  cell('secret writes', 'secret write', 1, 'received', 'the first secret stored, unanswered'),
  cell('between writes', 'secret write', 1, 'answered', 'one secret written, two to go'),
  cell('secret writes', 'secret write', 2, 'received', 'the second secret stored, unanswered'),
  cell('between writes', 'secret write', 2, 'answered', 'two secrets written, one to go'),
  cell('secret writes', 'secret write', 3, 'received', 'the last secret stored, unanswered'),
  cell('secret writes', 'secret write', 3, 'answered', 'every secret written; no output yet'),
];

export function describeKill(kill: KillCell): string {
  const ordinal = ['first', 'second', 'third', 'fourth'][kill.n - 1] ?? `${kill.n}th`;
  const what: Record<KillCall, string> = {
    list: `the ${ordinal} GET of the listing`,
    create: `the ${ordinal} POST (create)`,
    'secrets list': `the ${ordinal} GET of the secret names`,
    'public key': `the ${ordinal} GET of the public key`,
    'secret write': `the ${ordinal} secret PUT`,
  };
  return `${what[kill.call]} ${kill.moment}`;
}

export interface KillResult {
  kill: KillCell;
  /** The faulty run died of SIGKILL at its moment (not before, not of something else). */
  killed: boolean;
  next: { exitCode: number };
  violations: Violation[];
}

function counts(kill: KillCell): (call: CallRecord | GhCall) => boolean {
  switch (kill.call) {
    case 'list':
    case 'create':
      return (call) => 'operation' in call && call.operation === kill.call;
    case 'secrets list':
      return (call) =>
        call.method === 'GET' && /\/actions\/secrets(\?|$)/.test(call.path.split('#')[0]!);
    case 'public key':
      return (call) => call.method === 'GET' && call.path.includes('/actions/secrets/public-key');
    case 'secret write':
      return (call) => call.method === 'PUT' && call.path.includes(SECRETS_PUT);
  }
}

export async function runKill(kill: KillCell): Promise<KillResult> {
  const mkp = await MkpEmulator.start({ seed: BASE.seed() });
  const github = await GitHubEmulator.start();
  const cwd = await mkdtemp(join(tmpdir(), 'mkp-kill-'));
  try {
    await writeFile(join(cwd, 'webhooks.yaml'), WEBHOOKS_YAML);
    github.putSecret(
      SCOPE,
      ALREADY_AT_TARGET.secretName,
      recordOf(mkp.records, ALREADY_AT_TARGET)!.secret,
    );

    let child: ChildProcess | undefined;
    let killed = false;
    let exitSignal: NodeJS.Signals | null = null;
    let seen = 0;
    const matches = counts(kill);
    const watch = (call: CallRecord | GhCall, moment: CallMoment) => {
      if (!matches(call) || moment !== kill.moment) return;
      seen += 1;
      // The process is alive at this moment (it made the call); SIGKILL cannot be caught.
      if (seen === kill.n && child && child.exitCode === null && child.signalCode === null) {
        killed = child.kill('SIGKILL');
      }
    };
    const stop =
      kill.call === 'list' || kill.call === 'create' ? mkp.onCall(watch) : github.onCall(watch);
    const faulty = await run(mkp, github, cwd, (c) => {
      child = c;
      c.on('exit', (_code, signal) => (exitSignal = signal));
    });
    stop();
    const afterFaulty = [...mkp.records];
    const next = await run(mkp, github, cwd);
    const hidden = [...mkp.records.map((r) => r.secret), mkp.token, github.token];
    const delivered = DECLARED.map((d) => github.decrypt(SCOPE, d.secretName));
    const diedAtItsMoment = killed && exitSignal === 'SIGKILL';
    const violations: Violation[] = [
      ...as(1, duplicates(afterFaulty), 'after the kill'),
      ...as(1, duplicates(mkp.records), 'after the next run'),
      ...as(2, incomplete(mkp.records, delivered), 'after the next run'),
      ...as(3, stackTraces(next), 'next run'),
      ...as(
        4,
        next.exitCode === 0 ? [] : [`the next run exited ${next.exitCode}: ${errorLines(next)}`],
      ),
      ...as(5, leaks(faulty, hidden), 'killed run'),
      ...as(5, leaks(next, hidden), 'next run'),
      ...as(
        6,
        diedAtItsMoment
          ? []
          : [
              `the run was not killed at ${describeKill(kill)} (saw ${seen}, exit ${faulty.exitCode}, signal ${exitSignal ?? 'none'})`,
            ],
      ),
    ];
    return {
      kill,
      killed: diedAtItsMoment,
      next: { exitCode: next.exitCode },
      violations,
    };
  } finally {
    await Promise.all([mkp.close(), github.close()]);
    await rm(cwd, { recursive: true, force: true });
  }
}

function run(
  mkp: MkpEmulator,
  github: GitHubEmulator,
  cwd: string,
  onSpawn?: (child: ChildProcess) => void,
): Promise<ActionRun> {
  return runAction({
    cwd,
    inputs: {
      'api-token': mkp.token,
      'api-url': mkp.baseUrl,
      'secrets-target': 'repository',
      'github-token': github.token,
      repository: REPOSITORY,
    },
    env: {
      ...FAST,
      MKP_GITHUB_WRITE_INTERVAL_MS: String(KILL_WRITE_INTERVAL_MS),
      MKP_HTTP_TIMEOUT_MS: String(DEFAULT_TIMEOUT_MS),
      GITHUB_API_URL: github.url,
    },
    onSpawn,
  });
}

/** Runs the kills, `concurrency` at a time, each on its own emulators. */
export async function runKills(
  kills: readonly KillCell[],
  concurrency: number,
): Promise<KillResult[]> {
  const results = new Array<KillResult>(kills.length);
  let next = 0;
  const worker = async () => {
    while (next < kills.length) {
      const index = next++;
      results[index] = await runKill(kills[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, kills.length) }, worker));
  return results;
}
