export const id = 742;
export const ids = [742,284];
export const modules = {

/***/ 5284:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  A: () => (/* binding */ githubAnswer),
  githubClient: () => (/* binding */ githubClient),
  s: () => (/* binding */ tokenIdentity)
});

// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js
var github = __webpack_require__(1351);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/utils.js + 19 modules
var utils = __webpack_require__(5555);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-retry/dist-bundle/index.js
var dist_bundle = __webpack_require__(9735);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-throttling/dist-bundle/index.js
var plugin_throttling_dist_bundle = __webpack_require__(6856);
// EXTERNAL MODULE: ./node_modules/bottleneck/light.js
var light = __webpack_require__(3251);
var light_default = /*#__PURE__*/__webpack_require__.n(light);
;// CONCATENATED MODULE: ./src/github/pace.ts
// The GitHub client's defaults for what the environment may tune (README "Tuning").
/**
 * GitHub asks for at least a second between mutating requests (secondary rate limits); the
 * throttling plugin keeps to that for secret writes, comments and issue edits.
 */
const GITHUB_WRITE_INTERVAL_MS = 1_000;
/** How long one request may take before it is abandoned (and retried): as the API's calls. */
const GITHUB_TIMEOUT_MS = 30_000;

;// CONCATENATED MODULE: ./src/github/client.ts






/**
 * 5xx and network failures (a timeout included) are retried by the retry plugin, rate limits
 * (403/429) by the throttling plugin alone, as their retry-after says.
 */
function githubClient(token, apiUrl, tuning) {
    const writeIntervalMs = tuning.githubWriteIntervalMs ?? GITHUB_WRITE_INTERVAL_MS;
    const timeoutMs = tuning.timeoutMs ?? GITHUB_TIMEOUT_MS;
    const retryTwice = (_after, _options, _octokit, retries) => retries < 2;
    // @actions/github's own fetch goes through HTTPS_PROXY / HTTP_PROXY (NO_PROXY honoured) as
    // the runner's settings say, deciding for the GITHUB_API_URL of the moment it was loaded.
    // Passing `request` replaces its defaults as a whole, so that fetch is wrapped, not dropped.
    const proxyAwareFetch = utils/* defaults */.NT.request.fetch;
    const fetchWithTimeout = (input, init) => proxyAwareFetch(input, {
        ...init,
        signal: init?.signal
            ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)])
            : AbortSignal.timeout(timeoutMs),
    });
    const octokit = (0,github/* getOctokit */.Q)(token, {
        // Given, not what @actions/github read when imported: the process may be pointed elsewhere.
        baseUrl: apiUrl,
        request: { fetch: fetchWithTimeout },
        retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
        throttle: {
            onRateLimit: retryTwice,
            onSecondaryRateLimit: retryTwice,
            ...(writeIntervalMs === GITHUB_WRITE_INTERVAL_MS
                ? {}
                : {
                    write: new (light_default()).Group({ maxConcurrent: 1, minTime: writeIntervalMs }),
                    // Writes that notify people (comments, issues) are paced at 3× that.
                    notifications: new (light_default()).Group({
                        maxConcurrent: 1,
                        minTime: 3 * writeIntervalMs,
                    }),
                }),
        },
    }, dist_bundle/* retry */.L, plugin_throttling_dist_bundle/* throttling */.A);
    // Pages are followed as GitHub's Link header says: the token goes to the API's origin only,
    // whatever a proxy or a misconfigured server writes there. Refused before any retry.
    const apiOrigin = originOf(apiUrl);
    octokit.hook.before('request', (options) => {
        const url = String(options.url);
        if (apiOrigin === undefined || !/^[a-z][a-z0-9+.-]*:/i.test(url))
            return;
        const origin = originOf(url);
        if (origin !== apiOrigin) {
            throw new Error(`GitHub linked to ${origin ?? 'an unreadable URL'}, outside ${apiOrigin}; the github-token is not sent there`);
        }
    });
    return octokit;
}
function originOf(url) {
    try {
        return new URL(url).origin;
    }
    catch {
        return undefined;
    }
}
/** GitHub's status and message, for sentences like "GitHub answered 403: Resource not ...". */
function githubAnswer(error) {
    const status = error.status;
    const response = error.response;
    const message = response?.data?.message;
    if (typeof status !== 'number' || !response) {
        // Octokit reports a network failure as status 500 without a response.
        return { said: `GitHub could not be reached (${causes(error)})` };
    }
    return {
        status,
        said: `GitHub answered ${status}${typeof message === 'string' ? `: ${message}` : ''}`,
    };
}
/**
 * Who the token writes as: the REST `user.id` of its comments and issues. GraphQL `viewer` is
 * the one question every kind of token may ask (GET /user answers 403 for the workflow's
 * GITHUB_TOKEN and for GitHub App installation tokens, whose viewer is the app's bot).
 * Undefined, with a warning, when GitHub does not say.
 */
