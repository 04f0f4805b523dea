import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import type { ConfigProblem, Subscription, WebhooksFile } from '../src/config/types.js';
import { quoted } from '../src/config/wording.js';
import { parseWebhooksFile } from '../src/config/load.js';
import { ConfigError } from '../src/config/types.js';
import type { RemoteWebhook } from '../src/mkp/types.js';
import type { Plan } from '../src/plan.js';
import type { PullRequestChanges } from '../src/pull-request.js';
import { driftIssueBody, driftMarker } from '../src/report/drift-issue.js';
import { commentMarker, planCommentFooter } from '../src/report/pr-comment.js';
import { renderReport, renderValidationFailure } from '../src/report/summary.js';
import { renderProblems, renderText } from '../src/report/terminal.js';
import type { SyncResult } from '../src/result.js';
import { runnerLog } from '../src/runner.js';
import { Scrubber } from '../src/scrub.js';
import { displayWidth, joinMarkdown, logLine, terminalLine } from '../src/text/encoders.js';
import { phrase } from '../src/text/phrase.js';
import { said } from './harness/outcomes.js';

/**
 * CONTRACT §4, "Untrusted text is encoded for where it goes", as properties: every field that
 * can carry text from the file, the account or an API is filled with hostile text, and each
 * sink's output is checked for what that text must not do there.
 */

/** The pieces hostile text is made of: markup, line breaks, controls, markers, commands. */
const PIECES = [
  '`',
  '``',
  '```',
  '<',
  '>',
  '<img src=x>',
  '<!--',
  '-->',
  '<!-- mkp-webhooks-sync:plan config=staging.yaml -->',
  '<!-- mkp-webhooks-sync:drift config=webhooks.yaml -->',
  '@',
  '@acme/security-team',
  '[',
  ']',
  '(',
  ')',
  '[LGTM](https://evil.example)',
  '![](https://evil.example/t.png)',
  '!',
  '|',
  '*',
  '_',
  '~',
  '#',
  '#12',
  'acme/app#3',
  'GH-7',
  'https://evil.example/x',
  'www.evil.example',
  '&',
  '&#64;',
  '\\',
  '\r',
  '\n',
  '\r\n',
  '\u001b',
  '\u001b]52;c;AAAA\u0007',
  '\u001b[2K',
  '\u0007',
  '\u0000',
  '\u009b',
  '\u2028',
  '\u202e',
  '\u2066',
  '::',
  '::add-mask::x',
  '::stop-commands::x',
  '##[',
  '##[set-output name=drift]false',
  '%',
  '%0A',
  ' ',
  '    ',
  '-',
  '1.',
  '=',
  '>',
  '$',
  'x',
];

const hostileText = fc
  .array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 8 })
  .map((pieces) => pieces.join(''));

/** How many hostile values one report takes. */
const FIELDS = 24;

/** The report of a run whose every outside text is `h(i)`: file, account, API and pull request. */
function scenario(h: (i: number) => string) {
  const at = { file: h(0), line: 3, column: 7 };
  const declared = (i: number, event: Subscription['event']): Subscription => ({
    name: h(i),
    event,
    url: `https://hooks.example.com/mkp?${h(i + 1)}=v`,
    template: `https://hooks.example.com/\${HOOK_PATH}?${h(i + 1)}=v`,
    secretName: h(i + 2),
    position: at,
  });
  const record = (i: number): RemoteWebhook => ({
    id: h(i),
    type: h(i + 1) as RemoteWebhook['type'],
    url: `https://other.example.com/${h(i + 2)}?${h(i + 2)}=v`,
  });
  const created = declared(3, 'customer-created');
  const failed = declared(6, 'invoice-paid');
  const kept = declared(9, 'ticket-created');
  const stray = record(12);
  const twin = record(15);
  const ignored = record(18);
  const plan: Plan = {
    create: [created, failed],
    unchanged: [{ subscription: kept, remote: { ...twin, type: kept.event, url: kept.url } }],
    unmanaged: [stray],
    duplicates: [[twin, { ...twin, id: `${h(15)}-2` }]],
    ignored: [ignored],
  };
  const file: WebhooksFile = {
    path: h(0),
    subscriptions: [created, failed, kept],
    notices: [{ ...at, message: h(21) }],
  };
  const result: SyncResult = {
    mode: 'apply',
    file,
    plan,
    listing: [stray, twin, ignored],
    outcomes: [
      {
        subscription: created,
        planned: 'create',
        record: { id: h(12), type: created.event, url: created.url },
        create: { state: 'created', adopted: false, storedOtherwise: said(h(22)) },
        secret: { reason: 'new', state: 'failed', message: said(h(23)) },
      },
      {
        subscription: failed,
        planned: 'create',
        create: { state: 'failed', message: said(h(22)) },
      },
      { subscription: kept, planned: 'unchanged', record: plan.unchanged[0]!.remote },
    ],
    failures: [h(23)],
    destination: { description: 'step outputs', persistent: false },
  } as SyncResult;
  const pullRequest: PullRequestChanges = {
    base: 'read',
    ref: h(20),
    accountRead: true,
    items: [
      { change: 'add', subscription: created, verdict: 'created-on-merge' },
      { change: 'remove', subscription: failed, verdict: 'stays-unmanaged' },
      { change: 'rename', subscription: kept, from: h(19) },
      { change: 'scope', key: 'ignore', pattern: h(17), edit: 'added' },
      { change: 'moves', direction: 'out', records: [ignored] },
    ],
    pending: [
      { pending: 'create', subscription: created },
      { pending: 'unmanaged', record: stray },
    ],
  };
  const problems: ConfigProblem[] = [
    { ...at, message: `not a YAML token: ${quoted(h(21))}` },
    // The loader quotes values with quoted(), as every problem of CONTRACT §1 does.
    { ...at, message: `unknown key ${quoted(h(22))}: did you mean ${quoted(h(23))}?` },
  ];
  return { result, pullRequest, problems, path: h(0) };
}

