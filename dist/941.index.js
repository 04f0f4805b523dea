export const id = 941;
export const ids = [941];
export const modules = {

/***/ 2941:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  At: () => (/* binding */ githubAnswer),
  githubClient: () => (/* binding */ githubClient),
  y0: () => (/* binding */ listPosts),
  sX: () => (/* binding */ tokenIdentity)
});

// UNUSED EXPORTS: MAX_ANSWER_BYTES, POSTS_PER_PAGE

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
/** The longest GitHub's rate limits may hold a run, in all (CONTRACT §4). */
const GITHUB_MAX_WAIT_MS = 5 * 60_000;

// EXTERNAL MODULE: ./src/clock.ts
var src_clock = __webpack_require__(9373);
// EXTERNAL MODULE: ./src/http-body.ts
var http_body = __webpack_require__(8028);
// EXTERNAL MODULE: ./src/github/wire.ts
var wire = __webpack_require__(4054);
;// CONCATENATED MODULE: ./src/github/rate-limits.ts

/** Waits one call may make before it fails: GitHub asks to stop after "a specific number". */
const RATE_LIMIT_RETRIES = 2;
/** GitHub: without retry-after or a spent budget, "wait for at least one minute". */
const SECONDARY_FALLBACK_MS = 60_000;
/** Even `retry-after: 0` waits this long: an immediate retry would meet the same refusal. */
const MIN_WAIT_MS = 1_000;
const SECONDARY = /secondary rate limit|abuse detection mechanism/i;
/** The rate limit an Octokit error reports, or undefined when it is not one. */
function rateLimitOf(error, now) {
    const { status, response } = (error ?? {});
    if ((status !== 403 && status !== 429) || !response)
        return undefined;
    const headers = response.headers ?? {};
    const data = response.data;
    const message = typeof data?.message === 'string' ? data.message : '';
    const secondary = SECONDARY.test(message);
    const spent = String(headers['x-ratelimit-remaining'] ?? '').trim() === '0';
    if (!secondary && !spent && status !== 429)
        return undefined;
    const retryAfter = retryAfterMs(headers['retry-after'], now);
    const reset = Number(String(headers['x-ratelimit-reset'] ?? '').trim());
    let until;
    if (retryAfter !== undefined)
        until = now + retryAfter;
    // One second past the reset, so that the next call comes after it.
    else if (spent && /^\d+$/.test(String(headers['x-ratelimit-reset']).trim())) {
        until = reset * 1000 + 1000;
    }
    else
        until = now + SECONDARY_FALLBACK_MS;
    return {
        // A 429 that names neither is taken for a secondary limit: the budget is not spent.
        kind: spent && !secondary ? 'primary' : 'secondary',
        until: Math.max(until, now + MIN_WAIT_MS),
        said: `GitHub answered ${status}${message ? `: ${message.trim().slice(0, 200)}` : ''}`,
    };
}
/** retry-after in whole seconds or as an HTTP date, as ms from now; undefined when absent. */
function retryAfterMs(value, now) {
    const text = typeof value === 'string' ? value.trim() : '';
    if (/^\d+$/.test(text))
        return Number(text) * 1000;
    if (/[a-z]/i.test(text)) {
        const at = Date.parse(text);
        if (!Number.isNaN(at))
            return at - now;
    }
    return undefined;
}
/** A call that GitHub's rate limit keeps from being made or retried; the message says until when. */
class GitHubRateLimited extends wire/* GitHubRefusal */.ke {
    constructor(message) {
        super(message);
        this.name = 'GitHubRateLimited';
    }
}
/**
 * The gate of one client: closed while a rate limit is in force, so that every call waits, not
 * just the one that met it. A limit that ends beyond the bound closes it for good: no call is
 * sent until then, and each fails naming the time.
 */
