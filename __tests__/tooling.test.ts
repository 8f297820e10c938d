import { execFileSync } from "child_process";
import { readFileSync, readdirSync, statSync } from "fs";
import { join, relative } from "path";

const root = join(__dirname, "..");
const read = (file: string) => readFileSync(join(root, file), "utf8");

/** The project's own TypeScript and config files (not dependencies or build output). */
function sourceFiles(dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (["node_modules", ".git", "cdktf.out", "cdktf.out.hcl", "state", ".cache", "coverage"].includes(name)) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs)$/.test(name) ? [path] : [];
  });
}

describe("tooling", () => {
  const scripts = JSON.parse(read("package.json")).scripts as Record<string, string>;

  it("synthesizes by running main.ts directly (one error report, no cdktf banner), HCL into its own folder", () => {
    // scripts/run.cjs runs main.ts as one cached esbuild bundle (the kubernetes-models ES modules included).
    expect(scripts.synth).toBe("CHECKPOINT_DISABLE=1 node scripts/run.cjs main.ts");
    expect(scripts["synth:hcl"]).toBe("CHECKPOINT_DISABLE=1 SYNTH_HCL_OUTPUT=true node scripts/run.cjs main.ts");
    expect(JSON.parse(read("cdktf.json")).app).toBe("node scripts/run.cjs main.ts"); // cdktf deploy/diff run the same app
  });

  it("lints with ESLint's flat config and typescript-eslint (npm run lint)", () => {
    expect(scripts.lint).toBe("eslint .");
    const config = read("eslint.config.mjs");
    expect(config).toContain("tseslint.configs.recommended");
    expect(config).toContain("js.configs.recommended");
  });

  it("never disables a lint rule without saying why (`-- <reason>`)", () => {
    const offenders: string[] = [];
    for (const file of sourceFiles()) {
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, i) => {
          const m = /eslint-disable(?:-next-line|-line)?\s+([^*]*)/.exec(line);
          if (m && !/\S\s+--\s+\S/.test(m[1])) offenders.push(`${relative(root, file)}:${i + 1}`);
        });
    }
    expect(offenders).toEqual([]);
  });

  it("has .ci/run install from the lock file, lint, test and check every HCL file with terraform fmt -check (or say it skipped)", () => {
    const ci = read(".ci/run");
    const steps = ["npm ci", "npm run lint", "npm test", "synth:hcl", "dist/terraform", "terraform fmt -check -recursive \"$dir\"", "SKIPPED: terraform is not on PATH"];
    const positions = steps.map((step) => ci.indexOf(step));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(() => execFileSync("bash", ["-n", join(root, ".ci/run")])).not.toThrow();
  });
});
