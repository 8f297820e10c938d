/**
 * The synthesized documents `npm run cost` and `npm run diagram` read: from an existing synth output
 * (`--from cdktf.out`), or synthesized now, in this process, into a temporary folder (offline, seconds).
 */
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import type { TerraformDocument } from "../modules/shared/guardrails";
import { readManifest, stackJson } from "./plan-review/stacks";

/** Every stack of a synth output folder (`cdktf.out`), by name. */
export function documentsIn(outdir: string): Record<string, TerraformDocument> {
  const manifest = readManifest(outdir);
  return Object.fromEntries(Object.keys(manifest.stacks).map((name) => [name, JSON.parse(stackJson(outdir, manifest, name) ?? "{}") as TerraformDocument]));
}

/** Synthesizes the platform into a temporary folder and returns its documents (the folder is removed). */
export function synthesizeDocuments(): Record<string, TerraformDocument> {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded after source maps are turned off, as main.ts does */
  process.setSourceMapsEnabled(Boolean(process.env.AIVO_DEBUG));
  if (!process.env.AIVO_DEBUG) (require("../environments/token-traces") as typeof import("../environments/token-traces")).skipTokenTraces();
  const { App } = require("cdktf") as typeof import("cdktf");
  const { buildPlatform } = require("../environments") as typeof import("../environments");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const outdir = mkdtempSync(join(tmpdir(), "aivo-synth-"));
  try {
    const app = new App({ outdir });
    buildPlatform(app);
    app.synth();
    return documentsIn(outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** `--from <dir>` when given, else a fresh synthesis. */
export function platformDocuments(argv: readonly string[]): Record<string, TerraformDocument> {
  const from = argv.indexOf("--from");
  return from >= 0 && argv[from + 1] ? documentsIn(argv[from + 1]) : synthesizeDocuments();
}
