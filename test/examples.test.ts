import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { GitHubEmulator } from '../dev/emulator/github.js';
import { MkpEmulator } from '../src/emulator/mkp.js';
import { REPO_ROOT, runAction } from '../dev/harness/action-runner.js';
import { expectNoLeak } from './harness/leaks.js';

// Every workflow a user may paste (examples/*.yml and the README's yaml snippets) runs as
// written: the action step gets exactly the `env` and `with:` the workflow gives it, with
// `${{ … }}` replaced by sample values, against the two emulators. A pull request from a fork
// gets no secrets, so pull_request workflows also run with every secret empty.

type Mapping = Record<string, unknown>;
interface ActionStep {
  /** Where the step comes from, for messages. */
  source: string;
  events: string[];
  env: Record<string, string>;
  with: Record<string, string>;
  /** One combination of the job's `strategy.matrix` (`${{ matrix.x }}`); {} without a matrix. */
  matrix: Record<string, string>;
  /** The job's `environment:`, as written. */
  environment?: string;
}

const isMapping = (v: unknown): v is Mapping =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const usesThisAction = (uses: unknown) =>
  typeof uses === 'string' &&
  (uses === './' || /^mkp-webhooks-sync\/mkp-webhooks-sync@/.test(uses));
const stringsOf = (value: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(isMapping(value) ? value : {}).map(([k, v]) => [k, String(v)]));

/** The action steps of a workflow (a mapping with `jobs`) or of a bare list of steps. */
function actionSteps(document: unknown, source: string): ActionStep[] {
  const found: ActionStep[] = [];
  const fromSteps = (
    steps: unknown,
    events: string[],
    env: Record<string, string>,
    job: Mapping = {},
  ) => {
    if (!Array.isArray(steps)) return;
    const environment = typeof job.environment === 'string' ? job.environment : undefined;
    for (const matrix of matrixOf(job)) {
      const shown = Object.values(matrix).join(', ');
      for (const step of steps) {
        if (!isMapping(step) || !usesThisAction(step.uses)) continue;
        found.push({
          source: shown ? `${source} (${shown})` : source,
          events,
          env: { ...env, ...stringsOf(step.env) },
          with: stringsOf(step.with),
          matrix,
          environment,
        });
      }
    }
  };
  if (Array.isArray(document)) {
    fromSteps(document, ['push'], {});
  } else if (isMapping(document) && isMapping(document.jobs)) {
    const on = document.on;
    const events =
      typeof on === 'string'
        ? [on]
        : Array.isArray(on)
          ? on.map(String)
          : Object.keys(isMapping(on) ? on : {});
    for (const job of Object.values(document.jobs)) {
      if (!isMapping(job)) continue;
      fromSteps(job.steps, events, { ...stringsOf(document.env), ...stringsOf(job.env) }, job);
    }
  }
  return found;
}

/** Every combination of a job's `strategy.matrix` lists ({} when it has none). */
function matrixOf(job: Mapping): Array<Record<string, string>> {
  const strategy = isMapping(job.strategy) ? job.strategy : {};
  const matrix = isMapping(strategy.matrix) ? strategy.matrix : {};
  let combinations: Array<Record<string, string>> = [{}];
  for (const [key, values] of Object.entries(matrix)) {
    if (!Array.isArray(values)) throw new Error(`matrix ${key}: teach test/examples.test.ts it`);
    combinations = combinations.flatMap((c) => values.map((v) => ({ ...c, [key]: String(v) })));
  }
  return combinations;
}

function workflows(): ActionStep[] {
  const steps: ActionStep[] = [];
  const seen = new Set<string>();
  const add = (document: unknown, source: string) => {
    const key = JSON.stringify(document);
    if (seen.has(key)) return; // the README embeds the examples
    seen.add(key);
    steps.push(...actionSteps(document, source));
  };
  for (const name of readdirSync(join(REPO_ROOT, 'examples'))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    add(parse(readFileSync(join(REPO_ROOT, 'examples', name), 'utf8')), `examples/${name}`);
  }
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  for (const [n, match] of [...readme.matchAll(/```ya?ml\n([\s\S]*?)```/g)].entries()) {
    add(parse(match[1]!), `README.md yaml block ${n + 1}`);
  }
  return steps;
}

