import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

  it('loads undici on demand, through a stand-in that offers every name the bundle imports from it', () => {
    const tsconfig = JSON.parse(readFileSync('tsconfig.json', 'utf8')) as {
      compilerOptions: { paths: Record<string, string[]> };
    };
    const standIn = tsconfig.compilerOptions.paths.undici![0]!;
    const imported = new Set<string>();
    for (const file of [
      'node_modules/@actions/http-client/lib/index.js',
      'node_modules/@actions/github/lib/internal/utils.js',
      'node_modules/@actions/github/node_modules/@actions/http-client/lib/index.js',
    ]) {
      // The stand-in loads the undici next to it: it must be the one each importer resolves.
      expect([file, createRequire(join(process.cwd(), file)).resolve('undici')]).toEqual([
        file,
        createRequire(join(process.cwd(), standIn)).resolve('undici'),
      ]);
      const source = readFileSync(file, 'utf8');
      for (const [, names] of source.matchAll(/import \{([^}]+)\} from 'undici'/g))
        for (const name of names!.split(',')) imported.add(name.trim());
      for (const [, name] of source.matchAll(/undici_1\.(\w+)/g)) imported.add(name!);
    }
    expect(imported.size).toBeGreaterThan(0);
    const require = createRequire(join(process.cwd(), standIn));
    const real = require('undici') as Record<string, unknown>;
    const offered = require(join(process.cwd(), standIn)) as Record<string, unknown>;
    for (const name of imported) expect([name, offered[name]]).toEqual([name, real[name]]);
  });

  it('is checked on GitHub by a check-dist job', () => {
    expect(existsSync('.github/workflows/check-dist.yml')).toBe(true);
    const workflow = parse(readFileSync('.github/workflows/check-dist.yml', 'utf8')) as {
      jobs: Record<string, { steps: Array<{ run?: string }> }>;
    };
    const runs = workflow.jobs['check-dist']!.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('npm run build');
    expect(runs).toContain('git status --porcelain -- dist');
  });
});
