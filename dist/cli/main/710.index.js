export const id = 710;
export const ids = [710];
export const modules = {

/***/ 4710:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   importAccount: () => (/* binding */ importAccount)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _adopt_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7797);
/* harmony import */ var _config_load_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3919);
/* harmony import */ var _config_scope_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6862);
/* harmony import */ var _config_types_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(2143);
/* harmony import */ var _url_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(7666);
/* harmony import */ var _wording_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(3395);
// `mkp-webhooks-sync import`: lists the account, adopts what is in scope (adopt.ts), checks the
// text with the loader and writes it. The CLI's command; the Action never imports.









/** `mkp-webhooks-sync import`: exit status 0 when a valid file was written. */
async function importAccount(options) {
    const { client, output, log } = options;
    const toStdout = output === '-';
    if (!toStdout) {
        const refusal = outputRefusal(output, await statsOf(output), options.force);
        if (refusal !== undefined) {
            log.error(refusal);
            return 1;
        }
    }
    const owns = options.owns ?? [];
    const patterns = [];
    for (const pattern of owns) {
        try {
            patterns.push({ text: pattern, matcher: (0,_config_scope_js__WEBPACK_IMPORTED_MODULE_5__/* .compilePattern */ .Eb)(pattern), line: 0 });
        }
        catch (error) {
            log.error(`--owns ${error.message}`);
            return 1;
        }
    }
    const listed = await client.listWebhooks();
    const scope = { owns: patterns.length > 0 ? patterns : null, ignore: [] };
    const records = listed.filter((record) => (0,_config_scope_js__WEBPACK_IMPORTED_MODULE_5__/* .inScope */ .SB)(scope, record.type, record.url));
    const adoption = (0,_adopt_js__WEBPACK_IMPORTED_MODULE_3__/* .adopt */ .di)(records, options.names ?? 'auto');
    const text = (0,_adopt_js__WEBPACK_IMPORTED_MODULE_3__/* .renderWebhooksFile */ .BW)(adoption.entries, options.secretTemplate, owns);
    // The file must pass the same loader that plan and apply use, or nothing is written.
    try {
        (0,_config_load_js__WEBPACK_IMPORTED_MODULE_4__/* .parseWebhooksFile */ .um)(text, toStdout ? 'webhooks.yaml' : output, { env: {} });
    }
    catch (error) {
        if (!(error instanceof _config_types_js__WEBPACK_IMPORTED_MODULE_6__/* .ConfigError */ .x))
            throw error;
        for (const problem of error.problems)
            log.error((0,_config_types_js__WEBPACK_IMPORTED_MODULE_6__/* .formatProblem */ .V)(problem));
        log.error('the imported file would not be valid (see above); nothing was written. Try --names auto, or a --secret-template with {NAME} and {EVENT}');
        return 1;
    }
    for (const { record, reason } of adoption.skipped) {
        log.warning(`skipped ${record.id} (${record.type} ${(0,_url_js__WEBPACK_IMPORTED_MODULE_7__/* .redactUrl */ .BO)(record.url)}): ${reason}`);
    }
    for (const group of adoption.duplicates) {
        const sentence = (0,_wording_js__WEBPACK_IMPORTED_MODULE_8__/* .duplicatesSentence */ .ke)(group, (0,_url_js__WEBPACK_IMPORTED_MODULE_7__/* .redactUrl */ .BO)(group[0].url));
        log.warning(`duplicates: ${sentence}; the file declares one of them`);
    }
    const exposed = adoption.entries.filter((entry) => (0,_url_js__WEBPACK_IMPORTED_MODULE_7__/* .hasHiddenParts */ .pb)(entry.url));
    if (exposed.length > 0) {
        log.warning(`${(0,_wording_js__WEBPACK_IMPORTED_MODULE_8__/* .plural */ .LS)(exposed.length, 'URL')} carry user-info or query values, written whole: ${exposed.map((e) => (0,_url_js__WEBPACK_IMPORTED_MODULE_7__/* .redactUrl */ .BO)(e.url)).join(', ')}. The file goes into git; move such values into \${VAR} (read from the environment) to keep them out of it`);
    }
    if (toStdout) {
        options.out(text);
    }
    else {
        const failure = await writeOutput(output, text, options.force, log);
        if (failure !== undefined) {
            log.error(failure);
            return 1;
        }
    }
    const subscriptions = adoption.entries.reduce((n, e) => n + e.events.length, 0);
    if (listed.length > records.length) {
        log.info(`${(0,_wording_js__WEBPACK_IMPORTED_MODULE_8__/* .plural */ .LS)(listed.length - records.length, 'record')} outside --owns left out`);
    }
    log.info(`imported ${(0,_wording_js__WEBPACK_IMPORTED_MODULE_8__/* .plural */ .LS)(records.length, 'record')} as ${(0,_wording_js__WEBPACK_IMPORTED_MODULE_8__/* .plural */ .LS)(adoption.entries.length, 'entry', 'entries')} (${(0,_wording_js__WEBPACK_IMPORTED_MODULE_8__/* .plural */ .LS)(subscriptions, 'subscription')}) into ${toStdout ? 'stdout' : output}; ${adoption.skipped.length} skipped, ${(0,_wording_js__WEBPACK_IMPORTED_MODULE_8__/* .plural */ .LS)(adoption.duplicates.length, 'duplicate group')}. No secret was written.`);
    return 0;
}
/** What is at `path` itself (a link is not followed); undefined when nothing is. */
async function statsOf(path) {
    try {
        return await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.lstat)(path);
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return undefined;
        throw error;
    }
}
/** Why import will not write to `path`; undefined when it will. */
function outputRefusal(path, found, force) {
    if (found === undefined)
        return undefined;
    if (found.isDirectory())
        return `${path} is a directory; pass --output FILE (- for stdout)`;
    if (force)
        return undefined;
    const what = found.isSymbolicLink() ? ' (a symbolic link)' : '';
    return `${path} exists${what}; pass --force to replace it, or --output FILE (- for stdout)`;
}
/**
 * Writes the file without ever writing through a symbolic link (issue 22: a dangling
 * `webhooks.yaml -> ~/.bash_profile` had the account's URLs written into a shell start-up file).
 * Without --force, an exclusive create: anything at the path, a dangling link included, is
 * refused. With --force, a file written beside it is renamed over it: a link is replaced itself
 * (and the log says so), never followed; a regular file keeps its permission bits. Returns why it
 * could not write, or undefined.
 */
