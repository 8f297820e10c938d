import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execute, main, stackOf } from "../scripts/plan-review/cli";
import { comparePlans, stableStringify } from "../scripts/plan-review/compare";
import { ChangeKind, PlanFormatError, PlanJson, ResourceChange, classify, parsePlan, redactPlan } from "../scripts/plan-review/plan";
import { COMMENT_MARKER, GITHUB_COMMENT_LIMIT, code, render } from "../scripts/plan-review/render";
import { addedLines, isProtected, parseAllowList, review, reviewStack } from "../scripts/plan-review/review";

const FIXTURES = join(__dirname, "fixtures", "plans");
const fixture = (name: string): string => join(FIXTURES, `${name}.json`);
const load = (name: string): PlanJson => parsePlan(readFileSync(fixture(name), "utf8"), `${name}.json`);

describe("plan JSON format", () => {
  it("reads format 1.x", () => {
    expect(load("create").format_version).toBe("1.2");
  });

  it("rejects an unknown major format_version, naming the file, the version and the fix", () => {
    expect(() => load("format-2")).toThrow(PlanFormatError);
    expect(() => load("format-2")).toThrow(
      "format-2.json.format_version: 2.0 is not supported; this reviewer reads format 1.x (Terraform 1.x); update scripts/plan-review for the new format",
    );
  });

  it("rejects text that is not a plan", () => {
    expect(() => parsePlan("Terraform will perform the following actions", "plan.txt")).toThrow(/^plan\.txt: not JSON .*terraform show -json/);
    expect(() => parsePlan("[]", "a.json")).toThrow("a.json: not a plan object; pass the output of `terraform show -json <planfile>`");
    expect(() => parsePlan('{"resource_changes":[]}', "b.json")).toThrow('b.json.format_version: undefined is not a plan format version');
  });
});

describe("classifying changes: one fixture per action shape", () => {
  const cases: [string, ChangeKind, Partial<{ importing: boolean; movedFrom: string; reason: string }>][] = [
    ["create", "create", {}],
    ["update", "update", {}],
    ["delete", "delete", { reason: "removed from the configuration" }],
    ["replace-destroy-first", "replace-destroy-first", { reason: "an argument that forces replacement changed" }],
    ["replace-create-first", "replace-create-first", { reason: "tainted: the object is marked for replacement" }],
    ["read", "read", { reason: "its configuration is only known after apply" }],
    ["no-op", "no-op", { importing: false }],
    ["import", "no-op", { importing: true }],
    ["move", "no-op", { movedFrom: "aws_vpc.main" }],
  ];
  it.each(cases)("%s → %s", (name, kind, extra) => {
    const [c] = load(name).resource_changes!.map(classify);
    expect(c.kind).toBe(kind);
    for (const [key, value] of Object.entries(extra)) expect(c[key as keyof typeof c]).toEqual(value);
  });

  it("tells forget from a create-then-forget replacement, and neither counts as a destroy", () => {
    const r = reviewStack({ stack: "production", plan: load("forget") });
    expect(r.changes.map((c) => c.kind)).toEqual(["forget", "replace-forget"]);
    expect(r.dangerous).toEqual([]);
  });

  it("counts an import that also updates as both", () => {
    const r = reviewStack({ stack: "development", plan: load("import") });
    expect(r.counts).toMatchObject({ import: 2, update: 1, "no-op": 1 });
    expect(r.changes).toHaveLength(2);
  });

  it("reports drift separately from the planned changes", () => {
    const r = reviewStack({ stack: "staging", plan: load("drift") });
    expect(r.counts.drift).toBe(1);
    expect(r.drift[0].address).toBe("aws_security_group.app");
    expect(render(review([{ stack: "staging", plan: load("drift") }]))).toContain("### Drift (changed outside Terraform since the last apply)");
  });

  it("treats an action list it does not know as dangerous", () => {
    const rc: ResourceChange = { address: "aws_security_group.x", type: "aws_security_group", change: { actions: ["obliterate"] } };
    const r = reviewStack({ stack: "production", plan: { format_version: "1.2", resource_changes: [rc] } });
    expect(r.dangerous).toEqual([expect.objectContaining({ category: "unknown action", kind: "unknown", protected: true, allowed: false })]);
  });
});

