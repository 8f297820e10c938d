import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { Testing } from "cdktf";
import { parse as parseHcl } from "@cdktf/hcl2json";
import { formatHcl, terraformFiles } from "../modules/shared/hcl/format";
import { singleInterpolation } from "../modules/shared/hcl";
import { CostMonitoring } from "../modules/aws/observability/cost-monitoring";
import { RedisCluster } from "../modules/aws/data/elasticache";
import { WebAcl } from "../modules/aws/edge/waf";
import { EksCluster, DEFAULT_NODE_GROUPS } from "../modules/aws/compute/eks";
import { Naming } from "../modules/shared/naming";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { terraformTree, MODULES } from "../scripts/terraform-modules";
import type { Files } from "../scripts/terraform-modules/files";

// Generated once for the whole file (the four constructs synthesized, every file formatted).
let files: Files;

beforeAll(async () => {
  ({ files } = await terraformTree());
}, 60_000);

const root = join(__dirname, "..", "dist", "terraform");
const terraform = spawnSync("terraform", ["version"]).status === 0;
if (!terraform) console.warn("SKIPPED: terraform-modules.test: terraform not on PATH, no `terraform fmt -check` and no evaluation of the validation conditions by Terraform");
const tfEnv = { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null", CHECKPOINT_DISABLE: "1" };

describe("dist/terraform", () => {
  it("is what `npm run modules` generates (run it and commit when this fails)", () => {
    const onDisk = Object.fromEntries(terraformFiles(root).map((f) => [f.slice(root.length + 1), readFileSync(f, "utf8")]));
    const generatedTf = Object.fromEntries(Object.entries(files).filter(([p]) => p.endsWith(".tf")));
    expect(onDisk).toEqual(generatedTf);
    for (const [path, text] of Object.entries(files)) expect([path, readFileSync(join(root, path), "utf8") === text]).toEqual([path, true]);
  });

  it("has the four modules and three environment roots of the infrastructure document's tree", () => {
    for (const m of ["eks", "elasticache", "waf", "cost-monitoring"]) {
      for (const f of ["versions.tf", "variables.tf", "main.tf", "outputs.tf", "README.md", "examples/minimal/main.tf"]) expect(Object.keys(files)).toContain(`modules/${m}/${f}`);
    }
    for (const env of ["development", "staging", "production"]) for (const f of ["main.tf", "variables.tf"]) expect(Object.keys(files)).toContain(`environments/${env}/${f}`);
  });

  it("every .tf parses with HashiCorp's parser and is already formatted", async () => {
    for (const [path, text] of Object.entries(files).filter(([p]) => p.endsWith(".tf"))) {
      await expect(parseHcl(path, text)).resolves.toBeDefined();
      expect([path, await formatHcl(text)]).toEqual([path, text]);
    }
  });

  (terraform ? it : it.skip)("passes terraform fmt -check -recursive", () => {
    const run = spawnSync("terraform", ["fmt", "-check", "-recursive", root], { encoding: "utf8", env: tfEnv });
    expect([run.status, run.stdout]).toEqual([0, ""]);
  });
});

type Doc = Record<string, any>;
type ModuleDoc = { main: Doc; variables: Doc; outputs: Doc; versions: Doc; mainText: string };
const moduleDocs = new Map<string, Promise<ModuleDoc>>();
/** A module's files read by HashiCorp's parser (once per module: the parser runs in WebAssembly). */
function moduleDoc(name: string): Promise<ModuleDoc> {
  const read = async (f: string) => (await parseHcl(f, files[`modules/${name}/${f}`])) as Doc;
  const parse = async (): Promise<ModuleDoc> => ({
    main: await read("main.tf"),
    variables: await read("variables.tf"),
    outputs: await read("outputs.tf"),
    versions: await read("versions.tf"),
    mainText: files[`modules/${name}/main.tf`] + files[`modules/${name}/outputs.tf`],
  });
  if (!moduleDocs.has(name)) moduleDocs.set(name, parse());
  return moduleDocs.get(name)!;
}

describe.each(MODULES.map((m) => [m.name] as const))("the %s module", (name) => {
  it("pins Terraform and the provider, and holds no provider, backend or remote state", async () => {
    const { main, versions } = await moduleDoc(name);
    expect(versions.terraform[0].required_version).toBe(">= 1.11.0");
    expect(versions.terraform[0].required_providers[0].aws).toEqual({ source: "hashicorp/aws", version: "6.25.0" });
    expect(main.provider).toBeUndefined();
    expect(main.terraform).toBeUndefined();
    expect(main.data?.terraform_remote_state).toBeUndefined();
  });

  it("uses every variable, and every variable has a type and description", async () => {
    const { variables, mainText } = await moduleDoc(name);
    for (const [v, [spec]] of Object.entries(variables.variable as Record<string, Doc[]>)) {
      expect([v, new RegExp(`var\\.${v}\\b`).test(mainText)]).toEqual([v, true]);
      expect(spec.type).toBeDefined();
      expect(spec.description).toBeTruthy();
    }
  });

  it("has outputs that reference only what exists in the module", async () => {
    const { main, outputs, variables } = await moduleDoc(name);
    for (const [o, [spec]] of Object.entries(outputs.output as Record<string, Doc[]>)) {
      const refs = String(spec.value).match(/\b(?:data\.)?[a-z0-9_]+\.[a-z0-9_]+/g) ?? [];

      for (const ref of refs) {
        const [head, tail] = ref.startsWith("data.") ? ref.slice(5).split(".") : ref.split(".");
        const exists = ref.startsWith("data.")
          ? Boolean(main.data?.[head]?.[tail])
          : head === "var"
            ? Boolean(variables.variable[tail])
            : head === "local"
              ? Boolean(main.locals?.some((l: Doc) => tail in l))
              : Boolean(main.resource?.[head]?.[tail]);
        expect([o, ref, exists]).toEqual([o, ref, true]);
      }
    }
  });
});

/** The HCL literal of a JSON value, to put a test value in place of `var.<name>` in a condition. */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`;
  if (value !== null && typeof value === "object") return `{ ${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)} = ${literal(v)}`).join(", ")} }`;
  return value === null ? "null" : JSON.stringify(value);
}

