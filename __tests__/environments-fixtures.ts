/**
 * The real platform, built and synthesized with `Testing` in the file that imports this
 * (environments.test.ts, which also needs the constructs): each environment's synthesized JSON and
 * document, the bootstrap stack's, and every stack's document for the invariants. Files that only read
 * the Terraform use the run's shared synthesis instead (`platformDocs()`, `__tests__/platform.ts`).
 */
import { Testing } from "cdktf";
import { buildPlatform } from "../environments";
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

