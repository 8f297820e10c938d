/**
 * Jest's transformer: TypeScript, and the kubernetes-models ES modules, to CommonJS with esbuild (the
 * bundler `npm run synth` already uses), one file at a time. Types are checked once, for the whole
 * project, by `tsc --noEmit` in `npm test`; here only syntax is stripped, as ts-jest did in its
 * transpile-only mode, in about a tenth of the time on a cold cache (a clean clone, CI).
 *
 * The compiler options that change emitted code are tsconfig.json's (class fields as ES2022 defines
 * them, as `tsc` and the app's bundle compile them). The source map handed to jest keeps test failures
 * and real errors pointing at the TypeScript lines.
 */
const { createHash } = require("crypto");
const { readFileSync } = require("fs");
const { join } = require("path");
const esbuild = require("esbuild");

const tsconfig = JSON.parse(readFileSync(join(__dirname, "tsconfig.json"), "utf8"));
const { target, useDefineForClassFields, esModuleInterop } = tsconfig.compilerOptions;
const tsconfigRaw = { compilerOptions: { target, useDefineForClassFields, esModuleInterop } };
const self = readFileSync(__filename);

module.exports = {
  process(source, file) {
    const { code, map } = esbuild.transformSync(source, {
      loader: file.endsWith(".ts") ? "ts" : "js",
      format: "cjs",
      platform: "node",
      target: "node20",
      // `await import(x)` becomes a require, as tsc compiles it for CommonJS (jest's VM has no ES-module loader).
      supported: { "dynamic-import": false },
      sourcefile: file,
      sourcemap: "external",
      sourcesContent: false,
      tsconfigRaw,
      logLevel: "silent",
    });
    return { code, map };
  },
  getCacheKey(source, file, { configString }) {
    return createHash("sha256").update(esbuild.version).update(self).update(configString).update(file).update(source).digest("hex");
  },
};
