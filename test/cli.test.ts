import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { parseWebhooksFile } from '../src/config/load.js';
import { MkpEmulator } from '../src/emulator/mkp.js';
import { findLeaks } from './harness/leaks.js';
import { runCli, type CliRun } from '../dev/harness/processes.js';

/** `mkp-webhooks-sync` (the built dist/cli/index.js) from a terminal, against the emulator (CONTRACT §5). */
let mkp: MkpEmulator | undefined;
afterEach(async () => {
  await mkp?.close();
  mkp = undefined;
});

const dir = (yaml?: string) => {
  const cwd = mkdtempSync(join(tmpdir(), 'mkp-cli-'));
  if (yaml !== undefined) writeFileSync(join(cwd, 'webhooks.yaml'), yaml);
  return cwd;
};
const api = () => ({ MKP_API_TOKEN: mkp!.token, MKP_API_URL: mkp!.baseUrl });
const noSecret = (run: CliRun) => {
  for (const r of mkp?.records ?? []) {
    expect(run.stdout).not.toContain(r.secret);
    expect(run.stderr).not.toContain(r.secret);
  }
  if (mkp) expect(run.stdout + run.stderr).not.toContain(mkp.token);
};

const FILE = `webhooks:
  - name: crm
    url: https://hooks.example.com/crm
    events: [customer-created, customer-deleted]
`;

describe('validate, plan and apply', () => {
  it('validate: exit 0 on a valid file, 1 with PATH:LINE:COLUMN on an invalid one, 2 on misuse', async () => {
    expect((await runCli(['validate'], { cwd: dir(FILE) })).code).toBe(0);
    const bad = await runCli(['validate'], {
      cwd: dir('webhooks:\n  - url: https://a.example.com/\n    evnts: [x]\n'),
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('webhooks.yaml:3:5: unknown key `evnts` (did you mean `events`?)');
    expect((await runCli(['frobnicate'], { cwd: dir(FILE) })).code).toBe(2);
  });

  it('plan --json without MKP_API_TOKEN prints {"unchecked": […]} and exits 0', async () => {
    const run = await runCli(['plan', '--json'], { cwd: dir(FILE) });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      unchecked: [
        {
          name: 'crm',
          event: 'customer-created',
          url: 'https://hooks.example.com/crm',
          secretName: 'MKP_WEBHOOK_CRM_CUSTOMER_CREATED',
        },
        {
          name: 'crm',
          event: 'customer-deleted',
          url: 'https://hooks.example.com/crm',
          secretName: 'MKP_WEBHOOK_CRM_CUSTOMER_DELETED',
        },
      ],
    });
  });

  it('apply and import without MKP_API_TOKEN fail with a clear message', async () => {
    for (const command of ['apply', 'import']) {
      const run = await runCli([command], { cwd: dir(FILE) });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`${command} needs MKP_API_TOKEN`);
    }
  });

  it('plan --json prints exactly the plan output; apply --json prints plan and created, no secret', async () => {
    mkp = await MkpEmulator.start({
      seed: [{ type: 'customer-created', url: 'https://hooks.example.com/crm' }],
    });
    const cwd = dir(FILE);
    const plan = await runCli(['plan', '--json'], { cwd, env: api() });
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout)).toMatchObject({
      create: [{ event: 'customer-deleted' }],
      unchanged: [{ event: 'customer-created' }],
      unmanaged: [],
      duplicates: [],
    });
    expect(mkp.count('create')).toBe(0);

    const apply = await runCli(['apply', '--json'], { cwd, env: api() });
    expect(apply.code).toBe(0);
    const out = JSON.parse(apply.stdout);
    expect(Object.keys(out)).toEqual(['plan', 'created']);
    expect(out.created).toEqual([{ ...out.plan.create[0], id: mkp.records[1]!.id }]);
    noSecret(apply);

    const again = await runCli(['plan'], { cwd, env: api() });
    expect(again.stdout).toContain('0 to create, 2 unchanged, 0 unmanaged');
  });

  it('apply fails with exit 1 and says why when the token is wrong', async () => {
    mkp = await MkpEmulator.start();
    const run = await runCli(['apply'], {
      cwd: dir(FILE),
      env: { ...api(), MKP_API_TOKEN: 'not-the-right-token' },
    });
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain('the API token is wrong or lacks the webhooks scope');
  });
});

