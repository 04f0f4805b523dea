export const id = 710;
export const ids = [710];
export const modules = {

/***/ 4710:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   importAccount: () => (/* binding */ importAccount)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _adopt_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7797);
/* harmony import */ var _config_load_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3919);
/* harmony import */ var _config_scope_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6862);
/* harmony import */ var _config_types_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(2143);
/* harmony import */ var _url_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(7666);
/* harmony import */ var _text_words_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(1670);
/* harmony import */ var _wording_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(3395);
// `mkp-webhooks-sync import`: lists the account, adopts what is in scope (adopt.ts), checks the
// text with the loader and writes it. The CLI's command; the Action never imports.









/** `mkp-webhooks-sync import`: exit status 0 when a valid file was written. */
async function importAccount(options) {
    const { client, output, log } = options;
    const toStdout = output === '-';
    if (!toStdout && !options.force && (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(output)) {
        log.error(`${output} exists; pass --force to replace it, or --output FILE (- for stdout)`);
        return 1;
    }
    const owns = options.owns ?? [];
    const patterns = [];
    for (const pattern of owns) {
        try {
            patterns.push({ text: pattern, matcher: (0,_config_scope_js__WEBPACK_IMPORTED_MODULE_4__/* .compilePattern */ .Eb)(pattern), line: 0 });
        }
        catch (error) {
            log.error(`--owns ${error.message}`);
            return 1;
        }
    }
    const listed = await client.listWebhooks();
    const scope = { owns: patterns.length > 0 ? patterns : null, ignore: [] };
    const records = listed.filter((record) => (0,_config_scope_js__WEBPACK_IMPORTED_MODULE_4__/* .inScope */ .SB)(scope, record.type, record.url));
    const adoption = (0,_adopt_js__WEBPACK_IMPORTED_MODULE_2__/* .adopt */ .di)(records, options.names ?? 'auto');
    const text = (0,_adopt_js__WEBPACK_IMPORTED_MODULE_2__/* .renderWebhooksFile */ .BW)(adoption.entries, options.secretTemplate, owns);
    // The file must pass the same loader that plan and apply use, or nothing is written.
    try {
        (0,_config_load_js__WEBPACK_IMPORTED_MODULE_3__/* .parseWebhooksFile */ .um)(text, toStdout ? 'webhooks.yaml' : output, { env: {} });
    }
    catch (error) {
        if (!(error instanceof _config_types_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigError */ .x))
            throw error;
        for (const problem of error.problems)
            log.error((0,_config_types_js__WEBPACK_IMPORTED_MODULE_5__/* .formatProblem */ .V)(problem));
        log.error('the imported file would not be valid (see above); nothing was written. Try --names auto, or a --secret-template with {NAME} and {EVENT}');
        return 1;
    }
    for (const { record, reason } of adoption.skipped) {
        log.warning(`skipped ${record.id} (${record.type} ${(0,_url_js__WEBPACK_IMPORTED_MODULE_6__/* .redactUrl */ .BO)(record.url)}): ${reason}`);
    }
    for (const group of adoption.duplicates) {
        const sentence = (0,_wording_js__WEBPACK_IMPORTED_MODULE_7__/* .duplicatesSentence */ .k)(group, (0,_url_js__WEBPACK_IMPORTED_MODULE_6__/* .redactUrl */ .BO)(group[0].url));
        log.warning(`duplicates: ${sentence}; the file declares one of them`);
    }
    const exposed = adoption.entries.filter((entry) => (0,_url_js__WEBPACK_IMPORTED_MODULE_6__/* .hasHiddenParts */ .pb)(entry.url));
    if (exposed.length > 0) {
        log.warning(`${(0,_text_words_js__WEBPACK_IMPORTED_MODULE_8__/* .plural */ .L)(exposed.length, 'URL')} carry user-info or query values, written whole: ${exposed.map((e) => (0,_url_js__WEBPACK_IMPORTED_MODULE_6__/* .redactUrl */ .BO)(e.url)).join(', ')}. The file goes into git; move such values into \${VAR} (read from the environment) to keep them out of it`);
    }
    if (toStdout)
        options.out(text);
    else
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.writeFile)(output, text);
    const subscriptions = adoption.entries.reduce((n, e) => n + e.events.length, 0);
    if (listed.length > records.length) {
        log.info(`${(0,_text_words_js__WEBPACK_IMPORTED_MODULE_8__/* .plural */ .L)(listed.length - records.length, 'record')} outside --owns left out`);
    }
    log.info(`imported ${(0,_text_words_js__WEBPACK_IMPORTED_MODULE_8__/* .plural */ .L)(records.length, 'record')} as ${(0,_text_words_js__WEBPACK_IMPORTED_MODULE_8__/* .plural */ .L)(adoption.entries.length, 'entry', 'entries')} (${(0,_text_words_js__WEBPACK_IMPORTED_MODULE_8__/* .plural */ .L)(subscriptions, 'subscription')}) into ${toStdout ? 'stdout' : output}; ${adoption.skipped.length} skipped, ${(0,_text_words_js__WEBPACK_IMPORTED_MODULE_8__/* .plural */ .L)(adoption.duplicates.length, 'duplicate group')}. No secret was written.`);
    return 0;
}


/***/ })

};

//# sourceMappingURL=710.index.js.map