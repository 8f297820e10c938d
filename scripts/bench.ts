/**
 * `npm run bench`: synthesizes every stack several times, each run in a fresh process started the
 * way `cdktf synth` starts the app (`tsx`), and prints wall time and peak memory per stack and for
 * the whole app, beside a one-VPC cdktf app as the floor (the cost of loading cdktf itself).
 *
 *   npm run bench            # 5 runs per target
 *   BENCH_RUNS=10 npm run bench
 *   BENCH_TARGETS=floor,all-unguarded,all npm run bench   # what the guardrails cost
 */
import { execFileSync } from "child_process";
import { cpus } from "os";
import { join } from "path";
import { ENVIRONMENTS } from "../environments";

const runs = Number(process.env.BENCH_RUNS ?? 5);
const targets = process.env.BENCH_TARGETS?.split(",") ?? ["floor", "bootstrap", ...ENVIRONMENTS.flatMap((e) => [e.name, `${e.name}*`]), "all-unguarded", "all"];
const tsx = join(__dirname, "..", "node_modules", ".bin", "tsx");
const script = join(__dirname, "synth-target.ts");

interface Sample {
  wallMs: number;
  peakRssMiB: number;
  resources: number;
}

function sample(target: string): Sample {
  const start = process.hrtime.bigint();
  const out = execFileSync(tsx, ["--conditions=import", script, target], { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const line = JSON.parse(out.trim().split("\n").pop()!);
  return { wallMs, peakRssMiB: line.peakRssMiB, resources: line.resources };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = targets.map((target) => {
  const samples = Array.from({ length: runs }, () => sample(target));
  const wall = samples.map((s) => s.wallMs);
  return {
    target,
    resources: samples[0].resources,
    medianMs: median(wall),
    minMs: Math.min(...wall),
    maxMs: Math.max(...wall),
    peakRssMiB: Math.max(...samples.map((s) => s.peakRssMiB)),
  };
});

const floor = rows[0].medianMs;
console.log(`synth, ${runs} fresh-process runs per target (node ${process.version}, ${cpus().length} cores)\n`);
console.log("| target | resources | median wall | min–max | vs floor | peak RSS |");
console.log("|---|---:|---:|---:|---:|---:|");
for (const r of rows) {
  console.log(
    `| ${r.target} | ${r.resources} | ${r.medianMs.toFixed(0)} ms | ${r.minMs.toFixed(0)}–${r.maxMs.toFixed(0)} ms | ` +
      `${(r.medianMs / floor).toFixed(2)}× | ${r.peakRssMiB.toFixed(0)} MiB |`,
  );
}
