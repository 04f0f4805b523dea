import { mapConcurrently } from './concurrency.js';
import type { Subscription, WebhooksFile } from './config/types.js';
import type { Log } from './log.js';
import type { MkpClient } from './mkp/client.js';
import { ApiError } from './mkp/errors.js';
import type { RemoteWebhook } from './mkp/types.js';
import { makePlan, shownRecordUrl, subscriptionKey, type Plan } from './plan.js';
import type { SecretTarget } from './secrets/target.js';
import { shownUrl } from './url.js';

/**
 * list -> plan -> create -> deliver secrets. Knows no shell: the Action and the CLI both call
 * `sync` and render its SyncResult. Foreseeable failures end up in the result, never thrown.
 */
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
}

export interface Created {
  subscription: Subscription;
  remote: RemoteWebhook;
  /** Found by listing after a create whose answer was lost. */
  adopted: boolean;
}

export interface CreateFailure {
  subscription: Subscription;
  message: string;
}

export interface Delivery {
  subscription: Subscription;
  /** Why this secret was delivered. */
  reason: 'created' | 'missing' | 'always';
  outcome: 'written' | 'failed';
  message?: string;
}

export interface SyncResult {
  mode: RunMode;
  file: WebhooksFile;
  /** Undefined when the account was not read (no token) or could not be listed. */
  plan: Plan | undefined;
  /** The base file's plan against the same listing, when `base` was given and the account read. */
  basePlan?: Plan;
  created: Created[];
  createFailures: CreateFailure[];
  deliveries: Delivery[];
  /** Failures that concern no single subscription: listing, the secret target. */
  failures: string[];
  target: SecretTarget | null;
}

export async function sync(options: SyncOptions): Promise<SyncResult> {
  const { file, client, dryRun, target, log } = options;
  const result: SyncResult = {
    mode: client === null ? 'unchecked' : dryRun ? 'dry-run' : 'apply',
    file,
    plan: undefined,
    created: [],
    createFailures: [],
    deliveries: [],
    failures: [],
    target,
  };
  if (client === null) return result;

  // The secret target is read while the account is listed: both are needed before any create.
  const [listing, existing] = await Promise.all([
    settle(log.group('List webhooks on the account', () => client.listWebhooks())),
    dryRun || !target ? settle(Promise.resolve(undefined)) : settle(target.prepare()),
  ]);
  for (const outcome of [listing, existing]) {
    if (outcome.ok) continue;
    result.failures.push(describe(outcome.error));
    log.error(describe(outcome.error));
  }
  if (!listing.ok || !existing.ok) {
    log.error(
      'nothing was created: the run stops before any change when it cannot read the account or the secret target',
    );
    return result;
  }

  const plan = makePlan(file.subscriptions, listing.value, file.scope);
  result.plan = plan;
  if (options.base) {
    result.basePlan = makePlan(options.base.subscriptions, listing.value, options.base.scope);
  }
  log.info(
    `plan: ${plan.create.length} to create, ${plan.unchanged.length} unchanged, ${plan.unmanaged.length} unmanaged`,
  );
  warnAboutDuplicates(plan, file.subscriptions, log);
  if (dryRun) return result;

  if (plan.create.length > 0) {
    await log.group(`Create ${count(plan.create.length, 'webhook')}`, () =>
      createMissing(plan, listing.value, client, options, result),
    );
    // The creates finish in any order; the outputs and the report follow the plan's order.
    sortBySubscription(result.created, plan.create);
    sortBySubscription(result.createFailures, plan.create);
  }
  if (target) await deliverSecrets(plan, existing.value, target, options, result);
  return result;
}

