import { describe, expect, it } from '@jest/globals';
import type { Subscription, WebhooksFile } from '../src/config/types.js';
import type { RemoteWebhook } from '../src/mkp/types.js';
import { makePlan } from '../src/plan.js';
import { GITHUB_BODY_LIMIT } from '../src/report/markdown.js';
import { fitComment } from '../src/report/pr-comment.js';
import { renderReport, renderValidationFailure } from '../src/report/summary.js';
import { OutputsTarget } from '../src/secrets/outputs.js';
import type { SyncResult } from '../src/sync.js';
import { subscription } from './harness/clients.js';

/** The rendered markdown, asserted piece by piece (no snapshots). */
const SECRET = 'Sup3rS3cretValue0001';
const secretUrl = 'https://user:pa55@hooks.example.com/crm?token=abc123&x=1';

function remote(s: Subscription, id: string, secret = SECRET): RemoteWebhook {
  return { id, type: s.event, url: s.url, secret };
}

function result(partial: Partial<SyncResult> & { file: WebhooksFile }): SyncResult {
  return {
    mode: 'apply',
    plan: undefined,
    created: [],
    createFailures: [],
    deliveries: [],
    failures: [],
    target: new OutputsTarget(),
    ...partial,
  };
}

const crm = subscription('customer-created', secretUrl, 'crm');
const billing = subscription('invoice-paid', 'https://billing.example.com/mkp', 'billing');
const file: WebhooksFile = { path: 'webhooks.yaml', subscriptions: [crm, billing] };
const stray: RemoteWebhook = {
  id: 'wbh_stray',
  type: 'ticket-created',
  url: 'https://old.example.com/t?k=v',
  secret: 'StraySecret000000001',
};

describe('renderReport', () => {
  const plan = makePlan(file.subscriptions, [remote(billing, 'wbh_billing'), stray]);

  it('dry run: headline with mode and counts, one table with every subscription and its status', () => {
    const md = renderReport(result({ mode: 'dry-run', file, plan }));
    expect(md).toContain('## MijnKlantportaal webhooks: dry run');
    expect(md).toContain('**1 to create** · 1 unchanged · 1 unmanaged');
    expect(md).toContain('| | Event | URL | Secret name | Status |');
    expect(md).toMatch(
      /\| ➕ \| `customer-created` \| `https:\/\/hooks\.example\.com\/crm\?token=\*\*\*&x=\*\*\*` \| `MKP_WEBHOOK_CRM_CUSTOMER_CREATED` \| will create \|/,
    );
    expect(md).toMatch(/\| ✔️ \| `invoice-paid` .* \| unchanged \|/);
    expect(md).toMatch(
      /\| ⚠️ \| `ticket-created` \| `https:\/\/old\.example\.com\/t\?k=\*\*\*` \| +\| unmanaged \(wbh_stray\)/,
    );
  });

  it('apply: created, failed with reason, secret target and what was written', () => {
    const created = { subscription: crm, remote: remote(crm, 'wbh_new'), adopted: false };
    const md = renderReport(
      result({
        file,
        plan,
        created: [created],
        deliveries: [{ subscription: crm, reason: 'created', outcome: 'written' }],
      }),
    );
    expect(md).toContain('**1 created**');
    expect(md).toMatch(/\| ✅ \| `customer-created` .* \| created; secret written \|/);
    expect(md).toContain('Target: step outputs.');
    expect(md).toContain('Delivered: 1 secret (`MKP_WEBHOOK_CRM_CUSTOMER_CREATED`).');
  });

  it('a failed run says what went wrong, what was already done and what the next run does', () => {
    const created = { subscription: crm, remote: remote(crm, 'wbh_new'), adopted: false };
    const md = renderReport(
      result({
        file,
        plan,
        created: [created],
        deliveries: [
          {
            subscription: crm,
            reason: 'created',
            outcome: 'failed',
            message: 'cannot write repository secrets | 403',
          },
        ],
      }),
    );
    expect(md).toContain('(failed)');
    expect(md).toContain('### What went wrong');
    expect(md).toContain('cannot write repository secrets \\| 403'); // a pipe cannot break the table
    expect(md).toContain('Already done: created 1 webhook');
    expect(md).toContain('Secrets still to be written: `MKP_WEBHOOK_CRM_CUSTOMER_CREATED`');
  });

  it('lists duplicates found on the account', () => {
    const a = remote(billing, 'wbh_a');
    const b = remote(billing, 'wbh_b');
    const md = renderReport(
      result({ mode: 'dry-run', file, plan: makePlan(file.subscriptions, [a, b]) }),
    );
    expect(md).toContain('### Duplicates on the account');
    expect(md).toContain('`wbh_a`, `wbh_b` all send `invoice-paid`');
  });

  it('without a token: says the account was not checked and lists declared subscriptions', () => {
    const md = renderReport(result({ mode: 'unchecked', file }));
    expect(md).toContain('validated only');
    expect(md).toContain('the account was not checked');
    expect(md).toContain('`MKP_WEBHOOK_BILLING_INVOICE_PAID`');
  });

  it('never contains a secret value, a password or a query value', () => {
    const md = renderReport(
      result({
        file,
        plan,
        created: [{ subscription: crm, remote: remote(crm, 'wbh_new'), adopted: true }],
        deliveries: [{ subscription: crm, reason: 'created', outcome: 'written' }],
      }),
    );
    for (const hidden of [SECRET, stray.secret, 'pa55', 'abc123', 'user:'])
      expect(md).not.toContain(hidden);
  });

  it('cuts whole table rows to stay under a length, and says so', () => {
    const many: WebhooksFile = {
      path: 'webhooks.yaml',
      subscriptions: Array.from({ length: 3000 }, (_, i) =>
        subscription('invoice-paid', `https://hooks.example.com/${i}`, `h${i}`),
      ),
    };
    const md = renderReport(
      result({ mode: 'dry-run', file: many, plan: makePlan(many.subscriptions, []) }),
      {
        maxLength: GITHUB_BODY_LIMIT - 200,
      },
    );
    expect(md.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT - 200);
    expect(md).toMatch(/\d+ more rows left out to stay within GitHub's size limit/);
    const rows = md.split('\n').filter((line) => line.startsWith('| ➕'));
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.every((row) => row.endsWith('| will create |'))).toBe(true);
  });
});

describe('fitComment', () => {
  it('leaves a short body alone and cuts a long one at a line, under the limit', () => {
    expect(fitComment('short')).toBe('short');
    const long = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(20)}`).join('\n');
    const fitted = fitComment(long);
    expect(fitted.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(fitted).toContain("Cut to fit GitHub's comment size limit");
    expect(
      fitted
        .split('\n')
        .filter((l) => l.startsWith('line'))
        .every((l) => l.endsWith('x'.repeat(20))),
    ).toBe(true);
  });
});

describe('renderValidationFailure', () => {
  it('lists every problem with file:line:column', () => {
    const md = renderValidationFailure('webhooks.yaml', [
      {
        file: 'webhooks.yaml',
        line: 3,
        column: 5,
        message: 'unknown key `evnts` (did you mean `events`?)',
      },
      { file: 'webhooks.yaml', line: 7, column: 12, message: 'unknown event `invoice-payed`' },
    ]);
    expect(md).toContain('2 problems found; nothing was sent');
    expect(md).toContain('- `` webhooks.yaml:3:5: unknown key `evnts` (did you mean `events`?) ``');
  });
});
