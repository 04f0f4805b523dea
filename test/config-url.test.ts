import { describe, expect, it } from '@jest/globals';
import { substituteVariables } from '../src/config/variables.js';
import { webhookUrlProblem } from '../src/config/webhook-url.js';
import { code } from '../src/config/wording.js';

describe('substituteVariables', () => {
  const env = { HOST: 'hooks.example.com', TOKEN: 't0k', EMPTY: '', NESTED: '${HOST}' };

  it('substitutes ${NAME} wherever it stands, and names every variable once', () => {
    expect(substituteVariables('https://${HOST}/${TOKEN}/${HOST}', env)).toEqual({
      value: 'https://hooks.example.com/t0k/hooks.example.com',
      variables: ['HOST', 'TOKEN'],
      unset: [],
      malformed: false,
    });
  });

  it('lists unset variables, and counts an empty one as set', () => {
    expect(substituteVariables('${EMPTY}${MISSING}${MISSING}', env)).toMatchObject({
      value: '${MISSING}${MISSING}',
      unset: ['MISSING'],
    });
  });

  it('substitutes once: a value holding ${…} is kept as it is', () => {
    expect(substituteVariables('${NESTED}', env).value).toBe('${HOST}');
  });

  it('takes only the environment own variables', () => {
    expect(substituteVariables('${toString}${__proto__}', {}).unset).toEqual([
      'toString',
      '__proto__',
    ]);
  });

  it.each(['${HOOK-URL}', '${1X}', '${}', '${HOST', 'a${ HOST }'])('finds %s malformed', (text) => {
    expect(substituteVariables(text, env).malformed).toBe(true);
  });

  it.each(['$HOST', '$ {HOST}', '{HOST}', 'https://x/$'])('leaves %s alone', (text) => {
    expect(substituteVariables(text, env)).toEqual({
      value: text,
      variables: [],
      unset: [],
      malformed: false,
    });
  });
});

describe('webhookUrlProblem', () => {
  it.each([
    'https://hooks.example.com/mkp',
    'https://user:pass@hooks.example.com/mkp?token=x',
    'HTTPS://HOOKS.EXAMPLE.COM:8443/a/../b',
    'https://[::1]:8443/x',
  ])('accepts %s', (url) => {
    expect(webhookUrlProblem(url, '`url`')).toBeUndefined();
  });

  it.each([
    ['', '`url` is empty'],
    ['/mkp/crm', '`url` must be an absolute URL starting with https://, not a relative one'],
    [
      'hooks.example.com/crm',
      '`url` must be an absolute URL starting with https://, not a relative one',
    ],
    ['https://', '`url` is not a valid URL'],
    ['https://hooks.example.com:99999/', '`url` is not a valid URL'],
    [
      'https://hooks.example.com/a b',
      '`url` contains whitespace: remove it, or write a space as %20',
    ],
    [
      'http://u:p@hooks.example.com/?t=1',
      '`url` must use https://, not http:// (`http://hooks.example.com/?t=***`)',
    ],
    [
      'mailto:ops@example.com',
      '`url` must be an https:// URL, not `mailto:` (`mailto:ops@example.com`)',
    ],
    [
      'https://hooks.example.com/#',
      '`url` must not have a fragment (the part from `#`), which is never sent to the server (`https://hooks.example.com/#`)',
    ],
    [`https://hooks.example.com/${'a'.repeat(2048)}`, '`url` is longer than 2048 characters'],
  ])('rejects %j', (url, message) => {
    expect(webhookUrlProblem(url, '`url`')).toBe(message);
  });
});

describe('values in messages', () => {
  it('are one line, shortened, and cannot close their backticks', () => {
    expect(code('a\nb\tc`d')).toBe("`a\\nb\\tc'd`");
    expect(code('x'.repeat(100))).toBe(`\`${'x'.repeat(59)}…\``);
    expect(code('')).toBe('(empty)');
    expect(code('abc\u202edef')).toBe('`abc\\u202edef`');
  });
});
