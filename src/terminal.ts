// The CLI's one way to the terminal: every line it writes goes through `write` here. Text for
// people (`show`, `err` and the Log) is scrubbed, then encoded line by line (text/encoders.ts
// `terminalLine`: control characters, U+009B and bidirectional controls shown escaped, never
// sent), so nothing from the file, the account or an API can move the cursor, set the title or
// the clipboard, or redraw a line. Machine output (`json`, `data`) keeps `${VAR}` values and
// URLs whole, secrets cut. Nothing else in src/ writes to stdout or stderr (test/layering.test.ts).
import { formatPosition, type Log, type SourcePosition } from './log.js';
import { Scrubber } from './scrub.js';
import { jsonText, terminalLine } from './text/encoders.js';

export interface Terminal {
  scrubber: Scrubber;
  /** Lines for people on stdout; a line break inside a line is shown escaped. */
  show: (...lines: string[]) => void;
  /** Lines for people on stderr. */
  err: (...lines: string[]) => void;
  /** Machine output on stdout: a value as one line of JSON (`--json`). */
  json: (value: unknown) => void;
  /** Machine output on stdout: text as it is (import's YAML, written by the yaml library). */
  data: (text: string) => void;
  log: Log;
}

export function openTerminal(): Terminal {
  const scrubber = new Scrubber();
  const lines =
    (stream: NodeJS.WriteStream) =>
    (...text: string[]) =>
      write(stream, text.map((line) => `${terminalLine(scrubber.scrub(line))}\n`).join(''));
  const show = lines(process.stdout);
  const err = lines(process.stderr);
  const at = (p?: SourcePosition) => (p ? `${formatPosition(p)}: ` : '');
  const log: Log = {
    mask: (secret) => void scrubber.add(secret), // the terminal's masking is the scrubber
    info: (message) => err(message),
    warning: (message, p) => err(`warning: ${at(p)}${message}`),
    error: (message, p) => err(`error: ${at(p)}${message}`),
    group: async (title, fn) => {
      err(title);
      return fn();
    },
  };
  return {
    scrubber,
    show,
    err,
    json: (value) => write(process.stdout, `${scrubber.scrubSecrets(jsonText(value))}\n`),
    data: (text) => write(process.stdout, scrubber.scrubSecrets(text)),
    log,
  };
}

/** The one place the CLI writes. */
function write(stream: NodeJS.WriteStream, text: string): void {
  stream.write(text);
}
