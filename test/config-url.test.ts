import { describe, expect, it } from '@jest/globals';
import { substituteVariables } from '../src/config/variables.js';
import { webhookUrlProblem } from '../src/config/webhook-url.js';
import { QUOTE_LENGTH, quoted } from '../src/config/wording.js';

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
    'https://[2001:db8::1]:8443/x',
    'https://172.32.0.1/x',
    'https://john:pw@hooks.example.com/',
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

describe('webhook hosts MijnKlantportaal cannot reach (CONTRACT §1)', () => {
  it.each([
    ['https://localhost/x', '`localhost`, a loopback host'],
    ['https://app.localhost/x', '`app.localhost`, a loopback host'],
    ['https://127.0.0.1/x', '`127.0.0.1`, a loopback address'],
    ['https://127.1/x', '`127.0.0.1`, a loopback address'],
    ['https://2130706433/x', '`127.0.0.1`, a loopback address'],
    ['https://0x7f.0.0.1/x', '`127.0.0.1`, a loopback address'],
    ['https://10.0.0.5/x', '`10.0.0.5`, a private address'],
    ['https://172.16.0.1/x', '`172.16.0.1`, a private address'],
    ['https://172.31.255.255/x', '`172.31.255.255`, a private address'],
    ['https://192.168.1.1/x', '`192.168.1.1`, a private address'],
    ['https://169.254.169.254/latest/meta-data', '`169.254.169.254`, a link-local address'],
    ['https://0.0.0.0/x', '`0.0.0.0`, an unspecified address'],
    ['https://[::1]:8443/x', '`[::1]`, a loopback address'],
    ['https://[::]/x', '`[::]`, an unspecified address'],
    ['https://[fc00::1]/x', '`[fc00::1]`, a private (unique local) address'],
    ['https://[fdab:1::2]/x', '`[fdab:1::2]`, a private (unique local) address'],
    ['https://[fe80::1]/x', '`[fe80::1]`, a link-local address'],
    ['https://[febf::1]/x', '`[febf::1]`, a link-local address'],
    ['https://[::ffff:10.0.0.1]/x', '`[::ffff:a00:1]`, a private address'],
  ])('refuses %s', (url, what) => {
    expect(webhookUrlProblem(url, '`url`')).toMatch(
      new RegExp(
        `^\`url\` points to ${what.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: MijnKlantportaal cannot reach it`,
      ),
    );
  });

  it.each([
    'https://good.example@evil.example/',
    'https://good.example:443@evil.example/',
    'https://www.good.example%2Fpath@evil.example/',
  ])('refuses %s: user-info that reads like a host', (url) => {
    expect(webhookUrlProblem(url, '`url`')).toBe(
      '`url` has user-info before `@` that reads like a host name, while the request goes to another host: write the URL without it (`https://evil.example/`)',
    );
  });
});

describe('values in messages', () => {
  it('are one line, shortened, and cannot close their backticks', () => {
    expect(quoted('a\nb\tc`d')).toBe("`a\\nb\\tc'd`");
    expect(quoted('x'.repeat(100))).toBe(`\`${'x'.repeat(QUOTE_LENGTH - 1)}…\``);
    expect(quoted('')).toBe('(empty)');
    expect(quoted('abc\u202edef')).toBe('`abc\\u202edef`');
  });
});
