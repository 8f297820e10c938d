import { Testing } from "cdktf";
import { buildPlatform } from "../environments";
import { DATABASE_RPO_SECONDS, DrSettings, drStackName, drStateKey } from "../environments/dr-stack";
import { development } from "../environments/development";
import { production } from "../environments/production";
import { staging } from "../environments/staging";
import { EnvironmentConfig } from "../environments/types";
import { validateEnvironments } from "../environments/validate";
import { FAILOVER_ORIGIN_ID, ALB_ORIGIN_ID, API_PATH_PATTERN, ORIGIN_FAILOVER_STATUS_CODES, STATIC_ASSETS_ORIGIN_GROUP_ID, STATIC_ASSETS_ORIGIN_ID, STATIC_ASSETS_REPLICA_ORIGIN_ID, STATIC_PATH_PATTERN } from "../modules/aws/edge/cloudfront";
import { Naming, regionCode } from "../modules/shared/naming";
import { configsOf, onlyResource, parse, resourcesOf, TerraformJson } from "./helpers";

const platform = buildPlatform(Testing.app());
const drStack = platform.dr.production;
// As app.synth() does: resolve cross-stack references (remote state here, outputs in production).
for (const stack of [platform.environments.production, drStack]) stack.prepareStack();
const dr = parse(Testing.synth(drStack));
const prod = parse(Testing.synth(platform.environments.production));
const allStacks: [string, TerraformJson][] = [
  ["production-dr", dr],
  ...Object.entries(platform.environments).map(([name, stack]) => [name, name === "production" ? prod : parse(Testing.synth(stack))] as [string, TerraformJson]),
  ["bootstrap", parse(Testing.synth(platform.bootstrap))],
  ["account", parse(Testing.synth(platform.account))],
];

/** The remote-state output a `${data.terraform_remote_state.<x>.outputs.<name>}` expression reads. */
function remoteOutput(expression: string): { stateName: string; output: string } {
  const m = /^\$\{data\.terraform_remote_state\.([\w-]+)\.outputs\.([\w-]+)\}$/.exec(expression);
  if (!m) throw new Error(`not a remote-state reference: ${expression}`);
  return { stateName: m[1], output: m[2] };
}

describe("region-aware naming", () => {
  it.each([
    ["us-west-2", "usw2"],
    ["us-east-1", "use1"],
    ["eu-central-1", "euc1"],
    ["ap-southeast-2", "apse2"],
    ["us-gov-west-1", "usgovw1"],
  ])("codes %s as %s", (region, code) => expect(regionCode(region)).toBe(code));

  it("qualifies every name, alias and path of the environment with the region code", () => {
    const naming = new Naming("aivo", "production").inRegion("us-west-2");
    expect(naming.environment).toBe("production");
    expect(naming.name("eks")).toBe("aivo-production-usw2-eks");
    expect(naming.kmsAlias("rds")).toBe("alias/aivo/production-usw2/rds");
    expect(naming.path("elasticache", "slow-log")).toBe("/aivo/production-usw2/elasticache/slow-log");
    expect(new Naming("aivo", "production").name("eks")).toBe("aivo-production-eks");
  });

  it("rejects a string that is not a region", () => {
    expect(() => new Naming("aivo", "production").inRegion("west")).toThrow('naming.region: "west" is not an AWS region like us-west-2');
  });
});

