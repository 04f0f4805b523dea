// The text of the plan comment on a pull request: its marker, footer and size guard. Posting it is
// src/github/pr-comment.ts.
import { GITHUB_BODY_LIMIT } from './markdown.js';

/** The hidden marker that finds this action's comment for one config path on a PR. */
export function commentMarker(configPath: string): string {
  return `<!-- mkp-webhooks-sync:plan config=${encodeURIComponent(configPath)} -->`;
}

/** Which commit and run a PR comment speaks for, so a reader can tell whether it is current. */
export function planCommentFooter(headSha: string | undefined, runUrl: string | undefined): string {
  const parts = [
    headSha === undefined ? 'Plan' : `Plan for ${headSha.slice(0, 7)}`,
    runUrl ? `[workflow run](${runUrl})` : undefined,
  ];
  return `_${parts.filter(Boolean).join(' · ')}_`;
}

/** A last guard: never send a body GitHub would refuse, and never cut one mid-line. */
export function fitComment(body: string, limit = GITHUB_BODY_LIMIT): string {
  if (body.length <= limit) return body;
  const note =
    "\n\n_Cut to fit GitHub's comment size limit; the job summary has the whole report._\n";
  const cut = body.slice(0, limit - note.length);
  return `${cut.slice(0, Math.max(0, cut.lastIndexOf('\n')))}${note}`;
}
