// Validation of the database settings: defaults applied, every rule checked with the field path named,
// before the construct creates any resource.
import { assertAlarmTopics, assertIntegerInRange, assertWindowsDoNotOverlap, DATABASE_RPO_SECONDS, DataStoreTier } from "../datastore-common";
import { assertLogRetentionDays } from "../../../shared/log-retention";
import { postgresParameterFamily } from "./parameters";
import {
  DEFAULT_POSTGRES_VERSION,
  ENHANCED_MONITORING_INTERVALS,
  PostgresDatabaseProps,
  PRODUCTION_MIN_BACKUP_RETENTION_DAYS,
  SUPPORTED_POSTGRES_MAJORS,
} from "./settings";

/** The settings with their defaults applied, as the construct's parts use them. */
export interface ResolvedDatabaseSettings {
  readonly tier: DataStoreTier;
  readonly engineVersion: string;
  /** The parameter family, e.g. `postgres15`. */
  readonly family: string;
  readonly deletionProtection: boolean;
  readonly readReplicaCount: number;
  readonly backupWindow: string;
  readonly maintenanceWindow: string;
  readonly piRetention: number;
  readonly monitoringInterval: number;
  readonly logMinDuration: number;
  readonly databaseName: string;
  readonly masterUsername: string;
  readonly cpuThreshold: number;
  readonly freeStorageGb: number;
  readonly freeMemoryMb: number;
  readonly replicaLagSeconds: number;
  readonly replicaLagCriticalSeconds: number;
}

/** Applies defaults and checks every setting; throws `<env>.database.<field>: <value> <rule>; <fix>`. */
export function validateDatabaseProps(props: PostgresDatabaseProps): ResolvedDatabaseSettings {
  const env = props.naming.environment;
  const at = (field: string) => `${env}.database.${field}`;
  const tier = props.tier ?? "production";
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
  assertLogRetentionDays(`${env}.logRetentionDays`, props.logRetentionDays);
  assertAlarmTopics(`${env}.database.alarmTopicArns`, props.alarmTopicArns);
  return {
    tier,
    engineVersion,
    family,
    deletionProtection,
    readReplicaCount,
    backupWindow,
    maintenanceWindow,
    piRetention,
    monitoringInterval,
    logMinDuration,
    databaseName,
    masterUsername,
    cpuThreshold,
    freeStorageGb,
    freeMemoryMb,
    replicaLagSeconds,
    replicaLagCriticalSeconds,
  };
}
