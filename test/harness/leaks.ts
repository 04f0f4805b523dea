import { expect } from '@jest/globals';
import type { ActionRun } from '../../dev/harness/action-runner.js';
import { findLeaks, linesOf } from './leak-scan.js';

export { findLeaks, type LeakScan } from './leak-scan.js';

/** jest form of findLeaks, for the old call sites: `hidden` are tokens and secrets. */
export function expectNoLeak(run: ActionRun, hidden: string[], secretOutputs: string[] = []): void {
  expect(findLeaks({ run, secrets: hidden, secretOutputs })).toEqual([]);
}

/** Every secret is masked before anything else in the log mentions it. */
export function expectMaskedFirst(run: ActionRun, secrets: string[]): void {
  for (const secret of secrets.flatMap(linesOf)) {
    const first = run.stdout.indexOf(secret);
    if (first === -1) continue;
    expect(run.stdout.slice(first - '::add-mask::'.length, first)).toBe('::add-mask::');
  }
}
