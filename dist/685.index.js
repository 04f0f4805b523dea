export const id = 685;
export const ids = [685];
export const modules = {

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


/***/ }),

/***/ 1685:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   postPlanComment: () => (/* binding */ postPlanComment)
/* harmony export */ });
/* harmony import */ var _report_github_body_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3876);
/* harmony import */ var _report_pr_comment_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1914);
/* harmony import */ var _text_encoders_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5518);
/* harmony import */ var _client_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2941);
/* harmony import */ var _marker_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4329);





/**
 * Posts the plan as one comment per config path, or updates the one already there. A token
 * that cannot comment (a fork's pull request) is a warning, never a failure.
 */
async function postPlanComment(comment) {
    const { octokit, repository, pullNumber, log } = comment;
    const marker = (0,_report_pr_comment_js__WEBPACK_IMPORTED_MODULE_1__/* .commentMarker */ .Q)(comment.configPath).text();
    const body = (0,_report_github_body_js__WEBPACK_IMPORTED_MODULE_0__/* .fitBody */ .KM)((0,_text_encoders_js__WEBPACK_IMPORTED_MODULE_2__/* .joinMarkdown */ .UF)([(0,_report_pr_comment_js__WEBPACK_IMPORTED_MODULE_1__/* .commentMarker */ .Q)(comment.configPath), comment.markdown])).text(comment.scrub);
    try {
        const marked = (await (0,_client_js__WEBPACK_IMPORTED_MODULE_3__/* .listPosts */ .y0)((per_page) => octokit.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
            ...repository,
            issue_number: pullNumber,
            per_page,
        }))).filter((c) => (0,_marker_js__WEBPACK_IMPORTED_MODULE_4__/* .markedBy */ .o)(c.body, marker));
        // Anyone can paste the marker into a comment: only the token's own comment is updated.
        const self = marked.length > 0 ? await (0,_client_js__WEBPACK_IMPORTED_MODULE_3__/* .tokenIdentity */ .sX)(octokit, log) : undefined;
        const existing = marked.find((c) => self !== undefined && c.user?.id === self.id);
        if (existing) {
            await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
                ...repository,
                comment_id: existing.id,
                body,
            });
            log.info(`updated the plan comment on pull request #${pullNumber}`);
        }
        else {
            await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
                ...repository,
                issue_number: pullNumber,
                body,
            });
            log.info(`posted the plan comment on pull request #${pullNumber}`);
        }
    }
    catch (error) {
        const { status, said } = (0,_client_js__WEBPACK_IMPORTED_MODULE_3__/* .githubAnswer */ .At)(error);
        const why = status === 403 || status === 404
            ? ': the github-token cannot comment here (pull requests from forks get a read-only token; the workflow needs permissions: pull-requests: write). The plan is in the job summary'
            : '';
        log.warning(`could not post the plan comment on pull request #${pullNumber} (${said})${why}`);
    }
}


/***/ })

};

//# sourceMappingURL=685.index.js.map