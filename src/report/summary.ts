// The report people read: the job summary, the PR comment and the drift issue all render a
// SyncResult through here, never by asking the APIs again. It maps over the result and its
// verdicts (verdicts.ts), and builds markdown only through text/encoders.ts, which encodes every
// value for where it stands. URLs are redacted, and a record URL that holds a `${VAR}` value's
// host and path is shown in that `${VAR}` form; no secret value is ever part of a SyncResult.
import type { ConfigProblem, Subscription } from '../config/types.js';
import { formatPosition } from '../log.js';
import type { PullRequestChanges } from '../pull-request.js';
import type { Outcome, SyncResult } from '../result.js';
import {
  alreadyDone,
  createdIn,
  duplicatesWords,
  ignoredWords,
  reportOutcomes,
  succeeded,
  unmanagedWords,
  type OutcomeReport,
  type OutcomeStatus,
} from '../verdicts.js';
import { upperSnake } from '../events.js';
import { adopt, renderEntries } from '../adopt.js';
import { STALE_REASON } from '../secrets/stale.js';
import { declaredBy, hasHiddenParts, shownRecordUrl, shownUrl, type DeclaredUrl } from '../url.js';
import { backticked, code, joined, phrase, type Phrase } from '../text/phrase.js';
import {
  fitted,
  joinMarkdown,
  md,
  tableRow,
  yamlBlock,
  fold as folded,
  type Markdown,
} from '../text/encoders.js';
import { plural } from '../text/words.js';
import { bytes, cutNote } from './github-body.js';
import { declaredInPullRequest, pullRequestSection } from './pull-request.js';

export interface ReportOptions {
  /** Cut table rows (and the snippet) before the text would pass this many UTF-8 bytes. */
  maxLength?: number;
  /** Where a reader finds what was cut, e.g. "the job summary of this run has them all". */
  restIn?: Phrase;
  /** Markdown heading level of the title. */
  heading?: '##' | '###';
  /** On a pull request: what it changes leads the report. */
  pullRequest?: PullRequestChanges;
}

const MODE_TITLES = {
  apply: 'apply',
  'dry-run': 'dry run',
  unchecked: 'validated only',
} as const;

export function renderReport(result: SyncResult, options: ReportOptions = {}): Markdown {
  const heading = options.heading ?? '##';
  const ending = result.cancelled
    ? md`
(cancelled)
      `
    : succeeded(result)
      ? md``
      : md`
(failed)
        `;
  const head: Markdown[] = [
    md`${headingOf(heading)} MijnKlantportaal webhooks: ${MODE_TITLES[result.mode]}${ending}`,
    md``,
    md`${code(result.file.path)}: ${countsLine(result)}`,
    md``,
    modeSentence(result),
    md``,
  ];
  // URLs of the account are shown in the `${VAR}` form of any file of the run that declares them.
  const declared: DeclaredUrl[] = [
    ...result.file.subscriptions,
    ...(options.pullRequest ? declaredInPullRequest(options.pullRequest) : []),
  ];
  // On a pull request whose base was read, the whole plan follows its changes, folded.
  let fold = false;
  if (options.pullRequest) {
    head.push(...pullRequestSection(options.pullRequest, result.file.path, heading, declared));
    fold = options.pullRequest.base !== 'unreadable';
  }
  const tail = [
    ...duplicatesSection(result, declared),
    ...secretsSection(result),
    ...failuresSection(result),
  ];
  const report = { head, rows: tableRows(result, declared), tail, fold };
  return assemble(report, unmanagedSnippet(result, declared), options);
}

/** `##` or `###`: our markup, from the one place that chooses it. */
function headingOf(heading: '##' | '###' | '####'): Markdown {
  return heading === '##'
    ? md`
##
      `
    : heading === '###'
      ? md`
###
        `
      : md`
####
        `;
}

/**
 * GitHub refuses a job summary over 1 MiB whole ("upload aborted"); this leaves room for the
 * scrubber and line ends. Rows past it are cut with a note (CONTRACT §4 of bounded reports).
 */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024 - 16 * 1024;

