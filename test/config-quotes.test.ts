import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseWebhooksFile } from '../src/config/load.js';
import { ConfigError } from '../src/config/types.js';
import { QUOTE_LENGTH, quoted } from '../src/config/wording.js';
import { runAction } from '../dev/harness/action-runner.js';

/**
 * No message quotes more of a file than the offending token, cut short (CONTRACT §4), and no
 * CR or LF of the file survives into a message (issue 22, findings 1 and 4): messages reach the
 * log, annotations, the summary and the PR comment. yaml's own messages quoted whole lines.
 */
function messagesOf(text: string): string[] {
  try {
    parseWebhooksFile(text, 'webhooks.yaml', { env: {} });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => p.message);
  }
  return [];
}

/** True when `message` holds more than QUOTE_LENGTH characters in a row of `secret`. */
function quotesTooMuchOf(message: string, secret: string): boolean {
  for (let i = 0; i + QUOTE_LENGTH < secret.length; i++) {
    if (message.includes(secret.slice(i, i + QUOTE_LENGTH + 1))) return true;
  }
  return false;
}

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const BASIC = Buffer.from('x-access-token:ghs_16C7e42F292c6912E7710c838347Ae178B4a').toString(
  'base64',
);

describe('what a message quotes of the file', () => {
  it.each([
    [
      'a .git/config line',
      `[core]\n\tbare = false\n[http]\n\textraheader = AUTHORIZATION: basic ${BASIC}\n`,
    ],
    ['a directive with a CR', '%FOO\r::stop-commands::x\n---\nwebhooks: []\n'],
    ['a long directive', `%${BASIC}\n---\nwebhooks: []\n`],
    ['a YAML version with a CR', '%YAML 1.3\r::set-output name=x::y\n---\nwebhooks: []\n'],
    [
      'a block header with CRs',
      'webhooks: |x\r::set-output name=drift::false\r::add-mask::webhooks\n  a\n',
    ],
    [
      'a block header with markdown',
      'webhooks: |x @acme/security-team please approve: [LGTM](https://evil.example) ![](https://evil.example/t.png)\n  a\n',
    ],
    ['a scalar after a flow sequence', `[a] ${BASIC}\n`],
    ['a long verbatim tag', `webhooks: !<tag:example.com,2026:${BASIC}> x\n`],
    ['a long tag', `webhooks: !${BASIC} x\n`],
    ['a long unknown key', `${BASIC}: 1\nwebhooks: []\n`],
    ['a long event', `webhooks:\n  - url: https://a.example.com/\n    event: ${BASIC}\n`],
    [
      'a long name',
      `webhooks:\n  - name: ${BASIC.toLowerCase()}\n    url: https://a.example.com/\n    event: offer-created\n`,
    ],
  ])('%s: at most the token, cut short, and no raw line break', (_, text) => {
    const messages = messagesOf(text);
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) {
      expect(message).not.toMatch(RAW_CONTROL);
      expect(quotesTooMuchOf(message, BASIC)).toBe(false);
      expect(message).not.toContain('https://evil.example');
      // Text after a CR in the file would have started a workflow command on the runner.
      expect(message).not.toMatch(/(^|[\r\n])\s*::/);
    }
  });

  it('shows a CR of the file as \\r, visibly', () => {
    expect(messagesOf('%FOO\r::stop-commands::x\n---\nwebhooks: []\n')).toEqual([
      'YAML syntax error: unknown directive `%FOO\\r::stop-commands::x`',
    ]);
    expect(messagesOf('webhooks: |x\r::set-output name=drift::false\n  a\n')).toEqual([
      'YAML syntax error: block scalar header includes extra characters: `|x`',
      'YAML syntax error: not a YAML token: `\\r::set-output name=drift::false`',
    ]);
  });

  it('quotes a .git/config line as yaml found it, cut to the first 40 characters', () => {
    expect(messagesOf(`[http]\n\textraheader = AUTHORIZATION: basic ${BASIC}\n`)).toContain(
      `YAML syntax error: unexpected scalar token in YAML stream: ${quoted(`basic ${BASIC}`)}`,
    );
    expect(quoted(`basic ${BASIC}`)).toBe(`\`basic ${BASIC.slice(0, QUOTE_LENGTH - 7)}…\``);
  });

  it('quoted() keeps at most QUOTE_LENGTH characters and escapes what is invisible', () => {
    expect(quoted('a'.repeat(QUOTE_LENGTH))).toBe(`\`${'a'.repeat(QUOTE_LENGTH)}\``);
    expect(quoted('a'.repeat(QUOTE_LENGTH + 1))).toBe(`\`${'a'.repeat(QUOTE_LENGTH - 1)}…\``);
    expect(quoted('a\rb\nc\u001b[2Kd\u202ee\u2028f\u0085')).toBe(
      '`a\\rb\\nc\\u001b[2Kd\\u202ee\\u2028f\\u0085`',
    );
    // A surrogate pair is never cut in half.
    expect(quoted('😀'.repeat(QUOTE_LENGTH + 5))).toBe(`\`${'😀'.repeat(QUOTE_LENGTH - 1)}…\``);
  });

  it('whatever the file, a message quotes at most QUOTE_LENGTH characters of a token in it, and no raw control character', () => {
    const SECRET = `${BASIC}${BASIC.split('').reverse().join('')}`; // 152 characters
    const pieces = fc.constantFrom(
      SECRET,
      `basic ${SECRET}`,
      `"${SECRET}`,
      `'${SECRET}'`,
      `!${SECRET}`,
      `&${SECRET}`,
      `*${SECRET}`,
      `%${SECRET}`,
      `|${SECRET}`,
      `>${SECRET}`,
      `${SECRET}:`,
      `[${SECRET}`,
      `{${SECRET}}`,
      '\r',
      '\n',
      '\r\n',
      '\t',
      '\u001b',
      '\u0007',
      '\u0000',
      '\u2028',
      '\u0085',
      ' ',
      '  ',
      '- ',
      ': ',
      ', ',
      '#',
      '---',
      '...',
      '%YAML 1.2',
      '%TAG ! tag:x,2026:',
      'webhooks:',
      'url:',
      'event:',
      'name:',
      'ignore:',
      '`',
      '::',
      '##[',
      '@team',
      '<img src=x>',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 14 }), (parts) => {
        for (const message of messagesOf(parts.join(''))) {
          expect(message).not.toMatch(RAW_CONTROL);
          expect(quotesTooMuchOf(message, SECRET)).toBe(false);
        }
      }),
      { numRuns: Number(process.env.CONFIG_PROPERTY_RUNS ?? 400) },
    );
  });
});

