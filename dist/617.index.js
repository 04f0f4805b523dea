export const id = 617;
export const ids = [617,284];
export const modules = {

/***/ 1617:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   readBaseFile: () => (/* binding */ readBaseFile)
/* harmony export */ });
/* unused harmony export repositoryPath */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _config_load_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1866);
/* harmony import */ var _config_types_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2143);
/* harmony import */ var _client_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(5284);
/* harmony import */ var _text_words_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1670);
// The base branch's version of the config file, read at the pull request's base commit through
// the GitHub contents API and checked by the same loader. Whatever goes wrong makes the base
// 'unreadable' (a notice in the report), never a failure of the run.






async function readBaseFile(request) {
    const { event, repository, configPath } = request;
    const ref = event.baseRef ?? event.baseSha?.slice(0, 7) ?? 'the base branch';
    const unreadable = (reason) => ({ state: 'unreadable', ref, reason });
    if (!event.baseSha)
        return unreadable('the event payload names no base commit');
    if (!request.githubToken)
        return unreadable('there is no `github-token` to read it with');
    if (!repository)
        return unreadable('the `repository` input is empty');
    const path = repositoryPath(configPath, request.workspace);
    if (path === undefined) {
        return unreadable(`${configPath} is outside the repository's checkout`);
    }
    const octokit = request.octokit ?? (0,_client_js__WEBPACK_IMPORTED_MODULE_4__.githubClient)(request.githubToken, request.githubApiUrl, request.tuning);
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    let data;
    try {
        ({ data } = await octokit.request(`GET /repos/{owner}/{repo}/contents/${encoded}`, {
            ...repository,
            ref: event.baseSha,
        }));
    }
    catch (error) {
        const { status, said } = (0,_client_js__WEBPACK_IMPORTED_MODULE_4__/* .githubAnswer */ .A)(error);
        const noCommit = /no commit found/i.test(said);
        if (status === 404 && !noCommit && (await repositoryReadable(octokit, repository))) {
            return { state: 'new', ref };
        }
        const why = (status === 403 || status === 404) && !noCommit
            ? ' (the github-token needs `contents: read`)'
            : '';
        return unreadable(`${said}${why}`);
    }
    const answer = data;
    if (Array.isArray(data) || answer.type !== 'file') {
        return unreadable(`${path} is not a file at the base commit`);
    }
    if (typeof answer.size === 'number' && answer.size > _config_load_js__WEBPACK_IMPORTED_MODULE_2__/* .MAX_FILE_BYTES */ .gZ) {
        return unreadable(`${path} is larger than 1 MB at the base commit`);
    }
    if (answer.encoding !== 'base64' || typeof answer.content !== 'string') {
        return unreadable('GitHub sent its content in an unexpected form');
    }
    let text;
    try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(answer.content, 'base64'));
    }
    catch {
        return unreadable(`${path} is not UTF-8 text at the base commit`);
    }
    try {
        return {
            state: 'read',
            ref,
            file: (0,_config_load_js__WEBPACK_IMPORTED_MODULE_2__/* .parseWebhooksFile */ .um)(text, configPath, { env: request.env, tokens: request.tokens }),
        };
    }
    catch (error) {
        if (!(error instanceof _config_types_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigError */ .x))
            throw error;
        const n = error.problems.length;
        return unreadable(`the base branch's file is invalid (${(0,_text_words_js__WEBPACK_IMPORTED_MODULE_5__/* .plural */ .L)(n, 'problem')})`);
    }
}
/**
 * The config file's path from the repository root, with `/`: the nearest folder upward holding
 * `.git` is the root (a checkout into a sub-folder of the workspace has its own), else the
 * workspace. Undefined when the file lies outside it.
 */
function repositoryPath(configPath, workspace) {
    const absolute = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(configPath);
    let root;
    for (let dir = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)(absolute);; dir = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)(dir)) {
        if ((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, '.git'))) {
            root = dir;
            break;
        }
        if ((0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)(dir) === dir)
            break;
    }
    root ??= workspace ? (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(workspace) : process.cwd();
    const path = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.relative)(root, absolute);
    if (path === '' || path.startsWith('..') || (0,node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute)(path))
        return undefined;
    return path.split(node_path__WEBPACK_IMPORTED_MODULE_1__.sep).join('/');
}
/** Tells "no such file at that commit" from "no access": GitHub answers 404 to both. */
async function repositoryReadable(octokit, repository) {
    try {
        await octokit.request('GET /repos/{owner}/{repo}', { ...repository });
        return true;
    }
    catch {
        return false;
    }
}


/***/ }),

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


/***/ })

};

//# sourceMappingURL=617.index.js.map