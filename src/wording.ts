// Sentences about webhooks that more than one part of the tool writes: each lives once here.
// Words about nothing in particular (plural, messageOf) are in text/.
import type { Subscription } from './config/types.js';
import type { RemoteWebhook } from './mkp/types.js';
import { code, joined, phrase, type Phrase } from './text/phrase.js';
import { shownUrl } from './url.js';

/**
 * The one sentence about a group of duplicate records, kept record first (plan.ts `keptFirst`):
 * which to keep and which to remove. `url` is the group's URL as shown.
 */
export function duplicatesSentence(group: readonly RemoteWebhook[], url: string): Phrase {
  const ids = group.map((r) => [code(r.id)]);
  const who =
    ids.length === 2 ? phrase`${ids[0]!} and ${ids[1]!} both` : phrase`${joined(ids, ', ')} all`;
  const [kept, ...extra] = ids;
  const others =
    extra.length === 1
      ? extra[0]!
      : phrase`${joined(extra.slice(0, -1), ', ')} and ${extra.at(-1)!}`;
  return phrase`${who} send ${code(group[0]!.type)} to ${code(url)}: the receiver gets each event more than once. Keep ${kept!} (the oldest) and remove ${others} in the manage portal`;
}

/**
 * Why an apply writes a duplicated webhook's secret on every run (CONTRACT §2): another run may
 * have written a newer record's, and nothing at the target tells which.
 */
export function duplicateRewriteSentence(kept: string, target: string): Phrase {
  return phrase`while the duplicates exist, every apply writes the secret of ${code(kept)} to ${target}, since another run may have written that of a newer record`;
}

/** A declared subscription as people read it in a log line: its event and shown URL. */
export function shownSubscription(subscription: Subscription): Phrase {
  return phrase`${subscription.event} ${shownUrl(subscription)}`;
}

/**
 * Why a declared subscription was not checked in a validate-only run (CONTRACT §2): a `${VAR}`
 * of its URL has no value here; undefined for the others.
 */
export function uncheckedReason(subscription: Subscription): Phrase | undefined {
  const missing = subscription.unresolved;
  if (!missing || missing.length === 0) return undefined;
  const names = joined(
    missing.map((name) => [code(name)]),
    ', ',
  );
  return missing.length === 1
    ? phrase`not checked: ${names} has no value in this run`
    : phrase`not checked: ${names} have no value in this run`;
}

/** How many of a validate-only run's subscriptions could not be checked, for a count line. */
export function uncheckedCount(subscriptions: readonly Subscription[]): Phrase | undefined {
  const n = subscriptions.filter((s) => uncheckedReason(s) !== undefined).length;
  return n === 0
    ? undefined
    : phrase`${n} not checked (a ${code('${VAR}')} without a value in this run)`;
}
