import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { STANDARD_OUTPUT_NAMES } from '../src/config/secret-names.js';
import { ACTION_DEFAULTS } from '../dev/harness/action-runner.js';

/**
 * action.yml against GitHub's documented metadata syntax (an ajv schema of the documented keys;
 * @action-validator/cli's schema is out of date and rejects node24), and against the tables of
 * CONTRACT §3, read from spec/CONTRACT.md (the copy of ../shared/CONTRACT.md).
 */
interface ActionMetadata {
  runs: unknown;
  branding: { icon?: string };
  inputs: Record<string, { default: string }>;
  outputs: Record<string, unknown>;
}
const action = parse(readFileSync('action.yml', 'utf8')) as ActionMetadata;
const contract = readFileSync('spec/CONTRACT.md', 'utf8');

// https://docs.github.com/en/actions/reference/metadata-syntax-for-github-actions
const BRANDING_COLORS = [
  'white',
  'black',
  'yellow',
  'blue',
  'green',
  'orange',
  'red',
  'purple',
  'gray-dark',
];
const metadataSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'description', 'runs'],
  properties: {
    name: { type: 'string', minLength: 1 },
    author: { type: 'string' },
    description: { type: 'string', minLength: 1 },
    inputs: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['description'],
        properties: {
          description: { type: 'string', minLength: 1 },
          required: { type: 'boolean' },
          default: { type: 'string' },
          deprecationMessage: { type: 'string' },
        },
      },
    },
    outputs: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['description'],
        properties: { description: { type: 'string', minLength: 1 } },
      },
    },
    runs: {
      type: 'object',
      additionalProperties: false,
      required: ['using', 'main'],
      properties: {
        using: { enum: ['node20', 'node24'] },
        main: { type: 'string' },
        pre: { type: 'string' },
        'pre-if': { type: 'string' },
        post: { type: 'string' },
        'post-if': { type: 'string' },
      },
    },
    branding: {
      type: 'object',
      additionalProperties: false,
      properties: { icon: { type: 'string' }, color: { enum: BRANDING_COLORS } },
    },
  },
};

/** The rows of the markdown table that follows a header starting with `| first |`. */
function table(first: string): string[][] {
  const lines = contract.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`| ${first} |`));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  }
  return rows;
}
const unquote = (cell: string) => cell.replace(/^`|`$/g, '');

describe('action.yml', () => {
  it('follows the documented metadata syntax', () => {
    const validate = new Ajv({ allErrors: true }).compile(metadataSchema);
    expect(validate(action) ? [] : validate.errors).toEqual([]);
  });

  it('runs dist/index.js on node24, with branding', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(action.branding.icon).toBeTruthy();
  });

  it('has exactly the inputs of CONTRACT §3, each with the contract default', () => {
    const rows = table('input');
    expect(Object.keys(action.inputs).sort()).toEqual(rows.map((r) => unquote(r[0]!)).sort());
    for (const [name, def] of rows) {
      const expected = def === 'empty' ? '' : unquote(def!);
      expect([unquote(name!), action.inputs[unquote(name!)].default]).toEqual([
        unquote(name!),
        expected,
      ]);
    }
  });

  it('has every output of CONTRACT §3', () => {
    const named = table('output')
      .map((r) => unquote(r[0]!))
      .filter((name) => /^[a-z-]+$/.test(name));
    expect(Object.keys(action.outputs).sort()).toEqual(named.sort());
  });

  it('has exactly the outputs a secret name may not take with secrets-target: outputs', () => {
    expect(Object.keys(action.outputs).sort()).toEqual([...STANDARD_OUTPUT_NAMES].sort());
  });

  it('matches the defaults the test harness gives the built action', () => {
    for (const [name, input] of Object.entries<{ default: string }>(action.inputs)) {
      if (!input.default.startsWith('${{'))
        expect([name, ACTION_DEFAULTS[name]]).toEqual([name, input.default]);
    }
  });
});
