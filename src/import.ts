// `mkp-webhooks-sync import`: lists the account, adopts what is in scope (adopt.ts), checks the
// text with the loader and writes it. The CLI's command; the Action never imports.
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { lstat, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
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
  if (!toStdout) {
    const refusal = outputRefusal(output, await statsOf(output), options.force);
    if (refusal !== undefined) {
      log.error(refusal);
      return 1;
    }
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
      `${plural(exposed.length, 'URL')} ${exposed.length === 1 ? 'carries' : 'carry'} user-info or query values, written whole: ${exposed.map((e) => redactUrl(e.url)).join(', ')}. The file goes into git; move such values into \${VAR} (read from the environment) to keep them out of it`,
    );
  }
  if (toStdout) {
    options.out(text);
  } else {
    const failure = await writeOutput(output, text, options.force, log);
    if (failure !== undefined) {
      log.error(failure);
      return 1;
    }
  }
  const subscriptions = adoption.entries.reduce((n, e) => n + e.events.length, 0);
  if (listed.length > records.length) {
    log.info(`${plural(listed.length - records.length, 'record')} outside --owns left out`);
  }
  log.info(
    `imported ${plural(records.length, 'record')} as ${plural(adoption.entries.length, 'entry', 'entries')} (${plural(subscriptions, 'subscription')}) into ${toStdout ? 'stdout' : output}; ${adoption.skipped.length} skipped, ${plural(adoption.duplicates.length, 'duplicate group')}. No secret was written.`,
  );
  return 0;
}

/** What is at `path` itself (a link is not followed); undefined when nothing is. */
async function statsOf(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Why import will not write to `path`; undefined when it will. */
function outputRefusal(path: string, found: Stats | undefined, force: boolean): string | undefined {
  if (found === undefined) return undefined;
  if (found.isDirectory()) return `${path} is a directory; pass --output FILE (- for stdout)`;
  if (force) return undefined;
  const what = found.isSymbolicLink() ? ' (a symbolic link)' : '';
  return `${path} exists${what}; pass --force to replace it, or --output FILE (- for stdout)`;
}

/**
 * Writes the file without ever writing through a symbolic link (issue 22: a dangling
 * `webhooks.yaml -> ~/.bash_profile` had the account's URLs written into a shell start-up file).
 * Without --force, an exclusive create: anything at the path, a dangling link included, is
 * refused. With --force, a file written beside it is renamed over it: a link is replaced itself
 * (and the log says so), never followed; a regular file keeps its permission bits. Returns why it
 * could not write, or undefined.
 */
async function writeOutput(
  path: string,
  text: string,
  force: boolean,
  log: Log,
): Promise<string | undefined> {
  const found = await statsOf(path);
  const refusal = outputRefusal(path, found, force);
  if (refusal !== undefined) return refusal;
  if (!force) {
    try {
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(text);
      } finally {
        await handle.close();
      }
      return undefined;
    } catch (error) {
      return writeFailure(path, error, force);
    }
  }
  const mode = found?.isFile() ? found.mode & 0o777 : undefined;
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', mode ?? 0o666);
    try {
      await handle.writeFile(text);
      // The umask may have taken bits the replaced file had.
      if (mode !== undefined) await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    return writeFailure(path, error, force);
  }
  if (found?.isSymbolicLink()) {
    log.warning(
      `${path} was a symbolic link: replaced the link itself with the file; what it pointed to was not touched`,
    );
  }
  return undefined;
}

function writeFailure(path: string, error: unknown, force: boolean): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'EEXIST' && !force) {
    return `${path} exists; pass --force to replace it, or --output FILE (- for stdout)`;
  }
  if (code === 'EISDIR') return `${path} is a directory; pass --output FILE (- for stdout)`;
  const why =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'ENOENT'
        ? 'its folder does not exist'
        : typeof code === 'string'
          ? code
          : String(error);
  return `cannot write ${path}: ${why}; nothing was written`;
}
