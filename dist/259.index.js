export const id = 259;
export const ids = [259,584];
export const modules = {

/***/ 6584:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   A: () => (/* binding */ githubAnswer),
/* harmony export */   githubClient: () => (/* binding */ githubClient),
/* harmony export */   s: () => (/* binding */ tokenIdentity)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1351);
/* harmony import */ var _actions_github_lib_utils__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5555);
/* harmony import */ var _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9735);
/* harmony import */ var _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6856);
/* harmony import */ var bottleneck_light_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3251);
/* harmony import */ var bottleneck_light_js__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(bottleneck_light_js__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _pace_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3148);






/**
 * 5xx and network failures (a timeout included) are retried by the retry plugin, rate limits
 * (403/429) by the throttling plugin alone, as their retry-after says.
 */
function githubClient(token, apiUrl, tuning) {
    const writeIntervalMs = tuning.githubWriteIntervalMs;
    const retryTwice = (_after, _options, _octokit, retries) => retries < 2;
    // @actions/github's own fetch goes through HTTPS_PROXY / HTTP_PROXY (NO_PROXY honoured) as
    // the runner's settings say, deciding for the GITHUB_API_URL of the moment it was loaded.
    // Passing `request` replaces its defaults as a whole, so that fetch is wrapped, not dropped.
    const proxyAwareFetch = _actions_github_lib_utils__WEBPACK_IMPORTED_MODULE_1__/* .defaults */ .NT.request.fetch;
    const fetchWithTimeout = (input, init) => proxyAwareFetch(input, {
        ...init,
        signal: init?.signal
            ? AbortSignal.any([init.signal, AbortSignal.timeout(tuning.timeoutMs)])
            : AbortSignal.timeout(tuning.timeoutMs),
    });
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(token, {
        // Given, not what @actions/github read when imported: the process may be pointed elsewhere.
        baseUrl: apiUrl,
        request: { fetch: fetchWithTimeout },
        retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
        throttle: {
            onRateLimit: retryTwice,
            onSecondaryRateLimit: retryTwice,
            ...(writeIntervalMs === _pace_js__WEBPACK_IMPORTED_MODULE_3__/* .GITHUB_WRITE_INTERVAL_MS */ .Z
                ? {}
                : {
                    write: new (bottleneck_light_js__WEBPACK_IMPORTED_MODULE_2___default().Group)({ maxConcurrent: 1, minTime: writeIntervalMs }),
                    // Writes that notify people (comments, issues) are paced at 3× that.
                    notifications: new (bottleneck_light_js__WEBPACK_IMPORTED_MODULE_2___default().Group)({
                        maxConcurrent: 1,
                        minTime: 3 * writeIntervalMs,
                    }),
                }),
        },
    }, _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_4__/* .retry */ .L, _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_5__/* .throttling */ .A);
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

/***/ 3259:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  reportDrift: () => (/* binding */ reportDrift)
});

// UNUSED EXPORTS: DRIFT_LABEL

// EXTERNAL MODULE: ./src/report/github-body.ts
var github_body = __webpack_require__(3876);
;// CONCATENATED MODULE: ./src/report/drift-issue.ts
// The text of the drift issue: its marker, title, body and closing comment. Opening, updating
// and closing it is src/github/drift-issue.ts.

/** The hidden marker that identifies the drift issue of one config path. */
function driftMarker(configPath) {
    return `<!-- mkp-webhooks-sync:drift config=${encodeURIComponent(configPath)} -->`;
}
function driftIssueTitle(configPath) {
    return `MijnKlantportaal webhooks drifted from ${configPath}`;
}
/** The issue body: what drifted, what to do, then the run's report; `runUrl` links the run. */
function driftIssueBody(configPath, markdown, runUrl) {
    return (0,github_body/* fitComment */.pI)([
        driftMarker(configPath),
        `MijnKlantportaal webhooks no longer match \`${configPath}\`.${runUrl ? ` Found by [this run](${runUrl}).` : ''}`,
        'Webhooks to create are created by the next apply run; unmanaged webhooks must be declared in the file or removed in the manage portal. This issue closes itself when a run finds no drift.',
        '',
        markdown,
    ].join('\n'));
}
/** The comment the issue closes with when a run finds no drift. */
function driftResolvedComment(configPath, runUrl) {
    return `The account matches \`${configPath}\` again${runUrl ? ` ([run](${runUrl}))` : ''}; closing.`;
}

