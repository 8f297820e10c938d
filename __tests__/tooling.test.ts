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

type Version = [number, number, number];
const versionOf = (text: string): Version => {
  const [major, minor, patch] = text.replace(/^v/, "").split(".").map((part) => (/^\d+$/.test(part) ? Number(part) : 0));
  return [major ?? 0, minor ?? 0, patch ?? 0];
};
const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/**
 * Whether Node `version` satisfies an npm `engines.node` range, for the forms the lock file holds:
 * `a || b`, `>=X`, `>= X`, `>X`, `<X`, `<=X`, `^X.Y.Z`, `X` / `X.x` (that major), `*`, and `A B` (both).
 */
export function satisfiesNodeRange(range: string, version: string): boolean {
  const v = versionOf(version);
  return range.split("||").some((alternative) => {
    const comparators = alternative.trim().replace(/([<>]=?)\s+/g, "$1").split(/\s+/).filter(Boolean);
    return comparators.every((c) => {
      const m = /^(>=|<=|>|<|\^|~)?v?([\dx*.]+)$/.exec(c);
      if (!m) throw new Error(`unsupported engines comparator "${c}" in "${range}"`);
      if (m[2] === "*" || m[2] === "x") return true;
      const bound = versionOf(m[2]);
      const order = compare(v, bound);
      switch (m[1]) {
        case ">=": return order >= 0;
        case ">": return order > 0;
        case "<": return order < 0;
        case "<=": return order <= 0;
        case "^": return order >= 0 && v[0] === bound[0];
        case "~": return order >= 0 && v[0] === bound[0] && v[1] === bound[1];
        default: {
          const parts = m[2].split(".").filter((p) => /^\d+$/.test(p)).length;
          return bound.slice(0, parts).every((n, i) => n === v[i]);
        }
      }
    });
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

  it("runs every script that loads the stacks through scripts/run.cjs: tsx --conditions=import breaks cdktf's own require of its package.json under Node 22", () => {
    for (const name of ["cost", "diagram", "modules", "policy-report", "compliance-doc"]) {
      expect([name, scripts[name]]).toEqual([name, expect.stringMatching(new RegExp(`node scripts/run\\.cjs scripts/${name}\\.ts$`))]);
    }
    expect(Object.entries(scripts).filter(([, command]) => command.includes("--conditions=import"))).toEqual([]);
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
  describe("engines", () => {
    const project = JSON.parse(read("package.json")).engines.node as string;
    const lock = JSON.parse(read("package-lock.json")).packages as Record<string, { engines?: { node?: string } | string[] }>;
    const ranges = Object.entries(lock)
      .filter(([name, p]) => name !== "" && !Array.isArray(p.engines) && p.engines?.node)
      .map(([name, p]) => [name, (p.engines as { node: string }).node] as const);
    // Every version a range names (and each major's first release) from Node 18 to 30: where ranges start and end.
    const probes = [
      ...new Set([
        ...Array.from({ length: 13 }, (_, i) => `${18 + i}.0.0`),
        ...ranges.flatMap(([, r]) => r.match(/\d+\.\d+(\.\d+)?/g) ?? []).filter((v) => Number(v.split(".")[0]) >= 18),
      ]),
    ];

    it("reads the ranges it checks", () => {
      expect(satisfiesNodeRange("^20.19.0 || ^22.13.0 || >=24", "22.12.0")).toBe(false);
      expect(satisfiesNodeRange("^20.19.0 || ^22.13.0 || >=24", "22.13.0")).toBe(true);
      expect(satisfiesNodeRange(">= 0.6.3", "20.0.0")).toBe(true);
      expect(satisfiesNodeRange("20 || >=22", "21.5.0")).toBe(false);
      expect(satisfiesNodeRange(">=16 || 14 >=14.17", "14.16.0")).toBe(false);
      expect(satisfiesNodeRange(">=22", "20.20.2")).toBe(false);
    });

    it("admits only Node versions every installed package supports (npm ci prints no EBADENGINE)", () => {
      const unsupported = probes
        .filter((version) => satisfiesNodeRange(project, version))
        .flatMap((version) => ranges.filter(([, range]) => !satisfiesNodeRange(range, version)).map(([name, range]) => `${version}: ${name} needs ${range}`));
      expect(unsupported).toEqual([]);
      expect(probes.some((version) => satisfiesNodeRange(project, version))).toBe(true);
      expect(JSON.parse(read("package-lock.json")).packages[""].engines.node).toBe(project);
    });

    it("runs CI on a Node version the engines admit (setup-node's newest release of the major)", () => {
      const dir = join(root, ".github", "workflows");
      const majors = readdirSync(dir).flatMap((file) => [...readFileSync(join(dir, file), "utf8").matchAll(/node-version:\s*"?(\d+)"?/g)].map((m) => m[1]));
      expect(majors.length).toBeGreaterThan(0);
      expect(majors.filter((major) => !satisfiesNodeRange(project, `${major}.99.0`))).toEqual([]);
    });
  });
});
