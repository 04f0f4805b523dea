// The Actions shell: inputs -> sync -> outputs, job summary and exit status. Everything it
// calls works the same from the CLI; only this file knows about the runner.
import * as core from '@actions/core';
import { loadWebhooksFile } from './config/load.js';
import {
  ConfigError,
  formatProblem,
  type ConfigProblem,
  type WebhooksFile,
} from './config/types.js';
import {
  accountNotCheckedWarning,
  InputError,
  readRunContext,
  readSettings,
  type RunContext,
  type Settings,
} from './inputs.js';
import type { Log } from './log.js';
import { connect, type MkpClient } from './mkp/client.js';
import {
  pullRequestChanges,
  type PullRequestBase,
  type PullRequestChanges,
} from './pull-request.js';
import { createdJson, planJson } from './report/outputs.js';
import { renderReport, renderValidationFailure, SUMMARY_LIMIT_BYTES } from './report/summary.js';
import { REPORT_BUDGET } from './report/github-body.js';
import { planCommentFooter } from './report/pr-comment.js';
import { runnerLog, type RunnerLog } from './runner.js';
import { Scrubber } from './scrub.js';
import { OutputsTarget } from './secrets/outputs.js';
import type { SecretTarget } from './secrets/target.js';
import type { RunMode, SyncResult } from './result.js';
import { sync } from './sync.js';
import { joinMarkdown, type Markdown } from './text/encoders.js';
import { code, phrase, plainText, type Phrase } from './text/phrase.js';
import {
  alreadyDone,
  changed,
  costWords,
  drift,
  driftLeft,
  planCounts,
  succeeded,
} from './verdicts.js';
import { messageOf, plural } from './text/words.js';

export async function run(): Promise<void> {
  // Every masked value is also cut from all text this run shows (CONTRACT §4), and every line
  // reaches the runner through its one sink (runner.ts).
  const scrubber = new Scrubber();
  const context = readRunContext(process.env);
  const log = runnerLog(scrubber, context.stepSummary !== undefined);
  const progress: Progress = { recorded: false };
  const cancellation = listenForCancellation(progress, log);
  try {
    await runAction({ scrubber, log, context }, cancellation.signal, progress);
  } catch (error) {
    if (error instanceof InputError) {
      for (const problem of error.problems) log.error(problem);
      log.fail(`${plural(error.problems.length, 'invalid input')}; nothing was read or sent`);
    } else {
      // Not foreseen: still one sentence, never a stack trace.
      log.fail(`unexpected error: ${messageOf(error)}`);
    }
  } finally {
    cancellation.stop();
  }
  // Calls abandoned after a cancellation would keep the process alive: it has reported, so end.
  if (cancellation.signal.aborted) process.exit();
}

/** The signals of a cancelled workflow: SIGINT, then SIGTERM 7.5 s later (SIGBREAK on Windows). */
const CANCEL_SIGNALS: NodeJS.Signals[] =
  process.platform === 'win32' ? ['SIGINT', 'SIGTERM', 'SIGBREAK'] : ['SIGINT', 'SIGTERM'];
/** The runner kills the process 7.5 s after SIGINT: report well before that (CONTRACT §4). */
const CANCEL_DEADLINE_MS = 4_500;

/** Whether the outputs and the job summary of the run have been written. */
interface Progress {
  recorded: boolean;
}

function listenForCancellation(
  progress: Progress,
  log: RunnerLog,
): { signal: AbortSignal; stop: () => void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) return;
    log.warning(
      `received ${name}: the run is cancelled; no new webhook is created, and what was done is reported`,
    );
    controller.abort(name);
    // The last resort, should reporting itself hang: fail with what is known to be done.
    setTimeout(() => {
      log.fail(
        progress.recorded
          ? `the run was cancelled (${name}) while it posted the PR comment or drift issue; the outputs and the job summary say what was done`
          : `the run was cancelled (${name}) and could not write its outputs and summary in time`,
      );
      process.exit();
    }, CANCEL_DEADLINE_MS).unref();
  };
  for (const name of CANCEL_SIGNALS) process.on(name, onSignal);
  return {
    signal: controller.signal,
    stop: () => {
      for (const name of CANCEL_SIGNALS) process.off(name, onSignal);
    },
  };
}

