// Our words with the values they name kept apart. A Phrase is data, not rendered text: each
// sink renders it with its own encoding of the values (a code span in markdown, the value as
// it is in a log line), and no renderer reads words back out of another's output.

/** A name, id, URL or event type: shown as code where the sink has code. */
export interface Code {
  readonly code: string;
}

/** Text from outside (an API's or GitHub's message, an error): shown as prose. */
export interface Quote {
  readonly text: string;
}

/** Our own words are plain strings: prose without markup. */
export type Part = string | Code | Quote;

/** A sentence, or a piece of one: our words and the values they name, in order. */
export type Phrase = readonly Part[];

export function code(value: string): Code {
  return { code: value };
}

/**
 * A Phrase from a template: the template's text is ours; an interpolated string is outside
 * text (a Quote), a number is ours, and a `code(…)` or a Phrase is taken as it is.
 */
export function phrase(
  strings: TemplateStringsArray,
  ...values: Array<string | number | Code | Quote | Phrase>
): Phrase {
  const parts: Part[] = [];
  strings.forEach((text, i) => {
    if (text !== '') parts.push(text);
    if (i === values.length) return;
    const value = values[i]!;
    if (typeof value === 'number') parts.push(String(value));
    else if (typeof value === 'string') parts.push({ text: value });
    else if (isPhrase(value)) parts.push(...value);
    else parts.push(value);
  });
  return parts;
}

/** The phrases one after the other, `separator` (ours) between them. */
export function joined(phrases: readonly Phrase[], separator: string): Phrase {
  return phrases.flatMap((p, i) => (i === 0 ? p : [separator, ...p]));
}

/**
 * The phrase as plain text, for log lines, the terminal and machine-read messages until each
 * sink has its own encoder: a name in backticks, as the loader's messages quote values, so that
 * a URL that ends a clause keeps its full stop apart; outside text as it is.
 */
export function plainText(phrase: Phrase): string {
  return phrase
    .map((part) =>
      typeof part === 'string' ? part : 'code' in part ? `\`${part.code}\`` : part.text,
    )
    .join('');
}

function isPhrase(value: unknown): value is Phrase {
  return Array.isArray(value);
}
