import { describe, expect, it } from '@jest/globals';
import { redactTemplate, redactUrl, shownUrl } from '../src/url.js';

describe('redactUrl (CONTRACT §4: URLs are redacted for people)', () => {
  it.each([
    ['https://u:p@hooks.example.com/a?token=abc', 'https://hooks.example.com/a?token=***'],
    // A key-only parameter is the value itself: hidden whole, not shown as `SECRETKEY=***`.
    ['https://hooks.example.com/a?SECRETKEY', 'https://hooks.example.com/a?***'],
    ['https://hooks.example.com/a?x=1&KEY', 'https://hooks.example.com/a?x=***&***'],
    ['https://hooks.example.com/a?KEY&x=1', 'https://hooks.example.com/a?***&x=***'],
    ['https://hooks.example.com/a?=v', 'https://hooks.example.com/a?=***'],
    ['https://hooks.example.com/a#frag', 'https://hooks.example.com/a#***'],
  ])('shows %s as %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });
});

describe('shownUrl: a URL from ${VAR} is shown in its ${VAR} form', () => {
  it.each([
    ['${BILLING_HOOK_URL}', '${BILLING_HOOK_URL}'],
    [
      'https://hooks.slack.com/services/${SLACK_PATH}',
      'https://hooks.slack.com/services/${SLACK_PATH}',
    ],
    ['https://${HOST}/mkp', 'https://${HOST}/mkp'],
    ['https://${HOST}', 'https://${HOST}'],
    ['https://u:${PASSWORD}@${HOST}/x?k=${K}&SECRET', 'https://${HOST}/x?k=***&***'],
    ['${BASE}/x?token=abc', '${BASE}/x?token=***'],
  ])('shows %s as %s', (template, shown) => {
    expect(redactTemplate(template)).toBe(shown);
    const resolved = 'https://hooks.example.com/T0/B0/xyzSECRETPATH';
    expect(shownUrl({ url: resolved, template })).toBe(shown);
  });

  it('shows a URL written without ${VAR} redacted', () => {
    expect(shownUrl({ url: 'https://hooks.example.com/a?k=v' })).toBe(
      'https://hooks.example.com/a?k=***',
    );
  });
});
