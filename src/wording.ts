// Sentences about webhooks that more than one part of the tool writes: each lives once here.
// Words about nothing in particular (plural, messageOf) are in text/.
import type { Subscription } from './config/types.js';
import type { RemoteWebhook } from './mkp/types.js';
import { code, joined, phrase, type Phrase } from './text/phrase.js';
import { shownUrl } from './url.js';

/** The one sentence about a group of duplicate records; `url` is the group's URL as shown. */
export function duplicatesSentence(group: readonly RemoteWebhook[], url: string): Phrase {
  const ids = group.map((r) => [code(r.id)]);
  const who =
    ids.length === 2 ? phrase`${ids[0]!} and ${ids[1]!} both` : phrase`${joined(ids, ', ')} all`;
  return phrase`${who} send ${code(group[0]!.type)} to ${code(url)}: the receiver gets each event more than once; remove the extra ones in the manage portal`;
}

/** A declared subscription as people read it in a log line: its event and shown URL. */
export function shownSubscription(subscription: Subscription): Phrase {
  return phrase`${subscription.event} ${shownUrl(subscription)}`;
}
