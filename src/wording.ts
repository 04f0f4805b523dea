// Sentences about webhooks that more than one part of the tool writes: each lives once here.
// Words about nothing in particular (plural, messageOf) are in text/.
import type { Subscription } from './config/types.js';
import type { RemoteWebhook } from './mkp/types.js';
import { shownUrl } from './url.js';

/**
 * The one sentence about a group of duplicate records. `url` is the group's URL as shown to
 * people; `quote` marks up ids, the event and the URL (code spans in markdown, plain in a log).
 */
export function duplicatesSentence(
  group: readonly RemoteWebhook[],
  url: string,
  quote: (text: string) => string = (text) => text,
): string {
  const ids = group.map((r) => quote(r.id));
  const who = ids.length === 2 ? `${ids[0]} and ${ids[1]} both` : `${ids.join(', ')} all`;
  return `${who} send ${quote(group[0]!.type)} to ${quote(url)}: the receiver gets each event more than once; remove the extra ones in the manage portal`;
}

/** A declared subscription as people read it in a log line: its event and shown URL. */
export function shownSubscription(subscription: Subscription): string {
  return `${subscription.event} ${shownUrl(subscription)}`;
}
