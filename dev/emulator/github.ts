import { createHash, randomUUID } from 'node:crypto';
import {
  createServer,
  STATUS_CODES,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import sodium from 'libsodium-wrappers';

/**
 * The part of GitHub's REST API that the action talks to, on a loopback port: Actions secrets
 * (repository, environment, organization; each scope with its own real X25519 key pair, so a
 * value that was not sealed for that key is refused as GitHub refuses it), issues and issue
 * comments (a pull request is an issue with `pull_request` set), file contents at a commit
 * (`GET /repos/{owner}/{repo}/contents/{path}?ref=`), token auth, fine-grained
 * permissions, Link-header pagination and scripted faults.
 *
 * Paths are the plain REST paths at the root (`/repos/...`), as Octokit builds them from
 * `baseUrl` (GITHUB_API_URL). Tests, `npm run demo` and benchmarks use it, so it imports nothing
 * from jest and nothing from src/: it is the other side of the wire.
 */

export type SecretScope =
  | { kind: 'repository'; repository: string }
  | { kind: 'environment'; repository: string; environment: string }
  | { kind: 'organization'; organization: string };

export type Visibility = 'all' | 'private' | 'selected';

export interface StoredSecret {
  /** upper-cased, as GitHub stores it */
  name: string;
  /** base64 of the sealed box, exactly as it was PUT */
  encrypted_value: string;
  key_id: string;
  created_at: string;
  updated_at: string;
  /** organization secrets only */
  visibility?: Visibility;
  /** organization secrets with visibility 'selected' only */
  selected_repository_ids?: number[];
}

type Level = 'write' | 'read' | 'none';

export interface Permissions {
  secrets: Level;
  issues: Level;
  pullRequests: Level;
  environments: Level;
  orgSecrets: 'write' | 'none';
  contents: Level;
}

export interface GhCall {
  method: string;
  /** path including the query, as requested */
  path: string;
  status: number;
  /** Date.now() when the request had been read */
  at: number;
  /** the parsed JSON body (the raw text when it is not JSON), for requests that sent one */
  body?: unknown;
}

export interface GitHubEmulatorOptions {
  /** the accepted token; default 'gh-test-token' (sent as 'token X' or 'Bearer X') */
  token?: string;
  /** default: everything 'write' */
  permissions?: Partial<Permissions>;
  /** default [{ fullName: 'acme/shop', id: 1001, environments: ['production'] }] */
  repositories?: Array<{ fullName: string; id?: number; environments?: string[] }>;
  /** default ['acme'] */
  organizations?: string[];
  port?: number;
  /**
   * What kind of token `token` is, as GitHub tells them apart: the workflow's GITHUB_TOKEN (the
   * github-actions app's installation token), another GitHub App's installation token, or a
   * personal access token. Installation tokens get 403 from GET /user; all three can ask
   * GraphQL for `viewer`. Default 'github-actions'.
   */
  tokenKind?: TokenKind;
  /**
   * the login that issues and comments made through the API are attributed to; default by
   * tokenKind: 'github-actions[bot]', 'mkp-sync[bot]', 'octo-dev'
   */
  login?: string;
  /**
   * How far GitHub's clock is from this machine's (ms; negative: behind): it dates secrets'
   * `updated_at` and every answer's Date header, to model a clock difference between GitHub
   * and MijnKlantportaal. Default 0.
   */
  clockOffsetMs?: number;
}

export type TokenKind = 'github-actions' | 'app' | 'personal';

const DEFAULT_LOGIN: Record<TokenKind, string> = {
  'github-actions': 'github-actions[bot]',
  app: 'mkp-sync[bot]',
  personal: 'octo-dev',
};

/**
 * Answer `status` (with a GitHub-style JSON message) instead of handling the call (or after it,
 * with `after`), or drop the connection (`drop`), or answer late (`delayMs`), for the next
 * `times` (default 1, Infinity allowed) calls whose method matches (any when unset) and whose
 * path (with query) contains `pathIncludes`. Faults apply before authentication, in order of
 * injection. A 429, or a 403 whose message mentions a rate limit, carries
 * `x-ratelimit-remaining: 0`, `x-ratelimit-reset` one second ahead and `retry-after: 1`, as
 * GitHub's rate-limit answers do.
 */
export interface Fault {
  method?: string;
  pathIncludes: string;
  /** the status to answer; without it the call is handled as usual (after `delayMs`) */
  status?: number;
  message?: string;
  times?: number;
  /** wait this long before answering (a slow or hanging GitHub) */
  delayMs?: number;
  /** drop the connection instead of answering */
  drop?: boolean;
  /** handle the call first (a secret is stored), then answer `status` or drop instead */
  after?: boolean;
  /**
   * Garble the answer's body: `malformed-json` handles the call and sends the first half of its
   * JSON (an empty object becomes `{`; a bodiless 204 becomes a 201 with it), `text` handles
   * the call and answers text/plain `OK`, `html` does not handle the call and answers a
   * proxy's HTML error page with `status` (default 502).
   */
  body?: 'malformed-json' | 'text' | 'html';
}

const PROXY_ERROR_PAGE =
  '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>\n';

/** Throws the GitHub-style error answer of a fault with a status. */
function faultAnswer(fault: Fault, status: number): never {
  const message = fault.message ?? STATUS_CODES[status] ?? 'Error';
  const headers: OutgoingHttpHeaders = {};
  if (status === 429 || (status === 403 && /rate limit/i.test(message))) {
    headers['x-ratelimit-remaining'] = '0';
    headers['x-ratelimit-reset'] = String(Math.ceil(Date.now() / 1000) + 1);
    headers['retry-after'] = '1';
  }
  throw new ApiError(status, message, {}, headers);
}

/** The answer of a handler, or the GitHub-style error answer of what it threw. */
function replyTo(handle: () => Reply): Reply {
  try {
    return handle();
  } catch (error) {
    if (error instanceof ApiError) {
      return {
        status: error.status,
        body: {
          message: error.message,
          ...error.extra,
          documentation_url: error.extra.documentation_url ?? DOCS,
          status: String(error.status),
        },
        headers: error.headers,
      };
    }
    return {
      status: 500,
      body: {
        message: `emulator error: ${error instanceof Error ? error.message : String(error)}`,
        documentation_url: DOCS,
        status: '500',
      },
    };
  }
}

export interface Issue {
  number: number;
  /** 'owner/name' */
  repository: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  user: { login: string };
  created_at: string;
  updated_at: string;
  /** set for pull requests (see addPullRequest) */
  pull_request?: object;
  /** maintained by the emulator; optional for seeded issues */
  closed_at?: string | null;
  state_reason?: 'completed' | 'not_planned' | 'reopened' | null;
}

export interface IssueComment {
  id: number;
  /** 'owner/name' */
  repository: string;
  issue_number: number;
  body: string;
  user: { login: string };
  created_at: string;
  updated_at: string;
}

interface Repository {
  id: number;
  fullName: string;
  owner: string;
  name: string;
  environments: string[];
}

interface KeyPair {
  keyId: string;
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: OutgoingHttpHeaders;
}

/** A GitHub error answer, thrown by handlers. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: OutgoingHttpHeaders = {},
  ) {
    super(message);
  }
}

const DOCS = 'https://docs.github.com/rest';
const SECRETS_DOCS = `${DOCS}/actions/secrets`;
const ISSUES_DOCS = `${DOCS}/issues/issues`;
const COMMENTS_DOCS = `${DOCS}/issues/comments`;
const RATE_LIMIT = 5000;
const BODY_LIMIT = 65536;
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;
const VISIBILITIES: readonly Visibility[] = ['all', 'private', 'selected'];
const IMPROPERLY_ENCRYPTED =
  'Bad request - validation failed due to an improperly encrypted secret';

const ALL_WRITE: Permissions = {
  secrets: 'write',
  issues: 'write',
  pullRequests: 'write',
  environments: 'write',
  orgSecrets: 'write',
  contents: 'write',
};

/** GitHub's timestamps: ISO 8601 in UTC without milliseconds. */
function timestamp(offsetMs = 0): string {
  return new Date(Date.now() + offsetMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function grants(level: Level, access: 'read' | 'write'): boolean {
  return level === 'write' || (level === 'read' && access === 'read');
}

function lower(value: string): string {
  return value.toLowerCase();
}

/** A stable positive integer from a string (label ids, node ids, key ids). */
function stableNumber(text: string, digits = 15): string {
  const hex = createHash('sha256').update(text).digest('hex').slice(0, 15);
  return (BigInt(`0x${hex}`) % 10n ** BigInt(digits)).toString().padStart(digits, '1');
}

function invalid(detail: string, doc: string): ApiError {
  return new ApiError(422, `Invalid request.\n\n${detail}`, { documentation_url: doc });
}

function validationFailed(
  resource: string,
  errors: Array<Record<string, unknown>>,
  doc: string,
): ApiError {
  return new ApiError(422, 'Validation Failed', {
    errors: errors.map((e) => ({ resource, ...e })),
    documentation_url: doc,
  });
}

function notFound(doc = DOCS): ApiError {
  return new ApiError(404, 'Not Found', { documentation_url: doc });
}

function parsePositiveInt(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 ? n : undefined;
}

export class GitHubEmulator {
  readonly url: string;
  readonly token: string;
  readonly calls: GhCall[] = [];
  /** Issues and pull requests (issues with `pull_request`) of every repository; seedable. */
  issues: Issue[] = [];
  /** Comments on issues and pull requests of every repository; seedable. */
  comments: IssueComment[] = [];

  private permissions: Permissions;
  private readonly login: string;
  private readonly tokenKind: TokenKind;
  private readonly repos = new Map<string, Repository>();
  private readonly orgs = new Map<string, string>();
  /** 'owner/name' (lower-cased) -> commit sha -> path -> file content */
  private readonly commits = new Map<string, Map<string, Map<string, string>>>();
  private readonly stores = new Map<string, Map<string, StoredSecret>>();
  /** scope key -> current key pair */
  private readonly currentKeys = new Map<string, KeyPair>();
  /** scope key -> every key pair it has had, by key id (seeded secrets stay decryptable) */
  private readonly allKeys = new Map<string, Map<string, KeyPair>>();
  private faults: Array<Fault & { left: number }> = [];
  private readonly clockOffsetMs: number;
  private readonly resetAt = Math.floor(Date.now() / 1000) + 3600;

  private constructor(
    private readonly server: Server,
    port: number,
    options: GitHubEmulatorOptions,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.token = options.token ?? 'gh-test-token';
    this.tokenKind = options.tokenKind ?? 'github-actions';
    this.login = options.login ?? DEFAULT_LOGIN[this.tokenKind];
    this.clockOffsetMs = options.clockOffsetMs ?? 0;
    this.permissions = { ...ALL_WRITE, ...options.permissions };
    const repositories = options.repositories ?? [
      { fullName: 'acme/shop', id: 1001, environments: ['production'] },
    ];
    const usedIds = new Set<number>();
    repositories.forEach((r, index) => {
      const match = /^([^/\s]+)\/([^/\s]+)$/.exec(r.fullName);
      if (!match) throw new Error(`repository ${r.fullName} is not 'owner/name'`);
      let id = r.id ?? 1001 + index;
      while (r.id === undefined && usedIds.has(id)) id++;
      if (usedIds.has(id)) throw new Error(`repository id ${id} is used twice`);
      usedIds.add(id);
      this.repos.set(lower(r.fullName), {
        id,
        fullName: r.fullName,
        owner: match[1]!,
        name: match[2]!,
        environments: [...(r.environments ?? [])],
      });
    });
    for (const org of options.organizations ?? ['acme']) this.orgs.set(lower(org), org);
  }

  static async start(options: GitHubEmulatorOptions = {}): Promise<GitHubEmulator> {
    await sodium.ready;
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    let emulator: GitHubEmulator;
    try {
      emulator = new GitHubEmulator(server, port, options);
    } catch (error) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      throw error;
    }
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      void emulator.handle(req, res);
    });
    return emulator;
  }

  /** Stops listening and destroys every open (keep-alive) connection. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---------------------------------------------------------------- state, for tests and demo

  /** The stored secrets of a scope, sorted by name (copies). Throws for an unknown scope. */
  secrets(scope: SecretScope): StoredSecret[] {
    const store = this.store(this.scopeKey(scope));
    return [...store.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((s) => ({
        ...s,
        ...(s.selected_repository_ids
          ? { selected_repository_ids: [...s.selected_repository_ids] }
          : {}),
      }));
  }

  /** Opens a stored secret with the scope's private key; undefined when there is no such secret. */
  decrypt(scope: SecretScope, name: string): string | undefined {
    const key = this.scopeKey(scope);
    const secret = this.store(key).get(name.toUpperCase());
    if (!secret) return undefined;
    const pair = this.allKeys.get(key)?.get(secret.key_id);
    if (!pair) throw new Error(`no key ${secret.key_id} for ${key}`);
    const opened = sodium.crypto_box_seal_open(
      sodium.from_base64(secret.encrypted_value, sodium.base64_variants.ORIGINAL),
      pair.publicKey,
      pair.privateKey,
    );
    return sodium.to_string(opened);
  }

  /** Seeds a secret, sealed with the scope's real current key. */
  putSecret(
    scope: SecretScope,
    name: string,
    value: string,
    extra: {
      visibility?: Visibility;
      selected_repository_ids?: number[];
      /** when it was written, to seed an old secret; default now (GitHub's clock) */
      updated_at?: string;
    } = {},
  ): void {
    if (!SECRET_NAME.test(name) || /^github_/i.test(name)) {
      throw new Error(`${name} is not a valid secret name`);
    }
    const key = this.scopeKey(scope);
    const pair = this.keyPair(key);
    const sealed = sodium.to_base64(
      sodium.crypto_box_seal(value, pair.publicKey),
      sodium.base64_variants.ORIGINAL,
    );
    const store = this.store(key);
    const upper = name.toUpperCase();
    const previous = store.get(upper);
    const now = timestamp(this.clockOffsetMs);
    const secret: StoredSecret = {
      name: upper,
      encrypted_value: sealed,
      key_id: pair.keyId,
      created_at: previous?.created_at ?? extra.updated_at ?? now,
      updated_at: extra.updated_at ?? now,
    };
    if (scope.kind === 'organization') {
      secret.visibility = extra.visibility ?? previous?.visibility ?? 'private';
      if (secret.visibility === 'selected') {
        secret.selected_repository_ids = [
          ...(extra.selected_repository_ids ?? previous?.selected_repository_ids ?? []),
        ];
      }
    }
    store.set(upper, secret);
  }

  /**
   * Gives a scope a new key pair (GitHub rotates keys now and then): a PUT with the old key_id
   * is then refused with 422. Secrets stored before stay decryptable. Returns the new key id.
   */
  rotateKey(scope: SecretScope): string {
    const key = this.scopeKey(scope);
    const generation = this.allKeys.get(key)?.size ?? 0;
    return this.newKeyPair(key, generation).keyId;
  }

  setPermissions(p: Partial<Permissions>): void {
    this.permissions = { ...this.permissions, ...p };
  }

  inject(...faults: Fault[]): void {
    for (const fault of faults) this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  /** Recorded calls with this method (case-insensitive) whose path with query contains `pathIncludes`. */
  count(method: string, pathIncludes: string): number {
    const m = method.toUpperCase();
    return this.calls.filter((c) => c.method === m && c.path.includes(pathIncludes)).length;
  }

  /**
   * Records a commit of `repository` holding these files (path -> content); the contents API
   * answers from it for `?ref=<sha>`. A path not listed is a 404 at that commit.
   */
  addCommit(repository: string, sha: string, files: Record<string, string>): void {
    if (!this.repos.has(lower(repository))) throw new Error(`no repository ${repository}`);
    const commits = this.commits.get(lower(repository)) ?? new Map<string, Map<string, string>>();
    commits.set(sha, new Map(Object.entries(files)));
    this.commits.set(lower(repository), commits);
  }

  /** Adds pull request `number` (an issue with `pull_request`) so that comments on it work. */
  addPullRequest(repository: string, number: number): void {
    const repo = this.repos.get(lower(repository));
    if (!repo) throw new Error(`unknown repository ${repository}`);
    if (this.findIssue(repo, number)) {
      throw new Error(`${repo.fullName}#${number} exists already`);
    }
    const now = timestamp(this.clockOffsetMs);
    const base = `${this.url}/repos/${repo.fullName}/pulls/${number}`;
    const html = `https://github.com/${repo.fullName}/pull/${number}`;
    this.issues.push({
      number,
      repository: repo.fullName,
      title: `Pull request #${number}`,
      body: '',
      state: 'open',
      labels: [],
      user: { login: 'octocat' },
      created_at: now,
      updated_at: now,
      closed_at: null,
      state_reason: null,
      pull_request: {
        url: base,
        html_url: html,
        diff_url: `${html}.diff`,
        patch_url: `${html}.patch`,
        merged_at: null,
      },
    });
  }

  // ---------------------------------------------------------------- scopes and keys

  private repo(fullName: string): Repository | undefined {
    return this.repos.get(lower(fullName));
  }

  private scopeKey(scope: SecretScope): string {
    switch (scope.kind) {
      case 'repository': {
        const repo = this.repo(scope.repository);
        if (!repo) throw new Error(`unknown repository ${scope.repository}`);
        return `repository:${lower(repo.fullName)}`;
      }
      case 'environment': {
        const repo = this.repo(scope.repository);
        if (!repo) throw new Error(`unknown repository ${scope.repository}`);
        const env = this.environment(repo, scope.environment);
        if (env === undefined) {
          throw new Error(`unknown environment ${scope.environment} in ${repo.fullName}`);
        }
        return `environment:${lower(repo.fullName)}:${lower(env)}`;
      }
      case 'organization': {
        const org = this.orgs.get(lower(scope.organization));
        if (!org) throw new Error(`unknown organization ${scope.organization}`);
        return `organization:${lower(org)}`;
      }
    }
  }

  /** Environment names are case-insensitive on GitHub; returns the configured spelling. */
  private environment(repo: Repository, name: string): string | undefined {
    return repo.environments.find((e) => lower(e) === lower(name));
  }

  private store(scopeKey: string): Map<string, StoredSecret> {
    let store = this.stores.get(scopeKey);
    if (!store) {
      store = new Map();
      this.stores.set(scopeKey, store);
    }
    return store;
  }

  private keyPair(scopeKey: string): KeyPair {
    return this.currentKeys.get(scopeKey) ?? this.newKeyPair(scopeKey, 0);
  }

  private newKeyPair(scopeKey: string, generation: number): KeyPair {
    const { publicKey, privateKey } = sodium.crypto_box_keypair();
    // Stable per scope (and key generation), shaped like GitHub's numeric key ids.
    const pair: KeyPair = {
      keyId: stableNumber(`${scopeKey}#${generation}`, 18),
      publicKey,
      privateKey,
    };
    this.currentKeys.set(scopeKey, pair);
    let all = this.allKeys.get(scopeKey);
    if (!all) {
      all = new Map();
      this.allKeys.set(scopeKey, all);
    }
    all.set(pair.keyId, pair);
    return pair;
  }

  // ---------------------------------------------------------------- HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = req.url ?? '/';
    let raw = '';
    try {
      for await (const chunk of req) raw += (chunk as Buffer).toString('utf8');
    } catch {
      return;
    }
    const call: GhCall = { method, path, status: 0, at: Date.now() };
    let parsed: unknown;
    let parseError = false;
    if (raw.length > 0) {
      try {
        parsed = JSON.parse(raw);
      } catch {
        parsed = raw;
        parseError = true;
      }
      call.body = parsed;
    }
    this.calls.push(call);

    const fault = this.takeFault(method, path);
    if (fault?.delayMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, fault.delayMs);
        res.once('close', () => (clearTimeout(timer), resolve()));
      });
      if (res.destroyed) return; // the client gave up waiting
    }
    const drop = () => {
      call.status = 0;
      req.socket.destroy();
    };
    const status = fault?.status;
    const answerFault = () => replyTo(() => faultAnswer(fault!, status!));
    if (fault?.drop && !fault.after) return drop();
    if (fault?.body === 'html') {
      call.status = status ?? 502;
      res.writeHead(call.status, { 'content-type': 'text/html' });
      res.end(PROXY_ERROR_PAGE);
      return;
    }
    let reply =
      status !== undefined && !fault?.after
        ? answerFault()
        : replyTo(() => this.dispatch(method, path, req.headers.authorization, parsed, parseError));
    if (fault?.after && fault.drop) return drop();
    if (fault?.after && status !== undefined) reply = answerFault();
    if (fault?.body === 'malformed-json' && reply.status === 204) reply = { status: 201, body: {} };
    call.status = reply.status;
    this.send(res, reply, fault?.body);
  }

  private send(res: ServerResponse, reply: Reply, garble?: 'malformed-json' | 'text'): void {
    const used = Math.min(this.calls.length, RATE_LIMIT);
    const headers: OutgoingHttpHeaders = {
      'x-ratelimit-limit': String(RATE_LIMIT),
      'x-ratelimit-remaining': String(RATE_LIMIT - used),
      'x-ratelimit-reset': String(this.resetAt),
      'x-ratelimit-used': String(used),
      'x-ratelimit-resource': 'core',
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': randomUUID().toUpperCase(),
      // GitHub's clock, which also dates updated_at (see clockOffsetMs).
      date: new Date(Date.now() + this.clockOffsetMs).toUTCString(),
      ...reply.headers,
    };
    if (garble === 'text') {
      res.writeHead(reply.status, { ...headers, 'content-type': 'text/plain' });
      res.end('OK');
      return;
    }
    if (reply.status === 204 || reply.body === undefined) {
      res.writeHead(reply.status, headers);
      res.end();
      return;
    }
    const whole = JSON.stringify(reply.body);
    const text = garble === 'malformed-json' ? whole.slice(0, Math.ceil(whole.length / 2)) : whole;
    res.writeHead(reply.status, {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const index = this.faults.findIndex(
      (f) =>
        f.left > 0 &&
        (f.method === undefined || f.method.toUpperCase() === method) &&
        path.includes(f.pathIncludes),
    );
    if (index < 0) return undefined;
    const fault = this.faults[index]!;
    fault.left--;
    if (fault.left <= 0) this.faults.splice(index, 1);
    return fault;
  }

  private dispatch(
    method: string,
    path: string,
    authorization: string | undefined,
    body: unknown,
    parseError: boolean,
  ): Reply {
    const presented = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (presented !== this.token) throw new ApiError(401, 'Bad credentials');

    const url = new URL(path, this.url);
    let segments: string[];
    try {
      segments = url.pathname
        .split('/')
        .filter((s) => s !== '')
        .map(decodeURIComponent);
    } catch {
      throw notFound();
    }
    if (parseError) {
      throw new ApiError(400, 'Problems parsing JSON');
    }
    const [root, a, b, c, d, e] = segments;
    const n = segments.length;

    if (root === 'user' && n === 1 && method === 'GET') return this.authenticatedUser();
    if (root === 'graphql' && n === 1 && method === 'POST') return this.graphql(body);

    if (root === 'orgs' && a !== undefined && b === 'actions' && c === 'secrets') {
      return this.secretsRoute(
        method,
        url,
        { kind: 'organization', org: a },
        segments.slice(4),
        body,
      );
    }
    if (root === 'repos' && a !== undefined && b !== undefined) {
      const fullName = `${a}/${b}`;
      if (n === 3 && method === 'GET') return this.getRepository(fullName);
      if (c === 'actions' && d === 'secrets') {
        return this.secretsRoute(
          method,
          url,
          { kind: 'repository', fullName },
          segments.slice(5),
          body,
        );
      }
      if (c === 'environments' && d !== undefined && e === 'secrets') {
        return this.secretsRoute(
          method,
          url,
          { kind: 'environment', fullName, environment: d },
          segments.slice(6),
          body,
        );
      }
      if (c === 'contents' && method === 'GET') {
        return this.contentsRoute(url, fullName, segments.slice(4).join('/'));
      }
      if (c === 'issues') {
        if (n === 4) return this.issuesRoute(method, url, fullName, body);
        if (d === 'comments' && e !== undefined && n === 6) {
          return this.commentRoute(method, fullName, e, body);
        }
        if (d !== undefined && n === 5) return this.issueRoute(method, fullName, d, body);
        if (d !== undefined && e === 'comments' && n === 6) {
          return this.issueCommentsRoute(method, url, fullName, d, body);
        }
      }
    }
    // Older Octokit releases address environment secrets by repository id.
    if (root === 'repositories' && a !== undefined && b === 'environments' && c !== undefined) {
      if (d === 'secrets') {
        const repo = [...this.repos.values()].find((r) => String(r.id) === a);
        if (!repo) throw notFound();
        return this.secretsRoute(
          method,
          url,
          { kind: 'environment', fullName: repo.fullName, environment: c },
          segments.slice(5),
          body,
        );
      }
    }
    throw notFound();
  }

  // ---------------------------------------------------------------- permissions

  private require(
    access: 'read' | 'write',
    alternatives: Array<keyof Permissions>,
    doc: string,
  ): void {
    if (alternatives.some((p) => grants(this.permissions[p], access))) return;
    const names: Record<keyof Permissions, string> = {
      secrets: 'secrets',
      issues: 'issues',
      pullRequests: 'pull_requests',
      environments: 'environments',
      orgSecrets: 'organization_secrets',
      contents: 'contents',
    };
    throw new ApiError(
      403,
      'Resource not accessible by integration',
      { documentation_url: doc },
      {
        'x-accepted-github-permissions': alternatives
          .map((p) => `${names[p]}=${access}`)
          .join('; '),
      },
    );
  }

  // ---------------------------------------------------------------- repository

  private getRepository(fullName: string): Reply {
    const repo = this.repo(fullName);
    if (!repo) throw notFound(`${DOCS}/repos/repos#get-a-repository`);
    return { status: 200, body: this.repositoryJson(repo) };
  }

  private repositoryJson(repo: Repository): Record<string, unknown> {
    return {
      id: repo.id,
      node_id: `R_${stableNumber(`repo:${repo.id}`, 10)}`,
      name: repo.name,
      full_name: repo.fullName,
      private: true,
      owner: {
        login: repo.owner,
        id: Number(stableNumber(`user:${lower(repo.owner)}`, 8)),
        type: this.orgs.has(lower(repo.owner)) ? 'Organization' : 'User',
      },
      html_url: `https://github.com/${repo.fullName}`,
      description: null,
      fork: false,
      url: `${this.url}/repos/${repo.fullName}`,
    };
  }

  // ---------------------------------------------------------------- contents

  /**
   * GET a file's contents at a commit, as GitHub answers it: base64 content in lines of 60
   * characters (empty with encoding 'none' past 1 MB), the blob sha, a directory as a list of
   * entries; 404 'No commit found for the ref' for an unknown ref, 404 for a missing path, 403
   * without the contents permission.
   */
  private contentsRoute(url: URL, fullName: string, path: string): Reply {
    const doc = `${DOCS}/repos/contents#get-repository-content`;
    const repo = this.repo(fullName);
    if (!repo) throw notFound(doc);
    this.require('read', ['contents'], doc);
    const commits = this.commits.get(lower(repo.fullName));
    const ref = url.searchParams.get('ref');
    if (ref === null) throw notFound(doc); // the emulator keeps no default branch
    const files = commits?.get(ref);
    if (!files)
      throw new ApiError(404, `No commit found for the ref ${ref}`, { documentation_url: doc });
    const clean = path.replace(/^\/+|\/+$/g, '');
    const base = `${this.url}/repos/${repo.fullName}/contents`;
    const content = files.get(clean);
    if (content === undefined) {
      const prefix = `${clean}/`;
      const inside = [...files.keys()].filter((p) => clean === '' || p.startsWith(prefix));
      if (inside.length === 0) throw notFound(doc);
      const names = new Set(
        inside.map((p) => p.slice(clean === '' ? 0 : prefix.length).split('/')[0]!),
      );
      return {
        status: 200,
        body: [...names].sort().map((name) => {
          const entry = clean === '' ? name : `${clean}/${name}`;
          return {
            type: files.has(entry) ? 'file' : 'dir',
            name,
            path: entry,
            url: `${base}/${entry}?ref=${ref}`,
          };
        }),
      };
    }
    const bytes = Buffer.from(content, 'utf8');
    const sha = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
    const large = bytes.length > 1024 * 1024;
    const encoded = large
      ? ''
      : (bytes.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n';
    return {
      status: 200,
      body: {
        type: 'file',
        encoding: large ? 'none' : 'base64',
        size: bytes.length,
        name: clean.split('/').pop(),
        path: clean,
        content: encoded,
        sha,
        url: `${base}/${clean}?ref=${ref}`,
        html_url: `https://github.com/${repo.fullName}/blob/${ref}/${clean}`,
        download_url: null,
      },
    };
  }

  // ---------------------------------------------------------------- secrets

  private secretsRoute(
    method: string,
    url: URL,
    target:
      | { kind: 'organization'; org: string }
      | { kind: 'repository'; fullName: string }
      | { kind: 'environment'; fullName: string; environment: string },
    rest: string[],
    body: unknown,
  ): Reply {
    // Which operation, for the docs link; unknown shapes are 404 like any unknown route.
    let operation: 'public-key' | 'list' | 'get' | 'put' | 'delete' | 'repositories';
    if (rest.length === 0 && method === 'GET') operation = 'list';
    else if (rest.length === 1 && rest[0] === 'public-key' && method === 'GET') {
      operation = 'public-key';
    } else if (rest.length === 1 && method === 'GET') operation = 'get';
    else if (rest.length === 1 && method === 'PUT') operation = 'put';
    else if (rest.length === 1 && method === 'DELETE') operation = 'delete';
    else if (
      target.kind === 'organization' &&
      rest.length === 2 &&
      rest[1] === 'repositories' &&
      method === 'GET'
    ) {
      operation = 'repositories';
    } else {
      throw notFound();
    }
    const doc = secretsDoc(target.kind, operation);
    const access = operation === 'put' || operation === 'delete' ? 'write' : 'read';

    // Resolve the scope: an unknown repository, environment or organization is 404.
    let scope: SecretScope;
    if (target.kind === 'organization') {
      const org = this.orgs.get(lower(target.org));
      if (!org) throw notFound(doc);
      scope = { kind: 'organization', organization: org };
      // Organization secrets need the organization permission "Secrets" (write, even to read:
      // the emulator's orgSecrets level is 'write' | 'none').
      this.require('write', ['orgSecrets'], doc);
    } else {
      const repo = this.repo(target.fullName);
      if (!repo) throw notFound(doc);
      if (target.kind === 'repository') {
        scope = { kind: 'repository', repository: repo.fullName };
        this.require(access, ['secrets'], doc);
      } else {
        // Environment secrets: the repository permission "Secrets" AND "Environments" at the
        // same level (GitHub's docs list the Environments permission for environment secrets;
        // the stricter reading is emulated), and the environment must exist (else 404).
        this.require(access, ['secrets'], doc);
        this.require(access, ['environments'], doc);
        const env = this.environment(repo, target.environment);
        if (env === undefined) throw notFound(doc);
        scope = { kind: 'environment', repository: repo.fullName, environment: env };
      }
    }
    const key = this.scopeKey(scope);
    const store = this.store(key);

    switch (operation) {
      case 'public-key': {
        const pair = this.keyPair(key);
        return {
          status: 200,
          body: {
            key_id: pair.keyId,
            key: sodium.to_base64(pair.publicKey, sodium.base64_variants.ORIGINAL),
          },
        };
      }
      case 'list': {
        const all = [...store.values()].sort((x, y) => x.name.localeCompare(y.name));
        const page = this.paginate(all, url);
        return {
          status: 200,
          body: {
            total_count: all.length,
            secrets: page.items.map((s) => this.secretJson(scope, s)),
          },
          headers: page.headers,
        };
      }
      case 'get': {
        const secret = store.get(rest[0]!.toUpperCase());
        if (!secret) throw notFound(doc);
        return { status: 200, body: this.secretJson(scope, secret) };
      }
      case 'delete': {
        if (!store.delete(rest[0]!.toUpperCase())) throw notFound(doc);
        return { status: 204 };
      }
      case 'repositories': {
        const secret = store.get(rest[0]!.toUpperCase());
        if (!secret) throw notFound(doc);
        if (secret.visibility !== 'selected') {
          // GitHub answers 409 to selected-repository calls on a secret that is not 'selected'.
          throw new ApiError(409, "The secret's visibility is not set to 'selected'", {
            documentation_url: doc,
          });
        }
        const repos = (secret.selected_repository_ids ?? [])
          .map((id) => [...this.repos.values()].find((r) => r.id === id))
          .filter((r): r is Repository => r !== undefined);
        const page = this.paginate(repos, url);
        return {
          status: 200,
          body: {
            total_count: repos.length,
            repositories: page.items.map((r) => this.repositoryJson(r)),
          },
          headers: page.headers,
        };
      }
      case 'put':
        return this.putSecretCall(scope, key, rest[0]!, body, doc);
    }
  }

  private putSecretCall(
    scope: SecretScope,
    key: string,
    name: string,
    body: unknown,
    doc: string,
  ): Reply {
    if (!SECRET_NAME.test(name)) {
      throw invalid(
        'Secret names can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_). Spaces are not allowed. Must start with a letter ([a-z], [A-Z]) or underscores (_).',
        doc,
      );
    }
    if (/^github_/i.test(name)) throw invalid('Secret names must not start with GITHUB_.', doc);
    const input = isRecord(body) ? body : {};
    const encrypted = input.encrypted_value;
    const keyId = input.key_id;
    if (encrypted === undefined) throw invalid('"encrypted_value" wasn\'t supplied.', doc);
    if (typeof encrypted !== 'string') {
      throw invalid(
        `For 'properties/encrypted_value', ${JSON.stringify(encrypted)} is not a string.`,
        doc,
      );
    }
    if (!BASE64.test(encrypted)) {
      throw invalid(`${encrypted} does not match ${BASE64.toString()}.`, doc);
    }
    if (keyId === undefined) throw invalid('"key_id" wasn\'t supplied.', doc);
    if (typeof keyId !== 'string') {
      throw invalid(`For 'properties/key_id', ${JSON.stringify(keyId)} is not a string.`, doc);
    }

    let visibility: Visibility | undefined;
    let selected: number[] | undefined;
    if (scope.kind === 'organization') {
      const v = input.visibility;
      if (v === undefined) throw invalid('"visibility" wasn\'t supplied.', doc);
      if (typeof v !== 'string' || !VISIBILITIES.includes(v as Visibility)) {
        throw invalid(
          `${JSON.stringify(v)} is not a member of ${JSON.stringify(VISIBILITIES)}.`,
          doc,
        );
      }
      visibility = v as Visibility;
      const ids = input.selected_repository_ids;
      if (ids !== undefined && ids !== null) {
        if (!Array.isArray(ids) || !ids.every((id) => Number.isInteger(id))) {
          throw invalid(
            `For 'properties/selected_repository_ids', ${JSON.stringify(ids)} is not an array of integers.`,
            doc,
          );
        }
        const org = lower(scope.organization);
        const unknown = (ids as number[]).filter(
          (id) => ![...this.repos.values()].some((r) => r.id === id && lower(r.owner) === org),
        );
        if (unknown.length > 0) {
          // Not verified against GitHub: ids outside the organization are refused.
          throw invalid(
            `Repository ids ${unknown.join(', ')} are not in ${scope.organization}.`,
            doc,
          );
        }
        selected = [...new Set(ids as number[])];
      }
    }

    // The value must be a sealed box for the scope's current key.
    const pair = this.keyPair(key);
    if (keyId !== pair.keyId)
      throw new ApiError(422, IMPROPERLY_ENCRYPTED, { documentation_url: doc });
    try {
      sodium.crypto_box_seal_open(
        sodium.from_base64(encrypted, sodium.base64_variants.ORIGINAL),
        pair.publicKey,
        pair.privateKey,
      );
    } catch {
      throw new ApiError(422, IMPROPERLY_ENCRYPTED, { documentation_url: doc });
    }

    const store = this.store(key);
    const upper = name.toUpperCase();
    const previous = store.get(upper);
    const now = timestamp(this.clockOffsetMs);
    const secret: StoredSecret = {
      name: upper,
      encrypted_value: encrypted,
      key_id: keyId,
      created_at: previous?.created_at ?? now,
      updated_at: now,
    };
    if (visibility !== undefined) {
      secret.visibility = visibility;
      if (visibility === 'selected') {
        // Without selected_repository_ids a new secret has no repositories; an update keeps the
        // selection it had (not verified against GitHub).
        secret.selected_repository_ids = selected ?? [...(previous?.selected_repository_ids ?? [])];
      }
    }
    store.set(upper, secret);
    // Created: 201 with an empty object; updated: 204 without a body.
    return previous ? { status: 204 } : { status: 201, body: {} };
  }

  private secretJson(scope: SecretScope, s: StoredSecret): Record<string, unknown> {
    const json: Record<string, unknown> = {
      name: s.name,
      created_at: s.created_at,
      updated_at: s.updated_at,
    };
    if (scope.kind === 'organization') {
      json.visibility = s.visibility ?? 'private';
      if (s.visibility === 'selected') {
        json.selected_repositories_url = `${this.url}/orgs/${scope.organization}/actions/secrets/${s.name}/repositories`;
      }
    }
    return json;
  }

  // ---------------------------------------------------------------- pagination

  /** One page as GitHub cuts it (per_page default 30, max 100; page from 1), with its Link header. */
  private paginate<T>(all: T[], url: URL): { items: T[]; headers: OutgoingHttpHeaders } {
    const perPage = Math.min(parsePositiveInt(url.searchParams.get('per_page')) ?? 30, 100);
    const page = parsePositiveInt(url.searchParams.get('page')) ?? 1;
    const items = all.slice((page - 1) * perPage, page * perPage);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (p: number, rel: string): string => {
      const params = new URLSearchParams(url.searchParams);
      params.set('page', String(p));
      return `<${this.url}${url.pathname}?${params.toString()}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'));
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'));
    return { items, headers: links.length > 0 ? { link: links.join(', ') } : {} };
  }

  // ---------------------------------------------------------------- issues

  private findIssue(repo: Repository, number: number): Issue | undefined {
    return this.issues.find(
      (i) => lower(i.repository) === lower(repo.fullName) && i.number === number,
    );
  }

  /** Issues need `issues`; a pull request (an issue with `pull_request`) either permission. */
  private requireIssueAccess(access: 'read' | 'write', isPullRequest: boolean, doc: string): void {
    this.require(access, isPullRequest ? ['issues', 'pullRequests'] : ['issues'], doc);
  }

  private issuesRoute(method: string, url: URL, fullName: string, body: unknown): Reply {
    const repo = this.repo(fullName);
    if (method === 'GET') {
      const doc = `${ISSUES_DOCS}#list-repository-issues`;
      if (!repo) throw notFound(doc);
      this.requireIssueAccess('read', false, doc);
      return this.listIssues(repo, url);
    }
    if (method === 'POST') {
      const doc = `${ISSUES_DOCS}#create-an-issue`;
      if (!repo) throw notFound(doc);
      this.requireIssueAccess('write', false, doc);
      return this.createIssue(repo, body, doc);
    }
    throw notFound();
  }

  private listIssues(repo: Repository, url: URL): Reply {
    const q = url.searchParams;
    const state = q.get('state') ?? 'open';
    const wanted = (q.get('labels') ?? '')
      .split(',')
      .map((l) => lower(l.trim()))
      .filter((l) => l !== '');
    const creator = q.get('creator');
    const sort = q.get('sort') === 'updated' ? 'updated_at' : 'created_at';
    const direction = q.get('direction') === 'asc' ? 1 : -1;
    const matching = this.issues
      .filter((i) => lower(i.repository) === lower(repo.fullName))
      .filter((i) => state === 'all' || i.state === state)
      .filter((i) => wanted.every((w) => i.labels.some((l) => lower(l) === w)))
      .filter((i) => creator === null || lower(i.user.login) === lower(creator))
      .sort((x, y) => direction * (x[sort].localeCompare(y[sort]) || x.number - y.number));
    const page = this.paginate(matching, url);
    return {
      status: 200,
      body: page.items.map((i) => this.issueJson(repo, i)),
      headers: page.headers,
    };
  }

  private createIssue(repo: Repository, body: unknown, doc: string): Reply {
    const input = isRecord(body) ? body : {};
    const title = input.title;
    if (
      title === undefined ||
      title === null ||
      (typeof title === 'string' && title.trim() === '')
    ) {
      throw validationFailed('Issue', [{ code: 'missing_field', field: 'title' }], doc);
    }
    if (typeof title !== 'string' && typeof title !== 'number') {
      throw validationFailed('Issue', [{ code: 'invalid', field: 'title' }], doc);
    }
    const text = this.bodyText(input.body, 'Issue', doc);
    const labels = input.labels === undefined ? [] : this.labelNames(input.labels, doc);
    const number =
      1 +
      Math.max(
        0,
        ...this.issues
          .filter((i) => lower(i.repository) === lower(repo.fullName))
          .map((i) => i.number),
      );
    const now = timestamp(this.clockOffsetMs);
    const issue: Issue = {
      number,
      repository: repo.fullName,
      title: String(title),
      body: text ?? '',
      state: 'open',
      labels,
      user: { login: this.login },
      created_at: now,
      updated_at: now,
      closed_at: null,
      state_reason: null,
    };
    this.issues.push(issue);
    return {
      status: 201,
      body: this.issueJson(repo, issue),
      headers: { location: `${this.url}/repos/${repo.fullName}/issues/${number}` },
    };
  }

  private issueRoute(method: string, fullName: string, numberText: string, body: unknown): Reply {
    const doc =
      method === 'PATCH' ? `${ISSUES_DOCS}#update-an-issue` : `${ISSUES_DOCS}#get-an-issue`;
    if (method !== 'GET' && method !== 'PATCH') throw notFound();
    const repo = this.repo(fullName);
    if (!repo) throw notFound(doc);
    const number = parsePositiveInt(numberText);
    const issue = number === undefined ? undefined : this.findIssue(repo, number);
    this.requireIssueAccess(
      method === 'GET' ? 'read' : 'write',
      issue?.pull_request !== undefined,
      doc,
    );
    if (!issue) throw notFound(doc);
    if (method === 'GET') return { status: 200, body: this.issueJson(repo, issue) };

    const input = isRecord(body) ? body : {};
    const errors: Array<Record<string, unknown>> = [];
    if (input.title !== undefined) {
      if (
        (typeof input.title !== 'string' && typeof input.title !== 'number') ||
        String(input.title).trim() === ''
      ) {
        errors.push({ code: 'missing_field', field: 'title' });
      }
    }
    if (input.state !== undefined && input.state !== 'open' && input.state !== 'closed') {
      errors.push({ code: 'invalid', field: 'state', value: input.state });
    }
    const reasons = ['completed', 'not_planned', 'reopened', null];
    if (
      input.state_reason !== undefined &&
      !reasons.includes(input.state_reason as string | null)
    ) {
      errors.push({ code: 'invalid', field: 'state_reason', value: input.state_reason });
    }
    if (errors.length > 0) throw validationFailed('Issue', errors, doc);
    const text = this.bodyText(input.body, 'Issue', doc);
    const labels = input.labels === undefined ? undefined : this.labelNames(input.labels, doc);

    if (input.title !== undefined) issue.title = String(input.title);
    if (input.body !== undefined) issue.body = text ?? '';
    if (labels !== undefined) issue.labels = labels;
    if (input.state !== undefined && input.state !== issue.state) {
      issue.state = input.state as 'open' | 'closed';
      if (issue.state === 'closed') {
        issue.closed_at = timestamp(this.clockOffsetMs);
        issue.state_reason = (input.state_reason as Issue['state_reason']) ?? 'completed';
      } else {
        issue.closed_at = null;
        issue.state_reason = 'reopened';
      }
    } else if (input.state_reason !== undefined) {
      issue.state_reason = input.state_reason as Issue['state_reason'];
    }
    issue.updated_at = timestamp(this.clockOffsetMs);
    return { status: 200, body: this.issueJson(repo, issue) };
  }

  /** An issue or comment body: string or null; longer than GitHub's 65536 characters is 422. */
  private bodyText(value: unknown, resource: string, doc: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      throw validationFailed(resource, [{ code: 'invalid', field: 'body' }], doc);
    }
    if (value.length > BODY_LIMIT) {
      throw validationFailed(
        resource,
        [
          {
            code: 'custom',
            field: 'body',
            message: `body is too long (maximum is ${BODY_LIMIT} characters)`,
          },
        ],
        doc,
      );
    }
    return value;
  }

  /** Labels as GitHub takes them: names, or objects with a name; unknown labels are created. */
  private labelNames(value: unknown, doc: string): string[] {
    if (!Array.isArray(value)) {
      throw validationFailed('Label', [{ code: 'invalid', field: 'labels' }], doc);
    }
    const names: string[] = [];
    for (const label of value) {
      const name = typeof label === 'string' ? label : isRecord(label) ? label.name : undefined;
      if (typeof name !== 'string' || name.trim() === '') {
        throw validationFailed('Label', [{ code: 'invalid', field: 'name' }], doc);
      }
      if (!names.some((n) => lower(n) === lower(name))) names.push(name);
    }
    return names;
  }

  private userJson(login: string): Record<string, unknown> {
    const bot = login.endsWith('[bot]');
    return {
      login,
      id: Number(stableNumber(`user:${lower(login)}`, 8)),
      node_id: `U_${stableNumber(`user-node:${lower(login)}`, 10)}`,
      type: bot ? 'Bot' : 'User',
      site_admin: false,
      html_url: bot
        ? `https://github.com/apps/${login.slice(0, -5)}`
        : `https://github.com/${login}`,
    };
  }

  private issueJson(repo: Repository, issue: Issue): Record<string, unknown> {
    const repoUrl = `${this.url}/repos/${repo.fullName}`;
    const apiUrl = `${repoUrl}/issues/${issue.number}`;
    const isPr = issue.pull_request !== undefined;
    return {
      url: apiUrl,
      repository_url: repoUrl,
      labels_url: `${apiUrl}/labels{/name}`,
      comments_url: `${apiUrl}/comments`,
      events_url: `${apiUrl}/events`,
      html_url: `https://github.com/${repo.fullName}/${isPr ? 'pull' : 'issues'}/${issue.number}`,
      id: repo.id * 100000 + issue.number,
      node_id: `${isPr ? 'PR' : 'I'}_${stableNumber(`issue:${repo.id}:${issue.number}`, 10)}`,
      number: issue.number,
      title: issue.title,
      user: this.userJson(issue.user.login),
      labels: issue.labels.map((name) => ({
        id: Number(stableNumber(`label:${repo.id}:${lower(name)}`, 10)),
        node_id: `LA_${stableNumber(`label-node:${repo.id}:${lower(name)}`, 10)}`,
        url: `${repoUrl}/labels/${encodeURIComponent(name)}`,
        name,
        color: 'ededed',
        default: false,
        description: null,
      })),
      state: issue.state,
      locked: false,
      assignee: null,
      assignees: [],
      milestone: null,
      comments: this.comments.filter(
        (c) => lower(c.repository) === lower(repo.fullName) && c.issue_number === issue.number,
      ).length,
      created_at: issue.created_at,
      updated_at: issue.updated_at,
      closed_at: issue.closed_at ?? (issue.state === 'closed' ? issue.updated_at : null),
      author_association: 'NONE',
      active_lock_reason: null,
      body: issue.body === '' ? null : issue.body,
      state_reason: issue.state_reason ?? (issue.state === 'closed' ? 'completed' : null),
      ...(isPr ? { pull_request: issue.pull_request } : {}),
    };
  }

  // ---------------------------------------------------------------- identity

  /** GET /user: a user's own record; installation tokens are not a user and get 403. */
  private authenticatedUser(): Reply {
    if (this.tokenKind !== 'personal') {
      throw new ApiError(403, 'Resource not accessible by integration', {
        documentation_url: `${DOCS}/users/users#get-the-authenticated-user`,
      });
    }
    return { status: 200, body: this.userJson(this.login) };
  }

  /**
   * POST /graphql, for the one query the action asks: `viewer { login databaseId }`, which every
   * kind of token may ask (an installation token's viewer is its app's bot). databaseId is the
   * REST `user.id` of what the token writes. Anything else is answered as an unknown field.
   */
  private graphql(body: unknown): Reply {
    const query = isRecord(body) && typeof body.query === 'string' ? body.query : '';
    if (!/^\s*(query\s*)?\{\s*viewer\s*\{[\s\w]*\}\s*\}\s*$/.test(query)) {
      return {
        status: 200,
        body: { errors: [{ message: 'the emulator answers only `query { viewer { … } }`' }] },
      };
    }
    const user = this.userJson(this.login);
    const viewer: Record<string, unknown> = {};
    for (const field of query.replace(/^[^{]*\{\s*viewer\s*\{/, '').split(/[\s}]+/)) {
      if (field === 'login') viewer.login = this.login;
      else if (field === 'databaseId') viewer.databaseId = user.id;
      else if (field !== '') {
        return {
          status: 200,
          body: { errors: [{ message: `Field '${field}' doesn't exist on type 'User'` }] },
        };
      }
    }
    return { status: 200, body: { data: { viewer } } };
  }

  // ---------------------------------------------------------------- comments

  private issueCommentsRoute(
    method: string,
    url: URL,
    fullName: string,
    numberText: string,
    body: unknown,
  ): Reply {
    if (method !== 'GET' && method !== 'POST') throw notFound();
    const doc =
      method === 'GET'
        ? `${COMMENTS_DOCS}#list-issue-comments`
        : `${COMMENTS_DOCS}#create-an-issue-comment`;
    const repo = this.repo(fullName);
    if (!repo) throw notFound(doc);
    const number = parsePositiveInt(numberText);
    const issue = number === undefined ? undefined : this.findIssue(repo, number);
    this.requireIssueAccess(
      method === 'GET' ? 'read' : 'write',
      issue?.pull_request !== undefined,
      doc,
    );
    if (!issue) throw notFound(doc);

    if (method === 'GET') {
      const since = url.searchParams.get('since');
      const list = this.comments
        .filter(
          (c) => lower(c.repository) === lower(repo.fullName) && c.issue_number === issue.number,
        )
        .filter((c) => since === null || c.updated_at >= since)
        .sort((x, y) => x.created_at.localeCompare(y.created_at) || x.id - y.id);
      const page = this.paginate(list, url);
      return {
        status: 200,
        body: page.items.map((c) => this.commentJson(repo, c)),
        headers: page.headers,
      };
    }

    const input = isRecord(body) ? body : {};
    const text = this.bodyText(input.body, 'IssueComment', doc);
    if (text === undefined || text.trim() === '') {
      throw validationFailed('IssueComment', [{ code: 'missing_field', field: 'body' }], doc);
    }
    const now = timestamp(this.clockOffsetMs);
    const comment: IssueComment = {
      id: 1 + Math.max(1_000_000, ...this.comments.map((c) => c.id)),
      repository: repo.fullName,
      issue_number: issue.number,
      body: text,
      user: { login: this.login },
      created_at: now,
      updated_at: now,
    };
    this.comments.push(comment);
    issue.updated_at = now;
    return {
      status: 201,
      body: this.commentJson(repo, comment),
      headers: { location: `${this.url}/repos/${repo.fullName}/issues/comments/${comment.id}` },
    };
  }

  private commentRoute(method: string, fullName: string, idText: string, body: unknown): Reply {
    if (method !== 'GET' && method !== 'PATCH') throw notFound();
    const doc =
      method === 'GET'
        ? `${COMMENTS_DOCS}#get-an-issue-comment`
        : `${COMMENTS_DOCS}#update-an-issue-comment`;
    const repo = this.repo(fullName);
    if (!repo) throw notFound(doc);
    const id = parsePositiveInt(idText);
    const comment = this.comments.find(
      (c) => c.id === id && lower(c.repository) === lower(repo.fullName),
    );
    const onPr = comment
      ? this.findIssue(repo, comment.issue_number)?.pull_request !== undefined
      : false;
    this.requireIssueAccess(method === 'GET' ? 'read' : 'write', onPr, doc);
    if (!comment) throw notFound(doc);
    if (method === 'GET') return { status: 200, body: this.commentJson(repo, comment) };

    const input = isRecord(body) ? body : {};
    const text = this.bodyText(input.body, 'IssueComment', doc);
    if (text === undefined || text.trim() === '') {
      throw validationFailed('IssueComment', [{ code: 'missing_field', field: 'body' }], doc);
    }
    comment.body = text;
    comment.updated_at = timestamp(this.clockOffsetMs);
    return { status: 200, body: this.commentJson(repo, comment) };
  }

  private commentJson(repo: Repository, c: IssueComment): Record<string, unknown> {
    const repoUrl = `${this.url}/repos/${repo.fullName}`;
    const isPr = this.findIssue(repo, c.issue_number)?.pull_request !== undefined;
    return {
      url: `${repoUrl}/issues/comments/${c.id}`,
      html_url: `https://github.com/${repo.fullName}/${isPr ? 'pull' : 'issues'}/${c.issue_number}#issuecomment-${c.id}`,
      issue_url: `${repoUrl}/issues/${c.issue_number}`,
      id: c.id,
      node_id: `IC_${stableNumber(`comment:${c.id}`, 10)}`,
      user: this.userJson(c.user.login),
      created_at: c.created_at,
      updated_at: c.updated_at,
      author_association: 'NONE',
      // What an app's installation token writes says so; people's comments carry null.
      performed_via_github_app: c.user.login.endsWith('[bot]')
        ? { slug: c.user.login.slice(0, -'[bot]'.length) }
        : null,
      body: c.body,
    };
  }
}

function secretsDoc(
  kind: 'repository' | 'environment' | 'organization',
  operation: 'public-key' | 'list' | 'get' | 'put' | 'delete' | 'repositories',
): string {
  const subject = {
    repository: 'repository',
    environment: 'environment',
    organization: 'organization',
  }[kind];
  const article = kind === 'repository' ? 'a' : 'an';
  switch (operation) {
    case 'public-key':
      return `${SECRETS_DOCS}#get-${article}-${subject}-public-key`;
    case 'list':
      return `${SECRETS_DOCS}#list-${subject}-secrets`;
    case 'get':
      return `${SECRETS_DOCS}#get-${article}-${subject}-secret`;
    case 'put':
      return `${SECRETS_DOCS}#create-or-update-${article}-${subject}-secret`;
    case 'delete':
      return `${SECRETS_DOCS}#delete-${article}-${subject}-secret`;
    case 'repositories':
      return `${SECRETS_DOCS}#list-selected-repositories-for-an-organization-secret`;
  }
}