class RateLimitGate {
    options;
    until = 0;
    refused;
    waited = 0;
    constructor(options) {
        this.options = options;
    }
    /** Resolves when calls may be sent; throws when a limit beyond the bound is in force. */
    async clear() {
        const { clock } = this.options;
        for (let now = clock.now();; now = clock.now()) {
            if (this.refused && this.refused.until > now) {
                throw new GitHubRateLimited(`not sent: GitHub's ${this.refused.kind} rate limit holds until ${clockTime(this.refused.until)}`);
            }
            if (this.until <= now)
                return;
            await clock.sleep(this.until - now);
        }
    }
    /**
     * A call met `limit` after `retries` waits: closes the gate until it ends and logs the wait,
     * or throws when the call may not wait (too many waits, or beyond the bound).
     */
    meet(limit, retries) {
        const { clock, maxWaitMs, onWait } = this.options;
        const now = clock.now();
        const wait = limit.until - now;
        const extension = Math.max(0, limit.until - Math.max(this.until, now));
        if (wait > maxWaitMs || this.waited + extension > maxWaitMs) {
            this.refused = limit;
            throw new GitHubRateLimited(`${limit.said.replace(/\.?$/, '.')} The ${limit.kind} rate limit holds until ${clockTime(limit.until)}, ${duration(wait)} from now: longer than the ${duration(maxWaitMs)} a run waits for GitHub${this.waited > 0 ? ' in all' : ''}; not retried`);
        }
        if (retries >= RATE_LIMIT_RETRIES) {
            throw new GitHubRateLimited(`${limit.said}; still rate limited (${limit.kind}) after ${RATE_LIMIT_RETRIES} waits; not retried`);
        }
        if (extension === 0)
            return;
        this.until = limit.until;
        this.waited += extension;
        onWait(`GitHub asks to wait ${duration(wait)}, until ${clockTime(limit.until)} (${limit.kind} rate limit); GitHub calls pause until then`);
    }
}
/** A time of day as the runner's log reads it: UTC, to the second. */
function clockTime(ms) {
    return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}
