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
 * `tsc`. Dependencies that ship their own loading logic (cdktf, the provider bindings, constructs,
 * re2-wasm's WebAssembly) stay external and load from node_modules as usual.
 *
 * The bundle and its input list live in `.cache/run/` (gitignored). `AIVO_DEBUG=1` builds a separate
 * bundle with inline source maps, so stack traces point at the TypeScript lines. (V8's code cache for
 * the bundle was tried: about 5 % less CPU, not worth the extra loader.)
 */
const { build: esbuild } = require("esbuild");
const { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } = require("fs");
const { dirname, join, relative, resolve } = require("path");

const ROOT = resolve(__dirname, "..");
const CACHE = join(ROOT, ".cache", "run");
/** Packages loaded from node_modules at run time rather than bundled. */
const EXTERNAL = ["cdktf", "constructs", "@cdktf/*", "re2-wasm", "esbuild"];

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
  require(outfile);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