/** Creates the missing subscriptions; a create with a lost answer is looked up before a retry. */
async function createMissing(
  plan: Plan,
  listed: RemoteWebhook[],
  client: MkpClient,
  options: SyncOptions,
  result: SyncResult,
): Promise<void> {
  const { log } = options;
  const total = plan.create.length;
  const known = new Set(listed.map((record) => record.id));
  let pending = plan.create;
  const rounds = options.maxCreateRounds ?? 3;
  const fail = (subscription: Subscription, message: string): void => {
    result.createFailures.push({ subscription, message });
    log.error(`failed to create ${label(subscription)}: ${message}`);
  };
  for (let round = 1; pending.length > 0; round++) {
    const unknown: Array<{ subscription: Subscription; error: ApiError }> = [];
    // All at once: the HTTP layer bounds concurrency and keeps within the rate limit.
    await Promise.all(
      pending.map(async (subscription) => {
        try {
          const remote = await client.createWebhook(subscription.url, subscription.event);
          known.add(remote.id);
          result.created.push({ subscription, remote, adopted: false });
          log.info(`created ${result.created.length}/${total} ${label(subscription)}`);
        } catch (error) {
          if (error instanceof ApiError && error.failure === 'outcome-unknown') {
            unknown.push({ subscription, error });
          } else {
            fail(subscription, describe(error));
          }
        }
      }),
    );
    if (unknown.length === 0) return;
    if (round >= rounds) {
      for (const { subscription, error } of unknown) {
        fail(
          subscription,
          `${describe(error)}; the next run lists the account first and creates it only if it is still missing`,
        );
      }
      return;
    }
    log.warning(
      `${count(unknown.length, 'create')} ended without a clear answer; listing the account before trying again`,
    );
    let relisted: RemoteWebhook[];
    try {
      relisted = await client.listWebhooks();
    } catch (error) {
      for (const { subscription } of unknown) {
        fail(
          subscription,
          `the create ended without a clear answer and the account could not be listed again (${describe(error)}); the next run lists first and creates it only if it is still missing`,
        );
      }
      return;
    }
    const fresh = new Map<string, RemoteWebhook>();
    for (const record of relisted) {
      const key = subscriptionKey(record.type, record.url);
      if (!known.has(record.id) && !fresh.has(key)) fresh.set(key, record);
    }
    pending = [];
    for (const { subscription } of unknown) {
      const remote = fresh.get(subscriptionKey(subscription.event, subscription.url));
      if (remote) {
        known.add(remote.id);
        result.created.push({ subscription, remote, adopted: true });
        log.info(
          `created ${result.created.length}/${total} ${label(subscription)} (found on the account after the answer was lost)`,
        );
      } else {
        pending.push(subscription);
      }
    }
  }
}

/** Delivers the secrets of new webhooks, and of existing ones as resync-secrets says. */
async function deliverSecrets(
  plan: Plan,
  existing: ReadonlySet<string> | undefined,
  target: SecretTarget,
  options: SyncOptions,
  result: SyncResult,
): Promise<void> {
  const { resync, log } = options;
  const todo: Array<{ subscription: Subscription; secret: string; reason: Delivery['reason'] }> =
    result.created.map(({ subscription, remote }) => ({
      subscription,
      secret: remote.secret,
      reason: 'created',
    }));
  for (const { subscription, remote } of plan.unchanged) {
    if (resync === 'always') {
      todo.push({ subscription, secret: remote.secret, reason: 'always' });
    } else if (
      resync === 'missing' &&
      existing !== undefined &&
      !existing.has(subscription.secretName.toUpperCase())
    ) {
      todo.push({ subscription, secret: remote.secret, reason: 'missing' });
    }
  }
  if (todo.length === 0) return;

  await log.group(`Deliver ${count(todo.length, 'secret')} to ${target.description}`, async () => {
    let done = 0;
    await mapConcurrently(todo, options.writeConcurrency ?? 4, async (item) => {
      const { subscription } = item;
      try {
        if (item.secret === '') throw new Error('the API returned no secret for this webhook');
        await target.write(subscription.secretName, item.secret);
        result.deliveries.push({ subscription, reason: item.reason, outcome: 'written' });
        log.info(`wrote secret ${++done}/${todo.length} ${subscription.secretName}`);
      } catch (error) {
        const message = describe(error);
        result.deliveries.push({ subscription, reason: item.reason, outcome: 'failed', message });
        log.error(`failed to write secret ${subscription.secretName}: ${message}`);
      }
    });
  });
  // Writes finish in any order; the report lists them in the order they were planned.
  sortBySubscription(
    result.deliveries,
    todo.map((item) => item.subscription),
  );
}

/** Sorts entries in place by the position of their subscription in `order`. */
function sortBySubscription<T extends { subscription: Subscription }>(
  entries: T[],
  order: readonly Subscription[],
): void {
  const position = new Map(order.map((subscription, index) => [subscription, index]));
  entries.sort((a, b) => position.get(a.subscription)! - position.get(b.subscription)!);
}

function warnAboutDuplicates(plan: Plan, declared: Subscription[], log: Log): void {
  if (plan.duplicates.length === 0) return;
  const groups = new Map<string, RemoteWebhook[]>();
  for (const record of plan.duplicates) {
    const key = subscriptionKey(record.type, record.url);
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  for (const records of groups.values()) {
    const first = records[0]!;
    log.warning(
      `duplicate webhooks on the account: ${records.map((r) => r.id).join(', ')} all send ${first.type} to ${shownRecordUrl(first, declared)}; remove the extra ones in the manage portal`,
    );
  }
}

/** Did the run end without any failure? */
export function succeeded(result: SyncResult): boolean {
  return (
    result.failures.length === 0 &&
    result.createFailures.length === 0 &&
    result.deliveries.every((d) => d.outcome === 'written')
  );
}

/** CONTRACT §3 `changed`: a webhook created, or a secret written to a GitHub secret store. */
export function changed(result: SyncResult): boolean {
  return (
    result.created.length > 0 ||
    (result.target?.persistent === true && result.deliveries.some((d) => d.outcome === 'written'))
  );
}

export function label(subscription: Subscription): string {
  return `${subscription.event} ${shownUrl(subscription)}`;
}

/** An error as one sentence for people; never a stack trace. */
export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}
