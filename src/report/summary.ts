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
  costWords,
  createdIn,
  duplicateRewrittenTo,
  duplicatesWords,
  ignoredWords,
  reportOutcomes,
  succeeded,
  unmanagedWords,
  type OutcomeReport,
  type OutcomeStatus,
} from '../verdicts.js';
import { upperSnake } from '../events.js';
import { adopt, renderEntries, type ImportedEntry } from '../adopt.js';
import { STALE_REASON } from '../secrets/stale.js';
import { declaredBy, hasHiddenParts, shownRecordUrl, shownUrl, type DeclaredUrl } from '../url.js';
import { backticked, code, joined, phrase, type Phrase } from '../text/phrase.js';
import {
  fitted,
  joinMarkdown,
  markup,
  tableRow,
  yamlBlock,
  fold as folded,
  type Markdown,
} from '../text/encoders.js';
import { uncheckedCount } from '../wording.js';
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
    ? markup` (cancelled)`
    : succeeded(result)
      ? markup``
      : markup` (failed)`;
  const head: Markdown[] = [
    markup`${headingOf(heading)} MijnKlantportaal webhooks: ${MODE_TITLES[result.mode]}${ending}`,
    markup``,
    markup`${code(result.file.path)}: ${countsLine(result)}`,
    markup``,
    modeSentence(result),
    markup``,
    ...costLine(result),
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
  return heading === '##' ? markup`##` : heading === '###' ? markup`###` : markup`####`;
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
    markup`${headingOf(options.heading ?? '##')} MijnKlantportaal webhooks: ${code(path)} is invalid`,
    markup``,
    markup`${plural(problems.length, 'problem')} found; nothing was sent to MijnKlantportaal or GitHub. The file format: docs/webhooks-yaml.md of mkp-webhooks-sync.`,
    markup``,
  ]);
  // The location as code; the message's values, which the loader quotes in backticks, as code.
  const lines = problems.map((p) => markup`- ${code(formatPosition(p))}: ${backticked(p.message)}`);
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
          markup`- _${plural(lines.length - kept, 'more problem')} not shown, to stay within GitHub's size limit; the log lists them all._`,
        ]
      : [];
  return joinMarkdown([head, ...lines.slice(0, kept), ...cut, markup``]);
}

function countsLine(result: SyncResult): Markdown {
  const { plan } = result;
  if (result.mode === 'unchecked' || !plan) {
    const unchecked = uncheckedCount(result.file.subscriptions);
    const count = plural(result.file.subscriptions.length, 'subscription');
    return unchecked ? markup`${count} declared · ${unchecked}` : markup`${count} declared`;
  }
  const failed = result.outcomes.filter((o) => o.create?.state === 'failed').length;
  const parts = [
    result.mode === 'apply'
      ? markup`**${createdIn(result).length} created**${failed ? markup`, **${failed} failed**` : markup``}`
      : markup`**${plan.create.length} to create**`,
    markup`${plan.unchanged.length} unchanged`,
    markup`${plan.unmanaged.length} unmanaged`,
  ];
  const groups = plan.duplicates.length;
  if (groups > 0) parts.push(markup`${plural(groups, 'webhook')} on the account more than once`);
  if (plan.ignored.length > 0) parts.push(markup`${ignoredWords(plan.ignored.length)}`);
  return joinMarkdown(parts, ' · ');
}

/** What applying costs (CONTRACT §2), in a paragraph of its own; none when the account could not be read. */
function costLine(result: SyncResult): Markdown[] {
  const cost = costWords(result);
  return cost ? [markup`Cost of applying: ${cost}.`, markup``] : [];
}

function modeSentence(result: SyncResult): Markdown {
  if (result.mode === 'unchecked') {
    return markup`No ${code('api-token')}, so the account was not checked: the file is valid, and these are the subscriptions and secret names it declares.`;
  }
  if (!result.plan)
    return markup`The account could not be read, so nothing was planned or changed.`;
  if (result.cancelled) {
    return markup`The run was cancelled (${result.cancelled}): no webhook was created after that. What was done, and what is left for the next run, is below.`;
  }
  if (result.mode === 'dry-run') {
    const n = result.plan.create.length;
    const secrets = n === 1 ? markup`its secret` : markup`their secrets`;
    const where = result.destination
      ? markup` and delivers ${secrets} to ${result.destination.description}`
      : markup``;
    const applying =
      n > 0
        ? markup` Applying it creates the ${plural(n, 'webhook')} marked ➕${where}.`
        : markup``;
    return markup`Dry run: this is the plan; nothing was created and no secret was written.${applying}`;
  }
  if (result.plan.create.length === 0 && result.plan.unmanaged.length === 0) {
    return markup`The account already matched the file.`;
  }
  if (result.plan.create.length === 0) {
    return markup`Nothing declared was missing. Webhooks that the file does not declare are reported, never changed: the API cannot update or delete them.`;
  }
  return markup`The account was brought in line with the file. Webhooks that the file does not declare are reported, never changed: the API cannot update or delete them.`;
}

