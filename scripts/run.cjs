#!/usr/bin/env node
/**
 * Runs a TypeScript entry point of the project (`main.ts` for `npm run synth` and the cdktf CLI,
 * `scripts/synth-target.ts` for the bench) as one esbuild bundle, built once and reused until a source
 * file or the lock file changes:
 *
 *   node scripts/run.cjs main.ts [args…]
 *
 * Why not tsx, as before: with ~150 project files and the kubernetes-models ES modules, tsx spent
 * about 0.6 s of every synthesis resolving, loading and compiling files one by one (its ES-module
 * hooks run in a worker thread, one round trip per module). One bundled file loads in a fraction of
 * that; `npm run bench` measures it. Types are not checked here (tsx didn't either): `npm test` runs
 * `tsc`. cdktf, constructs and the provider bindings are bundled too (see EXTERNAL): the bindings'
 * ~170 files were a third of the remaining start-up. The bundle drops whitespace and comments, and V8's
 * code cache of the last run spares compiling it again (see runBundle).
 *
 * The bundle, its input list and its code cache live in `.cache/run/` (gitignored). `AIVO_DEBUG=1`
 * builds a separate, unminified bundle with inline source maps, so stack traces point at the
 * TypeScript lines (cdktf's own included).
 */
const { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require("fs");
const { dirname, join, relative, resolve } = require("path");

const ROOT = resolve(__dirname, "..");
const CACHE = join(ROOT, ".cache", "run");
/**
 * Packages loaded from node_modules at run time rather than bundled: the ones that load WebAssembly or
 * a binary from beside their own files. cdktf, constructs and the provider bindings are bundled: the
 * bindings alone are ~170 files and 24 MB of source that Node would resolve, read and compile one by one.
 */
const EXTERNAL = ["@cdktf/hcl-tools", "@cdktf/hcl2json", "re2-wasm", "esbuild"];

const [entryArg, ...args] = process.argv.slice(2);
if (!entryArg) {
  console.error("usage: node scripts/run.cjs <entry.ts> [args…]");
  process.exit(2);
}
const entry = resolve(entryArg);
const debug = Boolean(process.env.AIVO_DEBUG);
const name = relative(ROOT, entry).replace(/[/\\]/g, "__").replace(/\.ts$/, "");
const outfile = join(CACHE, `${name}${debug ? ".debug" : ""}.cjs`);
const manifestFile = `${outfile}.inputs.json`;

/** Modification time and size of a file, or null when it is gone. */
function stamp(file) {
  try {
    const s = statSync(file);
    return [s.mtimeMs, s.size];
  } catch {
    return null;
  }
}

/** True when the bundle exists and none of its project inputs (nor the lock file, nor this launcher) changed since it was built. */
function isFresh() {
  if (!existsSync(outfile) || !existsSync(manifestFile)) return false;
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
  if (JSON.stringify(stamp(join(ROOT, "package-lock.json"))) !== JSON.stringify(manifest.lock)) return false;
  // This file's own build options count too.
  if (JSON.stringify(stamp(__filename)) !== JSON.stringify(manifest.launcher)) return false;
  return Object.entries(manifest.inputs).every(([file, was]) => JSON.stringify(stamp(join(ROOT, file))) === JSON.stringify(was));
}

/**
 * A project file's `__dirname`/`__filename` are its own folder and path, as under tsx (the bundle
 * lives elsewhere): files that read data beside them (dashboards, schemas, scripts) keep working.
 */
const keepFileLocations = {
  name: "keep-file-locations",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes("/node_modules/")) return undefined;
      const contents = readFileSync(args.path, "utf8")
        .replace(/\b__dirname\b/g, JSON.stringify(dirname(args.path)))
        .replace(/\b__filename\b/g, JSON.stringify(args.path));
      return { contents, loader: "ts" };
    });
  },
};

async function build() {
  mkdirSync(CACHE, { recursive: true });
  rmSync(`${outfile}.v8`, { force: true });
  // Loaded only when a bundle is (re)built: most runs reuse the cached one.
  const { build: esbuild } = require("esbuild");
  const result = await esbuild({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    // The kubernetes-models packages are ES modules exported for `import` only.
    conditions: ["import"],
    external: EXTERNAL,
    // ajv-formats-draft2019 (the kubernetes-models validators) asks for `punycode`, which names Node's
    // deprecated built-in (DEP0040 on Node 22); the same API from the npm package, which is installed.
    alias: { punycode: "punycode/" },
    sourcemap: debug ? "inline" : false,
    // Less source to read and pre-parse at every run (~5 % of a synthesis); names and syntax are kept,
    // so traces and errors read as before.
    minifyWhitespace: !debug,
    legalComments: "none",
    metafile: true,
    logLevel: "error",
    plugins: [keepFileLocations],
  });
  const inputs = Object.fromEntries(
    Object.keys(result.metafile.inputs)
      .filter((file) => !file.includes("node_modules/"))
      .map((file) => [relative(ROOT, resolve(file)), stamp(resolve(file))]),
  );
  writeFileSync(manifestFile, JSON.stringify({ lock: stamp(join(ROOT, "package-lock.json")), launcher: stamp(__filename), inputs }));
}

async function main() {
  if (!isFresh()) await build();
  // The entry sees the arguments it would see if run directly.
  process.argv = [process.argv[0], entry, ...args];
  runBundle(outfile);
}

/**
 * Loads the bundle as `require(file)` would, with V8's code cache of the last run (`<bundle>.v8`).
 * The cache is written when the process exits, after the synthesis, so it holds the code of every
 * function that ran, not only the top level (Node's own module compile cache stops there, which saved
 * ~1.5 % against ~15 % here). V8 rejects a cache of another bundle, V8 version or flags, and the next
 * exit writes a new one; a rebuild deletes it.
 */
function runBundle(file) {
  const vm = require("vm");
  const Module = require("module");
  const cacheFile = `${file}.v8`;
  const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  const script = new vm.Script(Module.wrap(readFileSync(file, "utf8")), {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  process.once("exit", () => {
    if (cachedData && !script.cachedDataRejected) return;
    try {
      // Another run may write the same file at the same time: each writes its own, then renames.
      const temporary = `${cacheFile}.${process.pid}`;
      writeFileSync(temporary, script.createCachedData());
      renameSync(temporary, cacheFile);
    } catch {
      // Only a cache: the next run compiles again.
    }
  });
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(dirname(file));
  require.cache[file] = mod;
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dirname(file));
  mod.loaded = true;
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
