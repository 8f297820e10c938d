/**
 * Jest resolver for the kubernetes-models packages (kubernetes-models, @kubernetes-models/*): they are
 * ES modules whose package `exports` offer only an `import` condition, which Jest's CommonJS runtime
 * does not ask for. Requests for them, and requests made from inside them, resolve with `import`; the
 * files are then transpiled to CommonJS (see `transform` in jest.config.js). Everything else resolves
 * as usual. At synth time Node loads the same files natively (`tsx --conditions=import`, require(esm)).
 */
const ESM_PACKAGES = ["kubernetes-models", "@kubernetes-models/", "is-cidr", "cidr-regex", "ip-regex"];
const IMPORT_CONDITIONS = ["import", "node", "default"];

module.exports = (request, options) => {
  const esmRequest = ESM_PACKAGES.some((p) => request.startsWith(p));
  const fromEsm = ESM_PACKAGES.some((p) => options.basedir.includes(`/node_modules/${p}`));
  if (esmRequest || fromEsm) {
    return options.defaultResolver(request, { ...options, conditions: IMPORT_CONDITIONS });
  }
  return options.defaultResolver(request, options);
};
