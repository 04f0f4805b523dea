import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Ajv, type ValidateFunction } from 'ajv';
import { GitHubEmulator } from '../dev/emulator/github.js';
import { REPO_ROOT, runAction } from '../dev/harness/action-runner.js';
import { runCli, type CliRun } from '../dev/harness/processes.js';
import { JSON_SCHEMA_BASE } from '../scripts/json-schemas.js';
import { MkpEmulator } from '../src/emulator/mkp.js';

// Every JSON shape the CLI prints, and the Action's `plan` and `created` outputs, validated
// against the schemas of docs/json/ (docs/json.md): real output of the built CLI and action,
// each shape in its success and failure forms. .ci/run runs this file again under Node 24.

const DOCS = join(REPO_ROOT, 'docs/json');
const ajv = new Ajv({ allErrors: true, strict: true });
for (const name of readdirSync(DOCS)) {
  ajv.addSchema(JSON.parse(readFileSync(join(DOCS, name), 'utf8')) as object);
}
const schema = (name: string): ValidateFunction => ajv.getSchema(`${JSON_SCHEMA_BASE}${name}`)!;

/** The schema's errors for `value` (none: it is valid). */
function errorsOf(name: string, value: unknown): unknown[] {
  const validate = schema(name);
  return validate(value) ? [] : (validate.errors ?? []);
}
const printed = (run: CliRun) => JSON.parse(run.stdout) as unknown;

let mkp: MkpEmulator | undefined;
let github: GitHubEmulator | undefined;
afterEach(async () => {
  await Promise.all([mkp?.close(), github?.close()]);
  mkp = github = undefined;
});

const dir = (yaml?: string) => {
  const cwd = mkdtempSync(join(tmpdir(), 'mkp-json-'));
  if (yaml !== undefined) writeFileSync(join(cwd, 'webhooks.yaml'), yaml);
  return cwd;
};
const api = () => ({ MKP_API_TOKEN: mkp!.token, MKP_API_URL: mkp!.baseUrl });

/** A file with every kind of entry: named, unnamed, a ${VAR} URL, a scope. */
const FILE = `owns:
  - https://hooks.example.com/*
ignore:
  - url: https://hooks.example.com/bridge/*
webhooks:
  - name: crm
    url: https://hooks.example.com/crm
    events: [customer-created, customer-deleted]
  - url: \${BILLING_HOOK_URL}
    event: invoice-paid
    secret: BILLING_{EVENT}_SECRET
`;
const BILLING = { BILLING_HOOK_URL: 'https://hooks.example.com/billing?tenant=42' };
/** An account with a declared record, an unmanaged one, a duplicate pair, an ignored one. */
const SEED = [
  { type: 'customer-created', url: 'https://hooks.example.com/crm' },
  { type: 'ticket-created', url: 'https://hooks.example.com/legacy' },
  { type: 'brand-new-event', url: 'https://hooks.example.com/new' },
  { type: 'offer-accepted', url: 'https://hooks.example.com/twice' },
  { type: 'offer-accepted', url: 'https://hooks.example.com/twice' },
  { type: 'invoice-paid', url: 'https://hooks.example.com/bridge/1' },
  { type: 'invoice-paid', url: 'https://elsewhere.example.org/x' },
];

describe('the schemas', () => {
  it('are the five of docs/json/, each with its $id', () => {
    expect(readdirSync(DOCS).sort()).toEqual([
      'cli-apply.schema.json',
      'cli-plan.schema.json',
      'cli-validate.schema.json',
      'created.schema.json',
      'plan.schema.json',
    ]);
    for (const name of readdirSync(DOCS)) expect(schema(name)).toBeDefined();
  });

  it('refuse what the output does not hold: a missing list, an extra field, a bad event', () => {
    const entry = { name: 'crm', event: 'customer-created', url: 'https://a/', secretName: 'A' };
    const plan = { create: [entry], unchanged: [], unmanaged: [], duplicates: [], ignored: [] };
    expect(errorsOf('plan.schema.json', plan)).toEqual([]);
    expect(errorsOf('plan.schema.json', { ...plan, ignored: undefined })).not.toEqual([]);
    expect(errorsOf('plan.schema.json', { ...plan, secrets: {} })).not.toEqual([]);
    expect(
      errorsOf('plan.schema.json', { ...plan, create: [{ ...entry, event: 'customer-made' }] }),
    ).not.toEqual([]);
    expect(errorsOf('cli-plan.schema.json', { error: 'x', plan: null })).not.toEqual([]);
  });
});

describe('validate --json', () => {
  it('valid, invalid and missing files', async () => {
    const valid = await runCli(['validate', '--json'], { cwd: dir(FILE), env: BILLING });
    expect(valid.code).toBe(0);
    expect(printed(valid)).toMatchObject({ valid: true });
    const invalid = await runCli(['validate', '--json'], {
      cwd: dir('webhooks:\n  - url: http://a.example.com/\n    evnts: [x]\n'),
    });
    expect(invalid.code).toBe(1);
    expect((printed(invalid) as { problems: unknown[] }).problems).toHaveLength(2);
    const missing = await runCli(['validate', '--json'], { cwd: dir() });
    expect(missing.code).toBe(1);
    for (const run of [valid, invalid, missing]) {
      expect(errorsOf('cli-validate.schema.json', printed(run))).toEqual([]);
    }
  });
});

