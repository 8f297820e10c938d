import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { AwsContext } from "../../../shared/aws-context";
import {
  DataStoreTier,
  DataStoreWiring,
  assertAlarmTopics,
  assertIntegerInRange,
  assertWindowsDoNotOverlap,
  DATABASE_RPO_SECONDS,
  metricAlarm,
  unavailableAlarm,
} from "../datastore-common";
import { managedPolicyArn, serviceAssumeRolePolicy } from "../../../shared/iam";
import { CustomerManagedKey } from "../../../shared/kms";
import { EncryptedLogGroups } from "../../observability/log-group";
import { assertLogRetentionDays } from "../../../shared/log-retention";
import { ServiceSecurityGroup } from "../../network/service-security-group";

/** The port PostgreSQL listens on; the security group opens exactly this port. */
export const POSTGRES_PORT = 5432;
/**
 * The engine's major version when the settings do not name one. Only the major is pinned: with
 * `auto_minor_version_upgrade`, RDS applies minor releases (security fixes) in the maintenance
 * window, the AWS provider matches `engine_version = "15"` as a prefix of the running version and
 * reports that version in `engine_version_actual`, so an upgrade causes no diff. A major upgrade is a
 * reviewed change of this value.
 */
export const DEFAULT_POSTGRES_VERSION = "15";
/** Major versions whose parameter family (`postgres<major>`) and logging parameters the module knows. */
export const SUPPORTED_POSTGRES_MAJORS: readonly number[] = [15, 16, 17];
/** Backup retention a `production` tier database keeps at least (days). */
export const PRODUCTION_MIN_BACKUP_RETENTION_DAYS = 7;
/** The RDS CA the instances' server certificates chain to. */
export const RDS_CA_CERT_IDENTIFIER = "rds-ca-rsa2048-g1";
/** The logs RDS exports to CloudWatch Logs; each gets a pre-created, CMK-encrypted log group. */
export const POSTGRES_LOG_EXPORTS = ["postgresql", "upgrade"] as const;
/** Intervals (seconds) enhanced monitoring accepts. */
export const ENHANCED_MONITORING_INTERVALS: readonly number[] = [1, 5, 10, 15, 30, 60];
/** The AWS managed policy of the enhanced-monitoring role. */
export const ENHANCED_MONITORING_POLICY = "service-role/AmazonRDSEnhancedMonitoringRole";

/**
 * The parameters every instance gets: TLS only (1.2+), and the logging the platform relies on. Values
 * in `DatabaseSettings.parameters` override these.
 */
export const POSTGRES_BASE_PARAMETERS: Readonly<Record<string, string>> = {
  "rds.force_ssl": "1",
  ssl_min_protocol_version: "TLSv1.2",
  log_connections: "1",
  log_disconnections: "1",
  log_lock_waits: "1",
  log_temp_files: "0",
  log_autovacuum_min_duration: "10000",
  log_statement: "ddl",
};

/** A major version `<major>` → the parameter family `postgres<major>`; `undefined` for another format. */
export function postgresParameterFamily(engineVersion: string): string | undefined {
  const m = /^(\d+)$/.exec(engineVersion);
  return m ? `postgres${Number(m[1])}` : undefined;
}

