import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { SCHEMA_URL } from '../src/adopt.js';
import { parseWebhooksFile } from '../src/config/load.js';
import { compilePattern, matchesPattern, standingOf } from '../src/config/scope.js';
import type { Scope } from '../src/config/types.js';
import { ConfigError } from '../src/config/types.js';
import type { RemoteWebhook } from '../src/mkp/types.js';
import { hasDrift, makePlan } from '../src/plan.js';
import { checkedPlanJson } from '../src/report/outputs.js';

/** owns/ignore patterns (CONTRACT §1-§2): one pure rule, matched against the normalised URL. */
const matches = (pattern: string, url: string) => matchesPattern(compilePattern(pattern), url);

describe('URL patterns', () => {
  it('`*` matches any run of characters, across `/` too', () => {
    expect(matches('https://hooks.example.com/*', 'https://hooks.example.com/a/b/c')).toBe(true);
    expect(matches('https://hooks.example.com/mkp/*', 'https://hooks.example.com/mkp/')).toBe(true);
    expect(matches('https://hooks.example.com/mkp/*', 'https://hooks.example.com/other')).toBe(
      false,
    );
    expect(matches('https://*.example.com/*', 'https://a.b.example.com/x')).toBe(true);
    // Nothing stops a `*` in the host at the first `/`: docs/webhooks-yaml.md warns about it.
    expect(matches('https://*.example.com/*', 'https://example.org/x.example.com/')).toBe(true);
    expect(matches('https://*.example.com/*', 'https://example.org/')).toBe(false);
    expect(matches('https://*', 'https://anything.example/at/all?x=1')).toBe(true);
    expect(matches('https://*', 'http://anything.example/')).toBe(false);
  });

  it('nothing but `*` is special: dots, question marks and brackets are literal', () => {
    expect(matches('https://hooks.example.com/a.b', 'https://hooks.example.com/aXb')).toBe(false);
    expect(matches('https://hooks.example.com/a?', 'https://hooks.example.com/a')).toBe(false);
    expect(matches('https://hooks.example.com/(a)+', 'https://hooks.example.com/(a)+')).toBe(true);
    expect(matches('https://hooks.example.com/[a]', 'https://hooks.example.com/a')).toBe(false);
  });

  it('a query string is part of the URL: `*` spans it, a pattern without one does not', () => {
    expect(matches('https://x.example.com/hook*', 'https://x.example.com/hook?key=1')).toBe(true);
    expect(matches('https://x.example.com/hook', 'https://x.example.com/hook?key=1')).toBe(false);
    expect(matches('https://x.example.com/hook?key=*', 'https://x.example.com/hook?key=abc')).toBe(
      true,
    );
    expect(matches('https://x.example.com/hook?key=*', 'https://x.example.com/hook?other=1')).toBe(
      false,
    );
  });

  it('a trailing slash is literal, except the `/` WHATWG gives an empty path', () => {
    expect(matches('https://x.example.com/mkp/', 'https://x.example.com/mkp')).toBe(false);
    expect(matches('https://x.example.com/mkp', 'https://x.example.com/mkp/')).toBe(false);
    expect(matches('https://x.example.com/mkp*', 'https://x.example.com/mkp')).toBe(true);
    expect(matches('https://x.example.com/mkp*', 'https://x.example.com/mkp/a')).toBe(true);
    expect(matches('https://x.example.com', 'https://x.example.com/')).toBe(true);
    expect(matches('https://x.example.com', 'https://x.example.com')).toBe(true);
  });

  it("the pattern's scheme and host are normalised like the plan's matching key", () => {
    expect(matches('HTTPS://Hooks.EXAMPLE.com:443/*', 'https://hooks.example.com/a')).toBe(true);
    expect(matches('https://hooks.example.com/*', 'HTTPS://HOOKS.example.com:443/a')).toBe(true);
    expect(matches('https://hooks.example.com/a/../b*', 'https://hooks.example.com/b')).toBe(true);
    // The path keeps its case, as the matching key does.
    expect(matches('https://hooks.example.com/A*', 'https://hooks.example.com/a')).toBe(false);
  });

  it('an IDN host matches in either spelling (punycode)', () => {
    expect(matches('https://bücher.example/*', 'https://xn--bcher-kva.example/x')).toBe(true);
    expect(matches('https://xn--bcher-kva.example/*', 'https://BÜCHER.example/x')).toBe(true);
    expect(matches('https://*.bücher.example/*', 'https://shop.xn--bcher-kva.example/')).toBe(true);
    expect(() => compilePattern('https://bü*cher.example/')).toThrow(/non-ASCII host label/);
  });

  it('patterns that are not URL patterns are refused with a clear reason', () => {
    expect(() => compilePattern('hooks.example.com/*')).toThrow(/not a URL pattern.*absolute/);
    expect(() => compilePattern('*://hooks.example.com/*')).toThrow(/not a URL pattern/);
    expect(() => compilePattern('ftp://hooks.example.com/*')).toThrow(/not a URL pattern/);
    expect(() => compilePattern('https://hooks.example.com:*/x')).toThrow(/does not parse/);
    expect(() => compilePattern('https://exa mple.com/*')).toThrow(/does not parse/);
  });

  it('many `*`s against a long URL answer at once (no backtracking)', () => {
    const pattern = compilePattern(`https://x.example/${'a*'.repeat(40)}b`);
    const url = `https://x.example/${'a'.repeat(4000)}`;
    expect(matchesPattern(pattern, url)).toBe(false); // a regular expression would not return
    expect(matchesPattern(pattern, `${url}b`)).toBe(true);
    expect(matches('https://x.example/a*a', 'https://x.example/a')).toBe(false);
    expect(matches('https://x.example/a*a', 'https://x.example/aa')).toBe(true);
  });

  it('a remote URL that does not parse is compared as it is, like the plan does', () => {
    expect(matches('https://*', 'https://[broken/x')).toBe(true);
    expect(matches('https://ok.example/*', 'not a url')).toBe(false);
  });
});

