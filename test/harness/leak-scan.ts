import type { ActionRun } from '../../dev/harness/action-runner.js';

/**
 * The leak check of CONTRACT §4, run over every end-to-end run (action tests, the fault matrix,
 * the CLI; pure, so the matrix can use it without jest): it scans the log line by line, as the runner masks, the job summary, every PR
 * comment and issue body GitHub received, and every output but the secret ones, for every
 * token, secret and `${VAR}` value the run used.
 *
 * - A token or secret may appear in the log only on its own `::add-mask::` line (each line of a
 *   multi-line value on its own), never in the summary, a comment, an issue, or an output other
 *   than `secrets` and the per-secret outputs.
 * - A `${VAR}` value (8 characters or more; shorter ones are not masked) is held to the same
 *   rules, except that the machine outputs `plan` and `created` keep the resolved URL.
 */
export interface LeakScan {
  run: ActionRun;
  /** Tokens and webhook secrets. */
  secrets: readonly string[];
  /** Values substituted for `${VAR}`. */
  variables?: readonly string[];
  /** Every PR comment and issue body GitHub holds after the run. */
  posted?: readonly string[];
  /** Outputs that hold secrets by design, besides `secrets`. */
  secretOutputs?: readonly string[];
}

/** Outputs that keep resolved URLs by design (CONTRACT §3): machine text, not people's. */
const MACHINE_OUTPUTS = ['plan', 'created'];
const MIN_VARIABLE_LENGTH = 8;

/** Every leak found, as one sentence each (never quoting the value); empty when none. */
export function findLeaks(scan: LeakScan): string[] {
  const problems: string[] = [];
  const { run } = scan;
  const check = (values: readonly string[], kind: 'secret' | 'variable') => {
    const pieces = [...new Set(values.flatMap(linesOf))].filter(
      (v) => kind === 'secret' || v.length >= MIN_VARIABLE_LENGTH,
    );
    for (const [stream, text] of [
      ['stdout', run.stdout],
      ['stderr', run.stderr],
    ] as const) {
      text.split('\n').forEach((line, i) => {
        for (const value of pieces) {
          if (line.includes(value) && line !== `::add-mask::${value}`) {
            problems.push(`a ${kind} value on line ${i + 1} of ${stream}`);
          }
        }
      });
    }
    for (const value of pieces) {
      if (run.summary.includes(value)) problems.push(`a ${kind} value in the job summary`);
      (scan.posted ?? []).forEach((body, i) => {
        if (body.includes(value)) problems.push(`a ${kind} value in GitHub text #${i + 1}`);
      });
      for (const [name, output] of Object.entries(run.outputs)) {
        if (name === 'secrets' || scan.secretOutputs?.includes(name)) continue;
        if (kind === 'variable' && MACHINE_OUTPUTS.includes(name)) continue;
        if (output.includes(value)) problems.push(`a ${kind} value in the output ${name}`);
      }
    }
  };
  check(scan.secrets.filter(Boolean), 'secret');
  check((scan.variables ?? []).filter(Boolean), 'variable');
  return [...new Set(problems)];
}

/** The runner masks one line at a time: a multi-line value is masked (and found) per line. */
export function linesOf(value: string): string[] {
  return value.split(/\r\n|\r|\n/).filter((line) => line.trim() !== '');
}
