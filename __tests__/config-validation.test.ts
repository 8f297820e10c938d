import { Testing } from "cdktf";
import { mkdirSync, mkdtempSync, existsSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { App } from "cdktf";
import { ENVIRONMENTS } from "../environments";
import { development } from "../environments/development";
import { staging } from "../environments/staging";
import { OUTPUT_DIRS, defaultApp, removeStaleOutput, synthPlatform } from "../environments/synth";
import { EnvironmentConfig } from "../environments/types";
import { ConfigError, environmentErrors, validateEnvironments } from "../environments/validate";

type Change = (config: EnvironmentConfig) => EnvironmentConfig;
const withNetwork = (change: Partial<EnvironmentConfig["network"]>): Change => (c) => ({ ...c, network: { ...c.network, ...change } });

/** The configured environments with `change` applied to the one named `target`. */
function environmentsWith(target: string, change: Change): EnvironmentConfig[] {
  return ENVIRONMENTS.map((c) => (c.name === target ? change(c) : c));
}

describe("environment validation", () => {
  it("accepts the configured environments", () => {
    expect(() => validateEnvironments(ENVIRONMENTS)).not.toThrow();
  });

  it("accepts a two-character name (qa)", () => {
    expect(() => validateEnvironments([{ ...development, name: "qa" }])).not.toThrow();
  });

  const cases: [string, string, Change, string][] = [
    ["a malformed VPC CIDR", "staging", withNetwork({ vpcCidr: "10.20.0.0/33" }), 'staging.network.vpcCidr: "10.20.0.0/33" is not an IPv4 CIDR block'],
    [
      "a malformed subnet CIDR",
      "development",
      withNetwork({ privateSubnets: ["10.10.1.0/24", "10.10.2.300/24", "10.10.3.0/24"] }),
      'development.network.privateSubnets[1]: "10.10.2.300/24" is not an IPv4 CIDR block',
    ],
    [
      "a subnet outside its VPC",
      "production",
      withNetwork({ databaseSubnets: ["10.0.201.0/24", "10.0.202.0/24", "10.1.203.0/24"] }),
      "production.network.databaseSubnets[2]: 10.1.203.0/24 is outside the VPC 10.0.0.0/16",
    ],
    [
      "overlapping subnets",
      "production",
      withNetwork({ databaseSubnets: ["10.0.201.0/24", "10.0.202.0/24", "10.0.3.0/24"] }),
      "production.network.databaseSubnets[2]: 10.0.3.0/24 overlaps privateSubnets[2] (10.0.3.0/24)",
    ],
    [
      "a tier whose subnet count differs from the AZ count",
      "staging",
      withNetwork({ databaseSubnets: ["10.20.201.0/24", "10.20.202.0/24"] }),
      "staging.network.databaseSubnets: has 2 subnets for 3 availability zones",
    ],
    [
      "VPCs of two environments overlapping",
      "staging",
      (c) => ({
        ...c,
        network: {
          ...c.network,
          vpcCidr: "10.0.0.0/16",
          privateSubnets: ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"],
          publicSubnets: ["10.0.101.0/24", "10.0.102.0/24", "10.0.103.0/24"],
          databaseSubnets: ["10.0.201.0/24", "10.0.202.0/24", "10.0.203.0/24"],
        },
      }),
      "production.network.vpcCidr: 10.0.0.0/16 overlaps staging.network.vpcCidr (10.0.0.0/16); VPCs must not overlap so environments stay peerable",
    ],
    ["duplicate environment names", "staging", (c) => ({ ...c, name: "development" }), 'environments[1].name: "development" is also the name of environments[0]'],
    ["a DR region equal to the primary", "production", (c) => ({ ...c, drRegion: "us-east-1" }), "production.drRegion: us-east-1 equals the primary region"],
    ["a malformed DR region", "production", (c) => ({ ...c, drRegion: "uswest2" }), 'production.drRegion: "uswest2" is not an AWS region'],
    ["production without a DR region", "production", (c) => ({ ...c, drRegion: undefined }), "production.drRegion: a production environment needs a disaster-recovery region"],
    ["a malformed region", "development", (c) => ({ ...c, region: "US-EAST-1" }), 'development.region: "US-EAST-1" is not an AWS region like us-east-1'],
    ["an invalid environment name", "development", (c) => ({ ...c, name: "Dev_1" }), 'environment name "Dev_1": use 2-22 lowercase letters'],
    ["a one-letter environment name", "development", (c) => ({ ...c, name: "d" }), 'environment name "d": use 2-22 lowercase letters'],
    ["an environment named like the account stack", "development", (c) => ({ ...c, name: "account" }), 'account.name: "account" is the account stack\'s name and state key (aivo/account/terraform.tfstate)'],
    [
      "two environments with one domain (a copied staging file)",
      "production",
      (c) => ({ ...c, edge: { ...c.edge, domain: staging.edge.domain } }),
      `production.edge.domain: "${staging.edge.domain}" is also the edge.domain of staging`,
    ],
    [
      "two environments with one private zone",
      "production",
      (c) => ({ ...c, edge: { ...c.edge, privateZoneName: `internal.${staging.edge.domain}` } }),
      `production.edge.privateZoneName: "internal.${staging.edge.domain}" is also the edge.privateZoneName of staging`,
    ],
    ["a region whose topics the us-east-1 outage alarms cannot notify", "staging", (c) => ({ ...c, region: "eu-west-1" }), 'staging.region: "eu-west-1": the origin health-check and CloudFront outage alarms exist only in us-east-1 and page through the environment\'s critical topic'],
    ["an unknown tier", "development", (c) => ({ ...c, tier: "qa" as never }), 'development.tier: "qa" is not one of development, staging, production'],
    ["an invalid cost center", "staging", (c) => ({ ...c, costCenter: "" }), 'staging.costCenter: "" is not a valid tag value'],
    ["a retention CloudWatch does not accept", "staging", (c) => ({ ...c, logRetentionDays: 45 }), "staging.logRetentionDays: 45 is not a retention CloudWatch Logs accepts"],
    ["production logs kept under a year", "production", (c) => ({ ...c, logRetentionDays: 90 }), "production.logRetentionDays: 90 is below the 365 days production keeps logs"],
    ["production with a single NAT gateway", "production", withNetwork({ natGateways: "single" }), 'production.network.natGateways: "single" leaves production without egress when one AZ fails; use "one-per-az"'],
  ];

  const pods = (change: Partial<NonNullable<EnvironmentConfig["network"]["podNetwork"]>>): Change =>
    (c) => ({ ...c, network: { ...c.network, podNetwork: { ...c.network.podNetwork!, ...change } } });
  const podCases: [string, string, Change, string][] = [
    [
      "production without a pod network: the /24 node subnets cannot hold its pods",
      "production",
      withNetwork({ podNetwork: undefined }),
      "production.network.privateSubnets: each AZ needs up to 1760 pod addresses (nodeGroups.general 20 × 60 + nodeGroups.spot 20 × 30 + nodeGroups.memory 8 × 60 + karpenterNodeAllowance 50 × 60 = 5280 over 3 AZs) but the smallest subnet 10.0.1.0/24 holds 251; add a podNetwork",
    ],
    [
      "pod subnets too small for the node maximums (custom networking: secondary ENIs only)",
      "production",
      pods({ subnets: ["100.66.0.0/18", "100.66.64.0/18", "100.66.128.0/22"] }),
      "production.network.podNetwork.subnets: each AZ needs up to 1304 pod addresses (nodeGroups.general 20 × 45 + nodeGroups.spot 20 × 20 + nodeGroups.memory 8 × 45 + karpenterNodeAllowance 50 × 45 = 3910 over 3 AZs) but the smallest subnet 100.66.128.0/22 holds 1019; use larger pod subnets or lower the node maximums",
    ],
    [
      "an instance type without known ENI limits",
      "staging",
      (c) => ({ ...c, eks: { ...c.eks, karpenterNodeAllowance: { instanceTypes: ["x9z.large"], maxNodes: 5 } } }),
      'staging.eks.karpenterNodeAllowance.instanceTypes: "x9z.large" has no ENI limits in ENI_LIMITS (modules/aws/compute/eks/pod-capacity.ts); add its network interfaces',
    ],
    ["a pod CIDR outside 100.64.0.0/10", "staging", pods({ cidr: "10.21.0.0/16" }), "staging.network.podNetwork.cidr: 10.21.0.0/16 is outside 100.64.0.0/10"],
    [
      "a pod subnet outside the pod CIDR",
      "staging",
      pods({ subnets: ["100.65.0.0/18", "100.65.64.0/18", "100.70.0.0/18"] }),
      "staging.network.podNetwork.subnets[2]: 100.70.0.0/18 is outside the pod CIDR 100.65.0.0/16",
    ],
    [
      "a pod subnet count that differs from the AZ count",
      "development",
      pods({ subnets: ["100.64.0.0/18"] }),
      "development.network.podNetwork.subnets: has 1 subnets for 3 availability zones",
    ],
    [
      "overlapping pod subnets",
      "development",
      pods({ subnets: ["100.64.0.0/18", "100.64.0.0/19", "100.64.128.0/18"] }),
      "development.network.podNetwork.subnets[1]: 100.64.0.0/19 overlaps podNetwork.subnets[0] (100.64.0.0/18)",
    ],
    [
      "pod CIDRs of two environments overlapping",
      "staging",
      pods({ cidr: "100.64.0.0/16", subnets: ["100.64.0.0/18", "100.64.64.0/18", "100.64.128.0/18"] }),
      "staging.network.podNetwork.cidr: 100.64.0.0/16 overlaps development.network.podNetwork.cidr (100.64.0.0/16)",
    ],
  ];
  cases.push(...podCases);
  cases.push([
    "a DR origin name outside the environment's domain (its certificate could not be validated)",
    "production",
    (c) => ({ ...c, dr: { ...c.dr!, traffic: { ...c.dr!.traffic, primaryTarget: "origin-us-east-1.example.com" } } }),
    'production.dr.traffic.primaryTarget: "origin-us-east-1.example.com" is not under aivo.edu; the origin certificates are validated in that zone, use e.g. origin-us-east-1.aivo.edu',
  ]);

  it.each(cases)("rejects %s", (_what, target, change, message) => {
    const run = () => validateEnvironments(environmentsWith(target, change));
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
  });

  it("rejects an empty environment list", () => {
    expect(() => validateEnvironments([])).toThrow("environments: none configured");
  });
});

describe("synthPlatform", () => {
  it("reports every mistake of every environment in one run, each once, one line each", () => {
    const lines: string[] = [];
    const broken = ENVIRONMENTS.map((c) => {
      if (c.name === "development") {
        return {
          ...c,
          network: { ...c.network, privateSubnets: ["10.10.1.0/24", "10.10.2.0/24", "10.99.3.0/24"] },
          eks: { ...c.eks, nodeGroups: { ...c.eks.nodeGroups, general: { ...c.eks.nodeGroups!.general, minSize: 5, maxSize: 2, desiredSize: 2 } } },
        };
      }
      return c.name === "production" ? { ...c, cost: { ...c.cost, monthlyBudgetUsd: 0 } } : c;
    });
    expect(synthPlatform(broken, Testing.app(), (line) => lines.push(line))).toBe(1);
    expect(lines).toEqual([
      "error: development.network.privateSubnets[2]: 10.99.3.0/24 is outside the VPC 10.10.0.0/16",
      expect.stringMatching(/^error: development\.eks\.nodeGroups\.general: minSize 5 is greater than maxSize 2/),
    ]);
    // once the configs are valid, module rules of every environment are collected too
    const modules: string[] = [];
    const twoModuleErrors = environmentsWith("production", (c) => ({ ...c, cost: { ...c.cost, monthlyBudgetUsd: 0 } })).map((c) =>
      c.name === "staging" ? { ...c, cost: { ...c.cost, monthlyBudgetUsd: -1 } } : c,
    );
    expect(synthPlatform(twoModuleErrors, Testing.app(), (line) => modules.push(line))).toBe(1);
    expect(modules).toEqual([expect.stringMatching(/^error: staging\.cost\.monthlyBudgetUsd: -1/), expect.stringMatching(/^error: production\.cost\.monthlyBudgetUsd: 0/)]);
  });

  it("prints the stack trace only with AIVO_DEBUG=1", () => {
    const bad = environmentsWith("production", (c) => ({ ...c, drRegion: "us-east-1" }));
    const quiet: string[] = [];
    synthPlatform(bad, Testing.app(), (line) => quiet.push(line));
    expect(quiet.join("\n")).not.toMatch(/\n\s+at /);
    const debug: string[] = [];
    process.env.AIVO_DEBUG = "1";
    try {
      synthPlatform(bad, Testing.app(), (line) => debug.push(line));
    } finally {
      delete process.env.AIVO_DEBUG;
    }
    expect(debug.join("\n")).toMatch(/\n\s+at /);
  });

  it("reports a configuration mistake as one line and exit code 1, without a stack trace", () => {
    const lines: string[] = [];
    const code = synthPlatform(
      environmentsWith("production", (c) => ({ ...c, drRegion: "us-east-1" })),
      Testing.app(),
      (line) => lines.push(line),
    );
    expect(code).toBe(1);
    expect(lines).toEqual([
      "error: production.drRegion: us-east-1 equals the primary region; disaster recovery needs another region (e.g. us-west-2)",
      // production's DR section follows drRegion: its AZs no longer fit, and that is reported in the same run.
      'error: production.dr.network.availabilityZones[0]: "us-west-2a" is not an availability zone of us-east-1 (e.g. us-east-1a)',
    ]);
  });

  it.each([
    [
      "production without RDS deletion protection",
      (c: EnvironmentConfig) => ({ ...c, database: { ...c.database, deletionProtection: false } }),
      "error: production.database.deletionProtection:",
    ],
    [
      "an EKS node group whose desired size is outside its range",
      (c: EnvironmentConfig) => ({
        ...c,
        eks: { ...c.eks, nodeGroups: { ...c.eks.nodeGroups, general: { ...c.eks.nodeGroups!.general, desiredSize: 30 } } },
      }),
      "error: production.eks.nodeGroups.general",
    ],
    [
      "a budget of zero",
      (c: EnvironmentConfig) => ({ ...c, cost: { ...c.cost, monthlyBudgetUsd: 0 } }),
      "error: production.cost.monthlyBudgetUsd: 0",
    ],
  ])("reports a module's validation error (%s) the same way", (_what, change, start) => {
    const lines: string[] = [];
    expect(synthPlatform(environmentsWith("production", change), Testing.app(), (line) => lines.push(line))).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0].startsWith(start)).toBe(true);
    expect(lines[0]).not.toMatch(/\n\s+at /);
  });

  it("synthesizes every stack and exits 0 for the real configuration", () => {
    const lines: string[] = [];
    const app = Testing.app();
    expect(synthPlatform(undefined, app, (line) => lines.push(line), (line) => lines.push(line))).toBe(0);
    const stacks = app.node.children.map((c) => c.node.id);
    // the quota check first (each quota above its default but requested in code, then its summary: none exceeded)…
    const quotaLines = lines.filter((l) => l.startsWith("[QUOTA "));
    expect(quotaLines.every((l) => / within the \d+ requested by account: aws_servicequotas_service_quota\./.test(l))).toBe(true);
    expect(lines[quotaLines.length]).toMatch(/^quotas: \d+ usage\(s\) of \d+ quotas checked, \d+ above the default and requested in code, 0 exceeded$/);
    // …then the guardrails' summary: one line per stack, then the totals…
    const guardrails = lines.slice(quotaLines.length + 1, quotaLines.length + 2 + stacks.length);
    expect(guardrails.slice(0, -1).map((l) => l.split(":")[0])).toEqual(stacks.map((s) => `guardrails ${s}`));
    expect(guardrails[stacks.length]).toMatch(new RegExp(`^guardrails: 0 error\\(s\\), \\d+ warning\\(s\\), 0 unused suppression\\(s\\) in ${stacks.length} stack\\(s\\)$`));
    // …then the budget rule: a warning per acknowledged excess over budget (docs/cost.md), one cost line per environment
    const acknowledged = ENVIRONMENTS.filter((e) => e.cost.overBudget);
    expect(lines.slice(quotaLines.length + 2 + stacks.length).map((l) => l.split(":")[0])).toEqual([
      ...acknowledged.map(() => "warning"),
      ...ENVIRONMENTS.map((e) => `cost ${e.name}`),
    ]);
    for (const e of acknowledged) expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^warning: ${e.name}\\.cost\\.overBudget: the estimate, \\$[\\d,.]+/month, `)));
    expect(stacks).toEqual([
      "bootstrap",
      "account",
      ...ENVIRONMENTS.map((e) => e.name).flatMap((env) => [env, `${env}-addons`, `${env}-workloads`, `${env}-services`]),
      ...ENVIRONMENTS.filter((e) => e.dr).map((e) => `${e.name}-dr`),
    ]);
  });
});

describe("output folders", () => {
  it("writes JSON to cdktf.out and HCL to cdktf.out.hcl unless CDKTF_OUTDIR says otherwise", () => {
    expect(OUTPUT_DIRS).toEqual({ json: "cdktf.out", hcl: "cdktf.out.hcl" });
    expect(defaultApp({}).outdir).toBe("cdktf.out");
    expect(defaultApp({ SYNTH_HCL_OUTPUT: "true" }).outdir).toBe("cdktf.out.hcl");
    expect(defaultApp({ SYNTH_HCL_OUTPUT: "true" }).hclOutput).toBe(true);
    expect(defaultApp({ CDKTF_OUTDIR: "/tmp/x" }).outdir).toBe("/tmp/x");
  });

  it("never leaves a file of the other syntax where Terraform reads (synthesis into one folder twice)", () => {
    const outdir = mkdtempSync(join(tmpdir(), "aivo-out-"));
    mkdirSync(join(outdir, "stacks", "development"), { recursive: true });
    writeFileSync(join(outdir, "stacks", "development", "cdk.tf"), "stale");
    // one environment is enough here (and a third of the work)
    expect(synthPlatform([development], new App({ outdir, skipValidation: true }), () => undefined, () => undefined)).toBe(0);
    expect(existsSync(join(outdir, "stacks", "development", "cdk.tf"))).toBe(false);
    expect(existsSync(join(outdir, "stacks", "development", "cdk.tf.json"))).toBe(true);
    expect(removeStaleOutput(outdir, true)).toEqual(
      ["account", "bootstrap", "development", "development-addons", "development-services", "development-workloads"].map((stack) => join(outdir, "stacks", stack, "cdk.tf.json")),
    );
    expect(existsSync(join(outdir, "stacks", "development", "cdk.tf.json"))).toBe(false);
  });
});

describe("a copied domain", () => {
  it("is reported once, on the domain, not again on the private zone that follows from it", () => {
    // The DR names follow the domain, so only the domain itself is wrong.
    const under = (name: string) => name.replace(/\.aivo\.edu$/, `.${staging.edge.domain}`);
    const copied = environmentsWith("production", (c) => ({
      ...c,
      edge: { ...c.edge, domain: staging.edge.domain },
      dr: c.dr && { ...c.dr, traffic: { ...c.dr.traffic, primaryTarget: under(c.dr.traffic.primaryTarget), secondaryTarget: under(c.dr.traffic.secondaryTarget) } },
    }));
    expect(() => validateEnvironments(copied)).toThrow(ConfigError);
    let messages: string[] = [];
    try {
      validateEnvironments(copied);
    } catch (error) {
      messages = (error as Error).message.split("\n");
    }
    expect(messages).toEqual([
      'production.edge.domain: "staging.aivo.edu" is also the edge.domain of staging; each environment owns its public zone; give it its own domain (e.g. qa.aivo.edu)',
    ]);
  });
});

describe("environment validation: what users feel (issue 29)", () => {
  const byTier = (tier: string) => ENVIRONMENTS.find((c) => c.tier === tier)!;
  const withDr = ENVIRONMENTS.find((c) => c.dr !== undefined)!;
  const errorsOf = (config: EnvironmentConfig) => environmentErrors(config).map((e) => e.message);

  it.each<[string, () => EnvironmentConfig, (env: string) => string]>([
    ["off-hours scaling in production", () => ({ ...byTier("production"), offHours: { enabled: true } }), (env) => `${env}.offHours.enabled: true; production serves users around the clock`],
    [
      "an off-hours time zone that does not exist",
      () => ({ ...byTier("development"), offHours: { workingHours: { timeZone: "Europe/Atlantis" } } }),
      (env) => `${env}.offHours.workingHours.timeZone: "Europe/Atlantis" is not an IANA time zone`,
    ],
    ["a canary rate of zero", () => ({ ...byTier("staging"), canaries: { rateMinutes: 0 } }), (env) => `${env}.canaries.rateMinutes: 0 is outside 1-60`],
    ["a RUM sample rate above 1", () => ({ ...byTier("staging"), realUserMonitoring: { sessionSampleRate: 2 } }), (env) => `${env}.realUserMonitoring.sessionSampleRate: 2 is outside 0-1`],
    [
      "a Kafka topic without a schema",
      () => {
        const c = byTier("production");
        return { ...c, kafka: { ...c.kafka, topics: { ...c.kafka.topics, "billing.events": { partitions: 3, replicationFactor: 3, retention: "7d" } } } };
      },
      () => "schemas/billing.events: no schema; add schemas/billing.events/v1.avsc",
    ],
    [
      "a geolocation answer with an unknown continent",
      () => ({ ...withDr, dr: { ...withDr.dr!, traffic: { ...withDr.dr!.traffic, geolocation: { answers: [{ continent: "XX" as never, target: "origin-eu-west-1.aivo.edu" }] } } } }),
      (env) => `${env}.dr.traffic.geolocation.answers[0].continent: "XX" is not a Route 53 continent code`,
    ],
  ])("reports %s with the field and the fix", (_what, config, message) => {
    const c = config();
    expect(errorsOf(c).join("\n")).toContain(message(c.name));
  });

  it("accepts the configured environments' defaults (canaries, RUM, off-hours in the development tier)", () => {
    for (const config of ENVIRONMENTS) expect(errorsOf(config)).toEqual([]);
  });
});
