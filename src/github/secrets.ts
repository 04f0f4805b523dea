// Repository, environment and organization secrets through Octokit (at GITHUB_API_URL, so
// GitHub Enterprise Server works too). The public key and the names already there are read
// once per run, and checked against GitHub's documented shapes before anything is created;
// each value is sealed and written with the key's id, and counts as written only on GitHub's
// 201 or 204. A key rotated meanwhile is read again once.
import { secretNameKey } from '../config/secret-names.js';
import {
  SecretTargetError,
  type SecretTarget,
  type SecretTargetKind,
  type TargetSecrets,
} from '../secrets/target.js';
import {
  githubAnswer,
  githubClient,
  type GitHubClient,
  type GitHubClientOptions,
  type GitHubTuning,
  type Repository,
} from './client.js';
import { sealSecret } from './seal.js';
import { GitHubRefusal } from './wire.js';

/** Where the secrets go and how to reach GitHub: the few settings a GitHub store needs. */
export interface GitHubSecretsOptions {
  secretsTarget: SecretTargetKind;
  repository: Repository | undefined;
  environment: string | undefined;
  organization: string | undefined;
  githubToken: string | undefined;
  githubApiUrl: string;
  tuning: GitHubTuning;
  /** Told about each rate-limit wait (the log); tests may also pass a clock. */
  onWait?: GitHubClientOptions['onWait'];
  clock?: GitHubClientOptions['clock'];
}

type Scope =
  | { kind: 'repository'; owner: string; repo: string }
  | { kind: 'environment'; owner: string; repo: string; environment: string }
  | { kind: 'organization'; org: string };

type Visibility = 'all' | 'private' | 'selected';

interface ListedSecret {
  name: string;
  updated_at?: string;
  visibility?: Visibility;
}

/** A Date header as ms, or undefined when absent or unreadable. */
function serverClock(date: string | undefined): number | undefined {
  const ms = date === undefined ? NaN : Date.parse(date);
  return Number.isNaN(ms) ? undefined : ms;
}

interface PublicKey {
  key_id: string;
  key: string;
}

/** GitHub's limits on secrets per scope ("Limits for secrets" in its Actions documentation). */
const SECRET_CAP: Record<Scope['kind'], number> = {
  repository: 100,
  environment: 100,
  organization: 1000,
};

export class GitHubSecretsTarget implements SecretTarget {
  readonly description: string;
  readonly persistent = true;
  private readonly scope: Scope;
  private readonly octokit: GitHubClient;
  private key: PublicKey | undefined;
  /** The key read again after GitHub refused one (at most once per key). */
  private readonly rereads = new Map<PublicKey, Promise<PublicKey>>();
  /** secretNameKey -> visibility (organization secrets) of the secrets already there. */
  private existing = new Map<string, Visibility | undefined>();
  /** GitHub's Date header of the first listing page (ms). */
  private clock: number | undefined;
  /** Set when GitHub said the scope holds its maximum of secrets: new names are not sent. */
  private capReached: SecretTargetError | undefined;

  constructor(options: GitHubSecretsOptions) {
    this.scope = scopeOf(options);
    this.description = describeScope(this.scope);
    this.octokit = githubClient(options.githubToken!, options.githubApiUrl, options.tuning, {
      onWait: options.onWait,
      clock: options.clock,
    });
    // Every answer is checked against its documented shape as it arrives, pages included.
    this.octokit.hook.after('request', (response, request) => {
      const problem = shapeProblem(request.method, String(request.url), response.data);
      if (problem) throw new GitHubRefusal(problem);
    });
  }

  async prepare(): Promise<TargetSecrets> {
    const [key, listed] = await Promise.all([this.readKey(), this.listSecrets()]);
    this.key = key;
    this.existing = new Map([...listed].map(([name, s]) => [name, s.visibility]));
    return {
      updatedAt: new Map([...listed].map(([name, s]) => [name, s.updated_at])),
      ...(this.clock === undefined ? {} : { clock: this.clock }),
    };
  }

  async write(name: string, value: string): Promise<void> {
    if (!this.key) throw new SecretTargetError('the secret target was not prepared');
    const nameKey = secretNameKey(name);
    if (this.capReached && !this.existing.has(nameKey)) throw this.capReached;
    const body: Record<string, unknown> = {};
    if (this.scope.kind === 'organization') {
      // Writing without visibility and repositories would reset them: keep what is there.
      const visibility = this.existing.has(nameKey) ? this.existing.get(nameKey) : 'private';
      body.visibility = visibility ?? 'private';
      if (visibility === 'selected') {
        body.selected_repository_ids = await this.selectedRepositories(nameKey);
      }
    }
    const key = this.key;
    try {
      await this.put(name, value, key, body);
    } catch (error) {
      if (!keyRefused(error)) throw this.writeError(error, nameKey);
      // GitHub rotated the key since it was read: read it again (once), seal anew, write again.
      const fresh = await this.rereadKey(key);
      if (fresh.key_id === key.key_id && fresh.key === key.key) {
        throw this.writeError(error, nameKey, ' (the public key read again is the same)');
      }
      try {
        await this.put(name, value, fresh, body);
      } catch (again) {
        throw this.writeError(again, nameKey);
      }
    }
    this.existing.set(nameKey, body.visibility as Visibility | undefined);
  }

