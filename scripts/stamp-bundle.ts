/**
 * The last step of `npm run build`: records in dist/ which src/ it was built from, for the
 * runners of the built action and CLI to check (dev/harness/bundle.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE_STAMP, sourceHash } from '../dev/harness/bundle.js';
import { REPO_ROOT } from '../dev/harness/action-runner.js';

writeFileSync(join(REPO_ROOT, BUNDLE_STAMP), `${sourceHash(REPO_ROOT)}\n`);