describe('manners', () => {
  const VERSION = JSON.parse(readFileSync('package.json', 'utf8')).version as string;

  it('--version and -v print the version', async () => {
    for (const flag of ['--version', '-v']) {
      const run = await runCli([flag], { cwd: dir() });
      expect(run).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    }
  });

  it('an unknown flag or command is one line with a did-you-mean and a pointer to --help, exit 2', async () => {
    const cases: Array<[string[], string]> = [
      [['plan', '--conifg', 'x.yaml'], 'unknown option --conifg (did you mean --config?)'],
      [['validate', '--jsno'], 'unknown option --jsno (did you mean --json?)'],
      [['import', '--froce'], 'unknown option --froce (did you mean --force?)'],
      [['pln'], 'unknown command pln (did you mean plan?)'],
      [['plan', '--zzzzzzzz'], 'unknown option --zzzzzzzz'],
      [['plan', '--constructor'], 'unknown option --constructor'],
      [['plan', '-x'], 'unknown option -x'],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args, { cwd: dir(FILE) });
      expect(run).toEqual({
        code: 2,
        stdout: '',
        stderr: `error: ${message}; see mkp-webhooks-sync --help\n`,
      });
    }
  });

  it('names MKP_API_URL in what is wrong with it, never the Action input', async () => {
    const run = await runCli(['plan'], {
      cwd: dir(FILE),
      env: { MKP_API_TOKEN: 'mkp_test_token', MKP_API_URL: 'http://api.example.com/v1?k=v' },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'error: MKP_API_URL must use https (plain http is allowed only to a loopback address such as 127.0.0.1), not `http://api.example.com`; MKP_API_URL must not carry user-info, a query or a fragment\n',
    );
  });

  it('refuses flags that do not apply to the command', async () => {
    const cases: Array<[string[], string]> = [
      [['plan', '--output', 'x'], '--output does not apply to plan (it is for import)'],
      [
        ['import', '--config', 'x'],
        '--config does not apply to import (it is for validate, plan, apply)',
      ],
      [['apply', '--force'], '--force does not apply to apply (it is for import)'],
      [['validate', '--json=yes'], '--json takes no value'],
      [['plan', '--config'], '--config needs a value'],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args, { cwd: dir(FILE), env: { MKP_API_TOKEN: 'x' } });
      expect(run.stderr).toBe(`error: ${message}; see mkp-webhooks-sync --help\n`);
      expect(run.code).toBe(2);
    }
  });

  it('a failed plan speaks of planning and prints each error once; --json gives the failure shape', async () => {
    mkp = await MkpEmulator.start();
    const env = { ...api(), MKP_API_TOKEN: 'not-the-right-token' };
    const run = await runCli(['plan'], { cwd: dir(FILE), env });
    expect(run.code).toBe(1);
    const denied = 'the API token is wrong or lacks the webhooks scope';
    expect((run.stdout + run.stderr).split(denied)).toHaveLength(2);
    expect(run.stdout + run.stderr).toContain('no plan');
    expect(run.stdout + run.stderr).not.toMatch(/creat|repair/);

    const json = await runCli(['plan', '--json'], { cwd: dir(FILE), env });
    expect(json.code).toBe(1);
    const body = JSON.parse(json.stdout);
    expect(Object.keys(body)).toEqual(['error', 'problems', 'plan']);
    expect(body.problems).toEqual([]);
    expect(body.plan).toBeNull();
    expect(body.error).toContain(denied);

    const apply = await runCli(['apply', '--json'], { cwd: dir(FILE), env });
    expect(apply.code).toBe(1);
    expect(Object.keys(JSON.parse(apply.stdout))).toEqual(['error', 'problems', 'plan', 'created']);

    const invalid = await runCli(['plan', '--json'], { cwd: dir('webhooks: 3\n'), env });
    expect(invalid.code).toBe(1);
    // The problems themselves, not only their count (issue 24).
    expect(JSON.parse(invalid.stdout)).toEqual({
      error: 'webhooks.yaml has 1 problem; nothing was sent',
      problems: [
        {
          file: 'webhooks.yaml',
          line: 1,
          column: 11,
          message: expect.stringContaining('`webhooks` must be a list'),
        },
      ],
      plan: null,
    });
  });

  it('apply --json that fails halfway keeps what was created in the failure shape', async () => {
    mkp = await MkpEmulator.start();
    mkp.inject({ kind: 'error-before', status: 422, on: 'create', after: 1 });
    const apply = await runCli(['apply', '--json'], { cwd: dir(FILE), env: api() });
    expect(apply.code).toBe(1);
    const body = JSON.parse(apply.stdout);
    expect(body.error).toMatch(/^apply did not finish: 1 of 2 webhooks created/);
    expect(body.plan.create).toHaveLength(2);
    // The two creates race: either may be the one refused.
    expect(body.created).toHaveLength(1);
    const { id, ...declared } = body.created[0];
    expect(id).toBe(mkp.records[0]!.id);
    expect(body.plan.create).toContainEqual(declared);
    noSecret(apply);
  });

  it('after apply, says where the new secrets are', async () => {
    mkp = await MkpEmulator.start();
    const run = await runCli(['apply'], { cwd: dir(FILE), env: api() });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'The secrets of the 2 new webhooks stay on the MijnKlantportaal account; this terminal never shows them. The Action delivers them to GitHub',
    );
    noSecret(run);
  });

  it('plan prints its count line once, and last what applying costs: a 1,000-webhook first sync is about 17 minutes', async () => {
    const events = ['customer-created', 'customer-deleted', 'invoice-paid', 'ticket-created'];
    const entries = Array.from(
      { length: 250 },
      (_, i) =>
        `  - name: h${i}\n    url: https://hooks.example.com/${i}\n    events: [${events.join(', ')}]\n`,
    );
    const cwd = dir(`webhooks:\n${entries.join('')}`);
    mkp = await MkpEmulator.start();
    const run = await runCli(['plan'], { cwd, env: api() });
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('webhooks.yaml: 1000 to create, 0 unchanged, 0 unmanaged (plan only)');
    expect(lines.at(-1)).toBe(
      '  cost of applying: 1001 API calls (1 list page, 1000 creates), about 17 minutes',
    );
    // Once, on stdout: stderr has only the listing's progress.
    expect((run.stdout + run.stderr).match(/to create/g)).toHaveLength(1);
    expect(run.stderr).toBe('List webhooks on the account\n');
    expect(mkp.calls).toHaveLength(1);

    const unread = await runCli(['plan'], { cwd });
    expect(unread.stdout.trimEnd().split('\n').at(-1)).toBe(
      '  cost of applying: not known, as the account was not read (up to 1000 creates, plus its list pages)',
    );
  });

  it('apply says what it created, and its cost, once', async () => {
    mkp = await MkpEmulator.start({
      seed: [{ type: 'customer-created', url: 'https://hooks.example.com/crm' }],
    });
    const run = await runCli(['apply'], { cwd: dir(FILE), env: api() });
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('webhooks.yaml: 1 created, 1 unchanged, 0 unmanaged');
    expect(lines.at(-1)).toBe('  cost of applying: 2 API calls (1 list page, 1 create)');
    expect(run.stdout + run.stderr).not.toMatch(/plan:|to create/);
    expect(run.stderr).toContain(
      'The secret of the 1 new webhook stays on the MijnKlantportaal account; this terminal never shows it. The Action delivers it to GitHub',
    );
    noSecret(run);
  });

  it('validate, and plan without MKP_API_TOKEN, give an unset ${VAR} as a notice; with a token it is an error', async () => {
    const cwd = dir(`${FILE}  - url: \${BILLING_HOOK_URL}\n    event: invoice-paid\n`);
    const notice =
      'notice: webhooks.yaml:5:10: not checked: BILLING_HOOK_URL is not set in this run (`url` uses `${BILLING_HOOK_URL}`)\n';
    for (const args of [['validate'], ['plan']]) {
      const run = await runCli(args, { cwd });
      expect(run.code).toBe(0);
      expect(run.stderr).toBe(notice);
    }
    mkp = await MkpEmulator.start();
    const withToken = await runCli(['plan'], { cwd, env: api() });
    expect(withToken.code).toBe(1);
    expect(withToken.stderr).toContain(
      'webhooks.yaml:5:10: environment variable `BILLING_HOOK_URL` is not set',
    );
  });
});

