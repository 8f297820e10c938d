/**
 * Jest: TypeScript through esbuild, syntax only (`jest.transform.cjs`); types are checked once, for the
 * whole project, by `tsc --noEmit` in `npm test`.
 *
 * The kubernetes-models packages are ES modules only: `jest.resolver.js` resolves them with the
 * `import` condition and the same transformer turns their `.js` files into CommonJS (cached after the
 * first run).
 */
/** ES-module-only packages the kubernetes-models validators load; jest transpiles them to CommonJS. */
const ESM_PACKAGES = "kubernetes-models|@kubernetes-models|is-cidr|cidr-regex|ip-regex|ipaddr\\.js|tlds|super-regex|function-timeout|time-span|convert-hrtime|make-asynchronous|p-event|p-timeout|clone-regexp|is-regexp|identifier-regex|reserved-identifiers";

// cdktf 0.21 (final) calls util.isArray, which Node 22 reports once per process (DEP0044); the workers,
// forked with this environment, drop that warning only (the app does the same: environments/node-warnings.ts).
process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, "--disable-warning=DEP0044"].filter(Boolean).join(" ");

module.exports = {
  testEnvironment: "node",
  // Jest's default is one worker fewer than the cores: a single worker on the 2-core machines we test on.
  maxWorkers: "100%",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.[jt]s$": "<rootDir>/jest.transform.cjs",
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES})/)`],
  resolver: "<rootDir>/jest.resolver.js",
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  // One synthesis of the real platform per run, shared by the suites through a temp folder (__tests__/platform.ts).
  globalSetup: "<rootDir>/__tests__/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/global-teardown.ts",
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
