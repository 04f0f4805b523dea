import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { parseWebhooksFile } from '../src/config/load.js';
import { secretNameKey, secretNameProblem } from '../src/config/secret-names.js';
import { ConfigError, type WebhooksFile } from '../src/config/types.js';
import { EVENT_TYPES, isEventType } from '../src/events.js';
import { normalizeUrl } from '../src/url.js';

/**
 * Whatever the text, the loader either returns a file that keeps every rule, or throws a
 * ConfigError whose problems are located, one-line sentences; never anything else.
 */
const PATH = 'webhooks.yaml';
const ENV = {
  HOOK_URL: 'https://env.example.com/hook?token=t',
  EMPTY: '',
  HTTP: 'http://x.example.com/',
};
const EXAMPLE = readFileSync('test/fixtures/valid/example.yaml', 'utf8');
// CONFIG_PROPERTY_RUNS=20000 for a longer search than CI's.
const RUNS = { numRuns: Number(process.env.CONFIG_PROPERTY_RUNS ?? 300) };

/** ajv's own wording, which must never reach a user. */
const AJV_WORDING =
  /must match|must NOT|must have required|must be equal to|must be (string|array|object)|oneOf/;

function check(text: string): void {
  let file: WebhooksFile;
  try {
    file = parseWebhooksFile(text, PATH, { env: ENV });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    expect(error.problems.length).toBeGreaterThan(0);
    const lineCount = text.split(/\r\n|\r|\n/).length;
    for (const problem of error.problems) {
      expect(problem.file).toBe(PATH);
      expect(Number.isInteger(problem.line) && problem.line >= 1).toBe(true);
      expect(Number.isInteger(problem.column) && problem.column >= 1).toBe(true);
      expect(problem.line).toBeLessThanOrEqual(lineCount + 1);
      expect(problem.message).not.toMatch(/[\n\r]/);
      expect(problem.message).not.toMatch(AJV_WORDING);
      expect(problem.message).not.toMatch(/this is a bug/);
      expect(problem.message.length).toBeGreaterThan(5);
    }
    return;
  }
  expect(file.path).toBe(PATH);
  const secretNames = new Set<string>();
  const pairs = new Set<string>();
  for (const subscription of file.subscriptions) {
    expect(isEventType(subscription.event)).toBe(true);
    expect(secretNameProblem(subscription.secretName)).toBeUndefined();
    expect(secretNames.has(secretNameKey(subscription.secretName))).toBe(false);
    secretNames.add(secretNameKey(subscription.secretName));
    expect(new URL(subscription.url).protocol).toBe('https:');
    expect(subscription.url).not.toContain('#');
    const pair = `${subscription.event} ${normalizeUrl(subscription.url)}`;
    expect(pairs.has(pair)).toBe(false);
    pairs.add(pair);
    expect(subscription.position.file).toBe(PATH);
    expect(subscription.position.line).toBeGreaterThanOrEqual(1);
  }
}

/** Pieces of YAML and of this format, so that random text is often almost a webhooks file. */
const TOKENS = [
  'webhooks:',
  'version: 1',
  'version: 2',
  '\n',
  '\r\n',
  '  ',
  '    ',
  '\t',
  '- ',
  '-',
  ': ',
  ':',
  'name: ',
  'url: ',
  'event: ',
  'events: ',
  'secret: ',
  'crm',
  'Bad_Name',
  'https://hooks.example.com/a',
  'HTTPS://Hooks.Example.com:443/x/../a',
  'http://hooks.example.com/a',
  '/relative',
  'https://a b',
  'https://x.example.com/#f',
  '${HOOK_URL}',
  '${UNSET}',
  '${EMPTY}',
  '${HTTP}',
  '${',
  '}',
  '{NAME}',
  '{EVENT}',
  '{NAM}',
  'MKP_{EVENT}',
  'GITHUB_{EVENT}',
  ...EVENT_TYPES.slice(0, 6),
  'customer-create',
  '[',
  ']',
  '{',
  ', ',
  '&a ',
  '*a',
  '&b ',
  '*b',
  '!tag ',
  '!!str ',
  '"',
  "'",
  '# c',
  '---\n',
  '...\n',
  '? ',
  '|\n',
  '>-\n',
  '%YAML 1.1\n',
  '<<: ',
  'null',
  '~',
  '0',
  '1',
  'true',
  '__proto__',
  'constructor',
  '\uFEFF',
  '\u0000',
  'é',
];