function duration(ms) {
    const seconds = Math.ceil(ms / 1000);
    return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

;// CONCATENATED MODULE: ./src/github/client.ts










/**
 * Every GitHub answer is refused unread past 1 MiB (CONTRACT §4): a secret store's are a few kB
 * (a key; 100 names a page), the base file's 1 MiB at most (read raw), a page of comments or
 * issues POSTS_PER_PAGE posts.
 */

/** GitHub's longest comment or issue body, in characters. */
const MAX_POST_CHARS = 65_536;
/** The most bytes a character takes in GitHub's JSON: a control character as `\u001b` (UTF-8: 4). */
const MAX_JSON_BYTES_PER_CHAR = 6;
/** A post's other fields: its author, up to 100 labels, 10 assignees, a milestone, reactions, URLs. */
const MAX_POST_FIELDS_BYTES = 64 * 1024;
/**
 * Comments and issues are listed this many a page (2) when a page of 100 was too large, so that
 * a page of the largest posts GitHub allows, with all their fields, stays within MAX_ANSWER_BYTES.
 */
const POSTS_PER_PAGE = Math.floor(http_body/* MAX_ANSWER_BYTES */.gB / (MAX_POST_CHARS * MAX_JSON_BYTES_PER_CHAR + MAX_POST_FIELDS_BYTES));
/**
 * 5xx and network failures (a timeout included) are retried by the retry plugin; rate limits
 * (403/429) by the rate-limit gate alone, as GitHub says, so a secret write is not multiplied.
 */
function githubClient(token, apiUrl, tuning, options = {}) {
    const writeIntervalMs = tuning.githubWriteIntervalMs ?? GITHUB_WRITE_INTERVAL_MS;
    const clock = options.clock ?? src_clock/* SYSTEM_CLOCK */.V;
    const gate = new RateLimitGate({
        clock,
        maxWaitMs: tuning.githubMaxWaitMs ?? GITHUB_MAX_WAIT_MS,
        onWait: options.onWait ?? (() => undefined),
    });
    // @actions/github's own fetch goes through HTTPS_PROXY / HTTP_PROXY (NO_PROXY honoured) as
    // the runner's settings say, deciding for the GITHUB_API_URL of the moment it was loaded.
    // Passing `request` replaces its defaults as a whole, so that fetch is wrapped, not dropped.
    const proxyAwareFetch = utils/* defaults */.NT.request.fetch;
    const fetch = (0,wire/* guardedFetch */.x2)(proxyAwareFetch, {
        apiUrl,
        timeoutMs: tuning.timeoutMs ?? GITHUB_TIMEOUT_MS,
        maxAnswerBytes: Math.min(options.maxAnswerBytes ?? http_body/* MAX_ANSWER_BYTES */.gB, http_body/* MAX_ANSWER_BYTES */.gB),
    });
    const neverAgain = () => false;
    return (0,github/* getOctokit */.Q)(token, {
        // Given, not what @actions/github read when imported: the process may be pointed elsewhere.
        baseUrl: apiUrl,
        request: { fetch },
        retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
        throttle: {
            // The gate below has waited already; the plugin only paces.
            onRateLimit: neverAgain,
            onSecondaryRateLimit: neverAgain,
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
    }, 
    // First in the list is nearest the wire: the retry plugin retries around the gate.
    rateLimitGuard(gate, clock), dist_bundle/* retry */.L, plugin_throttling_dist_bundle/* throttling */.A);
}
/**
 * Every call waits at the gate while a rate limit is in force; a call that meets one closes it
 * and is tried again when it opens, at most RATE_LIMIT_RETRIES times. A refusal of the wire
 * (a redirect elsewhere, an oversized answer) and a limit not waited out are final. The first
 * write goes alone, as the MijnKlantportaal calls start: a limit (or refusal) it meets holds
 * back the others before they are sent.
 */
function rateLimitGuard(gate, clock) {
    return (octokit) => {
        /** Settles when the first write has GitHub's first answer (or no answer). */
        let firstAnswer;
        octokit.hook.wrap('request', async (request, options) => {
            const write = options.method !== 'GET' && options.method !== 'HEAD';
            let answered;
            if (write && firstAnswer)
                await firstAnswer;
            else if (write)
                firstAnswer = new Promise((resolve) => (answered = resolve));
            for (let retries = 0;; retries++) {
                try {
                    await gate.clear();
                    return await request(options);
                }
                catch (error) {
                    const refusal = refusalIn(error);
                    if (refusal)
                        throw client_final(refusal);
                    const limit = rateLimitOf(error, clock.now());
                    if (!limit)
                        throw error;
                    try {
                        gate.meet(limit, retries);
                    }
                    catch (refused) {
                        throw client_final(refused);
                    }
                }
                finally {
                    // The others go once the gate knows what the first answer said.
                    answered?.();
                }
            }
        });
    };
}
/**
 * A list of comments or issues, in as few calls as usual: 100 a page. A page over
 * MAX_ANSWER_BYTES (a few of GitHub's largest posts) is refused unread, and then the whole list
 * is read again POSTS_PER_PAGE a page, which always fits (CONTRACT §4: 1 MiB at most).
 */
async function listPosts(read) {
    try {
        return await read(100);
    }
    catch (error) {
        if (!(refusalIn(error) instanceof wire/* AnswerTooLarge */.UG))
            throw error;
        return await read(POSTS_PER_PAGE);
    }
}
/** The refusal an error is, or carries as its cause (Octokit wraps what fetch throws). */
function refusalIn(error) {
    if (error instanceof wire/* GitHubRefusal */.ke)
        return error;
    const cause = error?.cause;
    return cause instanceof wire/* GitHubRefusal */.ke ? cause : undefined;
}
/** The retry plugin reads `error.request` of whatever fails; a refusal has no retries left. */
function client_final(refusal) {
    if (!('request' in refusal)) {
        Object.defineProperty(refusal, 'request', { value: { request: { retries: 0 } } });
    }
    return refusal;
}
/**
 * GitHub's status and message, for sentences like "GitHub answered 403: Resource not ...".
 * "Could not be reached" only when no answer came; a refusal of this client says its own why.
 */
function githubAnswer(error) {
    const refusal = refusalIn(error);
    if (refusal)
        return { said: refusal.message };
    const status = error.status;
    const response = error.response;
    if (typeof status === 'number' && response) {
        const message = response.data?.message;
        return {
            status,
            said: `GitHub answered ${status}${typeof message === 'string' ? `: ${message}` : ''}`,
        };
    }
    const chain = errorChain(error);
    const broke = chain.find((e) => e instanceof wire/* AnswerBrokeOff */.PN);
    if (broke)
        return { said: broke.message };
    // Octokit reports a failed fetch as an HttpError (status 500) without a response.
    if (chain.some((e) => ['HttpError', 'AbortError', 'TimeoutError'].includes(e.name))) {
        return { said: `GitHub could not be reached (${(0,wire/* causes */.ps)(error)})` };
    }
    return { said: `GitHub's answer could not be used (${(0,wire/* causes */.ps)(error)})` };
}
function errorChain(error) {
    const chain = [];
    for (let e = error; e instanceof Error && chain.length < 5; e = e.cause)
        chain.push(e);
    return chain;
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


/***/ }),

/***/ 4054:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   PN: () => (/* binding */ AnswerBrokeOff),
/* harmony export */   UG: () => (/* binding */ AnswerTooLarge),
/* harmony export */   ke: () => (/* binding */ GitHubRefusal),
/* harmony export */   ps: () => (/* binding */ causes),
/* harmony export */   x2: () => (/* binding */ guardedFetch)
/* harmony export */ });
/* harmony import */ var _http_body_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8028);
// The fetch under Octokit, for every GitHub call: the same rules as the MijnKlantportaal HTTP
// layer (mkp/http.ts). Nothing goes to an origin other than GITHUB_API_URL's: redirects are
// followed by hand, and only on that origin, so neither the token nor a secret's sealed value
// is sent elsewhere; every attempt has a timeout; an answer past its cap is refused unread.

/**
 * A call that this layer refused, or an answer it would not use: the message says why, for
 * people. Never retried: the same call would meet the same refusal.
 */
