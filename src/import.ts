// `mkp-webhooks-sync import`: lists the account, adopts what is in scope (adopt.ts), checks the
// text with the loader and writes it. The CLI's command; the Action never imports.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { adopt, renderWebhooksFile, type NameStyle } from './adopt.js';
import { parseWebhooksFile } from './config/load.js';
import { compilePattern, inScope } from './config/scope.js';
import { ConfigError, formatProblem } from './config/types.js';
import type { Log } from './log.js';
import type { MkpClient } from './mkp/client.js';
import { hasHiddenParts, redactUrl } from './url.js';
import { plural } from './text/words.js';
import { plainText } from './text/phrase.js';
import { duplicatesSentence } from './wording.js';

export interface ImportOptions {
  client: MkpClient;
  /** A path, or '-' for stdout. */
  output: string;
  force: boolean;
  names?: NameStyle;
  secretTemplate?: string;
  /** `--owns`: only records under these URL patterns, and the patterns written as `owns`. */
  owns?: readonly string[];
  log: Log;
  out: (text: string) => void;
}

/** `mkp-webhooks-sync import`: exit status 0 when a valid file was written. */
export async function importAccount(options: ImportOptions): Promise<number> {
  const { client, output, log } = options;
  const toStdout = output === '-';
  if (!toStdout && !options.force && existsSync(output)) {
    log.error(`${output} exists; pass --force to replace it, or --output FILE (- for stdout)`);
    return 1;
  }
  const owns = options.owns ?? [];
  const patterns = [];
  for (const pattern of owns) {
    try {
      patterns.push({ text: pattern, matcher: compilePattern(pattern), line: 0 });
    } catch (error) {
      log.error(`--owns ${(error as Error).message}`);
      return 1;
    }
  }
  const listed = await client.listWebhooks();
  const scope = { owns: patterns.length > 0 ? patterns : null, ignore: [] };
  const records = listed.filter((record) => inScope(scope, record.type, record.url));
  const adoption = adopt(records, options.names ?? 'auto');
  const text = renderWebhooksFile(adoption.entries, options.secretTemplate, owns);

  // The file must pass the same loader that plan and apply use, or nothing is written.
  try {
    parseWebhooksFile(text, toStdout ? 'webhooks.yaml' : output, { env: {} });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) log.error(formatProblem(problem));
    log.error(
      'the imported file would not be valid (see above); nothing was written. Try --names auto, or a --secret-template with {NAME} and {EVENT}',
    );
    return 1;
  }

  for (const { record, reason } of adoption.skipped) {
    log.warning(`skipped ${record.id} (${record.type} ${redactUrl(record.url)}): ${reason}`);
  }
  for (const group of adoption.duplicates) {
    const sentence = plainText(duplicatesSentence(group, redactUrl(group[0]!.url)));
    log.warning(`duplicates: ${sentence}; the file declares one of them`);
  }
  const exposed = adoption.entries.filter((entry) => hasHiddenParts(entry.url));
  if (exposed.length > 0) {
    log.warning(
      `${plural(exposed.length, 'URL')} carry user-info or query values, written whole: ${exposed.map((e) => redactUrl(e.url)).join(', ')}. The file goes into git; move such values into \${VAR} (read from the environment) to keep them out of it`,
    );
  }
  if (toStdout) options.out(text);
  else await writeFile(output, text);
  const subscriptions = adoption.entries.reduce((n, e) => n + e.events.length, 0);
  if (listed.length > records.length) {
    log.info(`${plural(listed.length - records.length, 'record')} outside --owns left out`);
  }
  log.info(
    `imported ${plural(records.length, 'record')} as ${plural(adoption.entries.length, 'entry', 'entries')} (${plural(subscriptions, 'subscription')}) into ${toStdout ? 'stdout' : output}; ${adoption.skipped.length} skipped, ${plural(adoption.duplicates.length, 'duplicate group')}. No secret was written.`,
  );
  return 0;
}
