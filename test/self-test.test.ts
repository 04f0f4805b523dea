import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { GitHubEmulator } from '../dev/emulator/github.js';
import { REPO_ROOT, runAction, type ActionRun } from '../dev/harness/action-runner.js';
import { expectNoLeak } from './harness/leaks.js';

// The local equivalent of .github/workflows/self-test.yml: its own steps, read from the file and
// run in order, with `uses: ./` as the runner runs it (dist/index.js, INPUT_* variables,
// GITHUB_OUTPUT), the emulator started by the workflow's own script, and a pull_request event
// whose plan comment goes to the GitHub emulator. Any expression this file does not know fails.

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | boolean | number>;
  env?: Record<string, string>;
}
interface Job {
  env?: Record<string, string>;
  steps: Step[];
}

const WORKFLOW = '.github/workflows/self-test.yml';
const REPOSITORY = 'acme/shop';
const PULL = 7;
const job = (
  parse(readFileSync(join(REPO_ROOT, WORKFLOW), 'utf8')) as { jobs: Record<string, Job> }
).jobs['self-test']!;

let github: GitHubEmulator;
let dir: string;
const githubEnvFile = () => join(dir, 'github-env');
const outputs: Record<string, Record<string, string>> = {};
const actionRuns: ActionRun[] = [];
const ran: string[] = [];

/** What GITHUB_ENV holds so far (`NAME=value` lines). */
function githubEnv(): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of readFileSync(githubEnvFile(), 'utf8').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) vars[line.slice(0, at)] = line.slice(at + 1);
  }
  return vars;
}

/** `${{ … }}` as the runner would expand it, for the few expressions the workflow uses. */
function expand(text: string): string {
  return text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expression: string) => {
    const env = /^env\.(\w+)$/.exec(expression);
    if (env) return githubEnv()[env[1]!] ?? job.env?.[env[1]!] ?? '';
    const stepOutputs = /^toJSON\(steps\.([\w-]+)\.outputs\)$/.exec(expression);
    if (stepOutputs) return JSON.stringify(outputs[stepOutputs[1]!] ?? {}, null, 2);
    if (expression === 'github.token') return github.token;
    throw new Error(`${WORKFLOW}: the local equivalent does not know \${{ ${expression} }}`);
  });
}

function bash(script: string, env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-e', '-c', script], { cwd: REPO_ROOT, env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

const event = {
  name: 'pull_request',
  payload: { pull_request: { number: PULL, head: { repo: { full_name: REPOSITORY } } } },
};

/** The variables the runner gives every step, plus the job's env and GITHUB_ENV. */
function runnerEnv(): Record<string, string> {
  const eventPath = join(dir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(event.payload));
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    RUNNER_TEMP: dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_ENV: githubEnvFile(),
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_API_URL: github.url,
    ...job.env,
    ...githubEnv(),
  };
}

async function runStep(step: Step): Promise<void> {
  const label = step.name ?? step.id ?? step.run ?? step.uses ?? '?';
  if (step.uses === './') {
    const inputs: Record<string, string> = {
      // action.yml's defaults that come from the runner's context
      'github-token': github.token,
      repository: REPOSITORY,
    };
    for (const [name, value] of Object.entries(step.with ?? {}))
      inputs[name] = expand(String(value));
    const run = await runAction({ inputs, env: runnerEnv(), event });
    actionRuns.push(run);
    if (run.exitCode !== 0) throw new Error(`${label} failed:\n${run.stdout}\n${run.stderr}`);
    if (step.id) outputs[step.id] = run.outputs;
  } else if (step.uses) {
    // The runner's set-up: this checkout and this Node are already here.
    expect(step.uses).toMatch(/^actions\/(checkout|setup-node)@/);
    return;
  } else if (step.run === 'npm ci --no-audit --no-fund') {
    return; // node_modules is installed
  } else {
    const env: Record<string, string> = { ...runnerEnv() };
    for (const [name, value] of Object.entries(step.env ?? {})) env[name] = expand(value);
    const { code, out } = await bash(step.run!, env);
    if (code !== 0) throw new Error(`${label} failed (exit ${code}):\n${out}`);
  }
  ran.push(label);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mkp-self-test-'));
  writeFileSync(githubEnvFile(), '');
  github = await GitHubEmulator.start({ repositories: [{ fullName: REPOSITORY }] });
  github.addPullRequest(REPOSITORY, PULL);
  for (const step of job.steps) await runStep(step);
}, 300_000);

afterAll(async () => {
  const pid = Number(githubEnv().MKP_EMULATOR_PID);
  if (pid > 0) {
    try {
      process.kill(-pid, 'SIGTERM'); // the process group: npm, tsx and the emulator
    } catch {
      // already gone
    }
  }
  await github.close();
});

