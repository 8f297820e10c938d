import { Testing } from "cdktf";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { RedisCluster, RedisClusterProps, RedisSettings, cacheParameterFamily } from "../modules/aws/data/elasticache";
import { Naming } from "../modules/shared/naming";
import { TerraformJson, configsOf, onlyResource, parse, policy, resourcesOf } from "./helpers";

const TOPIC = "arn:aws:sns:us-east-1:123456789012:aivo-alerts";
const CRITICAL = "arn:aws:sns:us-east-1:123456789012:aivo-critical";

const development: RedisSettings = { nodeType: "cache.t4g.micro", numCacheClusters: 1, snapshotRetentionDays: 1 };
const production: RedisSettings = {
  nodeType: "cache.r7g.large",
  numCacheClusters: 3,
  multiAz: true,
  automaticFailover: true,
  snapshotRetentionDays: 7,
};

function props(environment: string, settings: RedisSettings, extra: Partial<RedisClusterProps> = {}): RedisClusterProps {
  return {
    ...settings,
    naming: new Naming("aivo", environment),
    tier: environment === "production" ? "production" : "non-production",
    vpcId: "vpc-0123",
    cacheSubnetGroupName: `aivo-${environment}-database`,
    allowedSecurityGroupIds: ["sg-nodes"],
    alarmTopicArns: [TOPIC],
    criticalAlarmTopicArns: [CRITICAL],
    logRetentionDays: 30,
    ...extra,
  };
}

function synth(p: RedisClusterProps): string {
  return Testing.synthScope((scope) => {
    new RedisCluster(scope, "cache", p);
  });
}

/** `${aws_kms_key.<id>.arn}` of the key whose alias is `alias/aivo/<env>/<purpose>`. */
function keyArnRef(doc: TerraformJson, env: string, purpose: string): string {
  const alias = configsOf(doc, "aws_kms_alias").find((a) => a.name === `alias/aivo/${env}/${purpose}`);
  expect(alias).toBeDefined();
  return alias!.target_key_id.replace(/\.key_id\}$/, ".arn}");
}

