/*
 * The one scrubber for text that reaches a person or GitHub (CONTRACT §4): every value the run
 * masks (both tokens, every webhook secret, every `${VAR}` value long enough to mask) is cut
 * out of log lines, error messages, the summary, the PR comment, the drift issue and the
 * terminal. The Action and the CLI share it; each shell also tells its own masking (the
 * runner's `::add-mask::`) about the lines that `add` returns.
 */
import type { Log } from './log.js';

/** Shorter `${VAR}` values would blank the log (a host name, `v1`); they are shown only as `${VAR}`. */
export const MIN_MASKED_VARIABLE_LENGTH = 8;

/** What a scrubbed value is replaced by, as the runner does. */
export const SCRUBBED = '***';

export type MaskedKind = 'secret' | 'variable';

export class Scrubber {
  private readonly secrets = new Set<string>();
  private readonly variables = new Set<string>();
  /** Longest first, so that a value holding another is cut whole. */
  private sorted: { all: string[]; secrets: string[] } | undefined;

  /**
   * Registers a value to scrub, and returns the lines to hand to the runner's masking: the
   * runner masks one line at a time, so a multi-line value is masked line by line. A `variable`
   * shorter than MIN_MASKED_VARIABLE_LENGTH is not masked (returns no line).
   */
  add(value: string, kind: MaskedKind = 'secret'): string[] {
    if (kind === 'variable' && value.length < MIN_MASKED_VARIABLE_LENGTH) return [];
    const lines = maskedLines(value);
    const set = kind === 'secret' ? this.secrets : this.variables;
    for (const line of lines) set.add(line);
    this.sorted = undefined;
    return lines;
  }

  /** `text` without any registered value. */
  scrub(text: string): string {
    return cut(text, this.order().all);
  }

  /**
   * `text` without tokens and secrets, `${VAR}` values left: for machine output (the CLI's
   * `--json`), which keeps the resolved URL as the `plan` output does.
   */
  scrubSecrets(text: string): string {
    return cut(text, this.order().secrets);
  }

  private order(): { all: string[]; secrets: string[] } {
    if (!this.sorted) {
      const byLength = (a: string, b: string) => b.length - a.length;
      this.sorted = {
        all: [...new Set([...this.secrets, ...this.variables])].sort(byLength),
        secrets: [...this.secrets].sort(byLength),
      };
    }
    return this.sorted;
  }
}

/** The non-blank lines of a value, each as the runner would mask it (CR/LF split). */
export function maskedLines(value: string): string[] {
  return [...new Set(value.split(/\r\n|\r|\n/).filter((line) => line.trim() !== ''))];
}

function cut(text: string, values: string[]): string {
  let result = text;
  for (const value of values) {
    if (result.includes(value)) result = result.split(value).join(SCRUBBED);
  }
  return result;
}

/**
 * A Log whose every message is scrubbed, and whose `mask` registers the value here and hands
 * each of its lines to the shell's own masking.
 */
export function scrubbingLog(scrubber: Scrubber, inner: Log): Log {
  const clean = scrubber.scrub.bind(scrubber);
  return {
    mask: (secret) => {
      for (const line of scrubber.add(secret)) inner.mask(line);
    },
    info: (message) => inner.info(clean(message)),
    warning: (message, position) => inner.warning(clean(message), position),
    error: (message, position) => inner.error(clean(message), position),
    group: (title, fn) => inner.group(clean(title), fn),
  };
}
