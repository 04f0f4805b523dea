// Small markdown pieces that keep user-controlled text from breaking tables or markup.
import type { Phrase } from '../text/phrase.js';

/** Text for a table cell: no pipes or line breaks that end the cell, no HTML. */
export function cell(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Inline code that survives backticks inside the text. */
export function code(text: string): string {
  const clean = text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
  const fence = clean.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ' ' : ''}${clean}${fence === '``' ? ' ' : ''}${fence}`;
}

/** A phrase as markdown: our words as they are, names as code spans, outside text escaped. */
export function markdown(phrase: Phrase): string {
  return phrase
    .map((part) =>
      typeof part === 'string' ? part : 'code' in part ? code(part.code) : cell(part.text),
    )
    .join('');
}
