// The run's verdicts, read from its outcomes: did it succeed, did it change anything, did the
// account drift, what became of each subscription, and what is already done. Each is worked out
// once, here, as data and words (Phrases); the shells and the renderers map over them.
import { DOCUMENTED_BUDGET } from './mkp/rate-gate.js';
import type { RemoteWebhook } from './mkp/types.js';
import { hasDrift, type Plan } from './plan.js';
import type { Outcome, SecretResult, SyncResult } from './result.js';
import { STALE_REASON } from './secrets/stale.js';
import { code, joined, phrase, type Phrase } from './text/phrase.js';
import { plural } from './text/words.js';
import { shownRecordUrl, type DeclaredUrl } from './url.js';
import { duplicateRewriteSentence, duplicatesSentence, uncheckedReason } from './wording.js';

/** Did this subscription's part of the run fail: its create, the answer, or its secret? */
export function failedOutcome(outcome: Outcome): boolean {
  const { create, secret } = outcome;
  return (
    create?.state === 'failed' ||
    (create?.state === 'created' && create.storedOtherwise !== undefined) ||
    secret?.state === 'failed'
  );
}

/** The subscriptions created in this run, in the file's order. */
export function createdIn(result: SyncResult): Outcome[] {
  return result.outcomes.filter((o) => o.create?.state === 'created');
}

/** Did the run end without any failure? */
export function succeeded(result: SyncResult): boolean {
  return (
    result.cancelled === undefined &&
    result.failures.length === 0 &&
    !result.outcomes.some(failedOutcome)
  );
}

/** CONTRACT §3 `changed`: a webhook created, or a secret written to a GitHub secret store. */
export function changed(result: SyncResult): boolean {
  return (
    createdIn(result).length > 0 ||
    (result.destination?.persistent === true &&
      result.outcomes.some((o) => o.secret?.state === 'written'))
  );
}

/** CONTRACT §3 `drift`: the account did not match the file at the start of the run. */
export function drift(result: SyncResult): boolean {
  const { plan } = result;
  return plan !== undefined && hasDrift(plan);
}

/**
 * Drift left after the run's own changes, for the drift issue: unmanaged records, or declared
 * subscriptions that are still not on the account as declared. A dry run changes nothing.
 */
export function driftLeft(result: SyncResult): boolean {
  const { plan } = result;
  if (plan === undefined) return false;
  if (result.mode !== 'apply') return hasDrift(plan);
  const madeAsDeclared = (o: Outcome) =>
    o.create?.state === 'created' && o.create.storedOtherwise === undefined;
  return (
    plan.unmanaged.length > 0 ||
    result.outcomes.some((o) => o.planned === 'create' && !madeAsDeclared(o))
  );
}

const secretsOf = (list: readonly unknown[]) =>
  list.length === 1 ? phrase`secret` : phrase`secrets`;

/** alreadyDone's words about one secret or several. */
function agreement(n: number): [Phrase, Phrase, Phrase] {
  return n === 1
    ? [phrase`Secret`, phrase`The webhook keeps its secret`, phrase`it`]
    : [phrase`Secrets`, phrase`The webhooks keep their secrets`, phrase`them`];
}

