// Ownership scope (CONTRACT §1-§2): which account records are this file's business. `owns`
// narrows it to URL patterns, `ignore` takes records out; a record outside is someone else's
// (another repository, an integration) and is never unmanaged, drift or a duplicate.
import { isMapping } from '../parsed.js';
import { comparableUrl, normalizeUrl, shownUrl } from '../url.js';
import { listedEvents } from './event-list.js';
import type { FilePositions } from './positions.js';
import type { ConfigProblem, Glob, IgnoreRule, Scope, Subscription, UrlPattern } from './types.js';
import { quoted } from './wording.js';

/** The scope of a file without `owns` or `ignore`: every record on the account is its business. */
export const WHOLE_ACCOUNT: Scope = { owns: null, ignore: [] };

// Stands in for `*` while WHATWG parsing normalises the rest; lowercase letters survive every
// part of a URL unchanged (host included), and no real URL holds this run of them.
const STAR = 'zqxstarzqx';

/**
 * A pattern as a matcher: its scheme and host normalised as the plan normalises URLs (WHATWG:
 * lowercase, IDN to punycode, default port dropped), `*` any run of characters. Throws an
 * Error whose message says what is wrong with the pattern.
 */
export function compilePattern(text: string): Glob {
  const scheme = /^(https?):\/\//i.exec(text);
  if (!scheme) {
    throw new Error(
      `${quoted(text)} is not a URL pattern: write an absolute http(s) URL, as in \`https://hooks.example.com/*\``,
    );
  }
  if (text.includes(STAR)) throw new Error(`${quoted(text)} is not a usable URL pattern`);
  const stars = text.split('*').length - 1;
  let href: string;
  try {
    href = normalizeUrl(text.replaceAll('*', STAR));
  } catch {
    throw new Error(
      `${quoted(text)} is not a URL pattern: it does not parse as a URL once \`*\` stands for some text (a \`*\` in the port, or a character a host may not hold?)`,
    );
  }
  // A `*` inside an internationalised host label ends up inside its punycode form.
  const host = new URL(href).hostname;
  const mangled = host.split('.').some((label) => label.startsWith('xn--') && label.includes(STAR));
  if (mangled || href.split(STAR).length - 1 !== stars) {
    throw new Error(
      `${quoted(text)}: a \`*\` inside a non-ASCII host label cannot be matched; put the \`*\` in a label of its own`,
    );
  }
  // WHATWG gives `https://host` the path `/`; a pattern ending in `*` right after the host
  // (`https://*`) must not gain it.
  const rest = text.slice(scheme[0].length);
  if (!/[/?#]/.test(rest) && rest.endsWith('*') && href.endsWith('/')) href = href.slice(0, -1);
  return href.split(STAR);
}

/** True when the URL (normalised like the plan's matching key) matches the pattern. */
export function matchesPattern(pattern: Glob, url: string): boolean {
  return globMatch(pattern, comparableUrl(url));
}

/**
 * Leftmost-first search for each middle part: linear scans, no backtracking, so a pattern with
 * many `*`s cannot make matching slow (a regular expression would backtrack).
 */
function globMatch(parts: Glob, text: string): boolean {
  const first = parts[0]!;
  if (parts.length === 1) return text === first;
  const last = parts[parts.length - 1]!;
  if (text.length < first.length + last.length) return false;
  if (!text.startsWith(first) || !text.endsWith(last)) return false;
  let at = first.length;
  const end = text.length - last.length;
  for (const part of parts.slice(1, -1)) {
    const found = text.indexOf(part, at);
    if (found === -1 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

export type Standing = 'owned' | 'outside-owns' | 'ignored';

/** Where a record with this event and URL stands in the scope; the first ignore rule wins. */
export function standingOf(scope: Scope, event: string, url: string): Standing {
  if (scope.owns && !scope.owns.some((p) => matchesPattern(p.matcher, url))) return 'outside-owns';
  return ignoringRule(scope, event, url) ? 'ignored' : 'owned';
}

function ignoringRule(scope: Scope, event: string, url: string): IgnoreRule | undefined {
  return scope.ignore.find(
    (rule) =>
      (rule.events === null || (rule.events as readonly string[]).includes(event)) &&
      matchesPattern(rule.pattern.matcher, url),
  );
}

export function inScope(scope: Scope, event: string, url: string): boolean {
  return standingOf(scope, event, url) === 'owned';
}

/**
 * `owns` and `ignore` of the parsed data, each pattern checked at its line. A value the schema
 * already reported (listed in `invalid`) is not judged again.
 */
export function scopeOf(
  data: unknown,
  invalid: ReadonlySet<string>,
  positions: FilePositions,
): { scope: Scope; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const top = isMapping(data) ? data : {};
  const pattern = (
    value: unknown,
    path: Array<string | number>,
    key: string,
  ): UrlPattern | undefined => {
    if (typeof value !== 'string' || invalid.has(`/${path.join('/')}`)) return undefined;
    const where = positions.at(path);
    try {
      return { text: value, matcher: compilePattern(value), line: where.line };
    } catch (error) {
      problems.push({ ...where, message: `${key}: ${(error as Error).message}` });
      return undefined;
    }
  };

  let owns: UrlPattern[] | null = null;
  if (Array.isArray(top.owns) && !invalid.has('/owns')) {
    owns = [];
    top.owns.forEach((value: unknown, index) => {
      const compiled = pattern(value, ['owns', index], '`owns`');
      if (compiled) owns!.push(compiled);
    });
  }
  const ignore: IgnoreRule[] = [];
  if (Array.isArray(top.ignore)) {
    top.ignore.forEach((entry: unknown, index) => {
      if (!isMapping(entry)) return;
      const compiled = pattern(entry.url, ['ignore', index, 'url'], '`ignore`');
      if (!compiled) return;
      const events = Array.isArray(entry.events)
        ? listedEvents(entry.events, ['ignore', index, 'events'], positions, (where, message) =>
            problems.push({ ...where, message }),
          ).map(({ event }) => event)
        : null;
      ignore.push({ pattern: compiled, events });
    });
  }
  return { scope: { owns, ignore }, problems };
}

/** A file cannot both declare and disown a webhook: each such subscription is a problem. */
export function disownedProblems(
  subscriptions: readonly Subscription[],
  scope: Scope,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const s of subscriptions) {
    const pair = `${quoted(s.event)} to ${quoted(shownUrl(s))}`;
    const standing = standingOf(scope, s.event, s.url);
    if (standing === 'outside-owns') {
      const owns = (scope.owns ?? []).map((p) => quoted(p.text)).join(', ');
      problems.push({
        ...s.position,
        message: `${pair} is outside \`owns\` (${owns}): a file cannot both declare and disown a webhook; add a pattern to \`owns\` or move the entry to the file that owns it`,
      });
    } else if (standing === 'ignored') {
      const rule = ignoringRule(scope, s.event, s.url)!;
      problems.push({
        ...s.position,
        message: `${pair} is matched by the \`ignore\` entry on line ${rule.pattern.line}: a file cannot both declare and disown a webhook; narrow that entry or remove this one`,
      });
    }
  }
  return problems;
}
