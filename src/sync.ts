// list -> plan -> create -> deliver secrets. Knows no shell: the Action and the CLI both call
// `sync` and render its SyncResult. Foreseeable failures end up in the result, never thrown.
import { mapConcurrently } from './concurrency.js';
import { secretNameKey } from './config/secret-names.js';
import type { Subscription, WebhooksFile } from './config/types.js';
import type { Log } from './log.js';
import type { MkpClient } from './mkp/client.js';
import { ApiError } from './mkp/errors.js';
import type { WebhookSecrets } from './mkp/secrets.js';
import type { RemoteWebhook } from './mkp/types.js';
import { sameButSpelling, subscriptionKey } from './matching.js';
import { keptFirst, makePlan, type Plan } from './plan.js';
import type { Outcome, SecretResult, SyncResult } from './result.js';
import { isStale, STALE_REASON, type Clocks } from './secrets/stale.js';
import { SecretTargetError, type SecretTarget, type TargetSecrets } from './secrets/target.js';
import { code, joined, phrase, plainText, type Phrase } from './text/phrase.js';
import { messageOf, plural } from './text/words.js';
import { declaredBy, shownRecordUrl, urlDifference, variablesOf } from './url.js';
import { duplicatesWords } from './verdicts.js';
import { shownSubscription } from './wording.js';

export type ResyncSecrets = 'missing' | 'always' | 'never';

export interface SyncOptions {
  file: WebhooksFile;
  /** Null without an API token: the account is not read (dry-run only). */
  client: MkpClient | null;
  dryRun: boolean;
  /** Null when secrets are not delivered at all (the CLI never handles them). */
  target: SecretTarget | null;
  resync: ResyncSecrets;
  log: Log;
  /** Secret writes at once. */
  writeConcurrency?: number;
  /** Create rounds when outcomes are unknown: create, list, create what is still missing. */
  maxCreateRounds?: number;
  /**
   * Aborted when the run is cancelled: no new create or secret write starts, calls in flight
   * get `graceMs`, and the result says what was done. The client's HTTP layer takes the same
   * signal, so that it sends nothing after it.
   */
  signal?: AbortSignal;
  graceMs?: number;
  /**
   * Told once the plan is made, before anything is created: the Action logs its counts and
   * cost then; the CLI prints them once, in its report.
   */
  onPlan?: (result: SyncResult) => void;
}

/** How long calls in flight may still finish after a cancellation (CONTRACT §4: within 5 s). */
export const CANCEL_GRACE_MS = 2_000;

export async function sync(options: SyncOptions): Promise<SyncResult> {
  const { file, client, dryRun, target, log } = options;
  const cancel = new Cancellation(options.signal, options.graceMs ?? CANCEL_GRACE_MS);
  const result: SyncResult = {
    mode: client === null ? 'unchecked' : dryRun ? 'dry-run' : 'apply',
    file,
    plan: undefined,
    outcomes: file.subscriptions.map((subscription) => ({ subscription })),
    failures: [],
    destination: target && { description: target.description, persistent: target.persistent },
  };
  if (client === null) return result;

  const account = await readAccount(client, options, cancel, result);
  if (!account) return result;
  const plan = makePlan(file.subscriptions, account.listing, file.scope);
  Object.assign(result, { plan, listing: account.listing, listPages: account.listPages });
  result.outcomes = plannedOutcomes(file.subscriptions, plan);
  options.onPlan?.(result);
  const rewritten = rewritesDuplicates(options) ? keptOfDeclaredDuplicates(plan) : NONE;
  for (const group of plan.duplicates) {
    const to = rewritten.has(group[0]!.id) ? target?.description : undefined;
    const words = duplicatesWords(group, file.subscriptions, to);
    log.warning(plainText(phrase`duplicate webhooks on the account: ${words}`));
  }
  const guarded = guardSpellings(result.outcomes, plan, log, dryRun);
  if (dryRun) return result;

  for (const { outcome, message } of guarded) outcome.create = { state: 'failed', message };
  const toCreate = result.outcomes.filter((o) => o.planned === 'create' && !o.create);
  if (toCreate.length > 0 && !cancel.aborted) {
    await log.group(`Create ${plural(toCreate.length, 'webhook')}`, () =>
      createMissing(toCreate, account.listing, client, options, cancel),
    );
  }
  if (target) {
    const clocks: Clocks = { target: account.existing?.clock, account: client.clock };
    const { secrets } = client;
    await deliverSecrets(
      result.outcomes,
      { existing: account.existing, clocks, secrets, target, rewritten },
      options,
      cancel,
    );
  }
  if (cancel.aborted) result.cancelled = cancel.reason;
  return result;
}

