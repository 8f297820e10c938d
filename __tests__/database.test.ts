import { Testing } from "cdktf";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import {
  DEFAULT_POSTGRES_VERSION,
  DatabaseSettings,
  PostgresDatabase,
  PostgresDatabaseProps,
  postgresParameterFamily,
} from "../modules/aws/data/database";
import { Naming } from "../modules/shared/naming";
import { TerraformJson, configsOf, onlyResource, parse, policy, resourcesOf } from "./helpers";

const TOPIC = "arn:aws:sns:us-east-1:123456789012:aivo-alerts";
const CRITICAL = "arn:aws:sns:us-east-1:123456789012:aivo-critical";

const development: DatabaseSettings = {
  instanceClass: "db.t4g.medium",
  allocatedStorageGb: 20,
  maxAllocatedStorageGb: 100,
  multiAz: false,
  backupRetentionDays: 3,
  deletionProtection: false,
};
const production: DatabaseSettings = {
  instanceClass: "db.r6g.large",
  allocatedStorageGb: 100,
  maxAllocatedStorageGb: 500,
  multiAz: true,
  backupRetentionDays: 14,
  deletionProtection: true,
  readReplicaCount: 1,
};

function props(environment: string, settings: DatabaseSettings, extra: Partial<PostgresDatabaseProps> = {}): PostgresDatabaseProps {
  return {
    ...settings,
    naming: new Naming("aivo", environment),
    tier: environment === "production" ? "production" : "non-production",
    vpcId: "vpc-0123",
    dbSubnetGroupName: `aivo-${environment}-database`,
    allowedSecurityGroupIds: ["sg-nodes"],
    alarmTopicArns: [TOPIC],
    criticalAlarmTopicArns: [CRITICAL],
    logRetentionDays: 30,
    ...extra,
  };
}

function synth(p: PostgresDatabaseProps): string {
  return Testing.synthScope((scope) => {
    new PostgresDatabase(scope, "db", p);
  });
}

function keyArnRef(doc: TerraformJson, env: string, purpose: string): string {
  const alias = configsOf(doc, "aws_kms_alias").find((a) => a.name === `alias/aivo/${env}/${purpose}`);
  expect(alias).toBeDefined();
  return alias!.target_key_id.replace(/\.key_id\}$/, ".arn}");
}

function instance(doc: TerraformJson, identifier: string): Record<string, any> {
  const found = configsOf(doc, "aws_db_instance").find((i) => i.identifier === identifier);
  expect(found).toBeDefined();
  return found!;
}

