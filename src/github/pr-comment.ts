import type { Log } from '../log.js';
import { fitBody } from '../report/github-body.js';
import { commentMarker } from '../report/pr-comment.js';
import { joinMarkdown, type Clean, type Markdown } from '../text/encoders.js';
import {
  githubAnswer,
  listPosts,
  tokenIdentity,
  type GitHubClient,
  type Repository,
} from './client.js';
import { markedBy } from './marker.js';

export interface PlanComment {
  octokit: GitHubClient;
  repository: Repository;
  pullNumber: number;
  configPath: string;
  /** The report, rendered with a maxLength that leaves room for the marker. */
  markdown: Markdown;
  /** What every value of the body goes through before it is encoded: the run's scrubber. */
  scrub: Clean;
  log: Log;
}

/**
 * Posts the plan as one comment per config path, or updates the one already there. A token
 * that cannot comment (a fork's pull request) is a warning, never a failure.
 */
export async function postPlanComment(comment: PlanComment): Promise<void> {
  const { octokit, repository, pullNumber, log } = comment;
  const marker = commentMarker(comment.configPath).text();
  const body = fitBody(joinMarkdown([commentMarker(comment.configPath), comment.markdown])).text(
    comment.scrub,
  );
  try {
    const marked = (
      await listPosts((per_page) =>
        octokit.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
          ...repository,
          issue_number: pullNumber,
          per_page,
        }),
      )
    ).filter((c) => markedBy(c.body, marker));
    // Anyone can paste the marker into a comment: only the token's own comment is updated.
    const self = marked.length > 0 ? await tokenIdentity(octokit, log) : undefined;
    const existing = marked.find((c) => self !== undefined && c.user?.id === self.id);
    if (existing) {
      await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
        ...repository,
        comment_id: existing.id,
        body,
      });
      log.info(`updated the plan comment on pull request #${pullNumber}`);
    } else {
      await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        ...repository,
        issue_number: pullNumber,
        body,
      });
      log.info(`posted the plan comment on pull request #${pullNumber}`);
    }
  } catch (error) {
    const { status, said } = githubAnswer(error);
    const why =
      status === 403 || status === 404
        ? ': the github-token cannot comment here (pull requests from forks get a read-only token; the workflow needs permissions: pull-requests: write). The plan is in the job summary'
        : '';
    log.warning(`could not post the plan comment on pull request #${pullNumber} (${said})${why}`);
  }
}
