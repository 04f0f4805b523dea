import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { SourcePosition } from '../log.js';

/** A place in the parsed data, as keys and list indexes: `['webhooks', 0, 'url']`. */
export type DataPath = ReadonlyArray<string | number>;

/**
 * Maps places in the data back to where the file writes them, 1-based, as annotations want.
 * The text given to the parser has no byte order mark, so column 1 is the first character
 * people see; a CR before the LF of a CRLF line ending only ever follows the last column.
 */
export class FilePositions {
  constructor(
    private readonly file: string,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  ofOffset(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(Math.max(0, offset));
    return { file: this.file, line, column: col };
  }

  ofNode(node: Node | null | undefined): SourcePosition {
    return this.ofOffset(node?.range?.[0] ?? 0);
  }

  /**
   * Where the value at `path` is written (or its key, with part 'key'). A value left empty
   * (`url:`) points at its key; a path that leaves the document points at the deepest node on
   * the way. Aliases are followed into their anchor when the path goes further, where a problem
   * is fixed (and reported once for all uses); with `aliases: 'use'` the answer is the alias
   * itself, which tells the uses apart.
   */
  at(
    path: DataPath,
    part: 'value' | 'key' = 'value',
    aliases: 'anchor' | 'use' = 'anchor',
  ): SourcePosition {
    let node: unknown = this.doc.contents;
    let found: Node | null = isNodeWithRange(node) ? node : null;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      const last = i === path.length - 1;
      if (isAlias(node)) {
        if (aliases === 'use') return this.ofNode(node);
        node = node.resolve(this.doc);
      }
      if (isMap(node)) {
        // The last pair wins, as when the data was built from the document.
        const pair = lastPair(node.items, String(segment));
        if (!pair) break;
        const key = isNodeWithRange(pair.key) ? pair.key : null;
        if (last && part === 'key') return this.ofNode(key ?? found);
        const value = pair.value;
        if (!isNodeWithRange(value) || isEmptyScalar(value)) return this.ofNode(key ?? found);
        node = value;
        found = value;
      } else if (isSeq(node)) {
        const item = typeof segment === 'number' ? node.items[segment] : undefined;
        if (!isNodeWithRange(item)) break;
        node = item;
        found = item;
      } else {
        break;
      }
    }
    return this.ofNode(found);
  }
}

/** A JSON pointer (ajv's instancePath) as a DataPath; list indexes become numbers. */
export function pointerToPath(pointer: string, data: unknown): DataPath {
  if (pointer === '') return [];
  const path: Array<string | number> = [];
  let value = data;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) {
      const index = Number(segment);
      path.push(index);
      value = value[index];
    } else {
      path.push(segment);
      value =
        value !== null && typeof value === 'object' && Object.hasOwn(value, segment)
          ? (value as Record<string, unknown>)[segment]
          : undefined;
    }
  }
  return path;
}

function lastPair<P extends { key: unknown }>(pairs: readonly P[], key: string): P | undefined {
  for (let i = pairs.length - 1; i >= 0; i--) {
    if (keyText(pairs[i]!.key) === key) return pairs[i];
  }
  return undefined;
}

/** The key as it becomes a property name of the data: a scalar key's value as text. */
function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return key.value === null ? '' : String(key.value);
  return undefined;
}

function isEmptyScalar(node: Node): boolean {
  return isScalar(node) && node.value === null && node.source === '';
}

function isNodeWithRange(node: unknown): node is Node {
  return (
    node !== null &&
    typeof node === 'object' &&
    'range' in node &&
    Array.isArray((node as { range?: unknown }).range)
  );
}
