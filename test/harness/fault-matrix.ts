import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GitHubEmulator,
  type Fault as GitHubFault,
  type SecretScope,
} from '../../dev/emulator/github.js';
import {
  MkpEmulator,
  type Fault as MkpFault,
  type MkpEmulatorOptions,
  type WebhookRecord,
} from '../../dev/emulator/mkp.js';
import { commentMarker } from '../../src/report/pr-comment.js';
import { runAction, type ActionRun } from '../../dev/harness/action-runner.js';
import { findLeaks } from './leak-scan.js';
import { spellingKey } from '../../src/plan.js';

/**
 * The fault matrix (RELIABILITY.md): every fault × phase of a run, each cell run through the
 * built action against its own emulators, twice: once with the fault, once after it is gone.
 * The properties of CONTRACT §4 are checked as data (`violations`), so the same results feed
 * the jest assertions and the generated RELIABILITY.md. Imports nothing from jest.
 */
export type Phase = 'list' | 'create' | 'secret write';
export const PHASES: readonly Phase[] = ['list', 'create', 'secret write'];

/** What the faulty run must come to: recover within its retries, or fail naming the cause. */
export type Expectation =
  | { outcome: 'recovers' }
  | { outcome: 'fails'; says: string }
  /** Both runs fail saying `says`, and neither creates a second record for a declaration. */
  | { outcome: 'refuses'; says: string };

interface Emulators {
  mkp: MkpEmulator;
  github: GitHubEmulator;
  /** Another MijnKlantportaal origin, to prove that the token never goes there. */
  foreign: MkpEmulator;
}

export interface RunnableCell {
  kind: 'run';
  fault: string;
  phase: Phase | 'every phase';
  /** What the emulator does, for people (RELIABILITY.md). */
  did: string;
  inject: (emulators: Emulators) => void;
  expect: Expectation;
  /** Per-attempt MijnKlantportaal timeout of the faulty run. */
  timeoutMs?: number;
  /** An account other than the two-page one; such a cell injects no fault. */
  scenario?: Scenario;
  /** A long cell, started before the others. */
  first?: boolean;
  /** Not in the issue's list of faults. */
  beyond?: boolean;
  /** A cell of the right-secret section (issue 13). */
  rightSecret?: boolean;
  /** A MijnKlantportaal that stores another spelling of the URLs it is sent. */
  normalisingApi?: boolean;
  /** Sent to the action once the account sees the creates begin, as a cancelled workflow does. */
  signal?: NodeJS.Signals;
  /** Where the secrets go; default repository secrets. */
  target?: 'repository' | 'outputs';
  /** For a cell that sets a state up rather than injecting a fault: did the faulty run meet it? */
  met?: (faulty: ActionRun) => boolean;
}

export interface SkippedCell {
  kind: 'n/a' | 'not covered';
  fault: string;
  phase: Phase;
  why: string;
  beyond?: boolean;
}

export type Cell = RunnableCell | SkippedCell;

/** One run of the action: what it came to and what it cost. */
export interface RunRecord {
  exitCode: number;
  calls: { list: number; create: number; secretPuts: number };
  created: number;
  secretsWritten: number;
}

export interface CellResult {
  cell: RunnableCell;
  faulty: RunRecord;
  next: RunRecord;
  /** Calls that met an injected fault during the faulty run. */
  faultsMet: number;
  /** Every property of the cell that did not hold; empty when the cell passes. */
  violations: Violation[];
}

// ------------------------------------------------------------------------------- scenarios

interface Declared {
  event: string;
  url: string;
  secretName: string;
}

/** The account before the faulty run; its plan with WEBHOOKS_YAML follows from the seed. */
export interface Scenario {
  seed: () => Array<{ type: string; url: string }>;
  rateLimit?: { limit: number; windowMs: number };
}

const WEBHOOKS_YAML = `webhooks:
  - name: crm
    url: https://hooks.example.com/crm
    events: [customer-created, customer-deleted]
  - name: billing
    url: https://billing.example.com/mkp?key=k3y
    event: invoice-paid
  - name: support
    url: https://support.example.com/mkp/
    event: ticket-created
`;

/** The subscriptions WEBHOOKS_YAML declares; the first two are on the account before run 1. */
const DECLARED: readonly Declared[] = [
  {
    event: 'customer-created',
    url: 'https://hooks.example.com/crm',
    secretName: 'MKP_WEBHOOK_CRM_CUSTOMER_CREATED',
  },
  {
    event: 'customer-deleted',
    url: 'https://hooks.example.com/crm',
    secretName: 'MKP_WEBHOOK_CRM_CUSTOMER_DELETED',
  },
  {
    event: 'invoice-paid',
    url: 'https://billing.example.com/mkp?key=k3y',
    secretName: 'MKP_WEBHOOK_BILLING_INVOICE_PAID',
  },
  {
    event: 'ticket-created',
    url: 'https://support.example.com/mkp/',
    secretName: 'MKP_WEBHOOK_SUPPORT_TICKET_CREATED',
  },
];
const EXISTING = DECLARED.slice(0, 2);
const TO_CREATE = DECLARED.length - EXISTING.length;
/** At the target before run 1; the other existing one is missing there (resync-secrets: missing). */
const ALREADY_AT_TARGET = DECLARED[0]!;

const REPOSITORY = 'acme/shop';
const SCOPE: SecretScope = { kind: 'repository', repository: REPOSITORY };
const UNMANAGED_TYPES = ['offer-created', 'invoice-created', 'appointment-created'];

const unmanaged = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    type: UNMANAGED_TYPES[i % UNMANAGED_TYPES.length]!,
    url: `https://old.example.com/${i}`,
  }));

/** Two pages of 15: the declared webhooks on page 1 among 13 unmanaged ones, 5 more on page 2. */
const BASE: Scenario = {
  seed: () => [...EXISTING.map((d) => ({ type: d.event, url: d.url })), ...unmanaged(18)],
};

/** 1000 records (67 pages); the declared ones far down the listing. */
const THOUSAND: Scenario = {
  seed: () => {
    const records = unmanaged(998);
    records.splice(500, 0, { type: EXISTING[0]!.event, url: EXISTING[0]!.url });
    records.push({ type: EXISTING[1]!.event, url: EXISTING[1]!.url });
    return records;
  },
  rateLimit: { limit: 100_000, windowMs: 60_000 },
};

// ------------------------------------------------------------------------------- the matrix

const RECOVERS: Expectation = { outcome: 'recovers' };
const fails = (says: string): Expectation => ({ outcome: 'fails', says });

const mkp = (
  fault: MkpFault,
  did: string,
  expectation: Expectation,
  extra: Partial<RunnableCell> = {},
): Omit<RunnableCell, 'fault' | 'phase'> => ({
  kind: 'run',
  did,
  inject: ({ mkp: emulator }) => emulator.inject(fault),
  expect: expectation,
  ...extra,
});