const scopeOf = (yaml: string): Scope => {
  const file = parseWebhooksFile(`${yaml}\nwebhooks: []\n`, 'webhooks.yaml', { env: {} });
  return file.scope!;
};

describe('standing of a record', () => {
  const scope = scopeOf(
    [
      'owns:',
      '  - https://hooks.example.com/*',
      '  - https://billing.example.com/mkp/*',
      'ignore:',
      '  - url: https://hooks.example.com/zapier/*',
      '  - url: https://hooks.example.com/legacy/*',
      '    events: [ticket-created]',
    ].join('\n'),
  );
  it('outside owns, ignored by URL, ignored for listed events only, owned', () => {
    expect(standingOf(scope, 'invoice-paid', 'https://other.example.com/x')).toBe('outside-owns');
    expect(standingOf(scope, 'invoice-paid', 'https://billing.example.com/mkp/paid')).toBe('owned');
    expect(standingOf(scope, 'invoice-paid', 'https://hooks.example.com/zapier/1')).toBe('ignored');
    expect(standingOf(scope, 'ticket-created', 'https://hooks.example.com/legacy/t')).toBe(
      'ignored',
    );
    expect(standingOf(scope, 'customer-created', 'https://hooks.example.com/legacy/t')).toBe(
      'owned',
    );
  });
});

let ids = 0;
const rec = (type: string, url: string): RemoteWebhook => ({
  id: `wbh_${++ids}`,
  type,
  url,
});

describe('the plan with a scope', () => {
  const file = parseWebhooksFile(
    [
      'owns: [https://hooks.example.com/*]',
      'ignore:',
      '  - url: https://hooks.example.com/zap/*',
      'webhooks:',
      '  - url: https://hooks.example.com/crm',
      '    event: customer-created',
    ].join('\n'),
    'webhooks.yaml',
    { env: {} },
  );

  it('out-of-scope records are never unmanaged, never drift, never duplicates; listed as ignored', () => {
    const mine = rec('customer-created', 'https://hooks.example.com/crm');
    const others = [
      rec('invoice-paid', 'https://other.example.com/a'),
      rec('invoice-paid', 'https://other.example.com/a'), // a duplicate, but not ours
      rec('customer-created', 'https://hooks.example.com/zap/1'),
      rec('customer-created', 'https://hooks.example.com/zap/1'),
    ];
    const plan = makePlan(file.subscriptions, [mine, ...others], file.scope);
    expect(plan.unchanged.map((u) => u.remote)).toEqual([mine]);
    expect(plan.unmanaged).toEqual([]);
    expect(plan.duplicates).toEqual([]);
    expect(plan.ignored).toEqual(others);
    expect(hasDrift(plan)).toBe(false);
    expect((checkedPlanJson(plan) as { ignored: unknown }).ignored).toEqual(
      others.map((r) => ({ id: r.id })),
    );

    // Without the scope the same account drifts: the test can fail.
    const whole = makePlan(file.subscriptions, [mine, ...others]);
    expect(whole.unmanaged).toHaveLength(4);
    expect(hasDrift(whole)).toBe(true);
  });

  it('an in-scope record that is not declared is still unmanaged', () => {
    const stray = rec('offer-created', 'https://hooks.example.com/stray');
    const plan = makePlan(file.subscriptions, [stray], file.scope);
    expect(plan.unmanaged).toEqual([stray]);
    expect(plan.ignored).toEqual([]);
  });
});

