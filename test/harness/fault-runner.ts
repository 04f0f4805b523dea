import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitHubEmulator } from '../../dev/emulator/github.js';
import { MkpEmulator, type WebhookRecord } from '../../src/emulator/mkp.js';
import { runAction, type ActionRun } from '../../dev/harness/action-runner.js';
import { spellingKey } from '../../src/matching.js';
import {
  ALREADY_AT_TARGET,
  BASE,
  DECLARED,
  DEFAULT_TIMEOUT_MS,
  EXISTING,
  HOSTILE_PR,
  ONE_HOOK,
  recordOf,
  REPOSITORY,
  SCOPE,
  SECRETS_PUT,
  TO_CREATE,
  WEBHOOKS_YAML,
  type Emulators,
  type HostileCell,
  type RunnableCell,
  type Scenario,
} from './fault-matrix.js';
import { findLeaks } from './leak-scan.js';

/*
 * Runs the cells of fault-matrix.ts through the built action, each on its own emulators: a
 * matrix cell twice (once with the fault, once after it is gone), a hostile cell once. The
 * properties of CONTRACT §4 are checked as data (`violations`), so the same results feed the
 * jest assertions and the generated RELIABILITY.md. Imports nothing from jest.
 */

/** One run of the action: what it came to and what it cost. */
export interface RunRecord {
  exitCode: number;
  calls: { list: number; create: number; secretPuts: number };
  created: number;
  secretsWritten: number;
}

export interface CellResult {
  cell: RunnableCell;
  faulty: RunRecord;
  next: RunRecord;
  /** Calls that met an injected fault during the faulty run. */
  faultsMet: number;
  /** Every property of the cell that did not hold; empty when the cell passes. */
  violations: Violation[];
}

// ------------------------------------------------------------------------------- running

export const FAST = { MKP_RETRY_BASE_MS: '5', MKP_GITHUB_WRITE_INTERVAL_MS: '0' };
const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

/** Runs the cells, `concurrency` at a time, each on its own emulators. */
export async function runMatrix(
  cells: readonly RunnableCell[],
  concurrency: number,
): Promise<CellResult[]> {
  const order = [...cells.keys()].sort(
    (a, b) => Number(cells[b]!.first ?? false) - Number(cells[a]!.first ?? false),
  );
  const results = new Array<CellResult>(cells.length);
  let next = 0;
  const worker = async () => {
    while (next < order.length) {
      const index = order[next++]!;
      results[index] = await runCell(cells[index]!).catch((error: unknown) => ({
        cell: cells[index]!,
        faulty: NO_RUN,
        next: NO_RUN,
        faultsMet: 0,
        violations: as(4, [
          `the cell could not be run: ${error instanceof Error ? error.stack : String(error)}`,
        ]),
      }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, cells.length) }, worker));
  return results;
}

const NO_RUN: RunRecord = {
  exitCode: -1,
  calls: { list: 0, create: 0, secretPuts: 0 },
  created: 0,
  secretsWritten: 0,
};

