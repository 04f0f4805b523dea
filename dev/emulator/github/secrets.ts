import sodium from 'libsodium-wrappers';
import {
  ApiError,
  DOCS,
  invalid,
  isRecord,
  lower,
  notFound,
  stableNumber,
  timestamp,
  type GitHubState,
  type Reply,
  type Repository,
} from './core.js';
import { repositoryJson } from './repository.js';

// Actions secrets of repositories, environments and organizations: each scope with its own real
// X25519 key pair, so a value that was not sealed for that key is refused as GitHub refuses it.

export type SecretScope =
  | { kind: 'repository'; repository: string }
  | { kind: 'environment'; repository: string; environment: string }
  | { kind: 'organization'; organization: string };

export type Visibility = 'all' | 'private' | 'selected';

/** How a seeded secret differs from one just written. */
export interface SeedOptions {
  visibility?: Visibility;
  selected_repository_ids?: number[];
  /** when it was written, to seed an old secret; default now (GitHub's clock) */
  updated_at?: string;
}

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

interface KeyPair {
  keyId: string;
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

const SECRETS_DOCS = `${DOCS}/actions/secrets`;
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;
const VISIBILITIES: readonly Visibility[] = ['all', 'private', 'selected'];
const IMPROPERLY_ENCRYPTED =
  'Bad request - validation failed due to an improperly encrypted secret';
/** GitHub's answer to a new secret past the scope's limit (the status is not verified). */
const CAP_REACHED = 'Maximum number of secrets reached';

/** Where a secrets route points, before the scope is resolved. */
export type SecretsTarget =
  | { kind: 'organization'; org: string }
  | { kind: 'repository'; fullName: string }
  | { kind: 'environment'; fullName: string; environment: string };

export class SecretStores {
  private readonly stores = new Map<string, Map<string, StoredSecret>>();
  /** scope key -> current key pair */
  private readonly currentKeys = new Map<string, KeyPair>();
  /** scope key -> every key pair it has had, by key id (seeded secrets stay decryptable) */
  private readonly allKeys = new Map<string, Map<string, KeyPair>>();

  constructor(private readonly gh: GitHubState) {}

  /** The stored secrets of a scope, sorted by name (copies). Throws for an unknown scope. */
  list(scope: SecretScope): StoredSecret[] {
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
  put(scope: SecretScope, name: string, value: string, extra: SeedOptions = {}): void {
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
    const now = timestamp(this.gh.clockOffsetMs);
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

  /** Removes a stored secret, as someone tidying the scope by hand; false when there was none. */
  remove(scope: SecretScope, name: string): boolean {
    return this.store(this.scopeKey(scope)).delete(name.toUpperCase());
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

  private scopeKey(scope: SecretScope): string {
    switch (scope.kind) {
      case 'repository': {
        const repo = this.gh.repo(scope.repository);
        if (!repo) throw new Error(`unknown repository ${scope.repository}`);
        return `repository:${lower(repo.fullName)}`;
      }
      case 'environment': {
        const repo = this.gh.repo(scope.repository);
        if (!repo) throw new Error(`unknown repository ${scope.repository}`);
        const env = this.gh.environment(repo, scope.environment);
        if (env === undefined) {
          throw new Error(`unknown environment ${scope.environment} in ${repo.fullName}`);
        }
        return `environment:${lower(repo.fullName)}:${lower(env)}`;
      }
      case 'organization': {
        const org = this.gh.orgs.get(lower(scope.organization));
        if (!org) throw new Error(`unknown organization ${scope.organization}`);
        return `organization:${lower(org)}`;
      }
    }
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

  route(method: string, url: URL, target: SecretsTarget, rest: string[], body: unknown): Reply {
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
      const org = this.gh.orgs.get(lower(target.org));
      if (!org) throw notFound(doc);
      scope = { kind: 'organization', organization: org };
      // Organization secrets need the organization permission "Secrets" (write, even to read:
      // the emulator's orgSecrets level is 'write' | 'none').
      this.gh.require('write', ['orgSecrets'], doc);
    } else {
      const repo = this.gh.repo(target.fullName);
      if (!repo) throw notFound(doc);
      if (target.kind === 'repository') {
        scope = { kind: 'repository', repository: repo.fullName };
        this.gh.require(access, ['secrets'], doc);
      } else {
        // Environment secrets: the repository permission "Secrets" AND "Environments" at the
        // same level (GitHub's docs list the Environments permission for environment secrets;
        // the stricter reading is emulated), and the environment must exist (else 404).
        this.gh.require(access, ['secrets'], doc);
        this.gh.require(access, ['environments'], doc);
        const env = this.gh.environment(repo, target.environment);
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
        const page = this.gh.paginate(all, url);
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
          .map((id) => [...this.gh.repos.values()].find((r) => r.id === id))
          .filter((r): r is Repository => r !== undefined);
        const page = this.gh.paginate(repos, url);
        return {
          status: 200,
          body: {
            total_count: repos.length,
            repositories: page.items.map((r) => repositoryJson(this.gh, r)),
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
          (id) => ![...this.gh.repos.values()].some((r) => r.id === id && lower(r.owner) === org),
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
    // Updates of secrets already there are fine at the limit; a new name is not.
    if (!previous && store.size >= this.gh.secretCaps[scope.kind]) {
      throw new ApiError(422, CAP_REACHED, { documentation_url: doc });
    }
    const now = timestamp(this.gh.clockOffsetMs);
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
        json.selected_repositories_url = `${this.gh.url}/orgs/${scope.organization}/actions/secrets/${s.name}/repositories`;
      }
    }
    return json;
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
