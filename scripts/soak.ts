/**
 * `npm run soak`: the seeded random soak of RELIABILITY.md (issue 23). Each seed draws a
 * schedule of the emulators' faults across the listing, the creates and the secret writes,
 * keyed to request order; the built action (dist/index.js) runs once with it and once clean,
 * and the fault matrix's properties are checked after the pair.
 *
 *   npm run soak                         seeds 1-500, 6 at a time
 *   npm run soak -- --seeds 2000 --from 501 --concurrency 4
 *   npm run soak -- --seed 123           replay one seed, with its schedule and what it met
 *   npm run soak -- --write              record the figures in RELIABILITY.md
 *
 * Exit status 1 when any seed broke a property; each is printed with its seed and schedule.
 * Run `npm run build` first: the soak runs a copy of dist/ taken at its start, as the runner
 * runs the committed bundle.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../dev/harness/action-runner.js';
import { committedSoak, SOAK_END, SOAK_START } from '../test/harness/reliability.js';
import {
  describeSchedule,
  runSeeds,
  SOAK_TIMEOUT_MS,
  SOAK_TUNING,
  type SeedResult,
} from '../test/harness/soak.js';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '500' },
    from: { type: 'string', default: '1' },
    seed: { type: 'string' },
    concurrency: { type: 'string', default: '6' },
    write: { type: 'boolean', default: false },
  },
});

const whole = (name: string, text: string, min: number): number => {
  if (!/^\d+$/.test(text) || Number(text) < min) {
    console.error(`--${name} must be a whole number of at least ${min}, not ${text}`);
    process.exit(2);
  }
  return Number(text);
};
const seeds =
  values.seed !== undefined
    ? [whole('seed', values.seed, 0)]
    : Array.from(
        { length: whole('seeds', values.seeds, 1) },
        (_, i) => whole('from', values.from, 0) + i,
      );
const concurrency = whole('concurrency', values.concurrency, 1);
if (values.write && values.seed !== undefined) {
  console.error('--write records a whole soak, not one replayed seed');
  process.exit(2);
}

// The bundle as it is now, copied: a rebuild during a long soak must not change what it runs.
const bundle = mkdtempSync(join(tmpdir(), 'mkp-soak-dist-'));
cpSync(join(REPO_ROOT, 'dist'), bundle, { recursive: true });
process.on('exit', () => rmSync(bundle, { recursive: true, force: true }));

const started = Date.now();
let done = 0;
const failed: SeedResult[] = [];
console.log(
  `soak: ${seeds.length} seed(s) from ${seeds[0]}, ${concurrency} at a time, against dist/index.js`,
);
const results = await runSeeds(
  seeds,
  concurrency,
  (result) => {
    done += 1;
    if (result.violations.length > 0) {
      failed.push(result);
      console.log(
        `seed ${result.seed} BROKE ${result.violations.length} propert${result.violations.length === 1 ? 'y' : 'ies'} (${describeSchedule(result.schedule)}):`,
      );
      for (const v of result.violations) console.log(`  ${v.property}: ${v.detail}`);
      console.log(`  replay: npm run soak -- --seed ${result.seed}`);
    } else if (values.seed !== undefined || done % 50 === 0 || done === seeds.length) {
      console.log(
        `${done}/${seeds.length} seeds, ${failed.length} broke a property (${Math.round((Date.now() - started) / 1000)} s)`,
      );
    }
    if (values.seed !== undefined) {
      console.log(
        `seed ${result.seed}: ${describeSchedule(result.schedule)}; met ${JSON.stringify(result.met)}; faulty run exit ${result.faultyExit}, next run exit ${result.nextExit}`,
      );
    }
  },
  join(bundle, 'index.js'),
);

const seconds = Math.round((Date.now() - started) / 1000);
const figures = summarise(results, seconds);
console.log(`\n${figures}\n`);

if (values.write) {
  const path = join(REPO_ROOT, 'RELIABILITY.md');
  const text = readFileSync(path, 'utf8');
  if (committedSoak(text) === undefined) {
    console.error(
      'RELIABILITY.md has no soak section: regenerate it first (WRITE_RELIABILITY=1 with test/faults.test.ts)',
    );
    process.exit(1);
  }
  const start = text.indexOf(SOAK_START) + SOAK_START.length;
  writeFileSync(
    path,
    `${text.slice(0, start)}\n\n${figures}\n\n${text.slice(text.indexOf(SOAK_END))}`,
  );
  console.log('wrote the soak figures into RELIABILITY.md');
}
process.exit(failed.length > 0 ? 1 : 0);

/** The figures RELIABILITY.md records: runs, faults met by kind, violations. */
function summarise(all: readonly SeedResult[], wall: number): string {
  const scheduled = all.reduce((n, r) => n + r.schedule.length, 0);
  const met = new Map<string, number>();
  for (const r of all)
    for (const [kind, n] of Object.entries(r.met)) met.set(kind, (met.get(kind) ?? 0) + n);
  const metCalls = [...met.values()].reduce((a, b) => a + b, 0);
  const faultsMet = all.reduce(
    (n, r) => n + r.schedule.filter((f) => (r.met[`${f.on}: ${f.kind}`] ?? 0) > 0).length,
    0,
  );
  const recovered = all.filter((r) => r.faultyExit === 0).length;
  const broke = all.filter((r) => r.violations.length > 0);
  const first = all[0]?.seed;
  const last = all.at(-1)?.seed;
  const rows = [...met]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, n]) => {
      const [on, name] = kind.split(': ');
      return `| ${on} | ${name} | ${n} |`;
    });
  return [
    `Seeds ${first}–${last} (\`npm run soak -- --write\`, ${concurrency} at a time, ${wall} s on ${cpus().length} cores; ${new Date().toISOString().slice(0, 10)}).`,
    'Each seed draws 1–5 faults of the emulators, each at a call number of the listing, the creates',
    'or the secret writes (a seed fixes which call meets which fault, not the order of concurrent',
    'calls), runs the built action with them on the account of the fault matrix, then once clean, and',
    'checks properties 1–6 above after the pair: a faulty run may exit 0 or 1 (1 saying what failed',
    'and what was done), the clean run must exit 0 with everything as declared. Waits are compressed',
    `through the tuning variables: ${Object.entries(SOAK_TUNING)
      .map(([k, v]) => `\`${k}=${v}\``)
      .join(', ')}, and \`MKP_HTTP_TIMEOUT_MS=${SOAK_TIMEOUT_MS}\` in the faulty run (slow answers`,
    'come 2.5 s late). A failure prints its seed; `npm run soak -- --seed N` replays it.',
    '',
    `- runs: ${all.length * 2} (${all.length} faulty, each followed by a clean one); the faulty run recovered within its retries in ${recovered} and failed cleanly in ${all.length - recovered}`,
    `- faults: ${scheduled} scheduled, ${faultsMet} met (${metCalls} calls met one); a fault scheduled at a call number the run never reached is not met`,
    `- violations: ${broke.length === 0 ? 'none' : `${broke.length} seed(s): ${broke.map((r) => r.seed).join(', ')}`}`,
    '',
    '| operation | fault | calls that met it |',
    '| --- | --- | --- |',
    ...rows,
  ].join('\n');
}
