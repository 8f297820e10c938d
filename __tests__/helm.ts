/**
 * A real Helm for the chart tests: the binary `npm run helm:fetch` (scripts/fetch-helm.mjs) put in
 * `.cache/helm/`. Without it (a laptop that never fetched it, a non-linux machine) the chart tests
 * print one SKIPPED line and pass; CI always fetches it first (.ci/run, plan.yml).
 */
import { execFileSync, spawnSync } from "child_process";
import { existsSync, mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

export const ROOT = join(__dirname, "..");
const HELM = join(ROOT, ".cache", "helm", "2.2.2", "helm");

/** The Helm binary, or undefined (after printing a SKIPPED line once per test file). */
export function helmOrSkip(what: string): string | undefined {
  if (existsSync(HELM)) return HELM;
  process.stdout.write(`SKIPPED: ${what}: no Helm at ${HELM}; run \`npm run helm:fetch\` (CI does)\n`);
  return undefined;
}

/** `helm dependency build` of a chart (its library chart, from the repository). */
export function buildDependencies(helm: string, chartDir: string): void {
  execFileSync(helm, ["dependency", "build", chartDir, "--skip-refresh"], { stdio: "pipe" });
}

/** Writes values to a temporary YAML (JSON is YAML) file and returns its path. */
export function valuesFile(values: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), "aivo-values-")), "values.yaml");
  writeFileSync(file, JSON.stringify(values));
  return file;
}

/** Runs helm; returns status and output (never throws). */
export function helm(binary: string, args: readonly string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(binary, args, { encoding: "utf8", maxBuffer: 32 * 1024 * 1024 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
