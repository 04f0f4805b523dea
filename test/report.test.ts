import { describe, expect, it } from '@jest/globals';
import type { Subscription, WebhooksFile } from '../src/config/types.js';
import type { RemoteWebhook } from '../src/mkp/types.js';
import { makePlan } from '../src/plan.js';
import { fitBody, GITHUB_BODY_LIMIT } from '../src/report/github-body.js';
import {
  renderReport as reportOf,
  renderValidationFailure as validationFailureOf,
  SUMMARY_LIMIT_BYTES,
} from '../src/report/summary.js';
import { markup as markdown } from '../src/text/encoders.js';
import { code, phrase, plainText } from '../src/text/phrase.js';
import { MAX_FILE_BYTES, parseWebhooksFile } from '../src/config/load.js';
import { EVENT_TYPES } from '../src/events.js';
import type { RunMode, SyncResult } from '../src/result.js';
import { renderText } from '../src/report/terminal.js';
import { costWords } from '../src/verdicts.js';
import { subscription } from './harness/clients.js';
import { madeAs, secret, syncResult } from './harness/outcomes.js';

/** The rendered markdown, asserted piece by piece (no snapshots). */
const renderReport = (...args: Parameters<typeof reportOf>) => reportOf(...args).text();
const renderValidationFailure = (...args: Parameters<typeof validationFailureOf>) =>
  validationFailureOf(...args).text();
const fitComment = (text: string, limit?: number, restIn?: string) =>
  fitBody(markdown`${text}`, limit, restIn === undefined ? undefined : phrase`${restIn}`).text();
const secretUrl = 'https://user:pa55@hooks.example.com/crm?token=abc123&x=1';

function remote(s: Subscription, id: string): RemoteWebhook {
  return { id, type: s.event, url: s.url };
}

const result = syncResult;

const crm = subscription('customer-created', secretUrl, 'crm');
const billing = subscription('invoice-paid', 'https://billing.example.com/mkp', 'billing');
const file: WebhooksFile = { path: 'webhooks.yaml', subscriptions: [crm, billing] };
const stray: RemoteWebhook = {
  id: 'wbh_stray',
  type: 'ticket-created',
  url: 'https://old.example.com/t?k=v',
};

