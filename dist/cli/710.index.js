export const id = 710;
export const ids = [710];
export const modules = {

/***/ 4710:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   importAccount: () => (/* binding */ importAccount)
/* harmony export */ });
/* unused harmony exports adopt, SCHEMA_URL, renderWebhooksFile, renderEntries */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8815);
/* harmony import */ var _config_load_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3919);
/* harmony import */ var _config_types_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2143);
/* harmony import */ var _config_schema_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(131);
/* harmony import */ var _config_webhook_url_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(2367);
/* harmony import */ var _events_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(5694);
/* harmony import */ var _plan_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(2464);
/* harmony import */ var _url_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(7666);










/** Groups declarable records by URL (exactly as the account holds it) into entries. */
function adopt(records, names = 'auto', takenNames = new Set()) {
    const skipped = [];
    const groups = new Map();
    const byUrl = new Map();
    for (const record of records) {
        const reason = undeclarable(record);
        if (reason) {
            skipped.push({ record, reason });
            continue;
        }
        const key = (0,_plan_js__WEBPACK_IMPORTED_MODULE_8__/* .subscriptionKey */ .X8)(record.type, record.url);
        const group = groups.get(key);
        if (group) {
            group.push(record); // the first of a group is declared; the rest stay duplicates
            continue;
        }
        groups.set(key, [record]);
        const events = byUrl.get(record.url) ?? new Set();
        events.add(record.type);
        byUrl.set(record.url, events);
    }
    const used = new Set(takenNames);
    const entries = [...byUrl].map(([url, events]) => {
        const entry = {
            url,
            events: _events_js__WEBPACK_IMPORTED_MODULE_7__/* .EVENT_TYPES */ .Ru.filter((event) => events.has(event)),
        };
        if (names !== 'none')
            entry.name = uniqueName(nameFor(url, names), used);
        return entry;
    });
    return { entries, skipped, duplicates: [...groups.values()].filter((g) => g.length > 1) };
}
/** Why no valid webhooks.yaml can declare this record, or undefined when one can. */
function undeclarable(record) {
    if (!(0,_events_js__WEBPACK_IMPORTED_MODULE_7__/* .isEventType */ .VX)(record.type))
        return `unknown event type ${record.type}`;
    // The loader's own URL rules, so that the written file always loads.
    const problem = (0,_config_webhook_url_js__WEBPACK_IMPORTED_MODULE_6__/* .webhookUrlProblem */ .g)(record.url, 'the URL');
    if (problem !== undefined)
        return problem;
    if (record.url.includes('${'))
        return 'the URL holds ${, which the file reads as a variable';
    return undefined;
}
/** A name from the URL: host without www. and the public suffix, then the path. */
function nameFor(url, style) {
    const parsed = new URL(url);
    const labels = parsed.hostname.replace(/^www\./, '').split('.');
    const host = (labels.length > 1 ? labels.slice(0, -1) : labels).join('-');
    const path = style === 'auto' ? parsed.pathname : '';
    const name = `${host}-${path}`
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '');
    return (name || 'webhook').slice(0, _config_schema_js__WEBPACK_IMPORTED_MODULE_5__/* .NAME_MAX_LENGTH */ .aC - 3).replace(/-+$/, '');
}
function uniqueName(base, used) {
    let name = base;
    for (let n = 2; used.has(name); n++)
        name = `${base}-${n}`;
    used.add(name);
    return name;
}
/**
 * The schema of the release users run (the v1 tag): a user's repository has no copy of it, and
 * editors fetch it from here.
 */
