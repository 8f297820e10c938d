/**
 * Synthesizes one target in a fresh process, for `npm run bench`: `floor` (a one-VPC cdktf app, the
 * cost of loading cdktf and the AWS provider bindings), `bootstrap`, an environment name, or `all`.
 * Prints one JSON line: { target, resources, peakRssMiB }.
 */
import { App, TerraformStack } from "cdktf";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { ENVIRONMENTS, buildPlatform } from "../environments";
import { BootstrapStack } from "../environments/bootstrap-stack";
import { EnvironmentStack } from "../environments/environment-stack";
import { validateEnvironments } from "../environments/validate";

const target = process.argv[2] ?? "all";
const outdir = mkdtempSync(join(tmpdir(), "aivo-bench-"));
const app = new App({ outdir });

if (target === "floor") {
  const stack = new TerraformStack(app, "floor");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  new Vpc(stack, "vpc", { cidrBlock: "10.99.0.0/16" });
} else if (target === "all") {
  buildPlatform(app);
} else if (target === "bootstrap") {
  new BootstrapStack(app, { costCenter: ENVIRONMENTS[0].costCenter });
} else {
  const config = ENVIRONMENTS.find((e) => e.name === target);
  if (!config) throw new Error(`unknown bench target "${target}"`);
  validateEnvironments(ENVIRONMENTS);
  new EnvironmentStack(app, config);
}
app.synth();

let resources = 0;
for (const stack of readdirSync(join(outdir, "stacks"))) {
  const doc = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
  for (const byName of Object.values<Record<string, unknown>>(doc.resource ?? {})) resources += Object.keys(byName).length;
}
rmSync(outdir, { recursive: true, force: true });
console.log(JSON.stringify({ target, resources, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
