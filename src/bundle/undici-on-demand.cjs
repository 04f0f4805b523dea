/*
 * Bundle-only stand-in for `undici` (mapped by `paths` in tsconfig.json, which ncc follows;
 * jest and tsc see the real package). @actions/core imports @actions/http-client, which
 * imports undici at its top for proxy support: evaluating undici costs about 30 ms at every
 * start, and only a proxied GitHub call uses it. Each export below loads the real undici
 * (bundled all the same) the first time it is read. These are all the names that the bundled
 * packages import from undici; test/supply-chain.test.ts checks that list.
 */
let undici;
const load = () => (undici ??= require('undici/index.js'));

module.exports = {
  get ProxyAgent() {
    return load().ProxyAgent;
  },
  get fetch() {
    return load().fetch;
  },
};