// EXTERNAL MODULE: ./src/github/client.ts
var client = __webpack_require__(6584);
// EXTERNAL MODULE: ./src/github/marker.ts
var github_marker = __webpack_require__(4329);
;// CONCATENATED MODULE: ./src/github/drift-issue.ts



/** Open drift issues carry this label, so finding them reads one short list. */
const DRIFT_LABEL = 'mkp-webhooks-drift';
/**
 * One issue per config path: opened (or updated) when a run finds drift, closed with a comment
 * when a later run leaves none. Found by its marker, never by title. A token that cannot manage
 * issues is a warning, never a failure.
 */
async function reportDrift(report) {
    const { octokit, repository, configPath, log } = report;
    const marker = driftMarker(configPath);
    try {
        const marked = (await octokit.paginate('GET /repos/{owner}/{repo}/issues', {
            ...repository,
            state: 'open',
            labels: DRIFT_LABEL,
            per_page: 100,
        })).filter((issue) => !issue.pull_request && (0,github_marker/* markedBy */.o)(issue.body, marker));
        // Anyone can open an issue with the marker and label: only the token's own is managed.
        const self = marked.length > 0 ? await (0,client/* tokenIdentity */.s)(octokit, log) : undefined;
        const open = marked.find((issue) => self !== undefined && issue.user?.id === self.id);
        if (report.drifted && report.role === 'close-only') {
            log.info('drift-issue: drift remains; a push run may close the drift issue but not open or update it');
        }
        else if (report.drifted) {
            const body = driftIssueBody(configPath, report.markdown, report.runUrl);
            if (open) {
                await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
                    ...repository,
                    issue_number: open.number,
                    body,
                });
                log.info(`updated drift issue #${open.number}`);
            }
            else {
                const { data } = await octokit.request('POST /repos/{owner}/{repo}/issues', {
                    ...repository,
                    title: driftIssueTitle(configPath),
                    body,
                    labels: [DRIFT_LABEL],
                });
                log.info(`opened drift issue #${data.number}`);
            }
        }
        else if (open) {
            await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
                ...repository,
                issue_number: open.number,
                body: driftResolvedComment(configPath, report.runUrl),
            });
            await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
                ...repository,
                issue_number: open.number,
                state: 'closed',
                state_reason: 'completed',
            });
            log.info(`closed drift issue #${open.number}: no drift found`);
        }
    }
    catch (error) {
        const { status, said } = (0,client/* githubAnswer */.A)(error);
        const why = status === 403 || status === 404
            ? ': the github-token cannot manage issues here (the workflow needs permissions: issues: write)'
            : '';
        log.warning(`could not update the drift issue (${said})${why}`);
    }
}


/***/ }),

/***/ 4329:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   o: () => (/* binding */ markedBy)
/* harmony export */ });
/**
 * Whether a comment or issue body is marked as this action's by `marker` (CONTRACT §4): the
 * marker must be the body's first line (`^marker\r?$`; a body edited on the web comes back with
 * CRLF line ends). A marker anywhere else, such as one quoted from a file into the report of
 * another config, marks nothing. Ownership is checked besides (the token's own identity).
 */
function markedBy(body, marker) {
    if (!body)
        return false;
    const end = body.indexOf('\n');
    const first = end === -1 ? body : body.slice(0, end);
    return (first.endsWith('\r') ? first.slice(0, -1) : first) === marker;
}


/***/ })

};

//# sourceMappingURL=259.index.js.map