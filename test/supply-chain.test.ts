import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';

/** What ships: small, explained, no install scripts, licenses included, dist checked on GitHub. */
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  dependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

/** The packages src/ imports (by package name): ncc bundles them into dist/ and dist/cli/. */
const imported = new Set(
  readdirSync('src', { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => [
      ...readFileSync(join('src', file), 'utf8').matchAll(
        /(?:from |import\()'((?:@[^/']+\/)?[^/'.][^/']*)/g,
      ),
    ])
    .map((match) => match[1]!)
    .filter((name) => !name.startsWith('node:')),
);

describe('runtime dependencies', () => {
  it('are bundled, so they are devDependencies: installing the CLI fetches nothing else', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(imported.size).toBeGreaterThan(5);
    for (const name of imported) expect([name, name in pkg.devDependencies]).toEqual([name, true]);
  });

  it('stay few: the bundles hold under 50 packages', () => {
    const licenses = readFileSync('dist/licenses.txt', 'utf8');
    const packages = licenses.match(/^(?:@[^/\s]+\/)?[^@\s]+@\d[^\s]*$/gm) ?? [];
    expect(packages.length).toBeGreaterThan(5);
    expect(packages.length).toBeLessThan(50);
  });

  it('run no install script of ours on a user’s machine', () => {
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) {
      expect([hook, hook in pkg.scripts]).toEqual([hook, false]);
    }
  });

  it('are each explained in the README', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Runtime dependencies'));
    for (const name of imported)
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
