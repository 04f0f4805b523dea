// The parser's share of the rules: text -> YAML document -> plain data, with every syntax
// problem at its line and column. Nothing here knows the webhooks format.
import { isScalar, LineCounter, parseDocument, visit, type YAMLError } from 'yaml';
import type { ConfigProblem } from './types.js';
import { FilePositions } from './positions.js';
import { quoted } from './wording.js';

/**
 * Guards against alias bombs ("billion laughs"): yaml refuses to expand aliases beyond this
 * (roughly: uses of one anchor times the aliases inside it). 100 is yaml's own default and far
 * above what a webhooks file needs (an anchor for a shared list of events, used per entry).
 */
export const MAX_ALIAS_COUNT = 100;

export interface ParsedYaml {
  positions: FilePositions;
  problems: ConfigProblem[];
  /** The data, or undefined when the document could not be read far enough to check it. */
  data?: unknown;
  /** True when the document holds nothing but comments and blank lines. */
  empty: boolean;
}

export function parseYaml(text: string, file: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: true,
    // Checked below in linear time: yaml's own check compares every pair of keys, which takes
    // minutes on a mapping with a few hundred thousand keys.
    uniqueKeys: false,
    // yaml reports some oddities through process.emitWarning; the loader prints nothing.
    logLevel: 'error',
  });
  const positions = new FilePositions(file, doc, lines);
  const problem = (offset: number, message: string): ConfigProblem => ({
    ...positions.ofOffset(offset),
    message,
  });

  const problems = [...doc.errors, ...doc.warnings].map((error) => {
    const opened = unclosed(doc, error);
    return opened
      ? problem(opened.offset, opened.message)
      : problem(error.pos[0], describeYamlError(error));
  });
  const empty = doc.contents === null;
  if (doc.errors.length > 0) return { positions, problems, empty };

  visit(doc, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const key = pair.key.value === null ? '' : String(pair.key.value);
        if (seen.has(key)) {
          problems.push(
            problem(
              pair.key.range?.[0] ?? 0,
              `duplicate key ${quoted(key)}: a key may appear only once in a mapping`,
            ),
          );
        }
        seen.add(key);
      }
    },
  });

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unresolved = /^Unresolved alias[^:]*: (.*)$/.exec(message);
    if (unresolved) {
      const name = unresolved[1]!;
      const alias = firstAlias(doc, name);
      problems.push(
        problem(
          alias,
          `alias ${quoted(`*${name}`)} has no anchor: define ${quoted(`&${name}`)} before using it`,
        ),
      );
    } else if (/alias count/i.test(message)) {
      problems.push(
        problem(
          firstAlias(doc),
          `aliases expand to too many values (more than ${MAX_ALIAS_COUNT}); this limit guards against alias bombs, so write the values out instead of using \`*alias\``,
        ),
      );
    } else {
      throw error;
    }
    return { positions, problems, empty };
  }
  return { positions, problems, data, empty };
}

/** Offset of the first alias in the document (with this anchor name, when given). */
function firstAlias(doc: ReturnType<typeof parseDocument>, name?: string): number {
  let offset = 0;
  visit(doc, {
    Alias(_key, alias) {
      if (name !== undefined && alias.source !== name) return undefined;
      offset = alias.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

/**
 * yaml notices a missing closing quote or bracket where the text ends up, often lines later;
 * people look for it where the quote or bracket was opened.
 */
function unclosed(
  doc: ReturnType<typeof parseDocument>,
  error: YAMLError,
): { offset: number; message: string } | undefined {
  const quote = error.code === 'MISSING_CHAR' && /closing (["'])quote/.exec(error.message)?.[1];
  const bracket = error.code === 'BAD_INDENT' && /end with an? ([\]}])/.exec(error.message)?.[1];
  if (!quote && !bracket) return undefined;
  let found: { offset: number; message: string } | undefined;
  const at = error.pos[0];
  const encloses = (range: readonly number[] | null | undefined): range is readonly number[] =>
    !!range && range[0]! < at && range[1]! >= at;
  visit(doc, {
    Scalar(_key, scalar) {
      if (quote && encloses(scalar.range) && scalar.type?.startsWith('QUOTE')) {
        found = {
          offset: scalar.range![0],
          message: `YAML syntax error: the ${quote} opened here is never closed`,
        };
      }
    },
    Seq(_key, seq) {
      if (bracket === ']' && seq.flow && encloses(seq.range)) {
        found = {
          offset: seq.range![0],
          message: 'YAML syntax error: the [ opened here is never closed with ]',
        };
      }
    },
    Map(_key, map) {
      if (bracket === '}' && map.flow && encloses(map.range)) {
        found = {
          offset: map.range![0],
          message: 'YAML syntax error: the { opened here is never closed with }',
        };
      }
    },
  });
  return found;
}

/** One line that says what is wrong; yaml's own message has the position and a code excerpt. */
function describeYamlError(error: YAMLError): string {
  switch (error.code) {
    case 'TAB_AS_INDENT':
      return 'a tab is used for indentation: YAML indents with spaces only';
    case 'MULTIPLE_DOCS':
      return 'the file holds more than one YAML document (a second `---`): write all webhooks in one document';
    case 'TAG_RESOLVE_FAILED': {
      const tag = /Unresolved tag: (\S+)/.exec(error.message)?.[1];
      return `unknown YAML tag${tag ? ` ${quoted(tag)}` : ''}: this file uses no tags, remove it`;
    }
    case 'RESOURCE_EXHAUSTION':
      return 'the YAML is nested too deeply to read';
    default: {
      const first = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
      return `YAML syntax error: ${first.charAt(0).toLowerCase()}${first.slice(1)}`;
    }
  }
}
