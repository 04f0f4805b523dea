#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { loadWebhooksFile } from './config/load.js';
import { ConfigError, type WebhooksFile } from './config/types.js';
import { checkApiUrl, DEFAULT_API_URL, readTuning, tokenProblem } from './inputs.js';
import type { Log } from './log.js';
import { connect, type MkpClient } from './mkp/client.js';
import { checkedPlanJson, createdJson, planJson } from './report/outputs.js';
import { renderProblems, renderText } from './report/terminal.js';
import { Scrubber, scrubbingLog } from './scrub.js';
import { describe, succeeded, sync } from './sync.js';

/**
 * The terminal shell: `mkp-webhooks validate|plan|apply|import`. Same core as the Action; the
 * token comes from MKP_API_TOKEN, the base URL from MKP_API_URL. It never prints a secret.
 */
const USAGE = `usage: mkp-webhooks <command> [options]

commands:
  validate   check webhooks.yaml; nothing is sent anywhere
  plan       show what apply would do (reads the account when MKP_API_TOKEN is set)
  apply      create the missing webhooks (needs MKP_API_TOKEN)
  import     write webhooks.yaml from the webhooks already on the account

options:
  --config FILE   the declarative file (default webhooks.yaml)
  --json          print machine-readable JSON on stdout
  --output FILE   import: where to write (default webhooks.yaml; - for stdout)
  --force         import: replace an existing file
  --names STYLE   import: entry names from the URL's host and path (auto), host only
                  (host), or none
  --secret-template T
                  import: secret-name template for every entry, e.g. {NAME}_{EVENT}_SECRET
  --owns PATTERN  import: only webhooks under this URL pattern (* any text), written as
                  the file's owns list; repeat it for several patterns

environment: MKP_API_TOKEN (API key or OAuth token), MKP_API_URL (default ${DEFAULT_API_URL})
`;

class UsageError extends Error {}

export async function main(argv: string[], env = process.env): Promise<number> {
  // Defence in depth: anything masked never reaches the terminal, even by mistake. Machine
  // output (--json, import's file) keeps `${VAR}` values, as the Action's outputs do.
  const scrubber = new Scrubber();
  const out = (text: string) => process.stdout.write(scrubber.scrubSecrets(text));
  const show = (text: string) => process.stdout.write(scrubber.scrub(text));
  const err = (text: string) => process.stderr.write(scrubber.scrub(text));
  const log: Log = scrubbingLog(scrubber, {
    mask: () => {}, // the terminal has no masking of its own: the scrubber is all of it
    info: (message) => err(`${message}\n`),
    warning: (message, p) =>
      err(`warning: ${p ? `${p.file}:${p.line}:${p.column}: ` : ''}${message}\n`),
    error: (message, p) =>
      err(`error: ${p ? `${p.file}:${p.line}:${p.column}: ` : ''}${message}\n`),
    group: async (title, fn) => {
      err(`${title}\n`);
      return fn();
    },
  });

  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', default: 'webhooks.yaml' },
        json: { type: 'boolean', default: false },
        output: { type: 'string' },
        force: { type: 'boolean', default: false },
        names: { type: 'string', default: 'auto' },
        'secret-template': { type: 'string' },
        owns: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    const [command, ...rest] = positionals;
    if (values.help) {
      out(USAGE);
      return 0;
    }
    if (!command || rest.length > 0) throw new UsageError('expected exactly one command');
    if (!['validate', 'plan', 'apply', 'import'].includes(command)) {
      throw new UsageError(`unknown command ${command}`);
    }

    const token = env.MKP_API_TOKEN?.trim() || undefined;
    if (token) log.mask(token);
    const badToken = token === undefined ? undefined : tokenProblem('MKP_API_TOKEN', token);
    if (badToken) {
      err(`error: ${badToken}\n`);
      return 1;
    }
    if ((command === 'apply' || command === 'import') && !token) {
      err(
        `error: ${command} needs MKP_API_TOKEN (a MijnKlantportaal API key with the webhooks scope)\n`,
      );
      return 1;
    }
    const client = () => makeClient(env, token!, log);

    if (command === 'import') {
      const names = values.names;
      if (names !== 'auto' && names !== 'host' && names !== 'none') {
        throw new UsageError(`--names must be auto, host or none, not ${names}`);
      }
      const { importAccount } = await import('./import.js');
      return await importAccount({
        client: client(),
        output: values.output ?? 'webhooks.yaml',
        force: values.force,
        names,
        secretTemplate: values['secret-template'],
        owns: values.owns,
        log,
        out,
      });
    }

    let file: WebhooksFile;
    try {
      file = await loadWebhooksFile(values.config, { tokens: { MKP_API_TOKEN: token } });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      if (values.json && command === 'validate') {
        out(`${JSON.stringify({ valid: false, problems: error.problems })}\n`);
      }
      err(renderProblems(error.problems));
      return 1;
    }

    for (const value of file.substitutedValues ?? []) scrubber.add(value, 'variable');

    if (command === 'validate') {
      if (values.json) {
        const declared = await sync({
          file,
          client: null,
          dryRun: true,
          target: null,
          resync: 'never',
          log,
        });
        out(`${JSON.stringify({ valid: true, ...planJson(declared) })}\n`);
      } else {
        show(`${file.path}: valid, ${file.subscriptions.length} subscription(s)\n`);
      }
      return 0;
    }

    const result = await sync({
      file,
      client: token ? client() : null,
      dryRun: command === 'plan',
      target: null,
      resync: 'never',
      log,
    });
    if (values.json) {
      const plan = planJson(result);
      if (command === 'plan') {
        if (plan) out(`${JSON.stringify(plan)}\n`);
      } else {
        out(
          `${JSON.stringify({ plan: result.plan ? checkedPlanJson(result.plan) : null, created: createdJson(result) })}\n`,
        );
      }
    } else {
      show(renderText(result));
    }
    if (!succeeded(result)) {
      if (values.json) for (const failure of result.failures) err(`error: ${failure}\n`);
      return 1;
    }
    return 0;
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      err(`error: ${describe(error)}\n\n${USAGE}`);
      return 2;
    }
    err(`error: ${describe(error)}\n`);
    return 1;
  }
}

function makeClient(env: Record<string, string | undefined>, token: string, log: Log): MkpClient {
  const problems: string[] = [];
  const apiUrl = checkApiUrl(env.MKP_API_URL?.trim() || DEFAULT_API_URL, problems);
  const tuning = readTuning(env, problems);
  if (problems.length > 0)
    throw new Error(problems.join('; ').replace(/input `api-url`/g, 'MKP_API_URL'));
  return connect({ apiUrl, token, tuning, mask: log.mask, onRetry: log.info });
}

process.exitCode = await main(process.argv.slice(2));