export async function runCell(cell: RunnableCell): Promise<CellResult> {
  const scenario = cell.scenario ?? BASE;
  const emulators: Emulators = {
    mkp: await MkpEmulator.start({
      seed: scenario.seed(),
      rateLimit: scenario.rateLimit,
      normaliseUrls: cell.normalisingApi,
    }),
    github: await GitHubEmulator.start(),
    foreign: await MkpEmulator.start(),
    foreignGithub: await GitHubEmulator.start(),
  };
  const { mkp: account, github: gh, foreign, foreignGithub } = emulators;
  const cwd = await mkdtemp(join(tmpdir(), 'mkp-faults-'));
  try {
    await writeFile(join(cwd, 'webhooks.yaml'), WEBHOOKS_YAML);
    const atTarget = recordOf(account.records, ALREADY_AT_TARGET)!;
    gh.putSecret(SCOPE, ALREADY_AT_TARGET.secretName, atTarget.secret);

    cell.inject(emulators);
    const injected = pendingFaults(account) + pendingFaults(gh);
    const faultyRun = await runOnce(emulators, cwd, cell.timeoutMs ?? DEFAULT_TIMEOUT_MS, cell);
    const faultsMet = cell.met
      ? Number(cell.met(faultyRun.run))
      : injected - pendingFaults(account) - pendingFaults(gh);
    const afterFaulty = [...account.records];
    const deliveredAfterFaulty = deliveredBy(cell, faultyRun.run, gh);
    const shown = cell.check?.(faultyRun.run, emulators) ?? [];

    withdrawFaults(account);
    withdrawFaults(gh);
    cell.remedy?.apply(emulators);
    const nextRun = await runOnce(emulators, cwd, DEFAULT_TIMEOUT_MS, {
      ...cell,
      signal: undefined,
    });

    // Every secret the account holds, and both tokens, must stay out of the log and outputs.
    const hidden = [...account.records.map((r) => r.secret), account.token, gh.token];
    const delivered = deliveredBy(cell, nextRun.run, gh);
    const refuses = cell.expect.outcome === 'refuses';
    const complete = (records: readonly WebhookRecord[], secrets: Array<string | undefined>) =>
      refuses ? onePerDeclaration(records) : incomplete(records, secrets);
    const violations: Violation[] = [
      ...as(1, duplicates(afterFaulty), 'after the faulty run'),
      ...as(1, duplicates(account.records), 'after the next run'),
      ...as(1, refuses ? onePerDeclaration(account.records) : [], 'after the next run'),
      ...as(2, complete(account.records, delivered), 'after the next run'),
      ...as(
        2,
        faultyRun.run.exitCode === 0 ? complete(afterFaulty, deliveredAfterFaulty) : [],
        'the faulty run exited 0 but did not finish',
      ),
      ...as(3, clearError(cell, faultyRun.run)),
      ...as(3, refuses ? clearError(cell, nextRun.run) : [], 'next run'),
      ...as(3, stackTraces(faultyRun.run), 'faulty run'),
      ...as(3, stackTraces(nextRun.run), 'next run'),
      ...as(4, exitStatus(cell, faultyRun.run, nextRun.run)),
      ...as(5, leaks(faultyRun.run, hidden, cell.target), 'faulty run'),
      ...as(5, leaks(nextRun.run, hidden, cell.target), 'next run'),
      ...as(6, truePlan(faultyRun.run, scenario)),
      ...as(
        6,
        cell.scenario === undefined && faultsMet === 0 ? ['the cell never met its fault'] : [],
      ),
      ...as(
        6,
        foreign.calls.length > 0 ? [`the foreign origin got ${foreign.calls.length} call(s)`] : [],
      ),
      ...as(
        6,
        foreignGithub.calls.length > 0
          ? [`the foreign GitHub origin got ${foreignGithub.calls.length} call(s)`]
          : [],
      ),
      ...as(3, shown, 'faulty run'),
    ];
    return { cell, faulty: faultyRun.record, next: nextRun.record, faultsMet, violations };
  } finally {
    await Promise.all([account.close(), gh.close(), foreign.close(), foreignGithub.close()]);
    await rm(cwd, { recursive: true, force: true });
  }
}

async function runOnce(
  { mkp: account, github: gh }: Emulators,
  cwd: string,
  timeoutMs: number,
  cell: Pick<RunnableCell, 'signal' | 'target'>,
): Promise<{ run: ActionRun; record: RunRecord }> {
  account.resetCalls();
  const ghCallsBefore = gh.calls.length;
  const run = await runAction({
    cwd,
    inputs: {
      'api-token': account.token,
      'api-url': account.baseUrl,
      'secrets-target': cell.target ?? 'repository',
      'github-token': gh.token,
      repository: REPOSITORY,
    },
    env: { ...FAST, MKP_HTTP_TIMEOUT_MS: String(timeoutMs), GITHUB_API_URL: gh.url },
    onSpawn: cell.signal ? signalOnCreate(account, cell.signal) : undefined,
  });
  const puts = gh.calls
    .slice(ghCallsBefore)
    .filter((c) => c.method === 'PUT' && c.path.includes(SECRETS_PUT));
  return {
    run,
    record: {
      exitCode: run.exitCode,
      calls: {
        list: account.count('list'),
        create: account.count('create'),
        secretPuts: puts.length,
      },
      created: parseCreated(run.outputs.created),
      secretsWritten: puts.filter((c) => c.status === 201 || c.status === 204).length,
    },
  };
}

/** Sends `signal` to the action once the account has seen every create of the run begin. */
function signalOnCreate(account: MkpEmulator, signal: NodeJS.Signals) {
  return (child: ChildProcess) => {
    const poll = setInterval(() => {
      if (account.count('create') < TO_CREATE) return;
      clearInterval(poll);
      child.kill(signal);
    }, 10);
    child.on('exit', () => clearInterval(poll));
  };
}

/** Each declared secret as the target holds it after `run`: decrypted, or from the outputs. */
function deliveredBy(
  cell: RunnableCell,
  run: ActionRun,
  gh: GitHubEmulator,
): Array<string | undefined> {
  if (cell.target !== 'outputs') return DECLARED.map((d) => gh.decrypt(SCOPE, d.secretName));
  const secrets = JSON.parse(run.outputs.secrets ?? '{}') as Record<string, string>;
  return DECLARED.map((d) => secrets[d.secretName]);
}

