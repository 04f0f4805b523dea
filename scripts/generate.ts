/**
 * Writes the files derived from a source of truth (see generated-files.ts): webhooks.schema.json
 * (for editors), the standalone ajv validator (so the action does not compile the schema at every
 * start), the generated parts of the docs, and spec/'s copies of ../shared.
 * `npm run generate -- --check` fails when a committed file differs from what this produces.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { generatedFiles } from './generated-files.js';

const check = process.argv.includes('--check');
let stale = 0;
for (const [path, content] of Object.entries(generatedFiles())) {
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current === content) continue;
  if (check) {
    console.error(`${path} is out of date: run npm run generate`);
    stale++;
  } else {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    console.log(`wrote ${path}`);
  }
}
process.exit(stale ? 1 : 0);
