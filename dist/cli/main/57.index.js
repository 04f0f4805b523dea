export const id = 57;
export const ids = [57];
export const modules = {

/***/ 7057:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  SEEDS: () => (/* binding */ SEEDS),
  portProblem: () => (/* binding */ portProblem),
  serveEmulator: () => (/* binding */ serveEmulator)
});

;// CONCATENATED MODULE: ./src/emulator/demo-account.ts
/**
 * The account of `npm run demo`, `npm run emulator` and `mkp-webhooks-sync emulator --seed
 * demo`: one webhook that the example webhooks.yaml declares, and one made by hand in the manage
 * portal that it does not.
 */
const DEMO_ACCOUNT = [
    { type: 'customer-created', url: 'https://hooks.example.com/mkp/crm' },
    { type: 'ticket-created', url: 'https://legacy.example.org/tickets' },
];
/** The value of `${BILLING_HOOK_URL}` in the example file. */
const BILLING_HOOK_URL = 'https://billing.example.com/hooks/mkp?tenant=demo';

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
;// CONCATENATED MODULE: ./src/emulator/mkp.ts


/** The calls `calls` keeps by default: a test makes a few hundred; 10,000 creates are about 3 MB. */
const CALLS_KEPT = 10_000;
/** Hard-coded on purpose (see above); test/mkp-emulator.test.ts checks it against openapi.yaml. */
const EVENT_TYPES = [
    'appointment-created',
    'appointment-canceled',
    'customer-created',
    'customer-deleted',
    'offer-created',
    'offer-deleted',
    'offer-accepted',
    'offer-rejected',
    'invoice-created',
    'invoice-chargeback',
    'invoice-paid',
    'invoice-deleted',
    'payment-link-created',
    'payment-link-expired',
    'payment-link-paid',
    'ticket-created',
    'ticket-reply-customer',
    'ticket-reply-employee',
    'subscription-created',
    'subscription-updated',
    'subscription-deleted',
    'subscription-payment-created',
    'subscription-payment-updated',
];
const LIST_ONLY = new Set([
    'empty-page',
    'foreign-next',
    'loop-next',
    'endless-next',
]);
const DEFAULT_FOREIGN_NEXT = 'https://evil.example.net/v1/webhooks?page=2';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
class MkpEmulator {
    server;
    baseUrl;
    origin;
    token;
    records = [];
    /** The latest calls, oldest first: at most `callsKept` (default CALLS_KEPT). */
    calls = [];
    tokens;
    callsKept;
    pageSize;
    rateLimit;
    trailingComma;
    strictPageParsing;
    /** Bytes of `flood` bodies written so far (what a client that stops reading was spared). */
    floodBytesSent = 0;
    normaliseUrls;
    latencyMs;
    clock;
    faults = [];
    barriers = new Map();
    watchers = new Set();
    /** per token: when each admitted request arrived, oldest first */
    windows = new Map();
    timers = new Set();
    closed = false;
    constructor(server, port, options) {
        this.server = server;
        this.origin = `http://127.0.0.1:${port}`;
        this.baseUrl = `${this.origin}/v1`;
        this.tokens = options.tokens?.length ? [...options.tokens] : ['mkp-test-token'];
        this.token = this.tokens[0];
        this.callsKept = Math.max(1, options.callsKept ?? CALLS_KEPT);
        this.pageSize = options.pageSize ?? 15;
        this.rateLimit = options.rateLimit ?? { limit: 60, windowMs: 60_000 };
        this.trailingComma = options.nextPageTrailingComma ?? false;
        this.strictPageParsing = options.strictPageParsing ?? false;
        this.normaliseUrls = options.normaliseUrls ?? false;
        this.latencyMs = options.latencyMs ?? 0;
        this.clock = options.clock ?? Date.now;
        this.seed(options.seed);
        server.on('request', (req, res) => {
            void this.handle(req, res);
        });
    }
    static async start(options = {}) {
        const server = (0,external_node_http_.createServer)();
        await new Promise((resolve, reject) => {
            server.once('error', reject);
            server.listen(options.port ?? 0, '127.0.0.1', () => {
                server.off('error', reject);
                resolve();
            });
        });
        const { port } = server.address();
        return new MkpEmulator(server, port, options);
    }
    /** Appends records to the account (generating what is missing) and returns them. */
    seed(records) {
        const added = (records ?? []).map((r) => ({
            id: r.id ?? newId(),
            type: r.type,
            url: r.url,
            secret: r.secret ?? newSecret(),
            createdAt: r.createdAt ?? atomNow(),
        }));
        this.records.push(...added);
        return added;
    }
    /**
     * What the manage portal's delete and re-create does (the only way to rotate a secret): the
     * record is replaced by a new one with the same type and URL, a new id, secret and createdAt.
     */
    recreate(id, createdAt) {
        const index = this.records.findIndex((r) => r.id === id);
        if (index === -1)
            throw new Error(`no record ${id}`);
        const { type, url } = this.records[index];
        this.records.splice(index, 1);
        return this.seed([{ type, url, ...(createdAt ? { createdAt } : {}) }])[0];
    }
    inject(...faults) {
        for (const fault of faults) {
            if (LIST_ONLY.has(fault.kind) && fault.on !== 'list') {
                throw new TypeError(`fault '${fault.kind}' applies to 'list' only, not '${fault.on}'`);
            }
            this.faults.push({ fault, skip: fault.after ?? 0, left: fault.times ?? 1 });
        }
    }
    /** How many of the calls kept were `operation` (with `method`, when given). */
    count(operation, method) {
        const wanted = method?.toUpperCase();
        return this.calls.filter((c) => c.operation === operation && (wanted === undefined || c.method === wanted)).length;
    }
    resetCalls() {
        this.calls.length = 0;
    }
    /**
     * Calls `watcher` as each call is received (read and decided: a create is already made) and
     * answered, synchronously, so that a test can act at an exact moment of a client's run (the
     * Nth create received). Returns the function that stops watching.
     */
    onCall(watcher) {
        this.watchers.add(watcher);
        return () => this.watchers.delete(watcher);
    }
    setLatency(ms) {
        this.latencyMs = ms;
    }
    /** Stops listening, drops every open connection and pending delayed answer. */
    async close() {
        if (this.closed)
            return;
        this.closed = true;
        for (const barrier of this.barriers.values())
            barrier.open();
        for (const timer of this.timers)
            clearTimeout(timer);
        this.timers.clear();
        await new Promise((resolve, reject) => {
            this.server.close((err) => (err ? reject(err) : resolve()));
            this.server.closeAllConnections();
        });
    }
    async handle(req, res) {
        let raw;
        try {
            raw = await readBody(req);
        }
        catch {
            return; // the client went away while sending
        }
        const at = this.clock();
        const method = req.method ?? 'GET';
        const path = req.url ?? '/';
        const url = new URL(path, this.origin);
        const route = resolveRoute(method, url.pathname);
        const token = bearerToken(req.headers.authorization);
        const authorized = token !== undefined && this.tokens.includes(token);
        const call = {
            method,
            path,
            operation: route.kind === 'operation' ? route.operation : 'other',
            status: 0,
            authorized,
            at,
        };
        const input = method === 'POST' ? parseInput(raw, req.headers['content-type']) : undefined;
        if (method === 'POST')
            call.body = input?.recorded;
        const outcome = this.decide({
            route,
            method,
            url,
            token: authorized ? token : undefined,
            fields: input?.fields ?? {},
            pageBase: this.pageBase(req.headers.host),
            now: at,
        });
        call.status =
            outcome.kind === 'reset' ? 'reset' : outcome.kind === 'flood' ? 200 : outcome.status;
        this.calls.push(call);
        if (this.calls.length > this.callsKept)
            this.calls.splice(0, this.calls.length - this.callsKept);
        this.notify(call, 'received');
        await outcome.held;
        await this.sleep(this.latencyMs + (outcome.kind === 'reply' ? outcome.delayMs : 0));
        if (this.closed || res.destroyed || req.socket.destroyed)
            return;
        if (outcome.kind === 'reset') {
            req.socket.destroy();
            this.notify(call, 'answered');
            return;
        }
        if (outcome.kind === 'flood') {
            await this.flood(res, outcome.bytes, outcome.declareLength);
            return;
        }
        res.writeHead(outcome.status, {
            ...outcome.headers,
            'content-length': Buffer.byteLength(outcome.body),
        });
        res.end(outcome.body, () => this.notify(call, 'answered'));
    }
    notify(call, moment) {
        for (const watcher of this.watchers)
            watcher(call, moment);
    }
    /** A call of a barrier fault arrived: held until the last of its calls has. */
    arrive(fault) {
        let barrier = this.barriers.get(fault);
        if (!barrier) {
            let open = () => { };
            const opened = new Promise((resolve) => (open = resolve));
            barrier = { arrived: 0, open, opened };
            this.barriers.set(fault, barrier);
        }
        barrier.arrived += 1;
        if (barrier.arrived >= (fault.times ?? 1))
            barrier.open();
        return barrier.opened;
    }
    decide(request) {
        const { route, now } = request;
        // Like Laravel: routing fails before any middleware (auth, throttle) runs.
        if (route.kind === 'not-found')
            return json(404, { message: 'Not found.' });
        if (route.kind === 'method-not-allowed') {
            const message = `The ${request.method} method is not supported for route ${request.url.pathname.slice(1)}. Supported methods: ${route.allow}.`;
            return json(405, { message }, { allow: route.allow });
        }
        if (request.token === undefined)
            return json(401, { message: 'Unauthenticated.' });
        const admission = this.admit(request.token, now);
        if (admission.kind === 'reply')
            return admission;
        const limitHeaders = admission.headers;
        const fault = this.takeFault(route.operation);
        const before = this.faultBefore(fault, limitHeaders, now);
        if (before)
            return before;
        const result = this.perform(route, request.fields, request.url, request.pageBase, fault);
        switch (fault?.kind) {
            case 'error-after':
                return serverError(fault.status ?? 503, limitHeaders, fault.message);
            case 'reset-after':
                return { kind: 'reset' };
            case 'slow':
                return {
                    ...json(result.status, result.body, limitHeaders),
                    delayMs: fault.delayMs ?? 10_000,
                };
            case 'malformed-json': {
                const whole = JSON.stringify(result.body);
                // Any proper prefix of a JSON object is invalid JSON.
                const cut = whole.slice(0, Math.max(1, Math.floor(whole.length / 2)));
                return { ...json(result.status, result.body, limitHeaders), body: cut };
            }
            case 'wrong-content-type':
                return {
                    kind: 'reply',
                    status: result.status,
                    headers: { ...limitHeaders, 'content-type': 'text/plain; charset=utf-8' },
                    body: external_node_http_.STATUS_CODES[result.status] ?? 'OK',
                    delayMs: 0,
                };
            case 'barrier':
                return { ...json(result.status, result.body, limitHeaders), held: this.arrive(fault) };
            default:
                return json(result.status, result.body, limitHeaders);
        }
    }
    /** The answer of a fault that strikes before the operation is done, if it is one of those. */
    faultBefore(fault, limitHeaders, now) {
        switch (fault?.kind) {
            case 'rate-limit':
                return this.tooManyRequests(fault.retryAfter === undefined ? 1 : fault.retryAfter, now);
            case 'flood':
                return {
                    kind: 'flood',
                    bytes: fault.bytes ?? 700 * 1024 * 1024,
                    declareLength: fault.declareLength ?? true,
                };
            case 'error-before':
                return serverError(fault.status ?? 503, limitHeaders, fault.message);
            case 'reset-before':
                return { kind: 'reset' };
            case 'html':
                return htmlGatewayError(fault.status ?? 502);
            default:
                return undefined;
        }
    }
    /** Counts the request in the token's rolling window, or refuses it with a 429. */
    admit(token, now) {
        if (this.rateLimit === false)
            return { kind: 'admitted', headers: {} };
        const { limit, windowMs } = this.rateLimit;
        const window = this.windows.get(token) ?? [];
        this.windows.set(token, window);
        while (window.length > 0 && window[0] <= now - windowMs)
            window.shift();
        if (window.length >= limit) {
            const freeAt = window[0] + windowMs;
            return this.tooManyRequests(Math.max(1, Math.ceil((freeAt - now) / 1000)), now);
        }
        window.push(now);
        return {
            kind: 'admitted',
            headers: {
                'X-RateLimit-Limit': String(limit),
                'X-RateLimit-Remaining': String(limit - window.length),
            },
        };
    }
    tooManyRequests(retryAfter, now) {
        const headers = typeof retryAfter === 'number'
            ? {
                'retry-after': String(retryAfter),
                'x-ratelimit-reset': String(Math.ceil(now / 1000) + retryAfter),
            }
            : retryAfter === null
                ? {}
                : { 'retry-after': retryAfter };
        if (this.rateLimit !== false) {
            headers['X-RateLimit-Limit'] = String(this.rateLimit.limit);
            headers['X-RateLimit-Remaining'] = '0';
        }
        return json(429, { code: 429, message: 'Too many requests.' }, headers);
    }
    /** A body that does not end (a broken proxy, a hostile server); counts what was sent. */
    async flood(res, bytes, declareLength) {
        res.writeHead(200, {
            'content-type': 'application/json',
            ...(declareLength ? { 'content-length': bytes } : {}),
        });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        while (sent < bytes && !res.destroyed && !this.closed) {
            const piece = bytes - sent >= chunk.length ? chunk : chunk.subarray(0, bytes - sent);
            sent += piece.length;
            this.floodBytesSent += piece.length;
            if (!res.write(piece)) {
                await new Promise((resolve) => {
                    res.once('drain', resolve);
                    res.once('close', resolve);
                });
            }
        }
        if (!res.destroyed)
            res.end();
    }
    takeFault(operation) {
        const pending = this.faults.find((p) => p.fault.on === operation);
        if (!pending)
            return undefined;
        if (pending.skip > 0) {
            pending.skip -= 1;
            return undefined;
        }
        pending.left -= 1;
        if (pending.left <= 0)
            this.faults = this.faults.filter((p) => p !== pending);
        return pending.fault;
    }
    perform(route, fields, url, pageBase, fault) {
        switch (route.operation) {
            case 'list':
                return { status: 200, body: this.page(url.searchParams, pageBase, fault) };
            case 'get': {
                const record = this.records.find((r) => r.id === route.id);
                return record
                    ? { status: 200, body: { ...record } }
                    : { status: 404, body: { message: 'Webhook not found.' } };
            }
            case 'create': {
                const message = validateCreate(fields);
                if (message)
                    return { status: 422, body: { message } };
                const sent = fields.url;
                const stored = this.normaliseUrls ? normalisedSpelling(sent) : sent;
                const [record] = this.seed([{ url: stored, type: fields.type }]);
                return { status: 201, body: { ...record } };
            }
        }
    }
    /** Laravel's simple paginator (no totals), URLs absolute like Laravel's url(). */
    page(query, base, fault) {
        const pages = query.getAll('page');
        const asked = pages.length > 0 ? pages[pages.length - 1] : undefined;
        const current = this.strictPageParsing ? laravelPage(asked) : phpPage(asked);
        const endless = fault?.kind === 'endless-next';
        const start = endless ? 0 : (current - 1) * this.pageSize;
        const records = this.records.slice(start, start + this.pageSize);
        const data = fault?.kind === 'empty-page' ? [] : records;
        const hasMore = this.records.length > start + this.pageSize;
        const path = `${base}/v1/webhooks`;
        const pageUrl = (n) => `${path}?page=${n}`;
        let next = hasMore ? pageUrl(current + 1) + (this.trailingComma ? ',' : '') : null;
        if (fault?.kind === 'foreign-next')
            next = fault.url ?? DEFAULT_FOREIGN_NEXT;
        if (fault?.kind === 'loop-next')
            next = pageUrl(1);
        if (endless)
            next = pageUrl(current + 1);
        return {
            ...(endless ? {} : { current_page: current }),
            data: data.map((r) => ({ ...r })),
            first_page_url: pageUrl(1),
            from: data.length > 0 ? start + 1 : null,
            next_page_url: next,
            path,
            per_page: this.pageSize,
            prev_page_url: current > 1 ? pageUrl(current - 1) : null,
            to: data.length > 0 ? start + data.length : null,
        };
    }
    /** Like Laravel, paginator URLs follow the Host the client used (127.0.0.1 or localhost). */
    pageBase(host) {
        return host && /^[A-Za-z0-9.[\]:-]+$/.test(host) ? `http://${host}` : this.origin;
    }
    sleep(ms) {
        if (ms <= 0)
            return Promise.resolve();
        return new Promise((resolve) => {
            const timer = setTimeout(() => {
                this.timers.delete(timer);
                resolve();
            }, ms);
            this.timers.add(timer);
        });
    }
}
const startMkpEmulator = (options) => MkpEmulator.start(options);
function resolveRoute(method, pathname) {
    const verb = method === 'HEAD' ? 'GET' : method;
    if (pathname === '/v1/webhooks') {
        if (verb === 'GET')
            return { kind: 'operation', operation: 'list' };
        if (verb === 'POST')
            return { kind: 'operation', operation: 'create' };
        return { kind: 'method-not-allowed', allow: 'GET, HEAD, POST' };
    }
    const match = /^\/v1\/webhooks\/([^/]+)$/.exec(pathname);
    if (match) {
        if (verb === 'GET') {
            return { kind: 'operation', operation: 'get', id: safeDecode(match[1]) };
        }
        return { kind: 'method-not-allowed', allow: 'GET, HEAD' };
    }
    return { kind: 'not-found' };
}
function safeDecode(segment) {
    try {
        return decodeURIComponent(segment);
    }
    catch {
        return segment;
    }
}
function bearerToken(header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    return match?.[1];
}
/**
 * Reads the posted fields like Laravel: a JSON body when the content type says JSON (invalid
 * JSON counts as no fields), a form body when it is form-encoded, otherwise nothing.
 */