/** The summary of a file that failed validation: every problem with its file:line:column. */
export function renderValidationFailure(
  path: string,
  problems: ConfigProblem[],
  options: Pick<ReportOptions, 'heading' | 'maxLength'> = {},
): Markdown {
  const head = joinMarkdown([
    md`${headingOf(options.heading ?? '##')} MijnKlantportaal webhooks: ${code(path)} is invalid`,
    md``,
    md`${plural(problems.length, 'problem')} found; nothing was sent to MijnKlantportaal or GitHub. The file format: docs/webhooks-yaml.md of mkp-webhooks-sync.`,
    md``,
  ]);
  // The location as code; the message's values, which the loader quotes in backticks, as code.
  const lines = problems.map((p) => md`- ${code(formatPosition(p))}: ${backticked(p.message)}`);
  const limit = options.maxLength ?? Infinity;
  let size = bytes(head.text());
  let kept = 0;
  while (kept < lines.length && size + bytes(lines[kept]!.text()) + 200 <= limit) {
    size += bytes(lines[kept]!.text()) + 1;
    kept++;
  }
  const cut =
    kept < lines.length
      ? [
          md`- _${plural(lines.length - kept, 'more problem')} not shown, to stay within GitHub's size limit; the log lists them all._`,
        ]
      : [];
  return joinMarkdown([head, ...lines.slice(0, kept), ...cut, md``]);
}

function countsLine(result: SyncResult): Markdown {
  const { plan } = result;
  if (result.mode === 'unchecked' || !plan) {
    return md`${plural(result.file.subscriptions.length, 'subscription')} declared`;
  }
  const failed = result.outcomes.filter((o) => o.create?.state === 'failed').length;
  const parts = [
    result.mode === 'apply'
      ? md`**${createdIn(result).length} created**${failed ? md`, **${failed} failed**` : md``}`
      : md`**${plan.create.length} to create**`,
    md`${plan.unchanged.length} unchanged`,
    md`${plan.unmanaged.length} unmanaged`,
  ];
  const groups = plan.duplicates.length;
  if (groups > 0) parts.push(md`${plural(groups, 'webhook')} on the account more than once`);
  if (plan.ignored.length > 0) parts.push(md`${ignoredWords(plan.ignored.length)}`);
  return joinMarkdown(parts, ' · ');
}

function modeSentence(result: SyncResult): Markdown {
  if (result.mode === 'unchecked') {
    return md`No ${code('api-token')}, so the account was not checked: the file is valid, and these are the subscriptions and secret names it declares.`;
  }
  if (!result.plan)
    return md`
The account could not be read, so nothing was planned or changed.
    `;
  if (result.cancelled) {
    return md`The run was cancelled (${result.cancelled}): no webhook was created after that. What was done, and what is left for the next run, is below.`;
  }
  if (result.mode === 'dry-run') {
    const n = result.plan.create.length;
    const where = result.destination
      ? md` and delivers their secrets to ${result.destination.description}`
      : md``;
    const applying =
      n > 0 ? md` Applying it creates the ${plural(n, 'webhook')} marked ➕${where}.` : md``;
    return md`Dry run: this is the plan; nothing was created and no secret was written.${applying}`;
  }
  if (result.plan.create.length === 0 && result.plan.unmanaged.length === 0) {
    return md`
The account already matched the file.
    `;
  }
  if (result.plan.create.length === 0) {
    return md`
Nothing declared was missing. Webhooks that the file does not declare are reported, never changed: the API cannot update or delete them.
    `;
  }
  return md`
The account was brought in line with the file. Webhooks that the file does not declare are reported, never changed: the API cannot update or delete them.
  `;
}

/** What each status looks like in the table: a mark people scan for. */
const MARKS: Record<OutcomeStatus, Markdown> = {
  declared: md`
·
  `,
  'to-create': md`
➕
  `,
  'not-created': md`
➕
  `,
  created: md`
✅
  `,
  failed: md`
❌
  `,
  unchanged: md`
☑️
  `,
  duplicated: md`
⚠️
  `,
};

function tableRows(result: SyncResult, declared: readonly DeclaredUrl[]): Markdown[] {
  // Result first and the URL last: on a narrow page, what happened stays visible.
  const rows = reportOutcomes(result).map((report) => {
    const s = report.outcome.subscription;
    return tableRow([
      md`${MARKS[report.status]} ${status(report)}`,
      md`${code(s.event)}`,
      md`${code(s.secretName)}`,
      md`${code(shownUrl(s))}`,
    ]);
  });
  for (const r of result.plan?.unmanaged ?? []) {
    rows.push(
      tableRow([
        md`⚠️ ${unmanagedWords(r)}`,
        md`${code(r.type)}`,
        md``,
        md`${code(shownRecordUrl(r.url, declared))}`,
      ]),
    );
  }
  return rows;
}

