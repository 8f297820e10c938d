import { existsSync, readdirSync, rmSync } from "fs";
import { join } from "path";
import { App } from "cdktf";
import { guardrailsFailed, reportGuardrails } from "../modules/shared/guardrails";
import { formatHclFiles } from "../modules/shared/hcl/format";
import { ENVIRONMENTS, buildPlatform } from "./index";
import { EnvironmentConfig } from "./types";
import { ConfigErrors } from "./validate";

/**
 * Where synthesis writes: JSON (`npm run synth`, `cdktf deploy/diff`) and HCL (`npm run synth:hcl`)
 * go to separate folders, so Terraform never reads a `cdk.tf` and a `cdk.tf.json` side by side.
 */
export const OUTPUT_DIRS = { json: "cdktf.out", hcl: "cdktf.out.hcl" } as const;

/** The file cdktf writes per stack in each mode; the other one is stale when found. */
const STACK_FILES = { json: "cdk.tf.json", hcl: "cdk.tf" } as const;

/**
 * Removes, from every stack folder under `outdir`, the file of the other syntax (`cdk.tf` when
 * writing JSON, `cdk.tf.json` when writing HCL): a leftover from a synthesis into the same folder
 * (e.g. through `CDKTF_OUTDIR`) that Terraform would read together with the new file.
 */
export function removeStaleOutput(outdir: string, hcl: boolean): string[] {
  const stacks = join(outdir, "stacks");
  if (!existsSync(stacks)) return [];
  const stale = hcl ? STACK_FILES.json : STACK_FILES.hcl;
  const removed: string[] = [];
  for (const stack of readdirSync(stacks)) {
    const file = join(stacks, stack, stale);
    if (existsSync(file)) {
      rmSync(file);
      removed.push(file);
    }
  }
  return removed;
}

/**
 * Lays out the stacks' HCL (`<outdir>/stacks/<stack>/cdk.tf`) as `terraform fmt` writes it, in place:
 * the step after `synthPlatform` in HCL mode (the formatter is asynchronous, cdktf's synthesis is not).
 */
export async function formatStackHcl(outdir: string): Promise<void> {
  await formatHclFiles(join(outdir, "stacks"));
}

/** The app `npm run synth` / `synth:hcl` / the cdktf CLI run: HCL when `SYNTH_HCL_OUTPUT=true`, in its own folder. */
export function defaultApp(env: NodeJS.ProcessEnv = process.env): App {
  const hclOutput = env.SYNTH_HCL_OUTPUT === "true";
  return new App({ hclOutput, outdir: env.CDKTF_OUTDIR ?? (hclOutput ? OUTPUT_DIRS.hcl : OUTPUT_DIRS.json) });
}

/**
 * Builds and synthesizes the platform. Mistakes (configuration or module validation) of every
 * environment are reported together, each once, as `error: <environment>.<field>: <value> <rule>`,
 * and the exit code is 1; set `AIVO_DEBUG=1` to print the stack trace as well. Then the guardrails
 * report (`reportGuardrails`): every error and warning of the rule pack to `report`, one summary line
 * per stack to `info`. Returns the process exit code.
 */
export function synthPlatform(
  environments: readonly EnvironmentConfig[] = ENVIRONMENTS,
  app: App = defaultApp(),
  report: (line: string) => void = console.error,
  info: (line: string) => void = console.log,
): number {
  try {
    buildPlatform(app, environments);
    removeStaleOutput(app.outdir, app.hclOutput);
    app.synth();
  } catch (error) {
    // Guardrail errors fail app.synth() after every stack is checked; their report follows.
    if (guardrailsFailed(app)) return reportGuardrails(app, report, info);
    const errors = error instanceof ConfigErrors ? error.errors : [error instanceof Error ? error : new Error(String(error))];
    for (const err of errors) {
      report(`error: ${err.message}`);
      if (process.env.AIVO_DEBUG) report(err.stack ?? "");
    }
    return 1;
  }
  return reportGuardrails(app, report, info);
}
