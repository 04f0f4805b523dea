import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { assertBundleCurrent, BUNDLE_STAMP, sourceHash } from '../dev/harness/bundle.js';

/** A stale dist/ fails the end-to-end tests with a sentence, instead of passing on old code. */
describe('the bundle stamp', () => {
  function checkout(files: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), 'mkp-stamp-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  }

  it('this checkout’s dist/ was built from its src/ (else: npm run build)', () => {
    expect(() => assertBundleCurrent()).not.toThrow();
  });

  it('tells a dist/ built from other sources, or never stamped, and says what to do', () => {
    const root = checkout({ 'src/a.ts': 'export const a = 1;\n', 'src/b/c.ts': 'x\n' });
    expect(() => assertBundleCurrent(root)).toThrow(
      `${BUNDLE_STAMP} is missing: run npm run build (the end-to-end tests run the built dist/, not src/)`,
    );
    const stamped = checkout({
      'src/a.ts': 'export const a = 1;\n',
      'src/b/c.ts': 'x\n',
      [BUNDLE_STAMP]: `${sourceHash(root)}\n`,
    });
    expect(() => assertBundleCurrent(stamped)).not.toThrow();
    const edited = checkout({
      'src/a.ts': 'export const a = 2;\n',
      'src/b/c.ts': 'x\n',
      [BUNDLE_STAMP]: `${sourceHash(root)}\n`,
    });
    expect(() => assertBundleCurrent(edited)).toThrow(
      'dist/ was built from another src/ than this checkout holds: run npm run build',
    );
  });

  it('is the same on every checkout: line ends do not count, names and places do', () => {
    const hash = (files: Record<string, string>) => sourceHash(checkout(files));
    const lf = hash({ 'src/a.ts': 'one\ntwo\n' });
    expect(hash({ 'src/a.ts': 'one\r\ntwo\r\n' })).toBe(lf);
    expect(hash({ 'src/b.ts': 'one\ntwo\n' })).not.toBe(lf);
    expect(hash({ 'src/a.ts': 'one\ntwo\n', 'src/x/y.ts': '' })).not.toBe(lf);
  });
});
