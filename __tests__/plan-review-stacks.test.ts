import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack, Testing } from "cdktf";
import { execute } from "../scripts/plan-review/cli";
import { changedStacks, dependencyOrder, hasRemoteState, readManifest } from "../scripts/plan-review/stacks";

/** Writes a cdktf output tree: manifest.json plus stacks/<name>/cdk.tf.json for each stack. */
function outputTree(stacks: Record<string, { deps?: string[]; local?: boolean; body?: string }>): string {
  const dir = mkdtempSync(join(tmpdir(), "cdktf-out-"));
  const manifest: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(stacks)) {
    mkdirSync(join(dir, "stacks", name), { recursive: true });
    const backend = s.local ? { local: { path: "terraform.bootstrap.tfstate" } } : { s3: { bucket: "b", key: `aivo/${name}/terraform.tfstate` } };
    writeFileSync(join(dir, "stacks", name, "cdk.tf.json"), JSON.stringify({ terraform: { backend }, resource: { x: { body: s.body ?? "v1" } } }));
    manifest[name] = {
      name,
      dependencies: s.deps ?? [],
      synthesizedStackPath: `stacks/${name}/cdk.tf.json`,
      workingDirectory: `stacks/${name}`,
      stackMetadataPath: `stacks/${name}/metadata.json`,
      constructPath: name,
      annotations: [],
    };
  }
  writeFileSync(join(dir, "manifest.json"), JSON.stringify({ version: "0.21.0", stacks: manifest }));
  return dir;
}

const TODAY = {
  bootstrap: { local: true },
  account: { deps: ["bootstrap"] },
  development: { deps: ["account"] },
  staging: { deps: ["account"] },
  production: { deps: ["account"] },
};

describe("changed stacks, from cdktf.out/manifest.json", () => {
  const ENV_ORDER = ["development", "staging", "production"];
  const priority = (s: string) => ENV_ORDER.findIndex((e) => s === e || s.startsWith(`${e}-`)) + 1;

  it("finds nothing when nothing changed", () => {
    expect(changedStacks(outputTree(TODAY), outputTree(TODAY), priority)).toEqual({ changed: [], localState: [], removed: [] });
  });

  it("plans only the stacks whose JSON changed, never the local-state bootstrap", () => {
    const head = outputTree({ ...TODAY, bootstrap: { local: true, body: "v2" }, staging: { deps: ["account"], body: "v2" } });
    expect(changedStacks(outputTree(TODAY), head, priority)).toEqual({ changed: ["staging"], localState: ["bootstrap"], removed: [] });
  });

  it("orders new Kubernetes and DR stacks after what they depend on, environments in ENVIRONMENTS order", () => {
    const head = outputTree({
      ...Object.fromEntries(Object.entries(TODAY).map(([k, v]) => [k, { ...v, body: "v2" }])),
      "production-workloads": { deps: ["production-addons"] },
      "production-addons": { deps: ["production"] },
      "production-dr": { deps: ["production"] },
      "development-addons": { deps: ["development"] },
    });
    expect(changedStacks(outputTree(TODAY), head, priority).changed).toEqual([
      "account",
      "development",
      "development-addons",
      "staging",
      "production",
      "production-addons",
      "production-dr",
      "production-workloads",
    ]);
  });

  it("treats every stack as changed when the base has no output, and reports stacks the head removed", () => {
    const missing = join(tmpdir(), "no-such-cdktf-out");
    expect(changedStacks(missing, outputTree(TODAY), priority).changed).toEqual(["account", "development", "staging", "production"]);
    const withoutStaging = Object.fromEntries(Object.entries(TODAY).filter(([name]) => name !== "staging"));
    expect(changedStacks(outputTree(TODAY), outputTree(withoutStaging), priority).removed).toEqual(["staging"]);
  });

  it("rejects a dependency cycle and a missing head manifest", () => {
    const cyclic = readManifest(outputTree({ a: { deps: ["b"] }, b: { deps: ["a"] } }));
    expect(() => dependencyOrder(cyclic)).toThrow("manifest.json: dependency cycle among a, b");
    expect(() => readManifest(join(tmpdir(), "no-such-out"))).toThrow(/manifest\.json: not found; run `npm run synth` first/);
  });

  it("tells local from remote state by the backend block", () => {
    expect(hasRemoteState('{"terraform":{"backend":{"local":{}}}}')).toBe(false);
    expect(hasRemoteState('{"terraform":{}}')).toBe(false);
    expect(hasRemoteState('{"terraform":{"backend":{"s3":{}}}}')).toBe(true);
  });

  it("the CLI writes a job matrix with each stack's environment to GITHUB_OUTPUT", () => {
    const head = outputTree({ ...TODAY, account: { deps: ["bootstrap"], body: "v2" }, "production-addons": { deps: ["production"] } });
    const output = join(mkdtempSync(join(tmpdir(), "gh-")), "output");
    writeFileSync(output, "");
    const out = execute(["changed-stacks", "--base", outputTree(TODAY), "--head", head, "--github-output", output, "--environments", "development,staging,production"]);
    expect(JSON.parse(out.stdout).matrix).toEqual({
      include: [
        { stack: "account", environment: "account" },
        { stack: "production-addons", environment: "production" },
      ],
    });
    expect(readFileSync(output, "utf8")).toBe(
      'matrix={"include":[{"stack":"account","environment":"account"},{"stack":"production-addons","environment":"production"}]}\nany=true\nlocal-state=[]\nremoved=[]\n',
    );
  });
});

describe("changed stacks on cdktf's own output", () => {
  it("reads the manifest cdktf writes: a local-state stack is not planned, dependencies order the rest", () => {
    const app = Testing.app();
    const stack = (name: string, local: boolean) => {
      const s = new TerraformStack(app, name);
      if (local) new LocalBackend(s, { path: `terraform.${name}.tfstate` });
      else new S3Backend(s, { bucket: "b", key: `aivo/${name}/terraform.tfstate`, region: "us-east-1" });
      new TerraformOutput(s, "name", { value: name });
      return s;
    };
    const bootstrap = stack("bootstrap", true);
    const account = stack("account", false);
    const prod = stack("production", false);
    const addons = stack("production-addons", false);
    addons.addDependency(prod);
    prod.addDependency(account);
    account.addDependency(bootstrap);
    app.synth();
    expect(changedStacks(join(tmpdir(), "no-base-output"), app.outdir)).toEqual({
      changed: ["account", "production", "production-addons"],
      localState: ["bootstrap"],
      removed: [],
    });
  });
});