const github = (
  fault: GitHubFault,
  did: string,
  expectation: Expectation,
  extra: Partial<RunnableCell> = {},
): Omit<RunnableCell, 'fault' | 'phase'> => ({
  kind: 'run',
  did,
  inject: ({ github: emulator }) => emulator.inject(fault),
  expect: expectation,
  ...extra,
});

const skip = (kind: SkippedCell['kind'], why: string): Omit<SkippedCell, 'fault' | 'phase'> => ({
  kind,
  why,
});

const LIST_ONLY = skip(
  'n/a',
  'a create answers one record, not a page (the listing after a lost create is the list phase)',
);
const NOT_PAGED = skip(
  'n/a',
  'a secret PUT answers no page, and GitHub secret names are read by page number, never by a link',
);
const SECRETS_PUT = '/actions/secrets/';
const SLOW_TIMEOUT_MS = 1_000;
const SLOW = { kind: 'slow', delayMs: 5_000 } as const;

type Row = { fault: string } & Record<
  Phase,
  Omit<RunnableCell, 'fault' | 'phase'> | Omit<SkippedCell, 'fault' | 'phase'>
>;

const ROWS: Row[] = [
  {
    fault: 'a 429 burst',
    list: mkp(
      { kind: 'rate-limit', on: 'list', times: 3, retryAfter: 1 },
      'answered the GET of page 1 with 429 (retry-after 1 s) 3 times in a row',
      RECOVERS,
    ),
    create: mkp(
      { kind: 'rate-limit', on: 'create', times: 3, retryAfter: 1 },
      'answered the first 3 POSTs with 429 (retry-after 1 s)',
      RECOVERS,
    ),
    'secret write': github(
      { method: 'PUT', pathIncludes: SECRETS_PUT, status: 429, times: 3 },
      'answered the first 3 secret PUTs with 429 (x-ratelimit-remaining 0, retry-after 1 s)',
      RECOVERS,
    ),
  },
  {
    fault: 'a 5xx before the operation',
    list: mkp(
      { kind: 'error-before', on: 'list', status: 503 },
      'answered the GET of page 1 with 503 without reading it',
      RECOVERS,
    ),
    create: mkp(
      { kind: 'error-before', on: 'create', status: 503 },
      'answered the first POST with 503 without creating the record',
      RECOVERS,
    ),
    'secret write': github(
      { method: 'PUT', pathIncludes: SECRETS_PUT, status: 500 },
      'answered the first secret PUT with 500 without storing it',
      RECOVERS,
    ),
  },
  {
    fault: 'a 5xx after the operation',
    list: mkp(
      { kind: 'error-after', on: 'list', status: 503 },
      'read page 1, then answered 503',
      RECOVERS,
    ),
    create: mkp(
      { kind: 'error-after', on: 'create', status: 503 },
      'created the record of the first POST, then answered 503',
      RECOVERS,
    ),
    'secret write': github(
      { method: 'PUT', pathIncludes: SECRETS_PUT, status: 502, after: true },
      'stored the first secret PUT, then answered 502',
      RECOVERS,
    ),
  },
  {
    fault: 'a connection reset before the operation',
    list: mkp(
      { kind: 'reset-before', on: 'list' },
      'dropped the connection of the GET of page 1 without answering',
      RECOVERS,
    ),
    create: mkp(
      { kind: 'reset-before', on: 'create' },
      'dropped the connection of the first POST without creating the record',
      RECOVERS,
    ),
    'secret write': github(
      { method: 'PUT', pathIncludes: SECRETS_PUT, drop: true },
      'dropped the connection of the first secret PUT without storing it',
      RECOVERS,
    ),
  },
  {
    fault: 'a connection reset after the operation',
    list: mkp(
      { kind: 'reset-after', on: 'list' },
      'read page 1, then dropped the connection',
      RECOVERS,
    ),
    create: mkp(
      { kind: 'reset-after', on: 'create' },
      'created the record of the first POST, then dropped the connection',
      RECOVERS,
    ),
    'secret write': github(
      { method: 'PUT', pathIncludes: SECRETS_PUT, drop: true, after: true },
      'stored the first secret PUT, then dropped the connection',
      RECOVERS,
    ),
  },
  {
    fault: 'a response slower than the timeout',
    list: mkp(
      { ...SLOW, on: 'list' },
      `held the answer to page 1 for ${SLOW.delayMs / 1000} s; the timeout is ${SLOW_TIMEOUT_MS / 1000} s`,
      RECOVERS,
      { timeoutMs: SLOW_TIMEOUT_MS },
    ),
    create: mkp(
      { ...SLOW, on: 'create' },
      `created the record of the first POST and held the answer for ${SLOW.delayMs / 1000} s; the timeout is ${SLOW_TIMEOUT_MS / 1000} s`,
      RECOVERS,
      { timeoutMs: SLOW_TIMEOUT_MS },
    ),
    'secret write': github(
      { method: 'PUT', pathIncludes: SECRETS_PUT, delayMs: SLOW.delayMs },
      `held the answer to the first secret PUT for ${SLOW.delayMs / 1000} s; the timeout is ${SLOW_TIMEOUT_MS / 1000} s`,
      RECOVERS,
      { timeoutMs: SLOW_TIMEOUT_MS },
    ),
  },
  {
    fault: 'malformed JSON',
    list: mkp(
      { kind: 'malformed-json', on: 'list' },
      'answered page 1 with 200 and the first half of its JSON',
      RECOVERS,
    ),
    create: mkp(
      { kind: 'malformed-json', on: 'create' },
      'created the record of the first POST and answered 201 with half of its JSON',
      RECOVERS,
    ),
    'secret write': github(
      { method: 'PUT', pathIncludes: SECRETS_PUT, body: 'malformed-json' },
      'stored the first secret PUT and answered 201 with half of its JSON (`{`)',
      RECOVERS,
    ),
  },
  {
    fault: 'an HTML error page',
    list: mkp(
      { kind: 'html', on: 'list' },
      "answered the GET of page 1 with a proxy's HTML 502 page",
      RECOVERS,
    ),
    create: mkp(
      { kind: 'html', on: 'create' },
      "answered the first POST with a proxy's HTML 502 page, without creating the record",
      RECOVERS,
    ),
    'secret write': github(
      { method: 'PUT', pathIncludes: SECRETS_PUT, body: 'html' },
      "answered the first secret PUT with a proxy's HTML 502 page, without storing it",
      RECOVERS,
    ),
  },
  {
    fault: 'a wrong content-type',
    list: mkp(
      { kind: 'wrong-content-type', on: 'list' },
      'answered page 1 with 200, text/plain, body `OK`',
      RECOVERS,
    ),
    create: mkp(
      { kind: 'wrong-content-type', on: 'create' },
      'created the record of the first POST and answered 201, text/plain, body `Created`',
      RECOVERS,
    ),
    'secret write': github(
      { method: 'PUT', pathIncludes: SECRETS_PUT, body: 'text' },
      'stored the first secret PUT and answered 201, text/plain, body `OK`',
      RECOVERS,
    ),
  },
  {
    fault: 'an empty page',
    list: mkp(
      { kind: 'empty-page', on: 'list' },
      'answered page 1 of 2 with no records but a next_page_url to page 2',
      RECOVERS,
    ),
    create: LIST_ONLY,
    'secret write': NOT_PAGED,
  },
  {
    fault: 'a page loop',
    list: mkp(
      { kind: 'loop-next', on: 'list', times: 10 },
      'gave every page a next_page_url back to page 1; the client goes on with current_page + 1',
      RECOVERS,
    ),
    create: LIST_ONLY,
    'secret write': NOT_PAGED,
  },
  {
    fault: 'a foreign next_page_url',
    list: {
      kind: 'run',
      did: 'gave page 1 a next_page_url on another origin (a second emulator)',
      inject: ({ mkp: emulator, foreign }) =>
        emulator.inject({
          kind: 'foreign-next',
          on: 'list',
          url: `${foreign.baseUrl}/webhooks?page=2`,
        }),
      expect: fails('is not on the origin of api-url'),
    },
    create: LIST_ONLY,
    'secret write': NOT_PAGED,
  },
];