// ------------------------------------------------------------------------------- properties

/** One property of RELIABILITY.md's list (1-6) that a cell broke, and how. */
export interface Violation {
  property: 1 | 2 | 3 | 4 | 5 | 6;
  detail: string;
}

export function as(
  property: Violation['property'],
  details: string[],
  context?: string,
): Violation[] {
  return details.map((detail) => ({
    property,
    detail: context ? `${context}: ${detail}` : detail,
  }));
}

/** 3: a faulty run that fails says what failed. */
function clearError(cell: RunnableCell, run: ActionRun): string[] {
  const { expect: expectation } = cell;
  if (run.exitCode === 0 || expectation.outcome === 'recovers') return [];
  return run.stdout.includes(expectation.says)
    ? []
    : [`the faulty run's log does not say "${expectation.says}": ${errorLines(run)}`];
}

export function stackTraces(run: ActionRun): string[] {
  return (['stdout', 'stderr'] as const).flatMap((stream) =>
    STACK_TRACE.test(run[stream]) ? [`a stack trace on ${stream}`] : [],
  );
}

/** 4: exit 0 when the retries absorb the fault, exactly 1 when the run could not finish. */
function exitStatus(cell: RunnableCell, faulty: ActionRun, next: ActionRun): string[] {
  const wanted = cell.expect.outcome === 'recovers' ? 0 : 1;
  const wantedNext = cell.expect.outcome === 'refuses' ? 1 : 0;
  return [
    ...(faulty.exitCode === wanted
      ? []
      : [`the faulty run exited ${faulty.exitCode}, not ${wanted}: ${errorLines(faulty)}`]),
    ...(next.exitCode === wantedNext
      ? []
      : [`the next run exited ${next.exitCode}, not ${wantedNext}: ${errorLines(next)}`]),
  ];
}

/** 5: no secret or token outside its own ::add-mask:: line, the summary or an output. */
export function leaks(run: ActionRun, hidden: string[], target?: RunnableCell['target']): string[] {
  // With the outputs target, the per-secret outputs are where the secrets belong.
  const secretOutputs =
    target === 'outputs'
      ? Object.keys(run.outputs).filter((n) => /^[A-Z_][A-Z0-9_]*$/.test(n))
      : [];
  const problems = findLeaks({ run, secrets: hidden, secretOutputs });
  if (target !== 'outputs' && run.outputs.secrets !== undefined && run.outputs.secrets !== '{}') {
    problems.push('the secrets output is not {} with a repository target');
  }
  return problems;
}

/** 6: a fault must not change what the run believes is on the account. */
export function truePlan(run: ActionRun, scenario: Scenario): string[] {
  if (run.outputs.plan === undefined) return [];
  const plan = JSON.parse(run.outputs.plan) as Record<string, unknown[] | undefined>;
  const seen = {
    create: plan.create?.length,
    unmanaged: plan.unmanaged?.length,
    duplicates: plan.duplicates?.length,
  };
  const truth = {
    create: TO_CREATE,
    unmanaged: scenario.seed().length - EXISTING.length,
    duplicates: 0,
  };
  return JSON.stringify(seen) === JSON.stringify(truth)
    ? []
    : [
        `the faulty run planned from a wrong listing: ${JSON.stringify(seen)} instead of ${JSON.stringify(truth)}`,
      ];
}

/** Records that share one (type, url) on the account. */
export function duplicates(records: readonly WebhookRecord[]): string[] {
  const counts = new Map<string, number>();
  for (const r of records) {
    const key = `${r.type} ${new URL(r.url).href}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n > 1).map(([key, n]) => `${n} records for ${key}`);
}

/** What is not yet as declared: a subscription missing or doubled, a secret absent or wrong. */
export function incomplete(
  records: readonly WebhookRecord[],
  delivered: ReadonlyArray<string | undefined>,
): string[] {
  return DECLARED.flatMap((d, i) => {
    const matching = records.filter((r) => r.type === d.event && r.url === d.url);
    if (matching.length !== 1) return [`${matching.length} records for ${d.event} ${d.url}`];
    if (delivered[i] === undefined) return [`${d.secretName} is not at the target`];
    if (delivered[i] !== matching[0]!.secret) {
      return [`${d.secretName} at the target is not the webhook's secret`];
    }
    return [];
  });
}