describe("RedisCluster", () => {
  const devSynth = synth(props("development", development));
  const prodSynth = synth(props("production", production, { allowedSecurityGroupIds: ["sg-nodes", "sg-system"], logRetentionDays: 90 }));
  const dev = parse(devSynth);
  const prod = parse(prodSynth);

  it("runs Redis 7.1 with the node type and node count of each environment", () => {
    expect(devSynth).toHaveResourceWithProperties(ElasticacheReplicationGroup, {
      replication_group_id: "aivo-development-cache",
      engine: "redis",
      engine_version: "7.1",
      node_type: "cache.t4g.micro",
      num_cache_clusters: 1,
      cluster_mode: "disabled",
      port: 6379,
      subnet_group_name: "aivo-development-database",
    });
    const group = onlyResource(prod, "aws_elasticache_replication_group");
    expect(group.node_type).toBe("cache.r7g.large");
    expect(group.num_cache_clusters).toBe(3);
  });

  it("turns on multi-AZ and automatic failover only where asked (production)", () => {
    const d = onlyResource(dev, "aws_elasticache_replication_group");
    const p = onlyResource(prod, "aws_elasticache_replication_group");
    expect([d.multi_az_enabled, d.automatic_failover_enabled]).toEqual([false, false]);
    expect([p.multi_az_enabled, p.automatic_failover_enabled]).toEqual([true, true]);
  });

  it("keeps the parameter group unchanged when the engine version moves within the family", () => {
    const groupFor = (engineVersion: string) => onlyResource(synth(props("production", { ...production, engineVersion })), "aws_elasticache_parameter_group");
    const before = groupFor("7.0");
    expect(groupFor("7.1")).toEqual(before);
    expect(before.description).not.toMatch(/7\.\d/);
  });

  it("uses a redis7 parameter group whose name carries the family, created before the old one is destroyed", () => {
    const group = onlyResource(prod, "aws_elasticache_parameter_group");
    expect(group.family).toBe("redis7");
    expect(group.name).toBe("aivo-production-cache-redis7");
    expect(group.lifecycle).toEqual({ create_before_destroy: true });
    expect(onlyResource(prod, "aws_elasticache_replication_group").parameter_group_name).toMatch(
      /^\$\{aws_elasticache_parameter_group\.[\w-]+\.name\}$/,
    );
  });

  it("encrypts at rest with its own rotating CMK and requires TLS in transit", () => {
    const group = onlyResource(prod, "aws_elasticache_replication_group");
    expect(group.at_rest_encryption_enabled).toBe("true");
    expect(group.kms_key_id).toBe(keyArnRef(prod, "production", "elasticache"));
    expect(group.transit_encryption_enabled).toBe(true);
    expect(group.transit_encryption_mode).toBe("required");
    const keys = configsOf(prod, "aws_kms_key");
    expect(keys).toHaveLength(3);
    expect(keys.every((k) => k.enable_key_rotation === true)).toBe(true);
  });

  it("authenticates with a Secrets Manager-generated token kept in a CMK-encrypted secret, rotated with ROTATE", () => {
    const random = Object.values(prod.data!.aws_secretsmanager_random_password);
    expect(random).toHaveLength(1);
    expect(random[0]).toMatchObject({ password_length: 64, exclude_punctuation: true, include_space: false });
    const secret = onlyResource(prod, "aws_secretsmanager_secret");
    expect(secret.name).toBe("aivo/production/elasticache/auth-token");
    expect(secret.kms_key_id).toBe(keyArnRef(prod, "production", "elasticache-auth"));
    const version = onlyResource(prod, "aws_secretsmanager_secret_version");
    expect(version.secret_string).toMatch(/^\$\{data\.aws_secretsmanager_random_password\.[\w-]+\.random_password\}$/);
    expect(version.lifecycle).toEqual({ ignore_changes: ["secret_string"] });
    const group = onlyResource(prod, "aws_elasticache_replication_group");
    expect(group.auth_token).toMatch(/^\$\{aws_secretsmanager_secret_version\.[\w-]+\.secret_string\}$/);
    expect(group.auth_token_update_strategy).toBe("ROTATE");
  });

  it("has its own security group: 6379 only from the given security groups, no CIDR, no egress", () => {
    const sg = onlyResource(prod, "aws_security_group");
    expect(sg).toMatchObject({ name: "aivo-production-cache", vpc_id: "vpc-0123", egress: [] });
    expect(sg.ingress).toBeUndefined();
    const rules = configsOf(prod, "aws_vpc_security_group_ingress_rule");
    expect(rules.map((r) => r.referenced_security_group_id)).toEqual(["sg-nodes", "sg-system"]);
    for (const rule of rules) {
      expect(rule).toMatchObject({ ip_protocol: "tcp", from_port: 6379, to_port: 6379 });
      expect(rule.cidr_ipv4).toBeUndefined();
      expect(rule.cidr_ipv6).toBeUndefined();
    }
    expect(configsOf(dev, "aws_vpc_security_group_ingress_rule")).toHaveLength(1);
    expect(onlyResource(prod, "aws_elasticache_replication_group").security_group_ids).toEqual([
      expect.stringMatching(/^\$\{aws_security_group\.[\w-]+\.id\}$/),
    ]);
  });

  it("keeps snapshots and sets snapshot and maintenance windows", () => {
    expect(onlyResource(dev, "aws_elasticache_replication_group")).toMatchObject({
      snapshot_retention_limit: 1,
      snapshot_window: "03:00-04:00",
      maintenance_window: "sun:05:00-sun:06:00",
    });
    expect(onlyResource(prod, "aws_elasticache_replication_group")).toMatchObject({
      snapshot_retention_limit: 7,
      final_snapshot_identifier: "aivo-production-cache-final",
    });
  });

  it("can be destroyed and re-created outside production: no fixed-name final snapshot, secret deleted at once", () => {
    expect(onlyResource(dev, "aws_elasticache_replication_group").final_snapshot_identifier).toBeUndefined();
    expect(onlyResource(dev, "aws_secretsmanager_secret").recovery_window_in_days).toBe(0);
    expect(onlyResource(prod, "aws_secretsmanager_secret").recovery_window_in_days).toBeUndefined();
  });

  it("delivers slow-log and engine-log as JSON to CMK-encrypted log groups with the environment's retention", () => {
    const groups = resourcesOf(prod, "aws_cloudwatch_log_group");
    const byName = Object.fromEntries(Object.entries(groups).map(([id, g]) => [g.name, { id, ...g }]));
    expect(Object.keys(byName).sort()).toEqual(["/aivo/production/elasticache/engine-log", "/aivo/production/elasticache/slow-log"]);
    const logsKey = keyArnRef(prod, "production", "elasticache-logs");
    for (const g of Object.values(byName)) expect(g).toMatchObject({ retention_in_days: 90, kms_key_id: logsKey });
    const delivery = onlyResource(prod, "aws_elasticache_replication_group").log_delivery_configuration;
    expect(delivery).toEqual([
      {
        log_type: "slow-log",
        log_format: "json",
        destination_type: "cloudwatch-logs",
        destination: `\${aws_cloudwatch_log_group.${byName["/aivo/production/elasticache/slow-log"].id}.name}`,
      },
      {
        log_type: "engine-log",
        log_format: "json",
        destination_type: "cloudwatch-logs",
        destination: `\${aws_cloudwatch_log_group.${byName["/aivo/production/elasticache/engine-log"].id}.name}`,
      },
    ]);
    // The logs key lets CloudWatch Logs (and only it, besides the account) use it.
    const logsKeyId = logsKey.split(".")[1];
    const statements = policy(resourcesOf(prod, "aws_kms_key")[logsKeyId].policy).Statement;
    expect(statements.map((s) => s.Sid)).toEqual(["EnableAccountIamPolicies", "AllowLogs"]);
  });

  it("pages (critical topic) when a node stops reporting: down or being replaced", () => {
    const unavailable = configsOf(prod, "aws_cloudwatch_metric_alarm").filter((a) => a.alarm_name.endsWith("-unavailable"));
    expect(unavailable.map((a) => a.dimensions.CacheClusterId)).toEqual([1, 2, 3].map((n) => `aivo-production-cache-00${n}`));
    for (const a of unavailable) {
      expect(a).toMatchObject({
        statistic: "SampleCount",
        comparison_operator: "LessThanThreshold",
        threshold: 1,
        treat_missing_data: "breaching",
        alarm_actions: [CRITICAL],
      });
    }
  });

  it("alarms per node on CPU, engine CPU, memory and evictions to the SNS topic", () => {
    expect(configsOf(dev, "aws_cloudwatch_metric_alarm")).toHaveLength(5);
    const alarms = configsOf(prod, "aws_cloudwatch_metric_alarm").filter((a) => !a.alarm_name.endsWith("-unavailable"));
    expect(alarms).toHaveLength(12);
    const thirdNode = alarms.filter((a) => a.dimensions.CacheClusterId === "aivo-production-cache-003");
    expect(Object.fromEntries(thirdNode.map((a) => [a.metric_name, [a.comparison_operator, a.threshold, a.statistic]]))).toEqual({
      CPUUtilization: ["GreaterThanThreshold", 90, "Average"],
      EngineCPUUtilization: ["GreaterThanThreshold", 80, "Average"],
      DatabaseMemoryUsagePercentage: ["GreaterThanThreshold", 80, "Average"],
      Evictions: ["GreaterThanThreshold", 100, "Sum"],
    });
    for (const alarm of alarms) {
      expect(alarm.namespace).toBe("AWS/ElastiCache");
      expect(alarm.alarm_actions).toEqual([TOPIC]);
      expect(alarm.ok_actions).toEqual([TOPIC]);
    }
  });

  it("moves to Valkey by configuration: engine, version and the derived valkey family", () => {
    const doc = parse(synth(props("staging", { ...development, engine: "valkey", engineVersion: "8.0", numCacheClusters: 2 })));
    expect(onlyResource(doc, "aws_elasticache_replication_group")).toMatchObject({ engine: "valkey", engine_version: "8.0" });
    expect(onlyResource(doc, "aws_elasticache_parameter_group")).toMatchObject({
      family: "valkey8",
      name: "aivo-staging-cache-valkey8",
    });
    expect(cacheParameterFamily("valkey", "7.2")).toBe("valkey7");
    expect(cacheParameterFamily("redis", "6.2")).toBe("redis6.x");
  });

  describe("rejects bad input", () => {
    const rejects = (settings: Partial<RedisClusterProps>, message: string, env = "production") =>
      expect(() => synth(props(env, { ...production, ...settings } as RedisSettings, settings))).toThrow(message);

    it("an engine version that does not match the parameter family", () => {
      rejects({ engineVersion: "7.1", parameterFamily: "redis6.x" }, 'production.cache.parameterFamily: "redis6.x" does not match redis 7.1; use "redis7"');
      rejects({ engine: "valkey", engineVersion: "8.0", parameterFamily: "valkey7" }, 'production.cache.parameterFamily: "valkey7" does not match valkey 8.0; use "valkey8"');
    });

    it("an engine version without a known family, or not <major>.<minor>", () => {
      rejects({ engineVersion: "8.0" }, "production.cache.engineVersion: redis 8.0 has no parameter family this module knows");
      rejects({ engineVersion: "7" }, 'production.cache.engineVersion: "7" is not a version; use <major>.<minor>');
    });

    it("multi-AZ or automatic failover with a single node", () => {
      rejects(
        { numCacheClusters: 1, multiAz: true },
        "production.cache.multiAz: true needs at least 2 nodes, numCacheClusters is 1; add a replica or set multiAz false",
      );
      rejects(
        { numCacheClusters: 1, multiAz: false, automaticFailover: true },
        "production.cache.automaticFailover: true needs at least 2 nodes, numCacheClusters is 1",
      );
    });

    it("multi-AZ without automatic failover", () => {
      rejects({ multiAz: true, automaticFailover: false }, "production.cache.automaticFailover: false while multiAz is true");
    });

    it("a node count, snapshot retention or node type ElastiCache does not accept", () => {
      rejects({ numCacheClusters: 7 }, "production.cache.numCacheClusters: 7 is outside 1..6");
      rejects({ snapshotRetentionDays: 40 }, "production.cache.snapshotRetentionDays: 40 is outside 0..35");
      rejects({ nodeType: "r7g.large" }, 'production.cache.nodeType: "r7g.large" is not a cache node type');
    });

    it("a snapshot window that overlaps the maintenance window, or a malformed window", () => {
      rejects(
        { snapshotWindow: "04:30-05:30", maintenanceWindow: "sun:05:00-sun:06:00" },
        'production.cache.snapshotWindow: "04:30-05:30" overlaps maintenanceWindow "sun:05:00-sun:06:00"',
      );
      rejects({ maintenanceWindow: "sunday 5am" }, 'production.cache.maintenanceWindow: "sunday 5am" is not a weekly window');
      rejects({ snapshotWindow: "03:00-03:30" }, 'production.cache.snapshotWindow: "03:00-03:30" lasts 30 minutes');
    });

    it("a log retention CloudWatch does not accept, and alarms with no topic", () => {
      rejects({ logRetentionDays: 10 }, "production.logRetentionDays: 10 is not a retention CloudWatch Logs accepts");
      rejects({ alarmTopicArns: [] }, "production.cache.alarmTopicArns: no SNS topic given");
    });
  });
});
