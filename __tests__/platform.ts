/**
 * The real platform (`ENVIRONMENTS`, `ACCOUNT`, `SERVICES`), synthesized once per jest run and read
 * by every suite that only inspects its Terraform JSON.
 *
 * `__tests__/global-setup.ts` makes an empty folder and names it in `AIVO_TEST_PLATFORM_DIR`. The first
 * test file (in any worker) that asks synthesizes the app into it; files asking meanwhile wait for it;
 * later files read the stack files. Run outside that setup (no variable), a file synthesizes for itself.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { TerraformStack, Testing } from "cdktf";
import { ENVIRONMENTS, buildPlatform } from "../environments";
import { stackHcl, synthesizedDocument } from "../environments/platform-stack";
import { TerraformJson, parse } from "./helpers";

/** The variable `__tests__/global-setup.ts` sets to the shared folder. */
export const PLATFORM_DIR_VARIABLE = "AIVO_TEST_PLATFORM_DIR";
const WAIT_LIMIT_MS = 300_000;

/** What `cdktf.out/manifest.json` says of a stack. */
export interface SynthesizedStack {
  readonly name: string;
  /** The stacks this one is deployed after (`addDependency`). */
  readonly dependencies: readonly string[];
}

/** The synthesized platform: each stack's `cdk.tf.json` by stack name, and its manifest entry (manifest order). */
export interface SynthesizedPlatform {
  readonly docs: Readonly<Record<string, TerraformJson>>;
  readonly stacks: readonly SynthesizedStack[];
  /** Each stack's HCL (`platformHcl`). */
  readonly hcl: Readonly<Record<string, string>>;
}

/** The HCL file beside each stack's `cdk.tf.json` in the shared folder (what `npm run synth:hcl` renders, before `terraform fmt`). */
const HCL_FILE = "cdk.tf";

let cached: SynthesizedPlatform | undefined;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Synthesizes the real platform into `outdir` (an app of its own; `Testing.app()` stubs the cdktf
 * version), and writes each stack's HCL beside its JSON, rendered from the same synthesized document
 * as `PlatformStack.toHclTerraform()` renders it for `npm run synth:hcl`.
 */
function synthesizeInto(outdir: string): void {
  const app = Testing.app({ outdir });
  buildPlatform(app);
  app.synth();
  for (const stack of app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack)) {
    const doc = synthesizedDocument(stack);
    if (!doc) throw new Error(`stack ${stack.node.id} is not a PlatformStack: it has no synthesized document to render as HCL`);
    writeFileSync(join(outdir, "stacks", stack.node.id, HCL_FILE), stackHcl(stack, doc));
  }
}

/** Waits for the first asker to finish `dir`, synthesizing it when this caller is the first. */
function ensureSynthesized(dir: string): string {
  const out = join(dir, "out");
  const done = join(dir, "done");
  const failed = join(dir, "failed");
  let owner = false;
  try {
    mkdirSync(join(dir, "lock"));
    owner = true;
  } catch {
    // another file is synthesizing, or has
  }
  if (owner) {
    try {
      synthesizeInto(out);
      writeFileSync(done, "");
    } catch (error) {
      writeFileSync(failed, String((error as Error).stack ?? error));
      throw error;
    }
    return out;
  }
  const start = Date.now();
  while (!existsSync(done)) {
    if (existsSync(failed)) throw new Error(`the shared platform synthesis failed:\n${readFileSync(failed, "utf8")}`);
    if (Date.now() - start > WAIT_LIMIT_MS) throw new Error(`waited ${WAIT_LIMIT_MS / 1000} s for the platform synthesis in ${dir}`);
    sleep(50);
  }
  return out;
}

/** The real platform's synthesized stacks, shared by the whole jest run (read once per test file). */
export function synthesizedPlatform(): SynthesizedPlatform {
  if (cached) return cached;
  const shared = process.env[PLATFORM_DIR_VARIABLE];
  let out: string;
  if (shared) {
    out = ensureSynthesized(shared);
  } else {
    out = join(mkdtempSync(join(tmpdir(), "aivo-platform-")), "out");
    synthesizeInto(out);
  }
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as {
    stacks: Record<string, { name: string; dependencies: string[] }>;
  };
  const stacks = Object.values(manifest.stacks).map((s) => ({ name: s.name, dependencies: s.dependencies }));
  const docs = Object.fromEntries(stacks.map((s) => [s.name, parse(readFileSync(join(out, "stacks", s.name, "cdk.tf.json"), "utf8"))]));
  const hcl = Object.fromEntries(stacks.map((s) => [s.name, readFileSync(join(out, "stacks", s.name, HCL_FILE), "utf8")]));
  if (!shared) rmSync(join(out, ".."), { recursive: true, force: true });
  cached = { docs, stacks, hcl };
  return cached;
}

/** The real platform's HCL by stack name, as `npm run synth:hcl` renders it before `terraform fmt` lays it out. */
export function platformHcl(): Readonly<Record<string, string>> {
  return synthesizedPlatform().hcl;
}

/** The real platform's `cdk.tf.json` documents by stack name (what `synthApp(app)` returns for `buildPlatform(app)`). */
export function platformDocs(): Readonly<Record<string, TerraformJson>> {
  return synthesizedPlatform().docs;
}

/** Every configured environment, as `[name, config]` for titles that name it (`describe.each`). */
export const EACH_ENVIRONMENT = ENVIRONMENTS.map((c) => [c.name, c] as const);