/** Per-environment tunables of the database (the environment config's `database` section). */
export interface DatabaseSettings {
  /**
   * The PostgreSQL major version (15, 16 or 17), without a minor: minor versions are applied
   * automatically in the maintenance window. @default DEFAULT_POSTGRES_VERSION ("15")
   */
  readonly engineVersion?: string;
  /** Instance class, e.g. `db.t4g.medium`, `db.r6g.large`. */
  readonly instanceClass: string;
  /** Initial gp3 storage, GiB (20-65536). */
  readonly allocatedStorageGb: number;
  /** Storage autoscaling ceiling, GiB (above `allocatedStorageGb`, at most 65536). */
  readonly maxAllocatedStorageGb: number;
  /** Standby in a second AZ (required in the `production` tier). */
  readonly multiAz: boolean;
  /** Days of automated backups / point-in-time recovery (1-35; at least 7 in the `production` tier). */
  readonly backupRetentionDays: number;
  /** Refuse `DeleteDBInstance` (required in the `production` tier). @default true */
  readonly deletionProtection?: boolean;
  /** Daily backup window `hh24:mi-hh24:mi` UTC, at least 30 minutes. @default "03:00-04:00" */
  readonly backupWindow?: string;
  /** Weekly maintenance window `ddd:hh24:mi-ddd:hh24:mi` UTC, at least 30 minutes. @default "sun:05:00-sun:06:00" */
  readonly maintenanceWindow?: string;
  /** Name of the database created with the instance. @default "aivo" */
  readonly databaseName?: string;
  /** Master user name (its password is managed by RDS in Secrets Manager). @default "aivo_admin" */
  readonly masterUsername?: string;
  /** Read replicas of the primary (same region, same class unless `replicaInstanceClass`). @default 0 */
  readonly readReplicaCount?: number;
  /** Instance class of the read replicas. @default the value of `instanceClass` */
  readonly replicaInstanceClass?: string;
  /** Performance Insights retention: 7 (free) or a multiple of 31 up to 731 days. @default 7 */
  readonly performanceInsightsRetentionDays?: number;
  /** Enhanced monitoring interval, seconds (1, 5, 10, 15, 30 or 60). @default 60 */
  readonly monitoringIntervalSeconds?: number;
  /** Log statements slower than this many milliseconds (`log_min_duration_statement`). @default 1000 */
  readonly logMinDurationStatementMs?: number;
  /** Further parameters, name → value; applied at the next reboot (`pending-reboot`). @default none */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Apply changes now instead of in the maintenance window. @default false */
  readonly applyImmediately?: boolean;
  /** CPUUtilization alarm threshold (%). @default 80 */
  readonly cpuAlarmThresholdPercent?: number;
  /** FreeStorageSpace alarm threshold, GiB. @default 10% of `allocatedStorageGb`, at least 2 */
  readonly freeStorageAlarmThresholdGb?: number;
  /** FreeableMemory alarm threshold, MiB. @default 256 */
  readonly freeableMemoryAlarmThresholdMb?: number;
  /** ReplicaLag alarm threshold per replica, seconds (the `alert` alarm). @default 60 */
  readonly replicaLagAlarmThresholdSeconds?: number;
  /**
   * ReplicaLag beyond which a replica's lag pages (`critical` topic), seconds: the RPO.
   * @default DATABASE_RPO_SECONDS (900)
   */
  readonly replicaLagCriticalThresholdSeconds?: number;
}

/**
 * A cross-region read replica of another region's primary (the DR side of an environment): the
 * instance is created with `replicate_source_db` set to the source's ARN and keeps its own CMK, subnet
 * group, parameter group and security group in this region.
 */
export interface CrossRegionReplicaSource {
  /** ARN of the source DB instance in the primary region (a cross-stack reference, not a literal). */
  readonly sourceDbArn: string;
  /**
   * The replica has been promoted (`aws rds promote-read-replica`): `replicate_source_db` is left out,
   * so Terraform manages a standalone instance and never tries to re-attach it. @default false
   */
  readonly promoted?: boolean;
}

/** Settings plus the wiring the environment stack supplies. */
export interface PostgresDatabaseProps extends DatabaseSettings, DataStoreWiring {
  /**
   * Make the instance a cross-region read replica of this source instead of a new primary: no engine
   * version, database name or master user of its own (they come from the source), no in-region
   * replicas, and a `ReplicaLag` alarm on the instance itself (`replicaLagAlarmThresholdSeconds`).
   * Multi-AZ is not demanded of a replica in the `production` tier: it is turned on when promoted.
   * @default none (a primary)
   */
  readonly crossRegionReplicaOf?: CrossRegionReplicaSource;
  /**
   * How strict the rules are: `production` requires deletion protection, multi-AZ and at least
   * `PRODUCTION_MIN_BACKUP_RETENTION_DAYS` of backups. @default "production"
   */
  readonly tier?: DataStoreTier;
  /** Name of the RDS DB subnet group over the database subnets. */
  readonly dbSubnetGroupName: string;
}

