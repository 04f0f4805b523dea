import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitHubEmulator, type Fault as GitHubFault } from '../../dev/emulator/github.js';
import { MkpEmulator, type Fault as MkpFault } from '../../src/emulator/mkp.js';
import { runAction, type ActionRun } from '../../dev/harness/action-runner.js';
import {
  ALREADY_AT_TARGET,
  BASE,
  DECLARED,
  recordOf,
  REPOSITORY,
  SCOPE,
  SECRETS_PUT,
  WEBHOOKS_YAML,
} from './fault-matrix.js';
import {
  as,
  duplicates,
  errorLines,
  FAST,
  incomplete,
  leaks,
  stackTraces,
  truePlan,
  type Violation,
} from './fault-runner.js';

/*
 * A seeded random soak (issue 23): each seed draws a schedule of the emulators' faults across
 * the listing, the creates and the secret writes, keyed to request order (the Nth list, create
 * or write call meets fault F), runs the built action once with it and once clean, and checks
 * the fault matrix's properties after the pair. A seed fixes the schedule, not the interleaving
 * of concurrent calls: replaying a seed replays the same faults at the same call numbers.
 * Waits are compressed through the documented tuning variables. Imports no jest.
 */

export type SoakOperation = 'list' | 'create' | 'write';

/** One scheduled fault: the `nth` call of `on` (and `times` in a row) meets `kind`. */
export interface ScheduledFault {
  on: SoakOperation;
  nth: number;
  times: number;
  kind: string;
}

export interface SeedResult {
  seed: number;
  schedule: ScheduledFault[];
  /** Calls that met a scheduled fault, by fault kind. */
  met: Record<string, number>;
  faultyExit: number;
  nextExit: number;
  violations: Violation[];
}

/** The per-attempt timeout of the faulty run; slow answers come well after it. */
export const SOAK_TIMEOUT_MS = 1_000;
const SLOW_MS = 2_500;
/** The clean run's timeout: generous, so that only scheduled faults are faults. */
const CLEAN_TIMEOUT_MS = 10_000;
/** Waits compressed through the documented tuning (README "Tuning"). */
export const SOAK_TUNING = {
  ...FAST,
  MKP_RATE_LIMIT: '60/1000',
} as const;

/** mulberry32: a small seeded generator, so that a seed names one schedule on any machine. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The fault kinds of each operation, as the emulators model them, with their burst sizes. */
const KINDS: Record<SoakOperation, ReadonlyArray<{ kind: string; times: readonly number[] }>> = {
  list: [
    { kind: '429 burst', times: [1, 2, 3] },
    { kind: '429 without rate headers', times: [1] },
    { kind: '5xx before', times: [1, 2] },
    { kind: '5xx after', times: [1, 2] },
    { kind: 'reset before', times: [1] },
    { kind: 'reset after', times: [1] },
    { kind: 'slow answer', times: [1] },
    { kind: 'malformed JSON', times: [1] },
    { kind: 'HTML error page', times: [1] },
    { kind: 'wrong content-type', times: [1] },
    { kind: '5xx beyond the retries', times: [6] },
  ],
  create: [
    { kind: '429 burst', times: [1, 2, 3] },
    { kind: '5xx before', times: [1, 2] },
    { kind: '5xx after', times: [1, 2] },
    { kind: 'reset before', times: [1] },
    { kind: 'reset after', times: [1] },
    { kind: 'slow answer', times: [1] },
    { kind: 'malformed JSON', times: [1] },
    { kind: 'HTML error page', times: [1] },
    { kind: 'wrong content-type', times: [1] },
    { kind: '5xx beyond the retries', times: [6] },
  ],
  write: [
    { kind: '429 burst', times: [1, 2] },
    { kind: '429 beyond the retries', times: [3] },
    { kind: '5xx before', times: [1] },
    { kind: '5xx after', times: [1] },
    { kind: 'reset before', times: [1] },
    { kind: 'reset after', times: [1] },
    { kind: 'slow answer', times: [1] },
    { kind: 'malformed JSON', times: [1] },
    { kind: 'HTML error page', times: [1] },
    { kind: 'wrong content-type', times: [1] },
  ],
};

/** The schedule of a seed: 1-5 faults, each at a call number of its operation, none overlapping. */
export function scheduleFor(seed: number): ScheduledFault[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const count = 1 + Math.floor(next() * 5);
  const drawn: ScheduledFault[] = [];
  for (let i = 0; i < count; i++) {
    const on = pick<SoakOperation>(['list', 'create', 'write']);
    const { kind, times } = pick(KINDS[on]);
    drawn.push({ on, nth: 0, times: pick(times), kind });
  }
  // Call numbers per operation, in order: each fault starts a few calls after the last one
  // ends (0-1 for the listing, which makes 2 calls when nothing goes wrong; 0-2 for the others).
  const schedule: ScheduledFault[] = [];
  for (const on of ['list', 'create', 'write'] as const) {
    let free = 1;
    for (const fault of drawn.filter((f) => f.on === on)) {
      const nth = free + Math.floor(next() * (on === 'list' ? 2 : 3));
      schedule.push({ ...fault, nth });
      free = nth + fault.times;
    }
  }
  return schedule;
}

