import { execFileSync } from "child_process";

/** A Kubernetes object and the `kubernetes-models` class that checks it, e.g. `["kubernetes-models/apps/v1/Deployment", "Deployment"]`. */
export interface ModelCheck {
  /** The ESM module path of the model class. */
  readonly module: string;
  /** The exported class name. */
  readonly className: string;
  /** The object (a synthesized `manifest` or a resource's config converted to a Kubernetes object). */
  readonly object: unknown;
}

/**
 * Runs each object through its model's `validate()` (the upstream JSON schema) and returns one error
 * message per invalid object ("" when valid). The `kubernetes-models` packages are ES modules only
 * (their `exports` declare no `require` condition), which this CommonJS jest setup cannot load, so
 * the checks run in one child `node` process that imports them natively.
 */
export function validateWithModels(checks: readonly ModelCheck[]): string[] {
  const script = `
    const checks = JSON.parse(await new Promise((ok) => { let s = ""; process.stdin.on("data", (d) => (s += d)); process.stdin.on("end", () => ok(s)); }));
    const out = [];
    for (const c of checks) {
      const Model = (await import(c.module))[c.className];
      try { new Model(c.object).validate(); out.push(""); } catch (e) { out.push(String(e.message ?? e)); }
    }
    process.stdout.write(JSON.stringify(out));`;
  const stdout = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: __dirname,
    input: JSON.stringify(checks),
    encoding: "utf8",
  });
  return JSON.parse(stdout) as string[];
}
