// URL rules shared by the loader, the plan, the HTTP layer and the reports.

/** The matching key of CONTRACT §2: WHATWG parsing, nothing else normalised. */
export function normalizeUrl(url: string): string {
  return new URL(url).href;
}

/**
 * A URL as the matching rules compare it (the plan's key, `owns` and `ignore` patterns): the
 * normalised form, or the text as it is when it does not parse (a record URL the API holds
 * that no file can declare matches nothing declared).
 */
export function comparableUrl(url: string): string {
  try {
    return normalizeUrl(url);
  } catch {
    return url;
  }
}

/**
 * A URL as people may see it: without user-info, query values replaced by `***`.
 * Machine outputs keep URLs whole; logs, summaries and comments use this.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '[unparseable URL]';
  }
  parsed.username = '';
  parsed.password = '';
  if (parsed.search) {
    const query = parsed.search
      .slice(1)
      .split('&')
      .map((pair) => {
        if (pair === '') return pair;
        const eq = pair.indexOf('=');
        // A key-only parameter (`?SECRETKEY`) is itself the value: hidden whole.
        return eq === -1 ? '***' : `${pair.slice(0, eq)}=***`;
      })
      .join('&');
    parsed.search = `?${query}`;
  }
  // A fragment may hold a value as well; it has no place in a webhook URL anyway.
  if (parsed.hash) parsed.hash = '#***';
  return parsed.href;
}

/**
 * How a declared subscription's URL is shown to people (log, summary, comment, issue, terminal).
 * Every people-facing rendering of a subscription's URL goes through here; machine outputs use
 * `url` itself. A URL written with `${VAR}` is shown in that form, never with the value.
 */
export function shownUrl(subscription: { url: string; template?: string }): string {
  return subscription.template === undefined
    ? redactUrl(subscription.url)
    : redactTemplate(subscription.template);
}

/**
 * A URL as written with `${VAR}`, redacted like any URL, the references kept as they are:
 * `https://u:p@${HOST}/x?k=${K}` -> `https://${HOST}/x?k=***`. Each reference stands in as a
 * plain word while the URL is parsed, so a reference in the host or path survives.
 */
export function redactTemplate(template: string): string {
  const names: string[] = [];
  const marked = template.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    names.push(name);
    return `zmkpvar${names.length - 1}z`;
  });
  const unmark = (text: string) =>
    text.replace(/zmkpvar(\d+)z/g, (_, i: string) => `\${${names[Number(i)]!}}`);
  // `${URL}/extra`: the reference is the whole start, so parse it as if it were a host.
  const absolute = /^[a-z][a-z0-9+.-]*:/i.test(marked);
  const redacted = redactUrl(absolute ? marked : `https://${marked}`);
  if (redacted === '[unparseable URL]') return redacted;
  const shown = unmark(absolute ? redacted : redacted.slice('https://'.length));
  // Parsing adds the root path to a bare host; `${HOOK_URL}` stays `${HOOK_URL}`.
  return shown.endsWith('/') &&
    !template.endsWith('/') &&
    !/[/?#]/.test(shown.slice(0, -1).replace(/^[a-z][a-z0-9+.-]*:\/\//i, ''))
    ? shown.slice(0, -1)
    : shown;
}

/** True when the URL carries values that redaction hides (user-info or a query). */
export function hasHiddenParts(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '' || parsed.search !== '';
  } catch {
    return false;
  }
}

/** Loopback hosts, the only ones `api-url` may reach over plain http. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** A declared URL: as sent, and as written when it holds `${VAR}`. */
export interface DeclaredUrl {
  url: string;
  template?: string;
}

/**
 * How a URL of the account (a record's) is shown to people (CONTRACT §4): in the `${VAR}` form of
 * a declared URL whose `${VAR}` gave it its host or path, when the record's URL has that host and
 * path, however the API spells it (see hostAndPath); else redacted. A `${VAR}` value such as
 * `https://billing.example.com/hooks/Tk-7f3e…?tenant=acme` carries a token in its path, which
 * redaction alone would show.
 */
export function shownRecordUrl(url: string, declared: readonly DeclaredUrl[]): string {
  const from = declaredBy(url, declared);
  return from ? redactTemplate(from.template!) : redactUrl(url);
}

/** The declared URL whose `${VAR}` host or path `url` holds, or undefined. */
export function declaredBy(url: string, declared: readonly DeclaredUrl[]): DeclaredUrl | undefined {
  const key = hostAndPath(url);
  if (key === undefined) return undefined;
  return declared.find(
    (d) => d.template !== undefined && setsHostOrPath(d.template) && hostAndPath(d.url) === key,
  );
}

/**
 * A URL's host and path as compared for `${VAR}` values: lowercased, percent-decoded, without
 * trailing slashes; undefined when it does not parse.
 */
export function hostAndPath(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  let path = parsed.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    // Not valid percent-encoding: compared as written.
  }
  return `${parsed.hostname}${path.replace(/\/+$/, '')}`.toLowerCase();
}

/** True when a `${VAR}` of the template stands before its query: in the host or the path. */
function setsHostOrPath(template: string): boolean {
  return template.split(/[?#]/)[0]!.includes('${');
}

/** The names of the `${VAR}`s a URL is written with, in order. */
export function variablesOf(template: string): string[] {
  return [...new Set([...template.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!))];
}

/**
 * What the API changed in a URL it stores (the create guard's spellings, README "Decisions"), in
 * words: "the API added a trailing slash"; undefined when the two are the same.
 */
export function urlDifference(declared: string, stored: string): string | undefined {
  if (declared === stored) return undefined;
  let a: URL;
  let b: URL;
  try {
    [a, b] = [new URL(declared), new URL(stored)];
  } catch {
    return 'the API stored another URL';
  }
  if (a.href === b.href) return 'the API stored it in another spelling';
  const slash = (u: URL) => u.pathname.endsWith('/') && u.pathname !== '/';
  const bare = (u: URL) => u.pathname.replace(/\/+$/, '');
  if (a.origin === b.origin && a.search === b.search && bare(a) === bare(b)) {
    if (!slash(a) && slash(b)) return 'the API added a trailing slash';
    if (slash(a) && !slash(b)) return 'the API dropped the trailing slash';
  }
  if (a.origin === b.origin && a.search === b.search) {
    if (a.pathname.toLowerCase() === b.pathname.toLowerCase()) {
      return 'the API changed the case of the path';
    }
    if (hostAndPath(declared) === hostAndPath(stored)) {
      return 'the API changed the path’s percent-encoding or trailing slash';
    }
  }
  return 'the API stored another URL';
}

/**
 * The host-and-path forms of a `${VAR}` value that is a URL with a path, as written and as URL
 * parsing normalises it (`billing.example.com/hooks/Tk-7f3e`, no trailing slash): they stay in a
 * redacted URL, and in a record's URL that the API spells otherwise. None for other values.
 */
export function hostAndPathForms(value: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return [];
  }
  if (parsed.pathname.replace(/\/+$/, '') === '' || !/^https?:$/.test(parsed.protocol)) return [];
  const written = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^?#]*)/i.exec(value)?.[1];
  const forms = [`${parsed.host}${parsed.pathname}`, written ?? ''].map((form) =>
    form.replace(/\/+$/, ''),
  );
  return [...new Set(forms.filter((form) => form.includes('/')))];
}
