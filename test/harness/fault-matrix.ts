import type {
  GitHubEmulator,
  Fault as GitHubFault,
  SecretScope,
} from '../../dev/emulator/github.js';
import type {
  MkpEmulator,
  Fault as MkpFault,
  MkpEmulatorOptions,
  WebhookRecord,
} from '../../src/emulator/mkp.js';
import type { ActionRun } from '../../dev/harness/action-runner.js';
import { commentMarker } from '../../src/report/pr-comment.js';

/*
 * The fault matrix (RELIABILITY.md), as data: every fault × phase of a run, the scenario each
 * cell starts from, what it must come to, and the hostile-input attacks. fault-runner.ts runs the
 * cells through the built action and checks the properties of CONTRACT §4; reliability.ts
 * renders RELIABILITY.md from the results. Imports nothing from jest.
 */

export type Phase = 'list' | 'create' | 'secret write';
export const PHASES: readonly Phase[] = ['list', 'create', 'secret write'];

/** What the faulty run must come to: recover within its retries, or fail naming the cause. */
export type Expectation =
  | { outcome: 'recovers' }
  | { outcome: 'fails'; says: string }
  /** Both runs fail saying `says`, and neither creates a second record for a declaration. */
  | { outcome: 'refuses'; says: string };

export interface Emulators {
  mkp: MkpEmulator;
  github: GitHubEmulator;
  /** Another MijnKlantportaal origin, to prove that the token never goes there. */
  foreign: MkpEmulator;
  /**
   * Another GitHub origin, which decrypts what it is sent like the first: it must get no call,
   * so that no token and no secret, sealed or not, goes there.
   */
  foreignGithub: GitHubEmulator;
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
  /** A cell of the GitHub-answers section (issue 26). */
  githubSide?: boolean;
  /** What else the faulty run must show, as problems (empty when it holds). */
  check?: (faulty: ActionRun, emulators: Emulators) => string[];
  /**
   * What a person does between the runs, as the faulty run told them (a state that no retry
   * and no next run can change on its own); `did` says it for RELIABILITY.md.
   */
  remedy?: { did: string; apply: (emulators: Emulators) => void };
}

export interface SkippedCell {
  kind: 'n/a' | 'not covered';
  fault: string;
  phase: Phase;
  why: string;
  beyond?: boolean;
}

export type Cell = RunnableCell | SkippedCell;

// ------------------------------------------------------------------------------- scenarios

export interface Declared {
  event: string;
  url: string;
  secretName: string;
}

/** The account before the faulty run; its plan with WEBHOOKS_YAML follows from the seed. */
export interface Scenario {
  seed: () => Array<{ type: string; url: string }>;
  rateLimit?: { limit: number; windowMs: number };
}

export const WEBHOOKS_YAML = `webhooks:
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
export const DECLARED: readonly Declared[] = [
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
export const EXISTING = DECLARED.slice(0, 2);
export const TO_CREATE = DECLARED.length - EXISTING.length;
/** At the target before run 1; the other existing one is missing there (resync-secrets: missing). */
export const ALREADY_AT_TARGET = DECLARED[0]!;

export const REPOSITORY = 'acme/shop';
export const SCOPE: SecretScope = { kind: 'repository', repository: REPOSITORY };
const UNMANAGED_TYPES = ['offer-created', 'invoice-created', 'appointment-created'];

const unmanaged = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    type: UNMANAGED_TYPES[i % UNMANAGED_TYPES.length]!,
    url: `https://old.example.com/${i}`,
  }));

