import { createHash } from 'node:crypto';
import type { OutgoingHttpHeaders } from 'node:http';

// What every resource of the GitHub emulator shares: the accounts it knows (repositories,
// organizations, the token and its permissions), GitHub's error answers, Link-header
// pagination and GitHub's clock. The resources (secrets.ts, issues.ts, contents.ts,
// repository.ts) keep their own records and answer their own routes; ../github.ts serves them.

export type Level = 'write' | 'read' | 'none';

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
  /** how many other calls were still unanswered when this one had been read */
  alongside: number;
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
  /**
   * How many secrets a scope may hold; default GitHub's documented limits: 100 repository, 100
   * environment and 1000 organization secrets. A PUT of a new name past it is refused.
   */
  secretCaps?: Partial<Record<'repository' | 'environment' | 'organization', number>>;
}

export type TokenKind = 'github-actions' | 'app' | 'personal';

const DEFAULT_LOGIN: Record<TokenKind, string> = {
  'github-actions': 'github-actions[bot]',
  app: 'mkp-sync[bot]',
  personal: 'octo-dev',
};

export interface Repository {
  id: number;
  fullName: string;
  owner: string;
  name: string;
  environments: string[];
}

export interface Reply {
  status: number;
  body?: unknown;
  /** Bytes sent as they are instead of `body` as JSON (a raw media type); headers name their type. */
  raw?: Buffer;
  headers?: OutgoingHttpHeaders;
}

/** A GitHub error answer, thrown by handlers. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: OutgoingHttpHeaders = {},
  ) {
    super(message);
  }
}

export const DOCS = 'https://docs.github.com/rest';

const ALL_WRITE: Permissions = {
  secrets: 'write',
  issues: 'write',
  pullRequests: 'write',
  environments: 'write',
  orgSecrets: 'write',
  contents: 'write',
};

/** GitHub's timestamps: ISO 8601 in UTC without milliseconds. */
export function timestamp(offsetMs = 0): string {
  return new Date(Date.now() + offsetMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function grants(level: Level, access: 'read' | 'write'): boolean {
  return level === 'write' || (level === 'read' && access === 'read');
}

export function lower(value: string): string {
  return value.toLowerCase();
}

/** A stable positive integer from a string (label ids, node ids, key ids). */
export function stableNumber(text: string, digits = 15): string {
  const hex = createHash('sha256').update(text).digest('hex').slice(0, 15);
  return (BigInt(`0x${hex}`) % 10n ** BigInt(digits)).toString().padStart(digits, '1');
}

export function invalid(detail: string, doc: string): ApiError {
  return new ApiError(422, `Invalid request.\n\n${detail}`, { documentation_url: doc });
}

export function validationFailed(
  resource: string,
  errors: Array<Record<string, unknown>>,
  doc: string,
): ApiError {
  return new ApiError(422, 'Validation Failed', {
    errors: errors.map((e) => ({ resource, ...e })),
    documentation_url: doc,
  });
}

export function notFound(doc = DOCS): ApiError {
  return new ApiError(404, 'Not Found', { documentation_url: doc });
}

export function parsePositiveInt(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 ? n : undefined;
}

/** What every resource reads: the accounts, the token, its permissions, GitHub's clock. */
export class GitHubState {
  readonly url: string;
  readonly token: string;
  readonly login: string;
  readonly tokenKind: TokenKind;
  /** How far GitHub's clock is from this machine's (see GitHubEmulatorOptions). */
  readonly clockOffsetMs: number;
  readonly secretCaps: Record<'repository' | 'environment' | 'organization', number>;
  permissions: Permissions;
  /** lower-cased 'owner/name' -> repository */
  readonly repos = new Map<string, Repository>();
  /** lower-cased login -> the organization's spelling */
  readonly orgs = new Map<string, string>();

  constructor(url: string, options: GitHubEmulatorOptions) {
    this.url = url;
    this.token = options.token ?? 'gh-test-token';
    this.tokenKind = options.tokenKind ?? 'github-actions';
    this.login = options.login ?? DEFAULT_LOGIN[this.tokenKind];
    this.clockOffsetMs = options.clockOffsetMs ?? 0;
    this.secretCaps = {
      repository: 100,
      environment: 100,
      organization: 1000,
      ...options.secretCaps,
    };
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

  repo(fullName: string): Repository | undefined {
    return this.repos.get(lower(fullName));
  }

  /** Environment names are case-insensitive on GitHub; returns the configured spelling. */
  environment(repo: Repository, name: string): string | undefined {
    return repo.environments.find((e) => lower(e) === lower(name));
  }

  require(access: 'read' | 'write', alternatives: Array<keyof Permissions>, doc: string): void {
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

  /** One page as GitHub cuts it (per_page default 30, max 100; page from 1), with its Link header. */
  paginate<T>(all: T[], url: URL): { items: T[]; headers: OutgoingHttpHeaders } {
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
}