/**
 * The account's records and what the secret target already holds, read at once: both are
 * needed before any create. Undefined when either could not be read (the failure is in the
 * result) or the run was cancelled first.
 */
async function readAccount(
  client: MkpClient,
  { target, dryRun, log }: SyncOptions,
  cancel: Cancellation,
  result: SyncResult,
): Promise<
  { listing: RemoteWebhook[]; listPages: number; existing: TargetSecrets | undefined } | undefined
> {
  const read = Promise.all([
    settle(log.group('List webhooks on the account', () => client.listAccount())),
    dryRun || !target ? settle(Promise.resolve(undefined)) : settle(target.prepare()),
  ]);
  const both = await cancel.race(read);
  // A read the cancellation kept from being sent counts as cancelled, not as a failed read.
  const cutShort = both !== CANCELLED && cancel.aborted && both.some((outcome) => !outcome.ok);
  if (both === CANCELLED || cutShort) {
    result.cancelled = cancel.reason;
    result.failures.push('the run was cancelled while it read the account; nothing was created');
    return undefined;
  }
  const [listing, existing] = both;
  for (const outcome of [listing, existing]) {
    if (outcome.ok) continue;
    result.failures.push(messageOf(outcome.error));
    log.error(messageOf(outcome.error));
  }
  if (listing.ok && existing.ok) {
    const { records, pages } = listing.value;
    return { listing: records, listPages: pages, existing: existing.value };
  }
  log.error(
    dryRun
      ? 'no plan: the account could not be read'
      : 'nothing was created: the run stops before any change when it cannot read the account or the secret target',
  );
  return undefined;
}

/**
 * One outcome per declared subscription with the plan's verdict: to create, or unchanged with
 * the record found (and how many copies the account holds of it).
 */
export function plannedOutcomes(declared: readonly Subscription[], plan: Plan): Outcome[] {
  const created = new Set(plan.create);
  const found = new Map(plan.unchanged.map(({ subscription, remote }) => [subscription, remote]));
  const copies = new Map(plan.duplicates.flatMap((group) => group.map((r) => [r, group.length])));
  return declared.map((subscription): Outcome => {
    if (created.has(subscription)) return { subscription, planned: 'create' };
    const record = found.get(subscription);
    if (!record) return { subscription };
    const times = copies.get(record);
    return { subscription, planned: 'unchanged', record, ...(times ? { copies: times } : {}) };
  });
}

/**
 * The create guard (README "Decisions"): a declared subscription whose only near twin on the
 * account differs in a trailing slash, percent-encoding or path case is not created, because
 * an API that stores URLs that way would otherwise get one more record on every run.
 */
function guardSpellings(
  outcomes: readonly Outcome[],
  plan: Plan,
  log: Log,
  dryRun: boolean,
): Array<{ outcome: Outcome; message: Phrase }> {
  const guarded: Array<{ outcome: Outcome; message: Phrase }> = [];
  for (const outcome of outcomes) {
    if (outcome.planned !== 'create') continue;
    const twin = sameButSpelling(outcome.subscription, plan.unmanaged);
    if (!twin) continue;
    const url = code(shownRecordUrl(twin.url, [outcome.subscription]));
    const message = phrase`the account already has ${twin.id}, ${twin.type} to ${url}, which differs from the file only in a trailing slash, percent-encoding or the case of the path (the API may store URLs that way); ${declareAs(outcome.subscription, twin.url)}. ${dryRun ? 'An apply does not create it' : 'Nothing was created'}, so that no second record is made`;
    guarded.push({ outcome, message });
    const what = shownSubscription(outcome.subscription);
    if (dryRun) log.warning(plainText(phrase`${what}: ${message}`));
    else log.error(plainText(phrase`not creating ${what}: ${message}`));
  }
  return guarded;
}

/** Creates the missing subscriptions; a create with a lost answer is looked up before a retry. */
async function createMissing(
  toCreate: Outcome[],
  listed: RemoteWebhook[],
  client: MkpClient,
  options: SyncOptions,
  cancel: Cancellation,
): Promise<void> {
  const creates = new Creates(toCreate.length, listed, options.log);
  const rounds = options.maxCreateRounds ?? 3;
  let pending = toCreate;
  for (let round = 1; pending.length > 0; round++) {
    const unknown = await createOnce(pending, client, creates, cancel);
    if (unknown === CANCELLED || unknown.length === 0) return;
    if (cancel.aborted) {
      return creates.failAll(unknown, phrase`; the run was cancelled before it could look`);
    }
    if (round >= rounds) {
      const next = phrase`; the next run lists the account first and creates it only if it is still missing`;
      return creates.failAll(unknown, next);
    }
    options.log.warning(
      `${plural(unknown.length, 'create')} ended without a clear answer; listing the account before trying again`,
    );
    pending = await lookForUnknown(unknown, client, creates);
  }
}