/** The runner's defaults for inputs a step leaves out (action.yml), e.g. `${{ github.token }}`. */
const ACTION_INPUTS = (
  parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  }
).inputs;

interface Samples {
  mkpToken: string;
  githubToken: string;
  /** A fork's pull request: every secret is empty. */
  fork: boolean;
}

/** `${{ expr }}` -> a sample value; an expression it does not know fails the test by name. */
function evaluate(text: string, samples: Samples, matrix: Record<string, string> = {}): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
    const fromMatrix = /^matrix\.([\w-]+)$/.exec(expression)?.[1];
    if (fromMatrix !== undefined && Object.hasOwn(matrix, fromMatrix)) return matrix[fromMatrix]!;
    if (expression === 'github.token' || expression === 'secrets.GITHUB_TOKEN')
      return samples.githubToken;
    if (expression === 'github.repository') return 'acme/shop';
    if (expression === 'github.repository_owner') return 'acme';
    // A token minted in an earlier step (actions/create-github-app-token): a GitHub token.
    if (/^steps\.[\w-]+\.outputs\.token$/.test(expression))
      return samples.fork ? '' : samples.githubToken;
    const named = /^(secrets|vars)\.(\w+)$/.exec(expression);
    if (named) {
      const [, kind, name] = named as unknown as [string, string, string];
      if (kind === 'secrets' && samples.fork) return '';
      if (/MKP/.test(name) && /TOKEN|KEY/.test(name)) return samples.mkpToken;
      if (/URL$/.test(name))
        return `https://${name.toLowerCase().replace(/_/g, '-')}.example.com/hooks/mkp?tenant=42`;
      if (/TOKEN|KEY|PEM/.test(name)) return samples.githubToken;
    }
    throw new Error(`no sample value for \${{ ${expression} }}: teach test/examples.test.ts one`);
  });
}

let mkp: MkpEmulator | undefined;
let github: GitHubEmulator | undefined;
afterEach(async () => {
  await mkp?.close();
  await github?.close();
  mkp = github = undefined;
});

async function runExample(step: ActionStep, fork: boolean) {
  mkp = await MkpEmulator.start();
  const environment =
    step.environment &&
    evaluate(step.environment, { mkpToken: '', githubToken: '', fork }, step.matrix);
  github = await GitHubEmulator.start({
    repositories: [
      {
        fullName: 'acme/shop',
        id: 1001,
        environments: ['production', ...(environment ? [environment] : [])],
      },
    ],
  });
  github.addPullRequest('acme/shop', 12);
  const samples = { mkpToken: mkp.token, githubToken: github.token, fork };
  const inputs: Record<string, string> = {};
  for (const [name, input] of Object.entries(ACTION_INPUTS)) {
    inputs[name] = evaluate(step.with[name] ?? input.default ?? '', samples, step.matrix);
  }
  // The one change to the workflow: the API is the emulator, not api.mijnklantportaal.nl.
  inputs['api-url'] = mkp.baseUrl;
  const env: Record<string, string> = {
    GITHUB_API_URL: github.url,
    GITHUB_REPOSITORY: 'acme/shop',
    // Tuning, not behaviour: secret writes one per 10 ms rather than GitHub's one per second.
    MKP_GITHUB_WRITE_INTERVAL_MS: '10',
  };
  for (const [name, value] of Object.entries(step.env)) {
    env[name] = evaluate(value, samples, step.matrix);
  }
  const event = step.events.includes('pull_request')
    ? { name: 'pull_request', payload: { pull_request: { number: 12 } } }
    : { name: step.events[0] ?? 'push', payload: {} };
  const run = await runAction({ inputs, env, event });
  return { run, inputs, env };
}

const steps = workflows();

