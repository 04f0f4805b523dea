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
import { HTTP_DEFAULTS } from './mkp/http.js';
import { sameButSpelling, subscriptionKey } from './matching.js';
import { keptFirst, makePlan, shownRecordUrl, type Plan } from './plan.js';
import { isStale, STALE_REASON, type Clocks } from './secrets/stale.js';
import { SecretTargetError, type SecretTarget, type TargetSecrets } from './secrets/target.js';
import { redactUrl } from './url.js';
import {
  duplicateRewriteSentence,
  duplicatesSentence,
  messageOf,
  plural,
  shownSubscription,
} from './wording.js';

export type ResyncSecrets = 'missing' | 'always' | 'never';
export type RunMode = 'apply' | 'dry-run' | 'unchecked';

export interface SyncOptions {
  file: WebhooksFile;
  /** On a pull request: the base branch's file, planned against the same listing. */
  base?: WebhooksFile;
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
   * get `graceMs`, and the result says what was done.
   */
  signal?: AbortSignal;
  graceMs?: number;
}

/** How long calls in flight may still finish after a cancellation (CONTRACT §4: within 5 s). */
export const CANCEL_GRACE_MS = 2_000;

/** What the create of a planned subscription came to. */
export type CreateResult =
  /** Made; `adopted` when found by listing after a create whose answer was lost. */
  | {
      state: 'created';
      adopted: boolean;
      /** The API stored another type or URL than was sent: what to declare instead (a failure). */
      storedOtherwise?: string;
    }
  | { state: 'failed'; message: string };

/** What the delivery of a subscription's secret came to. */
export interface SecretResult {
  /**
   * Why it was delivered: a new webhook; missing or stale at the target (resync-secrets:
   * missing); every run (always); the kept record of a duplicate group, every run while the
   * group exists (CONTRACT §2); or the step outputs, which get every declared webhook's
   * secret because they cannot be asked what they lack.
   */
  reason: 'created' | 'missing' | 'stale' | 'always' | 'duplicate' | 'outputs';
  state: 'written' | 'failed';
  message?: string;
  /** When a new webhook's secret was written over a secret of that name: its `updated_at`. */
  replaced?: string;
  /** A failed write that no run can repeat until this is done at the target (it is full). */
  blocked?: string;
}

/**
 * One declared subscription and everything this run did for it: the plan's verdict, then the
 * create, then the secret. Holds no secret value.
 */
export interface Outcome {
  subscription: Subscription;
  /** Absent when the account was not read (no token, or the listing failed). */
  planned?: 'create' | 'unchanged';
  /** The record on the account: the one found (unchanged) or the one made in this run. */
  record?: RemoteWebhook;
  create?: CreateResult;
  secret?: SecretResult;
}

/** Where this run delivers secrets, as people read it; no secret values. */
export interface SecretDestination {
  description: string;
  /** A GitHub secret store (a write is a change), rather than the step outputs. */
  persistent: boolean;
}

