// How much text a GitHub comment, issue or job summary may hold, how much of it the report may
// fill, and the one cut to size: the one place for GitHub's body-size budget.

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
 * UTF-8 bytes (so never more characters either), cut at a line end, with a note that says where
 * the rest is. A body that fits is left as it is.
 */
export function fitComment(
  body: string,
  limit: number = GITHUB_BODY_LIMIT,
  restIn = 'the job summary has the whole report',
): string {
  if (bytes(body) <= limit) return body;
  const note = `\n\n_Cut to fit GitHub's size limit; ${restIn}._\n`;
  // A character cut in half decodes to U+FFFD at the very end, after the last line end.
  const cut = Buffer.from(body, 'utf8')
    .subarray(0, Math.max(0, limit - bytes(note)))
    .toString('utf8');
  return `${cut.slice(0, Math.max(0, cut.lastIndexOf('\n')))}${note}`;
}

export function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
