#!/usr/bin/env node
// The CLI's entry (package.json `bin`): a Node older than `engines` says gets a warning on
// stderr before anything that may need a newer Node is loaded, then cli.ts runs. Nothing here
// beyond what old Node versions parse and run.
import packageJson from '../package.json' with { type: 'json' };

const minimum = Number(/^>=\s*(\d+)/.exec(packageJson.engines.node)?.[1]);
const running = process.versions.node;
if (Number(running.split('.')[0]) < minimum) {
  process.stderr.write(
    `warning: mkp-webhooks-sync needs Node ${minimum} or later, and this is Node ${running}: it may fail in unexpected ways. Install Node ${minimum} or later (https://nodejs.org).\n`,
  );
}
// cli.ts is bundled on its own into dist/cli/main/ (npm run build): minified, as ncc minifies an
// entry and not its chunks. So the bundler leaves this import alone.
const cli = './main/index.js';
await import(/* webpackIgnore: true */ cli);