  /** One sealed PUT; it counts as written only on GitHub's own 201 (created) or 204 (updated). */
  private async put(
    name: string,
    value: string,
    key: PublicKey,
    body: Record<string, unknown>,
  ): Promise<void> {
    const path = `${secretsPath(this.scope)}/${encodeURIComponent(name)}`;
    const { status } = await this.octokit.request(`PUT ${path}`, {
      ...body,
      encrypted_value: await sealSecret(value, key.key),
      key_id: key.key_id,
    });
    if (status !== 201 && status !== 204) {
      throw new GitHubRefusal(
        `GitHub answered ${status}, not 201 or 204, so the secret does not count as written`,
      );
    }
  }

  private writeError(error: unknown, nameKey: string, detail = ''): SecretTargetError {
    const { status, said } = githubAnswer(error);
    if (status !== undefined && status >= 400 && /maximum number of secrets/i.test(said)) {
      // Updates of names already there still go; new names are not sent again.
      const cap = SECRET_CAP[this.scope.kind];
      const blocked = `the ${describeScope(this.scope)} are full (GitHub allows ${cap} secrets): remove secrets that are no longer used there, or choose another secrets-target`;
      const capped = new SecretTargetError(
        `cannot write ${describeScope(this.scope)} (${said}): ${blocked}`,
        blocked,
      );
      if (!this.existing.has(nameKey)) this.capReached = capped;
      return capped;
    }
    return new SecretTargetError(`${explain(error, 'write', this.scope)}${detail}`);
  }

  private async readKey(): Promise<PublicKey> {
    return (await this.request('read', 'GET', '/public-key')) as PublicKey;
  }

  /** The key read again after GitHub refused `stale`: one GET, shared by every write that used it. */
  private rereadKey(stale: PublicKey): Promise<PublicKey> {
    let reread = this.rereads.get(stale);
    if (!reread) {
      reread = this.readKey().then((key) => (this.key = key));
      this.rereads.set(stale, reread);
    }
    return reread;
  }

  private async listSecrets(): Promise<Map<string, ListedSecret>> {
    const secrets = new Map<string, ListedSecret>();
    let first = true;
    for await (const page of this.pages<ListedSecret>('')) {
      if (first) this.clock = serverClock(page.headers.date);
      first = false;
      for (const secret of page.data) secrets.set(secretNameKey(secret.name), secret);
    }
    return secrets;
  }

  private async selectedRepositories(name: string): Promise<number[]> {
    const ids: number[] = [];
    for await (const page of this.pages<{ id: number }>(
      `/${encodeURIComponent(name)}/repositories`,
    )) {
      ids.push(...page.data.map((r) => r.id));
    }
    return ids;
  }

  /** The pages of a list under this scope's secrets path, 100 a page, as GitHub links them. */
  private async *pages<T>(
    suffix: string,
  ): AsyncGenerator<{ data: T[]; headers: { date?: string } }> {
    const path = `${secretsPath(this.scope)}${suffix}`;
    try {
      for await (const page of this.octokit.paginate.iterator(`GET ${path}`, { per_page: 100 })) {
        yield page as { data: T[]; headers: { date?: string } };
      }
    } catch (error) {
      throw new SecretTargetError(explain(error, 'read', this.scope));
    }
  }

  /** One call under this scope's secrets path; errors become sentences that say what to fix. */
  private async request(
    access: 'read' | 'write',
    method: 'GET' | 'PUT',
    suffix: string,
    body?: Record<string, unknown>,
  ): Promise<unknown> {
    const path = `${secretsPath(this.scope)}${suffix}`;
    try {
      return (await this.octokit.request(`${method} ${path}`, body ?? {})).data;
    } catch (error) {
      throw new SecretTargetError(explain(error, access, this.scope));
    }
  }
}

/** GitHub refused the sealed value for its key: rotated since it was read ("key_id mismatch"). */
function keyRefused(error: unknown): boolean {
  const { status, said } = githubAnswer(error);
  return status === 422 && /key_id|improperly encrypted/i.test(said);
}

/**
 * What is wrong with a GitHub answer to one of a secret store's reads, or undefined when it has
 * the documented shape: the public key (base64 of a 32-byte key, with a key_id), the list of
 * secrets and an organization secret's list of repositories. The last path segment tells them
 * apart: secret names hold no hyphen, so no secret is called `public-key`.
 */