describe('what applying costs (CONTRACT §2)', () => {
  /** A first sync of `n` subscriptions, planned against a listing of `pages` pages of others. */
  const firstSync = (n: number, pages: number, mode: RunMode = 'dry-run') => {
    const many: WebhooksFile = {
      path: 'webhooks.yaml',
      subscriptions: Array.from({ length: n }, (_, i) =>
        subscription('invoice-paid', `https://hooks.example.com/${i}`, `h${i}`),
      ),
    };
    return result({ mode, file: many, plan: makePlan(many.subscriptions, []), listPages: pages });
  };
  const words = (r: SyncResult) => {
    const cost = costWords(r);
    return cost && plainText(cost);
  };

  it('counts the list pages and the creates, in the words of the contract, with correct singulars', () => {
    expect(words(firstSync(0, 1))).toBe('1 API call (1 list page, 0 creates)');
    expect(words(firstSync(1, 1))).toBe('2 API calls (1 list page, 1 create)');
    expect(words(firstSync(3, 2))).toBe('5 API calls (2 list pages, 3 creates)');
  });

  it('adds the minutes, rounded up, only past 60 calls (the documented 60 a minute)', () => {
    expect(words(firstSync(59, 1))).toBe('60 API calls (1 list page, 59 creates)');
    expect(words(firstSync(60, 1))).toBe('61 API calls (1 list page, 60 creates), about 2 minutes');
    expect(words(firstSync(119, 1))).toBe(
      '120 API calls (1 list page, 119 creates), about 2 minutes',
    );
    // A 1,000-webhook first sync: an empty account is one page.
    expect(words(firstSync(1000, 1))).toBe(
      '1001 API calls (1 list page, 1000 creates), about 17 minutes',
    );
    expect(words(firstSync(1000, 67))).toBe(
      '1067 API calls (67 list pages, 1000 creates), about 18 minutes',
    );
  });

  it('the summary states it under the counts, whatever the mode; not when the account was not read', () => {
    expect(renderReport(firstSync(1000, 1))).toContain(
      '\n\nCost of applying: 1001 API calls (1 list page, 1000 creates), about 17 minutes.\n\n',
    );
    expect(renderReport(firstSync(1, 1, 'apply'))).toContain(
      'Cost of applying: 2 API calls (1 list page, 1 create).',
    );
    const unread = result({ mode: 'dry-run', file, failures: ['the API answered 401'] });
    expect(renderReport(unread)).not.toContain('Cost of applying');
  });

  it('a validate-only run says the cost is not known, and the most creates there can be', () => {
    const validated = result({ mode: 'unchecked', file });
    expect(renderReport(validated)).toContain(
      'Cost of applying: not known, as the account was not read (up to 2 creates, plus its list pages).',
    );
    const one = { ...file, subscriptions: [crm] };
    expect(words(result({ mode: 'unchecked', file: one }))).toBe(
      'not known, as the account was not read (up to 1 create, plus its list pages)',
    );
  });

  it('the terminal says it once, last, after the one count line', () => {
    const lines = renderText(firstSync(1000, 1));
    expect(lines.at(-1)).toBe(
      '  cost of applying: 1001 API calls (1 list page, 1000 creates), about 17 minutes',
    );
    expect(lines.filter((line) => /to create/.test(line))).toEqual([
      'webhooks.yaml: 1000 to create, 0 unchanged, 0 unmanaged (plan only)',
    ]);
    expect(lines.filter((line) => /cost of applying/.test(line))).toHaveLength(1);
  });
});

