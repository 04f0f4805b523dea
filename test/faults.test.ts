import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { REPO_ROOT } from './harness/action-runner.js';
import {
  CELLS,
  renderReliability,
  runMatrix,
  type CellResult,
  type RunnableCell,
} from './harness/fault-matrix.js';

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

beforeAll(async () => {
  results = await runMatrix(runnable, CONCURRENCY);
}, 180_000);

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
        cell.expect.outcome === 'recovers' ? 'recovers' : `fails saying "${cell.expect.says}"`;
      it(`× ${cell.phase}: ${outcome}; nothing doubled, nothing lost, nothing shown`, () => {
        expect(resultOf(cell).violations).toEqual([]);
      });
    } else if (cell.kind === 'not covered') {
      it.todo(`× ${cell.phase}: not covered (${cell.why})`);
    }
  }
});

it('RELIABILITY.md is this matrix as it ran (WRITE_RELIABILITY=1 writes it)', async () => {
  const text = renderReliability(CELLS, results);
  if (process.env.WRITE_RELIABILITY === '1') await writeFile(RELIABILITY, text);
  const committed = await readFile(RELIABILITY, 'utf8').catch(() => '(RELIABILITY.md is missing)');
  expect(committed).toBe(text);
});