/**
 * RDS for PostgreSQL: one primary (multi-AZ where asked) plus read replicas; gp3 storage with
 * autoscaling; storage, Performance Insights and the RDS-managed master password under CMKs; TLS only
 * (`rds.force_ssl`, TLS 1.2+, CA `rds-ca-rsa2048-g1`); IAM database authentication; enhanced
 * monitoring; `postgresql` and `upgrade` logs exported to pre-created CMK-encrypted log groups; deletion
 * protection and a kept final snapshot; its own security group; CPU, storage, memory and replica-lag
 * alarms.
 */
export class PostgresDatabase extends Construct {
  /** The primary instance (escape hatch). */
  readonly instance: DbInstance;
  /** The read replicas, in order. */
  readonly replicas: readonly DbInstance[];
  /** `aivo-<env>-postgres`. */
  readonly instanceIdentifier: string;
  /** The primary's ARN (for AWS Backup selections). */
  readonly instanceArn: string;
  /** The primary's DNS address. */
  readonly address: string;
  /** The replicas' DNS addresses. */
  readonly replicaAddresses: readonly string[];
  /** Always 5432. */
  readonly port: number = POSTGRES_PORT;
  /** The `dbi-resource-id`, for `rds-db:connect` IAM policies. */
  readonly resourceId: string;
  /**
   * ARN of the RDS-managed Secrets Manager secret with the master user's credentials; undefined for a
   * cross-region replica (the source's secret cannot be replicated; see `crossRegionReplicaOf`).
   */
  readonly masterUserSecretArn?: string;
  /** ARN of the CMK for the master user secret (in a DR region: the key to use when the promoted replica manages its password). */
  readonly masterUserSecretKmsKeyArn: string;
  /** True when the instance is a cross-region read replica (`crossRegionReplicaOf`, not promoted). */
  readonly isCrossRegionReplica: boolean;
  /** The database's security group id. */
  readonly securityGroupId: string;
  /** ARN of the CMK encrypting storage, snapshots and Performance Insights. */
  readonly kmsKeyArn: string;
  /** The parameter family, e.g. `postgres15`. */
  readonly parameterFamily: string;
  /** The alarms created. */
  readonly alarms: readonly CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    const env = props.naming.environment;
    const at = (field: string) => `${env}.database.${field}`;
    const tier = props.tier ?? "production";