/**
 * Beyond the issue's list: faults that outlast the retries, so that every phase also shows a
 * run that cannot finish, says why, and is repaired by the next one; and a one-off link back.
 */
const MORE_ROWS: Row[] = [
  {
    fault: 'a 429 burst beyond the retries',
    list: mkp(
      { kind: 'rate-limit', on: 'list', times: 6, retryAfter: 0 },
      'answered the GET of page 1 with 429 (retry-after 0) 6 times in a row',
      fails('rate limited (429); gave up after 6 attempts'),
    ),
    create: mkp(
      { kind: 'rate-limit', on: 'create', times: 12, retryAfter: 0 },
      'answered both POSTs with 429 (retry-after 0) 6 times each',
      fails('rate limited (429); gave up after 6 attempts'),
    ),
    'secret write': github(
      {
        method: 'PUT',
        pathIncludes: `${SECRETS_PUT}${DECLARED[2]!.secretName}`,
        status: 429,
        times: 100,
      },
      `answered every PUT of ${DECLARED[2]!.secretName} with 429 (retry-after 1 s)`,
      fails('cannot write repository secrets of acme/shop: GitHub answered 429'),
    ),
  },
  {
    fault: 'a 5xx that outlasts the retries',
    list: mkp(
      { kind: 'error-before', on: 'list', status: 503, times: 6 },
      'answered the GET of page 1 with 503 6 times in a row',
      fails('the API answered 503; gave up after 6 attempts'),
    ),
    create: mkp(
      { kind: 'error-before', on: 'create', status: 503, times: 6 },
      'answered every POST of 3 create rounds with 503, creating nothing',
      fails('the API answered 503; the API may or may not have done it'),
    ),
    'secret write': {
      ...github(
        {
          method: 'PUT',
          pathIncludes: `${SECRETS_PUT}${DECLARED[2]!.secretName}`,
          status: 502,
          times: 100,
        },
        `answered every PUT of ${DECLARED[2]!.secretName} with 502`,
        fails('cannot write repository secrets of acme/shop: GitHub answered 502'),
      ),
      // Octokit's retries of a 5xx wait 1 + 4 + 9 s: start this cell first.
      first: true,
    },
  },
  {
    fault: 'a 403 refusal',
    list: mkp(
      { kind: 'error-before', on: 'list', status: 403 },
      'answered the GET of page 1 with 403',
      fails('is wrong or lacks the webhooks scope'),
    ),
    create: mkp(
      { kind: 'error-before', on: 'create', status: 403, times: 2 },
      'answered both POSTs with 403 (a token that may read but not create)',
      fails('is wrong or lacks the webhooks scope'),
    ),
    'secret write': github(
      {
        method: 'PUT',
        pathIncludes: SECRETS_PUT,
        status: 403,
        message: 'Resource not accessible by integration',
        times: 100,
      },
      'answered every secret PUT with 403 (a token that may read secrets but not write them)',
      fails('cannot write repository secrets of acme/shop'),
    ),
  },
  {
    fault: 'a next_page_url back to page 1, once',
    list: mkp(
      { kind: 'loop-next', on: 'list' },
      'gave page 1 a next_page_url to `?page=1` once, then paged on as usual',
      RECOVERS,
    ),
    create: LIST_ONLY,
    'secret write': NOT_PAGED,
  },
];

const SCENARIO_CELL: RunnableCell = {
  kind: 'run',
  fault: '1000 existing records',
  phase: 'every phase',
  did: 'held 1000 records (67 pages), the 2 declared ones at positions 501 and 1000; no fault',
  inject: () => undefined,
  expect: RECOVERS,
  scenario: THOUSAND,
  first: true,
};

/** A time well before the run: when the old secrets at the target were written. */
const LONG_AGO = '2026-01-01T00:00:00Z';
const STALE = 'stale: written before the webhook was created';

/**
 * Issue 13: the secret at the target is the webhook's current one after the next run at the
 * latest, whatever happened before it; a cancelled run leaves a record; a normalising API
 * gets no second record.
 */
const RIGHT_SECRET_CELLS: RunnableCell[] = [
  {
    kind: 'run',
    fault: 'a webhook re-created in the manage portal',
    phase: 'secret write',
    did: `replaced the record of ${ALREADY_AT_TARGET.secretName} by a new one (new secret, createdAt now) while the target kept the old secret, written ${LONG_AGO}`,
    inject: ({ mkp: account, github: gh }) => {
      const old = recordOf(account.records, ALREADY_AT_TARGET)!;
      gh.putSecret(SCOPE, ALREADY_AT_TARGET.secretName, old.secret, { updated_at: LONG_AGO });
      account.recreate(old.id);
    },
    expect: RECOVERS,
    met: (faulty) => faulty.stdout.includes(STALE),
    rightSecret: true,
  },
  {
    kind: 'run',
    fault: 'a failed write over an old secret, then a healthy run',
    phase: 'secret write',
    did: `held an old secret under ${DECLARED[2]!.secretName} (written ${LONG_AGO}), then answered every PUT of it with 403`,
    inject: ({ github: gh }) => {
      gh.putSecret(SCOPE, DECLARED[2]!.secretName, 'the secret of a deleted webhook', {
        updated_at: LONG_AGO,
      });
      gh.inject({
        method: 'PUT',
        pathIncludes: `${SECRETS_PUT}${DECLARED[2]!.secretName}`,
        status: 403,
        message: 'Resource not accessible by integration',
        times: 100,
      });
    },
    expect: fails('the next run with resync-secrets: missing (the default) writes them'),
    rightSecret: true,
  },
  ...(['repository', 'outputs'] as const).map((target): RunnableCell => ({
    kind: 'run',
    fault: `SIGTERM mid-create (secrets-target ${target})`,
    phase: 'create',
    did: 'created the record of the first POST and held the answer for 4 s; SIGTERM came when both POSTs had arrived',
    inject: ({ mkp: account }) => account.inject({ kind: 'slow', on: 'create', delayMs: 4_000 }),
    expect: fails('Already done:'),
    signal: 'SIGTERM',
    target,
    rightSecret: true,
  })),
  {
    kind: 'run',
    fault: 'a normalising API',
    phase: 'create',
    did: `stored ${DECLARED[3]!.url} as https://support.example.com/mkp (trailing slash dropped), answering and listing that form`,
    inject: () => undefined,
    normalisingApi: true,
    expect: {
      outcome: 'refuses',
      says: 'declare it as `https://support.example.com/mkp`',
    },
    met: (faulty) => faulty.stdout.includes('the API stored it as'),
    rightSecret: true,
  },
];

