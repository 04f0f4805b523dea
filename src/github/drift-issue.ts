import type { Log } from '../log.js';
import {
  driftIssueBody,
  driftIssueTitle,
  driftMarker,
  driftResolvedComment,
} from '../report/drift-issue.js';
import type { RunMode } from '../result.js';
import type { Clean, Markdown } from '../text/encoders.js';
import {
  githubAnswer,
  listPosts,
  tokenIdentity,
  type GitHubClient,
  type Repository,
} from './client.js';
import { markedBy } from './marker.js';

/** Open drift issues carry this label, so finding them reads one short list. */
export const DRIFT_LABEL = 'mkp-webhooks-drift';

export interface DriftReport {
  octokit: GitHubClient;
  repository: Repository;
  configPath: string;
  /** True when drift is left after this run's own changes; false when none is. */
  drifted: boolean;
  /** What started the run (GITHUB_EVENT_NAME) and what it did: they decide its role. */
  event: string;
  mode: RunMode;
  /** The report of this run, for the issue body. */
  markdown: Markdown;
  /** What every value of a body goes through before it is encoded: the run's scrubber. */
  scrub: Clean;
  /** A link to this run, when known. */
  runUrl?: string;
  log: Log;
}

/**
 * Which runs may touch the drift issue (CONTRACT §3 `drift-issue`): scheduled and manual runs
 * open, update and close it; an apply on push may only close it, so that merging the fix
 * closes it; other events (a pull request's unmerged file above all) leave it alone.
 */
export type DriftIssueRole = 'open-or-close' | 'close-only' | 'none';

export function driftIssueRole(event: string, mode: RunMode): DriftIssueRole {
  if (event === 'schedule' || event === 'workflow_dispatch') return 'open-or-close';
  if (event === 'push' && mode === 'apply') return 'close-only';
  return 'none';
}

/**
 * One issue per config path: opened (or updated) when a run finds drift, closed with a comment
 * when a later run leaves none, by the runs whose role allows it. Found by its marker, never by
 * title. A token that cannot manage issues is a warning, never a failure.
 */
export async function reportDrift(report: DriftReport): Promise<void> {
  const { octokit, repository, configPath, log } = report;
  const role = driftIssueRole(report.event, report.mode);
  if (role === 'none') {
    log.info(
      `drift-issue: this is a ${report.event || 'local'} run; the drift issue is opened and closed by schedule and workflow_dispatch runs (and closed by an apply on push)`,
    );
    return;
  }
  const marker = driftMarker(configPath).text();
  try {
    const marked = (
      await listPosts((per_page) =>
        octokit.paginate('GET /repos/{owner}/{repo}/issues', {
          ...repository,
          state: 'open',
          labels: DRIFT_LABEL,
          per_page,
        }),
      )
    ).filter((issue) => !issue.pull_request && markedBy(issue.body, marker));
    // Anyone can open an issue with the marker and label: only the token's own is managed.
    const self = marked.length > 0 ? await tokenIdentity(octokit, log) : undefined;
    const open = marked.find((issue) => self !== undefined && issue.user?.id === self.id);

    if (report.drifted && role === 'close-only') {
      log.info(
        'drift-issue: drift remains; a push run may close the drift issue but not open or update it',
      );
    } else if (report.drifted) {
      const body = driftIssueBody(configPath, report.markdown, report.runUrl).text(report.scrub);
      if (open) {
        await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
          ...repository,
          issue_number: open.number,
          body,
        });
        log.info(`updated drift issue #${open.number}`);
      } else {
        const { data } = await octokit.request('POST /repos/{owner}/{repo}/issues', {
          ...repository,
          title: report.scrub(driftIssueTitle(configPath)),
          body,
          labels: [DRIFT_LABEL],
        });
        log.info(`opened drift issue #${(data as { number: number }).number}`);
      }
    } else if (open) {
      await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        ...repository,
        issue_number: open.number,
        body: driftResolvedComment(configPath, report.runUrl).text(report.scrub),
      });
      await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
        ...repository,
        issue_number: open.number,
        state: 'closed',
        state_reason: 'completed',
      });
      log.info(`closed drift issue #${open.number}: no drift found`);
    }
  } catch (error) {
    const { status, said } = githubAnswer(error);
    const why =
      status === 403 || status === 404
        ? ': the github-token cannot manage issues here (the workflow needs permissions: issues: write)'
        : '';
    log.warning(`could not update the drift issue (${said})${why}`);
  }
}