    // ---- validation, before any resource --------------------------------------------------------
    const engineVersion = props.engineVersion ?? DEFAULT_POSTGRES_VERSION;
    const family = postgresParameterFamily(engineVersion);
    if (!family) {
      throw new Error(
        `${at("engineVersion")}: "${engineVersion}" is not a major version; pin the major only (e.g. "${DEFAULT_POSTGRES_VERSION}"), minor versions are applied automatically in the maintenance window`,
      );
    }
    const major = Number(engineVersion.split(".")[0]);
    if (!SUPPORTED_POSTGRES_MAJORS.includes(major)) {
      throw new Error(`${at("engineVersion")}: major version ${major} is not supported; use ${SUPPORTED_POSTGRES_MAJORS.join(", ")}`);
    }
    if (!/^db\.[a-z0-9-]+\.[a-z0-9]+$/.test(props.instanceClass)) {
      throw new Error(`${at("instanceClass")}: "${props.instanceClass}" is not an RDS instance class; use e.g. db.t4g.medium`);
    }
    if (props.replicaInstanceClass !== undefined && !/^db\.[a-z0-9-]+\.[a-z0-9]+$/.test(props.replicaInstanceClass)) {
      throw new Error(`${at("replicaInstanceClass")}: "${props.replicaInstanceClass}" is not an RDS instance class; use e.g. db.t4g.medium`);
    }
    assertIntegerInRange(at("allocatedStorageGb"), props.allocatedStorageGb, 20, 65536, "gp3 storage is 20-65536 GiB");
    assertIntegerInRange(
      at("maxAllocatedStorageGb"),
      props.maxAllocatedStorageGb,
      props.allocatedStorageGb + 1,
      65536,
      "storage autoscaling needs a ceiling above allocatedStorageGb",
    );
    assertIntegerInRange(at("backupRetentionDays"), props.backupRetentionDays, 1, 35, "RDS keeps automated backups 1-35 days");
    const deletionProtection = props.deletionProtection ?? true;
    const readReplicaCount = props.readReplicaCount ?? 0;
    assertIntegerInRange(at("readReplicaCount"), readReplicaCount, 0, 5, "RDS allows up to 5 in-region read replicas here");
    const crossRegion = props.crossRegionReplicaOf;
    if (crossRegion && readReplicaCount > 0) {
      throw new Error(`${at("readReplicaCount")}: ${readReplicaCount} on a cross-region replica; it has no replicas of its own, set 0`);
    }
    if (tier === "production") {
      if (!deletionProtection) {
        throw new Error(`${at("deletionProtection")}: false is not allowed for a production database; set deletionProtection true`);
      }
      if (props.backupRetentionDays < PRODUCTION_MIN_BACKUP_RETENTION_DAYS) {
        throw new Error(
          `${at("backupRetentionDays")}: ${props.backupRetentionDays} is below the production minimum of ${PRODUCTION_MIN_BACKUP_RETENTION_DAYS} days; keep at least ${PRODUCTION_MIN_BACKUP_RETENTION_DAYS}`,
        );
      }
      if (!props.multiAz && !crossRegion) {
        throw new Error(`${at("multiAz")}: false is not allowed for a production database; set multiAz true`);
      }
    }
    const backupWindow = props.backupWindow ?? "03:00-04:00";
    const maintenanceWindow = props.maintenanceWindow ?? "sun:05:00-sun:06:00";
    assertWindowsDoNotOverlap(
      { path: at("backupWindow"), window: backupWindow, minMinutes: 30 },
      { path: at("maintenanceWindow"), window: maintenanceWindow, minMinutes: 30 },
    );
    const piRetention = props.performanceInsightsRetentionDays ?? 7;
    const piMonths = piRetention % 31 === 0 && piRetention >= 31 && piRetention <= 713;
    if (!(piRetention === 7 || piRetention === 731 || (Number.isInteger(piRetention) && piMonths))) {
      throw new Error(`${at("performanceInsightsRetentionDays")}: ${piRetention} is not accepted; use 7, a multiple of 31 up to 713, or 731`);
    }
    const monitoringInterval = props.monitoringIntervalSeconds ?? 60;
    if (!ENHANCED_MONITORING_INTERVALS.includes(monitoringInterval)) {
      throw new Error(`${at("monitoringIntervalSeconds")}: ${monitoringInterval} is not accepted; use one of ${ENHANCED_MONITORING_INTERVALS.join(", ")}`);
    }
    const logMinDuration = props.logMinDurationStatementMs ?? 1000;
    assertIntegerInRange(at("logMinDurationStatementMs"), logMinDuration, -1, 2147483647, "milliseconds, -1 turns it off");
    const databaseName = props.databaseName ?? "aivo";
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(databaseName)) {
      throw new Error(`${at("databaseName")}: "${databaseName}" is not a PostgreSQL database name; use lowercase letters, digits and _`);
    }
    const masterUsername = props.masterUsername ?? "aivo_admin";
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(masterUsername) || ["postgres", "rdsadmin", "admin"].includes(masterUsername)) {
      throw new Error(`${at("masterUsername")}: "${masterUsername}" is not allowed; use lowercase letters, digits and _, not a reserved name`);
    }
    const cpuThreshold = props.cpuAlarmThresholdPercent ?? 80;
    assertIntegerInRange(at("cpuAlarmThresholdPercent"), cpuThreshold, 1, 100, "a percentage");
    const freeStorageGb = props.freeStorageAlarmThresholdGb ?? Math.max(2, Math.floor(props.allocatedStorageGb / 10));
    assertIntegerInRange(at("freeStorageAlarmThresholdGb"), freeStorageGb, 1, props.allocatedStorageGb - 1, "below allocatedStorageGb");
    const freeMemoryMb = props.freeableMemoryAlarmThresholdMb ?? 256;
    assertIntegerInRange(at("freeableMemoryAlarmThresholdMb"), freeMemoryMb, 1, 1048576, "MiB");
    const replicaLagSeconds = props.replicaLagAlarmThresholdSeconds ?? 60;
    assertIntegerInRange(at("replicaLagAlarmThresholdSeconds"), replicaLagSeconds, 1, 86400, "seconds");
    const replicaLagCriticalSeconds = props.replicaLagCriticalThresholdSeconds ?? DATABASE_RPO_SECONDS;
    assertIntegerInRange(
      at("replicaLagCriticalThresholdSeconds"),
      replicaLagCriticalSeconds,
      replicaLagSeconds + 1,
      86400,
      `above replicaLagAlarmThresholdSeconds (${replicaLagSeconds}); the paging threshold is the RPO`,
    );
    const criticalTopics = props.criticalAlarmTopicArns ?? props.alarmTopicArns;
    assertLogRetentionDays(`${env}.logRetentionDays`, props.logRetentionDays);
    assertAlarmTopics(`${env}.database.alarmTopicArns`, props.alarmTopicArns);

    // ---- keys -----------------------------------------------------------------------------------
    const identifier = props.naming.name("postgres");
    const context = AwsContext.of(this);
    const dataKey = new CustomerManagedKey(this, "data-key", {
      naming: props.naming,
      purpose: "rds",
      description: `RDS ${identifier}: storage, snapshots, replicas and Performance Insights`,
    });
    const secretKey = new CustomerManagedKey(this, "secret-key", {
      naming: props.naming,
      purpose: "rds-master-secret",
      description: `RDS ${identifier}: the RDS-managed master user secret`,
    });
    this.kmsKeyArn = dataKey.keyArn;
    this.masterUserSecretKmsKeyArn = secretKey.keyArn;

    // ---- network, parameters, monitoring role ---------------------------------------------------
    const securityGroup = new ServiceSecurityGroup(this, "security-group", {
      name: identifier,
      description: `RDS PostgreSQL ${identifier}`,
      vpcId: props.vpcId,
      port: POSTGRES_PORT,
      allowedSecurityGroupIds: props.allowedSecurityGroupIds,
    });
    this.securityGroupId = securityGroup.securityGroupId;

    this.parameterFamily = family;
    const parameters: Record<string, string> = {
      ...POSTGRES_BASE_PARAMETERS,
      log_min_duration_statement: String(logMinDuration),
    };
    const parameterGroup = new DbParameterGroup(this, "parameters", {
      // The family is part of the name so a major upgrade creates the new group before destroying the old.
      name: `${identifier}-${family}`,
      family,
      // No engine version here: `description` forces replacement, and a minor upgrade must not
      // replace the group (its create-before-destroy twin would collide with this name).
      description: `${identifier} (${family}): TLS only, logging`,
      parameter: [
        ...Object.entries(parameters)
          .filter(([name]) => !(props.parameters && name in props.parameters))
          .map(([name, value]) => ({ name, value, applyMethod: "immediate" })),
        ...Object.entries(props.parameters ?? {}).map(([name, value]) => ({ name, value, applyMethod: "pending-reboot" })),
      ],
      lifecycle: { createBeforeDestroy: true },
    });

    const monitoringRole = new IamRole(this, "monitoring-role", {
      name: props.naming.name("postgres-monitoring"),
      description: `Enhanced monitoring of ${identifier}`,
      assumeRolePolicy: serviceAssumeRolePolicy("monitoring.rds.amazonaws.com"),
    });
    const monitoringPolicy = new IamRolePolicyAttachment(this, "monitoring-policy", {
      role: monitoringRole.name,
      policyArn: managedPolicyArn(context.partition, ENHANCED_MONITORING_POLICY),
    });

    // RDS writes to exactly these names; pre-creating them sets retention and the CMK.
    const instances: Record<string, string> = { primary: identifier };
    for (let i = 1; i <= readReplicaCount; i++) instances[`replica-${i}`] = `${identifier}-replica-${i}`;
    const logs = new EncryptedLogGroups(this, "logs", {
      naming: props.naming,
      keyPurpose: "rds-logs",
      description: `RDS ${identifier}: exported PostgreSQL logs`,
      logGroups: Object.fromEntries(
        Object.entries(instances).flatMap(([scopeId, instanceId]) =>
          POSTGRES_LOG_EXPORTS.map((log) => [`${scopeId}-log-${log}`, `/aws/rds/instance/${instanceId}/${log}`]),
        ),
      ),
      retentionInDays: props.logRetentionDays,
      retentionFieldPath: `${env}.logRetentionDays`,
    });
    const logGroupsFor = (scopeId: string) => POSTGRES_LOG_EXPORTS.map((log) => logs.group(`${scopeId}-log-${log}`));

    // Settings shared by the primary and its replicas.
    const common = {
      storageType: "gp3",
      maxAllocatedStorage: props.maxAllocatedStorageGb,
      storageEncrypted: true,
      kmsKeyId: dataKey.keyArn,
      parameterGroupName: parameterGroup.name,
      vpcSecurityGroupIds: [securityGroup.securityGroupId],
      publiclyAccessible: false,
      port: POSTGRES_PORT,
      caCertIdentifier: RDS_CA_CERT_IDENTIFIER,
      iamDatabaseAuthenticationEnabled: true,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: dataKey.keyArn,
      performanceInsightsRetentionPeriod: piRetention,
      monitoringInterval,
      monitoringRoleArn: monitoringRole.arn,
      enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
      // Minor releases (security fixes) are applied by RDS in the maintenance window, on the primary
      // and on each replica; engine_version pins the major only, so this causes no drift.
      autoMinorVersionUpgrade: true,
      copyTagsToSnapshot: true,
      deletionProtection,
      maintenanceWindow,
      applyImmediately: props.applyImmediately ?? false,
    };

    // ---- primary --------------------------------------------------------------------------------
    const primaryLogs = logGroupsFor("primary");
    // A cross-region replica takes engine, version, database and master user from its source; it keeps
    // automated backups (PostgreSQL ≥ 14.1 replicas can), so point-in-time recovery works once promoted.
    const replicating = crossRegion !== undefined && !crossRegion.promoted;
    const origin = crossRegion
      ? replicating
        ? { replicateSourceDb: crossRegion.sourceDbArn }
        : {}
      : {
          engine: "postgres",
          engineVersion,
          allocatedStorage: props.allocatedStorageGb,
          dbName: databaseName,
          username: masterUsername,
          manageMasterUserPassword: true,
          masterUserSecretKmsKeyId: secretKey.keyArn,
        };
    this.instance = new DbInstance(this, "primary", {
      ...common,
      ...origin,
      identifier,
      instanceClass: props.instanceClass,
      dbSubnetGroupName: props.dbSubnetGroupName,
      multiAz: props.multiAz,
      backupRetentionPeriod: props.backupRetentionDays,
      backupWindow,
      deleteAutomatedBackups: false,
      // Production keeps a final snapshot of its primary. RDS takes none of a read replica, and elsewhere
      // none is taken: its fixed name would make the second destroy of a rebuilt environment fail (the
      // snapshot of the first one still exists), and those environments hold no data worth it (AWS
      // Backup's recovery points cover them).
      ...(tier === "production" && !replicating
        ? { skipFinalSnapshot: false, finalSnapshotIdentifier: `${identifier}-final` }
        : { skipFinalSnapshot: true }),
      dependsOn: [...primaryLogs, monitoringPolicy],
    });
    this.instanceIdentifier = identifier;
    this.instanceArn = this.instance.arn;
    this.address = this.instance.address;
    this.resourceId = this.instance.resourceId;
    this.isCrossRegionReplica = replicating;
    if (!crossRegion) this.masterUserSecretArn = this.instance.masterUserSecret.get(0).secretArn;

    // ---- read replicas --------------------------------------------------------------------------
    const replicas: DbInstance[] = [];
    for (let i = 1; i <= readReplicaCount; i++) {
      const replicaId = `${identifier}-replica-${i}`;
      const replicaLogs = logGroupsFor(`replica-${i}`);
      replicas.push(
        new DbInstance(this, `replica-${i}`, {
          ...common,
          identifier: replicaId,
          replicateSourceDb: this.instance.identifier,
          instanceClass: props.replicaInstanceClass ?? props.instanceClass,
          multiAz: false,
          // A replica keeps no automated backups of its own and takes no final snapshot (the primary does).
          backupRetentionPeriod: 0,
          skipFinalSnapshot: true,
          dependsOn: [...replicaLogs, monitoringPolicy],
        }),
      );
    }
    this.replicas = replicas;
    this.replicaAddresses = replicas.map((r) => r.address);

    // ---- alarms ---------------------------------------------------------------------------------
    const rds = { namespace: "AWS/RDS", topicArns: props.alarmTopicArns };
    const crossRegionLag = replicating
      ? metricAlarm(this, "cross-region-replica-lag", {
          ...rds,
          alarmName: `${identifier}-replica-lag`,
          description: `${identifier}: cross-region replica lag above ${replicaLagSeconds} s for 5 minutes, i.e. the data lost if the primary region failed now`,
          metricName: "ReplicaLag",
          dimensions: { DBInstanceIdentifier: identifier },
          comparison: "GreaterThanThreshold",
          statistic: "Maximum",
          threshold: replicaLagSeconds,
          periodSeconds: 60,
          evaluationPeriods: 5,
        })
      : undefined;
    // No data means replication stopped (or the source is gone): that endangers the RPO as well.
    if (crossRegionLag) crossRegionLag.treatMissingData = "breaching";
    const alarms: CloudwatchMetricAlarm[] = [
      metricAlarm(this, "cpu", {
        ...rds,
        alarmName: `${identifier}-cpu`,
        description: `${identifier}: CPU above ${cpuThreshold}% for 15 minutes`,
        metricName: "CPUUtilization",
        dimensions: { DBInstanceIdentifier: identifier },
        comparison: "GreaterThanThreshold",
        threshold: cpuThreshold,
      }),
      metricAlarm(this, "free-storage", {
        ...rds,
        alarmName: `${identifier}-free-storage`,
        description: `${identifier}: less than ${freeStorageGb} GiB free storage`,
        metricName: "FreeStorageSpace",
        dimensions: { DBInstanceIdentifier: identifier },
        comparison: "LessThanThreshold",
        statistic: "Minimum",
        threshold: freeStorageGb * 1024 ** 3,
      }),
      metricAlarm(this, "freeable-memory", {
        ...rds,
        alarmName: `${identifier}-freeable-memory`,
        description: `${identifier}: less than ${freeMemoryMb} MiB freeable memory for 15 minutes`,
        metricName: "FreeableMemory",
        dimensions: { DBInstanceIdentifier: identifier },
        comparison: "LessThanThreshold",
        threshold: freeMemoryMb * 1024 ** 2,
      }),
      ...(crossRegionLag ? [crossRegionLag] : []),
      ...replicas.map((_r, i) =>
        metricAlarm(this, `replica-lag-${i + 1}`, {
          ...rds,
          alarmName: `${identifier}-replica-${i + 1}-lag`,
          description: `${identifier}-replica-${i + 1}: replica lag above ${replicaLagSeconds} s for 15 minutes`,
          metricName: "ReplicaLag",
          dimensions: { DBInstanceIdentifier: `${identifier}-replica-${i + 1}` },
          comparison: "GreaterThanThreshold",
          statistic: "Maximum",
          threshold: replicaLagSeconds,
        }),
      ),
      // Outages: they page (critical topic).
      unavailableAlarm(this, "unavailable", {
        namespace: "AWS/RDS",
        topicArns: criticalTopics,
        alarmName: `${identifier}-unavailable`,
        description: `${identifier}: no metrics for 3 minutes, the instance is down or unreachable`,
        metricName: "CPUUtilization",
        dimensions: { DBInstanceIdentifier: identifier },
      }),
      ...replicas.map((_r, i) =>
        metricAlarm(this, `replica-lag-critical-${i + 1}`, {
          namespace: "AWS/RDS",
          topicArns: criticalTopics,
          alarmName: `${identifier}-replica-${i + 1}-lag-beyond-rpo`,
          description: `${identifier}-replica-${i + 1}: replica lag above the RPO (${replicaLagCriticalSeconds} s) for 3 minutes`,
          metricName: "ReplicaLag",
          dimensions: { DBInstanceIdentifier: `${identifier}-replica-${i + 1}` },
          comparison: "GreaterThanThreshold",
          statistic: "Maximum",
          threshold: replicaLagCriticalSeconds,
          periodSeconds: 60,
          evaluationPeriods: 3,
        }),
      ),
    ];
    this.alarms = alarms;
  }
}
