/**
 * `npx tsx scripts/screenshot.ts`: look at the reports as a person would. A development aid,
 * not run in CI. It runs the built action (dist/index.js, so `npm run build` first) against the
 * MijnKlantportaal and GitHub emulators three ways, renders every job summary and the PR comment
 * with markdown-it in a page styled like GitHub's markdown, and screenshots each page with
 * headless Chromium (Debian: `apt-get install chromium fonts-noto-color-emoji`; set CHROMIUM to
 * use another binary). The PNGs land in /tmp/mkp-report-<name>.png, next to the markdown they
 * show (/tmp/mkp-report-<name>.md; OUT_DIR to change).
 *
 * `npx tsx scripts/screenshot.ts a.md b.md` renders those files instead, without running
 * anything: handy to try out a changed layout before changing src/report/summary.ts.
 *
 *   dry-run  the job summary of a dry run on a pull request (pr-comment: true) whose base
 *            branch's webhooks.yaml differs: an entry removed, one event added, a secret renamed
 *   comment  the plan comment that run posted on the pull request (its footer names the
 *            commit and links the run, as on GitHub)
 *   comment-open  the same comment with its folded parts opened
 *   apply    the job summary of an apply run writing repository secrets
 *   invalid  the job summary of a run on a broken copy of webhooks.yaml (on the pull request)
 *   invalid-comment  the PR comment that run left (a run that knows neither its commit nor
 *            its run URL: no footer)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import MarkdownIt from 'markdown-it';
import { GitHubEmulator } from '../dev/emulator/github.js';
import { MkpEmulator } from '../src/emulator/mkp.js';
import { REPO_ROOT, runAction, type ActionRun } from '../dev/harness/action-runner.js';

const BILLING_HOOK_URL = 'https://billing.example.com/hooks/mkp?tenant=demo';
/** The runner's variables that name the workflow run, for the PR comment's footer. */
const RUN = {
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_RUN_ID: '4242',
};
const REPOSITORY = 'acme/shop';
const PULL_NUMBER = 12;
const WIDTH = 1100;
const CHROMIUM = process.env.CHROMIUM ?? 'chromium';
const OUT_DIR = process.env.OUT_DIR ?? '/tmp';

interface Page {
  name: string;
  title: string;
  markdown: string;
}

// GitHub renders a few HTML tags in markdown (<details>, <summary>, <code>); so does this page.
const md = new MarkdownIt({ html: true, linkify: true, typographer: false });

/** GitHub-flavoured enough: system font, bordered tables, grey code, ~1000px of text. */
const CSS = `
  * { box-sizing: border-box; }
  body { margin: 0; background: #fff; color: #1f2328;
    font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial,
      sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji"; }
  .frame { max-width: 1012px; margin: 16px auto; padding: 24px 32px; border: 1px solid #d1d9e0;
    border-radius: 6px; }
  .label { font-size: 12px; color: #59636e; margin: 0 0 16px; padding-bottom: 8px;
    border-bottom: 1px solid #d1d9e0; }
  h1, h2, h3, h4 { font-weight: 600; line-height: 1.25; margin: 24px 0 16px; }
  h2 { font-size: 1.5em; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0; }
  h3 { font-size: 1.25em; }
  .markdown > :first-child { margin-top: 0; }
  p, ul, ol, table, pre { margin: 0 0 16px; }
  ul, ol { padding-left: 2em; }
  li + li { margin-top: .25em; }
  a { color: #0969da; text-decoration: none; }
  code { font: 85% ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono",
    monospace; background: rgba(129, 139, 152, .12); padding: .2em .4em; border-radius: 6px;
    white-space: break-spaces; }
  pre { background: #f6f8fa; padding: 16px; border-radius: 6px; overflow: auto; line-height: 1.45; }
  pre code { background: none; padding: 0; font-size: 85%; white-space: pre; }
  table { border-collapse: collapse; display: block; width: max-content; max-width: 100%;
    overflow: auto; }
  th, td { border: 1px solid #d1d9e0; padding: 6px 13px; vertical-align: top; }
  th { font-weight: 600; }
  tr:nth-child(2n) { background: #f6f8fa; }
  .raw { margin-top: 24px; }
`;

/**
 * Writes the content's height into the DOM, so that --dump-dom tells how tall the screenshot
 * must be, and how many pixels each table hides (it scrolls sideways, as on GitHub).
 */
