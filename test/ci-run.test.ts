import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { REPO_ROOT } from '../dev/harness/action-runner.js';

/**
 * .ci/run runs the end-to-end tests again under Node 24, the runtime GitHub gives the action
 * (README Development): every test file that runs the built action or CLI must be in its list,
 * or a new one would run under the CI's other Node only.
 */
const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
/** The runners of the built action and CLI (dev/harness/): they honour MKP_TEST_NODE. */
const RUNS_THE_BUILD = /\b(runAction|runCli|testNode)\b/;

/** Modules of test/harness/ and scripts/ that run the build, as a test file names them. */
function runnersIn(folder: string, named: (file: string) => string): string[] {
  return readdirSync(join(REPO_ROOT, folder))
    .filter((file) => file.endsWith('.ts') && RUNS_THE_BUILD.test(read(join(folder, file))))
    .map(named);
}

const runners = [
  ...runnersIn('test/harness', (file) => `harness/${file.replace(/\.ts$/, '.js')}`),
  ...runnersIn('scripts', (file) => `scripts/${file}`),
];

const endToEnd = readdirSync(join(REPO_ROOT, 'test'))
  .filter((file) => file.endsWith('.test.ts') && file !== 'ci-run.test.ts') // names them only
  .filter((file) => {
    const text = read(join('test', file));
    return RUNS_THE_BUILD.test(text) || runners.some((runner) => text.includes(runner));
  })
  .map((file) => `test/${file}`)
  .sort();

describe('.ci/run on Node 24', () => {
  const script = read('.ci/run');
  const listed = [...(/^E2E_TESTS=\(\n([^)]*)\)/m.exec(script)?.[1] ?? '').matchAll(/\S+/g)].map(
    (m) => m[0],
  );

  it('finds what it judges: the runners, and the end-to-end tests among the test files', () => {
    expect(runners).toEqual(
      expect.arrayContaining(['harness/fault-runner.js', 'harness/soak.js', 'scripts/demo.ts']),
    );
    expect(endToEnd).toEqual(expect.arrayContaining(['test/action.test.ts', 'test/demo.test.ts']));
    expect(endToEnd).not.toContain('test/plan.test.ts');
  });

  it('reruns every test file that runs the built action or CLI, and no other', () => {
    expect(listed).toEqual(endToEnd);
    expect(script).toMatch(
      /MKP_TEST_NODE="\$node24" npm test -- --runTestsByPath "\$\{E2E_TESTS\[@\]\}"/,
    );
  });
});