describe('plan --json', () => {
  it('without a token, with one, and its failures', async () => {
    mkp = await MkpEmulator.start({ seed: SEED });
    const cwd = dir(FILE);
    const runs = {
      unchecked: await runCli(['plan', '--json'], { cwd, env: BILLING }),
      checked: await runCli(['plan', '--json'], { cwd, env: { ...api(), ...BILLING } }),
      refused: await runCli(['plan', '--json'], {
        cwd,
        env: { ...api(), ...BILLING, MKP_API_TOKEN: 'not-the-token' },
      }),
      invalid: await runCli(['plan', '--json'], { cwd: dir('webhooks: 3\n'), env: api() }),
      shortToken: await runCli(['plan', '--json'], { cwd, env: { MKP_API_TOKEN: 'e' } }),
    };
    expect(Object.values(runs).map((run) => run.code)).toEqual([0, 0, 1, 1, 1]);
    const checked = printed(runs.checked) as Record<string, unknown[]>;
    // Every list of the plan holds something, so every definition is put to the test.
    for (const list of ['create', 'unchanged', 'unmanaged', 'duplicates', 'ignored']) {
      expect([list, checked[list]!.length > 0]).toEqual([list, true]);
    }
    for (const [, run] of Object.entries(runs)) {
      expect(errorsOf('cli-plan.schema.json', printed(run))).toEqual([]);
    }
    for (const run of [runs.unchecked, runs.checked]) {
      expect(errorsOf('plan.schema.json', printed(run))).toEqual([]);
    }
  });
});

describe('apply --json', () => {
  it('success, a failure halfway, and a failure before the plan', async () => {
    mkp = await MkpEmulator.start({ seed: SEED });
    const success = await runCli(['apply', '--json'], {
      cwd: dir(FILE),
      env: { ...api(), ...BILLING },
    });
    expect(success.code).toBe(0);
    await mkp.close();
    mkp = await MkpEmulator.start();
    mkp.inject({ kind: 'error-before', status: 422, on: 'create', after: 1 });
    const halfway = await runCli(['apply', '--json'], {
      cwd: dir(FILE),
      env: { ...api(), ...BILLING },
    });
    expect(halfway.code).toBe(1);
    // Three to create, one refused: the two made are in the failure shape.
    expect((printed(halfway) as { created: unknown[] }).created).toHaveLength(2);
    const before = await runCli(['apply', '--json'], { cwd: dir('webhooks: 3\n'), env: api() });
    expect(before.code).toBe(1);
    for (const run of [success, halfway, before]) {
      expect(errorsOf('cli-apply.schema.json', printed(run))).toEqual([]);
    }
  });
});

describe("the Action's plan and created outputs", () => {
  it('an apply, and a pull request with what it changes', async () => {
    mkp = await MkpEmulator.start({ seed: SEED });
    const apply = await runAction({
      inputs: { 'api-token': mkp.token, 'api-url': mkp.baseUrl },
      env: { ...BILLING, MKP_RETRY_BASE_MS: '5' },
      cwd: dir(FILE),
    });
    expect(apply.exitCode).toBe(0);
    expect(errorsOf('plan.schema.json', JSON.parse(apply.outputs.plan!))).toEqual([]);
    const created = JSON.parse(apply.outputs.created!) as unknown[];
    expect(created.length).toBeGreaterThan(0);
    expect(errorsOf('created.schema.json', created)).toEqual([]);

    github = await GitHubEmulator.start();
    const base = 'b'.repeat(40);
    github.addPullRequest('acme/shop', 12);
    github.addCommit('acme/shop', base, {
      'webhooks.yaml':
        'webhooks:\n  - name: crm\n    url: https://hooks.example.com/crm\n    event: customer-deleted\n',
    });
    const cwd = dir(FILE);
    const pullRequest = await runAction({
      inputs: {
        'api-token': mkp.token,
        'api-url': mkp.baseUrl,
        'dry-run': 'true',
        'github-token': github.token,
        repository: 'acme/shop',
      },
      env: { ...BILLING, GITHUB_API_URL: github.url, GITHUB_WORKSPACE: cwd },
      event: {
        name: 'pull_request',
        payload: { pull_request: { number: 12, base: { sha: base, ref: 'main' } } },
      },
      cwd,
    });
    expect(pullRequest.exitCode).toBe(0);
    const plan = JSON.parse(pullRequest.outputs.plan!) as { pullRequest: unknown };
    expect(plan.pullRequest).toMatchObject({ adds: [{}, {}], removes: [] });
    expect(errorsOf('plan.schema.json', plan)).toEqual([]);
  }, 60_000);
});
