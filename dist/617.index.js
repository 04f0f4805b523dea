export const id = 617;
export const ids = [617];
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
/* harmony import */ var _client_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2941);
/* harmony import */ var _wire_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4054);
/* harmony import */ var _text_words_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(1670);
// The base branch's version of the config file, read at the pull request's base commit through
// the GitHub contents API (raw: the file's own bytes, so that a file of 1 MiB is an answer of
// 1 MiB, CONTRACT §4's cap) and checked by the same loader. Whatever goes wrong makes the base
// 'unreadable' (a notice in the report), never a failure of the run.







/**
 * GitHub's raw media type: a file's (or a symbolic link's target file's) bytes as they are. A
 * folder, a submodule or a link to anything else is still answered as JSON that describes it.
 */
const RAW = 'application/vnd.github.raw+json';
async function readBaseFile(request) {
    const { event, repository, configPath } = request;
    const ref = event.baseRef ?? event.baseSha?.slice(0, 7) ?? 'the base branch';
    const unreadable = (reason) => ({ state: 'unreadable', ref, reason });
    if (!event.baseSha)
        return unreadable('the event payload names no base commit');
    if (!request.githubToken)
        return unreadable('there is no github-token to read it with');
    if (!repository)
        return unreadable('the repository input is empty');
    const path = repositoryPath(configPath, request.workspace);
    if (path === undefined) {
        return unreadable(`${configPath} is outside the repository's checkout`);
    }
    const octokit = request.octokit ??
        (0,_client_js__WEBPACK_IMPORTED_MODULE_4__.githubClient)(request.githubToken, request.githubApiUrl, request.tuning, {
            onWait: request.onWait,
        });
    const file = await fileAt(octokit, repository, path, event.baseSha);
    if (file === 'new')
        return { state: 'new', ref };
    if ('reason' in file)
        return unreadable(file.reason);
    let text;
    try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(file.bytes);
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
        return unreadable(`the base branch's file is invalid (${(0,_text_words_js__WEBPACK_IMPORTED_MODULE_6__/* .plural */ .L)(n, 'problem')})`);
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
/**
 * The file's bytes at the commit, as the raw media type gives them; 'new' when the repository
 * is readable but the file is not there; else why not.
 */
async function fileAt(octokit, repository, path, sha) {
    const tooLarge = { reason: `${path} is larger than 1 MB at the base commit` };
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    let answer;
    try {
        answer = await octokit.request(`GET /repos/{owner}/{repo}/contents/${encoded}`, {
            ...repository,
            ref: sha,
            headers: { accept: RAW },
            // The bytes as they came: Octokit would decode them as UTF-8, replacing what is not.
            request: { parseSuccessResponseBody: false },
        });
    }
    catch (error) {
        if (refusedAsTooLarge(error))
            return tooLarge;
        const { status, said } = (0,_client_js__WEBPACK_IMPORTED_MODULE_4__/* .githubAnswer */ .At)(error);
        const noCommit = /no commit found/i.test(said);
        if (status === 404 && !noCommit && (await repositoryReadable(octokit, repository))) {
            return 'new';
        }
        const why = (status === 403 || status === 404) && !noCommit
            ? ' (the github-token needs contents: read)'
            : '';
        return { reason: `${said}${why}` };
    }
    // The wire has read it whole (within its cap); a client without it may still break off here.
    const bytes = await bytesOf(answer.data);
    if (bytes === undefined)
        return { reason: "GitHub's answer broke off" };
    // JSON is GitHub describing what is there instead: a folder, a submodule, a link elsewhere.
    if (/^application\/json\b/i.test(String(answer.headers['content-type'] ?? ''))) {
        return describesAFile(bytes)
            ? { reason: 'GitHub sent its content in an unexpected form' }
            : { reason: `${path} is not a file at the base commit` };
    }
    return bytes.length > _config_load_js__WEBPACK_IMPORTED_MODULE_2__/* .MAX_FILE_BYTES */ .gZ ? tooLarge : { bytes };
}
async function bytesOf(body) {
    try {
        return Buffer.from(await new Response(body).arrayBuffer());
    }
    catch {
        return undefined;
    }
}
/** A JSON answer that describes a file (a server that ignored the raw media type). */
function describesAFile(json) {
    try {
        return JSON.parse(json.toString('utf8'))?.type === 'file';
    }
    catch {
        return false;
    }
}
/** The wire refused the answer as over its cap: for the contents API, a file over 1 MiB. */
function refusedAsTooLarge(error) {
    for (let e = error; e instanceof Error; e = e.cause) {
        if (e instanceof _wire_js__WEBPACK_IMPORTED_MODULE_5__/* .AnswerTooLarge */ .UG)
            return true;
    }
    return false;
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


/***/ })

};

//# sourceMappingURL=617.index.js.map