const MEASURE = `<script>addEventListener('load', () => {
  const frame = document.querySelector('.frame');
  document.body.setAttribute('data-height', String(Math.ceil(frame.getBoundingClientRect().bottom)));
  const hidden = [...document.querySelectorAll('table')].map((t) => t.scrollWidth - t.clientWidth);
  document.body.setAttribute('data-table-overflow', hidden.join(' '));
});</script>`;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function html(page: Page): string {
  // GitHub hides HTML comments (the PR comment's marker); markdown-it with html:false would show them.
  const visible = page.markdown.replace(/<!--[\s\S]*?-->\n?/g, '');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(page.title)}</title>
<style>${CSS}</style>${MEASURE}</head>
<body><div class="frame"><p class="label">${escapeHtml(page.title)}</p>
<div class="markdown">${md.render(visible)}</div></div></body></html>`;
}

function chromium(args: string[], timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(CHROMIUM, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${CHROMIUM} (${error.message}); apt-get install chromium`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${CHROMIUM} exited with ${code}:\n${stderr.slice(-2000)}`));
    });
  });
}

async function headless(extra: string[], url: string): Promise<string> {
  const profile = await mkdtemp(join(tmpdir(), 'mkp-chromium-'));
  try {
    return await chromium([
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      '--hide-scrollbars',
      ...extra,
      url,
    ]);
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

async function screenshot(page: Page, dir: string): Promise<string> {
  const file = join(dir, `${page.name}.html`);
  await writeFile(file, html(page));
  const url = pathToFileURL(file).href;
  const dom = await headless([`--window-size=${WIDTH},600`, '--dump-dom'], url);
  const measured = Number(/data-height="(\d+)"/.exec(dom)?.[1]);
  const overflow = (/data-table-overflow="([\d -]*)"/.exec(dom)?.[1] ?? '')
    .split(' ')
    .filter((n) => Number(n) > 0);
  for (const px of overflow) {
    console.log(`${page.name}: a table is ${px}px wider than the page; its right part is cut off`);
  }
  // Fallback when the page could not be measured: a generous guess from the line count.
  const height =
    Number.isFinite(measured) && measured > 0
      ? measured + 16
      : 200 + 40 * page.markdown.split('\n').length;
  const png = join(OUT_DIR, `mkp-report-${page.name}.png`);
  await headless([`--window-size=${WIDTH},${height}`, `--screenshot=${png}`], url);
  return png;
}

/** A copy of the example file with mistakes a person makes: a misspelt event, a URL without scheme, an unknown key. */
async function brokenWorkspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mkp-broken-'));
  const original = await readFile(join(REPO_ROOT, 'webhooks.yaml'), 'utf8');
  const broken = original
    .replace('customer-deleted]', 'customer-removed]')
    .replace('url: https://support.example.com/', 'url: support.example.com/')
    .replace('    event: offer-accepted', '    event: offer-accepted\n    secrets: OFFERS_SECRET');
  if (broken === original) throw new Error('webhooks.yaml changed; update brokenWorkspace()');
  await writeFile(join(dir, 'webhooks.yaml'), broken);
  return dir;
}

/** webhooks.yaml as the base branch of the pull request has it: what the PR changes, undone. */
async function baseBranchFile(): Promise<string> {
  const head = await readFile(join(REPO_ROOT, 'webhooks.yaml'), 'utf8');
  const base = head
    .replace('    secret: BILLING_{EVENT}_SECRET\n', '')
    .replace(', ticket-reply-employee]', ']')
    .concat(
      '\n  - name: old-offers\n    url: https://sales.example.com/hooks/old\n    event: offer-created\n',
    );
  if (!base.includes('ticket-reply-customer]') || base.includes('BILLING_{EVENT}')) {
    throw new Error('webhooks.yaml changed; update baseBranchFile()');
  }
  return base;
}

function describe(name: string, run: ActionRun): void {
  const problems = run.stdout
    .split('\n')
    .filter((line) => /^::(error|warning)/.test(line))
    .map((line) => `    ${line}`);
  console.log(
    `${name}: exit code ${run.exitCode}${problems.length ? `\n${problems.join('\n')}` : ''}`,
  );
}

/** Runs the action three ways and returns the pages to look at. */
async function actionPages(): Promise<Page[]> {
  const mkp = await MkpEmulator.start({
    seed: [
      // declared in webhooks.yaml
      { type: 'customer-created', url: 'https://hooks.example.com/mkp/crm' },
      // not declared: unmanaged
      { type: 'ticket-created', url: 'https://legacy.example.org/tickets?token=l3gacy-s3cret' },
      // declared, but on the account twice
      { type: 'invoice-paid', url: BILLING_HOOK_URL },
      { type: 'invoice-paid', url: BILLING_HOOK_URL },
    ],
  });
  const github = await GitHubEmulator.start();
  github.addPullRequest(REPOSITORY, PULL_NUMBER);
  const broken = await brokenWorkspace();

  try {
    const env = {
      BILLING_HOOK_URL,
      MKP_GITHUB_WRITE_INTERVAL_MS: '0',
      GITHUB_API_URL: github.url,
    };
    const baseSha = 'ba5e'.repeat(10);
    github.addCommit(REPOSITORY, baseSha, { 'webhooks.yaml': await baseBranchFile() });
    const pullRequest = {
      name: 'pull_request',
      payload: { pull_request: { number: PULL_NUMBER, base: { sha: baseSha, ref: 'main' } } },
    };
    const planComment = () =>
      github.comments.find((c) => c.repository === REPOSITORY && c.issue_number === PULL_NUMBER)
        ?.body;
    const base = {
      'api-token': mkp.token,
      'api-url': mkp.baseUrl,
      'github-token': github.token,
      repository: REPOSITORY,
    };

    // As on GitHub, the dry run knows its commit and run: its comment ends with both.
    const dryRun = await runAction({
      env: { ...env, ...RUN },
      inputs: { ...base, 'dry-run': 'true', 'pr-comment': 'true' },
      event: {
        ...pullRequest,
        payload: {
          pull_request: { ...pullRequest.payload.pull_request, head: { sha: 'c0ffee'.repeat(6) } },
        },
      },
    });
    describe('dry run on a pull request', dryRun);
    // The action keeps one comment per config file and updates it, so copy the body now.
    const comment = planComment();
    if (!comment) console.log('  (no PR comment was posted)');

    const apply = await runAction({ env, inputs: { ...base, 'secrets-target': 'repository' } });
    describe('apply, repository secrets', apply);

    // On the pull request too: that is where a broken file is usually first seen.
    const invalid = await runAction({
      env,
      inputs: { ...base, 'pr-comment': 'true' },
      event: pullRequest,
      cwd: broken,
    });
    describe('invalid file on the pull request', invalid);
    const invalidComment = planComment();

    const pages: Page[] = [
      {
        name: 'dry-run',
        title: 'Job summary: dry run on pull request #12',
        markdown: dryRun.summary,
      },
      ...(comment
        ? [
            { name: 'comment', title: 'PR comment on acme/shop#12 (dry run)', markdown: comment },
            {
              name: 'comment-open',
              title: 'The same PR comment, folded parts opened',
              markdown: comment.replaceAll('<details>', '<details open>'),
            },
          ]
        : []),
      {
        name: 'apply',
        title: 'Job summary: apply, secrets-target: repository',
        markdown: apply.summary,
      },
      { name: 'invalid', title: 'Job summary: a broken webhooks.yaml', markdown: invalid.summary },
      ...(invalidComment && invalidComment !== comment
        ? [
            {
              name: 'invalid-comment',
              title: 'PR comment on acme/shop#12 after the file broke',
              markdown: invalidComment,
            },
          ]
        : []),
    ];
    if (invalidComment === comment)
      console.log('NOTE: the invalid run left the plan comment as it was');

    // What must never be on a page: a webhook secret, or the query values of a URL.
    const forbidden = [...mkp.records.map((r) => r.secret), 'tenant=demo', 'l3gacy-s3cret'];
    for (const page of pages) {
      if (!page.markdown.trim()) console.log(`WARNING: ${page.name} is empty`);
      for (const text of forbidden) {
        if (page.markdown.includes(text)) console.log(`WARNING: ${page.name} shows ${text}`);
      }
      await writeFile(join(OUT_DIR, `mkp-report-${page.name}.md`), page.markdown);
    }

    return pages;
  } finally {
    await Promise.all([mkp.close(), github.close()]);
    await rm(broken, { recursive: true, force: true });
  }
}

/** `npx tsx scripts/screenshot.ts some.md ...` renders those files instead (to try out a layout). */
async function filePages(files: string[]): Promise<Page[]> {
  return Promise.all(
    files.map(async (file) => ({
      name: basename(file).replace(/\.md$/, ''),
      title: file,
      markdown: await readFile(file, 'utf8'),
    })),
  );
}

const args = process.argv.slice(2);
const pages = args.length > 0 ? await filePages(args) : await actionPages();
const work = await mkdtemp(join(tmpdir(), 'mkp-screenshot-'));
try {
  console.log('');
  for (const page of pages) {
    const png = await screenshot(page, work);
    const source =
      args.length > 0 ? '' : `  (markdown: ${join(OUT_DIR, `mkp-report-${page.name}.md`)})`;
    console.log(`${page.name.padEnd(16)} ${png}${source}`);
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
