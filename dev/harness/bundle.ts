import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Which src/ the committed dist/ was built from. `npm run build` stamps a hash of src/ into
 * dist/, and the runners of the built action and CLI refuse to run a dist/ whose stamp is not
 * this checkout's src/: an end-to-end test must never pass by running yesterday's bundle. File
 * times say nothing after a checkout; the hash is of the text, the same on every machine.
 */
export const BUNDLE_STAMP = 'dist/src.sha256';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A hash of every file under `root`/src: its path and text, with CRLF read as LF. */
export function sourceHash(root = ROOT): string {
  const hash = createHash('sha256');
  for (const file of filesUnder(join(root, 'src')).sort()) {
    const text = readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
    hash.update(`${relative(root, file).split('\\').join('/')}\0${text}\0`);
  }
  return hash.digest('hex');
}

const checked = new Map<string, string | undefined>();

/**
 * Throws, saying what to do, when `root`'s dist/ was not built from its src/ (checked once per
 * process and root).
 */
export function assertBundleCurrent(root = ROOT): void {
  if (!checked.has(root)) checked.set(root, staleness(root));
  const problem = checked.get(root);
  if (problem) throw new Error(problem);
}

function staleness(root: string): string | undefined {
  const stamp = join(root, BUNDLE_STAMP);
  if (!existsSync(stamp)) {
    return `${BUNDLE_STAMP} is missing: run npm run build (the end-to-end tests run the built dist/, not src/)`;
  }
  if (readFileSync(stamp, 'utf8').trim() === sourceHash(root)) return undefined;
  return 'dist/ was built from another src/ than this checkout holds: run npm run build (the end-to-end tests run the built dist/, not src/)';
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