export interface SyncResult {
  mode: RunMode;
  file: WebhooksFile;
  /** Undefined when the account was not read (no token) or could not be listed. */
  plan: Plan | undefined;
  /** The base file's plan against the same listing, when `base` was given and the account read. */
  basePlan?: Plan;
  /** One per declared subscription, in the file's order. */
  outcomes: Outcome[];
  /** Failures that concern no single subscription: listing, the secret target. */
  failures: string[];
  /** Null when this run delivers no secrets (the CLI). */
  destination: SecretDestination | null;
  /** The signal that cancelled the run (SIGINT, SIGTERM, SIGBREAK), when one did. */
  cancelled?: string;
}

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

  // The secret target is read while the account is listed: both are needed before any create.
  const read = Promise.all([
    settle(log.group('List webhooks on the account', () => client.listWebhooks())),
    dryRun || !target ? settle(Promise.resolve(undefined)) : settle(target.prepare()),
  ]);
  const both = await cancel.race(read);
  if (both === CANCELLED) {
    result.cancelled = cancel.reason;
    result.failures.push('the run was cancelled while it read the account; nothing was created');
    return result;
  }
  const [listing, existing] = both;
  for (const outcome of [listing, existing]) {
    if (outcome.ok) continue;
    result.failures.push(messageOf(outcome.error));
    log.error(messageOf(outcome.error));
  }
  if (!listing.ok || !existing.ok) {
    log.error(
      dryRun
        ? 'no plan: the account could not be read'
        : 'nothing was created: the run stops before any change when it cannot read the account or the secret target',
    );
    return result;
  }

  const plan = makePlan(file.subscriptions, listing.value, file.scope);
  result.plan = plan;
  if (options.base) {
    result.basePlan = makePlan(options.base.subscriptions, listing.value, options.base.scope);
  }
  const outcomeOf = new Map(result.outcomes.map((o) => [o.subscription, o]));
  for (const subscription of plan.create) outcomeOf.get(subscription)!.planned = 'create';
  for (const { subscription, remote } of plan.unchanged) {
    Object.assign(outcomeOf.get(subscription)!, { planned: 'unchanged', record: remote });
  }
  log.info(
    `plan: ${plan.create.length} to create, ${plan.unchanged.length} unchanged, ${plan.unmanaged.length} unmanaged`,
  );
  const rewritten = rewritesDuplicates(options)
    ? keptOfDeclaredDuplicates(plan)
    : new Set<string>();
  warnAboutDuplicates(plan, file.subscriptions, log, rewritten, target?.description);
  const guarded = guardSpellings(plan, log, dryRun);
  if (dryRun) return result;

  for (const { subscription, message } of guarded) {
    outcomeOf.get(subscription)!.create = { state: 'failed', message };
  }
  const toCreate = result.outcomes.filter((o) => o.planned === 'create' && !o.create);
  if (toCreate.length > 0 && !cancel.aborted) {
    await log.group(`Create ${plural(toCreate.length, 'webhook')}`, () =>
      createMissing(toCreate, listing.value, client, options, cancel),
    );
  }
  if (target) {
    const clocks: Clocks = { target: existing.value?.clock, account: client.clock };
    await deliverSecrets(
      result.outcomes,
      existing.value,
      clocks,
      client.secrets,
      target,
      options,
      cancel,
      rewritten,
    );
  }
  if (cancel.aborted) result.cancelled = cancel.reason;
  return result;
}

/**
 * The create guard (README "Decisions"): a declared subscription whose only near twin on the
 * account differs in a trailing slash, percent-encoding or path case is not created, because
 * an API that stores URLs that way would otherwise get one more record on every run.
 */
