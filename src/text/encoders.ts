// The encoders, one per sink (CONTRACT §4, "Untrusted text is encoded for where it goes"): markdown
// for the job summary, the PR comment and the drift issue; lines for the runner's log; lines for
// a terminal. Text from the file, the account, the base branch or an API reaches a person only
// through one of these. Markdown is a type that only this module makes, so a renderer cannot
// build a body from a raw string; the log and the terminal each have one sink that encodes
// every line it writes (src/runner.ts, src/terminal.ts).
import { isPhrase, type Code, type Phrase, type Quote } from './phrase.js';

// ---------------------------------------------------------------------------------------------
// What no sink shows raw

/**
 * Characters that move the cursor, end a line, ring, or change how a terminal or a page lays the
 * text out: C0 and C1 controls (U+009B, the one-byte CSI, included), DEL, the line and paragraph
 * separators, and the bidirectional marks, embeddings, overrides and isolates.
 */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with every invisible character shown as an escape: `\r`, `\n` and `\t` by name, other
 * controls as `\x1b`, the rest as `\u202e`. Backslashes stay as they are, so escaping twice
 * changes nothing: a sink may escape what a renderer escaped already.
 */
export function visible(text: string): string {
  return text.replace(INVISIBLE, (c) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    const point = c.charCodeAt(0);
    return (
      named[c] ??
      (point <= 0x9f
        ? `\\x${point.toString(16).padStart(2, '0')}`
        : `\\u${point.toString(16).padStart(4, '0')}`)
    );
  });
}

/**
 * U+2060 WORD JOINER: invisible, and no part of a word, so that text which GitHub would turn into
 * a link or a mention (`@team`, `#12`, `https://…`) reads the same and stays text.
 */
const JOINER = '\u2060';

// ---------------------------------------------------------------------------------------------
// Runner log lines (stdout and stderr of the Action)

/**
 * One line of the runner's log, from any text: no line break or other control character (the
 * runner splits lines on CR as well as LF), no `##[` (the runner finds a legacy command anywhere
 * in a line), and no `::` after only whitespace at the start (the runner trims a line before it
 * looks for a workflow command). Workflow commands come only from @actions/core.
 */
