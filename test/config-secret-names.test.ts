import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { SECRET_TEMPLATE_PATTERN } from '../src/config/schema.js';
import { QUOTE_LENGTH } from '../src/config/wording.js';
import {
  defaultSecretTemplate,
  expandSecretTemplate,
  SECRET_NAME_MAX_LENGTH,
  SECRET_NAME_PATTERN,
  secretNameKey,
  secretNameProblem,
  secretTemplateProblem,
  RESERVED_SECRET_PREFIXES,
} from '../src/config/secret-names.js';
import { parseWebhooksFile } from '../src/config/load.js';
import { ConfigError } from '../src/config/types.js';
import { EVENT_TYPES } from '../src/events.js';

describe('the default template', () => {
  it('uses {NAME} only where the entry has a name', () => {
    expect(defaultSecretTemplate(true)).toBe('MKP_WEBHOOK_{NAME}_{EVENT}');
    expect(defaultSecretTemplate(false)).toBe('MKP_WEBHOOK_{EVENT}');
  });

  it('gives a valid name for the longest name and every event', () => {
    const name = `a${'-b'.repeat(19)}c`.slice(0, 40);
    for (const event of EVENT_TYPES) {
      expect(
        secretNameProblem(expandSecretTemplate(defaultSecretTemplate(true), name, event)),
      ).toBeUndefined();
      expect(
        secretNameProblem(expandSecretTemplate(defaultSecretTemplate(false), null, event)),
      ).toBeUndefined();
    }
  });
});

describe('expandSecretTemplate', () => {
  it('writes the name and the event in UPPER_SNAKE', () => {
    expect(expandSecretTemplate('MKP_WEBHOOK_{NAME}_{EVENT}', 'crm-main', 'customer-created')).toBe(
      'MKP_WEBHOOK_CRM_MAIN_CUSTOMER_CREATED',
    );
    expect(expandSecretTemplate('BILLING_{EVENT}_SECRET', 'billing', 'invoice-paid')).toBe(
      'BILLING_INVOICE_PAID_SECRET',
    );
  });

  it('replaces every occurrence, and only the two placeholders', () => {
    expect(expandSecretTemplate('{EVENT}_{EVENT}_{NAMES}', 'x', 'offer-created')).toBe(
      'OFFER_CREATED_OFFER_CREATED_{NAMES}',
    );
  });

  it('leaves {NAME} in place without a name, so the result is never a valid name', () => {
    const result = expandSecretTemplate('MKP_{NAME}_{EVENT}', null, 'invoice-paid');
    expect(result).toBe('MKP_{NAME}_INVOICE_PAID');
    expect(secretNameProblem(result)).toMatch(/not `\{`/);
  });
});

describe('secretNameProblem', () => {
  it.each([
    'A',
    '_',
    'MKP_WEBHOOK_CRM_CUSTOMER_CREATED',
    'X1',
    'A'.repeat(SECRET_NAME_MAX_LENGTH),
    'GITHUBX',
    'ACTIONSX',
    'RUNNER',
  ])('accepts %s', (name) => {
    expect(secretNameProblem(name)).toBeUndefined();
  });

  it.each([
    ['', 'the secret name is empty'],
    ['1_SECRET', 'secret name `1_SECRET` must not start with a digit'],
    ['MKP-SECRET', 'secret name `MKP-SECRET` may contain only A-Z, 0-9 and _, not `-`'],
    ['mkp_secret', 'secret name `mkp_secret` may contain only A-Z, 0-9 and _, not `m`'],
    ['MKP SECRET', 'secret name `MKP SECRET` may contain only A-Z, 0-9 and _, not a space'],
    [
      'GITHUB_TOKEN_X',
      'secret name `GITHUB_TOKEN_X` must not start with GITHUB_ (GitHub reserves that prefix)',
    ],
    [
      'ACTIONS_RUNTIME_TOKEN',
      'secret name `ACTIONS_RUNTIME_TOKEN` must not start with ACTIONS_ (the runner reserves that prefix for its own variables)',
    ],
    [
      'RUNNER_TEMP',
      'secret name `RUNNER_TEMP` must not start with RUNNER_ (the runner reserves that prefix for its own variables)',
    ],
    [
      'A'.repeat(SECRET_NAME_MAX_LENGTH + 1),
      `secret name \`${'A'.repeat(QUOTE_LENGTH - 1)}…\` is longer than 100 characters (101)`,
    ],
  ])('rejects %j: %s', (name, message) => {
    expect(secretNameProblem(name)).toBe(message);
  });

  it('agrees with SECRET_NAME_PATTERN and the limits for any text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,110}$/)), (name) => {
        const valid =
          SECRET_NAME_PATTERN.test(name) &&
          name.length <= SECRET_NAME_MAX_LENGTH &&
          !RESERVED_SECRET_PREFIXES.some((prefix) => name.toUpperCase().startsWith(prefix));
        expect(secretNameProblem(name) === undefined).toBe(valid);
      }),
    );
  });
});

