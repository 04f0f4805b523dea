import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { REPO_ROOT } from '../dev/harness/action-runner.js';
import { CELLS, HOSTILE, type RunnableCell } from './harness/fault-matrix.js';
import {
  runHostile,
  runMatrix,
  type CellResult,
  type HostileResult,
} from './harness/fault-runner.js';
import { renderReliability } from './harness/reliability.js';

/**
 * The fault matrix (CONTRACT §4, RELIABILITY.md): every fault × phase, each cell run through
 * the built action on its own emulators, then once more with the fault gone. A cell passes when
 * no webhook is doubled, no secret is lost, a failed run exits 1 and says what failed (no stack
 * trace), a run that could recover did, and no secret or token shows anywhere. RELIABILITY.md is
 * generated from these results (WRITE_RELIABILITY=1) and must match them.
 */
const CONCURRENCY = 6;
const RELIABILITY = join(REPO_ROOT, 'RELIABILITY.md');

const runnable = CELLS.filter((cell): cell is RunnableCell => cell.kind === 'run');
let results: CellResult[] = [];
let hostile: HostileResult[] = [];

beforeAll(async () => {
  results = await runMatrix(runnable, CONCURRENCY);
  // The hostile-input attacks, a few at a time, each on its own emulators.
  const queue = [...HOSTILE];
  const done: HostileResult[] = [];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let cell = queue.shift(); cell; cell = queue.shift()) done.push(await runHostile(cell));
    }),
  );
  hostile = HOSTILE.map((cell) => done.find((r) => r.cell === cell)!);
}, 240_000);

const resultOf = (cell: RunnableCell): CellResult => {
  const result = results.find((r) => r.cell === cell);
  if (!result) throw new Error(`no result for ${cell.fault} × ${cell.phase}`);
  return result;
};

const faults = [...new Set(CELLS.map((cell) => cell.fault))];

describe.each(faults)('%s', (fault) => {
  for (const cell of CELLS.filter((c) => c.fault === fault)) {
    if (cell.kind === 'run') {
      const outcome =
        cell.expect.outcome === 'recovers'
          ? 'recovers'
          : `${cell.expect.outcome} saying "${cell.expect.says}"`;
      it(`× ${cell.phase}: ${outcome}; nothing doubled, nothing lost, nothing shown`, () => {
        expect(resultOf(cell).violations).toEqual([]);
      });
    } else if (cell.kind === 'not covered') {
      it.todo(`× ${cell.phase}: not covered (${cell.why})`);
    }
  }
});

describe('hostile input', () => {
  it.each(HOSTILE.map((cell) => [cell.attack, cell] as const))('%s', (_attack, cell) => {
    expect(hostile.find((r) => r.cell === cell)!.violations).toEqual([]);
  });
});

it('RELIABILITY.md is this matrix as it ran (WRITE_RELIABILITY=1 writes it)', async () => {
  const text = renderReliability(CELLS, results, hostile);
  if (process.env.WRITE_RELIABILITY === '1') await writeFile(RELIABILITY, text);
  const committed = await readFile(RELIABILITY, 'utf8').catch(() => '(RELIABILITY.md is missing)');
  expect(committed).toBe(text);
});
