import { expect } from '@jest/globals';
import type { ActionRun } from './action-runner.js';

/**
 * CONTRACT §4 "Secrets never show": each secret and token appears in stdout and stderr only on
 * its own `::add-mask::` line, which comes before any other use, and never in the job summary.
 * Outputs are checked separately: only `secrets` and the per-secret outputs may hold a secret.
 */
export function expectNoLeak(run: ActionRun, hidden: string[], secretOutputs: string[] = []): void {
  const values = [...new Set(hidden.filter((value) => value.length > 0))];
  for (const [stream, text] of [
    ['stdout', run.stdout],
    ['stderr', run.stderr],
  ] as const) {
    const lines = text.split('\n');
    for (const value of values) {
      const where = lines.flatMap((line, i) => (line.includes(value) ? [i] : []));
      const leaks = where.filter((i) => lines[i] !== `::add-mask::${value}`);
      expect({ stream, leaked: leaks.map((i) => lines[i]) }).toEqual({ stream, leaked: [] });
    }
  }
  for (const value of values) {
    expect(run.summary.includes(value)).toBe(false);
    for (const [name, output] of Object.entries(run.outputs)) {
      if (!secretOutputs.includes(name) && name !== 'secrets') {
        expect({ output: name, leaked: output.includes(value) }).toEqual({
          output: name,
          leaked: false,
        });
      }
    }
  }
}

/** Every secret is masked before anything else in the log mentions it. */
export function expectMaskedFirst(run: ActionRun, secrets: string[]): void {
  for (const secret of secrets.filter((value) => value.length > 0)) {
    const first = run.stdout.indexOf(secret);
    if (first === -1) continue;
    expect(run.stdout.slice(first - '::add-mask::'.length, first)).toBe('::add-mask::');
  }
}
