import type { Subscription, WebhooksFile } from '../../src/config/types.js';
import type { Plan } from '../../src/plan.js';
import type { SecretTarget } from '../../src/secrets/target.js';
import type { Outcome, SyncResult } from '../../src/sync.js';

// The outcomes of a run, seen per kind (what was created, which creates failed, which secrets
// were delivered), each in the file's order, so that tests read like the contract.

export function created(result: SyncResult) {
  return result.outcomes.flatMap(({ subscription, record, create }) =>
    create?.state === 'created' ? [{ subscription, remote: record!, ...create }] : [],
  );
}

export function createFailures(result: SyncResult) {
  return result.outcomes.flatMap(({ subscription, create }) =>
    create?.state === 'failed' ? [{ subscription, message: create.message }] : [],
  );
}

export function deliveries(result: SyncResult) {
  return result.outcomes.flatMap(({ subscription, secret }) => {
    if (!secret) return [];
    const { state, ...rest } = secret;
    return [{ subscription, ...rest, outcome: state }];
  });
}

type Created = ReturnType<typeof created>[number];
type Delivery = ReturnType<typeof deliveries>[number];

/**
 * A SyncResult for the renderers, told per kind as above: what was created, which creates
 * failed, which secrets were delivered, and where to (a target's description, or none).
 */
export function syncResult(parts: {
  mode?: SyncResult['mode'];
  file: WebhooksFile;
  plan?: Plan;
  basePlan?: Plan;
  created?: Array<Omit<Created, 'state'>>;
  createFailures?: Array<{ subscription: Subscription; message: string }>;
  deliveries?: Delivery[];
  failures?: string[];
  target?: Pick<SecretTarget, 'description' | 'persistent'> | null;
  cancelled?: string;
}): SyncResult {
  const { plan, target = { description: 'step outputs', persistent: false } } = parts;
  const outcomes: Outcome[] = parts.file.subscriptions.map((subscription) => {
    const outcome: Outcome = { subscription };
    if (plan?.create.includes(subscription)) outcome.planned = 'create';
    const unchanged = plan?.unchanged.find((u) => u.subscription === subscription);
    if (unchanged) Object.assign(outcome, { planned: 'unchanged', record: unchanged.remote });
    const made = parts.created?.find((c) => c.subscription === subscription);
    if (made) {
      const { remote, adopted, storedOtherwise } = made;
      outcome.record = remote;
      outcome.create = {
        state: 'created',
        adopted,
        ...(storedOtherwise ? { storedOtherwise } : {}),
      };
    }
    const failed = parts.createFailures?.find((f) => f.subscription === subscription);
    if (failed) outcome.create = { state: 'failed', message: failed.message };
    const delivery = parts.deliveries?.find((d) => d.subscription === subscription);
    if (delivery) {
      const { reason, outcome: state, message, replaced } = delivery;
      outcome.secret = { reason, state, message, replaced };
    }
    return outcome;
  });
  return {
    mode: parts.mode ?? 'apply',
    file: parts.file,
    plan,
    ...(parts.basePlan ? { basePlan: parts.basePlan } : {}),
    outcomes,
    failures: parts.failures ?? [],
    destination: target && { description: target.description, persistent: target.persistent },
    ...(parts.cancelled ? { cancelled: parts.cancelled } : {}),
  };
}
