// How messages show what the file holds. Every problem is one line (it becomes an annotation),
// so a value is shown in backticks, shortened, with line breaks, other control characters and
// bidirectional-text controls (which could make a log line read differently) escaped.

const SHOWN_LENGTH = 60;
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `value` as it appears in a message. */
export function quoted(value: string): string {
  if (value === '') return '(empty)';
  let shown = value.length > SHOWN_LENGTH ? `${value.slice(0, SHOWN_LENGTH - 1)}…` : value;
  shown = shown.replace(INVISIBLE, (c) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return `\`${shown.replace(/`/g, "'")}\``;
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
  if (point < 0x20 || point === 0x7f) {
    return `the control character U+${point.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return `\`${c}\``;
}

/** "`a`, `b` or `c`". */
export function alternatives(values: readonly string[]): string {
  const shown = values.map((v) => `\`${v}\``);
  return shown.length <= 1
    ? (shown[0] ?? '')
    : `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
}
