// The text of the drift issue: its marker, title, body and closing comment. Opening, updating
// and closing it is src/github/drift-issue.ts.
import {
  htmlComment,
  joinMarkdown,
  link,
  markup,
  visible,
  type Markdown,
} from '../text/encoders.js';
import { code } from '../text/phrase.js';
import { fitBody } from './github-body.js';

/** The hidden marker that identifies the drift issue of one config path. */
export function driftMarker(configPath: string): Markdown {
  return htmlComment`mkp-webhooks-sync:drift config=${configPath}`;
}

/** The issue's title: plain text (GitHub shows it as it is), on one line. */
export function driftIssueTitle(configPath: string): string {
  return visible(`MijnKlantportaal webhooks drifted from ${configPath}`);
}

/** The issue body: what drifted, what to do, then the run's report; `runUrl` links the run. */
export function driftIssueBody(configPath: string, report: Markdown, runUrl?: string): Markdown {
  const found = runUrl ? markup` Found by ${link(markup`this run`, runUrl)}.` : markup``;
  return fitBody(
    joinMarkdown([
      driftMarker(configPath),
      markup`MijnKlantportaal webhooks no longer match ${code(configPath)}.${found}`,
      markup`Webhooks to create are created by the next apply run; unmanaged webhooks must be declared in the file or removed in the manage portal. This issue closes itself when a run finds no drift.`,
      markup``,
      report,
    ]),
  );
}

/** The comment the issue closes with when a run finds no drift. */
export function driftResolvedComment(configPath: string, runUrl?: string): Markdown {
  const run = runUrl ? markup` (${link(markup`run`, runUrl)})` : markup``;
  return markup`The account matches ${code(configPath)} again${run}; closing.`;
}