function mkpFault(f: ScheduledFault, after: number): MkpFault {
  const on = f.on as 'list' | 'create';
  const base = { on, times: f.times, after };
  switch (f.kind) {
    case '429 burst':
      return { ...base, kind: 'rate-limit', retryAfter: 1 };
    case '429 without rate headers':
      return { ...base, kind: 'rate-limit', retryAfter: null };
    case '5xx before':
    case '5xx beyond the retries':
      return { ...base, kind: 'error-before', status: 503 };
    case '5xx after':
      return { ...base, kind: 'error-after', status: 502 };
    case 'reset before':
      return { ...base, kind: 'reset-before' };
    case 'reset after':
      return { ...base, kind: 'reset-after' };
    case 'slow answer':
      return { ...base, kind: 'slow', delayMs: SLOW_MS };
    case 'malformed JSON':
      return { ...base, kind: 'malformed-json' };
    case 'HTML error page':
      return { ...base, kind: 'html' };
    case 'wrong content-type':
      return { ...base, kind: 'wrong-content-type' };
    default:
      throw new Error(`no MijnKlantportaal fault ${f.kind}`);
  }
}

function githubFault(f: ScheduledFault, skip: number): GitHubFault {
  const base = { method: 'PUT', pathIncludes: SECRETS_PUT, times: f.times, skip };
  switch (f.kind) {
    case '429 burst':
    case '429 beyond the retries':
      return { ...base, status: 429 };
    case '5xx before':
      return { ...base, status: 503 };
    case '5xx after':
      return { ...base, status: 502, after: true };
    case 'reset before':
      return { ...base, drop: true };
    case 'reset after':
      return { ...base, drop: true, after: true };
    case 'slow answer':
      return { ...base, delayMs: SLOW_MS };
    case 'malformed JSON':
      return { ...base, body: 'malformed-json' };
    case 'HTML error page':
      return { ...base, body: 'html' };
    case 'wrong content-type':
      return { ...base, body: 'text' };
    default:
      throw new Error(`no GitHub fault ${f.kind}`);
  }
}

/**
 * Injects a schedule, each operation's faults in order with the gap before each (the emulators
 * apply the first pending fault of an operation, after letting its `after`/`skip` calls pass),
 * and returns how many calls met each fault once the run is over.
 */
function inject(
  schedule: readonly ScheduledFault[],
  mkp: MkpEmulator,
  github: GitHubEmulator,
): () => number[] {
  const left: Array<() => number> = [];
  for (const on of ['list', 'create', 'write'] as const) {
    let end = 1;
    for (const f of schedule.filter((s) => s.on === on)) {
      const gap = f.nth - end;
      end = f.nth + f.times;
      if (on === 'write') {
        github.inject(githubFault(f, gap));
        const entry = queueOf(github).at(-1)!;
        left.push(() => (queueOf(github).includes(entry) ? entry.left : 0));
      } else {
        const fault = mkpFault(f, gap);
        mkp.inject(fault);
        left.push(() => queueOf(mkp).find((p) => p.fault === fault)?.left ?? 0);
      }
    }
  }
  // In the order the faults were injected, which is the schedule's order by operation.
  return () => left.map((remaining) => remaining());
}

/** The emulators keep their fault queues private; the soak reads what is left of each fault. */
function queueOf(emulator: MkpEmulator | GitHubEmulator): Array<{ left: number; fault?: unknown }> {
  const queue = (emulator as unknown as { faults: unknown }).faults;
  if (!Array.isArray(queue)) throw new Error('the emulator keeps its faults elsewhere now');
  return queue as Array<{ left: number; fault?: unknown }>;
}