/** What every step of a run reads: the inputs, the runner's facts, the log and the scrubber. */
interface ActionRun {
  settings: Settings;
  context: RunContext;
  log: RunnerLog;
  scrubber: Scrubber;
}

/**
 * inputs -> the file -> (on a pull request, the base file) -> sync -> the record of the run
 * (outputs and summary) -> the PR comment and drift issue -> the exit status.
 */
async function runAction(
  shell: Omit<ActionRun, 'settings'>,
  signal: AbortSignal,
  progress: Progress,
): Promise<void> {
  const run = startRun(shell);
  const { settings, log } = run;
  const file = await loadFile(run);
  if (file instanceof ConfigError) return reportInvalidFile(run, file.problems);
  const base = await pullRequestBase(run);
  const target = await openSecretTarget(settings, log);
  const client = connectApi(run, signal);
  const { dryRun, resyncSecrets: resync } = settings;
  const onPlan = (planned: SyncResult) => log.info(plannedLine(planned));
  const result = await sync({ file, client, dryRun, target, resync, log, signal, onPlan });
  const pullRequest = base && pullRequestChanges(file, base, result.listing);
  await recordRun(run, result, target, pullRequest);
  progress.recorded = true;
  // A cancelled run has seconds left: it reports, and leaves the comment and the issue alone.
  if (result.cancelled === undefined) {
    const checked = result.plan !== undefined && result.failures.length === 0;
    await publishSafely({
      run,
      report: (restIn, maxLength) =>
        renderReport(result, { heading: '###', maxLength, restIn, pullRequest }),
      drifted: checked ? driftLeft(result) : undefined,
      mode: result.mode,
    });
  }
  setExitStatus(result, run);
}

/**
 * The MijnKlantportaal client of the api-token, which sends nothing once the run is cancelled;
 * none without a token (the file is then validated only).
 */
function connectApi({ settings, log }: ActionRun, signal: AbortSignal): MkpClient | null {
  if (!settings.apiToken) return null;
  return connect({
    apiUrl: settings.apiUrl,
    token: settings.apiToken,
    tuning: settings.tuning,
    mask: (secret) => log.mask(secret),
    onRetry: (message) => log.info(message),
    signal,
  });
}

/** The log's line about the plan, before anything is created: its counts and what applying costs. */
function plannedLine(result: SyncResult): string {
  const cost = costWords(result);
  const counts = result.plan ? planCounts(result.plan) : '';
  return plainText(
    cost ? phrase`plan: ${counts}; cost of applying: ${cost}` : phrase`plan: ${counts}`,
  );
}

/** The inputs read, and both tokens masked before anything can print them. */
function startRun(shell: Omit<ActionRun, 'settings'>): ActionRun {
  const settings = readSettings((name) => core.getInput(name));
  const { log } = shell;
  if (settings.apiToken) log.mask(settings.apiToken);
  if (settings.githubToken) log.mask(settings.githubToken);
  return { ...shell, settings };
}