/** Evaluates HCL expressions with Terraform itself (`terraform console`, no providers needed), all in one run. */
function evaluateMany(expressions: readonly string[]): unknown[] {
  const dir = mkdtempSync(join(tmpdir(), "aivo-console-"));
  try {
    const run = spawnSync("terraform", ["console"], { cwd: dir, input: `jsonencode([${expressions.join(", ")}])\n`, encoding: "utf8", env: tfEnv });
    if (run.status !== 0) throw new Error(run.stderr);
    return JSON.parse(JSON.parse(run.stdout.trim()) as string) as unknown[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Evaluates conditions with Terraform itself. */
function evaluate(conditions: string[]): boolean[] {
  return evaluateMany(conditions) as boolean[];
}

const naming = new Naming("aivo", "qa");
const topics = { warning: "arn:aws:sns:us-east-1:123456789012:w", alert: "arn:aws:sns:us-east-1:123456789012:a", critical: "arn:aws:sns:us-east-1:123456789012:c" };
const cacheProps = { naming, vpcId: "vpc-1", cacheSubnetGroupName: "g", allowedSecurityGroupIds: [], alarmTopicArns: [topics.alert], logRetentionDays: 30, nodeType: "cache.t4g.micro", numCacheClusters: 1, snapshotRetentionDays: 1 };
const eksProps = { naming, vpcId: "vpc-1", privateSubnetIds: ["subnet-a", "subnet-b"], logRetentionDays: 30 };
const build = {
  cost: (extra: object) => () => Testing.synthScope((s) => new CostMonitoring(s, "c", { naming, monthlyBudgetUsd: 100, topicArns: topics, ...extra })),
  cache: (extra: object) => () => Testing.synthScope((s) => new RedisCluster(s, "c", { ...cacheProps, ...extra })),
  waf: (extra: object) => () =>
    Testing.synthScope((s) => new WebAcl(s, "w", { naming, provider: new AwsProvider(s, "aws", { region: "us-east-1" }), providerRegion: "us-east-1", rateLimitPerIp: 1000, logRetentionDays: 30, ...extra })),
  eks: (extra: object) => () => Testing.synthScope((s) => new EksCluster(s, "e", { ...eksProps, ...extra })),
};

/**
 * One bad value per rule: the construct rejects it (message checked), and the module's conditions for
 * that variable, evaluated by Terraform with the same value (other variables bound as given), include
 * one that is false; with the good value every condition holds.
 */
const RULES: { module: string; variable: string; bad: unknown; good: unknown; others?: Record<string, unknown>; ts: () => unknown; message: RegExp }[] = [
  { module: "cost-monitoring", variable: "monthly_budget_usd", bad: 0, good: 500, ts: build.cost({ monthlyBudgetUsd: 0 }), message: /monthlyBudgetUsd: 0 is not a positive amount/ },
  { module: "cost-monitoring", variable: "budget_thresholds", bad: { warning: 80, alert: 70, critical: 90 }, good: { warning: 50, alert: 80, critical: 90 }, ts: build.cost({ budgetThresholds: { warning: 80, alert: 70 } }), message: /must strictly increase/ },
  { module: "cost-monitoring", variable: "anomaly_threshold_percentage", bad: 0, good: 10, ts: build.cost({ anomalyThresholds: { percentage: 0 } }), message: /anomalyThresholds.percentage: 0 is not a positive number/ },
  { module: "cost-monitoring", variable: "budget_email_subscribers", bad: ["not-an-address"], good: ["a@example.com"], ts: build.cost({ budgetEmailSubscribers: ["not-an-address"] }), message: /is not an email address/ },
  { module: "elasticache", variable: "num_cache_clusters", bad: 7, good: 3, ts: build.cache({ numCacheClusters: 7 }), message: /numCacheClusters: 7 is outside 1..6/ },
  { module: "elasticache", variable: "node_type", bad: "t4g.micro", good: "cache.t4g.micro", ts: build.cache({ nodeType: "t4g.micro" }), message: /is not a cache node type/ },
  { module: "elasticache", variable: "multi_az", bad: true, good: false, others: { num_cache_clusters: 1 }, ts: build.cache({ multiAz: true }), message: /multiAz: true needs at least 2 nodes/ },
  { module: "elasticache", variable: "snapshot_retention_days", bad: 36, good: 7, ts: build.cache({ snapshotRetentionDays: 36 }), message: /snapshotRetentionDays: 36 is outside 0..35/ },
  { module: "waf", variable: "rate_limit_per_ip", bad: 5, good: 1000, ts: build.waf({ rateLimitPerIp: 5 }), message: /rateLimitPerIp: 5 is outside/ },
  { module: "waf", variable: "rate_limit_window_seconds", bad: 90, good: 300, ts: build.waf({ rateLimitWindowSeconds: 90 }), message: /90 is not a rate-based evaluation window/ },
  { module: "waf", variable: "blocked_countries", bad: ["kp"], good: ["KP"], ts: build.waf({ blockedCountries: ["kp"] }), message: /is not an ISO 3166-1 alpha-2 country code/ },
  { module: "waf", variable: "log_retention_days", bad: 4, good: 30, ts: build.waf({ logRetentionDays: 4 }), message: /logRetentionDays/ },
  { module: "eks", variable: "kubernetes_version", bad: "1.x", good: "1.35", ts: build.eks({ kubernetesVersion: "1.x" }), message: /is not a Kubernetes minor version/ },
  { module: "eks", variable: "control_plane_log_types", bad: ["api"], good: ["api", "audit"], ts: build.eks({ controlPlaneLogTypes: ["api"] }), message: /lacks "audit"/ },
  {
    module: "eks",
    variable: "node_groups",
    bad: { general: { instance_types: ["m6i.large"], capacity_type: "ON_DEMAND", min_size: 3, desired_size: 2, max_size: 4, labels: {}, taints: [], disk_size_gib: 50 } },
    good: { general: { instance_types: ["m6i.large"], capacity_type: "ON_DEMAND", min_size: 1, desired_size: 2, max_size: 4, labels: {}, taints: [], disk_size_gib: 50 } },
    ts: build.eks({ nodeGroups: { general: { ...DEFAULT_NODE_GROUPS.general, minSize: 3, desiredSize: 2, maxSize: 4 } } }),
    message: /desiredSize 2 is outside minSize 3/,
  },
  { module: "eks", variable: "admin_role_arns", bad: ["arn:aws:iam::123456789012:user/x"], good: ["arn:aws:iam::123456789012:role/x"], ts: build.eks({ adminRoleArns: ["arn:aws:iam::123456789012:user/x"] }), message: /is not an IAM role ARN/ },
  { module: "eks", variable: "private_access_cidrs", bad: ["10.0.1.5/24"], good: ["10.0.1.0/24"], ts: build.eks({ privateAccessCidrs: ["10.0.1.5/24"] }), message: /has host bits set/ },
  {
    module: "eks",
    variable: "public_access_cidrs",
    bad: ["0.0.0.0/0"],
    good: ["203.0.113.0/24"],
    others: { endpoint_public_access: true },
    ts: build.eks({ endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] }),
    message: /opens the API endpoint to the whole internet/,
  },
];

describe("validation blocks reject what the constructs reject", () => {
  it.each(RULES.map((r) => [`${r.module}.${r.variable}`, r] as const))("%s", async (_name, rule) => {
    expect(rule.ts).toThrow(rule.message);
    if (!terraform) return; // SKIPPED line printed above: Terraform evaluates the conditions
    const { variables } = await moduleDoc(rule.module);
    const conditions = (variables.variable[rule.variable][0].validation as Doc[]).map((v) => String(v.condition).replace(/^\$\{([\s\S]*)\}$/, "$1"));
    const bind = (value: unknown) =>
      conditions.map((c) => Object.entries({ ...(rule.others ?? {}), [rule.variable]: value }).reduce((text, [k, v]) => text.replace(new RegExp(`var\\.${k}\\b`, "g"), `(${literal(v)})`), c));
    const bad = bind(rule.bad);
    const results = evaluate([...bad, ...bind(rule.good)]);
    expect(results.slice(0, bad.length).includes(false)).toBe(true);
    expect(results.slice(bad.length).every(Boolean)).toBe(true);
  });

  it("covers at least three rules per module", () => {
    for (const m of MODULES) expect([m.name, RULES.filter((r) => r.module === m.name).length >= 3]).toEqual([m.name, true]);
  });
});

/** Resources of each type in a synthesized construct. */
function countByType(json: string): Record<string, number> {
  const doc = JSON.parse(json) as Doc;
  return Object.fromEntries(Object.entries((doc.resource ?? {}) as Doc).map(([t, byName]) => [t, Object.keys(byName).length]));
}

/** Resources of each type the module declares for `inputs`, expanding the count/for_each expressions it uses. */
function moduleCounts(main: Doc, inputs: Record<string, any>): Record<string, number> {
  const expand: Record<string, () => number> = {
    "${var.activate_cost_allocation_tags ? 1 : 0}": () => (inputs.activate_cost_allocation_tags ? 1 : 0),
    "${length(var.allowed_security_group_ids)}": () => inputs.allowed_security_group_ids.length,
    "${toset(local.member_cluster_ids)}": () => inputs.num_cache_clusters,
    "${var.node_groups}": () => Object.keys(inputs.node_groups).length,
    "${toset(var.private_access_cidrs)}": () => inputs.private_access_cidrs.length,
    "${toset(var.admin_role_arns)}": () => inputs.admin_role_arns.length,
  };
  const counts: Record<string, number> = {};
  for (const [type, byName] of Object.entries(main.resource as Doc)) {
    for (const [body] of Object.values(byName as Record<string, Doc[]>)) {
      const meta = body.count ?? body.for_each;
      if (meta !== undefined && !expand[meta]) throw new Error(`no expansion for ${meta}`);
      counts[type] = (counts[type] ?? 0) + (meta === undefined ? 1 : expand[meta]());
    }
  }
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

describe("the modules declare the construct's resources (type and count) for the same inputs", () => {
  it.each([false, true])("cost-monitoring, activate_cost_allocation_tags %s", async (activate) => {
    const { main } = await moduleDoc("cost-monitoring");
    expect(moduleCounts(main, { activate_cost_allocation_tags: activate })).toEqual(countByType(build.cost({ activateCostAllocationTags: activate })()));
  });

  it.each([1, 3])("elasticache, %s node(s) and two allowed security groups", async (nodes) => {
    const { main } = await moduleDoc("elasticache");
    const ts = build.cache({ numCacheClusters: nodes, multiAz: nodes > 1, allowedSecurityGroupIds: ["sg-1", "sg-2"] })();
    expect(moduleCounts(main, { num_cache_clusters: nodes, allowed_security_group_ids: ["sg-1", "sg-2"] })).toEqual(countByType(ts));
  });

  it("eks, the default three node groups, no extra admins or runner CIDRs", async () => {
    const { main } = await moduleDoc("eks");
    expect(moduleCounts(main, { node_groups: DEFAULT_NODE_GROUPS, private_access_cidrs: [], admin_role_arns: [] })).toEqual(countByType(build.eks({})()));
  });

  it("eks, one node group, two extra admins, three runner CIDRs", async () => {
    const { main } = await moduleDoc("eks");
    const admins = ["arn:aws:iam::123456789012:role/a", "arn:aws:iam::123456789012:role/b"];
    const cidrs = ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"];
    const groups = { general: DEFAULT_NODE_GROUPS.general };
    expect(moduleCounts(main, { node_groups: groups, private_access_cidrs: cidrs, admin_role_arns: admins })).toEqual(
      countByType(build.eks({ nodeGroups: groups, privateAccessCidrs: cidrs, adminRoleArns: admins })()),
    );
  });

  it("waf", async () => {
    const { main } = await moduleDoc("waf");
    expect(moduleCounts(main, {})).toEqual(countByType(build.waf({})()));
  });
});

/** An HCL expression of the module with `var.*` bound and `local.*` inlined, ready for Terraform to evaluate. */
function bound(expression: string, vars: Record<string, unknown>, locals: Record<string, unknown>): string {
  let text = expression;
  const local = (name: string) => {
    const value: unknown = locals[name];
    return typeof value === "string" ? (singleInterpolation(value) ?? JSON.stringify(value)) : literal(value);
  };
  for (let i = 0; i < 5; i++) text = text.replace(/local\.(\w+)/g, (_m, name: string) => `(${local(name)})`);
  for (const [k, v] of Object.entries(vars)) text = text.replace(new RegExp(`var\\.${k}\\b`, "g"), `(${literal(v)})`);
  return text;
}

describe("the modules' locals compute what the constructs compute", () => {
  it.each([
    [{}, null, null, "both"],
    [{ absoluteUsd: 50 }, 50, null, "both"],
    [{ percentage: 10 }, null, 10, "both"],
    [{ absoluteUsd: 50, percentage: 10 }, 50, 10, "both"],
    [{ absoluteUsd: 50, percentage: 10, match: "either" as const }, 50, 10, "either"],
  ])("cost-monitoring's anomaly threshold for %j", async (thresholds, usd, percentage, match) => {
    const synthesized = JSON.parse(build.cost({ anomalyThresholds: thresholds })()) as Doc;
    const expression = (Object.values(synthesized.resource.aws_ce_anomaly_subscription)[0] as Doc).threshold_expression as Doc;
    const expected = (expression.dimension ? [expression.dimension] : (expression.and ?? expression.or).map((e: Doc) => e.dimension)).map((d: Doc) => ({ key: d.key, value: Number(d.values[0]) }));
    const mode = expression.dimension ? "dimension" : expression.and ? "and" : "or";
    if (!terraform) return;
    const { main } = await moduleDoc("cost-monitoring");
    const locals = Object.assign({}, ...(main.locals as Doc[])) as Record<string, string>;
    const vars = { anomaly_threshold_usd: usd, anomaly_threshold_percentage: percentage, anomaly_threshold_match: match };
    const [block] = main.resource.aws_ce_anomaly_subscription.anomaly_subscription[0].threshold_expression;
    const dynamic = Object.entries((Array.isArray(block.dynamic) ? block.dynamic[0] : block.dynamic) as Record<string, Doc[]>);
    const forEach = dynamic.map(([, [spec]]) => bound(String(spec.for_each).replace(/^\$\{([\s\S]*)\}$/, "$1"), vars, locals));
    const [dimensions, ...iterations] = evaluateMany([bound("local.anomaly_dimensions", vars, locals), ...forEach]);
    expect(dimensions).toEqual(expected);
    const chosen = dynamic.filter((_d, i) => (iterations[i] as unknown[]).length > 0);
    expect(chosen.map(([name]) => name)).toEqual([mode]);
  });
});

describe("the modules' locals compute what the constructs compute (elasticache, eks)", () => {
  it.each([
    ["redis", "7.1", 1, false, undefined],
    ["redis", "6.2", 2, true, undefined],
    ["valkey", "8.0", 3, false, true],
  ] as const)("elasticache %s %s, %s node(s), multiAz %s, automaticFailover %s", async (engine, version, nodes, multiAz, failover) => {
    const cache = JSON.parse(build.cache({ engine, engineVersion: version, numCacheClusters: nodes, multiAz, automaticFailover: failover })()) as Doc;
    const group = Object.values(cache.resource.aws_elasticache_replication_group)[0] as Doc;
    const family = (Object.values(cache.resource.aws_elasticache_parameter_group)[0] as Doc).family;
    const members = Object.values(cache.resource.aws_cloudwatch_metric_alarm as Doc)
      .map((a: Doc) => a.dimensions.CacheClusterId as string)
      .filter((id, i, all) => all.indexOf(id) === i);
    if (!terraform) return;
    const { main } = await moduleDoc("elasticache");
    const locals = Object.assign({}, ...(main.locals as Doc[])) as Record<string, string>;
    const vars = { project: "aivo", environment: "qa", engine, engine_version: version, num_cache_clusters: nodes, multi_az: multiAz, automatic_failover: failover ?? null };
    const [parameterFamily, memberIds, automaticFailover] = evaluateMany(["local.parameter_family", "local.member_cluster_ids", "local.automatic_failover"].map((e) => bound(e, vars, locals)));
    expect(parameterFamily).toBe(family);
    expect(memberIds).toEqual(members);
    expect(automaticFailover).toBe(group.automatic_failover_enabled);
  });

  it.each([["m6i.large"], ["m7g.large"], ["r8g.xlarge"], ["c7gn.large"]])("eks ami_type for %s", async (instanceType) => {
    const eks = JSON.parse(build.eks({ nodeGroups: { general: { ...DEFAULT_NODE_GROUPS.general, instanceTypes: [instanceType] } } })()) as Doc;
    const expected = (Object.values(eks.resource.aws_eks_node_group)[0] as Doc).ami_type;
    if (!terraform) return;
    const { main } = await moduleDoc("eks");
    const amiType = String(main.resource.aws_eks_node_group.node_group[0].ami_type).replace(/^\$\{([\s\S]*)\}$/, "$1");
    expect(evaluateMany([amiType.replace(/each\.value/g, `(${literal({ instance_types: [instanceType] })})`)])[0]).toBe(expected);
  });
});

describe("the environment roots and examples call the modules correctly", () => {
  const calls = async (path: string) => ((await parseHcl(path, files[path])) as Doc).module as Record<string, Doc[]>;

  it.each(["development", "staging", "production", ...MODULES.map((m) => `example:${m.name}`)])("%s passes every required input and only declared ones", async (which) => {
    const path = which.startsWith("example:") ? `modules/${which.slice(8)}/examples/minimal/main.tf` : `environments/${which}/main.tf`;
    for (const [name, [call]] of Object.entries(await calls(path))) {
      const moduleName = String(call.source).split("/").pop() === ".." ? which.slice(8) : String(call.source).split("/").pop()!;
      const { variables } = await moduleDoc(moduleName);
      const declared = variables.variable as Record<string, Doc[]>;
      const given = Object.keys(call).filter((k) => !["source", "providers"].includes(k));
      expect([name, given.filter((k) => !(k in declared))]).toEqual([name, []]);
      const required = Object.entries(declared).filter(([, [spec]]) => !("default" in spec)).map(([k]) => k);
      expect([name, required.filter((k) => !given.includes(k))]).toEqual([name, []]);
    }
  });

  it.each(["development", "staging", "production"])("%s's values pass the modules' validation blocks (evaluated by Terraform)", async (env) => {
    if (!terraform) return;
    const conditions: string[] = [];
    const labels: string[] = [];
    for (const [name, [call]] of Object.entries(await calls(`environments/${env}/main.tf`))) {
      const { variables } = await moduleDoc(String(call.source).split("/").pop()!);
      const declared = variables.variable as Record<string, Doc[]>;
      // Literal inputs (not references such as var.vpc_id), and the defaults of the others.
      const values: Record<string, unknown> = {};
      for (const [k, [spec]] of Object.entries(declared)) {
        const value = k in call ? call[k] : spec.default;
        if (value !== undefined && !JSON.stringify(value).includes("${")) values[k] = value;
      }
      for (const [k, [spec]] of Object.entries(declared)) {
        for (const v of (spec.validation ?? []) as Doc[]) {
          let text = String(v.condition).replace(/^\$\{([\s\S]*)\}$/, "$1");
          for (const [vk, vv] of Object.entries(values)) text = text.replace(new RegExp(`var\\.${vk}\\b`, "g"), `(${literal(vv)})`);
          if (/\bvar\./.test(text)) continue; // depends on a reference, known only at plan time
          conditions.push(text);
          labels.push(`${name}.${k}: ${v.error_message}`);
        }
      }
    }
    expect(conditions.length).toBeGreaterThan(20);
    const results = evaluate(conditions);
    expect(labels.filter((_l, i) => !results[i])).toEqual([]);
  });
});
