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