export function logLine(text: string): string {
  const line = visible(text).replace(/##\[/g, `##${JOINER}[`);
  return /^\s*::/.test(line) ? `${JOINER}${line}` : line;
}

// ---------------------------------------------------------------------------------------------
// Terminal lines (the CLI's stdout and stderr for people)

/** One line for a terminal: control characters and bidirectional controls shown escaped, never sent. */
export function terminalLine(text: string): string {
  return visible(text);
}

/**
 * Machine output (`--json`): JSON whose strings escape, as `\u009b`, what JSON.stringify leaves
 * raw but a terminal would act on (C1 controls, bidirectional controls, line separators). The
 * same JSON value, still valid JSON.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(
    INVISIBLE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });
/** Wide and fullwidth East Asian characters: two columns. */
const WIDE =
  /^[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;
/** Nothing to see: combining marks, format characters (joiners, marks). */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]+$/u;

/**
 * How many terminal columns `text` takes: an emoji two, a wide East Asian character two, a
 * combining mark or joiner none, anything else one per character as the user sees it. Measure
 * text after it is escaped (terminalLine), as it will be shown.
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const { segment } of GRAPHEMES.segment(text)) {
    if (ZERO_WIDTH.test(segment)) continue;
    const emoji =
      /\p{Extended_Pictographic}/u.test(segment) &&
      (/\p{Emoji_Presentation}/u.test(segment) || segment.includes('\ufe0f'));
    width += emoji || WIDE.test(segment) ? 2 : 1;
  }
  return width;
}

/** `text` padded with spaces to `width` columns (displayWidth); longer text is left as it is. */
export function padToWidth(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

// ---------------------------------------------------------------------------------------------
// Markdown (the job summary, the PR comment, the drift issue)

/** What a sink does to each value before it is encoded: the scrubber's cut of masked values. */
export type Clean = (text: string) => string;

/** Where a piece of markdown stands: running text, or a table cell (no `|`, no line break). */
type Place = 'text' | 'cell';
type Render = (clean: Clean, place: Place) => string;

const SEAL = Symbol('Markdown');
const RENDERS = new WeakMap<Markdown, Render>();

/**
 * Markdown that only this module's constructors make: our own markup, with every value encoded
 * for the place it stands in. It is rendered late, by the sink, so that values are scrubbed
 * (`clean`) before they are encoded: an encoded value would no longer match the masked one.
 */
export class Markdown {
  readonly #sealed = true;

  constructor(seal: typeof SEAL, render: Render) {
    if (seal !== SEAL || !this.#sealed) throw new TypeError('Markdown is made by text/encoders.ts');
    RENDERS.set(this, render);
  }

  /** The markdown text, each value passed through `clean` (the scrubber) before it is encoded. */
  text(clean: Clean = (value) => value): string {
    return renderIn(this, clean, 'text');
  }
}

function make(render: Render): Markdown {
  return new Markdown(SEAL, render);
}

function renderIn(markdown: Markdown, clean: Clean, place: Place): string {
  return RENDERS.get(markdown)!(clean, place);
}

/** What a markdown template may interpolate. */
export type MarkdownValue = string | number | Code | Quote | Phrase | Markdown;

/**
 * Markdown from a template: the template's text is ours, written in this file's markdown; each
 * value is encoded where it stands. A string (or Quote) is text: markup characters escaped, no
 * raw HTML, no link, image, mention or autolink. A `code(…)` is a code span that its text cannot
 * close. A Phrase goes part by part; a number is digits; a Markdown is taken as it is.
 */
// Not `md` or `markdown`: prettier reformats templates with those tags as markdown, which would
// change what they render (test/untrusted-text.test.ts checks that none spans lines).
export function markup(strings: TemplateStringsArray, ...values: MarkdownValue[]): Markdown {
  const literal = [...strings];
  return make((clean, place) => {
    let out = literal[0]!;
    values.forEach((value, i) => {
      out = joinPieces(out, encodeValue(value, clean, place, atLineStart(out)));
      out = joinPieces(out, literal[i + 1]!);
    });
    return out;
  });
}

/**
 * Where a value may start a block: the start of a render (it may be put anywhere), after a line
 * end, or right after a list item's or quote's marker (`- 1. x` would open a list inside).
 */
function atLineStart(before: string): boolean {
  return before === '' || /(^|\n)[ \t]*(?:(?:[-*+]|\d+[.)]|>)[ \t]+)*$/.test(before);
}

/** Two pieces one after the other; two code spans that touch would read as one fence. */
function joinPieces(before: string, after: string): string {
  return before.endsWith('`') && after.startsWith('`') ? `${before}\u200b${after}` : before + after;
}

function encodeValue(value: MarkdownValue, clean: Clean, place: Place, lineStart: boolean): string {
  if (value instanceof Markdown) return renderIn(value, clean, place);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return text(clean(value), lineStart);
  if (isPhrase(value)) {
    return value.reduce<string>(
      (out, part) => joinPieces(out, encodeValue(part, clean, place, lineStart && out === '')),
      '',
    );
  }
  if ('code' in value) return codeSpan(clean(value.code), place);
  return text(clean(value.text), lineStart);
}

/**
 * Markdown pieces one after the other, with our separator between them (each separator ends in
 * a character that keeps two code spans apart). Joined once: a summary has tens of thousands.
 */
export function joinMarkdown(
  pieces: readonly Markdown[],
  separator: '\n' | ', ' | '; ' | ' · ' | ' ' = '\n',
): Markdown {
  return make((clean, place) =>
    pieces.map((piece) => renderIn(piece, clean, place)).join(separator),
  );
}

/** A table row: each cell rendered for a cell (a `|` in it escaped, even inside a code span). */
export function tableRow(cells: readonly Markdown[]): Markdown {
  return make((clean) => `| ${cells.map((cell) => renderIn(cell, clean, 'cell')).join(' | ')} |`);
}

/**
 * A fold: `<details>` whose `<summary>` is the phrase in HTML (our words as text, each `code(…)`
 * as `<code>`), the body below it as markdown.
 */
export function fold(summary: Phrase, body: Markdown): Markdown {
  return make((clean) => {
    const line = summary
      .map((part) =>
        typeof part === 'string'
          ? htmlText(part)
          : 'code' in part
            ? `<code>${html(visible(clean(part.code)))}</code>`
            : htmlText(clean(part.text)),
      )
      .join('');
    return `<details>\n<summary>${line}</summary>\n\n${renderIn(body, clean, 'text')}\n\n</details>`;
  });
}

/** A fenced block of YAML that its text cannot close: the fence is longer than any inside. */
export function yamlBlock(yaml: string): Markdown {
  return make((clean) => {
    const body = clean(yaml)
      .split('\n')
      .map((line) => visible(line))
      .join('\n');
    const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
    return `${fence}yaml\n${body}\n${fence}`;
  });
}

/**
 * A hidden HTML comment: our words, each value percent-encoded outside the characters of a plain
 * path (`config/prod.yaml` stays as 1.0 wrote it, so its comments are still found), and `--`
 * broken, so nothing in it can end the comment or start a line.
 */
export function htmlComment(strings: TemplateStringsArray, ...values: string[]): Markdown {
  const literal = [...strings];
  if (/--|>|\n/.test(literal.join(''))) throw new TypeError('these words would end the comment');
  const encoded = (value: string) =>
    value
      .replace(/[^A-Za-z0-9._~/-]/gu, (c) =>
        c.length === 1 && isSurrogate(c) ? '%EF%BF%BD' : encodeURIComponent(c),
      )
      .replace(/-(?=-)/g, '%2D');
  const body = literal.reduce((out, part, i) => out + encoded(values[i - 1]!) + part);
  return make(() => `<!-- ${body} -->`);
}

/**
 * A link to a page of this run (the workflow run): `label` is ours; an address that is not
 * http(s) is left out, and the destination is percent-encoded where markdown would end it.
 */
export function link(label: Markdown, url: string | undefined): Markdown {
  return make((clean, place) => {
    const shown = renderIn(label, clean, place);
    if (url === undefined || !/^https?:\/\//i.test(url)) return shown;
    const destination = visible(url).replace(
      /[\s()<>\\"'`|]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
    );
    return `[${shown}](${destination})`;
  });
}

/**
 * GitHub-flavoured markdown's notation, escaped with a backslash wherever it stands: code spans,
 * emphasis, links and images, HTML and entities, strikethrough, tables, math. `_` inside a word
 * cannot start emphasis and is left alone (`wbh_1`).
 */
const MARKUP = /[\\`*[\]<>&~|$]|_(?![A-Za-z0-9])|(?<![A-Za-z0-9])_/g;

/**
 * A value as running text: markup escaped, its start escaped when it would start a block (a
 * heading, list, quote, setext line or indented code) at a line's start, and the words GitHub links
 * (`@name`, `#12`, `GH-12`, `scheme://`, `www.`) broken by a word joiner, which GitHub's mention
 * and reference filters, run on the rendered text, do not see through (an HTML entity would be
 * decoded first).
 */
function text(value: string, lineStart: boolean): string {
  const escaped = linkBreaks(visible(value).replace(MARKUP, (c) => `\\${c}`));
  if (!lineStart) return escaped;
  // Leading spaces would indent a line into a code block: the first is written as an entity.
  return escaped
    .replace(
      /^(\s*)([#>+=-]|\d+[.)])/,
      (_, space: string, marker: string) => `${space}${marker.slice(0, -1)}\\${marker.slice(-1)}`,
    )
    .replace(/^ /, '&#32;');
}

function linkBreaks(text: string): string {
  return text
    .replace(/[@#]/g, (c) => `${c}${JOINER}`)
    .replace(/:(?=\/\/)/g, `:${JOINER}`)
    .replace(/\b(www)\./gi, `$1${JOINER}.`)
    .replace(/\b(gh)-(?=\d)/gi, `$1-${JOINER}`);
}

/** A code span its text cannot close: a fence longer than any backtick run inside, padded. */
function codeSpan(value: string, place: Place): string {
  let inside = visible(value);
  if (place === 'cell') inside = inside.replace(/\|/g, '\\|');
  if (inside === '') return '` `';
  const fence = '`'.repeat(longestRun(inside, '`') + 1);
  const pad = /^[` ]|[` ]$/.test(inside) ? ' ' : '';
  return `${fence}${pad}${inside}${pad}${fence}`;
}

/** HTML text in a `<summary>`: escaped, links and mentions broken as in markdown text. */
function htmlText(value: string): string {
  return html(linkBreaks(visible(value)));
}

function html(value: string): string {
  const entities: Record<string, string> = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&apos;',
  };
  return value.replace(/[&<>"']/g, (c) => entities[c]!);
}

/** A lone half of a surrogate pair, which encodeURIComponent refuses. */
function isSurrogate(c: string): boolean {
  return /[\ud800-\udfff]/.test(c);
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

/**
 * `markdown` within `limit` UTF-8 bytes once rendered: cut at a line end, `note` after it. The
 * cut is line by line, so no value is split; a body that fits is left as it is.
 */
export function fitted(markdown: Markdown, limit: number, note: Markdown): Markdown {
  return make((clean, place) => {
    const whole = renderIn(markdown, clean, place);
    if (Buffer.byteLength(whole, 'utf8') <= limit) return whole;
    const end = `\n\n${renderIn(note, clean, place)}\n`;
    // A character cut in half decodes to U+FFFD at the very end, after the last line end.
    const cut = Buffer.from(whole, 'utf8')
      .subarray(0, Math.max(0, limit - Buffer.byteLength(end, 'utf8')))
      .toString('utf8');
    return `${cut.slice(0, Math.max(0, cut.lastIndexOf('\n')))}${end}`;
  });
}