describe('declared subscriptions must be in scope', () => {
  it('a declaration outside owns, or matched by ignore, is an error at its line', () => {
    const load = () =>
      parseWebhooksFile(
        [
          'owns: [https://hooks.example.com/*]',
          'ignore:',
          '  - url: https://hooks.example.com/zap/*',
          '    events: [invoice-paid]',
          'webhooks:',
          '  - url: https://elsewhere.example.com/x',
          '    event: customer-created',
          '  - name: zap',
          '    url: https://hooks.example.com/zap/1',
          '    events: [customer-created, invoice-paid]',
        ].join('\n'),
        'webhooks.yaml',
        { env: {} },
      );
    expect(load).toThrow(ConfigError);
    try {
      load();
    } catch (error) {
      const problems = (error as ConfigError).problems.map((p) => `${p.line}: ${p.message}`);
      expect(problems).toEqual([
        expect.stringMatching(
          /^7: `customer-created` to `https:\/\/elsewhere.example.com\/x` is outside `owns`/,
        ),
        expect.stringMatching(/^10: `invoice-paid` .* is matched by the `ignore` entry on line 3/),
      ]);
    }
  });

  it('`owns: []` is refused: it would disown the whole account', () => {
    expect(() => parseWebhooksFile('owns: []\nwebhooks: []\n', 'w.yaml', { env: {} })).toThrow(
      /`owns` is empty/,
    );
  });
});

describe('the documented files', () => {
  it('examples/shared-account/webhooks.yaml and the sample of docs/webhooks-yaml.md are valid', async () => {
    const { loadWebhooksFile } = await import('../src/config/load.js');
    const shared = await loadWebhooksFile('examples/shared-account/webhooks.yaml', { env: {} });
    expect(shared.scope?.owns?.map((p) => p.text)).toEqual(['https://billing.example.com/mkp/*']);
    // Its ignore carves a path out of the owned prefix: a record there is ignored, one beside
    // it under the prefix is owned (unmanaged when undeclared), one elsewhere is outside owns.
    const scope = shared.scope!;
    expect(scope.ignore.length).toBeGreaterThan(0);
    for (const rule of scope.ignore) {
      const inside = rule.pattern.text.replace(/\*/g, 'x');
      expect(scope.owns!.some((owned) => matchesPattern(owned.matcher, inside))).toBe(true);
      expect(standingOf(scope, 'invoice-paid', inside)).toBe('ignored');
    }
    expect(standingOf(scope, 'invoice-paid', 'https://billing.example.com/mkp/other')).toBe(
      'owned',
    );
    expect(standingOf(scope, 'invoice-paid', 'https://shop.example.com/mkp/x')).toBe(
      'outside-owns',
    );
    // Its schema comment resolves from any repository it is copied to: the release's URL.
    const firstLine = readFileSync('examples/shared-account/webhooks.yaml', 'utf8').split('\n')[0];
    expect(firstLine).toBe(`# yaml-language-server: $schema=${SCHEMA_URL}`);
    const docs = readFileSync('docs/webhooks-yaml.md', 'utf8');
    const sample = /```yaml\n([\s\S]*?)```/.exec(docs)![1]!;
    const file = parseWebhooksFile(sample, 'webhooks.yaml', {
      env: { BILLING_HOOK_URL: 'https://hooks.example.com/billing' },
    });
    expect(file.scope?.ignore).toHaveLength(1);
  });
});
