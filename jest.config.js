/**
 * Jest: TypeScript through ts-jest in transpile-only mode (`isolatedModules`); types are checked
 * once, for the whole project, by `tsc --noEmit` in `npm test`.
 */
/** ES-module-only packages the kubernetes-models validators load; jest transpiles them to CommonJS. */
const ESM_PACKAGES = "kubernetes-models|@kubernetes-models|is-cidr|cidr-regex|ip-regex|ipaddr\\.js|tlds|super-regex|function-timeout|time-span|convert-hrtime|make-asynchronous|p-event|p-timeout|clone-regexp|is-regexp|identifier-regex|reserved-identifiers";

module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { isolatedModules: true, diagnostics: false }],
    // kubernetes-models ships ES modules only: transpile them to CommonJS for jest.
    [`^.+/node_modules/(${ESM_PACKAGES})/.+\\.js$`]: [
      "ts-jest",
      { isolatedModules: true, diagnostics: false, tsconfig: { allowJs: true, module: "commonjs", target: "ES2022" } },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES})/)`],
  // …and resolve their import-only package exports to the files.
  moduleNameMapper: {
    "^kubernetes-models/(.+?)(\\.js)?$": "<rootDir>/node_modules/kubernetes-models/$1.js",
    "^@kubernetes-models/(base|validate)$": "<rootDir>/node_modules/@kubernetes-models/$1/dist/index.js",
    "^@kubernetes-models/validate/(.+?)(\\.js)?$": "<rootDir>/node_modules/@kubernetes-models/validate/dist/$1.js",
    "^@kubernetes-models/apimachinery/(.+?)(\\.js)?$": "<rootDir>/node_modules/@kubernetes-models/apimachinery/$1.js",
  },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