/** Every failure report says what was already done and what is left for the next run. */
export function alreadyDone(result: SyncResult): Phrase {
  const names = (outcomes: Outcome[]) =>
    joined(
      outcomes.map((o) => [code(o.subscription.secretName)]),
      ', ',
    );
  const created = createdIn(result);
  const failed = result.outcomes.filter((o) => o.secret?.state === 'failed');
  const pending = failed.filter((o) => o.secret?.blocked === undefined);
  const blocked = failed.filter((o) => o.secret?.blocked !== undefined);
  const parts = [
    created.length > 0
      ? phrase`Already done: created ${plural(created.length, 'webhook')} (${secretsOf(created)} ${names(created)}).`
      : phrase`Already done: no webhook was created.`,
  ];
  if (pending.length > 0) {
    const [Secrets, keep, them] = agreement(pending.length);
    parts.push(
      phrase`${Secrets} still to be written: ${names(pending)}. ${keep} on the account; the next run with resync-secrets: missing (the default) writes ${them}.`,
    );
  }
  // The next run cannot write these until someone acts: no promise that it will.
  if (blocked.length > 0) {
    const [Secrets, keep, them] = agreement(blocked.length);
    const remedies = [...new Set(blocked.map((o) => o.secret!.blocked!))].join('; ');
    parts.push(
      phrase`${Secrets} that no run can write yet: ${names(blocked)}: ${remedies}; then the next run with resync-secrets: missing writes ${them}. ${keep} on the account.`,
    );
  }
  if (result.outcomes.some((o) => o.create?.state === 'failed')) {
    parts.push(phrase`The next run creates what is still missing, and nothing twice.`);
  }
  return joined(parts, ' ');
}

/**
 * What became of a subscription, for the mark a renderer shows: declared (the account was not
 * read), to be created (a dry run), created, not created (the run ended first), failed (its
 * create, the API's answer or its secret), unchanged, or unchanged but on the account more than
 * once.
 */
export type OutcomeStatus =
  'declared' | 'to-create' | 'created' | 'not-created' | 'failed' | 'unchanged' | 'duplicated';

/** One subscription as the reports list it: its status and its words, worked out once. */
export interface OutcomeReport {
  outcome: Outcome;
  status: OutcomeStatus;
  /** What the plan and the create came to: "created (found after its answer was lost)". */
  words: Phrase;
  /** What became of its secret, when this run delivered it. */
  secret?: Phrase;
}

/**
 * Every declared subscription in the order the reports list them: with a plan, what is (or was
 * to be) created first, then what was already there; each part in the file's order.
 */
export function reportOutcomes(result: SyncResult): OutcomeReport[] {
  const report = (outcome: Outcome): OutcomeReport => {
    const secret = secretWords(outcome.secret);
    return {
      outcome,
      status: statusOf(outcome, result),
      words: whatHappened(outcome, result),
      ...(secret ? { secret } : {}),
    };
  };
  if (result.mode === 'unchecked' || !result.plan) return result.outcomes.map(report);
  return [
    ...result.outcomes.filter((o) => o.planned === 'create'),
    ...result.outcomes.filter((o) => o.planned === 'unchanged'),
  ].map(report);
}

function statusOf(outcome: Outcome, result: SyncResult): OutcomeStatus {
  if (!outcome.planned || !result.plan) return 'declared';
  if (failedOutcome(outcome)) return 'failed';
  if (outcome.planned === 'unchanged') return outcome.copies ? 'duplicated' : 'unchanged';
  if (result.mode !== 'apply') return 'to-create';
  return outcome.create?.state === 'created' ? 'created' : 'not-created';
}

function whatHappened(outcome: Outcome, result: SyncResult): Phrase {
  const { planned, create, copies } = outcome;
  if (!planned || !result.plan) return uncheckedReason(outcome.subscription) ?? phrase`declared`;
  if (planned === 'unchanged') {
    return copies ? phrase`unchanged, on the account ${copies} times` : phrase`unchanged`;
  }
  if (result.mode !== 'apply') return phrase`will create`;
  if (!create) return phrase`not created`;
  if (create.state === 'failed') return phrase`failed: ${create.message}`;
  if (create.storedOtherwise) return phrase`created, but ${create.storedOtherwise}`;
  return create.adopted ? phrase`created (found after its answer was lost)` : phrase`created`;
}

function secretWords(secret: SecretResult | undefined): Phrase | undefined {
  if (!secret) return undefined;
  if (secret.state === 'failed') return phrase`secret not written: ${secret.message ?? 'failed'}`;
  if (secret.replaced) return phrase`secret written over one last written ${secret.replaced}`;
  if (secret.reason === 'missing') return phrase`secret was missing, written`;
  if (secret.reason === 'stale') return phrase`secret ${STALE_REASON}; written again`;
  if (secret.reason === 'duplicate') return phrase`secret of the oldest duplicate written again`;
  if (secret.reason === 'outputs') return phrase`secret in the outputs`;
  return phrase`secret written`;
}