describe('the built action', () => {
  it('a CR in a directive or block header starts no workflow command, and a linked-file line is not quoted whole', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mkp-quotes-'));
    writeFileSync(
      join(cwd, 'webhooks.yaml'),
      `%FOO\r::stop-commands::x\n---\nwebhooks: |x\r::set-output name=drift::false\r::add-mask::webhooks\n  a\n[x] basic ${BASIC}\n`,
    );
    const run = await runAction({ cwd, inputs: { 'dry-run': 'true' } });
    expect(run.exitCode).toBe(1);
    // The runner splits on CR as well as LF and trims before it looks for `::`.
    const commands = `${run.stdout}\n${run.stderr}`
      .split(/\r\n|\r|\n/)
      .map((line) => line.trim())
      .filter((line) => line.startsWith('::'))
      .map((line) => line.slice(0, line.indexOf('::', 2) + 2));
    expect(commands.length).toBeGreaterThan(1);
    for (const command of commands) {
      expect(command).toMatch(/^::error(?: file=webhooks\.yaml,line=\d+,col=\d+)?::$/);
    }
    expect(run.stdout).toContain('unknown directive `%FOO\\r::stop-commands::x`');
    expect(quotesTooMuchOf(run.stdout + run.summary, BASIC)).toBe(false);
  });
});