describe('import', () => {
  const varied = () => {
    const seed: Array<{ type: string; url: string }> = [];
    const events = [
      'customer-created',
      'customer-deleted',
      'invoice-paid',
      'invoice-created',
      'ticket-created',
      'offer-accepted',
    ];
    for (let i = 0; i < 12; i++) {
      for (const type of events.slice(0, 1 + (i % events.length))) {
        seed.push({ type, url: `https://svc${i}.example.com/hooks/mkp` });
      }
    }
    seed.push({
      type: 'invoice-paid',
      url: 'https://billing.example.com/mkp?tenant=42&key=s3cr3t',
    });
    seed.push({
      type: 'invoice-chargeback',
      url: 'https://billing.example.com/mkp?tenant=42&key=s3cr3t',
    });
    seed.push({ type: 'payment-link-paid', url: 'https://user:pw@pay.example.com/in' });
    seed.push({ type: 'ticket-created', url: 'https://svc0.example.com/hooks/mkp' }); // shared URL, another event
    seed.push({ type: 'customer-created', url: 'https://SVC1.example.com:443/hooks/mkp' }); // a duplicate of svc1
    return seed;
  };

  it('writes a valid file from a varied account, and the next plan has nothing to create and nothing unmanaged', async () => {
    mkp = await MkpEmulator.start({ seed: varied() });
    expect(mkp.records.length).toBeGreaterThan(40);
    const cwd = dir();
    const run = await runCli(['import'], { cwd, env: api() });
    expect(run.code).toBe(0);
    noSecret(run);
    const text = readFileSync(join(cwd, 'webhooks.yaml'), 'utf8');
    // The schema at the released tag: a user's repository has no webhooks.schema.json of its own.
    expect(text.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=https://raw.githubusercontent.com/mkp-webhooks-sync/mkp-webhooks-sync/v1/webhooks.schema.json',
    );
    expect(text).toContain('url: https://billing.example.com/mkp?tenant=42&key=s3cr3t'); // whole in the file
    expect(run.stderr).not.toContain('s3cr3t'); // redacted on the terminal
    expect(run.stderr).toMatch(
      /warning: 2 URLs carry user-info or query values, written whole: (https:\/\/billing\.example\.com\/mkp\?tenant=\*\*\*&key=\*\*\*|https:\/\/pay\.example\.com\/in), (?!\1)(https:\/\/billing\.example\.com\/mkp\?tenant=\*\*\*&key=\*\*\*|https:\/\/pay\.example\.com\/in)\. /,
    );
    expect(run.stderr).toContain('The file goes into git');
    expect(run.stderr).toMatch(/duplicates: `wbh_\w+` and `wbh_\w+` both send `customer-created`/);
    for (const r of mkp.records) expect(text).not.toContain(r.secret);

    const file = parseWebhooksFile(text, 'webhooks.yaml', { env: {} });
    expect(file.subscriptions.length).toBe(mkp.records.length - 1);
    const names = file.subscriptions.map((s) => s.name);
    expect(new Set(names).size).toBeGreaterThan(5);

    const plan = await runCli(['plan', '--json'], { cwd, env: api() });
    const json = JSON.parse(plan.stdout);
    expect([json.create.length, json.unmanaged.length]).toEqual([0, 0]);
    expect(json.duplicates).toHaveLength(2);
  });

  it('is stable: importing the same account twice gives the same file', async () => {
    mkp = await MkpEmulator.start({ seed: varied() });
    const a = await runCli(['import', '--output', '-'], { cwd: dir(), env: api() });
    const b = await runCli(['import', '--output', '-'], { cwd: dir(), env: api() });
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('skips records no valid file can hold, each named in a warning', async () => {
    mkp = await MkpEmulator.start({
      seed: [
        { type: 'invoice-paid', url: 'https://ok.example.com/' },
        { type: 'brand-new-event', url: 'https://ok.example.com/' },
        { type: 'invoice-paid', url: 'http://plain.example.com/' },
        { type: 'invoice-paid', url: 'https://frag.example.com/#x' },
        // What the loader refuses, import skips: one such record must not stop the import.
        { type: 'invoice-paid', url: 'https://space.example.com/a b' },
        { type: 'invoice-paid', url: 'https://copied.example.com/?key=***' },
      ],
    });
    const run = await runCli(['import', '--output', '-'], { cwd: dir(), env: api() });
    expect(run.code).toBe(0);
    const [, unknown, plain, fragment, space, copied] = mkp.records;
    expect(run.stderr).toContain(`skipped ${space!.id}`);
    expect(run.stderr).toContain(`skipped ${copied!.id}`);
    expect(run.stderr).toContain(
      `skipped ${unknown!.id} (brand-new-event https://ok.example.com/): unknown event type \`brand-new-event\``,
    );
    expect(run.stderr).toContain(`skipped ${plain!.id}`);
    expect(run.stderr).toContain(`skipped ${fragment!.id}`);
    expect(parseWebhooksFile(run.stdout, 'w.yaml', { env: {} }).subscriptions).toHaveLength(1);
  });

  it('replaces an existing file only with --force', async () => {
    mkp = await MkpEmulator.start({
      seed: [{ type: 'invoice-paid', url: 'https://ok.example.com/' }],
    });
    const cwd = dir('# mine\n');
    const refused = await runCli(['import'], { cwd, env: api() });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('webhooks.yaml exists; pass --force');
    expect(readFileSync(join(cwd, 'webhooks.yaml'), 'utf8')).toBe('# mine\n');
    expect(mkp.count('list')).toBe(0);
    expect((await runCli(['import', '--force'], { cwd, env: api() })).code).toBe(0);
    expect(readFileSync(join(cwd, 'webhooks.yaml'), 'utf8')).toContain('https://ok.example.com/');
  });

  it('--names host and --secret-template shape the file; a file that would be invalid is not written', async () => {
    mkp = await MkpEmulator.start({
      seed: [
        { type: 'invoice-paid', url: 'https://a.example.com/one' },
        { type: 'invoice-paid', url: 'https://a.example.com/two' },
      ],
    });
    const host = await runCli(
      ['import', '--output', '-', '--names', 'host', '--secret-template', '{NAME}_{EVENT}_SECRET'],
      {
        cwd: dir(),
        env: api(),
      },
    );
    expect(host.code).toBe(0);
    expect(host.stdout).toContain('name: a-example\n');
    expect(host.stdout).toContain('name: a-example-2\n');
    expect(host.stdout).toContain('secret: "{NAME}_{EVENT}_SECRET"');
    const cwd = dir();
    const none = await runCli(['import', '--names', 'none'], { cwd, env: api() });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('nothing was written');
    expect(existsSync(join(cwd, 'webhooks.yaml'))).toBe(false);
  });
  it('says of one URL with a query value that it carries one, in the singular', async () => {
    mkp = await MkpEmulator.start({
      seed: [{ type: 'invoice-paid', url: 'https://billing.example.com/mkp?key=s3cr3t' }],
    });
    const run = await runCli(['import', '--output', '-'], { cwd: dir(), env: api() });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'warning: 1 URL carries user-info or query values, written whole: https://billing.example.com/mkp?key=***. ',
    );
  });

  it('--owns writes only the records in scope, and the owns list; plan on it finds nothing unmanaged', async () => {
    mkp = await MkpEmulator.start({
      seed: [
        { type: 'invoice-paid', url: 'https://shop.example.com/mkp/billing' },
        { type: 'customer-created', url: 'https://SHOP.example.com/mkp/crm' },
        { type: 'customer-created', url: 'https://crm.example.com/mkp' },
        { type: 'invoice-paid', url: 'https://hooks.zapier.com/hooks/catch/1/abc' },
        { type: 'ticket-created', url: 'https://support.example.com/mkp/tickets' },
      ],
    });
    const cwd = dir();
    const run = await runCli(
      [
        'import',
        '--owns',
        'https://shop.example.com/mkp/*',
        '--owns',
        'https://support.example.com/*',
      ],
      { cwd, env: api() },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('2 records outside --owns left out');
    const text = readFileSync(join(cwd, 'webhooks.yaml'), 'utf8');
    expect(text).toContain(
      'owns:\n  - https://shop.example.com/mkp/*\n  - https://support.example.com/*\n',
    );
    expect(text).not.toContain('crm.example.com');
    expect(text).not.toContain('zapier');
    const file = parseWebhooksFile(text, 'webhooks.yaml', { env: {} });
    expect(file.subscriptions.map((s) => s.event)).toEqual([
      'invoice-paid',
      'customer-created',
      'ticket-created',
    ]);

    const plan = JSON.parse((await runCli(['plan', '--json'], { cwd, env: api() })).stdout);
    expect([plan.create.length, plan.unmanaged.length, plan.ignored.length]).toEqual([0, 0, 2]);
    const terminal = await runCli(['plan'], { cwd, env: api() });
    expect(terminal.stdout).toContain('2 belong to others: outside `owns` or ignored');
  });

  it('--owns with something that is not a URL pattern fails before the account is read', async () => {
    mkp = await MkpEmulator.start();
    const run = await runCli(['import', '--owns', 'shop.example.com/*'], {
      cwd: dir(),
      env: api(),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('`shop.example.com/*` is not a URL pattern');
    expect(mkp.calls).toHaveLength(0);
  });
});

describe('hostile input on the terminal (CONTRACT §4, §5)', () => {
  const SLACK = 'T0AAAA11/B0BBBB22/xyzSecretPathValue';
  const CHAT = `webhooks:
  - name: chat
    url: https://hooks.slack.com/services/\${SLACK_PATH}
    event: ticket-created
`;

  it('shows a ${VAR} URL as ${VAR} on the terminal; --json keeps the resolved URL', async () => {
    mkp = await MkpEmulator.start();
    const cwd = dir(CHAT);
    const env = { ...api(), SLACK_PATH: SLACK };
    const text = await runCli(['apply'], { cwd, env });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('https://hooks.slack.com/services/${SLACK_PATH}');
    const json = await runCli(['plan', '--json'], { cwd, env });
    expect(JSON.parse(json.stdout).unchanged).toEqual([
      expect.objectContaining({ url: `https://hooks.slack.com/services/${SLACK}` }),
    ]);
    noSecret(text);
    noSecret(json);
    // --json's stdout is machine output, like the Action's `plan`: the rest is for people.
    for (const run of [text, { ...json, stdout: '' }]) {
      expect(findLeaks({ run: asRun(run), secrets: [], variables: [SLACK] })).toEqual([]);
    }
    // Only the machine output may hold the value.
    expect(text.stdout + text.stderr + json.stderr).not.toContain(SLACK);
  });

  it('refuses an MKP_API_TOKEN with a line break before any call', async () => {
    mkp = await MkpEmulator.start();
    const run = await runCli(['plan'], {
      cwd: dir(FILE),
      env: { MKP_API_TOKEN: 'mkp_live_AbC123\nXyZ789tail', MKP_API_URL: mkp.baseUrl },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('MKP_API_TOKEN contains a control character');
    expect(run.stdout + run.stderr).not.toMatch(/AbC123|XyZ789/);
    expect(mkp.calls).toHaveLength(0);
  });
});

/** A CLI run in the shape the leak scan reads (stdout, stderr; no summary or outputs). */
const asRun = (run: CliRun) => ({
  exitCode: run.code,
  stdout: run.stdout,
  stderr: run.stderr,
  outputs: {},
  summary: '',
});