describe("stateful resources first", () => {
  it("blocks a replaced production database, with Terraform's reason", () => {
    const result = review([{ stack: "production", plan: load("replace-database") }]);
    expect(result.blocking).toEqual([
      {
        stack: "production",
        address: "aws_db_instance.database_postgres_ABCD1234",
        type: "aws_db_instance",
        category: "database",
        kind: "replace-destroy-first",
        reason: "an argument that forces replacement changed",
        replacePaths: ["kms_key_id"],
        protected: true,
        allowed: false,
      },
    ]);
    const comment = render(result);
    expect(comment).toContain("⛔ **Blocked**: 1 stateful resource(s)");
    expect(comment).toContain(
      "| ⛔ blocking | `production` | `aws_db_instance.database_postgres_ABCD1234` | database | replace (destroy, then create) | an argument that forces replacement changed (forced by `kms_key_id`) |",
    );
  });

  it("lists but does not block the same replacement in an unprotected stack; protection is configurable", () => {
    expect(review([{ stack: "staging", plan: load("replace-database") }]).blocking).toEqual([]);
    expect(review([{ stack: "staging", plan: load("replace-database") }], { protectedEnvironments: ["staging"] }).blocking).toHaveLength(1);
    expect(isProtected("production-dr", ["production"])).toBe(true);
    expect(isProtected("production-addons", ["production"])).toBe(true);
    expect(isProtected("productionx", ["production"])).toBe(false);
  });

  it("allows it only when the exact address is on a line the pull request adds to the allow-list", () => {
    const entry = "production aws_db_instance.database_postgres_ABCD1234";
    const added = `--- a/.github/plan-review/allow-destroy.txt\n+++ b/.github/plan-review/allow-destroy.txt\n@@ -1,0 +2 @@\n+${entry}  # new KMS key\n`;
    const unchanged = `--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n ${entry}\n-old\n+other aws_s3_bucket.x\n`;
    const plans = [{ stack: "production", plan: load("replace-database") }];
    expect(review(plans, { allowed: parseAllowList(addedLines(added), "diff") }).blocking).toEqual([]);
    expect(review(plans, { allowed: parseAllowList(addedLines(unchanged), "diff") }).blocking).toHaveLength(1);
    const prefix = parseAllowList(["production aws_db_instance.database_postgres"], "f");
    expect(review(plans, { allowed: prefix }).blocking).toHaveLength(1);
  });

  it("rejects an allow-list line without a stack and an address", () => {
    expect(() => parseAllowList(["# comment", "", "aws_db_instance.x"], "allow-destroy.txt")).toThrow(
      'allow-destroy.txt:3: "aws_db_instance.x" is not "<stack> <resource address>"',
    );
  });

  it("names the state bucket and lock table as the state backend", () => {
    const r = reviewStack({ stack: "bootstrap", plan: load("delete-state-bucket") });
    expect(r.dangerous.map((d) => [d.address, d.category, d.reason])).toEqual([
      ["aws_s3_bucket.state_bucket_1A2B3C", "state backend", "removed from the configuration"],
      ["aws_dynamodb_table.state_locks_9F8E", "state backend", "removed from the configuration"],
    ]);
  });

  it("keeps an unknown action_reason as unspecified, and still lists the replaced cache", () => {
    const r = reviewStack({ stack: "staging", plan: load("unknown-reason") });
    expect(r.dangerous).toEqual([expect.objectContaining({ category: "cache", reason: "unspecified (replace_because_of_a_future_reason)" })]);
  });

  it("does not count a destroyed security group as dangerous, but shows it among the other destroys", () => {
    const result = review([{ stack: "production", plan: load("delete") }]);
    expect(result.stacks[0].dangerous).toEqual([]);
    expect(render(result)).toMatch(/### Other destroys and replacements\n\n\*\*`production`\*\* \(1\)\n- `aws_security_group\.old`: delete — removed from the configuration/);
  });
});

describe("the comment", () => {
  it("starts with the marker, has one summary row per stack and counts each kind", () => {
    const comment = render(
      review([
        { stack: "development", plan: load("create") },
        { stack: "production", plan: load("replace-database") },
      ]),
    );
    expect(comment.startsWith(`${COMMENT_MARKER}\n## Terraform plan review`)).toBe(true);
    expect(comment).toContain("| `development` | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ✅ |");
    expect(comment).toContain("| `production` (protected) | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 1 | ⛔ 1 blocking |");
  });

  it("escapes pipes and backticks in addresses", () => {
    expect(code('aws_s3_bucket.b["a|b"]')).toBe('`aws_s3_bucket.b["a\\|b"]`');
    expect(code("x`y")).toBe("`` x`y ``");
  });

  it("says when a plan errored", () => {
    expect(render(review([{ stack: "staging", plan: load("errored") }]))).toContain("❌ **A plan errored**");
  });

  it("fits a ~1 MB plan in GitHub's limit, listing every dangerous change and naming what it drops", () => {
    const changes: ResourceChange[] = [];
    const dangerous: string[] = [];
    const filler = "x".repeat(150);
    for (let i = 0; i < 3000; i++) {
      const kind = i % 3 === 0 ? ["create"] : i % 3 === 1 ? ["update"] : ["delete"];
      changes.push({
        address: `module.service_${i}.aws_security_group.service_security_group_${i}_${filler.slice(0, 20)}`,
        type: "aws_security_group",
        change: { actions: kind, before: { description: filler }, after: { description: `${filler}${i}` } },
      });
      if (i % 60 === 0) {
        const address = `module.data_${i}.aws_db_instance.database_${i}`;
        dangerous.push(address);
        changes.push({ address, type: "aws_db_instance", action_reason: "replace_because_cannot_update", change: { actions: ["delete", "create"], before: { identifier: `db-${i}` }, after: {} } });
      }
    }
    const plan = { format_version: "1.2", resource_changes: changes };
    const text = JSON.stringify(plan);
    expect(text.length).toBeGreaterThan(900_000);

    const started = Date.now();
    const comment = render(review([{ stack: "production", plan: parsePlan(text, "big.json") }]));
    expect(Date.now() - started).toBeLessThan(2000);

    expect(comment.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    for (const address of dangerous) expect(comment).toContain(`\`${address}\``);
    expect(comment).toContain("| `production` (protected) | 1000 | 1000 | 50 | 1000 |");
    expect(comment).toMatch(/_Omitted to fit GitHub's comment limit: .*Creates, Data sources|_Omitted to fit GitHub's comment limit: .*Creates/);
    expect(comment).toContain("The full plans are in the workflow run's artifacts and job summary._");
  });

  it("keeps every dangerous change even when they alone exceed the table's room, then says how many are missing", () => {
    const changes: ResourceChange[] = Array.from({ length: 3000 }, (_, i) => ({
      address: `module.tables.aws_dynamodb_table.table_number_${i}_with_a_long_name_to_fill_the_comment`,
      type: "aws_dynamodb_table",
      change: { actions: ["delete"], before: { name: `t${i}` } },
    }));
    const comment = render(review([{ stack: "production", plan: { format_version: "1.2", resource_changes: changes } }]));
    expect(comment.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(comment).toMatch(/\*\*\d+ more dangerous change\(s\) do not fit in a comment/);
  });
});

describe("comparing the reviewed plan with the plan on main", () => {
  it("accepts the same changes whatever the key order, and ignores no-ops", () => {
    const a = load("replace-database");
    const rc = a.resource_changes![0];
    const reordered: PlanJson = {
      format_version: "1.2",
      resource_changes: [
        { ...rc, change: { ...rc.change, after: Object.fromEntries(Object.entries(rc.change.after as object).reverse()) } },
        ...load("no-op").resource_changes!,
      ],
    };
    expect(comparePlans(a, reordered)).toEqual([]);
    expect(stableStringify({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe('{"a":[1,{"c":3,"d":2}],"b":1}');
  });

  it("names every difference: new, missing, different action and different values", () => {
    const reviewed = load("update");
    const current: PlanJson = {
      format_version: "1.2",
      resource_changes: [
        { ...reviewed.resource_changes![0], change: { ...reviewed.resource_changes![0].change, after: { description: "other" } } },
        ...load("delete").resource_changes!,
      ],
    };
    expect(comparePlans(reviewed, current)).toEqual([
      "aws_security_group.app: update with different values",
      "aws_security_group.old: not reviewed, now delete",
    ]);
    expect(comparePlans(load("replace-destroy-first"), load("create"))).toEqual([
      "aws_instance.bastion: reviewed delete,create, now no change",
      "aws_security_group.app: not reviewed, now create",
    ]);
  });
});

describe("npm run plan-review", () => {
  const dir = mkdtempSync(join(tmpdir(), "plan-review-"));

  it("names stacks by <stack>= or by file name", () => {
    expect(stackOf("plans/production.json")).toEqual({ stack: "production", path: "plans/production.json" });
    expect(stackOf("staging-addons=/tmp/x.json")).toEqual({ stack: "staging-addons", path: "/tmp/x.json" });
  });

  it("prints the comment and exits 0 when nothing blocks", () => {
    const out = execute([`development=${fixture("replace-database")}`, `staging=${fixture("create")}`]);
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toContain("| `development` | 0 | 0 | 1 |");
  });

  it("exits 1 when a protected stack destroys a stateful resource, 0 once the pull request allow-lists it", () => {
    const comment = join(dir, "comment.md");
    const summary = join(dir, "summary.md");
    expect(execute([`production=${fixture("replace-database")}`, "--comment", comment, "--summary", summary]).exitCode).toBe(1);
    expect(readFileSync(comment, "utf8")).toContain("⛔ **Blocked**");
    expect(readFileSync(summary, "utf8")).toContain("⛔ **Blocked**");
    const diff = join(dir, "allow.diff");
    writeFileSync(diff, "+++ b/.github/plan-review/allow-destroy.txt\n+production aws_db_instance.database_postgres_ABCD1234\n");
    expect(execute([`production=${fixture("replace-database")}`, "--allow-list-diff", diff]).exitCode).toBe(0);
    expect(execute([`production=${fixture("replace-database")}`, "--protect", "staging"]).exitCode).toBe(0);
  });

  it("exits 1 when a plan errored", () => {
    expect(execute([`development=${fixture("errored")}`]).exitCode).toBe(1);
  });

  it("reports bad input as one line and exit code 2", () => {
    const errors: string[] = [];
    const spy = jest.spyOn(process.stderr, "write").mockImplementation((s) => (errors.push(String(s)), true));
    try {
      expect(main([fixture("format-2")])).toBe(2);
      expect(main([])).toBe(2);
      expect(main([fixture("create"), fixture("create")])).toBe(2);
      expect(main(["--bogus", "x"])).toBe(2);
      expect(main(["compare", fixture("create")])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(errors).toEqual([
      expect.stringMatching(/^error: .*format-2\.json\.format_version: 2\.0 is not supported/),
      "error: review: pass at least one plan JSON (`terraform show -json <planfile> > <stack>.json`)\n",
      'error: review: stack "create" is given twice; name them with <stack>=<path>\n',
      expect.stringMatching(/^error: unknown option --bogus; known: --comment, --summary/),
      "error: compare: pass <reviewed plan.json> <current plan.json>\n",
    ]);
  });

  it("refuses a plan whose stack is not one of the platform's, so a file name never makes a production plan unprotected", () => {
    const plan = join(dir, "plan.json");
    writeFileSync(plan, readFileSync(fixture("replace-database")));
    const errors: string[] = [];
    const spy = jest.spyOn(process.stderr, "write").mockImplementation((s) => (errors.push(String(s)), true));
    try {
      expect(main([plan, "--environments", "development,staging,production"])).toBe(2);
      expect(main([`prod=${plan}`, "--environments", "development,staging,production"])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(errors[0]).toBe(
      'error: review: the file name plan.json gives stack "plan", which is not a stack of this platform (bootstrap, account, ' +
        `or <env>[-addons|-workloads|-services|-dr] for development, staging, production); name the plan <stack>=<path>, e.g. production=${plan}\n`,
    );
    expect(errors[1]).toMatch(/^error: review: "prod=" names stack "prod", which is not a stack of this platform/);
    // Named explicitly, the same file is a protected production plan and blocks.
    expect(execute([`production=${plan}`, "--environments", "development,staging,production"]).exitCode).toBe(1);
    expect(execute([`production-dr=${plan}`, "--environments", "development,staging,production"]).exitCode).toBe(1);
    expect(execute([`account=${plan}`, "--environments", "development,staging,production"]).exitCode).toBe(0);
  });

  it("names the attributes that force a replacement and those an update changes, sensitive values masked", () => {
    const replaced = execute([`production=${fixture("replace-database")}`, "--environments", "production"]).stdout;
    expect(replaced).toContain("an argument that forces replacement changed (forced by `kms_key_id`)");
    const updated = execute([`staging=${fixture("update-attributes")}`, "--environments", "staging"]).stdout;
    const line = updated.split("\n").find((l) => l.includes("aws_elasticache_replication_group.cache"))!;
    expect(line).toContain("`auth_token` (sensitive) → (sensitive)");
    expect(line).not.toContain("token-value");
    expect(line).toContain('`num_cache_clusters` 2 → 3');
    expect(line).toContain('`tags.Tier` "staging" → "production"');
    expect(line).toContain('`log_delivery_configuration[0].log_format` "json" → "text"');
    expect(line).toContain("`arn` \"arn:aws:elasticache:us-east-1:123456789012:replicationgrou… → (known after apply)");
    expect(line).not.toContain("description");
  });

  it("compare exits 1 with the differences", () => {
    const out = execute(["compare", fixture("update"), fixture("create")]);
    expect(out.exitCode).toBe(1);
    expect(out.stdout).toContain("refusing to apply");
    expect(execute(["compare", fixture("update"), fixture("update")]).exitCode).toBe(0);
  });

  it("drift writes an issue body and a drifted flag", () => {
    const body = join(dir, "drift.md");
    const output = join(dir, "output");
    writeFileSync(output, "");
    execute(["drift", `staging=${fixture("drift")}`, "--body", body, "--github-output", output]);
    expect(readFileSync(body, "utf8")).toContain("1 object(s) of stack `staging` changed outside Terraform");
    expect(readFileSync(output, "utf8")).toBe("drifted=true\n");
    execute(["drift", `staging=${fixture("create")}`, "--github-output", output]);
    expect(readFileSync(output, "utf8")).toBe("drifted=true\ndrifted=false\n");
  });
});

describe("redacting plans for artifacts", () => {
  const secretPlan = (password: string): PlanJson =>
    ({
      format_version: "1.2",
      terraform_version: "1.11.4",
      prior_state: { values: { root_module: { resources: [{ values: { password } }] } } },
      variables: { token: { value: password } },
      resource_changes: [
        {
          address: "aws_db_instance.db",
          type: "aws_db_instance",
          change: {
            actions: ["update"],
            before: { password: "old", tags: { a: "1" }, list: ["x", password] },
            after: { password, tags: { a: "2" }, list: ["x", password] },
            before_sensitive: { password: true, list: [false, true] },
            after_sensitive: { password: true, list: [false, true] },
          },
        },
      ],
    }) as PlanJson;

  it("keeps only the changes, with every sensitive value replaced", () => {
    const redacted = redactPlan(secretPlan("hunter2"));
    expect(JSON.stringify(redacted)).not.toContain("hunter2");
    expect(Object.keys(redacted).sort()).toEqual(["format_version", "resource_changes", "terraform_version"]);
    expect(redacted.resource_changes![0].change.after).toEqual({ password: "(sensitive)", tags: { a: "2" }, list: ["x", "(sensitive)"] });
  });

  it("compares redacted and full plans alike", () => {
    expect(comparePlans(redactPlan(secretPlan("a")), secretPlan("b"))).toEqual([]);
  });

  it("the CLI writes the redacted plan", () => {
    const dir = mkdtempSync(join(tmpdir(), "redact-"));
    writeFileSync(join(dir, "in.json"), JSON.stringify(secretPlan("hunter2")));
    expect(execute(["redact", join(dir, "in.json"), join(dir, "out.json")]).exitCode).toBe(0);
    expect(readFileSync(join(dir, "out.json"), "utf8")).not.toContain("hunter2");
  });
});

describe("stacks CI does not plan", () => {
  it("names them, and with --unplanned accepts no plan at all", () => {
    const out = execute(["--unplanned", "bootstrap"]);
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toContain("No stack with remote state changed: nothing to plan.");
    expect(out.stdout).toContain("Changed but not planned in CI (local state; an administrator plans and applies them): `bootstrap`.");
    expect(execute(["--unplanned", ""]).stdout).not.toContain("Changed but not planned");
  });
});
