// How messages show what the file holds. Every problem is one line (it becomes an annotation),
// so a value is shown in backticks, shortened, with line breaks, other control characters and
// bidirectional-text controls (which could make a log line read differently) escaped.

/**
 * The most of a file that any message quotes (CONTRACT §4: no output quotes more of a file than
 * the offending token, cut short): enough to recognise a key, an event, a name (at most 40
 * characters) or the start of a URL; the message's line and column point at the rest.
 */
export const QUOTE_LENGTH = 40;
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `value` as it appears in a message: at most QUOTE_LENGTH characters of it, escaped. */
export function quoted(value: string): string {
  if (value === '') return '(empty)';
  return `\`${visible(cut(value)).replace(/`/g, "'")}\``;
}

/** At most QUOTE_LENGTH characters of `value`, the last an ellipsis when it was longer. */
export function cut(value: string): string {
  const chars = [...value];
  return chars.length > QUOTE_LENGTH ? `${chars.slice(0, QUOTE_LENGTH - 1).join('')}…` : value;
}

/** Line breaks, control and bidirectional characters as escapes (`\r`, `\u001b`): never raw. */
export function visible(text: string): string {
  return text.replace(INVISIBLE, (c) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** What kind of YAML value this is, for "must be a list, not …". */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  // Only YAML 1.1 (`%YAML 1.1`) makes these: dates, !!binary, !!set and !!omap.
  if (value instanceof Date) return 'a date';
  if (ArrayBuffer.isView(value)) return 'binary data';
  if (value instanceof Set) return 'a set';
  switch (typeof value) {
    case 'string':
      return 'text';
    case 'number':
    case 'bigint':
      return 'a number';
    case 'boolean':
      return `\`${String(value)}\``;
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}

/** A character in a message: `-`, a space, or the code point of an invisible one. */
export function character(c: string): string {
  if (c === ' ') return 'a space';
  if (c === '`') return 'a backtick';
  const point = c.codePointAt(0) ?? 0;
  const code = `U+${point.toString(16).toUpperCase().padStart(4, '0')}`;
  if (point < 0x20 || (point >= 0x7f && point <= 0x9f)) return `the control character ${code}`;
  if (visible(c) !== c) return `the invisible character ${code}`;
  return `\`${c}\``;
}

/** "`a`, `b` or `c`". */
export function alternatives(values: readonly string[]): string {
  const shown = values.map((v) => `\`${v}\``);
  return shown.length <= 1
    ? (shown[0] ?? '')
    : `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
}
