// `npm run synth` / `synth:hcl` run this file through scripts/run.cjs (one cached esbuild bundle), as
// does the cdktf CLI (`cdktf deploy/diff`, through cdktf.json): the bootstrap and account stacks and
// the stacks of every environment.
//
// cdktf records a full stack trace for every token it creates (every attribute reference), and tsx or
// an inline source map (AIVO_DEBUG's bundle) turn on Node's source-map stack formatting, which maps
// each of those traces frame by frame: that alone more than doubled construction time. Traces are only worth mapping when debugging, so source
// maps stay off unless AIVO_DEBUG is set — before anything else is loaded, hence the late require.
import { skipTokenTraces } from "./environments/token-traces"; // no dependencies: loading it loads nothing else

process.setSourceMapsEnabled(Boolean(process.env.AIVO_DEBUG));
// Likewise, the trace cdktf captures for every token is only formatted when debugging (environments/token-traces.ts).
if (!process.env.AIVO_DEBUG) skipTokenTraces();

let synth: typeof import("./environments/synth");
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after source maps are set, which an import would precede
  synth = require("./environments/synth") as typeof import("./environments/synth");
} catch (error) {
  // The kubernetes-models packages are ES modules exported for `import` only (see docs/modules.md).
  if ((error as { code?: string }).code === "ERR_PACKAGE_PATH_NOT_EXPORTED") {
    console.error("error: run the app with `node scripts/run.cjs main.ts` (as `npm run synth` and cdktf.json do); the kubernetes-models packages need the import condition, which its bundle applies");
    process.exit(1);
  }
  throw error;
}

const app = synth.defaultApp();
process.exitCode = synth.synthPlatform(undefined, app);
// HCL output (`npm run synth:hcl`) is laid out as `terraform fmt` writes it, after cdktf wrote the files.
if (process.exitCode === 0 && app.hclOutput) {
  synth.formatStackHcl(app.outdir).catch((error: unknown) => {
    console.error(`error: formatting the HCL in ${app.outdir}: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
