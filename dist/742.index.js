export const id = 742;
export const ids = [742];
export const modules = {

/***/ 4742:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  GitHubSecretsTarget: () => (/* binding */ GitHubSecretsTarget)
});

// UNUSED EXPORTS: shapeProblem

// EXTERNAL MODULE: ./src/config/secret-names.ts
var secret_names = __webpack_require__(9905);
// EXTERNAL MODULE: ./src/secrets/target.ts
var target = __webpack_require__(2676);
// EXTERNAL MODULE: ./src/github/client.ts + 2 modules
var client = __webpack_require__(2941);
// EXTERNAL MODULE: ./node_modules/libsodium-wrappers/dist/modules-esm/libsodium-wrappers.mjs + 1 modules
var libsodium_wrappers = __webpack_require__(4768);
;// CONCATENATED MODULE: ./src/github/seal.ts

/**
 * Seals a secret for GitHub with the target's public key: libsodium's crypto_box_seal, base64
 * ORIGINAL both ways, as GitHub's documentation does it.
 */
async function sealSecret(value, publicKey) {
    await libsodium_wrappers/* default.ready */.Ay.ready;
    const key = libsodium_wrappers/* default.from_base64 */.Ay.from_base64(publicKey, libsodium_wrappers/* default.base64_variants */.Ay.base64_variants.ORIGINAL);
    const sealed = libsodium_wrappers/* default */.Ay.crypto_box_seal(libsodium_wrappers/* default.from_string */.Ay.from_string(value), key);
    return libsodium_wrappers/* default.to_base64 */.Ay.to_base64(sealed, libsodium_wrappers/* default.base64_variants */.Ay.base64_variants.ORIGINAL);
}

// EXTERNAL MODULE: ./src/github/wire.ts
var wire = __webpack_require__(4054);
;// CONCATENATED MODULE: ./src/github/secrets.ts
// Repository, environment and organization secrets through Octokit (at GITHUB_API_URL, so
// GitHub Enterprise Server works too). The public key and the names already there are read
// once per run, and checked against GitHub's documented shapes before anything is created;
// each value is sealed and written with the key's id, and counts as written only on GitHub's
// 201 or 204. A key rotated meanwhile is read again once.





