import { randomUUID } from 'node:crypto';
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
import { Commits } from './github/contents.js';
import {
  ApiError,
  DOCS,
  GitHubState,
  notFound,
  type GhCall,
  type GitHubEmulatorOptions,
  type Permissions,
  type Reply,
} from './github/core.js';
import { IssueTracker, type Issue, type IssueComment } from './github/issues.js';
import { authenticatedUser, getRepository, graphql } from './github/repository.js';
import {
  SecretStores,
  type SecretScope,
  type SeedOptions,
  type StoredSecret,
} from './github/secrets.js';

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
 *
 * This file is the server: routing, auth, scripted faults and the calls record. Each resource
 * answers its own routes from ./github/ (secrets, issues and comments, contents, repository and
 * identity); ./github/core.ts holds what they share (accounts, permissions, pagination).
 */

export type { GhCall, GitHubEmulatorOptions, Permissions, TokenKind } from './github/core.js';
export type { Issue, IssueComment } from './github/issues.js';
export type { SecretScope, SeedOptions, StoredSecret, Visibility } from './github/secrets.js';

/**
 * Answer `status` (with a GitHub-style JSON message) instead of handling the call (or after it,
 * with `after`), or drop the connection (`drop`), or answer late (`delayMs`), for the next
 * `times` (default 1, Infinity allowed) calls whose method matches (any when unset) and whose
 * path (with query) contains `pathIncludes`. Faults apply before authentication, in order of
 * injection. Rate limits are answered as GitHub does: a 429, or a 403 whose message mentions a
 * rate limit, is a primary limit (`x-ratelimit-remaining: 0`, `x-ratelimit-reset` one second
 * ahead, `retry-after: 1`); a 403 in either wording of a secondary limit ("You have exceeded a
 * secondary rate limit", or "You have triggered an abuse detection mechanism", which older
 * GitHub Enterprise Server versions send) carries `retry-after: 1` and leaves the budget alone.
 */
export interface Fault {
  method?: string;
  pathIncludes: string;
  /** let this many matching calls through before the fault applies (default 0) */
  skip?: number;
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
   * proxy's HTML error page with `status` (default 502), `flood` does not handle the call and
   * streams `floodBytes` of JSON-ish spaces with 200 until the client hangs up.
   */
  body?: 'malformed-json' | 'text' | 'html' | 'flood';
  /** flood: bytes to send (default 400 MiB) */
  floodBytes?: number;
  /** flood: declare them in content-length (default false: streamed, chunked) */
  declareLength?: boolean;
  /** rate limits: retry-after in seconds, or a text (an HTTP date), or null for none */
  retryAfter?: number | string | null;
  /** a primary limit: x-ratelimit-reset (epoch seconds); then no retry-after unless given */
  rateLimitReset?: number;
  /**
   * Answer `status` (default 302) with a Location on `to` (another origin, or this one) and the
   * call's own path and query, without handling it: a proxy or a moved resource.
   */
  redirect?: { to: string; status?: 301 | 302 | 303 | 307 | 308 };
  /** answer `status` (default 200) with this JSON instead of handling the call */
  json?: unknown;
  /** after answering, give this scope a new key pair (GitHub rotating keys between calls) */
  rotateKeyOf?: SecretScope;
}

const PROXY_ERROR_PAGE =
  '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>\n';

const SECONDARY_LIMIT = /secondary rate limit|abuse detection mechanism/i;

