import { Testing } from "cdktf";
import { development } from "../environments/development";
import { production } from "../environments/production";
import { staging } from "../environments/staging";
import { synthPlatform } from "../environments/synth";
import { EnvironmentConfig } from "../environments/types";
import { ConfigError, validateEnvironments } from "../environments/validate";

type Change = (config: EnvironmentConfig) => EnvironmentConfig;
const withNetwork = (change: Partial<EnvironmentConfig["network"]>): Change => (c) => ({ ...c, network: { ...c.network, ...change } });

/** The three real environments with `change` applied to the one named `target`. */
function environmentsWith(target: string, change: Change): EnvironmentConfig[] {
  return [development, staging, production].map((c) => (c.name === target ? change(c) : c));
}

describe("environment validation", () => {
  it("accepts the three configured environments", () => {
    expect(() => validateEnvironments([development, staging, production])).not.toThrow();
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
    ["an invalid environment name", "development", (c) => ({ ...c, name: "Dev_1" }), 'environment name "Dev_1": use 3-22 lowercase letters'],
    ["an unknown tier", "development", (c) => ({ ...c, tier: "qa" as never }), 'development.tier: "qa" is not one of development, staging, production'],
    ["an invalid cost center", "staging", (c) => ({ ...c, costCenter: "" }), 'staging.costCenter: "" is not a valid tag value'],
    ["a retention CloudWatch does not accept", "staging", (c) => ({ ...c, logRetentionDays: 45 }), "staging.logRetentionDays: 45 is not a retention CloudWatch Logs accepts"],
    ["production logs kept under a year", "production", (c) => ({ ...c, logRetentionDays: 90 }), "production.logRetentionDays: 90 is below the 365 days production keeps logs"],
    ["production with a single NAT gateway", "production", withNetwork({ natGateways: "single" }), 'production.network.natGateways: "single" leaves production without egress when one AZ fails; use "one-per-az"'],
  ];

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
    expect(synthPlatform(undefined, app, (line) => lines.push(line))).toBe(0);
    expect(lines).toEqual([]);
    expect(app.node.children.map((c) => c.node.id)).toEqual([
      "bootstrap",
      "account",
      ...["development", "staging", "production"].flatMap((env) => [env, `${env}-addons`, `${env}-workloads`, `${env}-services`]),
    ]);
  });
});
