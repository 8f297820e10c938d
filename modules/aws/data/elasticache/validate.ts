// Validation of the cache settings: defaults applied, every rule checked with the field path named,
// before the construct creates any resource.
import { assertAlarmTopics, assertIntegerInRange, assertWindowsDoNotOverlap, DataStoreTier } from "../datastore-common";
import { assertLogRetentionDays } from "../../../shared/log-retention";
import { CacheEngine, cacheParameterFamily, DEFAULT_CACHE_ENGINE, DEFAULT_CACHE_ENGINE_VERSION, RedisClusterProps, RedisSettings } from "./settings";

/** The settings with their defaults applied, as the construct's parts use them. */
export interface ResolvedCacheSettings {
  readonly tier: DataStoreTier;
  readonly engine: CacheEngine;
  readonly engineVersion: string;
  /** The parameter family derived from engine and version, e.g. `redis7`. */
  readonly family: string;
  readonly multiAz: boolean;
  readonly automaticFailover: boolean;
  readonly snapshotWindow: string;
  readonly maintenanceWindow: string;
  readonly cpuThreshold: number;
  readonly engineCpuThreshold: number;
  readonly memoryThreshold: number;
  readonly evictionsThreshold: number;
  /** `aivo-<env>-cache`, the replication group id (at most 40 characters). */
  readonly groupId: string;
}

/** Applies defaults and checks every setting; throws `<env>.cache.<field>: <value> <rule>; <fix>`. */
export function validateRedisProps(props: RedisClusterProps): ResolvedCacheSettings {
  const env = props.naming.environment;
  const tier = props.tier ?? "production";
  const at = (field: string) => `${env}.cache.${field}`;
  const engine = props.engine ?? DEFAULT_CACHE_ENGINE;
  if (engine !== "redis" && engine !== "valkey") {
    throw new Error(`${at("engine")}: "${engine}" is not supported; use "redis" or "valkey"`);
  }
  const engineVersion = props.engineVersion ?? DEFAULT_CACHE_ENGINE_VERSION;
  if (!/^\d+\.\d+$/.test(engineVersion)) {
    throw new Error(`${at("engineVersion")}: "${engineVersion}" is not a version; use <major>.<minor>, e.g. 7.1`);
  }
  const derivedFamily = cacheParameterFamily(engine, engineVersion);
  if (!derivedFamily) {
    throw new Error(
      `${at("engineVersion")}: ${engine} ${engineVersion} has no parameter family this module knows; use redis 6.x/7.x or valkey 7.x/8.x`,
    );
  }
  if (props.parameterFamily !== undefined && props.parameterFamily !== derivedFamily) {
    throw new Error(
      `${at("parameterFamily")}: "${props.parameterFamily}" does not match ${engine} ${engineVersion}; use "${derivedFamily}" or change engineVersion`,
    );
  }
  assertIntegerInRange(at("numCacheClusters"), props.numCacheClusters, 1, 6, "a replication group has 1 primary and up to 5 replicas");
  const multiAz = props.multiAz ?? false;
  const automaticFailover = props.automaticFailover ?? multiAz;
  if (props.numCacheClusters < 2 && multiAz) {
    throw new Error(`${at("multiAz")}: true needs at least 2 nodes, numCacheClusters is ${props.numCacheClusters}; add a replica or set multiAz false`);
  }
  if (props.numCacheClusters < 2 && automaticFailover) {
    throw new Error(
      `${at("automaticFailover")}: true needs at least 2 nodes, numCacheClusters is ${props.numCacheClusters}; add a replica or set automaticFailover false`,
    );
  }
  if (multiAz && !automaticFailover) {
    throw new Error(`${at("automaticFailover")}: false while multiAz is true; ElastiCache requires automatic failover for multi-AZ`);
  }
  if (!/^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(props.nodeType)) {
    throw new Error(`${at("nodeType")}: "${props.nodeType}" is not a cache node type; use e.g. cache.t4g.micro`);
  }
  assertIntegerInRange(at("snapshotRetentionDays"), props.snapshotRetentionDays, 0, 35, "ElastiCache keeps snapshots 0-35 days");
  const snapshotWindow = props.snapshotWindow ?? "03:00-04:00";
  const maintenanceWindow = props.maintenanceWindow ?? "sun:05:00-sun:06:00";
  assertWindowsDoNotOverlap(
    { path: at("snapshotWindow"), window: snapshotWindow, minMinutes: 60 },
    { path: at("maintenanceWindow"), window: maintenanceWindow, minMinutes: 60 },
  );
  const percent = (field: keyof RedisSettings, value: number) => assertIntegerInRange(at(field), value, 1, 100, "a percentage");
  const cpuThreshold = props.cpuAlarmThresholdPercent ?? 90;
  const engineCpuThreshold = props.engineCpuAlarmThresholdPercent ?? 80;
  const memoryThreshold = props.memoryAlarmThresholdPercent ?? 80;
  const evictionsThreshold = props.evictionsAlarmThreshold ?? 100;
  percent("cpuAlarmThresholdPercent", cpuThreshold);
  percent("engineCpuAlarmThresholdPercent", engineCpuThreshold);
  percent("memoryAlarmThresholdPercent", memoryThreshold);
  assertIntegerInRange(at("evictionsAlarmThreshold"), evictionsThreshold, 0, Number.MAX_SAFE_INTEGER, "a count of evictions");
  assertLogRetentionDays(`${env}.logRetentionDays`, props.logRetentionDays);
  assertAlarmTopics(`${env}.cache.alarmTopicArns`, props.alarmTopicArns);
  const groupId = props.naming.name("cache");
  if (groupId.length > 40) {
    throw new Error(`${env}.cache: replication group id "${groupId}" is longer than the 40 characters ElastiCache accepts; shorten the project or environment name`);
  }
  return {
    tier,
    engine,
    engineVersion,
    family: derivedFamily,
    multiAz,
    automaticFailover,
    snapshotWindow,
    maintenanceWindow,
    cpuThreshold,
    engineCpuThreshold,
    memoryThreshold,
    evictionsThreshold,
    groupId,
  };
}
