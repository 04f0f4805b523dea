export const id = 840;
export const ids = [840];
export const modules = {

/***/ 9840:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  importAccount: () => (/* binding */ importAccount)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./src/config/schema.ts
var schema = __webpack_require__(131);
// EXTERNAL MODULE: ./src/config/webhook-url.ts
var webhook_url = __webpack_require__(2367);
// EXTERNAL MODULE: ./src/config/wording.ts
var wording = __webpack_require__(6414);
// EXTERNAL MODULE: ./src/events.ts
var src_events = __webpack_require__(5694);
// EXTERNAL MODULE: ./src/matching.ts
var matching = __webpack_require__(5404);
// EXTERNAL MODULE: ./src/plan.ts
var plan = __webpack_require__(2464);
;// CONCATENATED MODULE: ./src/adopt.ts
// Adopting an existing account, as a pure transform: the records already there become entries
// that a valid webhooks.yaml can declare, and their YAML text. Used by the import command and
// by the job summary's snippet for unmanaged records. No secret value is ever part of it.







/** Groups declarable records by URL (exactly as the account holds it) into entries. */
function adopt(records, names = 'auto', takenNames = new Set()) {
    const skipped = [];
    const declarable = [];
    for (const record of records) {
        const reason = undeclarable(record);
        if (reason)
            skipped.push({ record, reason });
        else
            declarable.push(record);
    }
    const declared = new Set();
    const byUrl = new Map();
    for (const record of declarable) {
        const key = (0,matching/* subscriptionKey */.X8)(record.type, record.url);
        if (declared.has(key))
            continue; // the first of a group is declared; the rest stay duplicates
        declared.add(key);
        const events = byUrl.get(record.url) ?? new Set();
        events.add(record.type);
        byUrl.set(record.url, events);
    }
    const used = new Set(takenNames);
    const entries = [...byUrl].map(([url, events]) => {
        const entry = {
            url,
            events: src_events/* EVENT_TYPES */.Ru.filter((event) => events.has(event)),
        };
        if (names !== 'none')
            entry.name = uniqueName(nameFor(url, names), used);
        return entry;
    });
    return { entries, skipped, duplicates: (0,plan/* duplicateGroups */.il)(declarable) };
}
/** Why no valid webhooks.yaml can declare this record, or undefined when one can. */
function undeclarable(record) {
    if (!(0,src_events/* isEventType */.VX)(record.type))
        return `unknown event type ${(0,wording/* quoted */.TL)(record.type)}`;
    // The loader's own URL rules, so that the written file always loads.
    const problem = (0,webhook_url/* webhookUrlProblem */.g)(record.url, 'the URL');
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
    return (name || 'webhook').slice(0, schema/* NAME_MAX_LENGTH */.aC - 3).replace(/-+$/, '');
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
function renderWebhooksFile(entries, secretTemplate, owns = []) {
    const doc = new dist/* Document */.yo({
        version: 1,
        ...(owns.length > 0 ? { owns: [...owns] } : {}),
        webhooks: entryNodes(entries, secretTemplate),
    });
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

// EXTERNAL MODULE: ./src/config/load.ts + 6 modules
var load = __webpack_require__(3919);
// EXTERNAL MODULE: ./src/config/scope.ts
var config_scope = __webpack_require__(6862);
// EXTERNAL MODULE: ./src/config/types.ts
var types = __webpack_require__(2143);
// EXTERNAL MODULE: ./src/url.ts
var url = __webpack_require__(7666);
// EXTERNAL MODULE: ./src/text/words.ts
var words = __webpack_require__(1670);
// EXTERNAL MODULE: ./src/text/phrase.ts
var phrase = __webpack_require__(8878);
// EXTERNAL MODULE: ./src/wording.ts
var src_wording = __webpack_require__(3395);
;// CONCATENATED MODULE: ./src/import.ts
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
            patterns.push({ text: pattern, matcher: (0,config_scope/* compilePattern */.Eb)(pattern), line: 0 });
        }
        catch (error) {
            log.error(`--owns ${error.message}`);
            return 1;
        }
    }
    const listed = await client.listWebhooks();
    const scope = { owns: patterns.length > 0 ? patterns : null, ignore: [] };
    const records = listed.filter((record) => (0,config_scope/* inScope */.SB)(scope, record.type, record.url));
    const adoption = adopt(records, options.names ?? 'auto');
    const text = renderWebhooksFile(adoption.entries, options.secretTemplate, owns);
    // The file must pass the same loader that plan and apply use, or nothing is written.
    try {
        (0,load/* parseWebhooksFile */.um)(text, toStdout ? 'webhooks.yaml' : output, { env: {} });
    }
    catch (error) {
        if (!(error instanceof types/* ConfigError */.x))
            throw error;
        for (const problem of error.problems)
            log.error((0,types/* formatProblem */.V)(problem));
        log.error('the imported file would not be valid (see above); nothing was written. Try --names auto, or a --secret-template with {NAME} and {EVENT}');
        return 1;
    }
    for (const { record, reason } of adoption.skipped) {
        log.warning(`skipped ${record.id} (${record.type} ${(0,url/* redactUrl */.BO)(record.url)}): ${reason}`);
    }
    for (const group of adoption.duplicates) {
        const sentence = (0,phrase/* plainText */.wh)((0,src_wording/* duplicatesSentence */.ke)(group, (0,url/* redactUrl */.BO)(group[0].url)));
        log.warning(`duplicates: ${sentence}; the file declares one of them`);
    }
    const exposed = adoption.entries.filter((entry) => (0,url/* hasHiddenParts */.pb)(entry.url));
    if (exposed.length > 0) {
        log.warning(`${(0,words/* plural */.L)(exposed.length, 'URL')} ${exposed.length === 1 ? 'carries' : 'carry'} user-info or query values, written whole: ${exposed.map((e) => (0,url/* redactUrl */.BO)(e.url)).join(', ')}. The file goes into git; move such values into \${VAR} (read from the environment) to keep them out of it`);
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
        log.info(`${(0,words/* plural */.L)(listed.length - records.length, 'record')} outside --owns left out`);
    }
    log.info(`imported ${(0,words/* plural */.L)(records.length, 'record')} as ${(0,words/* plural */.L)(adoption.entries.length, 'entry', 'entries')} (${(0,words/* plural */.L)(subscriptions, 'subscription')}) into ${toStdout ? 'stdout' : output}; ${adoption.skipped.length} skipped, ${(0,words/* plural */.L)(adoption.duplicates.length, 'duplicate group')}. No secret was written.`);
    return 0;
}
/** What is at `path` itself (a link is not followed); undefined when nothing is. */
async function statsOf(path) {
    try {
        return await (0,promises_.lstat)(path);
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
            const handle = await (0,promises_.open)(path, 'wx');
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
    const temporary = (0,external_node_path_.join)((0,external_node_path_.dirname)(path), `.${(0,external_node_path_.basename)(path)}.${(0,external_node_crypto_.randomBytes)(6).toString('hex')}.tmp`);
    try {
        const handle = await (0,promises_.open)(temporary, 'wx', mode ?? 0o666);
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
        await (0,promises_.rename)(temporary, path);
    }
    catch (error) {
        await (0,promises_.rm)(temporary, { force: true });
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

//# sourceMappingURL=840.index.js.map