function guardSpellings(
  plan: Plan,
  log: Log,
  dryRun: boolean,
): Array<{ subscription: Subscription; message: string }> {
  const guarded: Array<{ subscription: Subscription; message: string }> = [];
  for (const subscription of plan.create) {
    const twin = sameButSpelling(subscription, plan.unmanaged);
    if (!twin) continue;
    const message = `the account already has ${twin.id}, ${twin.type} to \`${redactUrl(twin.url)}\`, which differs from the file only in a trailing slash, percent-encoding or the case of the path (the API may store URLs that way); declare it as \`${redactUrl(twin.url)}\`. ${dryRun ? 'An apply does not create it' : 'Nothing was created'}, so that no second record is made`;
    guarded.push({ subscription, message });
    if (dryRun) log.warning(`${shownSubscription(subscription)}: ${message}`);
    else log.error(`not creating ${shownSubscription(subscription)}: ${message}`);
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
  const { log } = options;
  const total = toCreate.length;
  let made = 0;
  const known = new Set(listed.map((record) => record.id));
  let pending = toCreate;
  const rounds = options.maxCreateRounds ?? 3;
  const fail = (outcome: Outcome, message: string): void => {
    outcome.create = { state: 'failed', message };
    log.error(`failed to create ${shownSubscription(outcome.subscription)}: ${message}`);
  };
  const succeed = (outcome: Outcome, record: RemoteWebhook, adopted: boolean): void => {
    known.add(record.id);
    outcome.record = record;
    outcome.create = { state: 'created', adopted };
    checkAnswer(outcome, log);
    const found = adopted ? ' (found on the account after the answer was lost)' : '';
    log.info(`created ${++made}/${total} ${shownSubscription(outcome.subscription)}${found}`);
  };
  for (let round = 1; pending.length > 0; round++) {
    const unknown: Array<{ outcome: Outcome; error: ApiError }> = [];
    const inFlight = new Set<Outcome>();
    // As many at once as the HTTP layer runs (it keeps within the rate limit); each create
    // starts only while the run is not cancelled.
    const creates = mapConcurrently(pending, HTTP_DEFAULTS.concurrency, async (outcome) => {
      if (cancel.aborted) return;
      const { subscription } = outcome;
      inFlight.add(outcome);
      try {
        const record = await client.createWebhook(subscription.url, subscription.event);
        if (cancel.closed) return; // too late: the run has already reported
        succeed(outcome, record, false);
      } catch (error) {
        if (cancel.closed) return;
        if (error instanceof ApiError && error.failure === 'outcome-unknown') {
          unknown.push({ outcome, error });
        } else {
          fail(outcome, messageOf(error));
        }
      } finally {
        inFlight.delete(outcome);
      }
    });
    if ((await cancel.race(creates)) === CANCELLED) {
      cancel.close();
      for (const outcome of inFlight) {
        fail(
          outcome,
          'the run was cancelled while this create was under way, so whether it was made is unknown; the next run lists the account first and creates it only if it is still missing',
        );
      }
      return;
    }
    if (cancel.aborted) {
      for (const { outcome, error } of unknown) {
        fail(outcome, `${messageOf(error)}; the run was cancelled before it could look`);
      }
      return;
    }
    if (unknown.length === 0) return;
    if (round >= rounds) {
      for (const { outcome, error } of unknown) {
        fail(
          outcome,
          `${messageOf(error)}; the next run lists the account first and creates it only if it is still missing`,
        );
      }
      return;
    }
    log.warning(
      `${plural(unknown.length, 'create')} ended without a clear answer; listing the account before trying again`,
    );
    let relisted: RemoteWebhook[];
    try {
      relisted = await client.listWebhooks();
    } catch (error) {
      for (const { outcome } of unknown) {
        fail(
          outcome,
          `the create ended without a clear answer and the account could not be listed again (${messageOf(error)}); the next run lists first and creates it only if it is still missing`,
        );
      }
      return;
    }
    const fresh = new Map<string, RemoteWebhook>();
    // Two new records for one key (another run created it too): the one the duplicate rule keeps.
    for (const record of [...relisted].sort(keptFirst)) {
      const key = subscriptionKey(record.type, record.url);
      if (!known.has(record.id) && !fresh.has(key)) fresh.set(key, record);
    }
    pending = [];
    for (const { outcome } of unknown) {
      const { subscription } = outcome;
      const record = fresh.get(subscriptionKey(subscription.event, subscription.url));
      if (record) succeed(outcome, record, true);
      else pending.push(outcome);
    }
  }
}

/**
 * The create answer checked with the plan's matching rule (CONTRACT §4): a record stored with
 * another type or URL is not what the file declares, and says what to declare instead.
 */
function checkAnswer(outcome: Outcome, log: Log): void {
  const { subscription, record, create } = outcome;
  if (
    !record ||
    create?.state !== 'created' ||
    subscriptionKey(record.type, record.url) ===
      subscriptionKey(subscription.event, subscription.url)
  ) {
    return;
  }
  const stored = `${record.type} to \`${redactUrl(record.url)}\``;
  create.storedOtherwise =
    record.type === subscription.event
      ? `the API stored it as ${record.id}, ${stored}: declare it as \`${redactUrl(record.url)}\` so that later runs match it (until then they create nothing for it)`
      : `the API stored it as ${record.id}, ${stored}, another event than was asked: remove ${record.id} in the manage portal`;
  log.error(`created ${shownSubscription(subscription)}, but ${create.storedOtherwise}`);
}

/**
 * Delivers the secrets of new webhooks, and of existing ones as resync-secrets says: missing
 * or stale at a GitHub target, or all of them to the step outputs, which cannot tell.
 */
async function deliverSecrets(
  outcomes: Outcome[],
  existing: TargetSecrets | undefined,
  clocks: Clocks,
  secrets: WebhookSecrets,
  target: SecretTarget,
  options: SyncOptions,
  cancel: Cancellation,
  rewritten: ReadonlySet<string>,
): Promise<void> {
  const { resync, log } = options;
  const todo: Array<{ outcome: Outcome; record: RemoteWebhook; reason: SecretResult['reason'] }> =
    [];
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
  if (todo.length === 0) return;

  const updatedAt = (s: Subscription) => existing?.updatedAt.get(secretNameKey(s.secretName));
  await log.group(`Deliver ${plural(todo.length, 'secret')} to ${target.description}`, async () => {
    let done = 0;
    const inFlight = new Set<(typeof todo)[number]>();
    const writes = mapConcurrently(todo, options.writeConcurrency ?? 4, async (item) => {
      const { outcome, reason } = item;
      const { subscription } = outcome;
      // Step outputs cost nothing and heal the next step: they are delivered even when cancelled.
      if (cancel.aborted && target.persistent) {
        outcome.secret = {
          reason,
          state: 'failed',
          message: `the run was cancelled before it was written; the next run writes it`,
        };
        return;
      }
      inFlight.add(item);
      const replaced =
        reason === 'created' && existing?.updatedAt.has(secretNameKey(subscription.secretName))
          ? (updatedAt(subscription) ?? 'an unknown time')
          : undefined;
      try {
        const secret = secrets.of(item.record.id);
        if (!secret) throw new Error('the API returned no secret for this webhook');
        await target.write(subscription.secretName, secret);
        if (cancel.closed) return;
        outcome.secret = { reason, state: 'written', ...(replaced ? { replaced } : {}) };
        const why =
          reason === 'stale'
            ? ` (${STALE_REASON}, ${updatedAt(subscription)})`
            : reason === 'duplicate'
              ? ` (of ${item.record.id}, the oldest of its duplicates)`
              : '';
        log.info(`wrote secret ${++done}/${todo.length} ${subscription.secretName}${why}`);
        if (replaced) {
          log.warning(
            `secret ${subscription.secretName} already existed at ${target.description} (last written ${replaced}); it now holds the secret of the webhook created in this run. That is the expected rotation when the webhook was deleted or re-created in the manage portal; if the name belongs to something else, give this entry another \`secret\` template`,
          );
        }
      } catch (error) {
        if (cancel.closed) return;
        const message = messageOf(error);
        const blocked = error instanceof SecretTargetError ? error.blocked : undefined;
        outcome.secret = { reason, state: 'failed', message, ...(blocked ? { blocked } : {}) };
        log.error(`failed to write secret ${subscription.secretName}: ${message}`);
      } finally {
        inFlight.delete(item);
      }
    });
    if ((await cancel.race(writes)) === CANCELLED) {
      cancel.close();
      for (const { outcome, reason } of inFlight) {
        outcome.secret = {
          reason,
          state: 'failed',
          message: 'the run was cancelled while it was written; the next run checks and writes it',
        };
      }
    }
  });
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

function warnAboutDuplicates(
  plan: Plan,
  declared: Subscription[],
  log: Log,
  rewritten: ReadonlySet<string>,
  target: string | undefined,
): void {
  for (const group of plan.duplicates) {
    const kept = group[0]!;
    const url = shownRecordUrl(kept, declared);
    const why =
      rewritten.has(kept.id) && target ? `; ${duplicateRewriteSentence(kept.id, target)}` : '';
    log.warning(`duplicate webhooks on the account: ${duplicatesSentence(group, url)}${why}`);
  }
}

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
