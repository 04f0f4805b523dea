import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT, spawnNode, testNode } from './action-runner.js';
import { assertBundleCurrent } from './bundle.js';

/** A free loopback port, for tools that cannot listen on port 0 themselves. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A background process whose output is kept, started and waited for until `ready` matches. */
export interface Background {
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

export function startBackground(
  command: string,
  args: string[],
  ready: RegExp,
  timeoutMs = 60_000,
): Promise<Background> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const stop = () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      });
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${command} did not become ready in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve({ child, output: () => output, stop });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code} before it was ready:\n${output}`));
    });
  });
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The warning the CLI gives a Node older than 22, first on stderr (test/cli-node.test.ts). */
export const OLD_NODE_WARNING =
  /^warning: mkp-webhooks-sync needs Node (\d+) or later, and this is Node [\d.]+: [^\n]*\n/;

const majors = new Map<string, number>();

/** The major version of a node binary. */
export function nodeMajor(node: string): number {
  if (!majors.has(node)) {
    const version = execFileSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' });
    majors.set(node, Number(version.split('.')[0]));
  }
  return majors.get(node)!;
}

/**
 * `mkp-webhooks-sync ARGS` as a terminal runs it: the built dist/cli/index.js in `cwd`, with PATH,
 * quick retries and `env` as its whole environment. On a Node older than the CLI asks for (the
 * development machines' Node 20), its warning about that is taken off the start of stderr, so
 * that the same tests hold on every Node; on a Node new enough, a warning stays and fails them.
 */
export async function runCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<CliRun> {
  assertBundleCurrent();
  const node = testNode();
  const { exitCode, stdout, stderr } = await spawnNode(
    node,
    [join(REPO_ROOT, 'dist/cli/index.js'), ...args],
    options.cwd,
    { PATH: process.env.PATH ?? '', MKP_RETRY_BASE_MS: '5', ...options.env },
  );
  const warning = OLD_NODE_WARNING.exec(stderr);
  const due = warning !== null && nodeMajor(node) < Number(warning[1]);
  return { code: exitCode, stdout, stderr: due ? stderr.slice(warning[0].length) : stderr };
}