async function writeOutput(path, text, force, log) {
    const found = await statsOf(path);
    const refusal = outputRefusal(path, found, force);
    if (refusal !== undefined)
        return refusal;
    if (!force) {
        try {
            const handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(path, 'wx');
            try {
                await handle.writeFile(text);
            }
            finally {
                await handle.close();
            }
            return undefined;
        }
        catch (error) {
            return writeFailure(path, error, force);
        }
    }
    const mode = found?.isFile() ? found.mode & 0o777 : undefined;
    const temporary = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(path), `.${(0,node_path__WEBPACK_IMPORTED_MODULE_2__.basename)(path)}.${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(6).toString('hex')}.tmp`);
    try {
        const handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(temporary, 'wx', mode ?? 0o666);
        try {
            await handle.writeFile(text);
            // The umask may have taken bits the replaced file had.
            if (mode !== undefined)
                await handle.chmod(mode);
            await handle.sync();
        }
        finally {
            await handle.close();
        }
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)(temporary, path);
    }
    catch (error) {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(temporary, { force: true });
        return writeFailure(path, error, force);
    }
    if (found?.isSymbolicLink()) {
        log.warning(`${path} was a symbolic link: replaced the link itself with the file; what it pointed to was not touched`);
    }
    return undefined;
}
function writeFailure(path, error, force) {
    const code = error.code;
    if (code === 'EEXIST' && !force) {
        return `${path} exists; pass --force to replace it, or --output FILE (- for stdout)`;
    }
    if (code === 'EISDIR')
        return `${path} is a directory; pass --output FILE (- for stdout)`;
    const why = code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'ENOENT'
            ? 'its folder does not exist'
            : typeof code === 'string'
                ? code
                : String(error);
    return `cannot write ${path}: ${why}; nothing was written`;
}


/***/ })

};

//# sourceMappingURL=710.index.js.map