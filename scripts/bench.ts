/**
 * `npm run bench`: how much the platform's synthesis costs beyond cdktf itself. Every run is a fresh
 * process. Targets (see synth-target.ts):
 * - `all`: the platform, started the way `npm run synth` starts main.ts (`node scripts/run.cjs`);
 * - `all-unguarded`: the same without the guardrails (what the rule pack costs);
 * - `floor`: a plain cdktf app of the same size (the same stacks, providers and backends, each with as
 *   many plain resources as the platform's stack), run with tsx as a plain cdktf app is run (it loads
 *   no kubernetes-models ES module, so it needs no `--conditions=import`, which under Node 22 also
 *   breaks cdktf's own `require` of its package.json);
 * - `floor-bundled`: the same floor started like `all` (so the launcher's gain is not counted twice).
 * Runs alternate, so every target sees the same machine load. It reports wall and CPU time medians;
 * the budget (1.5×) is all / floor in wall time: the platform as `npm run synth` runs it against a
 * plain cdktf app of the same size as such an app is run. all / floor-bundled is printed beside it:
 * what the platform's own code (validation, schema-checked Kubernetes objects, guardrails, richer
 * resources) costs when both load the same way.
 *
 *   npm run bench                     # 5 runs per target (3 were too few on a shared 2-core machine)
 *   BENCH_RUNS=9 npm run bench
 *   BENCH_BUDGET=1.5 npm run bench    # exit 1 when all / floor (wall) is over the budget
 */
import { execFileSync } from "child_process";
import { readFileSync } from "fs";
import { cpus, loadavg } from "os";
import { join } from "path";
import type { BenchShape } from "./synth-target";

const runs = Number(process.env.BENCH_RUNS ?? 5);
const budget = Number(process.env.BENCH_BUDGET ?? 1.5);
const root = join(__dirname, "..");
const script = join(__dirname, "synth-target.ts");
const launchers = {
  bundled: [process.execPath, join(__dirname, "run.cjs")],
  tsx: [join(root, "node_modules", ".bin", "tsx")],
};

interface Sample {
  wallMs: number;
  cpuMs: number;
  peakRssMiB: number;
  resources: number;
  stacks: number;
  phases: Record<string, number>;
  shape: BenchShape;
}

function sample(target: string, launcher: keyof typeof launchers, shape?: BenchShape): Sample {
  const [command, ...pre] = launchers[launcher];
  const start = process.hrtime.bigint();
  const env = { ...process.env, CHECKPOINT_DISABLE: "1", ...(shape ? { BENCH_SHAPE: JSON.stringify(shape) } : {}) };
  const out = execFileSync(command, [...pre, script, target], { encoding: "utf8", env, cwd: root });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  return { wallMs, ...JSON.parse(out.trim().split("\n").pop()!) };
}

// The budget is measured on the Node the project supports (package.json engines: ≥ 22.13); an older one still runs.
const [major, minor] = process.versions.node.split(".").map(Number);
const supportedNode = major > 22 || (major === 22 && minor >= 13);
const engines = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const shape = sample("all", "bundled").shape; // warm-up (builds the bundle if stale) and the floor's shape
sample("floor", "bundled", shape);
const plan: [label: string, target: string, launcher: keyof typeof launchers][] = [
  ["all", "all", "bundled"],
  ["all-unguarded", "all-unguarded", "bundled"],
  ["floor-bundled", "floor", "bundled"],
  ["floor", "floor", "tsx"],
];
const samples: Record<string, Sample[]> = Object.fromEntries(plan.map(([label]) => [label, []]));
for (let i = 0; i < runs; i++) {
  for (const [label, target, launcher] of plan) samples[label].push(sample(target, launcher, target === "floor" ? shape : undefined));
}

const rows = plan.map(([label]) => {
  const list = samples[label];
  return {
    label,
    stacks: list[0].stacks,
    resources: list[0].resources,
    wallMs: median(list.map((s) => s.wallMs)),
    cpuMs: median(list.map((s) => s.cpuMs)),
    phases: Object.fromEntries(Object.keys(list[0].phases).map((k) => [k, median(list.map((s) => s.phases[k]))])),
    peakRssMiB: Math.max(...list.map((s) => s.peakRssMiB)),
  };
});
const row = (label: string) => rows.find((r) => r.label === label)!;
console.log(`synth: ${runs} fresh-process runs per target, alternating; node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}, ${new Date().toISOString()}\n`);
if (!supportedNode) console.log(`note: node ${process.version} is older than package.json's engines (${engines}): the figures are not the supported runtime's\n`);
console.log("| target | stacks | resources | median wall | median CPU | load / construct / synth (ms) | wall vs floor | peak RSS |");
console.log("|---|---:|---:|---:|---:|---|---:|---:|");
for (const r of rows) {
  console.log(
    `| ${r.label} | ${r.stacks} | ${r.resources} | ${r.wallMs.toFixed(0)} ms | ${r.cpuMs} ms | ` +
      `${r.phases.load} / ${r.phases.construct} / ${r.phases.synth} | ${(r.wallMs / row("floor").wallMs).toFixed(2)}× | ${r.peakRssMiB.toFixed(0)} MiB |`,
  );
}
const ratio = row("all").wallMs / row("floor").wallMs;
const ownCode = row("all").wallMs / row("floor-bundled").wallMs;
const ownCodeCpu = row("all").cpuMs / row("floor-bundled").cpuMs;
console.log(`\nall / floor = ${ratio.toFixed(2)}× wall (budget ${budget}×): ${ratio <= budget ? "within budget" : "OVER BUDGET"}`);
console.log(`all / floor-bundled = ${ownCode.toFixed(2)}× wall, ${ownCodeCpu.toFixed(2)}× CPU: the platform's own code against cdktf's, both bundled`);
if (ratio > budget) process.exitCode = 1;
