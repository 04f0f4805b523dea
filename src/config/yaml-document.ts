// The parser's share of the rules: text -> YAML document -> plain data, with every syntax
// problem at its line and column. Nothing here knows the webhooks format.
import { isScalar, LineCounter, parseDocument, visit, type YAMLError } from 'yaml';
import type { ConfigProblem } from './types.js';
import { FilePositions } from './positions.js';
import { quoted, visible } from './wording.js';

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
    // Pretty errors append an excerpt of the file to each message; positions come from offsets.
    prettyErrors: false,
    // Checked below in linear time: yaml's own check compares every pair of keys, which takes
    // minutes on a mapping with a few hundred thousand keys.
    uniqueKeys: false,
    // yaml reports some oddities through process.emitWarning; the loader prints nothing.
    logLevel: 'error',
  });
  const positions = new FilePositions(file, doc, lines);
  const problem: Problem = (offset, message) => ({ ...positions.ofOffset(offset), message });

  const source = (error: YAMLError) => text.slice(error.pos[0], error.pos[1]);
  const problems = [...doc.errors, ...doc.warnings].map((error) => {
    const opened = unclosed(doc, error);
    return opened
      ? problem(opened.offset, opened.message)
      : problem(error.pos[0], describeYamlError(error, source(error)));
  });
  const empty = doc.contents === null;
  if (doc.errors.length > 0) return { positions, problems, empty };
  problems.push(...duplicateKeys(doc, problem));
  const data = plainData(doc, problem);
  if ('problem' in data) return { positions, problems: [...problems, data.problem], empty };
  return { positions, problems, data: data.value, empty };
}

type YamlDocument = ReturnType<typeof parseDocument>;
type Problem = (offset: number, message: string) => ConfigProblem;

/** Every key that a mapping repeats, at the repeat (yaml's own check is quadratic). */
function duplicateKeys(doc: YamlDocument, problem: Problem): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
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
  return problems;
}

/** The document as plain data, aliases expanded within the alias-bomb guard; or why not. */
function plainData(
  doc: YamlDocument,
  problem: Problem,
): { value: unknown } | { problem: ConfigProblem } {
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unresolved = /^Unresolved alias[^:]*: (.*)$/.exec(message);
    if (unresolved) {
      const name = unresolved[1]!;
      return {
        problem: problem(
          firstAlias(doc, name),
          `alias ${quoted(`*${name}`)} has no anchor: define ${quoted(`&${name}`)} before using it`,
        ),
      };
    }
    if (/alias count/i.test(message)) {
      return {
        problem: problem(
          firstAlias(doc),
          `aliases expand to too many values (more than ${MAX_ALIAS_COUNT}); this limit guards against alias bombs, so write the values out instead of using \`*alias\``,
        ),
      };
    }
    throw error;
  }
}

/** Offset of the first alias in the document (with this anchor name, when given). */
function firstAlias(doc: YamlDocument, name?: string): number {
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
  doc: YamlDocument,
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

/** One line that says what is wrong, quoting at most the offending token (CONTRACT §4). */
function describeYamlError(error: YAMLError, token: string): string {
  switch (error.code) {
    case 'TAB_AS_INDENT':
      return 'a tab is used for indentation: YAML indents with spaces only';
    case 'MULTIPLE_DOCS':
      return 'the file holds more than one YAML document (a second `---`): write all webhooks in one document';
    case 'TAG_RESOLVE_FAILED': {
      const tag = /^Unresolved tag: (.+)$/s.exec(error.message)?.[1];
      return `unknown YAML tag${tag ? ` ${quoted(tag)}` : ''}: this file uses no tags, remove it`;
    }
    case 'RESOURCE_EXHAUSTION':
      return 'the YAML is nested too deeply to read';
    default: {
      const words = yamlWords(error.message, token);
      return `YAML syntax error: ${words.charAt(0).toLowerCase()}${words.slice(1)}`;
    }
  }
}

/**
 * yaml's messages (2.x) that quote the file, as the words before the quote, the quote, and the
 * words after. The quote is shown through quoted(), cut short and escaped, never as yaml wrote
 * it: a line of a linked .git/config was quoted whole (issue 22), and a CR in a directive or
 * block header reached the log raw.
 */
const QUOTING_MESSAGES: readonly RegExp[] = [
  /^(Unexpected [\w-]+ token in YAML (?:stream|document): )("[\s\S]*")()$/,
  /^(Not a YAML token: )([\s\S]*)()$/,
  /^(Unknown directive )([\s\S]*)()$/,
  /^(Unsupported YAML version )([\s\S]*)()$/,
  /^(Not a valid tag: )([\s\S]*)()$/,
  /^(Could not resolve tag: )([\s\S]*)()$/,
  /^(Verbatim tags aren't resolved, so )([\s\S]*)( is invalid\.)$/,
  /^(The )([\s\S]*)( tag has no suffix)$/,
  /^(Block scalar header includes extra characters: )([\s\S]*)()$/,
  /^(Invalid escape sequence )([\s\S]*)()$/,
  /^(Plain value cannot start with reserved character )([\s\S]*)()$/,
  /^(Anchors and tags must be after the )([\s\S]*)( indicator)$/,
  /^(Unexpected )([\s\S]*?)( in (?:flow [\w ]+|collection))$/,
  /^(Ordered maps must not include duplicate keys: )([\s\S]*)()$/,
];

/** The longest message yaml words without quoting the file is about 80 characters. */
const YAML_WORDS_LENGTH = 100;

/**
 * yaml's message with what it quotes of the file re-quoted. A message no pattern knows (a newer
 * yaml) has the offending token re-quoted where it appears, and is escaped and cut as a whole.
 */
function yamlWords(message: string, token: string): string {
  for (const pattern of QUOTING_MESSAGES) {
    const match = pattern.exec(message);
    if (!match) continue;
    const [, before, quote, after] = match as unknown as [string, string, string, string];
    return `${before}${quoted(quote.startsWith('"') ? unJson(quote) : quote)}${after}`;
  }
  const known = token.length > 1 && message.includes(token);
  const words = known ? message.split(token).join(quoted(token)) : message;
  if (words.length <= YAML_WORDS_LENGTH) return visible(words);
  // yaml puts what it quotes after a colon.
  const colon = words.indexOf(': ');
  return colon > 0 && colon < YAML_WORDS_LENGTH
    ? `${visible(words.slice(0, colon + 2))}${quoted(words.slice(colon + 2))}`
    : `${visible(words.slice(0, YAML_WORDS_LENGTH - 1))}…`;
}

/** yaml quotes some tokens as JSON strings. */
function unJson(quote: string): string {
  try {
    const value: unknown = JSON.parse(quote);
    return typeof value === 'string' ? value : quote;
  } catch {
    return quote;
  }
}