/**
 * What each status looks like in the table: a mark people scan for. Created and unchanged
 * differ in shape and colour at a glance (a green tick, a grey circle: README "Decisions").
 */
const MARKS: Record<OutcomeStatus, Markdown> = {
  declared: markup`·`,
  'to-create': markup`➕`,
  'not-created': markup`➕`,
  created: markup`✅`,
  failed: markup`❌`,
  unchanged: markup`⚪`,
  duplicated: markup`⚠️`,
};

function tableRows(result: SyncResult, declared: readonly DeclaredUrl[]): Markdown[] {
  // Result first and the URL last: on a narrow page, what happened stays visible. The event
  // stands above its secret name: their column is at least as wide as the longest secret name,
  // which holds its event upper-cased (unless a `secret` template leaves it out), so no event is
  // squeezed to break at its hyphens, and the table needs one column less (README "Decisions").
  const rows = reportOutcomes(result).map((report) => {
    const s = report.outcome.subscription;
    return tableRow([
      markup`${MARKS[report.status]} ${status(report)}`,
      markup`${code(s.event)}<br>${code(s.secretName)}`,
      markup`${code(shownUrl(s))}`,
    ]);
  });
  for (const r of result.plan?.unmanaged ?? []) {
    rows.push(
      tableRow([
        markup`⚠️ ${unmanagedWords(r)}`,
        markup`${code(r.type)}`,
        markup`${code(shownRecordUrl(r.url, declared))}`,
      ]),
    );
  }
  return rows;
}

/** A row's status: its words, a pointer to the duplicates, and what became of its secret. */
function status({ outcome, words, secret }: OutcomeReport): Markdown {
  const duplicates = outcome.copies ? markup` (see Duplicates)` : markup``;
  return markup`${words}${duplicates}${secret ? markup`; ${secret}` : markup``}`;
}

function duplicatesSection(result: SyncResult, declared: readonly DeclaredUrl[]): Markdown[] {
  const groups = result.plan?.duplicates ?? [];
  if (groups.length === 0) return [];
  return [
    markup`### Duplicates on the account`,
    markup``,
    ...groups.map(
      (group) =>
        markup`- ${duplicatesWords(group, declared, duplicateRewrittenTo(result, group))}.`,
    ),
    markup``,
  ];
}

