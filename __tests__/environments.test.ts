// The platform and its stacks: order, state, outputs, documented figures, each stack's basics and snapshot, the bootstrap stack, invariants of every stack, HCL and the Terraform version.
import { Testing } from "cdktf";
import { ENVIRONMENTS, buildPlatform } from "../environments";
import { development } from "../environments/development";
import { production } from "../environments/production";
import { staging } from "../environments/staging";
import { REQUIRED_TERRAFORM_VERSION } from "../environments/platform-stack";
import { BOOTSTRAP_STATE_PATH } from "../environments/bootstrap-stack";
import { OUTPUT_DIRS } from "../environments/synth";
import { configsOf, parse, policy, TerraformJson } from "./helpers";
import { EACH_ENVIRONMENT } from "./platform";
import { readFileSync } from "fs";
import { join, resolve } from "path";

const platform = buildPlatform(Testing.app());
// As app.synth() does: resolve cross-stack references (remote state in the DR stacks, outputs in the primaries).
for (const stack of [...Object.values(platform.environments), ...Object.values(platform.dr)]) stack.prepareStack();
const drDocs: [string, TerraformJson][] = Object.values(platform.dr).map((stack) => [stack.node.id, parse(Testing.synth(stack))]);
const synthesized: Record<string, string> = Object.fromEntries(
  Object.entries(platform.environments).map(([name, stack]) => [name, Testing.synth(stack)]),
);
const docs: Record<string, TerraformJson> = Object.fromEntries(
  Object.entries(synthesized).map(([name, json]) => [name, parse(json)]),
);
const bootstrapJson = Testing.synth(platform.bootstrap);
const allDocs: [string, TerraformJson][] = [...Object.entries(docs), ["bootstrap", parse(bootstrapJson)], ...drDocs];

describe("the platform", () => {
  it("has a stack per environment plus bootstrap", () => {
    expect(Object.keys(platform.environments)).toEqual(ENVIRONMENTS.map((e) => e.name));
    expect(ENVIRONMENTS.map((e) => e.name)).toEqual(expect.arrayContaining(["development", "staging", "production"]));
  });

  it("keeps the bootstrap state outside the build output, in the gitignored state/ folder", () => {
    const backend = parse(bootstrapJson).terraform!.backend!.local;
    expect(backend.path).toBe(BOOTSTRAP_STATE_PATH);
    const root = join(__dirname, "..");
    for (const outdir of Object.values(OUTPUT_DIRS)) {
      const resolved = resolve(root, outdir, "stacks", "bootstrap", backend.path);
      expect(resolved).toBe(join(root, "state", "terraform.bootstrap.tfstate"));
    }
    expect(readFileSync(join(root, ".gitignore"), "utf8").split("\n")).toEqual(expect.arrayContaining(["/state/", "cdktf.out/", "cdktf.out.hcl/"]));
  });

  it("declares the outputs operators and the Kubernetes stacks read, secrets' endpoints sensitive", () => {
    const outputs = docs[ENVIRONMENTS[0].name].output!;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([
        "vpc_id", "private_subnet_ids", "public_subnet_ids", "database_subnet_ids", "cluster_name", "cluster_endpoint",
        "cluster_oidc_issuer_url", "cluster_oidc_provider_arn", "node_security_group_id", "database_endpoint", "database_secret_arn",
        "cache_endpoint", "cache_secret_arn", "cloudfront_domain_name", "public_zone_id", "private_zone_id",
        "alert_topic_arns",
      ]),
    );
    expect(outputs.vpc_id.value).toMatch(/^\$\{aws_vpc\.network_vpc_\w+\.id\}$/);
    expect(outputs.cluster_name.value).toMatch(/^\$\{aws_eks_cluster\.\w+\.name\}$/);
    // The public zone is the account stack's; the environment reads it by name.
    expect(outputs.public_zone_id.value).toMatch(/^\$\{data\.aws_route53_zone\.public-zone\.zone_id\}$/);
    expect(outputs.database_secret_arn.value).toMatch(/master_user_secret\[0\]\.secret_arn/);
    for (const name of ["database_endpoint", "database_replica_endpoints", "cache_endpoint", "cache_reader_endpoint"]) expect(outputs[name].sensitive).toBe(true);
    expect(outputs.vpc_id.sensitive).toBe(false);
    for (const [name, output] of Object.entries(outputs)) {
      expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(output.description).toBeTruthy();
    }
    expect(Object.keys(parse(bootstrapJson).output!).sort()).toEqual(["lock_table", "state_bucket", "state_bucket_arn", "state_kms_key_alias", "state_kms_key_arn"]);
    expect(Object.keys(parse(Testing.synth(platform.account)).output!).sort()).toEqual([
      "account_id", "admin_role_arn", "apex_name_servers", "auditor_role_arn", "ci_roles", "ci_roles_json", "compute_optimizer_status", "config_bucket", "github_oidc_provider_arn",
      "image_push_roles_json", "partition", "ses_configuration_set", "ses_smtp_user",
    ]);
  });

  it("deploys bootstrap, then account, then the environments", () => {
    expect(platform.account.dependencies).toEqual([platform.bootstrap]);
    for (const stack of Object.values(platform.environments)) expect(stack.dependencies).toContain(platform.account);
  });

  it("leaves the public zones to the account stack: each environment looks its zone up by name", () => {
    for (const config of ENVIRONMENTS) {
      const doc = docs[config.name];
      expect(configsOf(doc, "aws_route53_zone").every((z) => z.vpc !== undefined)).toBe(true);
      expect(Object.values(doc.data!.aws_route53_zone)).toEqual([{ name: config.edge.domain, private_zone: false }]);
    }
  });

  it("keeps the account stack's state in the shared backend under aivo/account/terraform.tfstate", () => {
    const doc = parse(Testing.synth(platform.account));
    expect(doc.terraform!.backend!.s3).toEqual(
      expect.objectContaining({ key: "aivo/account/terraform.tfstate", encrypt: true, kms_key_id: "alias/aivo/bootstrap/terraform-state" }),
    );
  });
});

