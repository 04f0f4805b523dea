// Words for people that more than one part of the tool writes: each sentence lives once here.
import type { Subscription } from './config/types.js';
import type { RemoteWebhook } from './mkp/types.js';
import { shownUrl } from './url.js';

export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

/**
 * The one sentence about a group of duplicate records, kept record first (plan.ts `keptFirst`).
 * `url` is the group's URL as shown to people; `quote` marks up ids, the event and the URL
 * (code spans in markdown, plain in a log).
 */
export function duplicatesSentence(
  group: readonly RemoteWebhook[],
  url: string,
  quote: (text: string) => string = (text) => text,
): string {
  const ids = group.map((r) => quote(r.id));
  const who = ids.length === 2 ? `${ids[0]} and ${ids[1]} both` : `${ids.join(', ')} all`;
  const [kept, ...extra] = ids;
  const others =
    extra.length === 1 ? extra[0] : `${extra.slice(0, -1).join(', ')} and ${extra.at(-1)}`;
  return `${who} send ${quote(group[0]!.type)} to ${quote(url)}: the receiver gets each event more than once. Keep ${kept} (the oldest) and remove ${others} in the manage portal`;
}

/**
 * Why an apply writes a duplicated webhook's secret on every run (CONTRACT §2): another run may
 * have written a newer record's, and nothing at the target tells which.
 */
export function duplicateRewriteSentence(
  kept: string,
  target: string,
  quote: (text: string) => string = (text) => text,
): string {
  return `while the duplicates exist, every apply writes the secret of ${quote(kept)} to ${target}, since another run may have written that of a newer record`;
}

/** An error as one sentence for people; never a stack trace. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A declared subscription as people read it in a log line: its event and shown URL. */
export function shownSubscription(subscription: Subscription): string {
  return `${subscription.event} ${shownUrl(subscription)}`;
}

/**
 * Why a declared subscription was not checked in a validate-only run (CONTRACT §2): a `${VAR}`
 * of its URL has no value here; undefined for the others.
 */
export function uncheckedReason(subscription: Subscription): string | undefined {
  const missing = subscription.unresolved;
  if (!missing || missing.length === 0) return undefined;
  return `not checked: ${missing.join(', ')} ${missing.length === 1 ? 'has' : 'have'} no value in this run`;
}

/** How many of a validate-only run's subscriptions could not be checked, for a count line. */
export function uncheckedCount(subscriptions: readonly Subscription[]): string | undefined {
  const n = subscriptions.filter((s) => uncheckedReason(s) !== undefined).length;
  return n === 0 ? undefined : `${n} not checked (a \`\${VAR}\` without a value in this run)`;
}
