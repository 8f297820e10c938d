// The cache module's settings (per environment, at `<env>.cache`), its props (settings + wiring) and
// the constants the stacks, the tests and scripts/terraform-modules share.
import type { TerraformProvider } from "cdktf";
import type { DataStoreTier, DataStoreWiring } from "../datastore-common";

/** The port Redis/Valkey listens on; the security group opens exactly this port. */
export const REDIS_PORT = 6379;
/** The engines the module supports. */
export type CacheEngine = "redis" | "valkey";
/** The engine when the settings do not name one. */
export const DEFAULT_CACHE_ENGINE: CacheEngine = "redis";
/** The engine version when the settings do not name one (the platform document's "Redis 7.1"). */
export const DEFAULT_CACHE_ENGINE_VERSION = "7.1";
/** Length of the generated AUTH token (ElastiCache accepts 16-128 printable characters). */
export const AUTH_TOKEN_LENGTH = 64;
/** `auth_token_update_strategy`: a changed token is added next to the old one, so clients can move over. */
export const AUTH_TOKEN_UPDATE_STRATEGY = "ROTATE";
/** The two ElastiCache logs delivered to CloudWatch Logs. */
export const CACHE_LOG_TYPES = ["slow-log", "engine-log"] as const;

/**
 * The parameter-group family of an engine version, e.g. redis `7.1` → `redis7`, valkey `8.0` → `valkey8`;
 * `undefined` for a combination ElastiCache does not offer.
 */
export function cacheParameterFamily(engine: CacheEngine, engineVersion: string): string | undefined {
  const m = /^(\d+)\.(\d+)$/.exec(engineVersion);
  if (!m) return undefined;
  const major = Number(m[1]);
  if (engine === "redis") {
    if (major === 7) return "redis7";
    if (major === 6) return "redis6.x";
    return undefined;
  }
  if (major === 7 || major === 8) return `valkey${major}`;
  return undefined;
}

/** Per-environment tunables of the cache (the environment config's `cache` section). */
export interface RedisSettings {
  /** `redis` or `valkey`; a later move to Valkey is a change of this field and `engineVersion`. @default "redis" */
  readonly engine?: CacheEngine;
  /** Engine version as `<major>.<minor>`, e.g. `7.1` (redis) or `8.0` (valkey). @default "7.1" */
  readonly engineVersion?: string;
  /**
   * Parameter-group family. Derived from engine and version (redis 7.x → `redis7`, valkey 7.x/8.x →
   * `valkey7`/`valkey8`); when given it must equal the derived one. @default derived
   */
  readonly parameterFamily?: string;
  /** Extra cache parameters, name → value (e.g. `{ "maxmemory-policy": "allkeys-lru" }`). @default none */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Node type, e.g. `cache.t4g.micro`, `cache.r7g.large`. */
  readonly nodeType: string;
  /** Nodes in the replication group: one primary plus `numCacheClusters - 1` replicas (1-6). */
  readonly numCacheClusters: number;
  /** Spread the nodes over AZs (needs at least 2 nodes and automatic failover). @default false */
  readonly multiAz?: boolean;
  /** Promote a replica when the primary fails (needs at least 2 nodes). @default the value of `multiAz` */
  readonly automaticFailover?: boolean;
  /** Days ElastiCache keeps automatic snapshots (0 disables them, max 35). */
  readonly snapshotRetentionDays: number;
  /** Daily snapshot window, `hh24:mi-hh24:mi` UTC, at least 60 minutes. @default "03:00-04:00" */
  readonly snapshotWindow?: string;
  /** Weekly maintenance window, `ddd:hh24:mi-ddd:hh24:mi` UTC, at least 60 minutes. @default "sun:05:00-sun:06:00" */
  readonly maintenanceWindow?: string;
  /** Let ElastiCache apply minor engine upgrades in the maintenance window. @default true */
  readonly autoMinorVersionUpgrade?: boolean;
  /** Apply changes now instead of in the maintenance window. @default false */
  readonly applyImmediately?: boolean;
  /** CPUUtilization alarm threshold per node (host CPU, %). @default 90 */
  readonly cpuAlarmThresholdPercent?: number;
  /** EngineCPUUtilization alarm threshold per node (the Redis thread, %). @default 80 */
  readonly engineCpuAlarmThresholdPercent?: number;
  /** DatabaseMemoryUsagePercentage alarm threshold per node (%). @default 80 */
  readonly memoryAlarmThresholdPercent?: number;
  /** Evictions per 5 minutes per node above which the evictions alarm fires. @default 100 */
  readonly evictionsAlarmThreshold?: number;
}

/** Settings plus the wiring the environment stack supplies. */
export interface RedisClusterProps extends RedisSettings, DataStoreWiring {
  /**
   * `production` keeps a final snapshot on delete and a 30-day recovery window on the AUTH-token
   * secret; `non-production` (rebuilt at will) takes no final snapshot and deletes the secret at once,
   * so destroy-and-recreate works. @default "production"
   */
  readonly tier?: DataStoreTier;
  /** Name of the ElastiCache subnet group over the database subnets. */
  readonly cacheSubnetGroupName: string;
  /**
   * Replicate the AUTH token secret to another region (Secrets Manager replica), encrypted there with
   * a CMK of that region created through `provider`: the DR side then reads the same token under the
   * same secret name. @default no replica
   */
  readonly authTokenSecretReplica?: { readonly region: string; readonly provider: TerraformProvider };
  /**
   * Take the AUTH token from this existing secret of the stack's region (name or ARN) instead of
   * generating one, e.g. the DR-region replica of the primary's secret, so applications use one secret
   * name in both regions. The secret is read at plan time. @default a new token and secret
   */
  readonly authTokenFromSecret?: string;
}
