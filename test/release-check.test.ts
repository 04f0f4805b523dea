import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { REPO_ROOT } from '../dev/harness/action-runner.js';

// The release workflow's guards (scripts/release-check.ts) on a small git repository of their
// own: its `npm run build` copies src/ to dist/, so a stale dist is one commit away and each case
// takes a second instead of two ncc builds.

const SCRIPT = join(REPO_ROOT, 'scripts/release-check.ts');
const TSX = join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs');

const CHANGELOG = `# Changelog

## [Unreleased]

## [1.2.3] - 2026-12-01

### Fixed

- The thing that was broken.

## [1.2.2] - 2026-11-01

- Older.

[1.2.3]: https://github.com/acme/tool/releases/tag/v1.2.3
`;

interface Project {
  version?: string;
  changelog?: string;
  private?: boolean;
}

function project({ version = '1.2.3', changelog = CHANGELOG, ...rest }: Project = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'mkp-release-'));
  const pkg = {
    name: 'tool',
    version,
    ...(rest.private ? { private: true } : {}),
    repository: { type: 'git', url: 'git+https://github.com/acme/tool.git' },
    scripts: { build: 'node build.cjs' },
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  writeFileSync(
    join(dir, 'build.cjs'),
    "const fs = require('fs'); fs.mkdirSync('dist', { recursive: true }); fs.writeFileSync('dist/index.js', fs.readFileSync('src/index.js'));\n",
  );
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src/index.js'), 'console.log(1);\n');
  if (changelog) writeFileSync(join(dir, 'CHANGELOG.md'), changelog);
  git(dir, 'init', '-q');
  execFileSync('npm', ['run', '-s', 'build'], { cwd: dir });
  commit(dir);
  return dir;
}

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: dir,
  });
}

function commit(dir: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'change');
}