/** A row's status: its words, a pointer to the duplicates, and what became of its secret. */
function status({ outcome, words, secret }: OutcomeReport): Markdown {
  const duplicates = outcome.copies
    ? md`
(see Duplicates)
      `
    : md``;
  return md`${words}${duplicates}${secret ? md`; ${secret}` : md``}`;
}

function duplicatesSection(result: SyncResult, declared: readonly DeclaredUrl[]): Markdown[] {
  const groups = result.plan?.duplicates ?? [];
  if (groups.length === 0) return [];
  return [
    md`
### Duplicates on the account
    `,
    md``,
    ...groups.map((group) => md`- ${duplicatesWords(group, declared)}.`),
    md``,
  ];
}

function secretsSection(result: SyncResult): Markdown[] {
  if (result.mode !== 'apply' || !result.plan) return [];
  if (!result.destination) {
    return [
      md`
### Secrets
      `,
      md``,
      md`
Not delivered from here: they stay readable on the account, and the Action delivers them with resync-secrets.
      `,
      md``,
    ];
  }
  const written = result.outcomes.filter((o) => o.secret?.state === 'written');
  const failed = result.outcomes.filter((o) => o.secret?.state === 'failed');
  const names = (list: Outcome[]) =>
    joined(
      list.map((o) => [code(o.subscription.secretName)]),
      ', ',
    );
  const forNew = written.filter((o) => o.secret!.reason === 'created').length;
  const stale = written.filter((o) => o.secret!.reason === 'stale');
  const lines = [
    md`
### Secrets
    `,
    md``,
    md`- Target: ${result.destination.description}`,
    written.length > 0
      ? md`- Delivered: ${plural(written.length, 'secret')} (${forNew} of new webhooks, ${written.length - forNew} of existing ones, as resync-secrets says)`
      : md`
- Delivered: none; nothing new, and resync-secrets found nothing to write
        `,
  ];
  if (stale.length > 0) lines.push(md`- ${STALE_REASON}, so written again: ${names(stale)}`);
  const replaced = written.filter((o) => o.secret!.replaced);
  if (replaced.length > 0) {
    const each = joined(
      replaced.map(
        (o) => phrase`${code(o.subscription.secretName)} (last written ${o.secret!.replaced!})`,
      ),
      ', ',
    );
    lines.push(
      md`- Written over a secret of the same name that was already there: ${each}. Expected after a webhook was deleted or re-created in the manage portal; otherwise that name belonged to something else.`,
    );
  }
  if (failed.length > 0) lines.push(md`- Not delivered: ${names(failed)}`);
  return [...lines, md``];
}

function failuresSection(result: SyncResult): Markdown[] {
  if (succeeded(result)) return [];
  const lines = [
    md`
### What went wrong
    `,
    md``,
  ];
  if (result.cancelled) {
    lines.push(
      md`- The run was cancelled (${result.cancelled}): no new webhook was created after that.`,
    );
  }
  for (const failure of result.failures) lines.push(md`- ${failure}`);
  const what = (s: Subscription) => md`- ${code(s.event)} ${code(shownUrl(s))}:`;
  for (const { subscription, create } of result.outcomes) {
    if (create?.state === 'failed') lines.push(md`${what(subscription)} ${create.message}`);
  }
  for (const { subscription, create } of result.outcomes) {
    if (create?.state === 'created' && create.storedOtherwise) {
      lines.push(md`${what(subscription)} created, but ${create.storedOtherwise}`);
    }
  }
  for (const { subscription, secret } of result.outcomes) {
    if (secret?.state === 'failed') {
      const why = secret.message ?? phrase`failed`;
      lines.push(md`- secret ${code(subscription.secretName)}: ${why}`);
    }
  }
  lines.push(md``, md`${alreadyDone(result)}`, md``);
  return lines;
}

