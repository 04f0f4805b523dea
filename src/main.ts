import * as core from '@actions/core';
import { loadWebhooksFile } from './config/load.js';
import { ConfigError, formatProblem, type WebhooksFile } from './config/types.js';
import { InputError, readRunContext, readSettings, type Settings } from './inputs.js';
import type { Log } from './log.js';
import { connect } from './mkp/client.js';
import { GITHUB_BODY_LIMIT } from './report/markdown.js';
import {
  pullRequestChanges,
  type PullRequestBase,
  type PullRequestChanges,
} from './pull-request.js';
import { createdJson, drift, planJson } from './report/outputs.js';
import {
  alreadyDone,
  renderReport,
  renderValidationFailure,
  SUMMARY_LIMIT_BYTES,
} from './report/summary.js';
import { Scrubber, scrubbingLog } from './scrub.js';
import { OutputsTarget } from './secrets/outputs.js';
import { openSecretTarget } from './secrets/select.js';
import { changed, describe, succeeded, sync, type SyncResult } from './sync.js';

/**
 * The Actions shell: inputs -> sync -> outputs, job summary and exit status. Everything it
 * calls works the same from the CLI; only this file knows about the runner.
 */
export async function run(): Promise<void> {
  // Every masked value is also cut from all text this run shows (CONTRACT §4).
  const scrubber = new Scrubber();
  try {
    await runAction(scrubber);
  } catch (error) {
    if (error instanceof InputError) {
      for (const problem of error.problems) core.error(scrubber.scrub(problem));
      core.setFailed(`${error.problems.length} invalid input(s); nothing was read or sent`);
    } else {
      // Not foreseen: still one sentence, never a stack trace.
      core.setFailed(scrubber.scrub(`unexpected error: ${describe(error)}`));
    }
  }
}