describe('the example workflows run as written', () => {
  it('finds the workflows: every example, and every workflow of the README is one of them', () => {
    const sources = steps.map((s) => s.source);
    const examples = readdirSync(join(REPO_ROOT, 'examples')).filter((f) => /\.ya?ml$/.test(f));
    for (const name of examples) {
      const source = `examples/${name}`;
      expect(sources.filter((s) => s === source || s.startsWith(`${source} (`))).not.toEqual([]);
    }
    // The README's workflows are generated from the examples, so each of them runs here.
    const parsed = examples.map((name) =>
      parse(readFileSync(join(REPO_ROOT, 'examples', name), 'utf8')),
    );
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const workflows = [...readme.matchAll(/```ya?ml\n([\s\S]*?)```/g)]
      .map((match) => parse(match[1]!) as unknown)
      .filter((document) => actionSteps(document, 'README.md').length > 0);
    expect(workflows.length).toBeGreaterThan(3);
    for (const workflow of workflows) expect(parsed).toContainEqual(workflow);
  });

  it.each(steps.map((step) => [step.source, step] as const))(
    '%s passes against the emulators with its own env',
    async (_, step) => {
      const { run, inputs, env } = await runExample(step, false);
      expect({
        exitCode: run.exitCode,
        errors: run.stdout.split('\n').filter((l) => l.startsWith('::error')),
      }).toEqual({
        exitCode: 0,
        errors: [],
      });
      // The file's ${VAR}s came from the step's env: nothing was left unchecked.
      expect(run.stdout).not.toContain('not checked:');
      expect(JSON.parse(run.outputs.plan!)).not.toHaveProperty('unchecked');
      if (inputs['dry-run'] === 'true') {
        expect(mkp!.count('create')).toBe(0);
      } else {
        expect(run.outputs.changed).toBe('true');
        expect(JSON.parse(run.outputs.created!).length).toBe(mkp!.records.length);
      }
      // A GitHub target holds one secret per created webhook, at the scope the step names.
      if (inputs['secrets-target'] === 'environment' && inputs['dry-run'] !== 'true') {
        const scope = {
          kind: 'environment' as const,
          repository: 'acme/shop',
          environment: inputs.environment!,
        };
        expect(github!.secrets(scope)).toHaveLength(mkp!.records.length);
      }
      const hidden = [mkp!.token, github!.token, ...mkp!.records.map((r) => r.secret)];
      expectNoLeak(
        run,
        hidden,
        inputs['secrets-target'] === 'outputs' ? Object.keys(run.outputs) : [],
      );
      // Sanity: the sample URL of each ${VAR} reached the account unmodified when created.
      for (const [name, value] of Object.entries(env)) {
        if (/URL$/.test(name) && name !== 'GITHUB_API_URL' && inputs['dry-run'] !== 'true') {
          expect(mkp!.records.map((r) => r.url)).toContain(value);
        }
      }
    },
    60_000,
  );

  const pullRequests = steps.filter((s) => s.events.includes('pull_request'));
  it('has a pull_request example', () => expect(pullRequests.length).toBeGreaterThan(0));
  it.each(pullRequests.map((step) => [step.source, step] as const))(
    '%s still passes on a fork’s pull request, where every secret is empty',
    async (_, step) => {
      const { run } = await runExample(step, true);
      expect(run.exitCode).toBe(0);
      expect(run.stdout.split('\n').filter((l) => l.startsWith('::error'))).toEqual([]);
      expect(run.summary).toContain('not checked');
      expect(mkp!.calls).toHaveLength(0);
      // The ${VAR}s the fork lacks are notices on the file's line, not errors.
      for (const [name, value] of Object.entries(step.env)) {
        if (/secrets\./.test(value)) {
          expect(run.stdout).toMatch(
            new RegExp(
              `^::notice file=webhooks.yaml,line=\\d+,col=\\d+::not checked: ${name} is empty in this run`,
              'm',
            ),
          );
        }
      }
    },
    60_000,
  );
});