describe("the production-dr stack", () => {
  it("exists for production only, deployed after production", () => {
    expect(Object.keys(platform.dr)).toEqual(["production"]);
    expect(drStack.node.id).toBe(drStackName("production"));
    expect(drStack.dependencies).toEqual([platform.environments.production]);
  });

  it("keeps its state under aivo/production/dr.tfstate and runs its default provider in us-west-2", () => {
    expect(drStateKey("production")).toBe("aivo/production/dr.tfstate");
    expect(dr.terraform!.backend!.s3).toEqual(
      expect.objectContaining({ key: "aivo/production/dr.tfstate", bucket: "aivo-platform-terraform-state", encrypt: true }),
    );
    expect(dr.provider!.aws).toHaveLength(1);
    expect(dr.provider!.aws[0]).toEqual(
      expect.objectContaining({ region: "us-west-2", default_tags: [{ tags: expect.objectContaining({ Environment: "production" }) }] }),
    );
  });

  it("builds the DR VPC from config: three tiers in us-west-2 and a NAT per AZ", () => {
    expect(onlyResource(dr, "aws_vpc").cidr_block).toBe("10.100.0.0/16");
    const subnets = configsOf(dr, "aws_subnet");
    const tier = (t: string) => subnets.filter((s) => s.tags.Tier === t).map((s) => s.cidr_block);
    expect(tier("private")).toEqual(["10.100.1.0/24", "10.100.2.0/24", "10.100.3.0/24"]);
    expect(tier("public")).toEqual(["10.100.101.0/24", "10.100.102.0/24", "10.100.103.0/24"]);
    expect(tier("database")).toEqual(["10.100.201.0/24", "10.100.202.0/24", "10.100.203.0/24"]);
    expect(new Set(subnets.map((s) => s.availability_zone))).toEqual(new Set(["us-west-2a", "us-west-2b", "us-west-2c"]));
    expect(configsOf(dr, "aws_nat_gateway")).toHaveLength(3);
    expect(configsOf(dr, "aws_vpc_endpoint").map((e) => e.service_name).sort()).toEqual([
      "com.amazonaws.us-west-2.dynamodb",
      "com.amazonaws.us-west-2.s3",
    ]);
  });

  it("runs a pilot-light cluster aivo-production-usw2-eks whose node groups start small", () => {
    expect(onlyResource(dr, "aws_eks_cluster").name).toBe("aivo-production-usw2-eks");
    const scaling = Object.fromEntries(
      configsOf(dr, "aws_eks_node_group").map((g) => [g.labels["node-type"], g.scaling_config]),
    );
    expect(scaling).toEqual({
      general: { min_size: 2, desired_size: 2, max_size: 20 },
      spot: { min_size: 0, desired_size: 0, max_size: 20 },
      memory: { min_size: 0, desired_size: 0, max_size: 8 },
    });
    // What the Kubernetes stacks need to target it.
    expect(drStack.eks.clusterName).toBe("aivo-production-usw2-eks");
    for (const value of [drStack.eks.clusterEndpoint, drStack.eks.oidcProviderArn, drStack.eks.clusterCertificateAuthorityData]) {
      expect(typeof value).toBe("string");
    }
  });

  describe("the PostgreSQL replica", () => {
    const replica = onlyResource(dr, "aws_db_instance");

    it("replicates the production primary through a cross-stack reference, not a literal ARN", () => {
      const { stateName, output } = remoteOutput(replica.replicate_source_db);
      expect(replica.replicate_source_db).not.toMatch(/arn:aws/);
      const state = dr.data!.terraform_remote_state[stateName];
      expect(state.backend).toBe("s3");
      expect(state.config).toEqual(expect.objectContaining({ key: "aivo/production/terraform.tfstate", region: "us-east-1" }));
      // The output production exposes is its primary instance's ARN.
      const primaryId = Object.entries(resourcesOf(prod, "aws_db_instance")).find(([, r]) => r.identifier === "aivo-production-postgres")![0];
      expect(output).toBe(`cross-stack-output-aws_db_instance${primaryId}arn`);
    });

    it("is encrypted with CMKs of the DR region and takes engine and credentials from its source", () => {
      const keys = resourcesOf(dr, "aws_kms_key");
      const keyRef = /^\$\{aws_kms_key\.([\w-]+)\.arn\}$/;
      expect(keys[keyRef.exec(replica.kms_key_id)![1]]).toBeDefined();
      expect(keys[keyRef.exec(replica.performance_insights_kms_key_id)![1]]).toBeDefined();
      expect(Object.values(keys).every((k) => k.provider === undefined)).toBe(true); // the us-west-2 default provider
      expect(replica).toEqual(
        expect.objectContaining({
          identifier: "aivo-production-usw2-postgres",
          instance_class: "db.r6g.large",
          storage_encrypted: true,
          backup_retention_period: 14,
          deletion_protection: true,
          publicly_accessible: false,
          skip_final_snapshot: true,
        }),
      );
      for (const field of ["engine", "engine_version", "username", "db_name", "manage_master_user_password"]) {
        expect(replica[field]).toBeUndefined();
      }
      expect(replica.db_subnet_group_name).toMatch(/^\$\{aws_db_subnet_group\./);
    });

    it(`alarms when replica lag threatens the ${DATABASE_RPO_SECONDS / 60}-minute RPO`, () => {
      const lag = configsOf(dr, "aws_cloudwatch_metric_alarm").find((a) => a.metric_name === "ReplicaLag")!;
      expect(lag).toEqual(
        expect.objectContaining({
          alarm_name: "aivo-production-usw2-postgres-replica-lag",
          dimensions: { DBInstanceIdentifier: "aivo-production-usw2-postgres" },
          threshold: 300,
          period: 60,
          evaluation_periods: 5,
          statistic: "Maximum",
          treat_missing_data: "breaching",
        }),
      );
      // Worst case: lag reaches the threshold, plus 5 minutes of evaluation, stays below the RPO.
      expect(lag.threshold + lag.period * lag.evaluation_periods).toBeLessThanOrEqual(DATABASE_RPO_SECONDS);
      expect(lag.alarm_actions).toEqual([expect.stringMatching(/^\$\{aws_sns_topic_policy\.|^\$\{aws_sns_topic\./)]);
    });

    it("drops replicate_source_db and keeps a final snapshot once promoted", () => {
      const promoted: EnvironmentConfig = { ...production, dr: { ...production.dr!, database: { ...production.dr!.database, promoted: true } } };
      const p = buildPlatform(Testing.app(), [promoted]);
      p.dr.production.prepareStack();
      const instance = onlyResource(parse(Testing.synth(p.dr.production)), "aws_db_instance");
      expect(instance.replicate_source_db).toBeUndefined();
      expect(instance.skip_final_snapshot).toBe(false);
      expect(instance.final_snapshot_identifier).toBe("aivo-production-usw2-postgres-final");
      expect(p.dr.production.database.isCrossRegionReplica).toBe(false);
    });
  });

  describe("Redis and the replicated AUTH token", () => {
    it("replicates production's AUTH token secret to us-west-2 under a CMK created there", () => {
      const secret = configsOf(prod, "aws_secretsmanager_secret").find((s) => s.name === "aivo/production/elasticache/auth-token")!;
      expect(secret).toBeDefined();
      expect(secret.replica).toHaveLength(1);
      expect(secret.replica[0].region).toBe("us-west-2");
      const keyId = /^\$\{aws_kms_key\.([\w-]+)\.arn\}$/.exec(secret.replica[0].kms_key_id)![1];
      expect(resourcesOf(prod, "aws_kms_key")[keyId].provider).toBe("aws.dr");
      expect(prod.provider!.aws.find((p) => p.alias === "dr")!.region).toBe("us-west-2");
    });

    it("rebuilds an empty, small Redis in DR that reads the same token from the replica", () => {
      const group = onlyResource(dr, "aws_elasticache_replication_group");
      expect(group).toEqual(
        expect.objectContaining({
          replication_group_id: "aivo-production-usw2-cache",
          node_type: "cache.t4g.small",
          num_cache_clusters: 1,
          transit_encryption_enabled: true,
          at_rest_encryption_enabled: "true",
        }),
      );
      const [sourceId, source] = Object.entries(dr.data!.aws_secretsmanager_secret_version)[0];
      expect(source.secret_id).toBe("aivo/production/elasticache/auth-token");
      expect(group.auth_token).toBe(`\${data.aws_secretsmanager_secret_version.${sourceId}.secret_string}`);
      expect(configsOf(dr, "aws_secretsmanager_secret")).toHaveLength(0);
      // No replication of the cache itself (no Global Datastore).
      expect(resourcesOf(dr, "aws_elasticache_global_replication_group")).toEqual({});
      expect(resourcesOf(prod, "aws_elasticache_global_replication_group")).toEqual({});
    });
  });

  describe("traffic", () => {
    it("fails origin.aivo.edu over from the primary's to the DR origin, each with an HTTPS health check", () => {
      const records = configsOf(dr, "aws_route53_record").filter((r) => r.failover_routing_policy);
      const checks = resourcesOf(dr, "aws_route53_health_check");
      const byRole = Object.fromEntries(records.map((r) => [r.failover_routing_policy.type, r]));
      expect(Object.keys(byRole).sort()).toEqual(["PRIMARY", "SECONDARY"]);
      for (const [role, target] of [
        ["PRIMARY", "origin-us-east-1.aivo.edu"],
        ["SECONDARY", "origin-us-west-2.aivo.edu"],
      ]) {
        const record = byRole[role];
        expect(record).toEqual(expect.objectContaining({ name: "origin.aivo.edu", type: "CNAME", records: [target], ttl: 60 }));
        const checkId = /^\$\{aws_route53_health_check\.([\w-]+)\.id\}$/.exec(record.health_check_id)![1];
        expect(checks[checkId]).toEqual(
          expect.objectContaining({ type: "HTTPS", fqdn: target, port: 443, resource_path: "/healthz/ready", enable_sni: true, request_interval: 10, failure_threshold: 3 }),
        );
        // The zone is production's public zone (looked up there by name), by cross-stack reference.
        expect(remoteOutput(record.zone_id).output).toBe("cross-stack-output-dataaws_route53_zonepublic-zonezone_id");
      }
    });

    it("keeps the WAF in front, fails /static/* over from the bucket to its DR replica (an origin group), and leaves the ALB's failover to DNS", () => {
      const distribution = onlyResource(prod, "aws_cloudfront_distribution");
      expect(distribution.origin.map((o: Record<string, string>) => o.origin_id)).not.toContain(FAILOVER_ORIGIN_ID);
      const behaviors = Object.fromEntries(distribution.ordered_cache_behavior.map((b: Record<string, any>) => [b.path_pattern, b]));
      // The one origin group: S3 primary, S3 replica (the DR bucket), on a GET/HEAD-only behaviour.
      expect(distribution.origin_group).toEqual([
        {
          origin_id: STATIC_ASSETS_ORIGIN_GROUP_ID,
          failover_criteria: { status_codes: [...ORIGIN_FAILOVER_STATUS_CODES] },
          member: [{ origin_id: STATIC_ASSETS_ORIGIN_ID }, { origin_id: STATIC_ASSETS_REPLICA_ORIGIN_ID }],
        },
      ]);
      expect(behaviors[STATIC_PATH_PATTERN].target_origin_id).toBe(STATIC_ASSETS_ORIGIN_GROUP_ID);
      // Origin groups need a read-only behaviour: GET and HEAD, optionally OPTIONS.
      for (const method of behaviors[STATIC_PATH_PATTERN].allowed_methods) expect(["GET", "HEAD", "OPTIONS"]).toContain(method);
      const replica = distribution.origin.find((o: Record<string, any>) => o.origin_id === STATIC_ASSETS_REPLICA_ORIGIN_ID);
      expect(replica.domain_name).toMatch(/aws_s3_bucket\.buckets_static-assets-dr_\w+\.bucket_regional_domain_name/);
      expect(replica.origin_access_control_id).toBe(distribution.origin.find((o: Record<string, any>) => o.origin_id === STATIC_ASSETS_ORIGIN_ID).origin_access_control_id);
      // Behaviors that allow writes can't use an origin group; they follow origin.aivo.edu's DNS failover.
      expect(behaviors[API_PATH_PATTERN].target_origin_id).toBe(ALB_ORIGIN_ID);
      expect(distribution.default_cache_behavior.target_origin_id).toBe(ALB_ORIGIN_ID);
      expect(distribution.web_acl_id).toMatch(/^\$\{aws_wafv2_web_acl\./);
    });

    it("adds no origin group where there is no DR", () => {
      const staged = parse(Testing.synth(platform.environments.staging));
      const distribution = onlyResource(staged, "aws_cloudfront_distribution");
      expect(distribution.origin_group).toBeUndefined();
      expect(distribution.origin.map((o: Record<string, string>) => o.origin_id)).not.toContain(FAILOVER_ORIGIN_ID);
    });
  });

  it("declares outputs for the runbook", () => {
    expect(Object.keys(dr.output!)).toEqual(
      expect.arrayContaining(["database_identifier", "cluster_name", "primary_health_check_id", "cache_primary_endpoint", "region"]),
    );
    expect(dr.output!.cluster_name.value).toBe("aivo-production-usw2-eks");
    expect(dr.output!.database_identifier.value).toBe("aivo-production-usw2-postgres");
  });

  it("matches the reviewed snapshot of its Terraform", () => {
    expect(dr).toMatchSnapshot();
  });
});

describe("region-safe names", () => {
  const namesOf = (doc: TerraformJson, type: string) =>
    configsOf(doc, type)
      .map((r) => r.name as string | undefined)
      .filter((n): n is string => typeof n === "string");

  it.each(["aws_iam_role", "aws_iam_policy", "aws_iam_instance_profile", "aws_kms_alias"])(
    "no %s name appears in two stacks (nor twice in one)",
    (type) => {
      const seen = new Map<string, string>();
      for (const [stack, doc] of allStacks) {
        for (const name of namesOf(doc, type)) {
          expect([name, seen.get(name)]).toEqual([name, undefined]);
          seen.set(name, stack);
        }
      }
      if (type === "aws_iam_role") expect(seen.size).toBeGreaterThan(10);
    },
  );

  it("names every DR IAM role aivo-production-usw2-…", () => {
    const roles = namesOf(dr, "aws_iam_role");
    expect(roles.length).toBeGreaterThanOrEqual(8);
    for (const name of roles) expect(name).toMatch(/^aivo-production-usw2-/);
    // The roles of the pilot-light cluster the earlier change warned about.
    expect(roles).toEqual(expect.arrayContaining(["aivo-production-usw2-eks-admin"]));
  });
});

describe("DR validation", () => {
  const drOf = (c: EnvironmentConfig) => c.dr!;
  type Change = (dr: DrSettings) => DrSettings;
  const withDr = (change: Change) => (c: EnvironmentConfig): EnvironmentConfig => ({ ...c, dr: change(drOf(c)) });
  const withDrNetwork = (network: Partial<DrSettings["network"]>) => withDr((d) => ({ ...d, network: { ...d.network, ...network } }));
  const envs = (change: (c: EnvironmentConfig) => EnvironmentConfig, others: EnvironmentConfig[] = [development, staging]) => [
    ...others,
    change(production),
  ];

  it.each<[string, EnvironmentConfig[], string]>([
    [
      "a dr section without drRegion",
      envs((c) => ({ ...c, tier: "staging", drRegion: undefined })),
      "production.dr: is set but production.drRegion is not; set drRegion (e.g. us-west-2) or remove dr",
    ],
    [
      "a DR region equal to the primary region",
      envs((c) => ({ ...c, drRegion: "us-east-1" })),
      "production.drRegion: us-east-1 equals the primary region; disaster recovery needs another region (e.g. us-west-2)",
    ],
    [
      "a DR VPC overlapping an environment's VPC",
      envs(withDrNetwork({ vpcCidr: "10.0.0.0/16", privateSubnets: ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"], publicSubnets: ["10.0.101.0/24", "10.0.102.0/24", "10.0.103.0/24"], databaseSubnets: ["10.0.201.0/24", "10.0.202.0/24", "10.0.203.0/24"] })),
      "production.dr.network.vpcCidr: 10.0.0.0/16 overlaps production.network.vpcCidr (10.0.0.0/16); VPCs must not overlap so environments stay peerable",
    ],
    [
      "a DR VPC overlapping another environment's DR VPC",
      [development, { ...staging, drRegion: "us-west-2", dr: production.dr }, production],
      "production.dr.network.vpcCidr: 10.100.0.0/16 overlaps staging.dr.network.vpcCidr (10.100.0.0/16); VPCs must not overlap so environments stay peerable",
    ],
    [
      "a DR subnet outside the DR VPC",
      envs(withDrNetwork({ databaseSubnets: ["10.100.201.0/24", "10.100.202.0/24", "10.101.203.0/24"] })),
      "production.dr.network.databaseSubnets[2]: 10.101.203.0/24 is outside the VPC 10.100.0.0/16",
    ],
    [
      "a DR AZ outside the DR region",
      envs(withDrNetwork({ availabilityZones: ["us-west-2a", "us-west-2b", "us-east-1c"] })),
      'production.dr.network.availabilityZones[2]: "us-east-1c" is not an availability zone of us-west-2 (e.g. us-west-2a)',
    ],
    [
      "a replica-lag alarm beyond the RPO",
      envs(withDr((d) => ({ ...d, database: { ...d.database, replicaLagAlarmThresholdSeconds: 1200 } }))),
      "production.dr.database.replicaLagAlarmThresholdSeconds: 1200 is outside 1-900; the alarm must fire before the 15-minute RPO is lost",
    ],
    [
      "a failover target that is the failover name itself",
      envs(withDr((d) => ({ ...d, traffic: { ...d.traffic, secondaryTarget: "origin.aivo.edu" } }))),
      "production.dr.traffic.secondaryTarget: \"origin.aivo.edu\" is edge.originDomain, the name that fails over; use the region's own ALB name, e.g. origin-us-west-2.aivo.edu",
    ],
  ])("rejects %s", (_what, configs, message) => {
    expect(() => validateEnvironments(configs)).toThrow(message);
  });

  it.each<[string, Change, string]>([
    [
      "a DR node group error (reported under production.dr.eks)",
      (d) => ({ ...d, eks: { ...d.eks, nodeGroups: { general: { ...d.eks.nodeGroups!.general, minSize: 3, desiredSize: 2 } } } }),
      "production.dr.eks.nodeGroups.general: desiredSize 2 is outside minSize 3 .. maxSize 20; set desiredSize within the range",
    ],
    [
      "a DR cache error (reported under production.dr.cache)",
      (d) => ({ ...d, cache: { ...d.cache, multiAz: true } }),
      "production.dr.cache.multiAz: true needs at least 2 nodes, numCacheClusters is 1",
    ],
    [
      "a DR database class error (reported under production.dr.database)",
      (d) => ({ ...d, database: { ...d.database, instanceClass: "r6g.large" } }),
      'production.dr.database.instanceClass: "r6g.large" is not an RDS instance class',
    ],
  ])("rejects %s when the stack is built", (_what, change, message) => {
    const config = withDr(change)(production);
    expect(() => buildPlatform(Testing.app(), [config])).toThrow(message);
  });

  it("refuses in-region replicas on a cross-region replica", () => {
    const config: EnvironmentConfig = { ...production };
    // readReplicaCount is the primary's; the DR stack drops it, so feed the module directly.
    const { PostgresDatabase } = jest.requireActual("../modules/aws/data/database") as typeof import("../modules/aws/data/database");
    expect(() =>
      Testing.synthScope((scope) => {
        new PostgresDatabase(scope, "db", {
          ...config.database,
          naming: new Naming("aivo", "production").inRegion("us-west-2"),
          vpcId: "vpc-1",
          allowedSecurityGroupIds: ["sg-1"],
          alarmTopicArns: ["arn:aws:sns:us-west-2:123456789012:alerts"],
          logRetentionDays: 365,
          dbSubnetGroupName: "db",
          readReplicaCount: 1,
          crossRegionReplicaOf: { sourceDbArn: "arn:aws:rds:us-east-1:123456789012:db:aivo-production-postgres" },
        });
      }),
    ).toThrow("production.database.readReplicaCount: 1 on a cross-region replica; it has no replicas of its own, set 0");
  });

  it("rejects a CloudFront failover origin equal to the primary origin", () => {
    const { EdgeDistribution } = jest.requireActual("../modules/aws/edge/cloudfront") as typeof import("../modules/aws/edge/cloudfront");
    const { AwsProvider } = jest.requireActual("@cdktf/provider-aws/lib/provider") as typeof import("@cdktf/provider-aws/lib/provider");
    expect(() =>
      Testing.synthScope((scope) => {
        const usEast1 = new AwsProvider(scope, "us-east-1", { region: "us-east-1", alias: "us_east_1" });
        new EdgeDistribution(scope, "edge", {
          ...production.edge,
          naming: new Naming("aivo", "production"),
          usEast1Provider: usEast1,
          webAclArn: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/acl/1234",
          vpcId: "vpc-1",
          publicZoneId: "Z0123456789ABCDEFGHIJ",
          logRetentionDays: 365,
          failoverOriginDomain: "origin.aivo.edu",
        });
      }),
    ).toThrow('production.edge.failoverOriginDomain: "origin.aivo.edu" must differ from originDomain');
  });
});