type Unknown = Array<{ outcome: Outcome; error: ApiError }>;

/**
 * One round: every pending create at once (the HTTP layer paces them within the rate limit, and
 * sends none after the run is cancelled: those stay "not created"). Resolves to the creates
 * whose outcome is unknown, or CANCELLED once the grace time is over.
 */
async function createOnce(
  pending: Outcome[],
  client: MkpClient,
  creates: Creates,
  cancel: Cancellation,
): Promise<Unknown | typeof CANCELLED> {
  const unknown: Unknown = [];
  const inFlight = new Set<Outcome>();
  const round = Promise.all(
    pending.map(async (outcome) => {
      const { subscription } = outcome;
      inFlight.add(outcome);
      try {
        const record = await client.createWebhook(subscription.url, subscription.event);
        if (!cancel.closed) creates.succeed(outcome, record, false);
      } catch (error) {
        if (cancel.closed) return; // too late: the run has already reported
        if (error instanceof ApiError && error.failure === 'cancelled') return;
        if (error instanceof ApiError && error.failure === 'outcome-unknown') {
          unknown.push({ outcome, error });
        } else {
          creates.fail(outcome, phrase`${messageOf(error)}`);
        }
      } finally {
        inFlight.delete(outcome);
      }
    }),
  );
  if ((await cancel.race(round)) !== CANCELLED) return unknown;
  cancel.close();
  for (const outcome of inFlight) {
    creates.fail(
      outcome,
      phrase`the run was cancelled while this create was under way, so whether it was made is unknown; the next run lists the account first and creates it only if it is still missing`,
    );
  }
  return CANCELLED;
}

/**
 * Lists the account again after creates whose answer was lost: a new record of the same event
 * and URL is the one made (adopted); the rest is still missing and goes to the next round.
 */
async function lookForUnknown(
  unknown: Unknown,
  client: MkpClient,
  creates: Creates,
): Promise<Outcome[]> {
  let relisted: RemoteWebhook[];
  try {
    relisted = await client.listWebhooks();
  } catch (error) {
    for (const { outcome } of unknown) {
      creates.fail(
        outcome,
        phrase`the create ended without a clear answer and the account could not be listed again (${messageOf(error)}); the next run lists first and creates it only if it is still missing`,
      );
    }
    return [];
  }
  const fresh = new Map<string, RemoteWebhook>();
  // Two new records for one key (another run created it too): the one the duplicate rule keeps.
  for (const record of [...relisted].sort(keptFirst)) {
    const key = subscriptionKey(record.type, record.url);
    if (!creates.known.has(record.id) && !fresh.has(key)) fresh.set(key, record);
  }
  const missing: Outcome[] = [];
  for (const { outcome } of unknown) {
    const { subscription } = outcome;
    const record = fresh.get(subscriptionKey(subscription.event, subscription.url));
    if (record) creates.succeed(outcome, record, true);
    else missing.push(outcome);
  }
  return missing;
}

/** What the creates came to, as they finish: each outcome set once, and said in the log. */
class Creates {
  /** Ids of the records on the account before and made in this run. */
  readonly known: Set<string>;
  private made = 0;

  constructor(
    private readonly total: number,
    listed: readonly RemoteWebhook[],
    private readonly log: Log,
  ) {
    this.known = new Set(listed.map((record) => record.id));
  }

  succeed(outcome: Outcome, record: RemoteWebhook, adopted: boolean): void {
    this.known.add(record.id);
    outcome.record = record;
    outcome.create = {
      state: 'created',
      adopted,
      ...storedOtherwise(outcome.subscription, record),
    };
    const what = shownSubscription(outcome.subscription);
    const { storedOtherwise: other } = outcome.create;
    if (other) this.log.error(plainText(phrase`created ${what}, but ${other}`));
    const found = adopted ? ' (found on the account after the answer was lost)' : '';
    this.log.info(`created ${++this.made}/${this.total} ${plainText(what)}${found}`);
  }

  fail(outcome: Outcome, message: Phrase): void {
    outcome.create = { state: 'failed', message };
    const what = shownSubscription(outcome.subscription);
    this.log.error(plainText(phrase`failed to create ${what}: ${message}`));
  }