function parseInput(raw, contentType) {
    let recorded = raw === '' ? undefined : raw;
    try {
        recorded = raw === '' ? undefined : JSON.parse(raw);
    }
    catch {
        // keep the raw text in the call record
    }
    const type = (contentType ?? '').toLowerCase();
    let fields = {};
    if (/[/+]json\b/.test(type) && isObject(recorded)) {
        fields = { ...recorded };
    }
    else if (type.startsWith('application/x-www-form-urlencoded')) {
        fields = Object.fromEntries(new URLSearchParams(raw));
    }
    // Laravel's ConvertEmptyStringsToNull: '' is as good as missing.
    for (const [key, value] of Object.entries(fields))
        if (value === '')
            fields[key] = null;
    return { fields, recorded };
}
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** Laravel's validation of {url: required|string|url, type: required|in:...}; first error wins. */
function validateCreate(fields) {
    const errors = [];
    const { url, type } = fields;
    if (url === undefined || url === null)
        errors.push('The url field is required.');
    else if (typeof url !== 'string')
        errors.push('The url field must be a string.');
    else if (!isHttpUrl(url))
        errors.push('The url field must be a valid URL.');
    if (type === undefined || type === null)
        errors.push('The type field is required.');
    else if (typeof type !== 'string' || !EVENT_TYPES.includes(type)) {
        errors.push(`The type field must be one of ${EVENT_TYPES.join(', ')}.`);
    }
    if (errors.length === 0)
        return undefined;
    const more = errors.length - 1;
    return more > 0 ? `${errors[0]} (and ${more} more error${more > 1 ? 's' : ''})` : errors[0];
}
function isHttpUrl(value) {
    if (!/^https?:\/\/[^\s/?#]/i.test(value) || /\s/.test(value))
        return false;
    try {
        return new URL(value).hostname !== '';
    }
    catch {
        return false;
    }
}
/** PHP's intval on the query value; a page below 1 is page 1. */
/** FILTER_VALIDATE_INT: optional blanks and sign, no leading zeros; below 1 is page 1. */
function laravelPage(value) {
    const match = /^[ \t\n\r\v\f]*([+-]?(?:0|[1-9]\d*))[ \t\n\r\v\f]*$/.exec(value ?? '');
    const n = match ? Number(match[1]) : 1;
    return Number.isSafeInteger(n) && n >= 1 ? n : 1;
}
function phpPage(value) {
    const match = /^[ \t\n\r\v\f]*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)/.exec(value ?? '');
    if (!match)
        return 1;
    const n = Math.trunc(Number(match[1]));
    if (Number.isNaN(n) || n < 1)
        return 1;
    return Math.min(n, Number.MAX_SAFE_INTEGER);
}
function json(status, body, headers = {}) {
    return {
        kind: 'reply',
        status,
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        delayMs: 0,
    };
}
function serverError(status, headers, message) {
    return json(status, { message: message ?? external_node_http_.STATUS_CODES[status] ?? 'Server Error' }, headers);
}
/** What a reverse proxy in front of the API answers when the app is gone. */
function htmlGatewayError(status) {
    const title = `${status} ${external_node_http_.STATUS_CODES[status] ?? 'Bad Gateway'}`;
    return {
        kind: 'reply',
        status,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
        delayMs: 0,
    };
}
/** A create's body is under 3 kB; a larger one is dropped unread, as the emulator may run for days. */
const MAX_REQUEST_BYTES = 1024 * 1024;
function readBody(req) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        req.on('data', (chunk) => {
            size += chunk.length;
            if (size > MAX_REQUEST_BYTES) {
                reject(new Error('request body too large'));
                req.destroy();
                return;
            }
            chunks.push(chunk);
        });
        req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        req.on('error', reject);
        req.on('aborted', () => reject(new Error('aborted')));
    });
}
function randomString(alphabet, length) {
    let out = '';
    for (let i = 0; i < length; i += 1)
        out += alphabet[(0,external_node_crypto_.randomInt)(alphabet.length)];
    return out;
}
function newId() {
    return `wbh_${randomString(LOWER_ALNUM, 14)}`;
}
function newSecret() {
    return randomString(ALNUM, 20);
}
/** RFC 3339 / PHP's DATE_ATOM in UTC: 2024-04-29T19:00:00+00:00 */
/** The spelling a normalising API stores (see `normaliseUrls`). */
function normalisedSpelling(url) {
    const parsed = new URL(url);
    const path = parsed.pathname
        .replace(/%7E/gi, '~')
        .toLowerCase()
        .replace(/(.)\/+$/, '$1');
    return `${parsed.protocol}//${parsed.host}${path}${parsed.search}`;
}
function atomNow() {
    return new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

;// CONCATENATED MODULE: ./src/emulator/serve.ts
// `mkp-webhooks-sync emulator` and `npm run emulator`: the MijnKlantportaal emulator on
// 127.0.0.1 until it is told to stop, so that plan, apply and import can be tried without an
// account. The CLI loads this folder only for that command (an on-demand chunk of the bundle).


/** The accounts the emulator can start with: empty, or the demo's two webhooks. */
const SEEDS = { none: [], demo: DEMO_ACCOUNT };
/** Serves until `stop` settles; 0 then, or 1 when it could not listen (said in one sentence). */
async function serveEmulator(options) {
    let emulator;
    try {
        emulator = await MkpEmulator.start({ seed: [...SEEDS[options.seed]], port: options.port });
    }
    catch (error) {
        options.fail(listenFailure(error, options.port, options.portSetting));
        return 1;
    }
    options.out(startedText(emulator, options));
    try {
        await options.stop;
    }
    finally {
        await emulator.close();
    }
    return 0;
}
/** Why `text` is not a port number, in a sentence without a final full stop; undefined when it is. */
function portProblem(text, name) {
    const value = text.trim();
    if (/^\d+$/.test(value) && Number(value) <= 65535)
        return undefined;
    return `${name} must be a port number from 0 to 65535 (0: any free port), not ${JSON.stringify(text)}`;
}
function startedText(emulator, { seed, cli }) {
    const account = seed === 'demo'
        ? `the demo account: ${emulator.records.length} webhooks`
        : 'an empty account (--seed demo starts it with two webhooks)';
    const commands = seed === 'demo'
        ? [
            [`${cli} import --output -`, 'the account as a webhooks.yaml'],
            [`${cli} plan`, 'your webhooks.yaml against it'],
        ]
        : [
            [`${cli} plan`, 'what apply would create from your webhooks.yaml'],
            [`${cli} apply`, 'creates it on the emulator'],
            [`${cli} import --output -`, 'the account as a webhooks.yaml'],
        ];
    const width = Math.max(...commands.map(([command]) => command.length));
    return `MijnKlantportaal emulator on ${emulator.baseUrl}, ${account}.
In another terminal:

  export MKP_API_URL=${emulator.baseUrl} MKP_API_TOKEN=${emulator.token}
${commands.map(([command, what]) => `  ${command.padEnd(width)}   # ${what}`).join('\n')}

Ctrl-C stops it; the account is kept in memory only.
`;
}
/** The listen failure as one sentence without a final full stop. */
function listenFailure(error, port, setting) {
    const code = error?.code;
    if (code === 'EADDRINUSE') {
        return `Port ${port} on 127.0.0.1 is in use: stop what holds it, or pick another with ${setting.set} (${setting.unset} for any free port)`;
    }
    if (code === 'EACCES') {
        return `Port ${port} needs privileges this user lacks: pick a port above 1023 with ${setting.set} (or ${setting.unset})`;
    }
    const message = error instanceof Error ? error.message : String(error);
    return `The emulator could not listen on 127.0.0.1:${port}: ${message.split('\n')[0]}`;
}


/***/ })

};

//# sourceMappingURL=57.index.js.map