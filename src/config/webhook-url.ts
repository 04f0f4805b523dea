import { redactUrl } from '../url.js';
import { URL_MAX_LENGTH } from './schema.js';
import { code } from './wording.js';

/**
 * The rules for a webhook URL after `${VAR}` substitution: absolute, https, no fragment.
 * Messages show a URL only redacted (no user-info, query values as ***): it may hold a token,
 * and it may have come from a secret in the environment.
 *
 * `subject` names the URL in the message, e.g. "`url`" or "`url` (after substituting ${X})".
 */
export function webhookUrlProblem(url: string, subject: string): string | undefined {
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
  const shown = code(redactUrl(url));
  if (parsed.protocol === 'http:') return `${subject} must use https://, not http:// (${shown})`;
  if (parsed.protocol !== 'https:') {
    return `${subject} must be an https:// URL, not ${code(parsed.protocol)} (${shown})`;
  }
  // WHATWG drops an empty fragment (`…/hook#`) from .hash, so look at the text itself.
  if (url.includes('#')) {
    return `${subject} must not have a fragment (the part from \`#\`), which is never sent to the server (${shown})`;
  }
  // Reports show URLs redacted; pasting one back would subscribe a URL that says `***`.
  if (
    parsed.password === '***' ||
    parsed.username === '***' ||
    /[?&][^=&]*=\*\*\*(&|$)/.test(parsed.search) ||
    /=%2A%2A%2A/i.test(parsed.search)
  ) {
    return `${subject} holds \`***\` where a value belongs: it looks copied from a redacted report. Use the real value, or \${VAR} to read it from a secret (\`npx mkp-webhooks import --output -\` prints the exact URLs)`;
  }
  return undefined;
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
