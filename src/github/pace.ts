// GitHub asks for at least a second between mutating requests (secondary rate limits); the
// throttling plugin keeps to that for secret writes, comments and issue edits. Its own module,
// so the inputs can name the default without loading Octokit.
export const GITHUB_WRITE_INTERVAL_MS = 1_000;
/** The longest GitHub's rate limits may hold a run, in all (CONTRACT §4). */
export const GITHUB_MAX_WAIT_MS = 5 * 60_000;