async function tokenIdentity(octokit, log) {
    try {
        const { viewer } = await octokit.graphql('query { viewer { login databaseId } }');
        if (typeof viewer?.databaseId === 'number' && typeof viewer.login === 'string') {
            return { id: viewer.databaseId, login: viewer.login };
        }
        log.warning('GitHub did not say who the github-token is (GraphQL viewer)');
    }
    catch (error) {
        log.warning(`GitHub did not say who the github-token is (GraphQL viewer: ${githubAnswer(error).said})`);
    }
    return undefined;
}
function causes(error) {
    const messages = [];
    for (let e = error; e instanceof Error && messages.length < 4; e = e.cause) {
        messages.push(e.message);
    }
    return messages.join(': ') || String(error);
}


/***/ }),

/***/ 4742:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  GitHubSecretsTarget: () => (/* binding */ GitHubSecretsTarget)
});

// EXTERNAL MODULE: ./src/config/secret-names.ts
var secret_names = __webpack_require__(9905);
// EXTERNAL MODULE: ./src/secrets/target.ts
var target = __webpack_require__(2676);
// EXTERNAL MODULE: ./src/github/client.ts + 1 modules
var client = __webpack_require__(5284);
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

;// CONCATENATED MODULE: ./src/github/secrets.ts
// Repository, environment and organization secrets through Octokit (at GITHUB_API_URL, so
// GitHub Enterprise Server works too). The public key and the names already there are read
// once per run; each value is sealed and written with the key's id.




/** A Date header as ms, or undefined when absent or unreadable. */
function serverClock(date) {
    const ms = date === undefined ? NaN : Date.parse(date);
    return Number.isNaN(ms) ? undefined : ms;
}
class GitHubSecretsTarget {
    description;
    persistent = true;
    scope;
    octokit;
    key;
    /** secretNameKey -> visibility (organization secrets) of the secrets already there. */
    existing = new Map();
    /** GitHub's Date header of the first listing page (ms). */
    clock;
    constructor(options) {
        this.scope = scopeOf(options);
        this.description = describeScope(this.scope);
        this.octokit = (0,client.githubClient)(options.githubToken, options.githubApiUrl, options.tuning);
    }
    async prepare() {
        const [key, listed] = await Promise.all([
            this.request('read', 'GET', '/public-key').then((data) => data),
            this.listSecrets(),
        ]);
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
        const body = {
            encrypted_value: await sealSecret(value, this.key.key),
            key_id: this.key.key_id,
        };
        if (this.scope.kind === 'organization') {
            // Writing without visibility and repositories would reset them: keep what is there.
            const key = (0,secret_names/* secretNameKey */.Tb)(name);
            const visibility = this.existing.has(key) ? this.existing.get(key) : 'private';
            body.visibility = visibility ?? 'private';
            if (visibility === 'selected') {
                body.selected_repository_ids = await this.selectedRepositories(key);
            }
        }
        await this.request('write', 'PUT', `/${encodeURIComponent(name)}`, body);
        this.existing.set((0,secret_names/* secretNameKey */.Tb)(name), body.visibility);
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
    const { status, said } = (0,client/* githubAnswer */.A)(error);
    const what = `${access} ${describeScope(scope)}`;
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