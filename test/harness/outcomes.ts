import type { Subscription, WebhooksFile } from '../../src/config/types.js';
import type { RemoteWebhook } from '../../src/mkp/types.js';
import type { Plan } from '../../src/plan.js';
import type { Outcome, RunMode, SecretResult, SyncResult } from '../../src/result.js';
import type { SecretTarget } from '../../src/secrets/target.js';
import { plannedOutcomes } from '../../src/sync.js';
import { plainText, type Phrase } from '../../src/text/phrase.js';

// The outcomes of a run, seen per kind (what was created, which creates failed, which secrets
// were delivered), each in the file's order with its words as plain text, so that tests read
// like the contract.

export function created(result: SyncResult) {
  return result.outcomes.flatMap(({ subscription, record, create }) =>
    create?.state === 'created'
      ? [
          {
            subscription,
            remote: record!,
            adopted: create.adopted,
            storedOtherwise: create.storedOtherwise && plainText(create.storedOtherwise),
          },
        ]
      : [],
  );
}

export function createFailures(result: SyncResult) {
  return result.outcomes.flatMap(({ subscription, create }) =>
    create?.state === 'failed' ? [{ subscription, message: plainText(create.message) }] : [],
  );
}

export function deliveries(result: SyncResult) {
  return result.outcomes.flatMap(({ subscription, secret }) => {
    if (!secret) return [];
    const { state, message, ...rest } = secret;
    return [
      {
        subscription,
        ...rest,
        ...(message ? { message: plainText(message) } : {}),
        outcome: state,
      },
    ];
  });
}

/** Text from outside (an error's message) as the words of an outcome. */
export function said(text: string): Phrase {
  return [{ text }];
}

/** The create of a subscription as the run saw it: made (the record the API answered). */
export function madeAs(record: RemoteWebhook, adopted = false): Partial<Outcome> {
  return { record, create: { state: 'created', adopted } };
}

/** A secret delivered (or not) for a subscription. */
export function secret(
  reason: SecretResult['reason'],
  state: SecretResult['state'] = 'written',
  message?: string,
): Partial<Outcome> {
  return { secret: { reason, state, ...(message ? { message: said(message) } : {}) } };
}

/**
 * A SyncResult for the renderers, built as sync builds it: one outcome per declared
 * subscription with the plan's verdict, and over it what the run did for some of them
 * (`outcomes`, each naming its subscription).
 */
export function syncResult(parts: {
  mode?: RunMode;
  file: WebhooksFile;
  plan?: Plan;
  listing?: RemoteWebhook[];
  /** How many pages the listing took (sync sets it with the plan). */
  listPages?: number;
  outcomes?: Array<Partial<Outcome> & { subscription: Subscription }>;
  failures?: string[];
  target?: Pick<SecretTarget, 'description' | 'persistent'> | null;
  cancelled?: string;
}): SyncResult {
  const { plan, file, target = { description: 'step outputs', persistent: false } } = parts;
  const did = new Map((parts.outcomes ?? []).map((o) => [o.subscription, o]));
  const planned = plan
    ? plannedOutcomes(file.subscriptions, plan)
    : file.subscriptions.map((subscription): Outcome => ({ subscription }));
  return {
    mode: parts.mode ?? 'apply',
    file,
    plan,
    ...(parts.listing ? { listing: parts.listing } : {}),
    ...(parts.listPages === undefined ? {} : { listPages: parts.listPages }),
    outcomes: planned.map((outcome) => ({ ...outcome, ...did.get(outcome.subscription) })),
    failures: parts.failures ?? [],
    destination: target && { description: target.description, persistent: target.persistent },
    ...(parts.cancelled ? { cancelled: parts.cancelled } : {}),
  };
}