describe('the self-test workflow, run locally', () => {
  it('runs every step: the emulator starts, the three runs of the action pass their checks', () => {
    expect(ran).toEqual(
      job.steps
        .filter((s) => !s.uses?.startsWith('actions/') && !s.run?.startsWith('npm ci'))
        .map((s) => s.name ?? s.id ?? s.run ?? s.uses),
    );
    expect(Object.keys(outputs)).toEqual(['plan', 'apply', 'again']);
    expect(githubEnv().MKP_API_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });

  it('runs on pull requests: a dry run with pr-comment, then two applies with secrets as outputs', () => {
    const workflow = parse(readFileSync(join(REPO_ROOT, WORKFLOW), 'utf8')) as { on: object };
    expect(Object.keys(workflow.on)).toContain('pull_request');
    const runs = job.steps.filter((s) => s.uses === './');
    expect(runs.map((s) => [s.id, s.with?.['dry-run'], s.with?.['pr-comment']])).toEqual([
      ['plan', true, true],
      ['apply', undefined, undefined],
      ['again', undefined, undefined],
    ]);
    for (const run of runs) expect(run.with?.['secrets-target']).toBeUndefined(); // outputs
  });

  it('ran the dry run on a pull request and left one plan comment there', () => {
    const comments = github.comments.filter((c) => c.issue_number === PULL);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('mkp-webhooks-sync:plan');
  });

  it('showed no secret and no token in any log, summary or comment', () => {
    const secrets = Object.values(JSON.parse(outputs.apply!.secrets!) as Record<string, string>);
    expect(secrets.length).toBeGreaterThan(0);
    const hidden = [...secrets, githubEnv().MKP_API_TOKEN!, github.token];
    for (const run of actionRuns) expectNoLeak(run, hidden, Object.keys(run.outputs));
    for (const comment of github.comments)
      for (const value of hidden) expect(comment.body.includes(value)).toBe(false);
  });
});

describe('the self-test assertions', () => {
  const assertScript = (phase: string, env: Record<string, string>) =>
    bash(`npx tsx scripts/self-test/assert.ts ${phase}`, { ...runnerEnv(), ...env });
  const json = (id: string) => JSON.stringify(outputs[id]);

  it('fail when a second run is not idempotent (the first apply given as the second)', async () => {
    const { code, out } = await assertScript('again', {
      APPLY: json('apply'),
      AGAIN: json('apply'),
    });
    expect(code).not.toBe(0);
    expect(out).toContain('✗ changed is false');
    expect(out).toContain('✗ to-create is 0');
  }, 60_000);

  it('fail when a dry run has changed something or output a secret', async () => {
    const { code, out } = await assertScript('plan', {
      PLAN: json('apply'),
      GITHUB_TOKEN: github.token,
    });
    expect(code).not.toBe(0);
    expect(out).toContain('✗ changed is false');
    expect(out).toContain('✗ secrets is {}');
  }, 60_000);

  it('fail when the apply created nothing (the dry run given as the apply)', async () => {
    const { code, out } = await assertScript('apply', { PLAN: json('plan'), APPLY: json('plan') });
    expect(code).not.toBe(0);
    expect(out).toContain('✗ changed is true');
    expect(out).toContain('✗ created is what the dry run planned');
  }, 60_000);

  it("fail when a created webhook's secret is missing from the outputs", async () => {
    const apply = { ...outputs.apply! };
    const secrets = JSON.parse(apply.secrets!) as Record<string, string>;
    // The outputs hold every declared webhook's secret (CONTRACT §3): drop a created one's.
    const created = JSON.parse(apply.created!) as Array<{ secretName: string }>;
    const dropped = created[0]?.secretName;
    delete secrets[dropped!];
    delete apply[dropped!];
    apply.secrets = JSON.stringify(secrets);
    const { code, out } = await assertScript('apply', {
      PLAN: json('plan'),
      APPLY: JSON.stringify(apply),
    });
    expect(code).not.toBe(0);
    expect(out).toContain('✗ secrets holds the secret of every webhook created');
  }, 60_000);

  it('fail when the pull request has no plan comment', async () => {
    github.addPullRequest(REPOSITORY, PULL + 1);
    const eventPath = join(dir, 'other-pull.json');
    writeFileSync(
      eventPath,
      JSON.stringify({ pull_request: { ...event.payload.pull_request, number: PULL + 1 } }),
    );
    const { code, out } = await assertScript('plan', {
      PLAN: json('plan'),
      GITHUB_TOKEN: github.token,
      GITHUB_EVENT_PATH: eventPath,
    });
    expect(code).not.toBe(0);
    expect(out).toContain(`✗ exactly one plan comment on pull request #${PULL + 1}`);
  }, 60_000);

  it('never print a secret, even when they fail', async () => {
    const secrets = Object.values(JSON.parse(outputs.apply!.secrets!) as Record<string, string>);
    const { out } = await assertScript('again', { APPLY: json('apply'), AGAIN: json('plan') });
    for (const secret of secrets) expect(out.includes(secret)).toBe(false);
  }, 60_000);
});
