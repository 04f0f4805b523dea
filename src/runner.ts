// The Action's one way to the runner: every line it prints and its job summary. A line is
// scrubbed, then encoded as a log line (text/encoders.ts `logLine`: no line break or control
// character, no `##[`, no `::` at its start), so no text from the file, the account or an API
// can start a workflow command; the commands come only from @actions/core. Nothing else in src/
// calls core's printing functions or writes to stdout or stderr (test/layering.test.ts).
import * as core from '@actions/core';
import type { Log, SourcePosition } from './log.js';
import type { Scrubber } from './scrub.js';
import { logLine, type Markdown } from './text/encoders.js';
import { messageOf } from './text/words.js';

/** The Log the Action hands down, with what only the shell does: notices, failing, the summary. */
export interface RunnerLog extends Log {
  /** Registers a `${VAR}` value with the runner's masking and the scrubber (CONTRACT §4). */
  maskVariable(value: string): void;
  notice(message: string, position?: SourcePosition): void;
  /** Fails the step: an error annotation, and exit status 1. */
  fail(message: string): void;
  /** Writes the job summary, each value scrubbed before it is encoded; nothing off a runner. */
  summary(markdown: Markdown): Promise<void>;
}

export function runnerLog(scrubber: Scrubber, stepSummary: boolean): RunnerLog {
  const line = (message: string) => logLine(scrubber.scrub(message));
  const log: RunnerLog = {
    mask: (secret) => {
      for (const masked of scrubber.add(secret)) core.setSecret(masked);
    },
    maskVariable: (value) => {
      for (const masked of scrubber.add(value, 'variable')) core.setSecret(masked);
    },
    info: (message) => core.info(line(message)),
    notice: (message, position) => core.notice(line(message), annotation(position)),
    warning: (message, position) => core.warning(line(message), annotation(position)),
    error: (message, position) => core.error(line(message), annotation(position)),
    group: (title, fn) => core.group(line(title), fn),
    fail: (message) => core.setFailed(line(message)),
    summary: async (markdown) => {
      if (!stepSummary) return; // not on a runner (local runs)
      try {
        await core.summary
          .addRaw(
            markdown.text((text) => scrubber.scrub(text)),
            true,
          )
          .write();
      } catch (error) {
        log.warning(`could not write the job summary: ${messageOf(error)}`);
      }
    },
  };
  return log;
}

function annotation(position: SourcePosition | undefined): core.AnnotationProperties {
  if (!position) return {};
  // The path is text from the inputs, written into the command's properties: a log line too.
  return { file: logLine(position.file), startLine: position.line, startColumn: position.column };
}