/** The figures the infrastructure document gives for the three original environments. */
const DOCUMENTED = {
  development: { vpc: "10.10", nat: "single", scaling: { general: [2, 2, 4], spot: [0, 1, 4], memory: [0, 0, 2] }, cacheNodes: 1, dbMultiAz: false, replicas: 0 },
  staging: { vpc: "10.20", nat: "one-per-az", scaling: { general: [2, 3, 8], spot: [0, 2, 8], memory: [1, 1, 4] }, cacheNodes: 2, dbMultiAz: true, replicas: 0 },
  production: { vpc: "10.0", nat: "one-per-az", scaling: { general: [3, 6, 20], spot: [0, 3, 20], memory: [2, 2, 8] }, cacheNodes: 3, dbMultiAz: true, replicas: 1 },
} as const;

describe.each([development, staging, production].map((c) => [c.name, c] as const))("the documented figures of %s", (name, config) => {
  const figures = DOCUMENTED[name as keyof typeof DOCUMENTED];
  it("match its configuration", () => {
    expect(config.network.vpcCidr).toBe(`${figures.vpc}.0.0/16`);
    expect(config.network.natGateways).toBe(figures.nat);
    expect(Object.fromEntries(Object.entries(config.eks.nodeGroups!).map(([k, g]) => [k, [g.minSize, g.desiredSize, g.maxSize]]))).toEqual(figures.scaling);
    expect([config.cache.numCacheClusters, config.database.multiAz, config.database.readReplicaCount ?? 0]).toEqual([figures.cacheNodes, figures.dbMultiAz, figures.replicas]);
  });
});

describe.each(EACH_ENVIRONMENT)("the %s stack", (_name, config) => {
  const natMode = config.network.natGateways;
  const natCount = natMode === "single" ? 1 : config.network.availabilityZones.length;
  const doc = docs[config.name];

  it("follows the documented CIDR plan", () => {
    const subnets = configsOf(doc, "aws_subnet");
    const tier = (t: string) => subnets.filter((s) => s.tags.Tier === t).map((s) => s.cidr_block);
    expect(configsOf(doc, "aws_vpc")[0].cidr_block).toBe(config.network.vpcCidr);
    expect(tier("private")).toEqual(config.network.privateSubnets);
    expect(tier("public")).toEqual(config.network.publicSubnets);
    expect(tier("database")).toEqual(config.network.databaseSubnets);
    expect(new Set(subnets.map((s) => s.availability_zone))).toEqual(new Set(config.network.availabilityZones));
  });

  it(`has ${natCount} NAT gateway(s) (${natMode})`, () => {
    expect(config.network.natGateways).toBe(natMode);
    expect(configsOf(doc, "aws_nat_gateway")).toHaveLength(natCount);
  });

  it("keeps its state in the shared S3 backend under aivo/<env>/terraform.tfstate, encrypted and locked", () => {
    expect(doc.terraform!.backend).toEqual({
      s3: {
        bucket: "aivo-platform-terraform-state",
        key: `aivo/${config.name}/terraform.tfstate`,
        region: "us-east-1",
        dynamodb_table: "aivo-platform-terraform-locks",
        encrypt: true,
        kms_key_id: "alias/aivo/bootstrap/terraform-state",
      },
    });
  });

  it("configures the AWS provider with its region and the default tags", () => {
    expect(doc.provider!.aws[0]).toEqual(
      expect.objectContaining({
        region: config.region,
        default_tags: [
          { tags: { Project: "aivo", Environment: config.name, ManagedBy: "cdktf", CostCenter: config.costCenter } },
        ],
      }),
    );
  });

  it("names resources aivo-<env>-…", () => {
    expect(configsOf(doc, "aws_vpc")[0].tags.Name).toBe(`aivo-${config.name}-vpc`);
    const privateSubnets = configsOf(doc, "aws_subnet").filter((s) => s.tags.Tier === "private");
    expect(privateSubnets.every((s) => s.tags["karpenter.sh/discovery"] === `aivo-${config.name}-eks`)).toBe(true);
  });

  it("budgets its monthly cost, filtered to its Environment tag, alerting the severity topics", () => {
    const budget = configsOf(doc, "aws_budgets_budget")[0];
    expect(budget.limit_amount).toBe(String(config.cost.monthlyBudgetUsd));
    expect(budget.cost_filter).toEqual([{ name: "TagKeyValue", values: [`user:Environment$${config.name}`] }]);
    expect(configsOf(doc, "aws_sns_topic").map((t) => t.name).sort()).toEqual(
      ["alert", "critical", "warning"].map((s) => `aivo-${config.name}-alerts-${s}`),
    );
  });

  it("matches the reviewed snapshot of its Terraform", () => {
    expect(synthesized[config.name]).toMatchSnapshot();
  });
});

