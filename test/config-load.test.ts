import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { loadWebhooksFile, MAX_FILE_BYTES, parseWebhooksFile } from '../src/config/load.js';
import { ConfigError, formatProblem, type ConfigProblem } from '../src/config/types.js';

const PATH = 'webhooks.yaml';

function problemsOf(text: string, env: Record<string, string | undefined> = {}): ConfigProblem[] {
  try {
    parseWebhooksFile(text, PATH, { env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

const lines = (problems: ConfigProblem[]) =>
  problems.map((p) => `${p.line}:${p.column}: ${p.message}`);

/** A valid file with `count` entries of two events each. */
function largeFile(count: number): string {
  const entries = Array.from(
    { length: count },
    (_, i) =>
      `  - name: hook-${i}\n    url: https://hooks.example.com/mkp/${i}?tenant=${i}\n    events: [customer-created, invoice-paid]\n`,
  );
  return `version: 1\nwebhooks:\n${entries.join('')}`;
}

describe('parseWebhooksFile', () => {
  it('gives one subscription per (entry, event), in file order, with the URL as written', () => {
    const file = parseWebhooksFile(
      [
        'webhooks:',
        '  - name: crm',
        '    url: HTTPS://Hooks.Example.com:443/a/../crm',
        '    events: [customer-deleted, customer-created]',
        '  - url: https://hooks.example.com/b',
        '    event: invoice-paid',
        '',
      ].join('\n'),
      PATH,
      { env: {} },
    );
    expect(file).toEqual({
      path: PATH,
      substitutedValues: [],
      subscriptions: [
        {
          name: 'crm',
          event: 'customer-deleted',
          url: 'HTTPS://Hooks.Example.com:443/a/../crm',
          secretName: 'MKP_WEBHOOK_CRM_CUSTOMER_DELETED',
          position: { file: PATH, line: 4, column: 14 },
        },
        {
          name: 'crm',
          event: 'customer-created',
          url: 'HTTPS://Hooks.Example.com:443/a/../crm',
          secretName: 'MKP_WEBHOOK_CRM_CUSTOMER_CREATED',
          position: { file: PATH, line: 4, column: 32 },
        },
        {
          name: null,
          event: 'invoice-paid',
          url: 'https://hooks.example.com/b',
          secretName: 'MKP_WEBHOOK_INVOICE_PAID',
          position: { file: PATH, line: 6, column: 12 },
        },
      ],
    });
  });

  it('reads ${VAR} from process.env by default', () => {
    const name = 'MKP_CONFIG_TEST_HOOK_URL';
    process.env[name] = 'https://env.example.com/hook';
    try {
      const file = parseWebhooksFile(
        `webhooks:\n  - url: \${${name}}\n    event: offer-created\n`,
        PATH,
      );
      expect(file.subscriptions[0]!.url).toBe('https://env.example.com/hook');
    } finally {
      delete process.env[name];
    }
    expect(
      lines(problemsOf(`webhooks:\n  - url: \${${name}}\n    event: offer-created\n`)),
    ).toEqual([`2:10: environment variable \`${name}\` is not set (\`url\` uses \`\${${name}}\`)`]);
  });

  it('finds only variables that are set, not properties every object has', () => {
    expect(
      lines(
        problemsOf(
          'webhooks:\n  - url: https://x.example.com/${constructor}\n    event: offer-created\n',
        ),
      ),
    ).toEqual([
      '2:10: environment variable `constructor` is not set (`url` uses `${constructor}`)',
    ]);
  });

  describe('a validate-only run (no api-token)', () => {
    const text = [
      'webhooks:',
      '  - name: billing',
      '    url: ${BILLING_HOOK_URL}',
      '    events: [invoice-paid, invoice-chargeback]',
      '  - url: https://x.example.com/${constructor}',
      '    event: offer-created',
      '  - url: https://hooks.example.com/crm',
      '    event: customer-created',
      '',
    ].join('\n');

    it('makes an unset or empty ${VAR} a notice, keeps its subscriptions as written (unresolved), and checks the rest', () => {
      for (const env of [{}, { BILLING_HOOK_URL: '' }]) {
        const file = parseWebhooksFile(text, PATH, { env, validateOnly: true });
        const state = 'BILLING_HOOK_URL' in env ? 'empty' : 'not set';
        expect(lines(file.notices ?? [])).toEqual([
          `3:10: not checked: BILLING_HOOK_URL is ${state} in this run (\`url\` uses \`\${BILLING_HOOK_URL}\`)`,
          '5:10: not checked: constructor is not set in this run (`url` uses `${constructor}`)',
        ]);
        // Counted and listed in the form written, with what this run lacks (CONTRACT §2).
        expect(file.subscriptions.map((s) => [s.event, s.url, s.template, s.unresolved])).toEqual([
          ['invoice-paid', '${BILLING_HOOK_URL}', '${BILLING_HOOK_URL}', ['BILLING_HOOK_URL']],
          [
            'invoice-chargeback',
            '${BILLING_HOOK_URL}',
            '${BILLING_HOOK_URL}',
            ['BILLING_HOOK_URL'],
          ],
          [
            'offer-created',
            'https://x.example.com/${constructor}',
            'https://x.example.com/${constructor}',
            ['constructor'],
          ],
          ['customer-created', 'https://hooks.example.com/crm', undefined, undefined],
        ]);
        expect(file.subscriptions.map((s) => s.secretName)).toEqual([
          'MKP_WEBHOOK_BILLING_INVOICE_PAID',
          'MKP_WEBHOOK_BILLING_INVOICE_CHARGEBACK',
          'MKP_WEBHOOK_OFFER_CREATED',
          'MKP_WEBHOOK_CUSTOMER_CREATED',
        ]);
      }
    });

    it('keeps a URL with one variable set and one missing as written; the set value is still masked and checked', () => {
      const two = 'webhooks:\n  - url: https://${HOST}/${HOOK_PATH}\n    event: offer-created\n';
      const file = parseWebhooksFile(two, PATH, {
        env: { HOST: 'hooks.example.com' },
        validateOnly: true,
      });
      expect(file.subscriptions[0]).toMatchObject({
        url: 'https://${HOST}/${HOOK_PATH}',
        unresolved: ['HOOK_PATH'],
      });
      expect(file.substitutedValues).toEqual(['hooks.example.com']);
      // A set variable that carries the token is refused, unresolved neighbours or not.
      expect(() =>
        parseWebhooksFile(two, PATH, {
          env: { HOST: 'h.example.com/tok3n-value' },
          tokens: { 'github-token': 'tok3n-value' },
          validateOnly: true,
        }),
      ).toThrow(ConfigError);
    });

    it('refuses whitespace in an unchecked entry as written: no value can mend it, and a line break would forge lines on a terminal', () => {
      const forged = 'webhooks:\n  - url: "${HOOK}\\nerror: forged"\n    event: offer-created\n';
      let problems: ConfigProblem[] = [];
      try {
        parseWebhooksFile(forged, PATH, { env: {}, validateOnly: true });
      } catch (error) {
        problems = (error as ConfigError).problems;
      }
      expect(lines(problems)).toEqual([
        '2:10: `url` contains whitespace: remove it, or write a space as %20',
      ]);
    });

    it('still refuses an unchecked entry declared twice, or sharing a secret name', () => {
      const twice =
        'webhooks:\n  - url: ${HOOK}\n    event: offer-created\n  - url: ${HOOK}\n    event: offer-created\n    secret: OTHER\n';
      let problems: ConfigProblem[] = [];
      try {
        parseWebhooksFile(twice, PATH, { env: {}, validateOnly: true });
      } catch (error) {
        problems = (error as ConfigError).problems;
      }
      expect(lines(problems).join('\n')).toContain('is already declared on line 3');
    });

    it('still reports every other problem, in the same entry too', () => {
      const broken =
        text.replace('invoice-chargeback', 'invoice-chargebak') + '    secret: lower\n';
      let problems: ConfigProblem[] = [];
      try {
        parseWebhooksFile(broken, PATH, { env: {}, validateOnly: true });
      } catch (error) {
        problems = (error as ConfigError).problems;
      }
      expect(lines(problems)).toHaveLength(2);
      expect(lines(problems)[0]).toContain('4:28: unknown event `invoice-chargebak`');
      expect(lines(problems)[1]).toContain('9:13:');
      expect(lines(problems).join('\n')).not.toContain('BILLING_HOOK_URL');
    });

    it('with an api-token, an unset or empty ${VAR} stays an error', () => {
      expect(lines(problemsOf(text))).toContain(
        '3:10: environment variable `BILLING_HOOK_URL` is not set (`url` uses `${BILLING_HOOK_URL}`)',
      );
      expect(lines(problemsOf(text, { BILLING_HOOK_URL: '' })).join('\n')).toMatch(/^3:10: `url`/m);
    });

    it('a malformed reference is still an error', () => {
      expect(() =>
        parseWebhooksFile(
          'webhooks:\n  - url: https://a.example.com/${A-B}\n    event: offer-created\n',
          PATH,
          {
            env: {},
            validateOnly: true,
          },
        ),
      ).toThrow(ConfigError);
    });
  });

  it('substitutes in `url` only', () => {
    const text =
      'webhooks:\n  - url: https://hooks.example.com/a\n    event: offer-created\n    secret: ${X}\n';
    expect(lines(problemsOf(text, { X: 'SECRET_NAME' }))).toEqual([
      '4:13: unknown placeholder `{X}` in `secret` (the placeholders are {NAME} and {EVENT})',
    ]);
  });

  it('never shows user-info or query values of a URL in a message', () => {
    const env = { HOOK: 'http://admin:hunter2@hooks.example.com/a?token=s3cr3t#frag' };
    const text = [
      'webhooks:',
      '  - name: a',
      '    url: ${HOOK}',
      '    event: offer-created',
      '  - name: b',
      '    url: https://admin:hunter2@hooks.example.com/b?token=s3cr3t',
      '    event: offer-created',
      '  - name: c',
      '    url: https://admin:hunter2@HOOKS.example.com/b?token=s3cr3t',
      '    event: offer-created',
      '  - name: d',
      '    url: https://admin:hunter2@hooks.example.com/c?token=s3cr3t#x',
      '    event: offer-created',
      '',
    ].join('\n');
    const messages = problemsOf(text, env).map((p) => p.message);
    expect(messages).toHaveLength(3);
    for (const message of messages) {
      expect(message).not.toMatch(/hunter2|s3cr3t|admin/);
    }
  });

  it.each([
    'ACTIONS_RUNTIME_TOKEN',
    'GITHUB_TOKEN',
    'RUNNER_TEMP',
    'INPUT_API-TOKEN',
    'github_token',
  ])("refuses ${%s}: the runner's variables may hold its tokens", (name) => {
    const variable = name.replace('-', '_');
    const text = `webhooks:\n  - url: https://x.example.com/\${${variable}}\n    event: offer-created\n`;
    const problems = problemsOf(text, { [variable]: 'eyJhbGciOiJSUzI1NiJ9.runner-token' });
    expect(lines(problems)).toEqual([
      `2:10: \`url\` uses \`\${${variable}}\`: variables starting with \`GITHUB_\`, \`ACTIONS_\`, \`RUNNER_\`, \`INPUT_\` belong to the runner and may hold its tokens; put the value in a variable of your own (\`env:\` in the workflow)`,
    ]);
  });

  it('refuses a ${VAR} value that holds the api-token or github-token, never showing it', () => {
    const text = [
      'webhooks:',
      '  - url: https://x.example.com/${A}',
      '    event: offer-created',
      '  - url: ${B}',
      '    event: customer-created',
      '  - url: https://x.example.com/${C}',
      '    event: invoice-paid',
      '',
    ].join('\n');
    const env = {
      A: 'mkp_live_TOKEN123',
      B: 'https://x.example.com/?t=ghs_GITHUBTOKEN9',
      C: 'harmless-value',
    };
    let problems: ConfigProblem[] = [];
    try {
      parseWebhooksFile(text, PATH, {
        env,
        tokens: { 'api-token': 'mkp_live_TOKEN123', 'github-token': 'ghs_GITHUBTOKEN9' },
      });
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(lines(problems)).toEqual([
      "2:10: the value of `${A}` contains the run's api-token: a webhook URL is sent to MijnKlantportaal and shown in reports, so it must never carry a token",
      "4:10: the value of `${B}` contains the run's github-token: a webhook URL is sent to MijnKlantportaal and shown in reports, so it must never carry a token",
    ]);
  });

  it('keeps the URL as written for people, the resolved URL for the API, and the values to mask', () => {
    const text =
      'webhooks:\n  - url: https://hooks.slack.com/services/${SLACK}\n    event: offer-created\n';
    const file = parseWebhooksFile(text, PATH, { env: { SLACK: 'T0/B0/xyzSECRET' } });
    expect(file.subscriptions[0]).toMatchObject({
      url: 'https://hooks.slack.com/services/T0/B0/xyzSECRET',
      template: 'https://hooks.slack.com/services/${SLACK}',
    });
    expect(file.substitutedValues).toEqual(['T0/B0/xyzSECRET']);
  });

  it('shows a ${VAR} URL in its ${VAR} form in messages, never the value', () => {
    const text = [
      'webhooks:',
      '  - url: https://${HOST}/${PATH_PART}',
      '    event: offer-created',
      '  - url: https://${HOST}/${PATH_PART}',
      '    event: offer-created',
      '  - url: https://${PRIVATE}/x',
      '    event: invoice-paid',
      '',
    ].join('\n');
    const env = { HOST: 'hooks.example.com', PATH_PART: 'T0SECRETPATH', PRIVATE: '10.1.2.3' };
    expect(lines(problemsOf(text, env))).toEqual([
      '5:12: `offer-created` to `https://${HOST}/${PATH_PART}` is already declared on line 3',
      '6:10: `url` (after substituting `${PRIVATE}`) points to a private address: MijnKlantportaal cannot reach it from the internet, and such a URL would aim the service at internal systems (`https://${PRIVATE}/x`)',
    ]);
  });

  it('reports every problem at once, in file order', () => {
    const problems = problemsOf(
      [
        'webhooks:',
        '  - url: http://hooks.example.com/a',
        '    event: offer-create',
        '  - name: Bad_Name',
        '    url: https://hooks.example.com/b',
        '    events: []',
        'version: 3',
        '',
      ].join('\n'),
    );
    expect(lines(problems)).toEqual([
      '2:10: `url` must use https://, not http:// (`http://hooks.example.com/a`)',
      '3:12: unknown event `offer-create` (did you mean `offer-created`?)',
      "4:11: name `Bad_Name` may contain only lowercase letters, digits and '-', and must start with a letter or digit",
      '6:13: `events` is empty: list at least one event',
      '7:10: `version` must be 1 (the only version of this format)',
    ]);
    expect(problems.every((p) => p.file === PATH)).toBe(true);
  });

  it('formats each problem as PATH:LINE:COLUMN: message', () => {
    const error = (() => {
      try {
        parseWebhooksFile('webhooks: 3\n', 'config/webhooks.yaml', { env: {} });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error.message).toBe(
      'config/webhooks.yaml:1:11: `webhooks` must be a list of webhook entries, not a number',
    );
    expect(error.problems.map(formatProblem)).toEqual([error.message]);
  });

  it('gives the same positions with CRLF line endings and a byte order mark', () => {
    const text = readFileSync('test/fixtures/invalid/several-problems.yaml', 'utf8');
    const expected = problemsOf(text);
    expect(expected.length).toBeGreaterThan(5);
    expect(problemsOf(text.replace(/\n/g, '\r\n'))).toEqual(expected);
    expect(problemsOf(`\uFEFF${text}`)).toEqual(expected);
    expect(problemsOf(`\uFEFF${text.replace(/\n/g, '\r\n')}`)).toEqual(expected);
  });

  it('points an aliased event at its use in each entry', () => {
    const file = parseWebhooksFile(
      'webhooks:\n  - url: https://a.example.com/\n    event: &ev offer-created\n  - name: b\n    url: https://b.example.com/\n    event: *ev\n',
      PATH,
      { env: {} },
    );
    expect(file.subscriptions.map((s) => s.position.line)).toEqual([3, 6]);
  });

  it('reports an alias bomb instead of expanding it', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i++) {
      const name = String.fromCharCode(97 + i);
      const previous = String.fromCharCode(96 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    // Expanded, 9^12 values would never finish: an answer at all shows it was not expanded.
    expect(lines(problemsOf(`${levels.join('\n')}\nwebhooks: []\n`))).toEqual([
      '2:8: aliases expand to too many values (more than 100); this limit guards against alias bombs, so write the values out instead of using `*alias`',
    ]);
  });

  it('reports nesting too deep to read', () => {
    const depth = 10_000;
    const problems = problemsOf(`webhooks: ${'['.repeat(depth)}${']'.repeat(depth)}\n`);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/nested too deeply/);
  });

  it('prints nothing, not even the warnings yaml sends to process.emitWarning', () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      problemsOf('? [a, b]\n: c\nwebhooks: []\n');
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});

// How fast is measured by `npm run bench` (the loader row), not here: a unit test on a shared
// machine must not depend on the clock.
describe('large files', () => {
  it('loads 1000 entries (2000 subscriptions)', () => {
    const file = parseWebhooksFile(largeFile(1000), PATH, { env: {} });
    expect(file.subscriptions).toHaveLength(2000);
    expect(file.subscriptions[1999]!.secretName).toBe('MKP_WEBHOOK_HOOK_999_INVOICE_PAID');
  });

  it('loads a valid file just under the size limit', () => {
    const text = largeFile(8000);
    expect(Buffer.byteLength(text)).toBeLessThan(MAX_FILE_BYTES);
    expect(Buffer.byteLength(text)).toBeGreaterThan(MAX_FILE_BYTES * 0.75);
    expect(parseWebhooksFile(text, PATH, { env: {} }).subscriptions).toHaveLength(16_000);
  });

  it('refuses a file of several MB at once, without parsing it', () => {
    // It ends in a syntax error and an unknown key: had it been parsed, they would show too.
    const text = `${largeFile(40_000)}  - url: [unclosed\nevnts: x\n`; // about 4.5 MB
    expect(Buffer.byteLength(text)).toBeGreaterThan(4 * 1024 * 1024);
    expect(lines(problemsOf(text))).toEqual([
      '1:1: the file is larger than 1 MB, the limit for a webhooks file (a real one is a few kB)',
    ]);
  });

  it('counts the limit in bytes, not characters', () => {
    const comment = `# ${'é'.repeat(MAX_FILE_BYTES / 2)}\nwebhooks: []\n`;
    expect(comment.length).toBeLessThan(MAX_FILE_BYTES);
    expect(lines(problemsOf(comment))).toEqual([
      '1:1: the file is larger than 1 MB, the limit for a webhooks file (a real one is a few kB)',
    ]);
  });
});

describe('loadWebhooksFile', () => {
  const folder = mkdtempSync(join(tmpdir(), 'mkp-config-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  async function loadProblems(path: string): Promise<string[]> {
    try {
      await loadWebhooksFile(path, { env: {} });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).problems.map(formatProblem);
    }
    throw new Error('expected a ConfigError');
  }

  it('reads and checks a file', async () => {
    const path = join(folder, 'ok.yaml');
    writeFileSync(
      path,
      'webhooks:\n  - url: https://hooks.example.com/a\n    event: invoice-paid\n',
    );
    const file = await loadWebhooksFile(path, { env: {} });
    expect(file.path).toBe(path);
    expect(file.subscriptions.map((s) => s.secretName)).toEqual(['MKP_WEBHOOK_INVOICE_PAID']);
  });

  it('reports a missing file at line 1, column 1', async () => {
    const path = join(folder, 'webhooks.yaml');
    expect(await loadProblems(path)).toEqual([`${path}:1:1: cannot read ${path}: no such file`]);
  });

  it('reports a directory', async () => {
    expect(await loadProblems(folder)).toEqual([
      `${folder}:1:1: cannot read ${folder}: it is a directory`,
    ]);
  });

  it('refuses a file over the size limit without reading it', async () => {
    const path = join(folder, 'huge.yaml');
    writeFileSync(path, largeFile(12_000));
    expect(await loadProblems(path)).toEqual([
      `${path}:1:1: the file is larger than 1 MB, the limit for a webhooks file (a real one is a few kB)`,
    ]);
  });
});
