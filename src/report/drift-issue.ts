// The text of the drift issue: its marker, title, body and closing comment. Opening, updating
// and closing it is src/github/drift-issue.ts.
import { fitComment } from './github-body.js';

/** The hidden marker that identifies the drift issue of one config path. */
export function driftMarker(configPath: string): string {
  return `<!-- mkp-webhooks-sync:drift config=${encodeURIComponent(configPath)} -->`;
}

export function driftIssueTitle(configPath: string): string {
  return `MijnKlantportaal webhooks drifted from ${configPath}`;
}

/** The issue body: what drifted, what to do, then the run's report; `runUrl` links the run. */
export function driftIssueBody(configPath: string, markdown: string, runUrl?: string): string {
  return fitComment(
    [
      driftMarker(configPath),
      `MijnKlantportaal webhooks no longer match \`${configPath}\`.${runUrl ? ` Found by [this run](${runUrl}).` : ''}`,
      'Webhooks to create are created by the next apply run; unmanaged webhooks must be declared in the file or removed in the manage portal. This issue closes itself when a run finds no drift.',
      '',
      markdown,
    ].join('\n'),
  );
}

/** The comment the issue closes with when a run finds no drift. */
export function driftResolvedComment(configPath: string, runUrl?: string): string {
  return `The account matches \`${configPath}\` again${runUrl ? ` ([run](${runUrl}))` : ''}; closing.`;
}