/** Throws the GitHub-style error answer of a fault with a status. */
function faultAnswer(fault: Fault, status: number): never {
  const message = fault.message ?? STATUS_CODES[status] ?? 'Error';
  const headers: OutgoingHttpHeaders = {};
  const extra: Record<string, unknown> = {};
  const secondary = (status === 403 || status === 429) && SECONDARY_LIMIT.test(message);
  const primary = !secondary && (status === 429 || (status === 403 && /rate limit/i.test(message)));
  if (primary) {
    headers['x-ratelimit-remaining'] = '0';
    headers['x-ratelimit-reset'] = String(fault.rateLimitReset ?? Math.ceil(Date.now() / 1000) + 1);
  }
  if (secondary) {
    extra.documentation_url = /abuse/i.test(message)
      ? 'https://developer.github.com/v3/#abuse-rate-limits'
      : 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits';
  }
  if (primary || secondary) {
    const retryAfter =
      fault.retryAfter !== undefined ? fault.retryAfter : fault.rateLimitReset ? null : 1;
    if (retryAfter !== null) headers['retry-after'] = String(retryAfter);
  }
  throw new ApiError(status, message, extra, headers);
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

const RATE_LIMIT = 5000;

export class GitHubEmulator {
  readonly url: string;
  readonly token: string;
  readonly calls: GhCall[] = [];

  private readonly state: GitHubState;
  private readonly secretStores: SecretStores;
  private readonly tracker: IssueTracker;
  private readonly contents: Commits;
  private faults: Array<Fault & { left: number; skipLeft: number }> = [];
  private readonly watchers = new Set<(call: GhCall, moment: 'received' | 'answered') => void>();
  private readonly resetAt = Math.floor(Date.now() / 1000) + 3600;
  /** Calls read and not yet answered (or dropped). */
  private readonly open = new Set<GhCall>();
  /** Bytes of `flood` bodies written so far (what a client that stops reading was spared). */
  floodBytesSent = 0;

  private constructor(
    private readonly server: Server,
    port: number,
    options: GitHubEmulatorOptions,
  ) {
    this.state = new GitHubState(`http://127.0.0.1:${port}`, options);
    this.url = this.state.url;
    this.token = this.state.token;
    this.secretStores = new SecretStores(this.state);
    this.tracker = new IssueTracker(this.state);
    this.contents = new Commits(this.state);
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

  /** Issues and pull requests (issues with `pull_request`) of every repository; seedable. */
  get issues(): Issue[] {
    return this.tracker.issues;
  }
  set issues(issues: Issue[]) {
    this.tracker.issues = issues;
  }

  /** Comments on issues and pull requests of every repository; seedable. */
  get comments(): IssueComment[] {
    return this.tracker.comments;
  }
  set comments(comments: IssueComment[]) {
    this.tracker.comments = comments;
  }

  /** The stored secrets of a scope, sorted by name (copies). Throws for an unknown scope. */
  secrets(scope: SecretScope): StoredSecret[] {
    return this.secretStores.list(scope);
  }

  /** Opens a stored secret with the scope's private key; undefined when there is no such secret. */
  decrypt(scope: SecretScope, name: string): string | undefined {
    return this.secretStores.decrypt(scope, name);
  }

  /** Seeds a secret, sealed with the scope's real current key. */
  putSecret(scope: SecretScope, name: string, value: string, extra: SeedOptions = {}): void {
    this.secretStores.put(scope, name, value, extra);
  }

  /** Removes a stored secret, as someone tidying the scope by hand; false when there was none. */
  removeSecret(scope: SecretScope, name: string): boolean {
    return this.secretStores.remove(scope, name);
  }

  /**
   * Gives a scope a new key pair (GitHub rotates keys now and then): a PUT with the old key_id
   * is then refused with 422. Secrets stored before stay decryptable. Returns the new key id.
   */
  rotateKey(scope: SecretScope): string {
    return this.secretStores.rotateKey(scope);
  }

  setPermissions(p: Partial<Permissions>): void {
    this.state.permissions = { ...this.state.permissions, ...p };
  }

  inject(...faults: Fault[]): void {
    for (const fault of faults) {
      this.faults.push({ ...fault, left: fault.times ?? 1, skipLeft: fault.skip ?? 0 });
    }
  }

  /**
   * Calls `watcher` as each call is received (read, before it is handled) and answered (sent or
   * dropped), synchronously, so that a test can act at an exact moment of a client's run (the
   * Nth secret write received). Returns the function that stops watching.
   */
  onCall(watcher: (call: GhCall, moment: 'received' | 'answered') => void): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
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
    this.contents.add(repository, sha, files);
  }

  /** Adds pull request `number` (an issue with `pull_request`) so that comments on it work. */
  addPullRequest(repository: string, number: number): void {
    this.tracker.addPullRequest(repository, number);
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
    const call: GhCall = { method, path, status: 0, at: Date.now(), alongside: this.open.size };
    this.open.add(call);
    // Answered once its last byte is handed over: before the client can have read it.
    res.once('finish', () => this.open.delete(call));
    res.once('close', () => this.open.delete(call));
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
    const notify = (moment: 'received' | 'answered') => {
      for (const watcher of this.watchers) watcher(call, moment);
    };
    res.once('finish', () => notify('answered'));
    notify('received');

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
      notify('answered');
    };
    const status = fault?.status;
    const answerFault = () => replyTo(() => faultAnswer(fault!, status!));
    if (fault?.drop && !fault.after) return drop();
    if (fault?.redirect) {
      call.status = fault.redirect.status ?? 302;
      res.writeHead(call.status, { location: `${fault.redirect.to}${path}`, 'content-length': 0 });
      res.end();
      return;
    }
    if (fault?.body === 'html') {
      call.status = status ?? 502;
      res.writeHead(call.status, { 'content-type': 'text/html' });
      res.end(PROXY_ERROR_PAGE);
      return;
    }
    if (fault?.body === 'flood') {
      call.status = 200;
      await this.flood(res, fault.floodBytes ?? 400 * 1024 * 1024, fault.declareLength ?? false);
      return;
    }
    let reply =
      fault?.json !== undefined
        ? { status: status ?? 200, body: fault.json }
        : status !== undefined && !fault?.after
          ? answerFault()
          : replyTo(() => this.dispatch(method, path, req.headers, parsed, parseError));
    if (fault?.after && fault.drop) return drop();
    if (fault?.after && status !== undefined) reply = answerFault();
    if (fault?.body === 'malformed-json' && reply.status === 204) reply = { status: 201, body: {} };
    if (fault?.rotateKeyOf) this.secretStores.rotateKey(fault.rotateKeyOf);
    call.status = reply.status;
    this.send(res, reply, fault?.body);
  }

  private async flood(res: ServerResponse, bytes: number, declareLength: boolean): Promise<void> {
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      ...(declareLength ? { 'content-length': bytes } : {}),
    });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    while (sent < bytes && !res.destroyed) {
      const piece = bytes - sent >= chunk.length ? chunk : chunk.subarray(0, bytes - sent);
      sent += piece.length;
      this.floodBytesSent += piece.length;
      if (!res.write(piece)) {
        await new Promise<void>((resolve) => {
          const go = () => {
            res.off('drain', go);
            res.off('close', go);
            resolve();
          };
          res.once('drain', go);
          res.once('close', go);
        });
      }
    }
    if (!res.destroyed) res.end();
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
      date: new Date(Date.now() + this.state.clockOffsetMs).toUTCString(),
      ...reply.headers,
    };
    if (garble === 'text') {
      res.writeHead(reply.status, { ...headers, 'content-type': 'text/plain' });
      res.end('OK');
      return;
    }
    if (reply.raw !== undefined) {
      const bytes =
        garble === 'malformed-json'
          ? reply.raw.subarray(0, Math.ceil(reply.raw.length / 2))
          : reply.raw;
      res.writeHead(reply.status, { ...headers, 'content-length': bytes.length });
      res.end(bytes);
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
    if (fault.skipLeft > 0) {
      fault.skipLeft--;
      return undefined;
    }
    fault.left--;
    if (fault.left <= 0) this.faults.splice(index, 1);
    return fault;
  }

  private dispatch(
    method: string,
    path: string,
    headers: IncomingMessage['headers'],
    body: unknown,
    parseError: boolean,
  ): Reply {
    const presented = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
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

    if (root === 'user' && n === 1 && method === 'GET') return authenticatedUser(this.state);
    if (root === 'graphql' && n === 1 && method === 'POST') return graphql(this.state, body);

    if (root === 'orgs' && a !== undefined && b === 'actions' && c === 'secrets') {
      return this.secretStores.route(
        method,
        url,
        { kind: 'organization', org: a },
        segments.slice(4),
        body,
      );
    }
    if (root === 'repos' && a !== undefined && b !== undefined) {
      const fullName = `${a}/${b}`;
      if (n === 3 && method === 'GET') return getRepository(this.state, fullName);
      if (c === 'actions' && d === 'secrets') {
        return this.secretStores.route(
          method,
          url,
          { kind: 'repository', fullName },
          segments.slice(5),
          body,
        );
      }
      if (c === 'environments' && d !== undefined && e === 'secrets') {
        return this.secretStores.route(
          method,
          url,
          { kind: 'environment', fullName, environment: d },
          segments.slice(6),
          body,
        );
      }
      if (c === 'contents' && method === 'GET') {
        return this.contents.route(url, fullName, segments.slice(4).join('/'), headers.accept);
      }
      if (c === 'issues') {
        if (n === 4) return this.tracker.issuesRoute(method, url, fullName, body);
        if (d === 'comments' && e !== undefined && n === 6) {
          return this.tracker.commentRoute(method, fullName, e, body);
        }
        if (d !== undefined && n === 5) return this.tracker.issueRoute(method, fullName, d, body);
        if (d !== undefined && e === 'comments' && n === 6) {
          return this.tracker.issueCommentsRoute(method, url, fullName, d, body);
        }
      }
    }
    // Older Octokit releases address environment secrets by repository id.
    if (root === 'repositories' && a !== undefined && b === 'environments' && c !== undefined) {
      if (d === 'secrets') {
        const repo = [...this.state.repos.values()].find((r) => String(r.id) === a);
        if (!repo) throw notFound();
        return this.secretStores.route(
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
}
