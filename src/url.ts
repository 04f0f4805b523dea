/** URL rules shared by the loader, the plan, the HTTP layer and the reports. */

/** The matching key of CONTRACT §2: WHATWG parsing, nothing else normalised. */
export function normalizeUrl(url: string): string {
  return new URL(url).href;
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
        return eq === -1 ? `${pair}=***` : `${pair.slice(0, eq)}=***`;
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
 * `url` itself.
 */
export function shownUrl(subscription: { url: string }): string {
  return redactUrl(subscription.url);
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
