/*
 * The one scrubber for text that reaches a person or GitHub (CONTRACT §4): every value the run
 * masks (both tokens, every webhook secret, every `${VAR}` value long enough to mask) is cut
 * out of log lines, error messages, the summary, the PR comment, the drift issue and the
 * terminal. The Action and the CLI share it: each sink (runner.ts, terminal.ts, the markdown
 * writers) scrubs what it writes, and the Action tells the runner's masking (`::add-mask::`)
 * about the lines that `add` returns.
 */
import { visible } from './text/encoders.js';
import { hostAndPathForms } from './url.js';

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
   * shorter than MIN_MASKED_VARIABLE_LENGTH is not masked (returns no line). A `variable` that is
   * a URL is masked in its host-and-path form too (`billing.example.com/hooks/Tk-7f3e`), which a
   * record's URL in another spelling, or redacted, still holds (CONTRACT §4).
   */
  add(value: string, kind: MaskedKind = 'secret'): string[] {
    if (kind === 'variable' && value.length < MIN_MASKED_VARIABLE_LENGTH) return [];
    const forms = kind === 'variable' ? hostAndPathForms(value) : [];
    const lines = [
      ...maskedLines(value),
      ...forms.filter((form) => form.length >= MIN_MASKED_VARIABLE_LENGTH),
    ];
    const set = kind === 'secret' ? this.secrets : this.variables;
    // A sink may see a line after it was escaped (text/encoders.ts `visible`): cut both forms.
    for (const line of lines) for (const form of new Set([line, visible(line)])) set.add(form);
    this.sorted = undefined;
    return [...new Set(lines)];
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
