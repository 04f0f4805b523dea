// How much text a GitHub comment, issue or job summary may hold, how much of it the report may
// fill, and the one cut to size: the one place for GitHub's body-size budget.
import { fitted, markup, type Markdown } from '../text/encoders.js';
import { phrase, type Phrase } from '../text/phrase.js';

/** GitHub refuses comment and issue bodies longer than this. */
export const GITHUB_BODY_LIMIT = 65_536;

/** The report's share of a body (its `maxLength`); the rest is kept for what surrounds it. */
export const REPORT_BUDGET = {
  /** The plan comment: its marker line and the run footer. */
  comment: GITHUB_BODY_LIMIT - 500,
  /** The drift issue: its marker and lead paragraph. */
  issue: GITHUB_BODY_LIMIT - 2_000,
} as const;

/**
 * The last guard for any GitHub body (comment, issue, job summary): never more than `limit`
 * UTF-8 bytes (so never more characters either) once rendered, cut at a line end, with a note
 * that says where the rest is. A body that fits is left as it is.
 */
export function fitBody(
  body: Markdown,
  limit: number = GITHUB_BODY_LIMIT,
  restIn: Phrase = phrase`the job summary has the whole report`,
): Markdown {
  return fitted(body, limit, cutNote(restIn));
}

/** What a cut body ends with: where the rest is. */
export function cutNote(restIn: Phrase): Markdown {
  return markup`_Cut to fit GitHub's size limit; ${restIn}._`;
}

export function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