async function runAction(scrubber: Scrubber): Promise<void> {
  const settings = readSettings((name) => core.getInput(name));
  const log = scrubbingLog(scrubber, actionsLog());
  // Tokens are masked before anything can print them.
  if (settings.apiToken) log.mask(settings.apiToken);
  if (settings.githubToken) log.mask(settings.githubToken);

  let file: WebhooksFile;
  try {
    file = await loadWebhooksFile(settings.config, {
      tokens: { 'api-token': settings.apiToken, 'github-token': settings.githubToken },
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) {
      log.info(formatProblem(problem));
      log.error(problem.message, problem);
    }
    await writeSummary(
      scrubber.scrub(
        renderValidationFailure(settings.config, error.problems, {
          maxLength: SUMMARY_LIMIT_BYTES,
        }),
      ),
    );
    await publish(
      settings,
      () =>
        scrubber.scrub(
          renderValidationFailure(settings.config, error.problems, {
            heading: '###',
            maxLength: GITHUB_BODY_LIMIT - 2_000,
          }),
        ),
      undefined,
      log,
    );
    core.setFailed(
      `${settings.config} has ${error.problems.length} problem(s); nothing was sent to any API`,
    );
    return;
  }
  for (const value of file.substitutedValues ?? []) {
    for (const line of scrubber.add(value, 'variable')) core.setSecret(line);
  }
  log.info(`${settings.config}: ${file.subscriptions.length} subscription(s) declared`);
  const base = await pullRequestBase(settings);
  // The base file may read other ${VAR}s: their values are masked and scrubbed alike.
  for (const value of base?.state === 'read' ? (base.file.substitutedValues ?? []) : []) {
    for (const line of scrubber.add(value, 'variable')) core.setSecret(line);
  }

  const target = await openSecretTarget(settings);
  const client = settings.apiToken
    ? connect({
        apiUrl: settings.apiUrl,
        token: settings.apiToken,
        tuning: settings.tuning,
        mask: (secret) => log.mask(secret),
        onRetry: (message) => log.info(message),
      })
    : null;
  const result = await sync({
    file,
    base: base?.state === 'read' ? base.file : undefined,
    client,
    dryRun: settings.dryRun,
    target,
    resync: settings.resyncSecrets,
    log,
  });

  const changes =
    base && base.state !== 'unreadable'
      ? pullRequestChanges(file, base, { head: result.plan, base: result.basePlan })
      : undefined;
  const pullRequest = base && { base, changes };
  writeOutputs(result, changes);
  await writeSummary(
    scrubber.scrub(
      renderReport(result, {
        maxLength: SUMMARY_LIMIT_BYTES,
        restIn: 'the `plan` output lists every subscription',
        pullRequest,
      }),
    ),
  );
  const checked = result.plan !== undefined && result.failures.length === 0;
  await publish(
    settings,
    (maxLength) =>
      scrubber.scrub(
        renderReport(result, {
          heading: '###',
          maxLength,
          restIn: 'the job summary of this run has them all',
          pullRequest,
        }),
      ),
    checked ? drift(result) : undefined,
    log,
  );
  report(result, settings, scrubber);
}

/**
 * The PR comment and the drift issue, when asked for. Loaded only then; whatever goes wrong
 * here is a warning, never the run's failure.
 */
async function publish(
  settings: Settings,
  markdown: (maxLength?: number) => string,
  drifted: boolean | undefined,
  log: Log,
): Promise<void> {
  const { prComment, driftIssue, githubToken, repository } = settings;
  const event = process.env.GITHUB_EVENT_NAME ?? '';
  const onPullRequest = event === 'pull_request' || event === 'pull_request_target';
  if (prComment && !onPullRequest) {
    log.info(`pr-comment: this is a ${event || 'local'} run, not a pull request; no comment`);
  }
  const wantComment = prComment && onPullRequest;
  const wantIssue = driftIssue && drifted !== undefined;
  if (!githubToken || !repository || (!wantComment && !wantIssue)) return;

  const [{ githubClient }, { context }] = await Promise.all([
    import('./github-api.js'),
    import('@actions/github'),
  ]);
  const octokit = githubClient(githubToken, settings.tuning);
  if (wantComment) {
    const pullNumber = context.payload.pull_request?.number;
    if (typeof pullNumber !== 'number') {
      log.warning('pr-comment: the event payload names no pull request; no comment');
    } else {
      const { postPlanComment } = await import('./report/pr-comment.js');
      await postPlanComment({
        octokit,
        repository,
        pullNumber,
        configPath: settings.config,
        markdown: `${markdown(GITHUB_BODY_LIMIT - 500)}\n${runFooter(context.payload.pull_request?.head?.sha)}`,
        log,
      });
    }
  }
  if (wantIssue) {
    const { reportDrift } = await import('./report/drift-issue.js');
    await reportDrift({
      octokit,
      repository,
      configPath: settings.config,
      drifted: drifted!,
      markdown: markdown(GITHUB_BODY_LIMIT - 2_000),
      runUrl: runUrl(),
      log,
    });
  }
}

/** On a pull request: the base branch's file, or why it could not be read (a notice). */
async function pullRequestBase(settings: Settings): Promise<PullRequestBase | undefined> {
  const { pullRequest: event, workspace } = readRunContext(process.env);
  if (!event) return undefined;
  const { readBaseFile } = await import('./github/base-file.js');
  const base = await readBaseFile({
    githubToken: settings.githubToken,
    tuning: settings.tuning,
    repository: settings.repository,
    event,
    configPath: settings.config,
    workspace,
    env: process.env,
    tokens: { 'api-token': settings.apiToken, 'github-token': settings.githubToken },
  });
  if (base.state === 'unreadable') {
    core.notice(
      `the base branch's ${settings.config} could not be read (${base.reason}); the report shows the whole plan, not only what this pull request changes`,
    );
  }
  return base;
}

function writeOutputs(result: SyncResult, changes?: PullRequestChanges): void {
  const plan = planJson(result, changes);
  if (plan) core.setOutput('plan', JSON.stringify(plan));
  core.setOutput('created', JSON.stringify(createdJson(result)));
  const secrets = result.target instanceof OutputsTarget ? result.target.values : new Map();
  core.setOutput('secrets', JSON.stringify(Object.fromEntries(secrets)));
  for (const [name, value] of secrets) core.setOutput(name, value);
  core.setOutput('changed', String(changed(result)));
  core.setOutput('drift', String(drift(result)));
  core.setOutput('to-create', String(result.plan?.create.length ?? 0));
  core.setOutput('unmanaged', String(result.plan?.unmanaged.length ?? 0));
}

/** Exit status of CONTRACT §4: failures first, then drift when fail-on-drift is on. */
function report(result: SyncResult, settings: Settings, scrubber: Scrubber): void {
  if (result.mode === 'unchecked') {
    core.info('no api-token: the file is valid; the account was not checked');
  }
  if (!succeeded(result)) {
    // Each failure was reported as an error where it happened; this says where things stand.
    core.setFailed(
      scrubber.scrub(
        `the run did not finish (see the errors above). ${alreadyDone(result).replace(/`/g, '')}`,
      ),
    );
    return;
  }
  if (settings.failOnDrift && drift(result)) {
    const plan = result.plan!;
    core.setFailed(
      `drift: the account did not match ${settings.config} at the start of the run (${plan.create.length} to create, ${plan.unmanaged.length} unmanaged), and fail-on-drift is on`,
    );
  }
}

async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return; // not on a runner (local runs)
  try {
    await core.summary.addRaw(markdown, true).write();
  } catch (error) {
    core.warning(`could not write the job summary: ${describe(error)}`);
  }
}

function actionsLog(): Log {
  return {
    mask: (secret) => core.setSecret(secret),
    info: (message) => core.info(message),
    warning: (message, position) => core.warning(message, position && annotation(position)),
    error: (message, position) => core.error(message, position && annotation(position)),
    group: (title, fn) => core.group(title, fn),
  };
}

function annotation(position: { file: string; line: number; column: number }) {
  return { file: position.file, startLine: position.line, startColumn: position.column };
}

/** A link to this workflow run, when the runner says where it is. */
function runUrl(): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = process.env;
  return server && repo && run ? `${server}/${repo}/actions/runs/${run}` : undefined;
}

/** Which commit and run a PR comment speaks for, so a reader can tell whether it is current. */
function runFooter(sha: unknown): string {
  const parts = [
    typeof sha === 'string' ? `Plan for ${sha.slice(0, 7)}` : 'Plan',
    runUrl() ? `[workflow run](${runUrl()})` : undefined,
  ];
  return `_${parts.filter(Boolean).join(' · ')}_`;
}