/** A ready-made addition to the file that declares the unmanaged webhooks (URLs redacted). */
function unmanagedSnippet(result: SyncResult, declared: readonly DeclaredUrl[]): Markdown[] {
  const unmanaged = result.plan?.unmanaged ?? [];
  if (unmanaged.length === 0) return [];
  const taken = new Set(result.file.subscriptions.flatMap((s) => (s.name ? [s.name] : [])));
  const { entries, skipped } = adopt(unmanaged, 'auto', taken);
  const lines = [
    md`
### Declare the unmanaged webhooks
    `,
    md``,
  ];
  if (entries.length > 0) {
    // A URL with hidden parts must not be pasted redacted: it becomes a ${VAR} to set from a
    // secret. One that holds a declared `${VAR}` value's host and path keeps that `${VAR}`.
    const hidden = entries.filter((e) => hasHiddenParts(e.url) && !declaredBy(e.url, declared));
    const shown = entries.map((e) => {
      const from = declaredBy(e.url, declared);
      if (from) return { ...e, url: from.template! };
      return hasHiddenParts(e.url) ? { ...e, url: `\${${urlVariable(e.name)}}` } : e;
    });
    lines.push(
      md`To manage them from the file, add these entries under ${code('webhooks:')}:`,
      md``,
      yamlBlock(renderEntries(shown)),
      md``,
    );
    if (hidden.length > 0) {
      const variables = joined(
        hidden.map((e) => [code(urlVariable(e.name))]),
        ', ',
      );
      lines.push(
        md`Their URLs carry credentials or query values, so the entries read them from the environment: set ${variables} from a secret in the workflow (${code('npx mkp-webhooks-sync@1 import --output -')} prints the exact URLs).`,
        md``,
      );
    }
  }
  for (const { record, reason } of skipped) {
    lines.push(
      md`- ${code(record.id)} cannot be declared in a file (${backticked(reason)}); change or remove it in the manage portal.`,
    );
  }
  if (skipped.length > 0) lines.push(md``);
  lines.push(
    md`
Or remove them in the manage portal if nobody needs them.
    `,
    md``,
  );
  return lines;
}

function urlVariable(name: string | undefined): string {
  return `${upperSnake(name ?? 'webhook')}_URL`;
}

/** A report's parts: what leads it, the table's rows, what follows, and whether the table folds. */
interface ReportParts {
  head: Markdown[];
  rows: Markdown[];
  tail: Markdown[];
  /** On a pull request the whole plan follows its changes, folded. */
  fold: boolean;
}

const TABLE_HEAD = [
  md`
| Result | Event | Secret name | URL |
  `,
  md`
|---|---|---|---|
  `,
];

function assemble(
  { head, rows, tail, fold }: ReportParts,
  snippet: Markdown[],
  options: ReportOptions,
): Markdown {
  const body = (table: Markdown[]) => {
    const whole = joinMarkdown(table);
    return fold ? [folded(phrase`The whole plan of this file`, whole)] : table;
  };
  const text = (table: Markdown[], end: Markdown[]) =>
    joinMarkdown([...head, ...body(table), md``, ...tail, ...end]);
  if (rows.length === 0) {
    return text(
      [
        md`
_The file declares no webhooks and the account has none._
        `,
      ],
      snippet,
    );
  }
  const full = text([...TABLE_HEAD, ...rows], snippet);
  const limit = options.maxLength;
  if (limit === undefined || bytes(full.text()) <= limit) return full;
  const rest = options.restIn ? md`; ${options.restIn}` : md``;
  // First the ready-made snippet goes (the import command writes the same entries)...
  const end =
    snippet.length === 0
      ? []
      : [
          md`
### Declare the unmanaged webhooks
          `,
          md``,
          md`Left out to stay within GitHub's size limit: ${code('npx mkp-webhooks-sync import --output -')} writes entries for every webhook on the account.`,
          md``,
        ];
  const withoutSnippet = text([...TABLE_HEAD, ...rows], end);
  if (bytes(withoutSnippet.text()) <= limit) return withoutSnippet;
  // ...then whole rows, and it says so, so that the text stays a valid table below the limit.
  const note = (n: number) =>
    md`\n_${plural(rows.length - n, 'more row')} not shown, to stay within GitHub's size limit${rest}._`;
  const fixed = bytes(text([...TABLE_HEAD, note(0)], end).text());
  const sizes = rows.map((row) => bytes(row.text()) + 1);
  let kept = 0;
  for (let used = fixed; kept < rows.length && used + sizes[kept]! <= limit; kept++) {
    used += sizes[kept]!;
  }
  // A tail (failures) that alone passes the limit is cut like any GitHub body.
  const cut = text([...TABLE_HEAD, ...rows.slice(0, kept), note(kept)], end);
  return fitted(cut, limit, cutNote(options.restIn ?? phrase`the log has the whole run`));
}
