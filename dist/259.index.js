export const id = 259;
export const ids = [259];
export const modules = {

/***/ 3259:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  reportDrift: () => (/* binding */ reportDrift)
});

// UNUSED EXPORTS: DRIFT_LABEL, driftIssueRole

// EXTERNAL MODULE: ./src/text/encoders.ts
var encoders = __webpack_require__(5518);
// EXTERNAL MODULE: ./src/text/phrase.ts
var phrase = __webpack_require__(8878);
// EXTERNAL MODULE: ./src/report/github-body.ts
var github_body = __webpack_require__(3876);
;// CONCATENATED MODULE: ./src/report/drift-issue.ts
// The text of the drift issue: its marker, title, body and closing comment. Opening, updating
// and closing it is src/github/drift-issue.ts.



/** The hidden marker that identifies the drift issue of one config path. */
function driftMarker(configPath) {
    return (0,encoders/* htmlComment */.z5) `mkp-webhooks-sync:drift config=${configPath}`;
}
/** The issue's title: plain text (GitHub shows it as it is), on one line. */
function driftIssueTitle(configPath) {
    return (0,encoders/* visible */.RK)(`MijnKlantportaal webhooks drifted from ${configPath}`);
}
/** The issue body: what drifted, what to do, then the run's report; `runUrl` links the run. */
function driftIssueBody(configPath, report, runUrl) {
    const found = runUrl ? (0,encoders/* markup */.PT) ` Found by ${(0,encoders/* link */.nf)((0,encoders/* markup */.PT) `this run`, runUrl)}.` : (0,encoders/* markup */.PT) ``;
    return (0,github_body/* fitBody */.KM)((0,encoders/* joinMarkdown */.UF)([
        driftMarker(configPath),
        (0,encoders/* markup */.PT) `MijnKlantportaal webhooks no longer match ${(0,phrase/* code */.aY)(configPath)}.${found}`,
        (0,encoders/* markup */.PT) `Webhooks to create are created by the next apply run; unmanaged webhooks must be declared in the file or removed in the manage portal. This issue closes itself when a run finds no drift.`,
        (0,encoders/* markup */.PT) ``,
        report,
    ]));
}
/** The comment the issue closes with when a run finds no drift. */
function driftResolvedComment(configPath, runUrl) {
    const run = runUrl ? (0,encoders/* markup */.PT) ` (${(0,encoders/* link */.nf)((0,encoders/* markup */.PT) `run`, runUrl)})` : (0,encoders/* markup */.PT) ``;
    return (0,encoders/* markup */.PT) `The account matches ${(0,phrase/* code */.aY)(configPath)} again${run}; closing.`;
}

// EXTERNAL MODULE: ./src/github/client.ts + 2 modules
var client = __webpack_require__(2941);
// EXTERNAL MODULE: ./src/github/marker.ts
var github_marker = __webpack_require__(4329);
;// CONCATENATED MODULE: ./src/github/drift-issue.ts



/** Open drift issues carry this label, so finding them reads one short list. */
const DRIFT_LABEL = 'mkp-webhooks-drift';
function driftIssueRole(event, mode) {
    if (event === 'schedule' || event === 'workflow_dispatch')
        return 'open-or-close';
    if (event === 'push' && mode === 'apply')
        return 'close-only';
    return 'none';
}
/**
 * One issue per config path: opened (or updated) when a run finds drift, closed with a comment
 * when a later run leaves none, by the runs whose role allows it. Found by its marker, never by
 * title. A token that cannot manage issues is a warning, never a failure.
 */
async function reportDrift(report) {
    const { octokit, repository, configPath, log } = report;
    const role = driftIssueRole(report.event, report.mode);
    if (role === 'none') {
        log.info(`drift-issue: this is a ${report.event || 'local'} run; the drift issue is opened and closed by schedule and workflow_dispatch runs (and closed by an apply on push)`);
        return;
    }
    const marker = driftMarker(configPath).text();
    try {
        const marked = (await (0,client/* listPosts */.y0)((per_page) => octokit.paginate('GET /repos/{owner}/{repo}/issues', {
            ...repository,
            state: 'open',
            labels: DRIFT_LABEL,
            per_page,
        }))).filter((issue) => !issue.pull_request && (0,github_marker/* markedBy */.o)(issue.body, marker));
        // Anyone can open an issue with the marker and label: only the token's own is managed.
        const self = marked.length > 0 ? await (0,client/* tokenIdentity */.sX)(octokit, log) : undefined;
        const open = marked.find((issue) => self !== undefined && issue.user?.id === self.id);
        if (report.drifted && role === 'close-only') {
            log.info('drift-issue: drift remains; a push run may close the drift issue but not open or update it');
        }
        else if (report.drifted) {
            const body = driftIssueBody(configPath, report.markdown, report.runUrl).text(report.scrub);
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
                    title: report.scrub(driftIssueTitle(configPath)),
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
                body: driftResolvedComment(configPath, report.runUrl).text(report.scrub),
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
        const { status, said } = (0,client/* githubAnswer */.At)(error);
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