const cellsOf = (rows: Row[], beyond: boolean): Cell[] =>
  rows.flatMap((row) =>
    PHASES.map((phase): Cell => ({ ...row[phase], fault: row.fault, phase, beyond }) as Cell),
  );

/** The issue's faults and scenario first, then MORE_ROWS (`beyond`). */
export const CELLS: readonly Cell[] = [
  ...cellsOf(ROWS, false),
  SCENARIO_CELL,
  ...cellsOf(MORE_ROWS, true),
  ...RIGHT_SECRET_CELLS,
];

// ------------------------------------------------------------------------------- running

const FAST = { MKP_RETRY_BASE_MS: '5', MKP_GITHUB_WRITE_INTERVAL_MS: '0' };
const DEFAULT_TIMEOUT_MS = 5_000;
const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

/** Runs the cells, `concurrency` at a time, each on its own emulators. */
export async function runMatrix(
  cells: readonly RunnableCell[],
  concurrency: number,
): Promise<CellResult[]> {
  const order = [...cells.keys()].sort(
    (a, b) => Number(cells[b]!.first ?? false) - Number(cells[a]!.first ?? false),
  );
  const results = new Array<CellResult>(cells.length);
  let next = 0;
  const worker = async () => {
    while (next < order.length) {
      const index = order[next++]!;
      results[index] = await runCell(cells[index]!).catch((error: unknown) => ({
        cell: cells[index]!,
        faulty: NO_RUN,
        next: NO_RUN,
        faultsMet: 0,
        violations: as(4, [
          `the cell could not be run: ${error instanceof Error ? error.stack : String(error)}`,
        ]),
      }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, cells.length) }, worker));
  return results;
}

const NO_RUN: RunRecord = {
  exitCode: -1,
  calls: { list: 0, create: 0, secretPuts: 0 },
  created: 0,
  secretsWritten: 0,
};

export async function runCell(cell: RunnableCell): Promise<CellResult> {
  const scenario = cell.scenario ?? BASE;
  const emulators: Emulators = {
    mkp: await MkpEmulator.start({
      seed: scenario.seed(),
      rateLimit: scenario.rateLimit,
      normaliseUrls: cell.normalisingApi,
    }),
    github: await GitHubEmulator.start(),
    foreign: await MkpEmulator.start(),
  };
  const { mkp: account, github: gh, foreign } = emulators;
  const cwd = await mkdtemp(join(tmpdir(), 'mkp-faults-'));
  try {
    await writeFile(join(cwd, 'webhooks.yaml'), WEBHOOKS_YAML);
    const atTarget = recordOf(account.records, ALREADY_AT_TARGET)!;
    gh.putSecret(SCOPE, ALREADY_AT_TARGET.secretName, atTarget.secret);

    cell.inject(emulators);
    const injected = pendingFaults(account) + pendingFaults(gh);
    const faultyRun = await runOnce(emulators, cwd, cell.timeoutMs ?? DEFAULT_TIMEOUT_MS, cell);
    const faultsMet = cell.met
      ? Number(cell.met(faultyRun.run))
      : injected - pendingFaults(account) - pendingFaults(gh);
    const afterFaulty = [...account.records];
    const deliveredAfterFaulty = deliveredBy(cell, faultyRun.run, gh);

    withdrawFaults(account);
    withdrawFaults(gh);
    const nextRun = await runOnce(emulators, cwd, DEFAULT_TIMEOUT_MS, {
      ...cell,
      signal: undefined,
    });

    // Every secret the account holds, and both tokens, must stay out of the log and outputs.
    const hidden = [...account.records.map((r) => r.secret), account.token, gh.token];
    const delivered = deliveredBy(cell, nextRun.run, gh);
    const refuses = cell.expect.outcome === 'refuses';
    const complete = (records: readonly WebhookRecord[], secrets: Array<string | undefined>) =>
      refuses ? onePerDeclaration(records) : incomplete(records, secrets);
    const violations: Violation[] = [
      ...as(1, duplicates(afterFaulty), 'after the faulty run'),
      ...as(1, duplicates(account.records), 'after the next run'),
      ...as(1, refuses ? onePerDeclaration(account.records) : [], 'after the next run'),
      ...as(2, complete(account.records, delivered), 'after the next run'),
      ...as(
        2,
        faultyRun.run.exitCode === 0 ? complete(afterFaulty, deliveredAfterFaulty) : [],
        'the faulty run exited 0 but did not finish',
      ),
      ...as(3, clearError(cell, faultyRun.run)),
      ...as(3, refuses ? clearError(cell, nextRun.run) : [], 'next run'),
      ...as(3, stackTraces(faultyRun.run), 'faulty run'),
      ...as(3, stackTraces(nextRun.run), 'next run'),
      ...as(4, exitStatus(cell, faultyRun.run, nextRun.run)),
      ...as(5, leaks(faultyRun.run, hidden, cell.target), 'faulty run'),
      ...as(5, leaks(nextRun.run, hidden, cell.target), 'next run'),
      ...as(6, truePlan(faultyRun.run, scenario)),
      ...as(
        6,
        cell.scenario === undefined && faultsMet === 0 ? ['the cell never met its fault'] : [],
      ),
      ...as(
        6,
        foreign.calls.length > 0 ? [`the foreign origin got ${foreign.calls.length} call(s)`] : [],
      ),
    ];
    return { cell, faulty: faultyRun.record, next: nextRun.record, faultsMet, violations };
  } finally {
    await Promise.all([account.close(), gh.close(), foreign.close()]);
    await rm(cwd, { recursive: true, force: true });
  }
}

async function runOnce(
  { mkp: account, github: gh }: Emulators,
  cwd: string,
  timeoutMs: number,
  cell: Pick<RunnableCell, 'signal' | 'target'>,
): Promise<{ run: ActionRun; record: RunRecord }> {
  account.resetCalls();
  const ghCallsBefore = gh.calls.length;
  const run = await runAction({
    cwd,
    inputs: {
      'api-token': account.token,
      'api-url': account.baseUrl,
      'secrets-target': cell.target ?? 'repository',
      'github-token': gh.token,
      repository: REPOSITORY,
    },
    env: { ...FAST, MKP_HTTP_TIMEOUT_MS: String(timeoutMs), GITHUB_API_URL: gh.url },
    onSpawn: cell.signal ? signalOnCreate(account, cell.signal) : undefined,
  });
  const puts = gh.calls
    .slice(ghCallsBefore)
    .filter((c) => c.method === 'PUT' && c.path.includes(SECRETS_PUT));
  return {
    run,
    record: {
      exitCode: run.exitCode,
      calls: {
        list: account.count('list'),
        create: account.count('create'),
        secretPuts: puts.length,
      },
      created: parseCreated(run.outputs.created),
      secretsWritten: puts.filter((c) => c.status === 201 || c.status === 204).length,
    },
  };
}

