// What the core needs from its shell: masking, messages and annotations. The Action passes
// one backed by @actions/core, the CLI one that writes to the terminal, tests one that records.

export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/** `PATH:LINE:COLUMN`, the one form a place in a file is shown in (editors jump to it). */
export function formatPosition(position: SourcePosition): string {
  return `${position.file}:${position.line}:${position.column}`;
}

export interface Log {
  /** Registers a secret with the runner's masking; called before the value is used anywhere. */
  mask(secret: string): void;
  info(message: string): void;
  warning(message: string, position?: SourcePosition): void;
  error(message: string, position?: SourcePosition): void;
  /** Runs one phase of the work under a collapsible heading. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
}

/** A Log that keeps everything it is told, for tests and for quiet callers. */
export class RecordingLog implements Log {
  readonly masked: string[] = [];
  readonly lines: string[] = [];

  mask(secret: string): void {
    this.masked.push(secret);
  }
  info(message: string): void {
    this.lines.push(`info: ${message}`);
  }
  warning(message: string, position?: SourcePosition): void {
    this.lines.push(`warning: ${where(position)}${message}`);
  }
  error(message: string, position?: SourcePosition): void {
    this.lines.push(`error: ${where(position)}${message}`);
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.lines.push(`group: ${title}`);
    return fn();
  }
}

function where(position?: SourcePosition): string {
  return position ? `${formatPosition(position)}: ` : '';
}