  failAll(unknown: Unknown, why: Phrase): void {
    for (const { outcome, error } of unknown) this.fail(outcome, phrase`${messageOf(error)}${why}`);
  }
}

/**
 * The create answer checked with the plan's matching rule (CONTRACT §4): a record stored with
 * another type or URL is not what the file declares, and says what to declare instead.
 */
function storedOtherwise(
  subscription: Subscription,
  record: RemoteWebhook,
): { storedOtherwise?: Phrase } {
  const declared = subscriptionKey(subscription.event, subscription.url);
  if (subscriptionKey(record.type, record.url) === declared) return {};
  const url = code(shownRecordUrl(record.url, [subscription]));
  const stored = phrase`the API stored it as ${record.id}, ${record.type} to ${url}`;
  return {
    storedOtherwise:
      record.type === subscription.event
        ? phrase`${stored}: ${declareAs(subscription, record.url)} so that later runs match it (until then they create nothing for it)`
        : phrase`${stored}, another event than was asked: remove ${record.id} in the manage portal`,
  };
}

/**
 * What to declare for a URL the API stores in another spelling: the URL itself, or, when a
 * `${VAR}` of the file gave its host or path (a value that may hold a token, CONTRACT §4), the
 * variable's name and what the API changed, never the value.
 */
function declareAs(subscription: Subscription, stored: string): Phrase {
  const from = declaredBy(stored, [subscription]);
  if (!from) return phrase`declare it as ${code(shownRecordUrl(stored, []))}`;
  const names = variablesOf(from.template!).map((name) => phrase`${code(`\${${name}}`)}`);
  const difference = urlDifference(subscription.url, stored) ?? 'the API stored it as it is';
  const gives = names.length === 1 ? phrase`gives` : phrase`give`;
  return phrase`${difference} to the URL that ${joined(names, ', ')} ${gives}: set ${joined(names, ', ')} to the URL as the API stores it`;
}

/** What delivering secrets needs besides the outcomes: where to, and what is there already. */
interface Delivery {
  existing: TargetSecrets | undefined;
  clocks: Clocks;
  secrets: WebhookSecrets;
  target: SecretTarget;
  /** Kept records of declared duplicate groups, whose secret is written every run. */
  rewritten: ReadonlySet<string>;
}

type SecretTask = { outcome: Outcome; record: RemoteWebhook; reason: SecretResult['reason'] };

/**
 * Delivers the secrets of new webhooks, and of existing ones as resync-secrets says: missing
 * or stale at a GitHub target, or all of them to the step outputs, which cannot tell.
 */
async function deliverSecrets(
  outcomes: Outcome[],
  delivery: Delivery,
  options: SyncOptions,
  cancel: Cancellation,
): Promise<void> {
  const todo = secretsToDeliver(outcomes, delivery, options.resync);
  if (todo.length === 0) return;
  const { log } = options;
  const { target } = delivery;
  await log.group(`Deliver ${plural(todo.length, 'secret')} to ${target.description}`, async () => {
    let done = 0;
    const progress = () => `${++done}/${todo.length}`;
    const inFlight = new Set<SecretTask>();
    const writes = mapConcurrently(todo, options.writeConcurrency ?? 4, async (task) => {
      // Step outputs cost nothing and heal the next step: they are delivered even when cancelled.
      if (cancel.aborted && target.persistent) {
        const message = phrase`the run was cancelled before it was written; the next run writes it`;
        task.outcome.secret = { reason: task.reason, state: 'failed', message };
        return;
      }
      inFlight.add(task);
      await writeSecret(task, delivery, { log, progress }, cancel);
      inFlight.delete(task);
    });
    if ((await cancel.race(writes)) !== CANCELLED) return;
    cancel.close();
    for (const { outcome, reason } of inFlight) {
      const message = phrase`the run was cancelled while it was written; the next run checks and writes it`;
      outcome.secret = { reason, state: 'failed', message };
    }
  });
}

/** Which secrets this run delivers, and why; in the file's order. */
function secretsToDeliver(
  outcomes: readonly Outcome[],
  { existing, clocks, rewritten }: Delivery,
  resync: ResyncSecrets,
): SecretTask[] {
  const todo: SecretTask[] = [];
  for (const outcome of outcomes) {
    const { record, create, subscription } = outcome;
    if (!record) continue;
    const reason =
      create?.state === 'created'
        ? 'created'
        : rewritten.has(record.id)
          ? 'duplicate'
          : resyncReason(subscription, record, resync, existing, clocks);
    if (reason) todo.push({ outcome, record, reason });
  }
  return todo;
}

