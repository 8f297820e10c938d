/**
 * The stacks of a synthesized app, read from `cdktf.out/manifest.json` (never a hard-coded list):
 * which changed between two synth outputs, which CI may plan, and in which order.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** One stack of `manifest.json` (the fields this reads). */
export interface ManifestStack {
  readonly name: string;
  readonly dependencies: readonly string[];
  /** Path of `cdk.tf.json`, relative to the output directory. */
  readonly synthesizedStackPath: string;
  readonly workingDirectory: string;
}

export interface Manifest {
  readonly stacks: Readonly<Record<string, ManifestStack>>;
}

/** Reads `<outdir>/manifest.json`; a missing file (e.g. the base predates a stack) reads as no stacks when `optional`. */
export function readManifest(outdir: string, optional = false): Manifest {
  const path = join(outdir, "manifest.json");
  if (!existsSync(path)) {
    if (optional) return { stacks: {} };
    throw new Error(`${path}: not found; run \`npm run synth\` first`);
  }
  const manifest = JSON.parse(readFileSync(path, "utf8")) as Manifest;
  if (typeof manifest.stacks !== "object" || manifest.stacks === null) throw new Error(`${path}: no "stacks" object; is this a cdktf manifest?`);
  return manifest;
}

/** The synthesized JSON of a stack, or `undefined` when the output has no such stack. */
export function stackJson(outdir: string, manifest: Manifest, name: string): string | undefined {
  const stack = manifest.stacks[name];
  if (!stack) return undefined;
  const path = join(outdir, stack.synthesizedStackPath);
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

/**
 * A stack CI can plan: it keeps its state in a remote backend. A stack with local state (`bootstrap`)
 * has no state CI could read and is never planned.
 */
export function hasRemoteState(json: string): boolean {
  const backend = (JSON.parse(json) as { terraform?: { backend?: Record<string, unknown> } }).terraform?.backend ?? {};
  const types = Object.keys(backend);
  return types.length > 0 && !types.includes("local");
}

/**
 * Orders stacks so every stack comes after its dependencies (Kahn's algorithm); stacks that are free at
 * the same time keep `priority`'s order (lower first), then their name. Throws on a cycle.
 */
export function dependencyOrder(manifest: Manifest, priority: (stack: string) => number = () => 0): string[] {
  const names = Object.keys(manifest.stacks);
  const pending = new Map(names.map((n) => [n, new Set(manifest.stacks[n].dependencies.filter((d) => d in manifest.stacks))]));
  const order: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter(([, deps]) => deps.size === 0).map(([n]) => n);
    if (ready.length === 0) throw new Error(`manifest.json: dependency cycle among ${[...pending.keys()].join(", ")}`);
    ready.sort((a, b) => priority(a) - priority(b) || (a < b ? -1 : a > b ? 1 : 0));
    const next = ready[0];
    order.push(next);
    pending.delete(next);
    for (const deps of pending.values()) deps.delete(next);
  }
  return order;
}

/** The result of comparing two synth outputs. */
export interface ChangedStacks {
  /** Stacks whose synthesized JSON differs (or that are new), CI-plannable, in dependency order. */
  readonly changed: readonly string[];
  /** Changed stacks CI does not plan because their state is local (`bootstrap`): an admin plans them. */
  readonly localState: readonly string[];
  /** Stacks of the base that the head no longer has: their resources are not destroyed by CI. */
  readonly removed: readonly string[];
}

/**
 * Compares the synth output of a pull request's base (`baseOut`) and head (`headOut`). `baseOut` may
 * be missing (the base did not synthesize, or predates the app): then every head stack is changed.
 */
export function changedStacks(baseOut: string, headOut: string, priority?: (stack: string) => number): ChangedStacks {
  const base = readManifest(baseOut, true);
  const head = readManifest(headOut);
  const changed: string[] = [];
  const localState: string[] = [];
  for (const name of dependencyOrder(head, priority)) {
    const after = stackJson(headOut, head, name);
    if (after === undefined) throw new Error(`${headOut}: stack "${name}" is in manifest.json but its ${head.stacks[name].synthesizedStackPath} is missing`);
    if (stackJson(baseOut, base, name) === after) continue;
    (hasRemoteState(after) ? changed : localState).push(name);
  }
  const removed = Object.keys(base.stacks).filter((n) => !(n in head.stacks)).sort();
  return { changed, localState, removed };
}
