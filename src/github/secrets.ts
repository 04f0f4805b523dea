// Repository, environment and organization secrets through Octokit (at GITHUB_API_URL, so
// GitHub Enterprise Server works too). The public key and the names already there are read
// once per run; each value is sealed and written with the key's id.
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
  type GitHubTuning,
  type Repository,
} from './client.js';
import { sealSecret } from './seal.js';

/** Where the secrets go and how to reach GitHub: the few settings a GitHub store needs. */
export interface GitHubSecretsOptions {
  secretsTarget: SecretTargetKind;
  repository: Repository | undefined;
  environment: string | undefined;
  organization: string | undefined;
  githubToken: string | undefined;
  githubApiUrl: string;
  tuning: GitHubTuning;
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

export class GitHubSecretsTarget implements SecretTarget {
  readonly description: string;
  readonly persistent = true;
  private readonly scope: Scope;
  private readonly octokit: GitHubClient;
  private key: PublicKey | undefined;
  /** secretNameKey -> visibility (organization secrets) of the secrets already there. */
  private existing = new Map<string, Visibility | undefined>();
  /** GitHub's Date header of the first listing page (ms). */
  private clock: number | undefined;

  constructor(options: GitHubSecretsOptions) {
    this.scope = scopeOf(options);
    this.description = describeScope(this.scope);
    this.octokit = githubClient(options.githubToken!, options.githubApiUrl, options.tuning);
  }

  async prepare(): Promise<TargetSecrets> {
    const [key, listed] = await Promise.all([
      this.request('read', 'GET', '/public-key').then((data) => data as PublicKey),
      this.listSecrets(),
    ]);
    this.key = key;
    this.existing = new Map([...listed].map(([name, s]) => [name, s.visibility]));
    return {
      updatedAt: new Map([...listed].map(([name, s]) => [name, s.updated_at])),
      ...(this.clock === undefined ? {} : { clock: this.clock }),
    };
  }

  async write(name: string, value: string): Promise<void> {
    if (!this.key) throw new SecretTargetError('the secret target was not prepared');
    const body: Record<string, unknown> = {
      encrypted_value: await sealSecret(value, this.key.key),
      key_id: this.key.key_id,
    };
    if (this.scope.kind === 'organization') {
      // Writing without visibility and repositories would reset them: keep what is there.
      const key = secretNameKey(name);
      const visibility = this.existing.has(key) ? this.existing.get(key) : 'private';
      body.visibility = visibility ?? 'private';
      if (visibility === 'selected') {
        body.selected_repository_ids = await this.selectedRepositories(key);
      }
    }
    await this.request('write', 'PUT', `/${encodeURIComponent(name)}`, body);
    this.existing.set(secretNameKey(name), body.visibility as Visibility | undefined);
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
