import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertBundleCurrent } from './bundle.js';

/**
 * Runs the built action the way the runner does: a fresh node process on dist/index.js, inputs
 * as INPUT_* variables, and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files. Used by tests, the demo
 * and the benchmarks; it does not import jest.
 */
export interface ActionRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

export interface ActionRunOptions {
  inputs: Record<string, string>;
  env?: Record<string, string | undefined>;
  /** Working directory (GITHUB_WORKSPACE); default the repository root. */
  cwd?: string;
  /** Default dist/index.js of this repository. */
  entry?: string;
  /** JSON written to GITHUB_EVENT_PATH, e.g. a pull_request payload. */
  event?: { name: string; payload: unknown };
  /** The node binary; default MKP_TEST_NODE, else the one running this process. */
  node?: string;
  /** Called with the started process, e.g. to send it a signal as a cancelled workflow does. */
  onSpawn?: (child: ChildProcess) => void;
}

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The inputs action.yml gives when a workflow sets none (CONTRACT §3). */
export const ACTION_DEFAULTS: Record<string, string> = {
  config: 'webhooks.yaml',
  'api-token': '',
  'api-url': 'https://api.mijnklantportaal.nl/v1',
  'dry-run': 'false',
  'secrets-target': 'outputs',
  'github-token': '',
  repository: '',
  environment: '',
  organization: '',
  'resync-secrets': 'missing',
  'fail-on-drift': 'false',
  'pr-comment': 'false',
  'drift-issue': 'false',
};

export async function runAction(options: ActionRunOptions): Promise<ActionRun> {
  if (options.entry === undefined) assertBundleCurrent();
  const dir = await mkdtemp(join(tmpdir(), 'mkp-action-'));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary.md');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: dir,
  };
  if (options.event) {
    const eventPath = join(dir, 'event.json');
    await writeFile(eventPath, JSON.stringify(options.event.payload));
    env.GITHUB_EVENT_NAME = options.event.name;
    env.GITHUB_EVENT_PATH = eventPath;
  }
  for (const [name, value] of Object.entries({ ...ACTION_DEFAULTS, ...options.inputs })) {
    env[`INPUT_${name.toUpperCase()}`] = value;
  }
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value !== undefined) env[name] = value;
  }
  try {
    const { exitCode, stdout, stderr } = await spawnNode(
      options.node ?? testNode(),
      [options.entry ?? join(REPO_ROOT, 'dist/index.js')],
      options.cwd ?? REPO_ROOT,
      env,
      options.onSpawn,
    );
    return {
      exitCode,
      stdout,
      stderr,
      outputs: parseOutputFile(await readFile(outputFile, 'utf8')),
      summary: await readFile(summaryFile, 'utf8'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The node that runs the built action and CLI in tests: MKP_TEST_NODE when set (.ci/run sets a
 * Node 24 binary, the runtime GitHub uses), else the one running the tests.
 */
export function testNode(): string {
  return process.env.MKP_TEST_NODE || process.execPath;
}

/** `node ARGS` in `cwd` with exactly `env`, its output kept. */
export function spawnNode(
  node: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
  onSpawn?: (child: ChildProcess) => void,
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(node, args, { cwd, env });
    onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ exitCode: code ?? 1, stdout, stderr }));
  });
}

/** GITHUB_OUTPUT holds `name<<DELIMITER\nvalue\nDELIMITER` blocks (and plain name=value lines). */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
      outputs[name!] = value.join('\n');
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}