/** Sends `signal` to the action once the account has seen every create of the run begin. */
function signalOnCreate(account: MkpEmulator, signal: NodeJS.Signals) {
  return (child: ChildProcess) => {
    const poll = setInterval(() => {
      if (account.count('create') < TO_CREATE) return;
      clearInterval(poll);
      child.kill(signal);
    }, 10);
    child.on('exit', () => clearInterval(poll));
  };
}

/** Each declared secret as the target holds it after `run`: decrypted, or from the outputs. */
function deliveredBy(
  cell: RunnableCell,
  run: ActionRun,
  gh: GitHubEmulator,
): Array<string | undefined> {
  if (cell.target !== 'outputs') return DECLARED.map((d) => gh.decrypt(SCOPE, d.secretName));
  const secrets = JSON.parse(run.outputs.secrets ?? '{}') as Record<string, string>;
  return DECLARED.map((d) => secrets[d.secretName]);
}

// ------------------------------------------------------------------------------- properties

/** One property of RELIABILITY.md's list (1-6) that a cell broke, and how. */
export interface Violation {
  property: 1 | 2 | 3 | 4 | 5 | 6;
  detail: string;
}

function as(property: Violation['property'], details: string[], context?: string): Violation[] {
  return details.map((detail) => ({
    property,
    detail: context ? `${context}: ${detail}` : detail,
  }));
}

/** 3: a faulty run that fails says what failed. */
function clearError(cell: RunnableCell, run: ActionRun): string[] {
  const { expect: expectation } = cell;
  if (run.exitCode === 0 || expectation.outcome === 'recovers') return [];
  return run.stdout.includes(expectation.says)
    ? []
    : [`the faulty run's log does not say "${expectation.says}": ${errorLines(run)}`];
}

function stackTraces(run: ActionRun): string[] {
  return (['stdout', 'stderr'] as const).flatMap((stream) =>
    STACK_TRACE.test(run[stream]) ? [`a stack trace on ${stream}`] : [],
  );
}

/** 4: exit 0 when the retries absorb the fault, exactly 1 when the run could not finish. */
function exitStatus(cell: RunnableCell, faulty: ActionRun, next: ActionRun): string[] {
  const wanted = cell.expect.outcome === 'recovers' ? 0 : 1;
  const wantedNext = cell.expect.outcome === 'refuses' ? 1 : 0;
  return [
    ...(faulty.exitCode === wanted
      ? []
      : [`the faulty run exited ${faulty.exitCode}, not ${wanted}: ${errorLines(faulty)}`]),
    ...(next.exitCode === wantedNext
      ? []
      : [`the next run exited ${next.exitCode}, not ${wantedNext}: ${errorLines(next)}`]),
  ];
}

/** 5: no secret or token outside its own ::add-mask:: line, the summary or an output. */
function leaks(run: ActionRun, hidden: string[], target?: RunnableCell['target']): string[] {
  // With the outputs target, the per-secret outputs are where the secrets belong.
  const secretOutputs =
    target === 'outputs'
      ? Object.keys(run.outputs).filter((n) => /^[A-Z_][A-Z0-9_]*$/.test(n))
      : [];
  const problems = findLeaks({ run, secrets: hidden, secretOutputs });
  if (target !== 'outputs' && run.outputs.secrets !== undefined && run.outputs.secrets !== '{}') {
    problems.push('the secrets output is not {} with a repository target');
  }
  return problems;
}

/** 6: a fault must not change what the run believes is on the account. */
function truePlan(run: ActionRun, scenario: Scenario): string[] {
  if (run.outputs.plan === undefined) return [];
  const plan = JSON.parse(run.outputs.plan) as Record<string, unknown[] | undefined>;
  const seen = {
    create: plan.create?.length,
    unmanaged: plan.unmanaged?.length,
    duplicates: plan.duplicates?.length,
  };
  const truth = {
    create: TO_CREATE,
    unmanaged: scenario.seed().length - EXISTING.length,
    duplicates: 0,
  };
  return JSON.stringify(seen) === JSON.stringify(truth)
    ? []
    : [
        `the faulty run planned from a wrong listing: ${JSON.stringify(seen)} instead of ${JSON.stringify(truth)}`,
      ];
}

/** Records that share one (type, url) on the account. */
function duplicates(records: readonly WebhookRecord[]): string[] {
  const counts = new Map<string, number>();
  for (const r of records) {
    const key = `${r.type} ${new URL(r.url).href}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n > 1).map(([key, n]) => `${n} records for ${key}`);
}

/** What is not yet as declared: a subscription missing or doubled, a secret absent or wrong. */
function incomplete(
  records: readonly WebhookRecord[],
  delivered: ReadonlyArray<string | undefined>,
): string[] {
  return DECLARED.flatMap((d, i) => {
    const matching = records.filter((r) => r.type === d.event && r.url === d.url);
    if (matching.length !== 1) return [`${matching.length} records for ${d.event} ${d.url}`];
    if (delivered[i] === undefined) return [`${d.secretName} is not at the target`];
    if (delivered[i] !== matching[0]!.secret) {
      return [`${d.secretName} at the target is not the webhook's secret`];
    }
    return [];
  });
}

/** With a normalising API: one record per declaration, whatever spelling the API stored. */
function onePerDeclaration(records: readonly WebhookRecord[]): string[] {
  return DECLARED.flatMap((d) => {
    const key = spellingKey(d.event, d.url);
    const n = records.filter((r) => spellingKey(r.type, r.url) === key).length;
    return n === 1 ? [] : [`${n} records for ${d.event} ${d.url} in any spelling`];
  });
}

function recordOf(records: readonly WebhookRecord[], d: Declared): WebhookRecord | undefined {
  return records.find((r) => r.type === d.event && r.url === d.url);
}

function parseCreated(json: string | undefined): number {
  if (json === undefined) return 0;
  const created = JSON.parse(json) as unknown;
  return Array.isArray(created) ? created.length : 0;
}

/** The run's error lines (they never hold a secret: the runner masks, and these are checked). */
function errorLines(run: ActionRun): string {
  const lines = run.stdout.split('\n').filter((line) => line.startsWith('::error'));
  return lines.join(' | ').slice(0, 600) || '(no error line)';
}

/**
 * The emulators keep their fault queues private and cannot withdraw a fault; the matrix needs
 * both: how many faulty calls are still to come (to prove each cell met its fault), and a
 * next run with every fault gone.
 */
function faultQueue(emulator: MkpEmulator | GitHubEmulator): Array<{ left: number }> {
  const queue = (emulator as unknown as { faults: unknown }).faults;
  if (!Array.isArray(queue)) throw new Error('the emulator keeps its faults elsewhere now');
  return queue as Array<{ left: number }>;
}

