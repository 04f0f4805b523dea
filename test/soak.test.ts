import { describe, expect, it } from '@jest/globals';
import { describeSchedule, runSeeds, scheduleFor, type SeedResult } from './harness/soak.js';

/**
 * A slice of the seeded random soak (RELIABILITY.md; `npm run soak` runs 500 seeds and more):
 * each seed's random mix of faults across the listing, the creates and the secret writes, then
 * a clean run, with the fault matrix's properties checked after the pair. A failure names its
 * seed, so `npm run soak -- --seed N` replays it.
 */
const SEEDS = Array.from({ length: 20 }, (_, i) => 9001 + i);
let results: SeedResult[] = [];

describe('the seeded random soak, 20 seeds', () => {
  it('a seed fixes its schedule, keyed to request order', () => {
    expect(scheduleFor(42)).toEqual(scheduleFor(42));
    expect(describeSchedule(scheduleFor(42))).not.toBe(describeSchedule(scheduleFor(43)));
    for (const seed of SEEDS) {
      for (const fault of scheduleFor(seed)) {
        expect(fault.nth).toBeGreaterThanOrEqual(1);
        expect(['list', 'create', 'write']).toContain(fault.on);
      }
    }
  });

  it('every seed: nothing doubled, nothing lost, nothing shown, after its faulty and clean run', async () => {
    results = await runSeeds(SEEDS, 4);
    const broken = results
      .filter((r) => r.violations.length > 0)
      .map(
        (r) =>
          `seed ${r.seed} (${describeSchedule(r.schedule)}; replay: npm run soak -- --seed ${r.seed}): ${r.violations.map((v) => `${v.property}: ${v.detail}`).join(' | ')}`,
      );
    expect(broken).toEqual([]);
    // The slice meets faults of every operation, so it is a soak and not a row of clean runs.
    const met = results.flatMap((r) => Object.keys(r.met));
    for (const on of ['list', 'create', 'write']) {
      expect(met.some((kind) => kind.startsWith(`${on}:`))).toBe(true);
    }
  }, 240_000);
});