/** The file, checked; its `${VAR}` values masked and its notices annotated. */
async function loadFile({ settings, log }: ActionRun): Promise<WebhooksFile | ConfigError> {
  let file: WebhooksFile;
  try {
    file = await loadWebhooksFile(settings.config, {
      env: process.env,
      tokens: { 'api-token': settings.apiToken, 'github-token': settings.githubToken },
      secretsAsOutputs: settings.secretsTarget === 'outputs',
      validateOnly: !settings.apiToken,
    });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  maskVariables(log, file);
  for (const notice of file.notices ?? []) log.notice(notice.message, notice);
  log.info(`${settings.config}: ${plural(file.subscriptions.length, 'subscription')} declared`);
  return file;
}

/**
 * An invalid file: every problem as an annotation at its place, the summary and the PR comment
 * list them, and the run fails without calling any API.
 */
async function reportInvalidFile(run: ActionRun, problems: ConfigProblem[]): Promise<void> {
  const { settings, log } = run;
  for (const problem of problems) {
    log.info(formatProblem(problem));
    log.error(problem.message, problem);
  }
  await log.summary(
    renderValidationFailure(settings.config, problems, { maxLength: SUMMARY_LIMIT_BYTES }),
  );
  await publishSafely({
    run,
    report: (_, maxLength) =>
      renderValidationFailure(settings.config, problems, { heading: '###', maxLength }),
    drifted: undefined,
    mode: 'unchecked',
  });
  log.fail(
    `${settings.config} has ${plural(problems.length, 'problem')}; nothing was sent to any API`,
  );
}

/**
 * The run's record: the step outputs, then the job summary. It comes first, and nothing after
 * it may keep it from being written.
 */
async function recordRun(
  run: ActionRun,
  result: SyncResult,
  target: SecretTarget | null,
  pullRequest: PullRequestChanges | undefined,
): Promise<void> {
  const { log } = run;
  try {
    writeOutputs(result, target, pullRequest);
  } catch (error) {
    log.error(`could not write the step outputs: ${messageOf(error)}`);
    log.info(plainText(alreadyDone(result)));
    log.fail('the step outputs could not be written');
  }
  await log.summary(
    renderReport(result, {
      maxLength: SUMMARY_LIMIT_BYTES,
      restIn: phrase`the ${code('plan')} output lists every subscription`,
      pullRequest,
    }),
  );
}

/** What the PR comment and the drift issue are made of. */
interface PublishRequest {
  run: ActionRun;
  /** The run's report as markdown within `maxLength`; `restIn` says where what is cut is. */
  report: (restIn: Phrase, maxLength: number) => Markdown;
  /** Drift left after this run; undefined when the account was not checked. */
  drifted: boolean | undefined;
  mode: RunMode;
}

/** The publish phase never fails a run (CONTRACT §4): whatever goes wrong is a warning. */
async function publishSafely(request: PublishRequest): Promise<void> {
  try {
    await publish(request);
  } catch (error) {
    request.run.log.warning(
      `could not post the PR comment or drift issue: ${messageOf(error)}; the run's own result stands`,
    );
  }
}

/**
 * The PR comment and the drift issue, when asked for. The GitHub client and the writers are
 * loaded only then; the drift issue's writer decides which runs may touch it.
 */
async function publish({ run, report, drifted, mode }: PublishRequest): Promise<void> {
  const { settings, context, log, scrubber } = run;
  const { prComment, driftIssue, githubToken, repository, eventName: event } = settings;
  const onPullRequest = event === 'pull_request' || event === 'pull_request_target';
  if (prComment && !onPullRequest) {
    log.info(`pr-comment: this is a ${event || 'local'} run, not a pull request; no comment`);
  }
  const wantComment = prComment && onPullRequest;
  const wantIssue = driftIssue && drifted !== undefined;
  if (!githubToken || !repository || (!wantComment && !wantIssue)) return;

  const body = (maxLength: number) =>
    report(phrase`the job summary of this run has them all`, maxLength);
  const scrub = (text: string) => scrubber.scrub(text);
  const { githubClient } = await import('./github/client.js');
  const octokit = githubClient(githubToken, settings.githubApiUrl, settings.tuning, {
    onWait: (message) => log.info(message),
  });
  if (wantComment) {
    const pullNumber = context.pullRequest?.number;
    if (typeof pullNumber !== 'number') {
      log.warning('pr-comment: the event payload names no pull request; no comment');
    } else {
      const { postPlanComment } = await import('./github/pr-comment.js');
      const footer = planCommentFooter(context.pullRequest?.headSha, context.runUrl);
      const markdown = joinMarkdown([body(REPORT_BUDGET.comment), ...(footer ? [footer] : [])]);
      await postPlanComment({
        octokit,
        repository,
        pullNumber,
        configPath: settings.config,
        markdown,
        scrub,
        log,
      });
    }
  }
  if (wantIssue) {
    const { reportDrift } = await import('./github/drift-issue.js');
    await reportDrift({
      octokit,
      repository,
      configPath: settings.config,
      drifted: drifted!,
      event,
      mode,
      markdown: body(REPORT_BUDGET.issue),
      scrub,
      runUrl: context.runUrl,
      log,
    });
  }
}

/** On a pull request: the base branch's file, or why it could not be read (a notice). */
async function pullRequestBase({
  settings,
  context,
  log,
}: ActionRun): Promise<PullRequestBase | undefined> {
  const { pullRequest: event, workspace } = context;
  if (!event) return undefined;
  let base: PullRequestBase;
  try {
    const { readBaseFile } = await import('./github/base-file.js');
    base = await readBaseFile({
      githubToken: settings.githubToken,
      githubApiUrl: settings.githubApiUrl,
      tuning: settings.tuning,
      repository: settings.repository,
      event,
      configPath: settings.config,
      workspace,
      env: process.env,
      tokens: { 'api-token': settings.apiToken, 'github-token': settings.githubToken },
      onWait: (message) => log.info(message),
    });
  } catch (error) {
    // Loading the GitHub client parses the event payload, and a broken payload throws there.
    base = {
      state: 'unreadable',
      ref: event.baseRef ?? 'the base branch',
      reason: messageOf(error),
    };
  }
  if (base.state === 'read') {
    // The base file may read other ${VAR}s: their values are masked and scrubbed alike.
    maskVariables(log, base.file);
  } else if (base.state === 'unreadable') {
    // The reason may quote GitHub's answer: scrubbed and encoded like every other line.
    log.notice(
      `the base branch's ${settings.config} could not be read (${base.reason}); the report shows the whole plan, not only what this pull request changes`,
    );
  }
  return base;
}

function writeOutputs(
  result: SyncResult,
  target: SecretTarget | null,
  pullRequest: PullRequestChanges | undefined,
): void {
  const plan = planJson(result, pullRequest);
  if (plan) core.setOutput('plan', JSON.stringify(plan));
  core.setOutput('created', JSON.stringify(createdJson(result)));
  // In the file's order, whichever write finished first.
  const written = result.outcomes.filter((o) => o.secret?.state === 'written');
  const secrets =
    target instanceof OutputsTarget
      ? target.valuesOf(written.map((o) => o.subscription.secretName))
      : new Map<string, string>();
  core.setOutput('secrets', JSON.stringify(Object.fromEntries(secrets)));
  for (const [name, value] of secrets) core.setOutput(name, value);
  core.setOutput('changed', String(changed(result)));
  core.setOutput('drift', String(drift(result)));
  core.setOutput('to-create', String(result.plan?.create.length ?? 0));
  core.setOutput('unmanaged', String(result.plan?.unmanaged.length ?? 0));
}

/** Exit status of CONTRACT §4: failures first, then drift when fail-on-drift is on. */
function setExitStatus(result: SyncResult, { settings, log }: ActionRun): void {
  if (result.mode === 'unchecked') {
    const warning = accountNotCheckedWarning(settings);
    if (warning) log.warning(warning);
    else log.info('no api-token: the file is valid; the account was not checked');
  }
  if (!succeeded(result)) {
    // Each failure was reported as an error where it happened; this says where things stand.
    log.fail(`the run did not finish (see the errors above). ${plainText(alreadyDone(result))}`);
    return;
  }
  if (settings.failOnDrift && drift(result)) {
    const plan = result.plan!;
    log.fail(
      `drift: the account did not match ${settings.config} at the start of the run (${plan.create.length} to create, ${plan.unmanaged.length} unmanaged), and fail-on-drift is on`,
    );
  }
}

/**
 * The SecretTarget that `secrets-target` names. The GitHub stores are loaded only when used,
 * so a run with step outputs does not pay for Octokit and libsodium at start-up.
 */
async function openSecretTarget(settings: Settings, log: Log): Promise<SecretTarget> {
  if (settings.secretsTarget === 'outputs') return new OutputsTarget();
  const { GitHubSecretsTarget } = await import('./github/secrets.js');
  // GitHub's rate limits may hold a write: the log says why the run waits.
  return new GitHubSecretsTarget({ ...settings, onWait: (message) => log.info(message) });
}

/** Every `${VAR}` value a file read is masked by the runner and cut from all text shown. */
function maskVariables(log: RunnerLog, file: WebhooksFile): void {
  for (const value of file.substitutedValues ?? []) log.maskVariable(value);
}