describe("the bootstrap stack", () => {
  const doc = parse(bootstrapJson);

  it("keeps its own state locally and creates the bucket and lock table the environments use", () => {
    expect(doc.terraform!.backend).toEqual({ local: { path: "../../../state/terraform.bootstrap.tfstate" } });
    expect(configsOf(doc, "aws_s3_bucket")[0].bucket).toBe("aivo-platform-terraform-state");
    expect(configsOf(doc, "aws_dynamodb_table")[0].name).toBe("aivo-platform-terraform-locks");
    expect(configsOf(doc, "aws_kms_alias")[0].name).toBe("alias/aivo/bootstrap/terraform-state");
  });

  it("matches the reviewed snapshot of its Terraform", () => {
    expect(bootstrapJson).toMatchSnapshot();
  });
});

describe.each(allDocs)("invariants of the %s stack", (_name, doc) => {
  it("is plain Terraform JSON: fully-qualified, pinned providers and a required_version", () => {
    const providers = doc.terraform!.required_providers as Record<string, { source: string; version: string }>;
    for (const [name, requirement] of Object.entries(providers)) {
      expect(requirement.source).toBe(`hashicorp/${name}`);
      expect(requirement.version).toMatch(/^\d+\.\d+\.\d+$/);
    }
    expect(doc.terraform!.required_version).toBe(REQUIRED_TERRAFORM_VERSION);
  });

  it("rotates every KMS key and gives each an alias", () => {
    const keys = configsOf(doc, "aws_kms_key");
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => k.enable_key_rotation === true)).toBe(true);
    expect(configsOf(doc, "aws_kms_alias")).toHaveLength(keys.length);
  });

  it("encrypts every log group with a CMK and sets its retention", () => {
    for (const group of configsOf(doc, "aws_cloudwatch_log_group")) {
      expect(group.kms_key_id).toMatch(/aws_kms_key\./);
      expect(group.retention_in_days).toBeGreaterThan(0);
    }
  });

  it("opens no security group ingress to the internet", () => {
    const open = (cidrs?: string[]) => (cidrs ?? []).some((c) => c === "0.0.0.0/0" || c === "::/0");
    for (const group of configsOf(doc, "aws_security_group")) {
      for (const rule of group.ingress ?? []) expect(open(rule.cidr_blocks) || open(rule.ipv6_cidr_blocks)).toBe(false);
    }
    for (const rule of configsOf(doc, "aws_vpc_security_group_ingress_rule")) {
      expect(["0.0.0.0/0", "::/0"]).not.toContain(rule.cidr_ipv4 ?? rule.cidr_ipv6);
    }
    for (const rule of configsOf(doc, "aws_security_group_rule").filter((r) => r.type === "ingress")) {
      expect(open(rule.cidr_blocks) || open(rule.ipv6_cidr_blocks)).toBe(false);
    }
  });

  it("grants no IAM policy Action \"*\" on Resource \"*\"", () => {
    const documents = [
      ...configsOf(doc, "aws_iam_role_policy").map((p) => p.policy),
      ...configsOf(doc, "aws_iam_policy").map((p) => p.policy),
    ];
    for (const json of documents) {
      for (const s of policy(json).Statement) {
        expect(s.Effect === "Allow" && [s.Action].flat().includes("*") && [s.Resource].flat().includes("*")).toBe(false);
      }
    }
  });
});

describe("HCL output (npm run synth:hcl)", () => {
  it("carries the same fully-qualified provider sources and required_version as the JSON", () => {
    const stack = buildPlatform(Testing.app()).environments.production;
    const hcl: string = Testing.synthHcl(stack);
    expect(hcl).toMatch(/required_version\s*=\s*">= 1\.11\.0"/);
    expect(hcl).toMatch(/source\s*=\s*"hashicorp\/aws"/);
    expect(hcl).not.toMatch(/source\s*=\s*"aws"/);
  });
});

describe(".terraform-version", () => {
  it("names an exact release that satisfies the stacks' required_version", () => {
    const pinned = readFileSync(join(__dirname, "..", ".terraform-version"), "utf8").trim();
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const [major, minor] = pinned.split(".").map(Number);
    const [, floorMajor, floorMinor] = /(\d+)\.(\d+)/.exec(REQUIRED_TERRAFORM_VERSION)!.map(Number);
    expect(major > floorMajor || (major === floorMajor && minor >= floorMinor)).toBe(true);
  });
});
