// How much text a GitHub comment or issue body may hold, and how much of it the report may
// fill: the one place for GitHub's body-size budget.

/** GitHub refuses comment and issue bodies longer than this. */
export const GITHUB_BODY_LIMIT = 65_536;

/** The report's share of a body (its `maxLength`); the rest is kept for what surrounds it. */
export const REPORT_BUDGET = {
  /** The plan comment: its marker line and the run footer. */
  comment: GITHUB_BODY_LIMIT - 500,
  /** The drift issue: its marker and lead paragraph. */
  issue: GITHUB_BODY_LIMIT - 2_000,
} as const;

/** A last guard: never send a body GitHub would refuse, and never cut one mid-line. */
export function fitComment(body: string, limit = GITHUB_BODY_LIMIT): string {
  if (body.length <= limit) return body;
  const note =
    "\n\n_Cut to fit GitHub's comment size limit; the job summary has the whole report._\n";
  const cut = body.slice(0, limit - note.length);
  return `${cut.slice(0, Math.max(0, cut.lastIndexOf('\n')))}${note}`;
}