function check(dir: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [TSX, SCRIPT, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  return { status: result.status, out: result.stdout + result.stderr };
}

describe('scripts/release-check.ts', () => {
  it('passes a tag that matches package.json, CHANGELOG.md and a current dist, and writes the notes', () => {
    const dir = project();
    const notes = join(dir, 'notes.md');
    const { status, out } = check(dir, ['v1.2.3', '--notes-file', notes], {
      GITHUB_REPOSITORY: 'acme/tool',
    });
    expect(out).not.toContain('::error::');
    expect(status).toBe(0);
    expect(readFileSync(notes, 'utf8')).toBe('### Fixed\n\n- The thing that was broken.\n');
  }, 60_000);

  it('takes the tag from GITHUB_REF_NAME, as the workflow runs it', () => {
    expect(check(project(), [], { GITHUB_REF_NAME: 'v1.2.3' }).status).toBe(0);
    expect(check(project(), [], { GITHUB_REF_NAME: 'v1.2.4' }).status).toBe(1);
  }, 60_000);

  it('fails a tag that does not match package.json', () => {
    const { status, out } = check(project(), ['v1.2.4']);
    expect(status).toBe(1);
    expect(out).toContain("::error::release v1.2.4: package.json's version is 1.2.3, not 1.2.4");
  }, 60_000);

  it('fails a tag that is not vX.Y.Z', () => {
    for (const tag of ['v1', '1.2.3', 'v1.2.3-rc.1', '']) {
      const { status, out } = check(project(), [tag]);
      expect([tag, status]).toEqual([tag, 1]);
      expect(out).toContain('is not vMAJOR.MINOR.PATCH');
    }
  }, 60_000);

  it('fails when CHANGELOG.md has no entry for the version, an empty one, or is missing', () => {
    const cases: Array<[string, string]> = [
      [
        CHANGELOG.replace('## [1.2.3] - 2026-12-01', '## [1.2.30] - 2026-12-01'),
        'no "## [1.2.3]" entry',
      ],
      [
        CHANGELOG.replace(/## \[1\.2\.3\][^]*?(?=## \[1\.2\.2\])/, '## [1.2.3] - 2026-12-01\n\n'),
        'entry is empty',
      ],
      ['', 'CHANGELOG.md is missing'],
    ];
    for (const [changelog, message] of cases) {
      const { status, out } = check(project({ changelog }), ['v1.2.3']);
      expect([message, status]).toEqual([message, 1]);
      expect(out).toContain(message);
    }
  }, 60_000);

  it('fails when dist/ is not what src/ builds (a commit that forgot npm run build)', () => {
    const dir = project();
    writeFileSync(join(dir, 'src/index.js'), 'console.log(2);\n');
    commit(dir);
    const { status, out } = check(dir, ['v1.2.3']);
    expect(status).toBe(1);
    expect(out).toContain('dist/ is not what src/ builds');
    expect(out).toContain('dist/index.js');
  }, 60_000);

  it('fails a package npm would not publish, or one whose repository.url names another repository', () => {
    const priv = check(project({ private: true }), ['v1.2.3']);
    expect(priv.status).toBe(1);
    expect(priv.out).toContain('"private": true');
    const other = check(project(), ['v1.2.3'], { GITHUB_REPOSITORY: 'someone/fork' });
    expect(other.status).toBe(1);
    expect(other.out).toContain('does not name github.com/someone/fork');
  }, 60_000);
});

describe('scripts/move-major-tag.sh, with a stand-in gh that plays the GitHub API', () => {
  // The stand-in answers from TAGS (the release tags on GitHub) and MAJOR (set when the major
  // tag exists), and records every write it is asked for in CALLS.
  const GH = `#!/usr/bin/env bash
case "$*" in
  *matching-refs/tags/*) for t in $TAGS; do echo "refs/tags/$t"; done ;;
  *"/commits/"*) echo "sha-of-\${2##*/}" ;;
  *"/git/ref/tags/"*) [ -n "$MAJOR" ] ;;
  *) echo "$*" >>"$CALLS" ;;
esac
`;

  function move(tag: string, tags: string, major: boolean) {
    const dir = mkdtempSync(join(tmpdir(), 'mkp-major-'));
    writeFileSync(join(dir, 'gh'), GH, { mode: 0o755 });
    const calls = join(dir, 'calls');
    writeFileSync(calls, '');
    const result = spawnSync('bash', [join(REPO_ROOT, 'scripts/move-major-tag.sh'), tag], {
      encoding: 'utf8',
      env: {
        PATH: `${dir}:${process.env.PATH}`,
        GITHUB_REPOSITORY: 'acme/tool',
        TAGS: tags,
        MAJOR: major ? 'yes' : '',
        CALLS: calls,
      },
    });
    return { status: result.status, out: result.stdout, calls: readFileSync(calls, 'utf8') };
  }

  it('moves an existing major tag to the newest release', () => {
    const { status, calls } = move('v1.10.0', 'v1.0.0 v1.9.0 v1.10.0', true);
    expect(status).toBe(0);
    expect(calls).toBe(
      'api -X PATCH repos/acme/tool/git/refs/tags/v1 -f sha=sha-of-v1.10.0 -F force=true\n',
    );
  });

  it('creates the major tag on the first release of a major', () => {
    const { status, calls } = move('v2.0.0', 'v2.0.0', false);
    expect(status).toBe(0);
    expect(calls).toBe('api repos/acme/tool/git/refs -f ref=refs/tags/v2 -f sha=sha-of-v2.0.0\n');
  });

  it('leaves the major tag alone for a patch of an older minor (versions compare as numbers)', () => {
    const { status, out, calls } = move('v1.9.1', 'v1.9.0 v1.9.1 v1.10.0 v1.2.0-rc.1', true);
    expect(status).toBe(0);
    expect(out).toContain('v1 stays on v1.10.0');
    expect(calls).toBe('');
  });

  it('refuses a tag that is not vX.Y.Z', () => {
    const { status, calls } = move('v1', 'v1.0.0', true);
    expect(status).toBe(1);
    expect(calls).toBe('');
  });
});

describe('this repository is ready for its next release', () => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  const major = `v${pkg.version.split('.')[0]}`;

  it("has a CHANGELOG entry for package.json's version", () => {
    const changelog = readFileSync(join(REPO_ROOT, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toContain(`## [${pkg.version}] - `);
    expect(changelog).toContain('## [Unreleased]');
  });

  it('releases the major tag that the examples and the README tell users to write', () => {
    const files = [
      'README.md',
      // Files only: examples/shared-account/ holds a webhooks.yaml, not a workflow.
      ...readdirSync(join(REPO_ROOT, 'examples'), { withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => `examples/${entry.name}`),
    ];
    for (const file of files) {
      const text = readFileSync(join(REPO_ROOT, file), 'utf8');
      for (const [, ref] of text.matchAll(/mkp-webhooks-sync\/mkp-webhooks-sync@([\w.-]+)/g))
        expect([file, ref]).toEqual([file, major]);
    }
  });

  it('runs the check in the release workflow before anything is published', () => {
    const workflow = parse(
      readFileSync(join(REPO_ROOT, '.github/workflows/release.yml'), 'utf8'),
    ) as { jobs: Record<string, { needs?: string | string[]; steps: Array<{ run?: string }> }> };
    const checkJob = Object.entries(workflow.jobs).find(([, job]) =>
      job.steps.some((s) => s.run?.includes('scripts/release-check.ts')),
    );
    expect(checkJob).toBeDefined();
    for (const [name, job] of Object.entries(workflow.jobs)) {
      if (name === checkJob![0]) continue;
      expect([name, [job.needs ?? []].flat()]).toEqual([
        name,
        expect.arrayContaining([checkJob![0]]),
      ]);
    }
  });
});