/** Two pages of 15: the declared webhooks on page 1 among 13 unmanaged ones, 5 more on page 2. */
export const BASE: Scenario = {
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
export const SECRETS_PUT = '/actions/secrets/';
export const SLOW_TIMEOUT_MS = 1_000;
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
    expect: fails('the next run with resync-secrets: missing (the default) writes it'),
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

const SECONDARY_LIMIT =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
const ABUSE_LIMIT =
  'You have triggered an abuse detection mechanism. Please wait a few minutes before you try again.';
const NOT_FOLLOWED = 'not followed: the github-token and the secrets go to';
const logSays = (text: string) => (faulty: ActionRun) =>
  faulty.stdout.includes(text) ? [] : [`the faulty run's log does not say "${text}"`];
const noCreate = (faulty: ActionRun) =>
  faulty.outputs.created === undefined || faulty.outputs.created === '[]'
    ? []
    : ['a webhook was created although the target could not be used'];
/** Unused secrets at the target of the cap cell, beside the one of ALREADY_AT_TARGET. */
const UNUSED = Array.from(
  { length: 98 },
  (_, i) => `OLD_INTEGRATION_${String(i).padStart(2, '0')}`,
);

/**
 * Issue 26: GitHub's answers handled as carefully as MijnKlantportaal's. Every cell has a
 * second GitHub emulator on another origin, which decrypts what it gets and must get nothing.
 */
const GITHUB_CELLS: RunnableCell[] = githubSide([
  {
    kind: 'run',
    fault: 'a cross-origin redirect of the public key',
    phase: 'list',
    did: 'answered the public-key GET with 302 to a second GitHub emulator, which serves its own key and decrypts',
    inject: ({ github: gh, foreignGithub }) =>
      gh.inject({
        method: 'GET',
        pathIncludes: '/public-key',
        redirect: { to: foreignGithub.url },
      }),
    expect: fails(NOT_FOLLOWED),
    check: noCreate,
  },
  {
    kind: 'run',
    fault: 'a cross-origin redirect of the secret writes',
    phase: 'secret write',
    did: 'answered every secret PUT with 307 to a second GitHub emulator, which decrypts',
    inject: ({ github: gh, foreignGithub }) =>
      gh.inject({
        method: 'PUT',
        pathIncludes: SECRETS_PUT,
        redirect: { to: foreignGithub.url, status: 307 },
        times: 100,
      }),
    expect: fails(NOT_FOLLOWED),
  },
  {
    kind: 'run',
    fault: 'a secondary rate limit, retry-after in seconds',
    phase: 'secret write',
    did: 'answered the first secret PUT with 403 "You have exceeded a secondary rate limit", retry-after 1',
    inject: ({ github: gh }) =>
      gh.inject({
        method: 'PUT',
        pathIncludes: SECRETS_PUT,
        status: 403,
        message: SECONDARY_LIMIT,
      }),
    expect: RECOVERS,
    check: logSays('GitHub asks to wait 1 s'),
  },
  {
    kind: 'run',
    fault: 'a secondary rate limit in the older wording, retry-after as an HTTP date',
    phase: 'secret write',
    did: 'answered the first secret PUT with 403 "You have triggered an abuse detection mechanism", retry-after an HTTP date 4 s after the run began',
    inject: ({ github: gh }) =>
      gh.inject({
        method: 'PUT',
        pathIncludes: SECRETS_PUT,
        status: 403,
        message: ABUSE_LIMIT,
        retryAfter: new Date(Date.now() + 4_000).toUTCString(),
      }),
    expect: RECOVERS,
    check: logSays('(secondary rate limit); GitHub calls pause until then'),
  },
  {
    kind: 'run',
    fault: 'a primary rate limit an hour away',
    phase: 'secret write',
    did: 'answered every secret PUT with 403 "API rate limit exceeded", x-ratelimit-remaining 0, x-ratelimit-reset an hour ahead',
    inject: ({ github: gh }) =>
      gh.inject({
        method: 'PUT',
        pathIncludes: SECRETS_PUT,
        status: 403,
        message: 'API rate limit exceeded for installation ID 4242.',
        rateLimitReset: Math.floor(Date.now() / 1000) + 3600,
        times: 100,
      }),
    expect: fails('longer than the 5 min a run waits for GitHub; not retried'),
    check: (faulty) => [
      ...(faulty.stdout.includes('lacks the permission')
        ? ['a rate limit was called a missing permission']
        : []),
    ],
  },
  {
    kind: 'run',
    fault: 'a key rotated between the read and the writes',
    phase: 'secret write',
    did: 'gave the repository a new key pair right after answering the public-key GET; PUTs sealed for the old key are refused with 422',
    inject: ({ github: gh }) =>
      gh.inject({ method: 'GET', pathIncludes: '/public-key', rotateKeyOf: SCOPE }),
    expect: RECOVERS,
  },
  {
    kind: 'run',
    fault: 'a malformed public key',
    phase: 'list',
    did: 'answered the public-key GET with a key of 16 bytes',
    inject: ({ github: gh }) =>
      gh.inject({
        method: 'GET',
        pathIncludes: '/public-key',
        json: { key_id: '568250167242549743', key: Buffer.alloc(16, 1).toString('base64') },
      }),
    expect: fails("GitHub's answer is not a public key as GitHub documents it"),
    check: noCreate,
  },
  {
    kind: 'run',
    fault: 'an oversized answer',
    phase: 'list',
    did: 'streamed 400 MiB as the answer to the public-key GET',
    inject: ({ github: gh }) =>
      gh.inject({ method: 'GET', pathIncludes: '/public-key', body: 'flood' }),
    expect: fails('with a body over 1 MiB, refused unread'),
    check: (faulty, { github: gh }) => [
      ...noCreate(faulty),
      ...(gh.floodBytesSent < 64 * 1024 * 1024
        ? []
        : [`${gh.floodBytesSent} bytes were sent before the action stopped reading`]),
    ],
  },
  {
    kind: 'run',
    fault: "GitHub's cap of 100 secrets",
    phase: 'secret write',
    did: `held ${UNUSED.length + 1} repository secrets, so that the second new one is past GitHub's cap of 100`,
    inject: ({ github: gh }) => {
      for (const name of UNUSED) gh.putSecret(SCOPE, name, 'an old value');
    },
    met: (faulty) => faulty.stdout.includes('Maximum number of secrets reached'),
    expect: fails(
      'are full (GitHub allows 100 secrets): remove secrets that are no longer used there',
    ),
    check: logSays('Secrets that no run can write yet'),
    remedy: {
      did: 'removed 10 unused secrets, as the run said',
      apply: ({ github: gh }) => {
        for (const name of UNUSED.slice(0, 10)) gh.removeSecret(SCOPE, name);
      },
    },
  },
]);

function githubSide(cells: RunnableCell[]): RunnableCell[] {
  return cells.map((cell) => ({ ...cell, githubSide: true }));
}

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
  ...GITHUB_CELLS,
];