function secretsSection(result: SyncResult): Markdown[] {
  if (result.mode !== 'apply' || !result.plan) return [];
  if (!result.destination) {
    return [
      markup`### Secrets`,
      markup``,
      markup`Not delivered from here: they stay readable on the account, and the Action delivers them with resync-secrets.`,
      markup``,
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
    markup`### Secrets`,
    markup``,
    markup`- Target: ${result.destination.description}`,
    written.length > 0
      ? markup`- Delivered: ${plural(written.length, 'secret')} (${forNew} of new webhooks, ${written.length - forNew} of existing ones, as resync-secrets says)`
      : markup`- Delivered: none; nothing new, and resync-secrets found nothing to write`,
  ];
  if (stale.length > 0) lines.push(markup`- ${STALE_REASON}, so written again: ${names(stale)}`);
  const replaced = written.filter((o) => o.secret!.replaced);
  if (replaced.length > 0) {
    const each = joined(
      replaced.map(
        (o) => phrase`${code(o.subscription.secretName)} (last written ${o.secret!.replaced!})`,
      ),
      ', ',
    );
    lines.push(
      markup`- Written over a secret of the same name that was already there: ${each}. Expected after a webhook was deleted or re-created in the manage portal; otherwise that name belonged to something else.`,
    );
  }
  if (failed.length > 0) lines.push(markup`- Not delivered: ${names(failed)}`);
  return [...lines, markup``];
}

function failuresSection(result: SyncResult): Markdown[] {
  if (succeeded(result)) return [];
  const lines = [markup`### What went wrong`, markup``];
  if (result.cancelled) {
    lines.push(
      markup`- The run was cancelled (${result.cancelled}): no new webhook was created after that.`,
    );
  }
  for (const failure of result.failures) lines.push(markup`- ${failure}`);
  const what = (s: Subscription) => markup`- ${code(s.event)} ${code(shownUrl(s))}:`;
  for (const { subscription, create } of result.outcomes) {
    if (create?.state === 'failed') lines.push(markup`${what(subscription)} ${create.message}`);
  }
  for (const { subscription, create } of result.outcomes) {
    if (create?.state === 'created' && create.storedOtherwise) {
      lines.push(markup`${what(subscription)} created, but ${create.storedOtherwise}`);
    }
  }
  for (const { subscription, secret } of result.outcomes) {
    if (secret?.state === 'failed') {
      const why = secret.message ?? phrase`failed`;
      lines.push(markup`- secret ${code(subscription.secretName)}: ${why}`);
    }
  }
  lines.push(markup``, markup`${alreadyDone(result)}`, markup``);
  return lines;
}

/** A ready-made addition to the file that declares the unmanaged webhooks (URLs redacted). */
function unmanagedSnippet(result: SyncResult, declared: readonly DeclaredUrl[]): Markdown[] {
  const unmanaged = result.plan?.unmanaged ?? [];
  if (unmanaged.length === 0) return [];
  const taken = new Set(result.file.subscriptions.flatMap((s) => (s.name ? [s.name] : [])));
  const { entries, skipped } = adopt(unmanaged, 'auto', taken);
  const lines = [markup`### Declare the unmanaged webhooks`, markup``];
  if (entries.length > 0) {
    // A URL with hidden parts must not be pasted redacted: it becomes a ${VAR} to set from a
    // secret. One that holds a declared `${VAR}` value's host and path keeps that `${VAR}`.
    const hidden = entries.filter((e) => hasHiddenParts(e.url) && !declaredBy(e.url, declared));
    const shown = entries.map((e) => {
      const from = declaredBy(e.url, declared);
      if (from) return { ...e, url: from.template! };
      return hasHiddenParts(e.url) ? { ...e, url: `\${${urlVariable(e.name)}}` } : e;
    });
    const [them, these] = [
      unmanaged.length === 1 ? 'it' : 'them',
      entries.length === 1 ? 'this entry' : 'these entries',
    ];
    lines.push(
      markup`To manage ${them} from the file, add ${these} under ${code('webhooks:')}:`,
      markup``,
      yamlBlock(renderEntries(shown)),
      markup``,
    );
    if (hidden.length > 0) lines.push(hiddenUrlsNote(hidden, entries.length), markup``);
  }
  for (const { record, reason } of skipped) {
    lines.push(
      markup`- ${code(record.id)} cannot be declared in a file (${backticked(reason)}); change or remove it in the manage portal.`,
    );
  }
  if (skipped.length > 0) lines.push(markup``);
  lines.push(
    unmanaged.length === 1
      ? markup`Or remove it in the manage portal if nobody needs it.`
      : markup`Or remove them in the manage portal if nobody needs them.`,
    markup``,
  );
  return lines;
}

/** Why some entries read their URL from a `${VAR}`, and which to set: said of one or of several. */
function hiddenUrlsNote(hidden: readonly ImportedEntry[], entries: number): Markdown {
  const variables = joined(
    hidden.map((e) => [code(urlVariable(e.name))]),
    ', ',
  );
  const one = hidden.length === 1;
  const which =
    hidden.length === entries
      ? one
        ? markup`Its URL carries credentials or query values, so the entry reads it`
        : markup`Their URLs carry credentials or query values, so the entries read them`
      : one
        ? markup`One URL carries credentials or query values, so its entry reads it`
        : markup`${hidden.length} of the URLs carry credentials or query values, so their entries read them`;
  const urls = one ? markup`URL` : markup`URLs`;
  return markup`${which} from the environment: set ${variables} from a secret in the workflow (${code('npx mkp-webhooks-sync@1 import --output -')} prints the exact ${urls}).`;
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

const TABLE_HEAD = [markup`| Result | Event and secret name | URL |`, markup`|---|---|---|`];

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
    joinMarkdown([...head, ...body(table), markup``, ...tail, ...end]);
  if (rows.length === 0) {
    return text([markup`_The file declares no webhooks and the account has none._`], snippet);
  }
  const full = text([...TABLE_HEAD, ...rows], snippet);
  const limit = options.maxLength;
  if (limit === undefined || bytes(full.text()) <= limit) return full;
  const rest = options.restIn ? markup`; ${options.restIn}` : markup``;
  // First the ready-made snippet goes (the import command writes the same entries)...
  const end =
    snippet.length === 0
      ? []
      : [
          markup`### Declare the unmanaged webhooks`,
          markup``,
          markup`Left out to stay within GitHub's size limit: ${code('npx mkp-webhooks-sync import --output -')} writes entries for every webhook on the account.`,
          markup``,
        ];
  const withoutSnippet = text([...TABLE_HEAD, ...rows], end);
  if (bytes(withoutSnippet.text()) <= limit) return withoutSnippet;
  // ...then whole rows, and it says so, so that the text stays a valid table below the limit.
  const note = (n: number) =>
    markup`\n_${plural(rows.length - n, 'more row')} not shown, to stay within GitHub's size limit${rest}._`;
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