/** A record on the account that the file does not declare, as the reports list it. */
export function unmanagedWords(record: RemoteWebhook): Phrase {
  return phrase`not in the file (${record.id})`;
}

/**
 * The sentence about a duplicate group, with the group's URL as the file shows it (the `${VAR}`
 * form of a declared subscription, else redacted); with `rewrittenTo`, the target that the kept
 * record's secret is written to every run while the group exists, and why (CONTRACT §2).
 */
export function duplicatesWords(
  group: readonly RemoteWebhook[],
  declared: readonly DeclaredUrl[],
  rewrittenTo?: string,
): Phrase {
  const sentence = duplicatesSentence(group, shownRecordUrl(group[0]!.url, declared));
  if (rewrittenTo === undefined) return sentence;
  return phrase`${sentence}; ${duplicateRewriteSentence(group[0]!.id, rewrittenTo)}`;
}

/** Where this run wrote the secret of a duplicate group's kept record again, if it did. */
export function duplicateRewrittenTo(
  result: SyncResult,
  group: readonly RemoteWebhook[],
): string | undefined {
  const kept = group[0]!.id;
  const rewritten = result.outcomes.some(
    (o) => o.record?.id === kept && o.secret?.reason === 'duplicate',
  );
  return rewritten ? result.destination?.description : undefined;
}

/** The one line about records outside the file's scope (`owns`/`ignore`). */
export function ignoredWords(count: number): Phrase {
  return phrase`${plural(count, 'belongs', 'belong')} to others: outside ${code('owns')} or ignored`;
}

/** The plan's counts, as the log and the terminal say them: "2 to create, 5 unchanged, 1 unmanaged". */
export function planCounts(plan: Plan): string {
  return `${plan.create.length} to create, ${plan.unchanged.length} unchanged, ${plan.unmanaged.length} unmanaged`;
}

/**
 * What applying the plan costs (CONTRACT §2): the MijnKlantportaal calls an apply makes, one per
 * page of the listing and one per create, and, when they are more than the documented budget
 * lets through in a minute, how many minutes that budget takes for them, rounded up.
 */
export interface ApplyCost {
  calls: number;
  listPages: number;
  creates: number;
  /** Only when `calls` is over one minute's budget (60). */
  minutes?: number;
}

/** The plan's cost; undefined when the account was not read, so the pages are not known. */
export function applyCost(result: SyncResult): ApplyCost | undefined {
  const { plan, listPages } = result;
  if (!plan || listPages === undefined) return undefined;
  const creates = plan.create.length;
  const calls = listPages + creates;
  const perMinute = (DOCUMENTED_BUDGET.limit * 60_000) / DOCUMENTED_BUDGET.windowMs;
  const minutes = calls > perMinute ? Math.ceil(calls / perMinute) : undefined;
  return { calls, listPages, creates, ...(minutes === undefined ? {} : { minutes }) };
}

/**
 * What applying costs, in the contract's words: "1001 API calls (1 list page, 1000 creates),
 * about 17 minutes". A validate-only run did not read the account: it says so, and the most
 * creates there can be. Undefined when the account could not be read.
 */
export function costWords(result: SyncResult): Phrase | undefined {
  if (result.mode === 'unchecked') {
    const declared = plural(result.file.subscriptions.length, 'create');
    return phrase`not known, as the account was not read (up to ${declared}, plus its list pages)`;
  }
  const cost = applyCost(result);
  if (!cost) return undefined;
  const { calls, listPages, creates, minutes } = cost;
  const time = minutes === undefined ? '' : `, about ${plural(minutes, 'minute')}`;
  return phrase`${plural(calls, 'API call')} (${plural(listPages, 'list page')}, ${plural(creates, 'create')})${time}`;
}