/** Each report a reader's renderer gets, as markdown. */
function reports(h: (i: number) => string): Record<string, string> {
  const { result, pullRequest, problems, path } = scenario(h);
  const unreadable: PullRequestChanges = { base: 'unreadable', ref: h(20), reason: h(21) };
  const comment = joinMarkdown([
    renderReport(result, { pullRequest, heading: '###', restIn: phrase`${h(4)}` }),
    planCommentFooter(h(5), 'https://github.com/acme/app/actions/runs/1')!,
  ]);
  return {
    summary: renderReport(result).text(),
    comment: comment.text(),
    'comment, base unreadable': renderReport(result, { pullRequest: unreadable }).text(),
    'drift issue': driftIssueBody(
      path,
      renderReport(result),
      'https://github.com/a/b/actions/runs/2',
    ).text(),
    'invalid file': renderValidationFailure(path, problems).text(),
  };
}

const markdownIt = new MarkdownIt({ html: true });

/** The sequence of HTML tags (names, with their attribute names) a renderer makes of `markdown`. */
function tagSequence(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>/g)].map(
    ([, name, attributes]) =>
      `${name}${[...attributes!.matchAll(/\s([a-zA-Z-]+)=/g)].map((m) => ` ${m[1]}`).join('')}`,
  );
}

