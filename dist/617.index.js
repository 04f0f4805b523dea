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
/* harmony import */ var _text_words_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1670);
// The base branch's version of the config file, read at the pull request's base commit through
// the GitHub contents API and checked by the same loader. Whatever goes wrong makes the base
// 'unreadable' (a notice in the report), never a failure of the run.






/** The contents API sends a file of up to MAX_FILE_BYTES in base64, with line breaks: 4/3 and more. */
const BASE_FILE_ANSWER_BYTES = 2 * _config_load_js__WEBPACK_IMPORTED_MODULE_2__/* .MAX_FILE_BYTES */ .gZ;
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
    const octokit = request.octokit ??
        (0,_client_js__WEBPACK_IMPORTED_MODULE_4__.githubClient)(request.githubToken, request.githubApiUrl, request.tuning, {
            maxAnswerBytes: BASE_FILE_ANSWER_BYTES,
        });
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    let data;
    try {
        ({ data } = await octokit.request(`GET /repos/{owner}/{repo}/contents/${encoded}`, {
            ...repository,
            ref: event.baseSha,
        }));
    }
    catch (error) {
        const { status, said } = (0,_client_js__WEBPACK_IMPORTED_MODULE_4__/* .githubAnswer */ .At)(error);
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


/***/ })

};

//# sourceMappingURL=617.index.js.map