class GitHubRefusal extends Error {
    constructor(message) {
        super(message);
        this.name = 'GitHubRefusal';
    }
}
/** An answer past its cap, refused unread (CONTRACT §4): the same call would bring it again. */
class AnswerTooLarge extends GitHubRefusal {
    constructor(message) {
        super(message);
        this.name = 'AnswerTooLarge';
    }
}
/** A connection that broke while the answer was read: GitHub was reached, the answer is lost. */
class AnswerBrokeOff extends Error {
    constructor(cause) {
        super(`GitHub's answer broke off (${causes(cause)})`, { cause });
        this.name = 'AnswerBrokeOff';
    }
}
/** Same-origin redirects followed in one call at most (GitHub's renames need one). */
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** `base` (the proxy-aware fetch of @actions/github) wrapped in the rules above. */
function guardedFetch(base, options) {
    const apiOrigin = originOf(options.apiUrl);
    return async (input, init = {}) => {
        let url = input instanceof Request ? input.url : String(input);
        let method = (init.method ?? 'GET').toUpperCase();
        let body = init.body;
        let headers = new Headers(init.headers);
        const timeout = AbortSignal.timeout(options.timeoutMs);
        const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
        for (let hop = 0;; hop++) {
            const origin = originOf(url);
            if (origin !== apiOrigin || apiOrigin === undefined) {
                const home = apiOrigin ?? 'the origin of GITHUB_API_URL';
                throw new GitHubRefusal(hop === 0
                    ? `GitHub linked to ${origin ?? 'an unreadable URL'}, outside ${home}; the github-token is not sent there`
                    : `GitHub redirected ${method} ${pathOf(url)} to ${origin ?? 'an unreadable URL'}, outside ${home}; not followed: the github-token and the secrets go to ${home} only`);
            }
            const response = await base(url, {
                ...init,
                method,
                body,
                headers,
                signal,
                redirect: 'manual',
            });
            if (!REDIRECTS.has(response.status))
                return capped(response, url, options.maxAnswerBytes, signal);
            await response.body?.cancel().catch(() => undefined);
            const location = response.headers.get('location');
            const next = location === null ? undefined : resolved(location, url);
            if (next === undefined || hop >= MAX_REDIRECTS) {
                throw new GitHubRefusal(next === undefined
                    ? `GitHub answered ${response.status} to ${method} ${pathOf(url)} without a usable Location; not followed`
                    : `GitHub redirected ${method} ${pathOf(url)} more than ${MAX_REDIRECTS} times; not followed further`);
            }
            // As fetch follows them: 303 (and 301/302 after a POST) turn the call into a GET.
            if ((response.status === 303 && method !== 'GET' && method !== 'HEAD') ||
                ((response.status === 301 || response.status === 302) && method === 'POST')) {
                method = 'GET';
                body = undefined;
                headers = new Headers(headers);
                headers.delete('content-type');
            }
            url = next;
        }
    };
}
/**
 * The answer, read whole when it is within `maxBytes` (http-body.ts), under the attempt's
 * timeout: past it, refused unread.
 */
async function capped(response, url, maxBytes, signal) {
    let body;
    try {
        body = await (0,_http_body_js__WEBPACK_IMPORTED_MODULE_0__/* .readCapped */ .EF)(response, maxBytes);
    }
    catch (error) {
        // A timeout while reading is the attempt's timeout, as fetch reports it; anything else broke off.
        if (signal.aborted)
            throw signal.reason;
        throw new AnswerBrokeOff(error);
    }
    if (body === undefined) {
        throw new AnswerTooLarge((0,_http_body_js__WEBPACK_IMPORTED_MODULE_0__/* .overCap */ .N4)('GitHub', response.status, maxBytes, 'check GITHUB_API_URL'));
    }
    const bodiless = [101, 204, 205, 304].includes(response.status);
    const whole = new Response(bodiless ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: [...response.headers],
    });
    // Octokit's paginate reads the URL of a list's answer: the one this answer came from.
    return Object.defineProperty(whole, 'url', { value: response.url || url });
}
function originOf(url) {
    try {
        const { origin } = new URL(url);
        return origin === 'null' ? undefined : origin;
    }
    catch {
        return undefined;
    }
}
function resolved(location, base) {
    try {
        return new URL(location, base).href;
    }
    catch {
        return undefined;
    }
}
/** The path of a URL without its query, for people. */
function pathOf(url) {
    try {
        return new URL(url).pathname;
    }
    catch {
        return 'an unreadable URL';
    }
}
/** An error and its causes as one line (fetch wraps the socket's error in a TypeError). */
function causes(error) {
    const messages = [];
    for (let e = error; e instanceof Error && messages.length < 4; e = e.cause) {
        if (e.message)
            messages.push(e.message);
    }
    return messages.join(': ') || String(error);
}


/***/ })

};

//# sourceMappingURL=941.index.js.map