const SCHEMA_URL = 'https://raw.githubusercontent.com/mkp-webhooks-sync/mkp-webhooks-sync/v1/webhooks.schema.json';
/** webhooks.yaml text for the entries, with the schema comment for editors. */
function renderWebhooksFile(entries, secretTemplate) {
    const doc = new yaml__WEBPACK_IMPORTED_MODULE_2__/* .Document */ .yo({ version: 1, webhooks: entryNodes(entries, secretTemplate) });
    doc.commentBefore = ` yaml-language-server: $schema=${SCHEMA_URL}`;
    flowEvents(doc.get('webhooks'));
    return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
/** Only the list items, to paste under `webhooks:` of an existing file. */
function renderEntries(entries) {
    const doc = new Document(entryNodes(entries));
    flowEvents(doc.contents);
    return doc
        .toString({ lineWidth: 0, flowCollectionPadding: false })
        .replace(/^/gm, '  ')
        .trimEnd();
}
function entryNodes(entries, secretTemplate) {
    return entries.map((entry) => ({
        ...(entry.name ? { name: entry.name } : {}),
        url: entry.url,
        events: entry.events,
        ...(secretTemplate ? { secret: secretTemplate } : {}),
    }));
}
/** `events: [a, b]` on one line, as people write it. */
function flowEvents(list) {
    for (const item of list
        .items) {
        item.get('events', true).flow = true;
    }
}
/** `mkp-webhooks-sync import`: exit status 0 when a valid file was written. */
async function importAccount(options) {
    const { client, output, log } = options;
    const toStdout = output === '-';
    if (!toStdout && !options.force && (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(output)) {
        log.error(`${output} exists; pass --force to replace it, or --output FILE (- for stdout)`);
        return 1;
    }
    const records = await client.listWebhooks();
    const adoption = adopt(records, options.names ?? 'auto');
    const text = renderWebhooksFile(adoption.entries, options.secretTemplate);
    // The file must pass the same loader that plan and apply use, or nothing is written.
    try {
        (0,_config_load_js__WEBPACK_IMPORTED_MODULE_3__/* .parseWebhooksFile */ .um)(text, toStdout ? 'webhooks.yaml' : output, { env: {} });
    }
    catch (error) {
        if (!(error instanceof _config_types_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigError */ .x))
            throw error;
        for (const problem of error.problems)
            log.error((0,_config_types_js__WEBPACK_IMPORTED_MODULE_4__/* .formatProblem */ .V)(problem));
        log.error('the imported file would not be valid (see above); nothing was written. Try --names auto, or a --secret-template with {NAME} and {EVENT}');
        return 1;
    }
    for (const { record, reason } of adoption.skipped) {
        log.warning(`skipped ${record.id} (${record.type} ${(0,_url_js__WEBPACK_IMPORTED_MODULE_9__/* .redactUrl */ .BO)(record.url)}): ${reason}`);
    }
    for (const group of adoption.duplicates) {
        log.warning(`duplicates: ${group.map((r) => r.id).join(', ')} all send ${group[0].type} to ${(0,_url_js__WEBPACK_IMPORTED_MODULE_9__/* .redactUrl */ .BO)(group[0].url)}; a file declares one of them, so remove the extras in the manage portal`);
    }
    const exposed = adoption.entries.filter((entry) => (0,_url_js__WEBPACK_IMPORTED_MODULE_9__/* .hasHiddenParts */ .pb)(entry.url));
    if (exposed.length > 0) {
        log.warning(`${exposed.length} URL(s) carry user-info or query values, written whole: ${exposed.map((e) => (0,_url_js__WEBPACK_IMPORTED_MODULE_9__/* .redactUrl */ .BO)(e.url)).join(', ')}. The file goes into git; move such values into \${VAR} (read from the environment) to keep them out of it`);
    }
    if (toStdout)
        options.out(text);
    else
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.writeFile)(output, text);
    const subscriptions = adoption.entries.reduce((n, e) => n + e.events.length, 0);
    log.info(`imported ${records.length} record(s) as ${adoption.entries.length} entr${adoption.entries.length === 1 ? 'y' : 'ies'} (${subscriptions} subscriptions) into ${toStdout ? 'stdout' : output}; ${adoption.skipped.length} skipped, ${adoption.duplicates.length} duplicate group(s). No secret was written.`);
    return 0;
}


/***/ })

};

//# sourceMappingURL=710.index.js.map