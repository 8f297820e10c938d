// The database module's settings (per environment, at `<env>.database`), its props (settings + wiring)
// and the constants the stacks, the tests and the other parts share.
import type { DataStoreTier, DataStoreWiring } from "../datastore-common";

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
