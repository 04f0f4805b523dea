/**
 * Whether a comment or issue body is marked as this action's by `marker` (CONTRACT §4): the
 * marker must be the body's first line (`^marker\r?$`; a body edited on the web comes back with
 * CRLF line ends). A marker anywhere else, such as one quoted from a file into the report of
 * another config, marks nothing. Ownership is checked besides (the token's own identity).
 */
export function markedBy(body: string | null | undefined, marker: string): boolean {
  if (!body) return false;
  const end = body.indexOf('\n');
  const first = end === -1 ? body : body.slice(0, end);
  return (first.endsWith('\r') ? first.slice(0, -1) : first) === marker;
}