/** With a normalising API: one record per declaration, whatever spelling the API stored. */
function onePerDeclaration(records: readonly WebhookRecord[]): string[] {
  return DECLARED.flatMap((d) => {
    const key = spellingKey(d.event, d.url);
    const n = records.filter((r) => spellingKey(r.type, r.url) === key).length;
    return n === 1 ? [] : [`${n} records for ${d.event} ${d.url} in any spelling`];
  });
}

function parseCreated(json: string | undefined): number {
  if (json === undefined) return 0;
  const created = JSON.parse(json) as unknown;
  return Array.isArray(created) ? created.length : 0;
}

/** The run's error lines (they never hold a secret: the runner masks, and these are checked). */
export function errorLines(run: ActionRun): string {
  const lines = run.stdout.split('\n').filter((line) => line.startsWith('::error'));
  return lines.join(' | ').slice(0, 600) || '(no error line)';
}

/**
 * The emulators keep their fault queues private and cannot withdraw a fault; the matrix needs
 * both: how many faulty calls are still to come (to prove each cell met its fault), and a
 * next run with every fault gone.
 */
function faultQueue(emulator: MkpEmulator | GitHubEmulator): Array<{ left: number }> {
  const queue = (emulator as unknown as { faults: unknown }).faults;
  if (!Array.isArray(queue)) throw new Error('the emulator keeps its faults elsewhere now');
  return queue as Array<{ left: number }>;
}

export function pendingFaults(emulator: MkpEmulator | GitHubEmulator): number {
  return faultQueue(emulator).reduce((sum, fault) => sum + fault.left, 0);
}

export function withdrawFaults(emulator: MkpEmulator | GitHubEmulator): void {
  faultQueue(emulator).length = 0;
}

// ------------------------------------------------------------------------------- hostile input

export interface HostileResult {
  cell: HostileCell;
  exitCode: number;
  calls: number;
  violations: string[];
}

export async function runHostile(cell: HostileCell): Promise<HostileResult> {
  const emulators: Emulators = {
    mkp: await MkpEmulator.start(cell.mkp),
    github: await GitHubEmulator.start(),
    foreign: await MkpEmulator.start(),
    foreignGithub: await GitHubEmulator.start(),
  };
  const { mkp: account, github: gh, foreign, foreignGithub } = emulators;
  const cwd = await mkdtemp(join(tmpdir(), 'mkp-hostile-'));
  try {
    await writeFile(join(cwd, 'webhooks.yaml'), cell.yaml ?? ONE_HOOK);
    gh.addPullRequest(REPOSITORY, HOSTILE_PR);
    cell.arrange?.(emulators);
    const run = await runAction({
      cwd,
      inputs: {
        'api-token': account.token,
        'api-url': cell.apiUrl ?? account.baseUrl,
        'github-token': gh.token,
        repository: REPOSITORY,
        ...cell.inputs,
      },
      env: {
        ...FAST,
        MKP_HTTP_TIMEOUT_MS: String(DEFAULT_TIMEOUT_MS),
        GITHUB_API_URL: gh.url,
        ...cell.env,
      },
      event: { name: 'pull_request', payload: { pull_request: { number: HOSTILE_PR } } },
    });
    const calls = account.calls.length;
    const violations = [
      ...(run.exitCode === cell.exitCode
        ? []
        : [`exit ${run.exitCode}, not ${cell.exitCode}: ${errorLines(run)}`]),
      ...(run.stdout.includes(cell.says)
        ? []
        : [`the log does not say "${cell.says}": ${errorLines(run)}`]),
      ...(calls === cell.calls ? [] : [`${calls} MijnKlantportaal call(s), not ${cell.calls}`]),
      ...(foreign.calls.length > 0 ? ['the foreign origin was called'] : []),
      ...(foreignGithub.calls.length > 0 ? ['the foreign GitHub origin was called'] : []),
      ...stackTraces(run),
      ...findLeaks({
        run,
        secrets: [
          ...account.records.map((r) => r.secret),
          account.token,
          gh.token,
          ...(cell.inputs?.['api-token'] ? [cell.inputs['api-token']] : []),
        ],
        variables: [...(cell.hidden ?? []), ...Object.values(cell.env ?? {})],
        posted: [
          ...gh.comments.map((c) => c.body),
          ...gh.issues.map((i) => `${i.title}\n${i.body}`),
        ],
        secretOutputs: Object.keys(run.outputs).filter((name) => /^[A-Z_][A-Z0-9_]*$/.test(name)),
      }),
      ...(cell.check?.(run, emulators) ?? []),
    ];
    return { cell, exitCode: run.exitCode, calls, violations };
  } finally {
    await Promise.all([account.close(), gh.close(), foreign.close(), foreignGithub.close()]);
    await rm(cwd, { recursive: true, force: true });
  }
}