/** One seed: its faulty run, the clean run after it, and the matrix's properties after both. */
export async function runSeed(seed: number, entry?: string): Promise<SeedResult> {
  const schedule = scheduleFor(seed);
  const mkp = await MkpEmulator.start({ seed: BASE.seed() });
  const github = await GitHubEmulator.start();
  const cwd = await mkdtemp(join(tmpdir(), 'mkp-soak-'));
  try {
    await writeFile(join(cwd, 'webhooks.yaml'), WEBHOOKS_YAML);
    const atTarget = recordOf(mkp.records, ALREADY_AT_TARGET)!;
    github.putSecret(SCOPE, ALREADY_AT_TARGET.secretName, atTarget.secret);

    const ordered = (['list', 'create', 'write'] as const).flatMap((on) =>
      schedule.filter((s) => s.on === on),
    );
    const remaining = inject(ordered, mkp, github);
    const faulty = await run(mkp, github, cwd, SOAK_TIMEOUT_MS, entry);
    const left = remaining();
    const met: Record<string, number> = {};
    ordered.forEach((f, i) => {
      const n = f.times - left[i]!;
      if (n > 0) met[`${f.on}: ${f.kind}`] = (met[`${f.on}: ${f.kind}`] ?? 0) + n;
    });
    const afterFaulty = [...mkp.records];
    const deliveredAfterFaulty = DECLARED.map((d) => github.decrypt(SCOPE, d.secretName));
    queueOf(mkp).length = 0;
    queueOf(github).length = 0;

    const next = await run(mkp, github, cwd, CLEAN_TIMEOUT_MS, entry);
    const hidden = [...mkp.records.map((r) => r.secret), mkp.token, github.token];
    const delivered = DECLARED.map((d) => github.decrypt(SCOPE, d.secretName));
    const violations: Violation[] = [
      ...as(1, duplicates(afterFaulty), 'after the faulty run'),
      ...as(1, duplicates(mkp.records), 'after the next run'),
      ...as(2, incomplete(mkp.records, delivered), 'after the next run'),
      ...as(
        2,
        faulty.exitCode === 0 ? incomplete(afterFaulty, deliveredAfterFaulty) : [],
        'the faulty run exited 0 but did not finish',
      ),
      ...as(3, saysWhatFailed(faulty)),
      ...as(3, stackTraces(faulty), 'faulty run'),
      ...as(3, stackTraces(next), 'next run'),
      ...as(4, [
        ...(faulty.exitCode === 0 || faulty.exitCode === 1
          ? []
          : [`the faulty run exited ${faulty.exitCode}: ${errorLines(faulty)}`]),
        ...(next.exitCode === 0
          ? []
          : [`the next run exited ${next.exitCode}: ${errorLines(next)}`]),
      ]),
      ...as(5, leaks(faulty, hidden), 'faulty run'),
      ...as(5, leaks(next, hidden), 'next run'),
      ...as(6, truePlan(faulty, BASE)),
    ];
    return {
      seed,
      schedule: ordered,
      met,
      faultyExit: faulty.exitCode,
      nextExit: next.exitCode,
      violations,
    };
  } finally {
    await Promise.all([mkp.close(), github.close()]);
    await rm(cwd, { recursive: true, force: true });
  }
}

/** 3: a run that fails names what failed, and says what was already done. */
function saysWhatFailed(run: ActionRun): string[] {
  if (run.exitCode === 0) return [];
  const errors = run.stdout.split('\n').filter((line) => line.startsWith('::error'));
  if (errors.length < 2 || !run.stdout.includes('Already done:')) {
    return [`the failed run does not say what failed and what was done: ${errorLines(run)}`];
  }
  return [];
}

function run(
  mkp: MkpEmulator,
  github: GitHubEmulator,
  cwd: string,
  timeoutMs: number,
  entry?: string,
): Promise<ActionRun> {
  return runAction({
    cwd,
    entry,
    inputs: {
      'api-token': mkp.token,
      'api-url': mkp.baseUrl,
      'secrets-target': 'repository',
      'github-token': github.token,
      repository: REPOSITORY,
    },
    env: { ...SOAK_TUNING, MKP_HTTP_TIMEOUT_MS: String(timeoutMs), GITHUB_API_URL: github.url },
  });
}

/**
 * Runs seeds `concurrency` at a time; `onResult` sees each as it ends (for progress). `entry`:
 * the bundle to run, default dist/index.js.
 */
export async function runSeeds(
  seeds: readonly number[],
  concurrency: number,
  onResult: (result: SeedResult) => void = () => {},
  entry?: string,
): Promise<SeedResult[]> {
  const results: SeedResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < seeds.length) {
      const seed = seeds[next++]!;
      const result = await runSeed(seed, entry).catch((error: unknown): SeedResult => ({
        seed,
        schedule: scheduleFor(seed),
        met: {},
        faultyExit: -1,
        nextExit: -1,
        violations: as(4, [
          `the seed could not be run: ${error instanceof Error ? error.stack : String(error)}`,
        ]),
      }));
      results.push(result);
      onResult(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, seeds.length) }, worker));
  return results.sort((a, b) => a.seed - b.seed);
}

/** A seed's schedule for people: `list#2 5xx before ×2; write#1 reset after`. */
export function describeSchedule(schedule: readonly ScheduledFault[]): string {
  return schedule
    .map((f) => `${f.on}#${f.nth} ${f.kind}${f.times > 1 ? ` ×${f.times}` : ''}`)
    .join('; ');
}
