// The self-test workflow's assertions on the action's outputs, one phase per run of the action:
//
//   npx tsx scripts/self-test/assert.ts plan    # PLAN: the outputs of the dry run (pr-comment)
//   npx tsx scripts/self-test/assert.ts apply   # PLAN, APPLY
//   npx tsx scripts/self-test/assert.ts again   # APPLY, AGAIN: the idempotent second apply
//
// Each variable holds `${{ toJSON(steps.<id>.outputs) }}`. Expectations are derived from the
// dry run's plan, not hard-coded, so the test holds for any webhooks.yaml and seeded account.
// No secret is ever printed: failures name outputs and secret names only. test/self-test.test.ts
// runs this same script after a local run of the built action against the same emulator.
import { readFileSync } from 'node:fs';
import { commentMarker } from '../../src/report/pr-comment.js';

type Outputs = Record<string, string>;
interface PlanEntry {
  secretName?: string;
}
interface PlanOutput {
  create?: PlanEntry[];
  unchanged?: PlanEntry[];
  unmanaged?: unknown[];
}

/** The outputs every run sets (action.yml); any other output is a secret's. */
const STANDARD = ['plan', 'created', 'secrets', 'changed', 'drift', 'to-create', 'unmanaged'];

const failures: string[] = [];
function check(what: string, ok: boolean): void {
  console.log(`${ok ? '✓' : '✗'} ${what}`);
  if (!ok) failures.push(what);
}

function outputsOf(variable: string): Outputs {
  const text = process.env[variable];
  if (!text) throw new Error(`${variable} is not set: pass \${{ toJSON(steps.<id>.outputs) }}`);
  return JSON.parse(text) as Outputs;
}

function json<T>(outputs: Outputs, name: string, fallback: T): T {
  try {
    return JSON.parse(outputs[name] ?? '') as T;
  } catch {
    return fallback;
  }
}

const secretNames = (entries: PlanEntry[] = []) => entries.map((e) => e.secretName ?? '').sort();
const sameList = (a: string[], b: string[]) => JSON.stringify(a) === JSON.stringify(b);
const secretOutputs = (outputs: Outputs) =>
  Object.keys(outputs)
    .filter((name) => !STANDARD.includes(name))
    .sort();

async function planComment(): Promise<void> {
  const event = process.env.GITHUB_EVENT_NAME ?? '';
  const payload = process.env.GITHUB_EVENT_PATH
    ? (JSON.parse(readFileSync(process.env.GITHUB_EVENT_PATH, 'utf8')) as {
        pull_request?: { number: number; head?: { repo?: { full_name?: string } } };
      })
    : {};
  const pull = payload.pull_request;
  const repository = process.env.GITHUB_REPOSITORY ?? '';
  // A fork's pull request gets a read-only token: the action warns and posts nothing.
  if (event !== 'pull_request' || !pull || pull.head?.repo?.full_name !== repository) {
    console.log(`- no plan comment expected on a ${event || 'local'} run from this repository`);
    return;
  }
  const api = process.env.GITHUB_API_URL || 'https://api.github.com';
  const bodies: string[] = [];
  for (let page = 1; page <= 10; page++) {
    const answer = await fetch(
      `${api}/repos/${repository}/issues/${pull.number}/comments?per_page=100&page=${page}`,
      {
        headers: {
          authorization: `Bearer ${process.env.GITHUB_TOKEN ?? ''}`,
          accept: 'application/vnd.github+json',
        },
      },
    ).catch((error: Error) => error);
    const status = answer instanceof Error ? answer.message : answer.status;
    check(
      `the comments of pull request #${pull.number} can be read (${status})`,
      !(answer instanceof Error) && answer.ok,
    );
    if (answer instanceof Error || !answer.ok) return;
    const comments = (await answer.json()) as Array<{ body?: string }>;
    bodies.push(...comments.map((c) => c.body ?? ''));
    if (comments.length < 100) break;
  }
  const ours = bodies.filter((body) => body.includes(commentMarker('webhooks.yaml').text()));
  check(`exactly one plan comment on pull request #${pull.number}`, ours.length === 1);
  const token = process.env.MKP_API_TOKEN ?? '';
  check(
    'the plan comment does not contain the API token',
    !ours.some((b) => token && b.includes(token)),
  );
}