describe('renderReport', () => {
  const plan = makePlan(file.subscriptions, [remote(billing, 'wbh_billing'), stray]);

  it('dry run: headline with mode and counts, one table with every subscription and its status', () => {
    const md = renderReport(result({ mode: 'dry-run', file, plan }));
    expect(md).toContain('## MijnKlantportaal webhooks: dry run');
    expect(md).toContain('**1 to create** · 1 unchanged · 1 unmanaged');
    expect(md).toContain('| Result | Event and secret name | URL |\n|---|---|---|\n');
    expect(md).toContain(
      '| ➕ will create | `customer-created`<br>`MKP_WEBHOOK_CRM_CUSTOMER_CREATED` | `https://hooks.example.com/crm?token=***&x=***` |',
    );
    expect(md).toMatch(
      /\| ⚪ unchanged \| `invoice-paid`<br>`MKP_WEBHOOK_BILLING_INVOICE_PAID` \| /,
    );
    expect(md).toContain(
      '| ⚠️ not in the file (wbh_stray) | `ticket-created` | `https://old.example.com/t?k=***` |',
    );
    expect(md).toContain(
      'Applying it creates the 1 webhook marked ➕ and delivers its secret to step outputs.',
    );
  });

  it('apply: created, failed with reason, secret target and what was written', () => {
    const md = renderReport(
      result({
        file,
        plan,
        outcomes: [{ subscription: crm, ...madeAs(remote(crm, 'wbh_new')), ...secret('created') }],
      }),
    );
    expect(md).toContain('**1 created**');
    expect(md).toMatch(/\| ✅ created; secret written \| `customer-created`<br>`/);
    expect(md).toContain('- Target: step outputs');
    expect(md).toContain(
      '- Delivered: 1 secret (1 of new webhooks, 0 of existing ones, as resync-secrets says)',
    );
  });

  it('a failed run says what went wrong, what was already done and what the next run does', () => {
    const md = renderReport(
      result({
        file,
        plan,
        outcomes: [
          {
            subscription: crm,
            ...madeAs(remote(crm, 'wbh_new')),
            ...secret('created', 'failed', 'cannot write repository secrets | 403'),
          },
        ],
      }),
    );
    expect(md).toContain('## MijnKlantportaal webhooks: apply (failed)\n');
    expect(md).toContain('### What went wrong');
    expect(md).toContain('cannot write repository secrets \\| 403'); // a pipe cannot break the table
    // One of each, said in the singular.
    expect(md).toContain(
      'Already done: created 1 webhook (secret `MKP_WEBHOOK_CRM_CUSTOMER_CREATED`). Secret still to be written: `MKP_WEBHOOK_CRM_CUSTOMER_CREATED`. The webhook keeps its secret on the account; the next run with resync-secrets: missing (the default) writes it.',
    );
  });

  it('lists duplicates found on the account', () => {
    const a = remote(billing, 'wbh_a');
    const b = remote(billing, 'wbh_b');
    const md = renderReport(
      result({ mode: 'dry-run', file, plan: makePlan(file.subscriptions, [a, b]) }),
    );
    expect(md).toContain('### Duplicates on the account');
    expect(md).toContain('`wbh_a` and `wbh_b` both send `invoice-paid`');
    expect(md).toContain('1 webhook on the account more than once');
    expect(md).toMatch(
      /\| ⚠️ unchanged, on the account 2 times \(see Duplicates\) \| `invoice-paid`<br>/,
    );
  });

  it('without a token: says the account was not checked and lists declared subscriptions', () => {
    const md = renderReport(result({ mode: 'unchecked', file }));
    expect(md).toContain('validated only');
    expect(md).toContain('the account was not checked');
    expect(md).toContain('`MKP_WEBHOOK_BILLING_INVOICE_PAID`');
  });

  it('never contains a password or a query value (records hold no secret to leak)', () => {
    const md = renderReport(
      result({
        file,
        plan,
        outcomes: [
          { subscription: crm, ...madeAs(remote(crm, 'wbh_new'), true), ...secret('created') },
        ],
      }),
    );
    for (const hidden of ['pa55', 'abc123', 'user:']) expect(md).not.toContain(hidden);
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
    expect(md).toMatch(/\d+ more rows not shown, to stay within GitHub's size limit\._/);
    const rows = md.split('\n').filter((line) => line.startsWith('| ➕'));
    expect(rows.length).toBeGreaterThan(100);
    const complete = /^\| ➕ will create \| .* \| `https:\/\/hooks\.example\.com\/\d+` \|$/;
    expect(rows.every((row) => complete.test(row))).toBe(true);
  });
});

describe('duplicates of a ${VAR} subscription', () => {
  it('are shown with its ${VAR} form, not the value', () => {
    const declared: Subscription = {
      ...subscription('invoice-paid', 'https://billing.example.com/mkp?tenant=T0SECRETVALUE'),
      template: '${BILLING_URL}',
    };
    const twin = (id: string): RemoteWebhook => remote(declared, id);
    const withVar: WebhooksFile = { path: 'webhooks.yaml', subscriptions: [declared] };
    const md = renderReport(
      result({
        mode: 'dry-run',
        file: withVar,
        plan: makePlan(withVar.subscriptions, [twin('wbh_a'), twin('wbh_b')]),
      }),
    );
    expect(md).toContain('`wbh_a` and `wbh_b` both send');
    expect(md).toContain('to `${BILLING_URL}`: the receiver gets each event more than once');
    expect(md).not.toContain('billing.example.com');
  });
});

describe('the job summary on the largest file the loader accepts', () => {
  const EVENTS = EVENT_TYPES.join(', ');
  /** A file just under the loader's limit: every entry subscribes one URL to all 23 events. */
  function largestFile(): WebhooksFile {
    const entries: string[] = [];
    let size = 'webhooks:\n'.length;
    for (let i = 0; ; i++) {
      const entry = `  - name: hook-${i}\n    url: https://hooks-${i}.example.com/mkp/receiver/${i}?tenant=${i}\n    events: [${EVENTS}]\n`;
      if (size + entry.length > MAX_FILE_BYTES) break;
      entries.push(entry);
      size += entry.length;
    }
    return parseWebhooksFile(`webhooks:\n${entries.join('')}`, 'webhooks.yaml', { env: {} });
  }

  it('stays under 1 MiB, cutting rows with a note that says how many are not shown', () => {
    const big = largestFile();
    expect(big.subscriptions.length).toBeGreaterThan(20_000);
    const unmanaged: RemoteWebhook[] = Array.from({ length: 7_000 }, (_, i) => ({
      id: `wbh_${i}`,
      type: 'offer-created',
      url: `https://old-${i}.example.com/hook?key=${i}`,
      secret: `secret-${i}-xxxxxxxx`,
    }));
    for (const mode of ['unchecked', 'dry-run'] as const) {
      const md = renderReport(
        result({
          mode,
          file: big,
          plan: mode === 'unchecked' ? undefined : makePlan(big.subscriptions, unmanaged),
        }),
        {
          maxLength: SUMMARY_LIMIT_BYTES,
          restIn: phrase`the ${code('plan')} output lists every subscription`,
        },
      );
      expect(Buffer.byteLength(md, 'utf8')).toBeLessThanOrEqual(1024 * 1024);
      const shown = md.split('\n').filter((line) => /^\| (·|➕|⚠️) /.test(line)).length;
      const total = big.subscriptions.length + (mode === 'unchecked' ? 0 : unmanaged.length);
      expect(shown).toBeGreaterThan(1_000);
      expect(md).toContain(
        `_${total - shown} more rows not shown, to stay within GitHub's size limit; the \`plan\` output lists every subscription._`,
      );
    }
  });

  it('lists only as many problems of an invalid file as fit', () => {
    const problems = Array.from({ length: 40_000 }, (_, i) => ({
      file: 'webhooks.yaml',
      line: i + 1,
      column: 3,
      message: `unknown key \`evnts\` in entry ${i}: did you mean \`events\`? ${'x'.repeat(20)}`,
    }));
    const md = renderValidationFailure('webhooks.yaml', problems, {
      maxLength: SUMMARY_LIMIT_BYTES,
    });
    expect(Buffer.byteLength(md, 'utf8')).toBeLessThanOrEqual(1024 * 1024);
    expect(md).toMatch(
      /- _\d+ more problems not shown, to stay within GitHub's size limit; the log lists them all\._/,
    );
  });
});

describe('the snippet for unmanaged webhooks', () => {
  it('declares them as entries to paste, with ${VAR} where a URL has hidden parts, never redacted', () => {
    const plain: RemoteWebhook = {
      id: 'wbh_p',
      type: 'offer-created',
      url: 'https://crm.example.com/offers',
    };
    const plan = makePlan(file.subscriptions, [stray, plain]);
    const md = renderReport(result({ mode: 'dry-run', file, plan }));
    expect(md).toContain('### Declare the unmanaged webhooks');
    expect(md).toContain(
      '  - name: old-example-t\n    url: ${OLD_EXAMPLE_T_URL}\n    events: [ticket-created]',
    );
    expect(md).toContain(
      '  - name: crm-example-offers\n    url: https://crm.example.com/offers\n    events: [offer-created]',
    );
    expect(md).toContain('set `OLD_EXAMPLE_T_URL` from a secret');
    expect(md).not.toContain('k=v');
    // Two records, one of them with a hidden URL: each sentence counts what it speaks of.
    expect(md).toContain('To manage them from the file, add these entries under `webhooks:`:');
    expect(md).toContain(
      'One URL carries credentials or query values, so its entry reads it from the environment: set `OLD_EXAMPLE_T_URL` from a secret in the workflow (`npx mkp-webhooks-sync@1 import --output -` prints the exact URL).',
    );
    expect(md).toContain('Or remove them in the manage portal if nobody needs them.');
  });

  it('speaks of one webhook, one entry and one URL in the singular, and of several in the plural', () => {
    const snippet = (records: RemoteWebhook[]) =>
      renderReport(result({ mode: 'dry-run', file, plan: makePlan(file.subscriptions, records) }));
    const one = snippet([stray]);
    expect(one).toContain('To manage it from the file, add this entry under `webhooks:`:');
    expect(one).toContain(
      'Its URL carries credentials or query values, so the entry reads it from the environment',
    );
    expect(one).toContain('prints the exact URL).');
    expect(one).toContain('Or remove it in the manage portal if nobody needs it.');
    const hidden = (i: number): RemoteWebhook => ({
      id: `wbh_h${i}`,
      type: 'offer-created',
      url: `https://h${i}.example.com/offers?key=k${i}`,
    });
    const two = snippet([hidden(1), hidden(2)]);
    expect(two).toContain(
      'Their URLs carry credentials or query values, so the entries read them from the environment',
    );
    expect(two).toContain('prints the exact URLs).');
    const plain: RemoteWebhook = {
      id: 'wbh_p',
      type: 'offer-created',
      url: 'https://p.example.com/',
    };
    expect(snippet([hidden(1), hidden(2), plain])).toContain(
      '2 of the URLs carry credentials or query values, so their entries read them from the environment',
    );
  });

  it('names records no file can hold', () => {
    const odd: RemoteWebhook = {
      id: 'wbh_odd',
      type: 'brand-new-event',
      url: 'https://a.example.com/',
    };
    const md = renderReport(
      result({ mode: 'dry-run', file, plan: makePlan(file.subscriptions, [odd]) }),
    );
    expect(md).toContain(
      '`wbh_odd` cannot be declared in a file (unknown event type `brand-new-event`)',
    );
  });
});

describe('fitComment', () => {
  it('leaves a short body alone and cuts a long one at a line, under the limit', () => {
    expect(fitComment('short')).toBe('short');
    const long = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(20)}`).join('\n');
    const fitted = fitComment(long);
    expect(fitted.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(fitted).toContain(
      "_Cut to fit GitHub's size limit; the job summary has the whole report._",
    );
    expect(
      fitted
        .split('\n')
        .filter((l) => l.startsWith('line'))
        .every((l) => l.endsWith('x'.repeat(20))),
    ).toBe(true);
  });
});

describe('one cut to size for every GitHub body', () => {
  it('counts UTF-8 bytes and never leaves half a character', () => {
    const wide = Array.from({ length: 3000 }, (_, i) => `€ line ${i} ${'é'.repeat(10)}`).join('\n');
    const fitted = fitComment(wide, 10_000, 'the log has them');
    expect(Buffer.byteLength(fitted, 'utf8')).toBeLessThanOrEqual(10_000);
    expect(fitted).not.toContain('\uFFFD');
    expect(fitted.endsWith("_Cut to fit GitHub's size limit; the log has them._\n")).toBe(true);
  });

  it('cuts a summary whose failures alone pass the limit, and says where the rest is', () => {
    const failures = Array.from(
      { length: 500 },
      (_, i) => `listing failure ${i}: ${'x'.repeat(80)}`,
    );
    const md = renderReport(result({ file, failures }), {
      maxLength: 8_000,
      restIn: phrase`the ${code('plan')} output lists every subscription`,
    });
    expect(Buffer.byteLength(md, 'utf8')).toBeLessThanOrEqual(8_000);
    expect(md).toContain('### What went wrong');
    expect(md).toMatch(
      /\n\n_Cut to fit GitHub's size limit; the `plan` output lists every subscription\._\n$/,
    );
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
    expect(md).toContain('- `webhooks.yaml:3:5`: unknown key `evnts` (did you mean `events`?)');
  });
});