export function shapeProblem(method: string, url: string, data: unknown): string | undefined {
  if (method.toUpperCase() !== 'GET') return undefined;
  const segment = new URL(url, 'http://github.invalid').pathname.split('/').pop();
  const answer = (what: string, problem: string) =>
    `GitHub's answer is not ${what} as GitHub documents it (${problem}); nothing is written with it`;
  const record = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  if (segment === 'public-key') {
    if (!record(data)) return answer('a public key', 'not a JSON object');
    const { key, key_id: keyId } = data;
    if (typeof keyId !== 'string' || keyId.trim() === '') {
      return answer('a public key', 'no key_id');
    }
    if (typeof key !== 'string' || !BASE64.test(key) || Buffer.from(key, 'base64').length !== 32) {
      return answer('a public key', 'the key is not base64 of 32 bytes');
    }
    return undefined;
  }
  if (segment === 'secrets' || segment === 'repositories') {
    const list = segment === 'secrets' ? 'the list of secrets' : 'the list of repositories';
    if (!record(data) || typeof data.total_count !== 'number') {
      return answer(list, 'no total_count');
    }
    const items = data[segment];
    if (!Array.isArray(items)) return answer(list, `no ${segment} list`);
    const wrong = items.findIndex((item) =>
      segment === 'secrets' ? !listedSecret(item) : !record(item) || !Number.isInteger(item.id),
    );
    if (wrong >= 0)
      return answer(
        list,
        `entry ${wrong + 1} is not a ${segment === 'secrets' ? 'named secret' : 'repository with an id'}`,
      );
  }
  return undefined;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function listedSecret(item: unknown): item is ListedSecret {
  if (typeof item !== 'object' || item === null) return false;
  const { name, updated_at: updatedAt, visibility } = item as Record<string, unknown>;
  return (
    typeof name === 'string' &&
    name !== '' &&
    (updatedAt === undefined || typeof updatedAt === 'string') &&
    (visibility === undefined || ['all', 'private', 'selected'].includes(visibility as string))
  );
}

function scopeOf(options: GitHubSecretsOptions): Scope {
  const { owner, repo } = options.repository ?? { owner: '', repo: '' };
  switch (options.secretsTarget) {
    case 'repository':
      return { kind: 'repository', owner, repo };
    case 'environment':
      return { kind: 'environment', owner, repo, environment: options.environment! };
    case 'organization':
      return { kind: 'organization', org: options.organization! };
    default:
      throw new SecretTargetError(`${options.secretsTarget} is not a GitHub secret store`);
  }
}

function secretsPath(scope: Scope): string {
  const e = encodeURIComponent;
  switch (scope.kind) {
    case 'repository':
      return `/repos/${e(scope.owner)}/${e(scope.repo)}/actions/secrets`;
    case 'environment':
      return `/repos/${e(scope.owner)}/${e(scope.repo)}/environments/${e(scope.environment)}/secrets`;
    case 'organization':
      return `/orgs/${e(scope.org)}/actions/secrets`;
  }
}

function describeScope(scope: Scope): string {
  switch (scope.kind) {
    case 'repository':
      return `repository secrets of ${scope.owner}/${scope.repo}`;
    case 'environment':
      return `secrets of environment ${scope.environment} in ${scope.owner}/${scope.repo}`;
    case 'organization':
      return `organization secrets of ${scope.org}`;
  }
}

/** GitHub's answer, turned into what the github-token lacks (CONTRACT §4). */
function explain(error: unknown, access: 'read' | 'write', scope: Scope): string {
  const { status, said } = githubAnswer(error);
  const what = `${access} ${describeScope(scope)}`;
  // Not an answer about the token: a refusal of this client, a rate limit, no answer at all.
  if (status === undefined) return `cannot ${what}: ${said}`;
  if (status === 401) {
    return `cannot ${what} (${said}): the github-token is invalid or expired`;
  }
  if (scope.kind === 'environment' && status === 404) {
    return `cannot ${what} (${said}): the environment ${scope.environment} does not exist in ${scope.owner}/${scope.repo}, or the github-token cannot see it. Create it under Settings > Environments, or fix the environment input; the token needs Secrets: read and write and Environments: read and write`;
  }
  if (status === 403 || status === 404) {
    const need =
      scope.kind === 'organization'
        ? 'a token of an organization admin: a fine-grained token or GitHub App with the organization permission Secrets: read and write, or a classic token with admin:org'
        : `a fine-grained personal access token or GitHub App token with the repository permission Secrets: read and write${scope.kind === 'environment' ? ' (and Environments: read and write)' : ''}`;
    // Reading passed before anything was created; no API tells a token's grants ahead of a write.
    const readOnly =
      access === 'write' ? ' (it could read them, so it may have Secrets: read only)' : '';
    return `cannot ${what} (${said}): the github-token lacks the permission${readOnly}. The default GITHUB_TOKEN cannot ${access === 'write' ? 'write' : 'read'} secrets; pass ${need} as github-token`;
  }
  return `cannot ${what}: ${said}`;
}
