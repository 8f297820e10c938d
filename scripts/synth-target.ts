/**
 * Synthesizes one target in a fresh process, for `npm run bench`: `floor` (a one-VPC cdktf app, the
 * cost of loading cdktf and the AWS provider bindings), `bootstrap`, an environment name (its stack
 * only), `<env>*` (the environment with its `<env>-addons` and `<env>-workloads` stacks, what
 * `cdktf deploy '<env>*'` synthesizes), `all`, or `all-unguarded` (the same app with the guardrails
 * switched off here, to measure what they cost).
 * Prints one JSON line: { target, resources, peakRssMiB }.
 *
 * Like main.ts, it turns source maps off before loading anything, so both measure the same start-up.
 */
process.setSourceMapsEnabled(false);

/* eslint-disable @typescript-eslint/no-require-imports -- every module is loaded after source maps are turned off, which imports would precede */
if (!process.env.AIVO_DEBUG) (require("../environments/token-traces") as typeof import("../environments/token-traces")).skipTokenTraces();
const { App, TerraformStack } = require("cdktf") as typeof import("cdktf");
const { mkdtempSync, readdirSync, readFileSync, rmSync } = require("fs") as typeof import("fs");
const { tmpdir } = require("os") as typeof import("os");
const { join } = require("path") as typeof import("path");

const target = process.argv[2] ?? "all";
const outdir = mkdtempSync(join(tmpdir(), "aivo-bench-"));
const app = new App({ outdir });

if (target === "floor") {
  const { AwsProvider } = require("@cdktf/provider-aws/lib/provider") as typeof import("@cdktf/provider-aws/lib/provider");
  const { Vpc } = require("@cdktf/provider-aws/lib/vpc") as typeof import("@cdktf/provider-aws/lib/vpc");
  const stack = new TerraformStack(app, "floor");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  new Vpc(stack, "vpc", { cidrBlock: "10.99.0.0/16" });
} else {
  const { ENVIRONMENTS, buildPlatform } = require("../environments") as typeof import("../environments");
  const { ACCOUNT } = require("../environments/account") as typeof import("../environments/account");
  const { BootstrapStack } = require("../environments/bootstrap-stack") as typeof import("../environments/bootstrap-stack");
  const { EnvironmentStack } = require("../environments/environment-stack") as typeof import("../environments/environment-stack");
  const { AddonsStack } = require("../environments/addons-stack") as typeof import("../environments/addons-stack");
  const { WorkloadsStack } = require("../environments/workloads-stack") as typeof import("../environments/workloads-stack");
  const { validateEnvironments } = require("../environments/validate") as typeof import("../environments/validate");
  if (target === "all-unguarded") {
    const { Guardrails } = require("../modules/shared/guardrails") as typeof import("../modules/shared/guardrails");
    Guardrails.applyTo = () => undefined; // bench only: the stacks are built without the guardrails
    buildPlatform(app);
  } else if (target === "all") {
    buildPlatform(app);
  } else if (target === "bootstrap") {
    new BootstrapStack(app, { costCenter: ACCOUNT.costCenter });
  } else {
    const withKubernetes = target.endsWith("*");
    const name = withKubernetes ? target.slice(0, -1) : target;
    const config = ENVIRONMENTS.find((e) => e.name === name);
    if (!config) throw new Error(`unknown bench target "${target}"`);
    validateEnvironments(ENVIRONMENTS);
    const environment = new EnvironmentStack(app, config);
    if (withKubernetes) new WorkloadsStack(app, environment, new AddonsStack(app, environment));
  }
}
app.synth();

let resources = 0;
for (const stack of readdirSync(join(outdir, "stacks"))) {
  const doc = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
  for (const byName of Object.values<Record<string, unknown>>(doc.resource ?? {})) resources += Object.keys(byName).length;
}
rmSync(outdir, { recursive: true, force: true });
console.log(JSON.stringify({ target, resources, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
