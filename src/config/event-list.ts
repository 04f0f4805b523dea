import { isEventType, type EventType } from '../events.js';
import type { SourcePosition } from '../log.js';
import type { DataPath, FilePositions } from './positions.js';
import { quoted } from './wording.js';

/**
 * The events of an `events` list (a webhook entry's or an `ignore` entry's), each once: a
 * repeat is a problem at the repeated item. Unknown events are left to the schema's messages.
 */
export function listedEvents(
  list: readonly unknown[],
  path: DataPath,
  positions: FilePositions,
  report: (where: SourcePosition, message: string) => void,
): Array<{ event: EventType; path: DataPath }> {
  const events: Array<{ event: EventType; path: DataPath }> = [];
  list.forEach((event, item) => {
    if (!isEventType(event)) return;
    const at = [...path, item];
    if (events.some((listed) => listed.event === event)) {
      report(positions.at(at), `event ${quoted(event)} is listed twice in \`events\``);
    } else {
      events.push({ event, path: at });
    }
  });
  return events;
}
