/**
 * The real platform, built and synthesized with `Testing` (once per test file that imports this), for
 * environments.test.ts and environments-resources.test.ts: each environment's synthesized JSON and
 * document, the bootstrap stack's, and every stack's document for the invariants.
 */
import { Testing } from "cdktf";
import { ENVIRONMENTS, buildPlatform } from "../environments";
import { parse, TerraformJson } from "./helpers";

export const platform = buildPlatform(Testing.app());
// As app.synth() does: resolve cross-stack references (remote state in the DR stacks, outputs in the primaries).
for (const stack of [...Object.values(platform.environments), ...Object.values(platform.dr)]) stack.prepareStack();
const drDocs: [string, TerraformJson][] = Object.values(platform.dr).map((stack) => [stack.node.id, parse(Testing.synth(stack))]);
export const synthesized: Record<string, string> = Object.fromEntries(
  Object.entries(platform.environments).map(([name, stack]) => [name, Testing.synth(stack)]),
);
export const docs: Record<string, TerraformJson> = Object.fromEntries(
  Object.entries(synthesized).map(([name, json]) => [name, parse(json)]),
);
export const bootstrapJson = Testing.synth(platform.bootstrap);
export const allDocs: [string, TerraformJson][] = [...Object.entries(docs), ["bootstrap", parse(bootstrapJson)], ...drDocs];

/** Every configured environment, as `[name, config]` for titles that name it. */
export const EACH_ENVIRONMENT = ENVIRONMENTS.map((c) => [c.name, c] as const);
