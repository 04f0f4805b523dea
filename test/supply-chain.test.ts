import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';

/** What ships: small, explained, no install scripts, licenses included, dist checked on GitHub. */
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  dependencies: Record<string, string>;
};
const runtime = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
  encoding: 'utf8',
})
  .trim()
  .split('\n')
  .slice(1); // the first line is the project itself

describe('runtime dependencies', () => {
  it('stay few: the whole runtime tree is under 50 packages', () => {
    expect(runtime.length).toBeGreaterThan(5);
    expect(runtime.length).toBeLessThan(50);
  });

  it('have no install scripts', () => {
    const withScripts = runtime.filter((dir) => {
      const { scripts = {} } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        scripts?: Record<string, string>;
      };
      return ['preinstall', 'install', 'postinstall'].some((hook) => hook in scripts);
    });
    expect(withScripts).toEqual([]);
  });

  it('are each explained in the README', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Runtime dependencies'));
    for (const name of Object.keys(pkg.dependencies))
      expect([name, section.includes(`\`${name}\``)]).toEqual([name, true]);
  });
});

describe('the bundle', () => {
  it('ships the licenses of what it bundles', () => {
    const licenses = readFileSync('dist/licenses.txt', 'utf8');
    for (const name of [
      '@actions/core@',
      '@actions/github@',
      'yaml@',
      'libsodium-wrappers@',
      'undici@',
    ])
      expect(licenses).toContain(name);
  });

  it('is an ES module bundle with its package.json, free of missing-module stubs', () => {
    expect(JSON.parse(readFileSync('dist/package.json', 'utf8'))).toEqual({ type: 'module' });
    expect(readFileSync('dist/index.js', 'utf8')).not.toContain('webpackMissingModule');
  });

  it('is checked on GitHub: ci.yml runs .ci/run, which rebuilds dist/ and compares it', () => {
    expect(existsSync('.github/workflows/check-dist.yml')).toBe(false); // folded into ci.yml
    const workflow = parse(readFileSync('.github/workflows/ci.yml', 'utf8')) as {
      jobs: Record<string, { steps: Array<{ run?: string }> }>;
    };
    const runs = workflow.jobs.ci!.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('.ci/run');
    const ci = readFileSync('.ci/run', 'utf8');
    expect(ci).toContain('npm run -s build');
    expect(ci).toContain('git status --porcelain -- dist');
  });
});