function pendingFaults(emulator: MkpEmulator | GitHubEmulator): number {
  return faultQueue(emulator).reduce((sum, fault) => sum + fault.left, 0);
}

function withdrawFaults(emulator: MkpEmulator | GitHubEmulator): void {
  faultQueue(emulator).length = 0;
}

// ------------------------------------------------------------------------------- hostile input

/**
 * Attacks from a hostile config, input, server or commenter (issue 14): each runs the built
 * action once on its own emulators, and the leak check runs over everything it showed.
 */
export interface HostileCell {
  attack: string;
  /** What was tried, for people (RELIABILITY.md). */
  tried: string;
  /** The outcome that must follow, for people. */
  outcome: string;
  yaml?: string;
  env?: Record<string, string>;
  inputs?: Record<string, string>;
  mkp?: Partial<MkpEmulatorOptions>;
  /** Injected into the MijnKlantportaal emulator, or set up on the GitHub one. */
  arrange?: (emulators: Emulators) => void;
  /** An api-url other than the account's (a name that does not resolve). */
  apiUrl?: string;
  exitCode: 0 | 1;
  /** A line of the log must contain this. */
  says: string;
  /** MijnKlantportaal calls the run may make; a refusal before any call allows 0. */
  calls: number;
  /** Values that must not show (beyond every token and secret): ${VAR} values and the like. */
  hidden?: string[];
  /** What else must hold, as problems (empty when it holds). */
  check?: (run: ActionRun, emulators: Emulators) => string[];
}

export interface HostileResult {
  cell: HostileCell;
  exitCode: number;
  calls: number;
  violations: string[];
}

const ONE_HOOK = `webhooks:
  - name: crm
    url: https://hooks.example.com/crm
    event: customer-created
`;
const urlFile = (url: string) => `webhooks:\n  - url: ${url}\n    event: offer-created\n`;
const refusedUrl = (attack: string, url: string, says: string): HostileCell => ({
  attack,
  tried: `\`url: ${url}\``,
  outcome: 'refused with a file:line:column error before any call',
  yaml: urlFile(url),
  exitCode: 1,
  says,
  calls: 0,
});
const SLACK_PATH = 'T0AAAA11/B0BBBB22/xyzSecretPathValue';
/** The MijnKlantportaal emulator's default token, which every hostile cell's account uses. */
const DEFAULT_MKP_TOKEN = 'mkp-test-token';
const HOSTILE_PR = 12;

export const HOSTILE: readonly HostileCell[] = [
  {
    attack: "the runner's token through ${VAR}",
    tried: '`url: https://x.example.com/${ACTIONS_RUNTIME_TOKEN}`',
    outcome: 'refused before any call; the token is sent nowhere and shown nowhere',
    yaml: urlFile('https://x.example.com/${ACTIONS_RUNTIME_TOKEN}'),
    env: { ACTIONS_RUNTIME_TOKEN: 'eyJ0eXAiOiJKV1QiLCJhbGciOi.runtime-token' },
    exitCode: 1,
    says: 'belong to the runner and may hold its tokens',
    calls: 0,
    hidden: ['eyJ0eXAiOiJKV1QiLCJhbGciOi.runtime-token'],
  },
  {
    attack: 'the api-token through ${VAR}',
    tried: '`url: ${HOOK_URL}` whose value holds the api-token',
    outcome: 'refused before any call, naming the variable, not the value',
    yaml: urlFile('${HOOK_URL}'),
    env: { HOOK_URL: `https://x.example.com/?k=${DEFAULT_MKP_TOKEN}` },
    exitCode: 1,
    says: "the value of `${HOOK_URL}` contains the run's api-token",
    calls: 0,
  },
  {
    attack: 'a token in a ${VAR} URL path',
    tried: 'a Slack-style `url: https://hooks.slack.com/services/${SLACK_PATH}`, on a pull request',
    outcome:
      'created; log, summary and PR comment show `${SLACK_PATH}`, the value is masked; `plan` and `created` keep it',
    yaml: `webhooks:\n  - name: chat\n    url: https://hooks.slack.com/services/\${SLACK_PATH}\n    event: ticket-created\n`,
    env: { SLACK_PATH },
    inputs: { 'pr-comment': 'true' },
    exitCode: 0,
    says: 'https://hooks.slack.com/services/${SLACK_PATH}',
    calls: 2,
    hidden: [SLACK_PATH],
    check: (run, { github: gh }) => [
      ...(gh.comments.some((c) => c.body.includes('services/${SLACK_PATH}'))
        ? []
        : ['the PR comment does not show the ${VAR} form']),
      ...(run.outputs.created?.includes(SLACK_PATH) ? [] : ['`created` lost the resolved URL']),
    ],
  },
  {
    attack: 'a token with a line break',
    tried: '`api-token` of two lines, as an earlier step can emit',
    outcome: 'refused at input validation before any call',
    inputs: { 'api-token': 'mkp_live_AbC123\nXyZ789tail' },
    exitCode: 1,
    says: 'input `api-token` contains a control character',
    calls: 0,
    hidden: ['mkp_live_AbC123', 'XyZ789tail'],
  },
  {
    attack: 'a path in `repository`',
    tried: '`repository: ../x`',
    outcome: 'refused at input validation before any call',
    inputs: { repository: '../x', 'secrets-target': 'repository' },
    exitCode: 1,
    says: 'input `repository` must be owner/name',
    calls: 0,
  },
  refusedUrl(
    'a cloud metadata address',
    'https://169.254.169.254/latest/meta-data',
    'points to `169.254.169.254`, a link-local address',
  ),
  refusedUrl(
    'a loopback name',
    'https://localhost:8443/hook',
    'points to `localhost`, a loopback host',
  ),
  refusedUrl(
    'a private address',
    'https://10.0.0.7/hook',
    'points to `10.0.0.7`, a private address',
  ),
  refusedUrl(
    'an IPv6 unique local address',
    'https://[fd12::1]/hook',
    'a private (unique local) address',
  ),
  refusedUrl(
    'user-info that reads as a host',
    'https://good.example@evil.example/hook',
    'has user-info before `@` that reads like a host name',
  ),
  {
    attack: 'a key-only query parameter',
    tried: '`url: https://hooks.example.com/h?SECRETKEY0001`',
    outcome: 'shown as `?***` to people; `plan` keeps it',
    yaml: urlFile('https://hooks.example.com/h?SECRETKEY0001'),
    inputs: { 'dry-run': 'true' },
    exitCode: 0,
    says: 'subscription(s) declared',
    calls: 1,
    hidden: ['SECRETKEY0001'],
    check: (run) => (run.summary.includes('/h?***') ? [] : ['the summary does not show `?***`']),
  },
  {
    attack: 'an API message that echoes the token',
    tried: 'a 422 whose `message` quotes the bearer token',
    outcome: 'the message is shown with the token cut out',
    yaml: ONE_HOOK,
    arrange: ({ mkp: account }) =>
      account.inject({
        kind: 'error-before',
        on: 'create',
        status: 422,
        message: `Token ${DEFAULT_MKP_TOKEN} may not create webhooks`,
      }),
    exitCode: 1,
    says: 'the API answered 422: Token *** may not create webhooks',
    calls: 2,
  },
  {
    attack: 'a 700 MiB answer',
    tried: 'page 1 of the listing streamed 700 MiB',
    outcome: 'refused at 1 MiB, unread past it, not retried',
    yaml: ONE_HOOK,
    arrange: ({ mkp: account }) => account.inject({ kind: 'flood', on: 'list', times: 10 }),
    exitCode: 1,
    says: 'with a body over 1 MiB, refused unread',
    calls: 1,
    check: (_run, { mkp: account }) =>
      account.floodBytesSent < 64 * 1024 * 1024
        ? []
        : [`${account.floodBytesSent} bytes were sent before the action stopped reading`],
  },
  {
    attack: 'a 429 without rate headers',
    tried: '429 without retry-after or x-ratelimit-reset (MKP_RATE_LIMIT=60/1500)',
    outcome: 'waits the rate window once, then recovers',
    yaml: ONE_HOOK,
    env: { MKP_RATE_LIMIT: '60/1500' },
    arrange: ({ mkp: account }) =>
      account.inject({ kind: 'rate-limit', on: 'list', retryAfter: null }),
    exitCode: 0,
    says: 'rate limited (429); retrying in 1.5 s',
    calls: 3,
  },
  {
    attack: 'an api-url that does not resolve',
    tried: '`api-url: https://api.mijnklantpotaal.invalid/v1` (a typo)',
    outcome: 'fails at once, naming the host; no retry',
    yaml: ONE_HOOK,
    apiUrl: 'https://api.mijnklantpotaal.invalid/v1',
    exitCode: 1,
    says: 'cannot resolve api.mijnklantpotaal.invalid: check api-url',
    calls: 0,
    check: (run) => (run.stdout.includes('retrying') ? ['the unresolvable host was retried'] : []),
  },
  {
    attack: 'the published next_page_url quirk',
    tried: 'a strict Laravel server whose links end in `?page=2,` (read as page 1), 40 records',
    outcome: 'reads pages 1-3 with current_page + 1, one call each, then creates',
    yaml: ONE_HOOK,
    mkp: {
      nextPageTrailingComma: true,
      strictPageParsing: true,
      seed: Array.from({ length: 40 }, (_, i) => ({
        type: 'offer-created',
        url: `https://old.example.com/${i}`,
      })),
    },
    exitCode: 0,
    says: 'subscription(s) declared',
    calls: 4,
  },
  {
    attack: 'the marker in a hostile comment',
    tried: "someone's comment with the action's marker, before the action's own",
    outcome: "their comment is untouched; the action's own comment is updated",
    yaml: ONE_HOOK,
    inputs: { 'dry-run': 'true', 'pr-comment': 'true' },
    arrange: ({ github: gh }) => {
      const at = '2024-01-01T00:00:00Z';
      const comment = (id: number, login: string, body: string) =>
        gh.comments.push({
          id,
          repository: REPOSITORY,
          issue_number: HOSTILE_PR,
          body,
          user: { login },
          created_at: at,
          updated_at: at,
        });
      comment(11, 'mallory', `${commentMarker('webhooks.yaml')}\nedit me`);
      comment(12, 'github-actions[bot]', `${commentMarker('webhooks.yaml')}\nold plan`);
    },
    exitCode: 0,
    says: 'updated the plan comment on pull request',
    calls: 1,
    check: (_run, { github: gh }) => [
      ...(gh.comments.find((c) => c.id === 11)?.body.endsWith('edit me')
        ? []
        : ["mallory's comment was rewritten"]),
      ...(gh.comments.find((c) => c.id === 12)?.body.includes('old plan')
        ? ["the action's own comment was not updated"]
        : []),
      ...(gh.comments.length === 2 ? [] : [`${gh.comments.length} comments, not 2`]),
    ],
  },
];

