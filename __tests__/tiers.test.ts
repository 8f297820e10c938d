import { Overrides, deepMerge } from "../environments/merge";
import { TIERS, defineEnvironment } from "../environments/tiers";
import { ENVIRONMENT_TIERS, EnvironmentSpec, EnvironmentTier } from "../environments/types";
import { environmentErrors } from "../environments/validate";

const network = (second: number): EnvironmentSpec["network"] => ({
  vpcCidr: `10.${second}.0.0/16`,
  availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
  privateSubnets: [1, 2, 3].map((n) => `10.${second}.${n}.0/24`),
  publicSubnets: [101, 102, 103].map((n) => `10.${second}.${n}.0/24`),
  databaseSubnets: [201, 202, 203].map((n) => `10.${second}.${n}.0/24`),
  natGateways: "one-per-az",
  podNetwork: { cidr: "100.120.0.0/16", subnets: ["100.120.0.0/18", "100.120.64.0/18", "100.120.128.0/18"] },
});
const spec = (tier: EnvironmentTier, extra: Partial<EnvironmentSpec> = {}): EnvironmentSpec => ({
  name: "tiered",
  tier,
  region: "us-east-1",
  network: network(240),
  domain: "tiered.aivo.edu",
  monthlyBudgetUsd: 700,
  people: { alertEmails: ["oncall@aivo.edu"], acmeEmail: "certs@aivo.edu" },
  auth0Tenant: "aivo-tiered.us.auth0.com",
  ...extra,
});
const drNetwork = { ...network(241), availabilityZones: ["us-west-2a", "us-west-2b", "us-west-2c"], podNetwork: undefined };

describe("deepMerge", () => {
  type Shape = { a: number; nested: { keep: string; change: number; list: number[] }; optional?: { x: number } };
  const base: Shape = { a: 1, nested: { keep: "k", change: 1, list: [1, 2, 3] }, optional: { x: 1 } };

  it("merges objects key by key, replaces values and arrays, and leaves both inputs alone", () => {
    const overrides: Overrides<Shape> = { nested: { change: 2, list: [9] } };
    expect(deepMerge(base, overrides)).toEqual({ a: 1, nested: { keep: "k", change: 2, list: [9] }, optional: { x: 1 } });
    expect(base.nested).toEqual({ keep: "k", change: 1, list: [1, 2, 3] });
    expect(overrides).toEqual({ nested: { change: 2, list: [9] } });
  });

  it("removes a key set to undefined, and returns the base for no overrides", () => {
    expect(deepMerge(base, { optional: undefined })).toEqual({ a: 1, nested: base.nested });
    expect("optional" in deepMerge(base, { optional: undefined })).toBe(false);
    expect(deepMerge(base, undefined)).toBe(base);
  });
});

describe("defineEnvironment", () => {
  it.each(ENVIRONMENT_TIERS)("gives a valid %s environment from the spec alone", (tier) => {
    const config = defineEnvironment(spec(tier, tier === "production" ? { drNetwork } : {}));
    expect(environmentErrors(config).map((e) => e.message)).toEqual([]);
    expect([config.name, config.tier, config.region, config.network]).toEqual(["tiered", tier, "us-east-1", network(240)]);
  });

  it.each(ENVIRONMENT_TIERS)("derives the %s environment's domain names, Auth0 URLs, budget and people from the spec", (tier) => {
    const config = defineEnvironment(spec(tier));
    expect(config.edge).toMatchObject({ domain: "tiered.aivo.edu", originDomain: "origin.tiered.aivo.edu" });
    expect(config.auth0).toMatchObject({
      domain: "aivo-tiered.us.auth0.com",
      audience: "https://api.tiered.aivo.edu",
      issuer: "https://aivo-tiered.us.auth0.com/",
      jwksUri: "https://aivo-tiered.us.auth0.com/.well-known/jwks.json",
    });
    expect(config.cost.monthlyBudgetUsd).toBe(700);
    expect(config.alerting.emailSubscribers?.critical).toEqual(["oncall@aivo.edu"]);
    expect(config.kubernetes.acmeEmail).toBe("certs@aivo.edu");
  });

  it("lets production reach the API server from its own private subnets, page through its own SSM parameter, fail over to its own origins", () => {
    const config = defineEnvironment(spec("production", { drNetwork }));
    expect(config.eks.privateAccessCidrs).toEqual(network(240).privateSubnets);
    expect(config.alerting.pagerDuty?.integrationUrlParameter).toBe("/aivo/tiered/pagerduty-integration-url");
    expect(config.dr?.network).toBe(drNetwork);
    expect(config.dr?.traffic).toEqual({ primaryTarget: "origin-us-east-1.tiered.aivo.edu", secondaryTarget: "origin-us-west-2.tiered.aivo.edu" });
    expect(defineEnvironment(spec("production")).dr).toBeUndefined();
  });

  it("lays overrides over the tier's defaults", () => {
    const defaults = TIERS.staging(spec("staging"));
    const config = defineEnvironment(spec("staging"), { database: { instanceClass: "db.r6g.large" }, tracing: { samplingRules: [] } });
    expect(config.database).toEqual({ ...defaults.database, instanceClass: "db.r6g.large" });
    expect(config.tracing.samplingRules).toEqual([]);
    expect(config.cache).toEqual(defaults.cache);
  });

  it("rejects a tier it has no defaults for, naming the environment and the tiers", () => {
    expect(() => defineEnvironment(spec("qa" as EnvironmentTier))).toThrow('tiered.tier: "qa" is not one of development, staging, production');
  });
});