describe('secretTemplateProblem', () => {
  it.each(['MKP_{NAME}_{EVENT}', 'STATIC_NAME', '{EVENT}', '1_{EVENT}'])(
    'accepts %s',
    (template) => {
      expect(secretTemplateProblem(template)).toBeUndefined();
    },
  );

  it.each([
    ['CRM_{NAM}', 'unknown placeholder `{NAM}` in `secret` (did you mean `{NAME}`?)'],
    ['CRM_{event}', 'unknown placeholder `{event}` in `secret` (did you mean `{EVENT}`?)'],
    [
      'CRM_{ID}',
      'unknown placeholder `{ID}` in `secret` (the placeholders are {NAME} and {EVENT})',
    ],
    ['CRM_{EVENT', '`secret` has a `{` that is not part of {NAME} or {EVENT}'],
    ['CRM_EVENT}', '`secret` has a `}` that is not part of {NAME} or {EVENT}'],
    [
      'crm',
      '`secret` may contain only A-Z, 0-9, _ and the placeholders {NAME} and {EVENT}, not `c` (secret names are upper case)',
    ],
    [
      'CRM-{EVENT}',
      '`secret` may contain only A-Z, 0-9, _ and the placeholders {NAME} and {EVENT}, not `-`',
    ],
    ['', '`secret` is empty: write a secret-name template such as `CRM_{EVENT}`'],
  ])('rejects %j: %s', (template, message) => {
    expect(secretTemplateProblem(template)).toBe(message);
  });

  it("says in words exactly what the schema's SECRET_TEMPLATE_PATTERN allows", () => {
    const pattern = new RegExp(SECRET_TEMPLATE_PATTERN, 'u');
    const pieces = fc.constantFrom(
      'A',
      'Z',
      '0',
      '_',
      '{NAME}',
      '{EVENT}',
      '{',
      '}',
      'a',
      '-',
      ' ',
      '{NAM}',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(pieces).map((p) => p.join('')),
        ),
        (template) => {
          expect(secretTemplateProblem(template) === undefined).toBe(pattern.test(template));
        },
      ),
    );
  });
});

describe('secretNameKey', () => {
  it('compares secret names as GitHub does, without regard to case', () => {
    expect(secretNameKey('Mkp_Webhook_X')).toBe(secretNameKey('MKP_WEBHOOK_X'));
    expect(secretNameKey('MKP_WEBHOOK_X')).not.toBe(secretNameKey('MKP_WEBHOOK_Y'));
  });
});

describe('with secrets-target: outputs, a secret name may not be a standard output name', () => {
  const yaml = `webhooks:
  - name: crm
    url: https://hooks.example.com/crm
    event: customer-created
    secret: PLAN
  - name: billing
    url: https://hooks.example.com/billing
    event: invoice-paid
    secret: DRIFT
`;
  const problems = (secretsAsOutputs: boolean) => {
    try {
      parseWebhooksFile(yaml, 'webhooks.yaml', { secretsAsOutputs, env: {} });
      return [];
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return error.problems.map((p) => `${p.line}:${p.column}: ${p.message}`);
    }
  };

  it('is an error at the secret line, ignoring case, since the runner stores outputs that way', () => {
    expect(problems(true)).toEqual([
      "5:13: secret name `PLAN` is the name of the action's output `plan` (output names are compared without regard to case): with secrets-target: outputs it would replace that output; choose another `secret` template",
      "9:13: secret name `DRIFT` is the name of the action's output `drift` (output names are compared without regard to case): with secrets-target: outputs it would replace that output; choose another `secret` template",
    ]);
  });

  it('is fine with a GitHub secret target', () => {
    expect(problems(false)).toEqual([]);
  });
});
