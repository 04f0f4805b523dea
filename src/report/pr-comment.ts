// The text of the plan comment on a pull request: its marker and footer. Posting it is
// src/github/pr-comment.ts; its size guard is github-body.ts.
import { htmlComment, link, markup, type Markdown } from '../text/encoders.js';

/** The hidden marker that finds this action's comment for one config path on a PR. */
export function commentMarker(configPath: string): Markdown {
  return htmlComment`mkp-webhooks-sync:plan config=${configPath}`;
}

/**
 * Which commit and run a PR comment speaks for, so a reader can tell whether it is current;
 * none when the run knows neither (a lone "Plan" would say nothing).
 */
export function planCommentFooter(
  headSha: string | undefined,
  runUrl: string | undefined,
): Markdown | undefined {
  const commit = headSha === undefined ? undefined : markup`Plan for ${headSha.slice(0, 7)}`;
  if (runUrl === undefined) return commit && markup`_${commit}_`;
  const run = link(markup`workflow run`, runUrl);
  return commit ? markup`_${commit} · ${run}_` : markup`_Plan made by this ${run}_`;
}