/** A Date header as ms, or undefined when absent or unreadable. */
function serverClock(date) {
    const ms = date === undefined ? NaN : Date.parse(date);
    return Number.isNaN(ms) ? undefined : ms;
}
/** GitHub's limits on secrets per scope ("Limits for secrets" in its Actions documentation). */
const SECRET_CAP = {
    repository: 100,
    environment: 100,
    organization: 1000,
};
class GitHubSecretsTarget {
    description;
    persistent = true;
    scope;
    octokit;
    key;
    /** The key read again after GitHub refused one (at most once per key). */
    rereads = new Map();
    /** secretNameKey -> visibility (organization secrets) of the secrets already there. */
    existing = new Map();
    /** GitHub's Date header of the first listing page (ms). */
    clock;
    /** Set when GitHub said the scope holds its maximum of secrets: new names are not sent. */
    capReached;
    constructor(options) {
        this.scope = scopeOf(options);
        this.description = describeScope(this.scope);
        this.octokit = (0,client.githubClient)(options.githubToken, options.githubApiUrl, options.tuning, {
            onWait: options.onWait,
            clock: options.clock,
        });
        // Every answer is checked against its documented shape as it arrives, pages included.
        this.octokit.hook.after('request', (response, request) => {
            const problem = shapeProblem(request.method, String(request.url), response.data);
            if (problem)
                throw new wire/* GitHubRefusal */.ke(problem);
        });
    }
    async prepare() {
        const [key, listed] = await Promise.all([this.readKey(), this.listSecrets()]);
        this.key = key;
        this.existing = new Map([...listed].map(([name, s]) => [name, s.visibility]));
        return {
            updatedAt: new Map([...listed].map(([name, s]) => [name, s.updated_at])),
            ...(this.clock === undefined ? {} : { clock: this.clock }),
        };
    }
    async write(name, value) {
        if (!this.key)
            throw new target/* SecretTargetError */.m('the secret target was not prepared');
        const nameKey = (0,secret_names/* secretNameKey */.Tb)(name);
        if (this.capReached && !this.existing.has(nameKey))
            throw this.capReached;
        const body = {};
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
        }
        catch (error) {
            if (!keyRefused(error))
                throw this.writeError(error, nameKey);
            // GitHub rotated the key since it was read: read it again (once), seal anew, write again.
            const fresh = await this.rereadKey(key);
            if (fresh.key_id === key.key_id && fresh.key === key.key) {
                throw this.writeError(error, nameKey, ' (the public key read again is the same)');
            }
            try {
                await this.put(name, value, fresh, body);
            }
            catch (again) {
                throw this.writeError(again, nameKey);
            }
        }
        this.existing.set(nameKey, body.visibility);
    }
    /** One sealed PUT; it counts as written only on GitHub's own 201 (created) or 204 (updated). */
    async put(name, value, key, body) {
        const path = `${secretsPath(this.scope)}/${encodeURIComponent(name)}`;
        const { status } = await this.octokit.request(`PUT ${path}`, {
            ...body,
            encrypted_value: await sealSecret(value, key.key),
            key_id: key.key_id,
        });
        if (status !== 201 && status !== 204) {
            throw new wire/* GitHubRefusal */.ke(`GitHub answered ${status}, not 201 or 204, so the secret does not count as written`);
        }
    }
    writeError(error, nameKey, detail = '') {
        const { status, said } = (0,client/* githubAnswer */.At)(error);
        if (status !== undefined && status >= 400 && /maximum number of secrets/i.test(said)) {
            // Updates of names already there still go; new names are not sent again.
            const cap = SECRET_CAP[this.scope.kind];
            const blocked = `the ${describeScope(this.scope)} are full (GitHub allows ${cap} secrets): remove secrets that are no longer used there, or choose another secrets-target`;
            const capped = new target/* SecretTargetError */.m(`cannot write ${describeScope(this.scope)} (${said}): ${blocked}`, blocked);
            if (!this.existing.has(nameKey))
                this.capReached = capped;
            return capped;
        }
        return new target/* SecretTargetError */.m(`${explain(error, 'write', this.scope)}${detail}`);
    }
    async readKey() {
        return (await this.request('read', 'GET', '/public-key'));
    }
    /** The key read again after GitHub refused `stale`: one GET, shared by every write that used it. */
    rereadKey(stale) {
        let reread = this.rereads.get(stale);
        if (!reread) {
            reread = this.readKey().then((key) => (this.key = key));
            this.rereads.set(stale, reread);
        }
        return reread;
    }
    async listSecrets() {
        const secrets = new Map();
        let first = true;
        for await (const page of this.pages('')) {
            if (first)
                this.clock = serverClock(page.headers.date);
            first = false;
            for (const secret of page.data)
                secrets.set((0,secret_names/* secretNameKey */.Tb)(secret.name), secret);
        }
        return secrets;
    }
    async selectedRepositories(name) {
        const ids = [];
        for await (const page of this.pages(`/${encodeURIComponent(name)}/repositories`)) {
            ids.push(...page.data.map((r) => r.id));
        }
        return ids;
    }
    /** The pages of a list under this scope's secrets path, 100 a page, as GitHub links them. */
    async *pages(suffix) {
        const path = `${secretsPath(this.scope)}${suffix}`;
        try {
            for await (const page of this.octokit.paginate.iterator(`GET ${path}`, { per_page: 100 })) {
                yield page;
            }
        }
        catch (error) {
            throw new target/* SecretTargetError */.m(explain(error, 'read', this.scope));
        }
    }
    /** One call under this scope's secrets path; errors become sentences that say what to fix. */
    async request(access, method, suffix, body) {
        const path = `${secretsPath(this.scope)}${suffix}`;
        try {
            return (await this.octokit.request(`${method} ${path}`, body ?? {})).data;
        }
        catch (error) {
            throw new target/* SecretTargetError */.m(explain(error, access, this.scope));
        }
    }
}
/** GitHub refused the sealed value for its key: rotated since it was read ("key_id mismatch"). */
function keyRefused(error) {
    const { status, said } = (0,client/* githubAnswer */.At)(error);
    return status === 422 && /key_id|improperly encrypted/i.test(said);
}
/**
 * What is wrong with a GitHub answer to one of a secret store's reads, or undefined when it has
 * the documented shape: the public key (base64 of a 32-byte key, with a key_id), the list of
 * secrets and an organization secret's list of repositories. The last path segment tells them
 * apart: secret names hold no hyphen, so no secret is called `public-key`.
 */
