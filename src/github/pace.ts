// The GitHub client's defaults for what the environment may tune (README "Tuning").

/**
 * GitHub asks for at least a second between mutating requests (secondary rate limits); the
 * throttling plugin keeps to that for secret writes, comments and issue edits.
 */
export const GITHUB_WRITE_INTERVAL_MS = 1_000;

/** How long one request may take before it is abandoned (and retried): as the API's calls. */
export const GITHUB_TIMEOUT_MS = 30_000;

/** The longest GitHub's rate limits may hold a run, in all (CONTRACT §4). */
export const GITHUB_MAX_WAIT_MS = 5 * 60_000;
