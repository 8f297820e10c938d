/**
 * Synthesizes one target in a fresh process, for `npm run bench`. Targets:
 * - `all`: the platform, as `npm run synth` builds it (every stack, validation, guardrails);
 * - `all-unguarded`: the same without the guardrails (what the rule pack costs);
 * - `floor`: a plain cdktf app of the same size: the same stacks (names, providers, S3 backends) each
 *   filled with as many plain resources as the platform's stack has, every one with a handful of
 *   attributes and a reference to the one before (so token resolution is part of the floor too). Its
 *   shape comes from the platform's last `all` run, passed in `BENCH_SHAPE` (JSON: stack → resources,
 *   providers); without it, one stack with one VPC.
 * Prints one JSON line: { target, resources, stacks, peakRssMiB, cpuMs, phases } where `phases` are the
 * milliseconds spent loading the code, building the constructs and synthesizing (all targets), and
 * `cpuMs` the process's CPU time (user + system), steadier than wall time on a busy machine.
 *
 * `npm run bench` runs it the way `npm run synth` runs main.ts (`node scripts/run.cjs`, one bundle),
 * and the floor also the way a plain cdktf app runs (tsx). Like main.ts, it turns source maps off first
 * and skips cdktf's token traces (environments/token-traces.ts), for every target: a plain app does
 * neither, and would be slower, so the floor is the stricter yardstick.
 */
process.setSourceMapsEnabled(false);
const started = performance.now();

/* eslint-disable @typescript-eslint/no-require-imports -- every module is loaded after source maps are turned off, which imports would precede */
if (!process.env.AIVO_DEBUG) (require("../environments/token-traces") as typeof import("../environments/token-traces")).skipTokenTraces();
const { App, S3Backend, TerraformStack } = require("cdktf") as typeof import("cdktf");
const { mkdtempSync, readdirSync, readFileSync, rmSync } = require("fs") as typeof import("fs");
const { tmpdir } = require("os") as typeof import("os");
const { join } = require("path") as typeof import("path");

/** Per stack of the platform: how many resources it has and which providers it configures. */
export type BenchShape = Record<string, { readonly resources: number; readonly providers: readonly string[] }>;

const target = process.argv[2] ?? "all";
const outdir = mkdtempSync(join(tmpdir(), "aivo-bench-"));
const phases: Record<string, number> = {};
let mark = performance.now();
const phase = (name: string) => {
  const now = performance.now();
  phases[name] = Math.round(now - mark);
  mark = now;
};

const app = new App({ outdir });
if (target === "floor") {
  const { AwsProvider } = require("@cdktf/provider-aws/lib/provider") as typeof import("@cdktf/provider-aws/lib/provider");
  const { KubernetesProvider } = require("@cdktf/provider-kubernetes/lib/provider") as typeof import("@cdktf/provider-kubernetes/lib/provider");
  const { HelmProvider } = require("@cdktf/provider-helm/lib/provider") as typeof import("@cdktf/provider-helm/lib/provider");
  const { SsmParameter } = require("@cdktf/provider-aws/lib/ssm-parameter") as typeof import("@cdktf/provider-aws/lib/ssm-parameter");
  const { Vpc } = require("@cdktf/provider-aws/lib/vpc") as typeof import("@cdktf/provider-aws/lib/vpc");
  phase("load");
  const shape: BenchShape = process.env.BENCH_SHAPE ? JSON.parse(process.env.BENCH_SHAPE) : { floor: { resources: 1, providers: ["aws"] } };
  for (const [name, { resources, providers }] of Object.entries(shape)) {
    const stack = new TerraformStack(app, name);
    new S3Backend(stack, { bucket: "aivo-bench-state", key: `bench/${name}.tfstate`, region: "us-east-1", encrypt: true });
    if (providers.includes("aws")) new AwsProvider(stack, "aws", { region: "us-east-1", defaultTags: [{ tags: { Project: "aivo" } }] });
    if (providers.includes("kubernetes")) new KubernetesProvider(stack, "kubernetes", { host: "https://example.invalid" });
    if (providers.includes("helm")) new HelmProvider(stack, "helm", { kubernetes: { host: "https://example.invalid" } });
    const vpc = new Vpc(stack, "vpc", { cidrBlock: "10.99.0.0/16", tags: { Name: `${name}-vpc` } });
    let previous = vpc.arn;
    for (let i = 1; i < resources; i++) {
      const parameter = new SsmParameter(stack, `parameter-${i}`, {
        name: `/bench/${name}/${i}`,
        type: "String",
        value: previous,
        description: `plain resource ${i} of ${name}, after ${vpc.id}`,
        tier: "Standard",
        tags: { Index: `${i}`, Stack: name },
      });
      previous = parameter.arn;
    }
  }
} else {
  const { buildPlatform } = require("../environments") as typeof import("../environments");
  phase("load");
  if (target === "all-unguarded") {
    const { Guardrails } = require("../modules/shared/guardrails") as typeof import("../modules/shared/guardrails");
    Guardrails.applyTo = () => undefined; // bench only: the stacks are built without the guardrails
  } else if (target !== "all") {
    throw new Error(`unknown bench target "${target}": use all, all-unguarded or floor`);
  }
  buildPlatform(app);
}
phase("construct");
app.synth();
phase("synth");

let resources = 0;
const shape: BenchShape = {};
for (const stack of readdirSync(join(outdir, "stacks"))) {
  const doc = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
  const count = Object.values<Record<string, unknown>>(doc.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
  resources += count;
  shape[stack] = { resources: count, providers: Object.keys(doc.provider ?? {}) };
}
rmSync(outdir, { recursive: true, force: true });
phases.total = Math.round(performance.now() - started);
const usage = process.resourceUsage();
const cpuMs = Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000);
console.log(JSON.stringify({ target, resources, stacks: Object.keys(shape).length, peakRssMiB: usage.maxRSS / 1024, cpuMs, phases, shape }));
