// The run's verdicts, read from its outcomes: did it succeed, did it change anything, did the
// account drift, and what is already done. The shells and the renderers ask here; none works
// them out again.
import { hasDrift } from './plan.js';
import { plural } from './wording.js';
import type { Outcome, SyncResult } from './sync.js';

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

/**
 * Every failure report says what was already done and what is left for the next run.
 * `quote` marks up names (code spans in markdown; plain in a log).
 */
export function alreadyDone(
  result: SyncResult,
  quote: (name: string) => string = (name) => name,
): string {
  const created = createdIn(result).map((o) => quote(o.subscription.secretName));
  const failed = result.outcomes.filter((o) => o.secret?.state === 'failed');
  const pending = failed
    .filter((o) => o.secret?.blocked === undefined)
    .map((o) => quote(o.subscription.secretName));
  const blocked = failed.filter((o) => o.secret?.blocked !== undefined);
  const parts = [
    created.length > 0
      ? `Already done: created ${plural(created.length, 'webhook')} (secrets ${created.join(', ')}).`
      : 'Already done: no webhook was created.',
  ];
  if (pending.length > 0) {
    parts.push(
      `Secrets still to be written: ${pending.join(', ')}. The webhooks keep their secrets on the account; the next run with resync-secrets: missing (the default) writes them.`,
    );
  }
  // The next run cannot write these until someone acts: no promise that it will.
  if (blocked.length > 0) {
    const remedies = [...new Set(blocked.map((o) => o.secret!.blocked!))];
    parts.push(
      `Secrets that no run can write yet: ${blocked.map((o) => quote(o.subscription.secretName)).join(', ')}: ${remedies.join('; ')}; then the next run with resync-secrets: missing writes them. The webhooks keep their secrets on the account.`,
    );
  }
  if (result.outcomes.some((o) => o.create?.state === 'failed')) {
    parts.push('The next run creates what is still missing, and nothing twice.');
  }
  return parts.join(' ');
}
