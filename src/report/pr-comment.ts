// The text of the plan comment on a pull request: its marker and footer. Posting it is
// src/github/pr-comment.ts; its size guard is github-body.ts.

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