const tokenText = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((t) => t.join(''));

/** A valid file, changed in a few places: cut, inserted, repeated or swapped. */
const mutatedExample = fc
  .array(
    fc.tuple(
      fc.constantFrom('cut', 'insert', 'repeat-line', 'swap-lines', 'replace'),
      fc.nat(),
      fc.nat({ max: 40 }),
      fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 8 })),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((edits) => {
    let text = EXAMPLE;
    for (const [kind, at, length, insert] of edits) {
      const i = at % (text.length + 1);
      const lines = text.split('\n');
      const l = at % lines.length;
      if (kind === 'cut') text = text.slice(0, i) + text.slice(i + length);
      else if (kind === 'insert') text = text.slice(0, i) + insert + text.slice(i);
      else if (kind === 'replace') text = text.slice(0, i) + insert + text.slice(i + insert.length);
      else if (kind === 'repeat-line')
        text = [...lines.slice(0, l + 1), ...lines.slice(l)].join('\n');
      else {
        const m = (l + length) % lines.length;
        [lines[l], lines[m]] = [lines[m]!, lines[l]!];
        text = lines.join('\n');
      }
    }
    return text;
  });

/** Entries shaped like the format, with values drawn from good and bad ones. */
const value = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: fc.jsonValue() });
const entry = fc.record(
  {
    name: value(fc.constantFrom('crm', 'billing', 'a', 'crm-2', 'CRM', '')),
    url: value(
      fc.constantFrom(
        'https://hooks.example.com/a',
        'https://hooks.example.com/b',
        'HTTPS://HOOKS.example.com:443/a',
        'https://u:p@hooks.example.com/a?x=1',
        '${HOOK_URL}',
        '${UNSET}',
        'http://hooks.example.com/a',
      ),
    ),
    event: value(fc.constantFrom(...EVENT_TYPES.slice(0, 4), 'customer-create')),
    events: value(fc.array(fc.constantFrom(...EVENT_TYPES.slice(0, 4), 'bogus'), { maxLength: 4 })),
    secret: value(
      fc.constantFrom(
        'MKP_{NAME}_{EVENT}',
        'X_{EVENT}',
        'SHARED',
        'GITHUB_{EVENT}',
        '{NAM}',
        'lower',
      ),
    ),
    evnts: fc.constant(['customer-created']),
  },
  { requiredKeys: [] },
);
const webhooksData = fc.record(
  { version: value(fc.constant(1)), webhooks: value(fc.array(entry, { maxLength: 5 })) },
  { requiredKeys: ['webhooks'] },
);

function render(data: unknown): string {
  try {
    const text: unknown = stringify(data);
    return typeof text === 'string' ? text : '';
  } catch {
    return ''; // yaml cannot write every JS value; the empty file is checked elsewhere
  }
}

describe('whatever the text, the loader throws nothing but ConfigError', () => {
  it('for any string', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), check), RUNS);
  });

  it('for text made of YAML and webhooks.yaml pieces', () => {
    fc.assert(fc.property(tokenText, check), RUNS);
  });

  it('for text matching a YAML-ish pattern', () => {
    fc.assert(fc.property(fc.stringMatching(/^[-a-z :{}[\],&*!|>"'#?\n\t$]{0,120}$/), check), RUNS);
  });

  it('for a valid file with a few edits', () => {
    fc.assert(fc.property(mutatedExample, check), RUNS);
  });

  it('for any JSON value written as YAML', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (data) => check(render(data))),
      RUNS,
    );
  });

  it('for anything written as YAML', () => {
    fc.assert(
      fc.property(fc.anything(), (data) => check(render(data))),
      RUNS,
    );
  });

  it('for data shaped like webhooks.yaml, often valid', () => {
    let valid = 0;
    fc.assert(
      fc.property(webhooksData, (data) => {
        const text = render(data);
        check(text);
        try {
          parseWebhooksFile(text, PATH, { env: ENV });
          valid++;
        } catch {
          // counted only to show that valid files are generated too
        }
      }),
      { numRuns: 500 },
    );
    expect(valid).toBeGreaterThan(10);
  });
});