async function main(phase: string): Promise<void> {
  if (phase === 'plan') {
    const dry = outputsOf('PLAN');
    const plan = json<PlanOutput>(dry, 'plan', {});
    const toCreate = plan.create?.length ?? -1;
    check('the dry run has a plan with something to create', toCreate > 0);
    check('to-create counts the plan', dry['to-create'] === String(toCreate));
    check('unmanaged counts the plan', dry.unmanaged === String(plan.unmanaged?.length));
    check('drift is true', dry.drift === 'true');
    check('changed is false: a dry run creates nothing', dry.changed === 'false');
    check('created is []', dry.created === '[]');
    check('secrets is {}: a dry run outputs no secret', dry.secrets === '{}');
    check('no per-secret output', secretOutputs(dry).length === 0);
    await planComment();
  } else if (phase === 'apply') {
    const plan = json<PlanOutput>(outputsOf('PLAN'), 'plan', {});
    const apply = outputsOf('APPLY');
    const created = json<PlanEntry[]>(apply, 'created', []);
    const secrets = json<Record<string, string>>(apply, 'secrets', {});
    const names = Object.keys(secrets).sort();
    const declared = secretNames([...(plan.create ?? []), ...(plan.unchanged ?? [])]);
    check('changed is true', apply.changed === 'true');
    check(
      'to-create equals the dry run: it created nothing',
      apply['to-create'] === String(plan.create?.length),
    );
    check(
      'created is what the dry run planned',
      sameList(secretNames(created), secretNames(plan.create)),
    );
    check('unmanaged equals the dry run', apply.unmanaged === String(plan.unmanaged?.length));
    check(
      'secrets holds the secret of every webhook created',
      secretNames(created).every((name) => names.includes(name)),
    );
    check(
      'secrets holds the secret of every declared webhook (created or already there)',
      declared.every((name) => names.includes(name)),
    );
    check(
      'secrets holds declared names only',
      names.every((name) => declared.includes(name)),
    );
    check(
      'every secret is a non-empty string',
      Object.values(secrets).every((v) => typeof v === 'string' && v.length > 0),
    );
    check('one output per secret name', sameList(secretOutputs(apply), names));
    check(
      'each secret output equals its entry in secrets',
      names.every((name) => apply[name] === secrets[name]),
    );
  } else if (phase === 'again') {
    const apply = outputsOf('APPLY');
    const again = outputsOf('AGAIN');
    const plan = json<PlanOutput>(again, 'plan', {});
    const first = json<Record<string, string>>(apply, 'secrets', {});
    const second = json<Record<string, string>>(again, 'secrets', {});
    check('changed is false: the second run changes nothing', again.changed === 'false');
    check('to-create is 0', again['to-create'] === '0');
    check('created is []', again.created === '[]');
    check('the plan creates nothing', plan.create?.length === 0);
    check('unmanaged is unchanged', again.unmanaged === apply.unmanaged);
    check(
      'drift is true only for unmanaged records',
      again.drift === String(again.unmanaged !== '0'),
    );
    // Read back from the listing, never made anew: the first run's values.
    check(
      'every secret it outputs is the one the first run delivered',
      Object.entries(second).every(([name, value]) => first[name] === value),
    );
  } else {
    throw new Error(`unknown phase "${phase}": plan, apply or again`);
  }
  if (failures.length) {
    console.log(`::error::self-test ${phase}: ${failures.length} check(s) failed`);
    process.exitCode = 1;
  }
}

await main(process.argv[2] ?? '');
