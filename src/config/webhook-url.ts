import { redactTemplate, redactUrl } from '../url.js';
import { URL_MAX_LENGTH } from './schema.js';
import { quoted } from './wording.js';

/**
 * The rules for a webhook URL after `${VAR}` substitution: absolute, https, no fragment.
 * Messages show a URL only redacted (no user-info, query values as ***): it may hold a token,
 * and it may have come from a secret in the environment.
 *
 * `subject` names the URL in the message, e.g. "`url`" or "`url` (after substituting ${X})";
 * `template`, when given, is the form written with `${VAR}`, shown instead of the value.
 */
export function webhookUrlProblem(
  url: string,
  subject: string,
  template?: string,
): string | undefined {
  if (url.trim() === '') return `${subject} is empty`;
  if (url.length > URL_MAX_LENGTH) return `${subject} is longer than ${URL_MAX_LENGTH} characters`;
  if (/\s/.test(url)) return `${subject} contains whitespace: remove it, or write a space as %20`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return isRelative(url)
      ? `${subject} must be an absolute URL starting with https://, not a relative one`
      : `${subject} is not a valid URL`;
  }
  const shown = quoted(template === undefined ? redactUrl(url) : redactTemplate(template));
  if (parsed.protocol === 'http:') return `${subject} must use https://, not http:// (${shown})`;
  if (parsed.protocol !== 'https:') {
    return `${subject} must be an https:// URL, not ${quoted(parsed.protocol)} (${shown})`;
  }
  // WHATWG drops an empty fragment (`…/hook#`) from .hash, so look at the text itself.
  if (url.includes('#')) {
    return `${subject} must not have a fragment (the part from \`#\`), which is never sent to the server (${shown})`;
  }
  const unreachable = unreachableHost(parsed.hostname);
  if (unreachable !== undefined) {
    const host = template === undefined ? `${quoted(parsed.hostname)}, ` : '';
    return `${subject} points to ${host}${unreachable}: MijnKlantportaal cannot reach it from the internet, and such a URL would aim the service at internal systems (${shown})`;
  }
  if (looksLikeHost(parsed.username)) {
    return `${subject} has user-info before \`@\` that reads like a host name, while the request goes to another host: write the URL without it (${shown})`;
  }
  // Reports show URLs redacted; pasting one back would subscribe a URL that says `***`.
  if (
    parsed.password === '***' ||
    parsed.username === '***' ||
    /[?&][^=&]*=\*\*\*(&|$)/.test(parsed.search) ||
    /=%2A%2A%2A/i.test(parsed.search)
  ) {
    return `${subject} holds \`***\` where a value belongs: it looks copied from a redacted report. Use the real value, or \${VAR} to read it from a secret (\`npx mkp-webhooks-sync@1 import --output -\` prints the exact URLs)`;
  }
  return undefined;
}

/**
 * Why a host cannot be a webhook receiver, or undefined when it may be one. WHATWG parsing has
 * already turned `127.1`, `0x7f.0.0.1` and `2130706433` into dotted form, and IPv6 into `[…]`.
 */
export function unreachableHost(hostname: string): string | undefined {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'a loopback host';
  const v4 = ipv4Reason(host);
  if (v4 !== undefined) return v4;
  if (!host.startsWith('[')) return undefined;
  const words = ipv6Words(host.slice(1, -1));
  if (!words) return undefined;
  if (words.every((w) => w === 0)) return 'an unspecified address';
  if (words.slice(0, 7).every((w) => w === 0) && words[7] === 1) return 'a loopback address';
  if ((words[0]! & 0xfe00) === 0xfc00) return 'a private (unique local) address';
  if ((words[0]! & 0xffc0) === 0xfe80) return 'a link-local address';
  // ::ffff:a.b.c.d reaches the IPv4 host a.b.c.d.
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) {
    const [a, b] = [words[6]!, words[7]!];
    return ipv4Reason(`${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`);
  }
  return undefined;
}

function ipv4Reason(host: string): string | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (!match) return undefined;
  const [a, b] = [Number(match[1]), Number(match[2])];
  if (a === 0) return 'an unspecified address';
  if (a === 127) return 'a loopback address';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) {
    return 'a private address';
  }
  if (a === 169 && b === 254) return 'a link-local address';
  return undefined;
}

/** The eight 16-bit words of an IPv6 address as WHATWG serialises it (no zone, hex, `::`). */
function ipv6Words(address: string): number[] | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const part = (text: string) => (text === '' ? [] : text.split(':').map((w) => parseInt(w, 16)));
  const head = part(halves[0]!);
  const tail = halves.length === 2 ? part(halves[1]!) : [];
  const words = [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  return words.length === 8 && words.every((w) => Number.isInteger(w) && w >= 0)
    ? words
    : undefined;
}

/** `good.example` in `https://good.example@evil.example/`: people read it as the host. */
function looksLikeHost(username: string): boolean {
  if (username === '') return false;
  let user: string;
  try {
    user = decodeURIComponent(username);
  } catch {
    user = username;
  }
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+([/:?].*)?$/i.test(user);
}

/** No scheme, and a valid URL relative to some base: `/hooks/crm`, `hooks.example.com/crm`. */
function isRelative(url: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return false;
  try {
    new URL(url, 'https://relative.invalid/');
    return true;
  } catch {
    return false;
  }
}