/** The text a reader sees outside code, entities decoded once. */
function textOutsideCode(html: string): string {
  return html
    .replace(/<code>[\s\S]*?<\/code>/g, ' ')
    .replace(/<pre>[\s\S]*?<\/pre>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(
      /&(lt|gt|quot|amp|#39);/g,
      (_, e: string) => ({ lt: '<', gt: '>', quot: '"', amp: '&', '#39': "'" })[e]!,
    );
}

/** What GitHub would turn into a link or a notification in text outside code. */
const LIVE: Array<[string, RegExp]> = [
  ['a mention', /(^|[^A-Za-z0-9`])@[A-Za-z0-9]/],
  ['an issue reference', /(^|[^A-Za-z0-9&])#\d/],
  ['a GH- reference', /\bGH-\d/i],
  ['an autolinked URL', /\b(https?:\/\/|www\.)[^\s]/i],
];

describe('markdown sinks: hostile text renders as the same tags as plain text', () => {
  const plain = reports((i) => `x${String.fromCharCode(97 + i)}`);

  it('the plain run has every part the property checks (a check that can fail)', () => {
    for (const markdown of Object.values(plain)) expect(markdown.length).toBeGreaterThan(100);
    expect(tagSequence(markdownIt.render(plain.comment))).toEqual(
      expect.arrayContaining(['table', 'details', 'summary', 'code', 'a href', 'ul']),
    );
  });

  it('in the summary, the PR comment, the drift issue and the invalid file report', () => {
    fc.assert(
      fc.property(fc.array(hostileText, { minLength: FIELDS, maxLength: FIELDS }), (values) => {
        const hostile = reports((i) => values[i]!);
        for (const [name, markdown] of Object.entries(hostile)) {
          const html = markdownIt.render(markdown);
          expect([name, tagSequence(html)]).toEqual([
            name,
            tagSequence(markdownIt.render(plain[name]!)),
          ]);
          const seen = textOutsideCode(html);
          for (const [what, pattern] of LIVE) {
            if (pattern.test(seen))
              throw new Error(`${name}: ${what} outside code in ${JSON.stringify(seen)}`);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('the loader quotes the file only in backticks it owns: a message holds them in pairs', () => {
    const documents = (h: string) => [
      `webhooks: |${h}\n`,
      `%${h}\n---\nwebhooks: []\n`,
      `${h}: 1\nwebhooks: []\n`,
      `webhooks:\n  - url: https://a.example/${h}\n    events: [${h}]\n`,
      `webhooks: [${h}\n`,
      `webhooks: "${h}\n`,
    ];
    fc.assert(
      fc.property(hostileText, (h) => {
        for (const text of documents(h)) {
          try {
            parseWebhooksFile(text, 'webhooks.yaml', { env: {} });
          } catch (error) {
            if (!(error instanceof ConfigError)) throw error;
            for (const { message } of error.problems) {
              expect([message, message.split('`').length % 2]).toEqual([message, 1]);
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a known attack: the parser message of issue 22 renders as text', () => {
    const message =
      'webhooks: |x @acme/security-team please approve: [LGTM](https://evil.example) ![](https://evil.example/t.png)';
    const html = markdownIt.render(reports(() => message)['invalid file']!);
    expect(html).not.toMatch(/<img|<a /);
    expect(textOutsideCode(html)).not.toMatch(/@acme/);
  });
});

describe('our own markup', () => {
  it('renders as written: the footer, and no template in src/ that a formatter turned into lines', () => {
    const run = 'https://github.com/a/b/actions/runs/1';
    const footer = (sha?: string, url?: string) => planCommentFooter(sha, url)?.text();
    expect(footer('c'.repeat(40), run)).toBe(`_Plan for ccccccc · [workflow run](${run})_`);
    // Without the link or the commit it still reads as a sentence; with neither, there is none.
    expect(footer('c'.repeat(40))).toBe('_Plan for ccccccc_');
    expect(footer(undefined, run)).toBe(`_Plan made by this [workflow run](${run})_`);
    expect(footer()).toBeUndefined();
    const reports = join(import.meta.dirname, '../src/report');
    for (const file of readdirSync(reports)) {
      const text = readFileSync(join(reports, file), 'utf8');
      expect([file, text.match(/\bmarkup`\n/)?.[0]]).toEqual([file, undefined]);
    }
  });
});

describe('the hidden markers', () => {
  it("keep 1.0's text for a plain path, so the comments 1.0 wrote are still found", () => {
    expect(commentMarker('config/prod.yaml').text()).toBe(
      '<!-- mkp-webhooks-sync:plan config=config/prod.yaml -->',
    );
    expect(driftMarker('.github/web_hooks-1.yaml').text()).toBe(
      '<!-- mkp-webhooks-sync:drift config=.github/web_hooks-1.yaml -->',
    );
  });

  it('cannot be ended or broken into lines by the path', () => {
    fc.assert(
      fc.property(hostileText, (path) => {
        const marker = commentMarker(path).text();
        expect(marker).toMatch(/^<!-- mkp-webhooks-sync:plan config=[^\s>]* -->$/);
        expect(marker.slice(4, -3)).not.toContain('--');
      }),
    );
  });
});

describe('runner log lines: no text starts a workflow command', () => {
  const COMMAND = /^::(debug|notice|warning|error|group|endgroup|add-mask)( [^:]*)?::/;

  /** What the Action's log prints for `message`, as the runner reads it: split on CR and LF. */
  function printed(message: string): string[] {
    const writes: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const exitCode = process.exitCode;
    process.stdout.write = ((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    try {
      const log = runnerLog(new Scrubber(), false);
      log.info(message);
      log.warning(message, { file: message, line: 1, column: 1 });
      log.error(message);
      log.notice(message);
      log.fail(message);
      void log.group(message, async () => undefined);
    } finally {
      process.stdout.write = write;
      process.exitCode = exitCode;
    }
    return writes.join('').split(/\r\n|\r|\n/);
  }

  it('is checked against lines that do carry commands (a check that can fail)', () => {
    expect(printed('x').filter((line) => COMMAND.test(line)).length).toBeGreaterThan(3);
  });

  it('for any text: no line but our own commands starts with `::`, none holds `##[`', () => {
    fc.assert(
      fc.property(hostileText, (message) => {
        for (const line of printed(message)) {
          expect(line).not.toContain('##[');
          if (!COMMAND.test(line)) expect(line.trimStart().startsWith('::')).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('logLine alone: one line, never a command', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), hostileText, (any, hostile) => {
        for (const text of [any, hostile]) {
          const line = logLine(text);
          expect(line.split(/\r|\n/)).toHaveLength(1);
          expect(line).not.toContain('##[');
          expect(line.trimStart().startsWith('::')).toBe(false);
        }
      }),
    );
  });
});

describe('terminal lines: no control character is sent', () => {
  // C0, DEL and C1 (U+009B, the one-byte CSI, included), line separators, bidirectional controls.
  const CONTROL =
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

  it('in the plan, the problems of an invalid file, and any line', () => {
    fc.assert(
      fc.property(fc.array(hostileText, { minLength: FIELDS, maxLength: FIELDS }), (values) => {
        const { result, problems } = scenario((i) => values[i]!);
        for (const line of [...renderText(result), ...renderProblems(problems)]) {
          expect(CONTROL.test(line)).toBe(false);
        }
      }),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(CONTROL.test(terminalLine(text))).toBe(false);
      }),
    );
  });

  it('measures columns as the terminal shows them', () => {
    expect(displayWidth(terminalLine('a\u001b[2Kb'))).toBe('a\\x1b[2Kb'.length);
    expect(displayWidth('✅')).toBe(2);
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
  });
});