function shapeProblem(method, url, data) {
    if (method.toUpperCase() !== 'GET')
        return undefined;
    const segment = new URL(url, 'http://github.invalid').pathname.split('/').pop();
    const answer = (what, problem) => `GitHub's answer is not ${what} as GitHub documents it (${problem}); nothing is written with it`;
    const record = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
    if (segment === 'public-key') {
        if (!record(data))
            return answer('a public key', 'not a JSON object');
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
        if (!Array.isArray(items))
            return answer(list, `no ${segment} list`);
        const wrong = items.findIndex((item) => segment === 'secrets' ? !listedSecret(item) : !record(item) || !Number.isInteger(item.id));
        if (wrong >= 0)
            return answer(list, `entry ${wrong + 1} is not a ${segment === 'secrets' ? 'named secret' : 'repository with an id'}`);
    }
    return undefined;
}
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
function listedSecret(item) {
    if (typeof item !== 'object' || item === null)
        return false;
    const { name, updated_at: updatedAt, visibility } = item;
    return (typeof name === 'string' &&
        name !== '' &&
        (updatedAt === undefined || typeof updatedAt === 'string') &&
        (visibility === undefined || ['all', 'private', 'selected'].includes(visibility)));
}
function scopeOf(options) {
    const { owner, repo } = options.repository ?? { owner: '', repo: '' };
    switch (options.secretsTarget) {
        case 'repository':
            return { kind: 'repository', owner, repo };
        case 'environment':
            return { kind: 'environment', owner, repo, environment: options.environment };
        case 'organization':
            return { kind: 'organization', org: options.organization };
        default:
            throw new target/* SecretTargetError */.m(`${options.secretsTarget} is not a GitHub secret store`);
    }
}
function secretsPath(scope) {
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
function describeScope(scope) {
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
function explain(error, access, scope) {
    const { status, said } = (0,client/* githubAnswer */.At)(error);
    const what = `${access} ${describeScope(scope)}`;
    // Not an answer about the token: a refusal of this client, a rate limit, no answer at all.
    if (status === undefined)
        return `cannot ${what}: ${said}`;
    if (status === 401) {
        return `cannot ${what} (${said}): the github-token is invalid or expired`;
    }
    if (scope.kind === 'environment' && status === 404) {
        return `cannot ${what} (${said}): the environment ${scope.environment} does not exist in ${scope.owner}/${scope.repo}, or the github-token cannot see it. Create it under Settings > Environments, or fix the environment input; the token needs Secrets: read and write and Environments: read and write`;
    }
    if (status === 403 || status === 404) {
        const need = scope.kind === 'organization'
            ? 'a token of an organization admin: a fine-grained token or GitHub App with the organization permission Secrets: read and write, or a classic token with admin:org'
            : `a fine-grained personal access token or GitHub App token with the repository permission Secrets: read and write${scope.kind === 'environment' ? ' (and Environments: read and write)' : ''}`;
        // Reading passed before anything was created; no API tells a token's grants ahead of a write.
        const readOnly = access === 'write' ? ' (it could read them, so it may have Secrets: read only)' : '';
        return `cannot ${what} (${said}): the github-token lacks the permission${readOnly}. The default GITHUB_TOKEN cannot ${access === 'write' ? 'write' : 'read'} secrets; pass ${need} as github-token`;
    }
    return `cannot ${what}: ${said}`;
}


/***/ })

};

//# sourceMappingURL=742.index.js.map