export async function runHostile(cell: HostileCell): Promise<HostileResult> {
  const emulators: Emulators = {
    mkp: await MkpEmulator.start(cell.mkp),
    github: await GitHubEmulator.start(),
    foreign: await MkpEmulator.start(),
  };
  const { mkp: account, github: gh, foreign } = emulators;
  const cwd = await mkdtemp(join(tmpdir(), 'mkp-hostile-'));
  try {
    await writeFile(join(cwd, 'webhooks.yaml'), cell.yaml ?? ONE_HOOK);
    gh.addPullRequest(REPOSITORY, HOSTILE_PR);
    cell.arrange?.(emulators);
    const run = await runAction({
      cwd,
      inputs: {
        'api-token': account.token,
        'api-url': cell.apiUrl ?? account.baseUrl,
        'github-token': gh.token,
        repository: REPOSITORY,
        ...cell.inputs,
      },
      env: {
        ...FAST,
        MKP_HTTP_TIMEOUT_MS: String(DEFAULT_TIMEOUT_MS),
        GITHUB_API_URL: gh.url,
        ...cell.env,
      },
      event: { name: 'pull_request', payload: { pull_request: { number: HOSTILE_PR } } },
    });
    const calls = account.calls.length;
    const violations = [
      ...(run.exitCode === cell.exitCode
        ? []
        : [`exit ${run.exitCode}, not ${cell.exitCode}: ${errorLines(run)}`]),
      ...(run.stdout.includes(cell.says)
        ? []
        : [`the log does not say "${cell.says}": ${errorLines(run)}`]),
      ...(calls === cell.calls ? [] : [`${calls} MijnKlantportaal call(s), not ${cell.calls}`]),
      ...(foreign.calls.length > 0 ? ['the foreign origin was called'] : []),
      ...stackTraces(run),
      ...findLeaks({
        run,
        secrets: [
          ...account.records.map((r) => r.secret),
          account.token,
          gh.token,
          ...(cell.inputs?.['api-token'] ? [cell.inputs['api-token']] : []),
        ],
        variables: [...(cell.hidden ?? []), ...Object.values(cell.env ?? {})],
        posted: [
          ...gh.comments.map((c) => c.body),
          ...gh.issues.map((i) => `${i.title}\n${i.body}`),
        ],
        secretOutputs: Object.keys(run.outputs).filter((name) => /^[A-Z_][A-Z0-9_]*$/.test(name)),
      }),
      ...(cell.check?.(run, emulators) ?? []),
    ];
    return { cell, exitCode: run.exitCode, calls, violations };
  } finally {
    await Promise.all([account.close(), gh.close(), foreign.close()]);
    await rm(cwd, { recursive: true, force: true });
  }
}