/**
 * Writes one secret and records what came of it, with a log line that counts `progress`. A new
 * webhook's secret written over one of the same name says so: a rotation, or a clash.
 */
async function writeSecret(
  { outcome, record, reason }: SecretTask,
  { existing, secrets, target }: Delivery,
  { log, progress }: { log: Log; progress: () => string },
  cancel: Cancellation,
): Promise<void> {
  const { secretName } = outcome.subscription;
  const updatedAt = existing?.updatedAt.get(secretNameKey(secretName));
  const replaced =
    reason === 'created' && existing?.updatedAt.has(secretNameKey(secretName))
      ? (updatedAt ?? 'an unknown time')
      : undefined;
  try {
    const secret = secrets.of(record.id);
    if (!secret) throw new Error('the API returned no secret for this webhook');
    await target.write(secretName, secret);
    if (cancel.closed) return;
    outcome.secret = { reason, state: 'written', ...(replaced ? { replaced } : {}) };
    const why =
      reason === 'stale'
        ? ` (${STALE_REASON}, ${updatedAt ?? 'an unknown time'})`
        : reason === 'duplicate'
          ? ` (of ${record.id}, the oldest of its duplicates)`
          : '';
    log.info(`wrote secret ${progress()} ${secretName}${why}`);
    if (replaced) {
      log.warning(
        `secret ${secretName} already existed at ${target.description} (last written ${replaced}); it now holds the secret of the webhook created in this run. That is the expected rotation when the webhook was deleted or re-created in the manage portal; if the name belongs to something else, give this entry another \`secret\` template`,
      );
    }
  } catch (error) {
    if (cancel.closed) return;
    const message = messageOf(error);
    // A target that is full: no run can write it until someone acts there.
    const blocked = error instanceof SecretTargetError ? error.blocked : undefined;
    outcome.secret = {
      reason,
      state: 'failed',
      message: phrase`${message}`,
      ...(blocked ? { blocked } : {}),
    };
    log.error(`failed to write secret ${secretName}: ${message}`);
  }
}

/** Why an existing webhook's secret is delivered in this run, or undefined when it is not. */
function resyncReason(
  subscription: Subscription,
  record: RemoteWebhook,
  resync: ResyncSecrets,
  existing: TargetSecrets | undefined,
  clocks: Clocks,
): SecretResult['reason'] | undefined {
  if (resync === 'never') return undefined;
  // The step outputs cannot be asked what they hold: they get the whole declared set.
  if (existing === undefined) return 'outputs';
  if (resync === 'always') return 'always';
  const name = secretNameKey(subscription.secretName);
  if (!existing.updatedAt.has(name)) return 'missing';
  return isStale(existing.updatedAt.get(name), record.createdAt, clocks) ? 'stale' : undefined;
}

const NONE: ReadonlySet<string> = new Set();

/**
 * An apply to a GitHub secret store writes the kept record's secret of a declared duplicate
 * group every run (CONTRACT §2): whichever run wrote last may have written a newer record's,
 * and the stale rule cannot see that (the write came after the kept record was created).
 */
function rewritesDuplicates(options: SyncOptions): boolean {
  return !options.dryRun && options.target?.persistent === true && options.resync !== 'never';
}

/** The ids of the kept records of duplicate groups that a declaration matches. */
function keptOfDeclaredDuplicates(plan: Plan): Set<string> {
  const kept = new Set(plan.duplicates.map((group) => group[0]!.id));
  return new Set(plan.unchanged.flatMap(({ remote }) => (kept.has(remote.id) ? [remote.id] : [])));
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

const CANCELLED = Symbol('cancelled');

/**
 * A run's cancellation: `aborted` once the signal fires; `race` lets a promise finish within
 * the grace time after that; `closed` once the run has given up on what is still under way.
 */
class Cancellation {
  closed = false;
  private readonly deadline: Promise<typeof CANCELLED>;

  constructor(
    private readonly signal: AbortSignal | undefined,
    graceMs: number,
  ) {
    this.deadline = new Promise((resolve) => {
      if (!signal) return;
      const start = () => setTimeout(() => resolve(CANCELLED), graceMs).unref();
      if (signal.aborted) start();
      else signal.addEventListener('abort', start, { once: true });
    });
  }

  get aborted(): boolean {
    return this.signal?.aborted === true;
  }

  get reason(): string {
    const reason: unknown = this.signal?.reason;
    return typeof reason === 'string' ? reason : 'cancelled';
  }

  race<T>(promise: Promise<T>): Promise<T | typeof CANCELLED> {
    return Promise.race([promise, this.deadline]);
  }

  close(): void {
    this.closed = true;
  }
}