describe("PostgresDatabase", () => {
  const devSynth = synth(props("development", development));
  const prodSynth = synth(props("production", production, { allowedSecurityGroupIds: ["sg-nodes", "sg-system"], logRetentionDays: 365 }));
  const dev = parse(devSynth);
  const prod = parse(prodSynth);
  const primary = instance(prod, "aivo-production-postgres");

  it("pins PostgreSQL's major version 15 and takes minor upgrades automatically in the maintenance window", () => {
    expect(DEFAULT_POSTGRES_VERSION).toBe("15");
    expect(devSynth).toHaveResourceWithProperties(DbInstance, {
      identifier: "aivo-development-postgres",
      engine: "postgres",
      engine_version: "15",
      auto_minor_version_upgrade: true,
      maintenance_window: "sun:05:00-sun:06:00",
      instance_class: "db.t4g.medium",
    });
    expect(primary.instance_class).toBe("db.r6g.large");
  });

  it("has the replicas follow the same rule: the source's major, automatic minor upgrades, the same window", () => {
    const replica = instance(prod, "aivo-production-postgres-replica-1");
    expect(replica.replicate_source_db).toBeDefined();
    expect(replica.engine_version).toBeUndefined(); // a replica runs its source's engine version
    expect(replica.auto_minor_version_upgrade).toBe(true);
    expect(replica.maintenance_window).toBe(primary.maintenance_window);
  });

  it("uses gp3 storage with autoscaling up to the ceiling of each environment", () => {
    expect(instance(dev, "aivo-development-postgres")).toMatchObject({ storage_type: "gp3", allocated_storage: 20, max_allocated_storage: 100 });
    expect(primary).toMatchObject({ storage_type: "gp3", allocated_storage: 100, max_allocated_storage: 500 });
  });

  it("encrypts storage and Performance Insights with one CMK and the RDS-managed master secret with another", () => {
    const dataKey = keyArnRef(prod, "production", "rds");
    expect(primary).toMatchObject({
      storage_encrypted: true,
      kms_key_id: dataKey,
      performance_insights_enabled: true,
      performance_insights_kms_key_id: dataKey,
      performance_insights_retention_period: 7,
      manage_master_user_password: true,
      master_user_secret_kms_key_id: keyArnRef(prod, "production", "rds-master-secret"),
      username: "aivo_admin",
      db_name: "aivo",
    });
    expect(primary.password).toBeUndefined();
    expect(configsOf(prod, "aws_kms_key").every((k) => k.enable_key_rotation === true)).toBe(true);
  });

  it("forces TLS (1.2+) and logs connections, slow statements, lock waits and temp files in a postgres15 group", () => {
    const group = onlyResource(prod, "aws_db_parameter_group");
    expect(group).toMatchObject({ family: "postgres15", name: "aivo-production-postgres-postgres15", lifecycle: { create_before_destroy: true } });
    const params = Object.fromEntries(group.parameter.map((p: { name: string; value: string }) => [p.name, p.value]));
    expect(params).toMatchObject({
      "rds.force_ssl": "1",
      ssl_min_protocol_version: "TLSv1.2",
      log_min_duration_statement: "1000",
      log_connections: "1",
      log_disconnections: "1",
      log_lock_waits: "1",
      log_temp_files: "0",
    });
    expect(primary.parameter_group_name).toMatch(/^\$\{aws_db_parameter_group\.[\w-]+\.name\}$/);
    expect(primary.ca_cert_identifier).toBe("rds-ca-rsa2048-g1");
  });

  it("is multi-AZ, deletion-protected and keeps 14 days of backups in production; relaxed in development", () => {
    expect(primary).toMatchObject({
      multi_az: true,
      deletion_protection: true,
      backup_retention_period: 14,
      skip_final_snapshot: false,
      final_snapshot_identifier: "aivo-production-postgres-final",
      delete_automated_backups: false,
      copy_tags_to_snapshot: true,
      publicly_accessible: false,
      db_subnet_group_name: "aivo-production-database",
    });
    expect(instance(dev, "aivo-development-postgres")).toMatchObject({
      multi_az: false,
      deletion_protection: false,
      backup_retention_period: 3,
    });
  });

  it("takes no final snapshot outside production, so a rebuilt development can be destroyed again", () => {
    const devPrimary = instance(dev, "aivo-development-postgres");
    expect(devPrimary.skip_final_snapshot).toBe(true);
    expect(devPrimary.final_snapshot_identifier).toBeUndefined();
  });

  it("has enhanced monitoring through a role for monitoring.rds.amazonaws.com with the managed policy", () => {
    const role = onlyResource(prod, "aws_iam_role");
    const trust = policy(role.assume_role_policy).Statement;
    expect(trust).toEqual([expect.objectContaining({ Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole" })]);
    expect(onlyResource(prod, "aws_iam_role_policy_attachment").policy_arn).toMatch(
      /^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:iam::aws:policy\/service-role\/AmazonRDSEnhancedMonitoringRole$/,
    );
    expect(primary.monitoring_interval).toBe(60);
    expect(primary.monitoring_role_arn).toMatch(/^\$\{aws_iam_role\.[\w-]+\.arn\}$/);
    expect(primary.iam_database_authentication_enabled).toBe(true);
  });

  it("exports postgresql and upgrade logs to pre-created CMK-encrypted log groups with the environment's retention", () => {
    expect(primary.enabled_cloudwatch_logs_exports).toEqual(["postgresql", "upgrade"]);
    const groups = resourcesOf(prod, "aws_cloudwatch_log_group");
    const primaryGroups = Object.entries(groups).filter(([, g]) => g.name.startsWith("/aws/rds/instance/aivo-production-postgres/"));
    expect(primaryGroups.map(([, g]) => g.name).sort()).toEqual([
      "/aws/rds/instance/aivo-production-postgres/postgresql",
      "/aws/rds/instance/aivo-production-postgres/upgrade",
    ]);
    const logsKey = keyArnRef(prod, "production", "rds-logs");
    for (const [id, g] of primaryGroups) {
      expect(g).toMatchObject({ retention_in_days: 365, kms_key_id: logsKey });
      expect(primary.depends_on).toContain(`aws_cloudwatch_log_group.${id}`);
    }
    const statements = policy(resourcesOf(prod, "aws_kms_key")[logsKey.split(".")[1]].policy).Statement;
    expect(statements.map((s) => s.Sid)).toEqual(["EnableAccountIamPolicies", "AllowLogs"]);
  });

  it("has its own security group: 5432 only from the given security groups", () => {
    expect(onlyResource(prod, "aws_security_group")).toMatchObject({ name: "aivo-production-postgres", egress: [] });
    const rules = configsOf(prod, "aws_vpc_security_group_ingress_rule");
    expect(rules.map((r) => [r.referenced_security_group_id, r.from_port, r.to_port, r.ip_protocol, r.cidr_ipv4])).toEqual([
      ["sg-nodes", 5432, 5432, "tcp", undefined],
      ["sg-system", 5432, 5432, "tcp", undefined],
    ]);
    expect(primary.vpc_security_group_ids).toEqual([expect.stringMatching(/^\$\{aws_security_group\.[\w-]+\.id\}$/)]);
  });

  it("adds an encrypted, monitored read replica in production and none in development", () => {
    expect(configsOf(dev, "aws_db_instance")).toHaveLength(1);
    const replica = instance(prod, "aivo-production-postgres-replica-1");
    expect(replica).toMatchObject({
      instance_class: "db.r6g.large",
      storage_encrypted: true,
      kms_key_id: keyArnRef(prod, "production", "rds"),
      multi_az: false,
      backup_retention_period: 0,
      performance_insights_enabled: true,
      iam_database_authentication_enabled: true,
      ca_cert_identifier: "rds-ca-rsa2048-g1",
    });
    expect(replica.replicate_source_db).toMatch(/^\$\{aws_db_instance\.[\w-]+\.identifier\}$/);
    expect(replica.manage_master_user_password).toBeUndefined();
    expect(Object.values(resourcesOf(prod, "aws_cloudwatch_log_group")).map((g) => g.name)).toContain(
      "/aws/rds/instance/aivo-production-postgres-replica-1/postgresql",
    );
  });

  it("alarms on CPU, free storage, freeable memory and replica lag to the SNS topic", () => {
    const summary = (doc: TerraformJson) =>
      configsOf(doc, "aws_cloudwatch_metric_alarm").map((a) => [a.metric_name, a.dimensions.DBInstanceIdentifier, a.comparison_operator, a.threshold]);
    expect(summary(prod)).toEqual([
      ["CPUUtilization", "aivo-production-postgres", "GreaterThanThreshold", 80],
      ["FreeStorageSpace", "aivo-production-postgres", "LessThanThreshold", 10 * 1024 ** 3],
      ["FreeableMemory", "aivo-production-postgres", "LessThanThreshold", 256 * 1024 ** 2],
      ["ReplicaLag", "aivo-production-postgres-replica-1", "GreaterThanThreshold", 60],
      ["ReplicaLag", "aivo-production-postgres-replica-1", "GreaterThanThreshold", 900],
      ["CPUUtilization", "aivo-production-postgres", "LessThanThreshold", 1],
    ]);
    expect(summary(dev).map((a) => a[0])).toEqual(["CPUUtilization", "FreeStorageSpace", "FreeableMemory", "CPUUtilization"]);
    expect(summary(dev)[1][3]).toBe(2 * 1024 ** 3);
    const alarms = configsOf(prod, "aws_cloudwatch_metric_alarm");
    for (const a of alarms.slice(0, 4)) {
      expect([a.namespace, a.alarm_actions, a.ok_actions]).toEqual(["AWS/RDS", [TOPIC], [TOPIC]]);
    }
  });

  it("pages (critical topic) when the database is unavailable or a replica lags beyond the 15-minute RPO", () => {
    const byName = Object.fromEntries(configsOf(prod, "aws_cloudwatch_metric_alarm").map((a) => [a.alarm_name, a]));
    const unavailable = byName["aivo-production-postgres-unavailable"];
    expect(unavailable).toMatchObject({
      metric_name: "CPUUtilization",
      statistic: "SampleCount",
      comparison_operator: "LessThanThreshold",
      threshold: 1,
      period: 60,
      evaluation_periods: 3,
      treat_missing_data: "breaching",
      alarm_actions: [CRITICAL],
      ok_actions: [CRITICAL],
    });
    expect(byName["aivo-production-postgres-replica-1-lag-beyond-rpo"]).toMatchObject({
      threshold: 900,
      statistic: "Maximum",
      alarm_actions: [CRITICAL],
    });
    expect(byName["aivo-production-postgres-cpu"].alarm_actions).toEqual([TOPIC]);
  });

  it("keeps the version out of the parameter group's force-new description; a major upgrade gets a group of its own name", () => {
    const groupFor = (engineVersion: string) => onlyResource(synth(props("production", { ...production, engineVersion })), "aws_db_parameter_group");
    const fifteen = groupFor("15");
    const sixteen = groupFor("16");
    expect(fifteen.description).not.toMatch(/\b15\b/);
    expect(fifteen).toMatchObject({ family: "postgres15", name: "aivo-production-postgres-postgres15" });
    // A new name, so create_before_destroy creates the postgres16 group beside the one still in use.
    expect(sixteen).toMatchObject({ family: "postgres16", name: "aivo-production-postgres-postgres16" });
    expect(sixteen.lifecycle).toEqual({ create_before_destroy: true });
  });

  it("rejects a paging replica-lag threshold at or below the alert threshold", () => {
    expect(() => synth(props("production", { ...production, replicaLagAlarmThresholdSeconds: 120, replicaLagCriticalThresholdSeconds: 120 }))).toThrow(
      "production.database.replicaLagCriticalThresholdSeconds: 120 is outside 121..86400; above replicaLagAlarmThresholdSeconds (120); the paging threshold is the RPO",
    );
  });

  it("derives the parameter family from the version", () => {
    expect(postgresParameterFamily("15")).toBe("postgres15");
    expect(postgresParameterFamily("17")).toBe("postgres17");
    expect(postgresParameterFamily("15.18")).toBeUndefined();
  });

  describe("rejects bad input", () => {
    const rejects = (settings: Partial<PostgresDatabaseProps>, message: string, env = "production") =>
      expect(() => synth(props(env, { ...production, ...settings } as DatabaseSettings, settings))).toThrow(message);

    it("a production database without deletion protection", () => {
      rejects({ deletionProtection: false }, "production.database.deletionProtection: false is not allowed for a production database; set deletionProtection true");
    });

    it("backup retention below the production minimum, and outside what RDS accepts", () => {
      rejects({ backupRetentionDays: 3 }, "production.database.backupRetentionDays: 3 is below the production minimum of 7 days; keep at least 7");
      rejects({ backupRetentionDays: 0 }, "staging.database.backupRetentionDays: 0 is outside 1..35; RDS keeps automated backups 1-35 days", "staging");
    });

    it("a single-AZ production database", () => {
      rejects({ multiAz: false }, "production.database.multiAz: false is not allowed for a production database; set multiAz true");
    });

    it("allows the relaxed values in a non-production tier", () => {
      expect(() => synth(props("staging", { ...production, deletionProtection: false, backupRetentionDays: 3, multiAz: false }))).not.toThrow();
    });

    it("an unknown version format or an unsupported major version", () => {
      rejects(
        { engineVersion: "15.18" },
        'production.database.engineVersion: "15.18" is not a major version; pin the major only (e.g. "15"), minor versions are applied automatically in the maintenance window',
      );
      rejects({ engineVersion: "15.18.1" }, 'production.database.engineVersion: "15.18.1" is not a major version');
      rejects({ engineVersion: "14" }, "production.database.engineVersion: major version 14 is not supported; use 15, 16, 17");
    });

    it("storage the autoscaling cannot grow into, and storage gp3 does not offer", () => {
      rejects({ maxAllocatedStorageGb: 100 }, "production.database.maxAllocatedStorageGb: 100 is outside 101..65536; storage autoscaling needs a ceiling above allocatedStorageGb");
      rejects({ allocatedStorageGb: 10, maxAllocatedStorageGb: 50 }, "production.database.allocatedStorageGb: 10 is outside 20..65536");
    });

    it("a backup window overlapping the maintenance window", () => {
      rejects(
        { backupWindow: "05:30-06:30", maintenanceWindow: "sun:05:00-sun:06:00" },
        'production.database.backupWindow: "05:30-06:30" overlaps maintenanceWindow "sun:05:00-sun:06:00"',
      );
    });

    it("a Performance Insights retention, monitoring interval or instance class RDS does not accept", () => {
      rejects({ performanceInsightsRetentionDays: 10 }, "production.database.performanceInsightsRetentionDays: 10 is not accepted");
      rejects({ monitoringIntervalSeconds: 0 }, "production.database.monitoringIntervalSeconds: 0 is not accepted; use one of 1, 5, 10, 15, 30, 60");
      rejects({ instanceClass: "r6g.large" }, 'production.database.instanceClass: "r6g.large" is not an RDS instance class');
    });

    it("a log retention CloudWatch does not accept, and alarms with no topic", () => {
      rejects({ logRetentionDays: 45 }, "production.logRetentionDays: 45 is not a retention CloudWatch Logs accepts");
      rejects({ alarmTopicArns: [] }, "production.database.alarmTopicArns: no SNS topic given");
    });
  });
});