function hostileSection(results: readonly HostileResult[]): string[] {
  if (results.length === 0) return [];
  const passed = results.filter((r) => r.violations.length === 0).length;
  return [
    '## Hostile input',
    '',
    'Attacks from a hostile file, input, server or commenter. Each runs the built action once, on',
    'a pull request, on its own emulators; it passes when the run comes to the outcome shown, makes',
    'exactly the MijnKlantportaal calls counted, and the leak check finds no token, secret or',
    '`${VAR}` value in the log (line by line, as the runner masks), the job summary, any PR comment',
    'or issue, or any output but the secret ones (`plan` and `created` keep resolved URLs).',
    '',
    `${results.length} attacks tried, ${passed} pass.`,
    '',
    '| attack | what was tried | outcome | exit · calls | result |',
    '| --- | --- | --- | --- | --- |',
    ...results.map(
      (r) =>
        `| ${r.cell.attack} | ${r.cell.tried.replace(/\|/g, '\\|')} | ${r.cell.outcome} | ${r.exitCode} · ${r.calls} | ${r.violations.length === 0 ? 'pass' : '**fail**'} |`,
    ),
    '',
  ];
}

// ------------------------------------------------------------------------------- RELIABILITY.md

export function renderReliability(
  cells: readonly Cell[],
  results: readonly CellResult[],
  hostile: readonly HostileResult[] = [],
): string {
  const byCell = new Map(results.map((r) => [r.cell as Cell, r]));
  const row = (cell: Cell): string => {
    const result = cell.kind === 'run' ? byCell.get(cell) : undefined;
    const columns =
      cell.kind !== 'run'
        ? ['—', `**${cell.kind}**: ${cell.why}`, '', '', cell.kind]
        : !result
          ? [cell.did, 'not run', '', '', 'not run']
          : [
              cell.did,
              faultyOutcome(result),
              calls(result.faulty),
              nextOutcome(result.next, cell),
              verdict(result),
            ];
    return `| ${[cell.fault, cell.phase, ...columns].join(' | ')} |`;
  };
  const table = (selected: readonly Cell[]) => [
    '| fault | phase | what the emulator did | faulty run | calls (GET · POST · PUT) | next run | result |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...selected.map(row),
  ];
  const passed = results.filter((r) => r.violations.length === 0).length;
  const count = (kind: Cell['kind']) => cells.filter((c) => c.kind === kind).length;
  return [
    '# Reliability: the fault matrix',
    '',
    '<!-- generated by test/faults.test.ts with WRITE_RELIABILITY=1 from test/harness/fault-matrix.ts; do not edit -->',
    '',
    'Every fault of the MijnKlantportaal and GitHub emulators, in every phase of a run where it has a',
    'meaning. Each cell runs the built action (`dist/index.js`, as the runner does) with',
    '`secrets-target: repository` on its own emulators, twice: the faulty run, then the next run with',
    'the fault gone. The account starts with 20 records on two pages: the two `crm` subscriptions of',
    'the file on page 1 (the secret of one already at the target, the other missing) and 18 unmanaged',
    'ones; the file declares two more to create. Retries start at 5 ms; the per-attempt timeout is',
    `${DEFAULT_TIMEOUT_MS / 1000} s (${SLOW_TIMEOUT_MS / 1000} s in the slow cells).`,
    '',
    'A cell passes when all of these hold:',
    '',
    '1. no two records on the account share a (type, url), after the faulty run and after the next;',
    '2. after the next run every declared subscription exists exactly once, and its secret, decrypted',
    '   from the GitHub emulator, is the record’s secret; a faulty run that exits 0 is already there;',
    '3. a faulty run that fails says in its log what failed; no run prints a stack trace;',
    '4. the faulty run exits 0 where retries can absorb the fault and 1 where they cannot; the next',
    '   run exits 0;',
    '5. no secret of any record, nor either token, is in the log (but on its own `::add-mask::`',
    '   line), the job summary or any output; `secrets` is `{}`;',
    '6. the faulty run plans from the true account (2 to create, every unmanaged record, no',
    '   duplicates), the cell met its fault, and the foreign origin got no call.',
    '',
    'Calls are those of the faulty run: MijnKlantportaal GETs of the listing (every page and attempt),',
    'POSTs, and GitHub secret PUTs (every attempt). A failed cell lists the properties it broke;',
    '`test/faults.test.ts` says how.',
    '',
    `${results.length} cells run, ${passed} pass; ${count('n/a')} n/a; ${count('not covered')} not covered.`,
    '',
    '## The faults of the issue',
    '',
    ...table(cells.filter((c) => !c.beyond && !(c.kind === 'run' && c.rightSecret))),
    '',
    '## Beyond the issue',
    '',
    'Faults that outlast the retries, so that every phase also shows a run that cannot finish, says',
    'why, and is repaired by the next one; and a page that links back to page 1 once.',
    '',
    ...table(cells.filter((c) => c.beyond)),
    '',
    '## The right secret',
    '',
    'The secret at the target is the webhook’s current one after the next run at the latest. A',
    'webhook re-created in the manage portal leaves a stale secret (written before its record was',
    'created), which counts as missing; a write that failed after the create is repaired by the next',
    'default run; a run cancelled mid-create (SIGTERM, as a cancelled workflow sends) writes its',
    'outputs and “Already done” and exits 1, with either target; and an API that stores another',
    'spelling of a URL gets no second record: both runs fail saying how to declare it (property 2',
    'then means one record per declaration in any spelling; property 4 wants exit 1 from both runs).',
    '',
    ...table(cells.filter((c) => c.kind === 'run' && c.rightSecret)),
    '',
    '## Not covered, and why',
    '',
    ...cells
      .filter((c): c is SkippedCell => c.kind === 'not covered')
      .map((c) => `- **${c.fault} × ${c.phase}**: ${c.why}.`),
    '',
    ...hostileSection(hostile),
  ].join('\n');
}

function faultyOutcome(result: CellResult): string {
  const { exitCode } = result.faulty;
  if (exitCode === 0) {
    const wrong = result.violations.some((v) => v.property <= 2);
    return wrong ? 'exit 0, but not as declared' : 'recovered (exit 0)';
  }
  const { expect: expectation } = result.cell;
  const says = expectation.outcome !== 'recovers' ? `: “${expectation.says}”` : '';
  return exitCode === 1 ? `failed cleanly (exit 1)${says}` : `exit ${exitCode}`;
}

function verdict({ violations }: CellResult): string {
  if (violations.length === 0) return 'pass';
  const broken = [...new Set(violations.map((v) => v.property))].sort();
  return `**fail** (${broken.join(', ')})`;
}

function calls({ calls: c }: RunRecord): string {
  return `${c.list} · ${c.create} · ${c.secretPuts}`;
}

function nextOutcome(next: RunRecord, cell: RunnableCell): string {
  if (cell.expect.outcome === 'refuses' && next.exitCode === 1) {
    return `refused again (exit 1), created ${next.created}`;
  }
  if (next.exitCode !== 0) return `exit ${next.exitCode}`;
  if (next.created === 0 && next.secretsWritten === 0) return 'nothing left to do';
  const parts = [
    ...(next.created > 0 ? [`created ${next.created}`] : []),
    ...(next.secretsWritten > 0
      ? [`wrote ${next.secretsWritten} secret${next.secretsWritten === 1 ? '' : 's'}`]
      : []),
  ];
  return `repaired: ${parts.join(', ')}`;
}
