import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { loadWebhooksFile } from '../src/config/load.js';
import { ConfigError } from '../src/config/types.js';

/**
 * The fixture corpus: every test/fixtures/invalid/NAME.yaml has NAME.expected.txt with each
 * problem as `LINE:COLUMN: message`, in order; every test/fixtures/valid/NAME.yaml has
 * NAME.expected.json with its subscriptions. The whole list is compared, so a changed message,
 * position or an extra problem fails the test.
 */
const FIXTURES = 'test/fixtures';

/** The environment every fixture is loaded with (for `${VAR}` in url). */
const FIXTURE_ENV: Record<string, string | undefined> = {
  BILLING_HOOK_URL: 'https://billing.example.com/mkp/hook?token=s3cr3t',
  HOOKS_HOST: 'hooks.example.com',
  HOOK_TOKEN: 't0k3n',
  PLAIN_HTTP_URL: 'http://user:pa55@legacy.example.com/hook?key=s3cr3t',
  EMPTY_VALUE: '',
};

function yamlFiles(folder: string): string[] {
  return readdirSync(`${FIXTURES}/${folder}`)
    .filter((name) => name.endsWith('.yaml'))
    .sort();
}

async function problemsOf(path: string): Promise<string[]> {
  try {
    await loadWebhooksFile(path, { env: FIXTURE_ENV });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => {
      expect(p.file).toBe(path);
      return `${p.line}:${p.column}: ${p.message}`;
    });
  }
  return [];
}

describe('invalid files', () => {
  const files = yamlFiles('invalid');

  it('are a corpus of at least 35 files', () => {
    expect(files.length).toBeGreaterThanOrEqual(35);
  });

  it.each(files)('%s reports exactly its expected problems', async (name) => {
    const path = `${FIXTURES}/invalid/${name}`;
    const expected = readFileSync(path.replace(/\.yaml$/, '.expected.txt'), 'utf8')
      .split('\n')
      .filter((line) => line !== '');
    expect(expected.length).toBeGreaterThan(0);
    expect(await problemsOf(path)).toEqual(expected);
  });
});

describe('valid files', () => {
  it.each(yamlFiles('valid'))('%s gives its expected subscriptions', async (name) => {
    const path = `${FIXTURES}/valid/${name}`;
    const expected = JSON.parse(
      readFileSync(path.replace(/\.yaml$/, '.expected.json'), 'utf8'),
    ) as Array<Record<string, unknown>>;
    const file = await loadWebhooksFile(path, { env: FIXTURE_ENV });
    expect(file.path).toBe(path);
    expect(
      file.subscriptions.map(({ position, ...rest }) => {
        expect(position.file).toBe(path);
        return { ...rest, line: position.line, column: position.column };
      }),
    ).toEqual(expected);
  });
});