/** The per-attempt MijnKlantportaal timeout of every run but the slow cells' faulty one. */
export const DEFAULT_TIMEOUT_MS = 5_000;

export function recordOf(
  records: readonly WebhookRecord[],
  d: Declared,
): WebhookRecord | undefined {
  return records.find((r) => r.type === d.event && r.url === d.url);
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

export const ONE_HOOK = `webhooks:
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
export const HOSTILE_PR = 12;

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
  {
    attack: 'a dot segment in `environment`',
    tried: "`environment: ..`, which URL parsing would resolve to the repository's own secrets",
    outcome: 'refused at input validation before any call',
    inputs: { environment: '..', 'secrets-target': 'environment' },
    exitCode: 1,
    says: "input `environment` must be an environment's name",
    calls: 0,
    check: (_run, { github: gh }) =>
      gh.calls.length === 0 ? [] : [`GitHub got ${gh.calls.length} call(s)`],
  },
  {
    attack: 'a name that is no login in `organization`',
    tried: '`organization: Acme Corp`',
    outcome: 'refused at input validation before any call',
    inputs: { organization: 'Acme Corp', 'secrets-target': 'organization' },
    exitCode: 1,
    says: "input `organization` must be an organization's login",
    calls: 0,
    check: (_run, { github: gh }) =>
      gh.calls.length === 0 ? [] : [`GitHub got ${gh.calls.length} call(s)`],
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
    says: '1 subscription declared',
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
    attack: 'a listing without end',
    tried:
      'a server that ignores `page`: every answer is page 1 again, without current_page, its next_page_url one page further, without end',
    outcome: 'the listing fails at page 2, which adds no record; nothing is created',
    yaml: ONE_HOOK,
    mkp: { seed: [{ type: 'offer-created', url: 'https://old.example.com/1' }] },
    arrange: ({ mkp: account }) =>
      account.inject({ kind: 'endless-next', on: 'list', times: 10_000 }),
    exitCode: 1,
    says: 'the page holds only records already read, yet next_page_url points further',
    calls: 2,
    check: (_run, { mkp: account }) => [
      ...(account.count('create') === 0 ? [] : [`${account.count('create')} create call(s)`]),
      ...(account.records.length === 1 ? [] : [`${account.records.length} records, not 1`]),
    ],
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
    says: '1 subscription declared',
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
      comment(11, 'mallory', `${commentMarker('webhooks.yaml').text()}\nedit me`);
      comment(12, 'github-actions[bot]', `${commentMarker('webhooks.yaml').text()}\nold plan`);
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
