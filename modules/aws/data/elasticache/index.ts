import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { DataAwsSecretsmanagerRandomPassword } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-random-password";
import { DataAwsSecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version";
import { ElasticacheParameterGroup } from "@cdktf/provider-aws/lib/elasticache-parameter-group";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import {
  assertAlarmTopics,
  assertIntegerInRange,
  assertWindowsDoNotOverlap,
  DataStoreTier,
  DataStoreWiring,
  metricAlarm,
  unavailableAlarm,
} from "../datastore-common";
import { CustomerManagedKey } from "../../../shared/kms";
import { EncryptedLogGroups } from "../../observability/log-group";
import { assertLogRetentionDays } from "../../../shared/log-retention";
import { ServiceSecurityGroup } from "../../network/service-security-group";

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

/**
 * An ElastiCache replication group (cluster mode disabled) for Redis OSS or Valkey: CMK encryption at
 * rest, TLS required in transit, an AUTH token generated by Secrets Manager and kept in a CMK-encrypted
 * secret, its own security group, snapshots, slow/engine logs to CMK-encrypted log groups (JSON) and
 * per-node CPU, memory and eviction alarms.
 *
 * The AUTH token: `data.aws_secretsmanager_random_password` (GetRandomPassword, no `random` provider)
 * produces it; the secret version stores it and the replication group reads it from the secret version.
 * The data source returns a new value on every refresh, so the secret version ignores later changes of
 * `secret_string`: the token is fixed at creation. To rotate, replace the secret version
 * (`terraform apply -replace=<secret version address>`): the new token flows into `auth_token`, and with
 * `auth_token_update_strategy = ROTATE` ElastiCache accepts old and new tokens until the next change.
 */
export class RedisCluster extends Construct {
  /** The replication group (escape hatch). */
  readonly replicationGroup: ElasticacheReplicationGroup;
  /** `aivo-<env>-cache`. */
  readonly replicationGroupId: string;
  /** The primary (read/write) endpoint address. */
  readonly primaryEndpointAddress: string;
  /** The reader endpoint address (load-balanced over the replicas). */
  readonly readerEndpointAddress: string;
  /** Always 6379. */
  readonly port: number = REDIS_PORT;
  /** The cache's security group id (add ingress sources through `allowedSecurityGroupIds`). */
  readonly securityGroupId: string;
  /** ARN of the Secrets Manager secret holding the AUTH token (a plain string). */
  readonly authTokenSecretArn: string;
  /** Name of that secret, for External Secrets. */
  readonly authTokenSecretName: string;
  /** ARN of the CMK encrypting the cache data at rest. */
  readonly kmsKeyArn: string;
  /** The parameter group's family, e.g. `redis7`. */
  readonly parameterFamily: string;
  /** The member node ids (`<group id>-001` …), the `CacheClusterId` dimension of the node metrics. */
  readonly memberClusterIds: readonly string[];
  /** The alarms created. */
  readonly alarms: readonly CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: RedisClusterProps) {
    super(scope, id);
    const env = props.naming.environment;
    const tier = props.tier ?? "production";
    const at = (field: string) => `${env}.cache.${field}`;

    // ---- validation, before any resource --------------------------------------------------------
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

    // ---- keys -----------------------------------------------------------------------------------
    const dataKey = new CustomerManagedKey(this, "data-key", {
      naming: props.naming,
      purpose: "elasticache",
      description: `ElastiCache ${groupId}: data at rest and snapshots`,
    });
    this.kmsKeyArn = dataKey.keyArn;

    // ---- AUTH token -----------------------------------------------------------------------------
    let authToken: string;
    if (props.authTokenFromSecret !== undefined) {
      const existing = new DataAwsSecretsmanagerSecretVersion(this, "auth-token-existing", { secretId: props.authTokenFromSecret });
      authToken = existing.secretString;
      this.authTokenSecretArn = existing.arn;
      this.authTokenSecretName = props.authTokenFromSecret;
    } else {
      const secretKey = new CustomerManagedKey(this, "secret-key", {
        naming: props.naming,
        purpose: "elasticache-auth",
        description: `ElastiCache ${groupId}: AUTH token secret`,
      });
      const replicaKey = props.authTokenSecretReplica
        ? new CustomerManagedKey(this, "secret-replica-key", {
            // alias/aivo/<env>-<region code>/elasticache-auth: the alias says where the key lives.
            naming: props.naming.inRegion(props.authTokenSecretReplica.region),
            purpose: "elasticache-auth",
            description: `ElastiCache ${groupId}: AUTH token secret, replica in ${props.authTokenSecretReplica.region}`,
            provider: props.authTokenSecretReplica.provider,
          })
        : undefined;
      const password = new DataAwsSecretsmanagerRandomPassword(this, "auth-token-value", {
        passwordLength: AUTH_TOKEN_LENGTH,
        // ElastiCache rejects "/", "\"" and "@" and any non-printable character: letters and digits only.
        excludePunctuation: true,
        includeSpace: false,
        requireEachIncludedType: true,
      });
      this.authTokenSecretName = props.naming.path("elasticache", "auth-token").slice(1);
      const secret = new SecretsmanagerSecret(this, "auth-token", {
        name: this.authTokenSecretName,
        description: `AUTH token of the ElastiCache replication group ${groupId}`,
        kmsKeyId: secretKey.keyArn,
        ...(replicaKey ? { replica: [{ region: props.authTokenSecretReplica!.region, kmsKeyId: replicaKey.keyArn }] } : {}),
        // Outside production, delete at once: a secret scheduled for deletion keeps its name for the
        // recovery window, and re-creating the environment would fail on it.
        ...(tier === "production" ? {} : { recoveryWindowInDays: 0 }),
      });
      const secretVersion = new SecretsmanagerSecretVersion(this, "auth-token-version", {
        secretId: secret.id,
        secretString: password.randomPassword,
        // The data source yields a new password on every refresh; the token is fixed at creation.
        lifecycle: { ignoreChanges: ["secret_string"] },
      });
      this.authTokenSecretArn = secret.arn;
      authToken = secretVersion.secretString;
    }

    // ---- network --------------------------------------------------------------------------------
    const securityGroup = new ServiceSecurityGroup(this, "security-group", {
      name: groupId,
      description: `ElastiCache ${groupId}`,
      vpcId: props.vpcId,
      port: REDIS_PORT,
      allowedSecurityGroupIds: props.allowedSecurityGroupIds,
    });
    this.securityGroupId = securityGroup.securityGroupId;

    // ---- parameters and logs --------------------------------------------------------------------
    this.parameterFamily = derivedFamily;
    const parameterGroup = new ElasticacheParameterGroup(this, "parameters", {
      // The family is part of the name so a family change creates the new group before destroying the old.
      name: `${groupId}-${derivedFamily.replace(/\./g, "-")}`,
      family: derivedFamily,
      // No engine version here: `description` forces replacement, and a minor upgrade must not
      // replace the group (its create-before-destroy twin would collide with this name).
      description: `${groupId} (${derivedFamily})`,
      parameter: Object.entries(props.parameters ?? {}).map(([name, value]) => ({ name, value })),
      lifecycle: { createBeforeDestroy: true },
    });
    const logs = new EncryptedLogGroups(this, "logs", {
      naming: props.naming,
      keyPurpose: "elasticache-logs",
      description: `ElastiCache ${groupId}: slow-log and engine-log groups`,
      logGroups: Object.fromEntries(CACHE_LOG_TYPES.map((logType) => [`log-${logType}`, props.naming.path("elasticache", logType)])),
      retentionInDays: props.logRetentionDays,
      retentionFieldPath: `${env}.logRetentionDays`,
    });
    const logGroups = CACHE_LOG_TYPES.map((logType) => logs.group(`log-${logType}`));

    // ---- the replication group ------------------------------------------------------------------
    this.replicationGroup = new ElasticacheReplicationGroup(this, "group", {
      replicationGroupId: groupId,
      description: `AIVO ${env} cache (${engine} ${engineVersion})`,
      engine,
      engineVersion,
      nodeType: props.nodeType,
      port: REDIS_PORT,
      clusterMode: "disabled",
      numCacheClusters: props.numCacheClusters,
      multiAzEnabled: multiAz,
      automaticFailoverEnabled: automaticFailover,
      parameterGroupName: parameterGroup.name,
      subnetGroupName: props.cacheSubnetGroupName,
      securityGroupIds: [securityGroup.securityGroupId],
      atRestEncryptionEnabled: "true",
      kmsKeyId: dataKey.keyArn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
      authToken,
      authTokenUpdateStrategy: AUTH_TOKEN_UPDATE_STRATEGY,
      snapshotRetentionLimit: props.snapshotRetentionDays,
      snapshotWindow,
      maintenanceWindow,
      autoMinorVersionUpgrade: String(props.autoMinorVersionUpgrade ?? true),
      applyImmediately: props.applyImmediately ?? false,
      // Fixed-name final snapshots only in production: a second destroy would fail on the first one's.
      finalSnapshotIdentifier: tier === "production" && props.snapshotRetentionDays > 0 ? `${groupId}-final` : undefined,
      logDeliveryConfiguration: CACHE_LOG_TYPES.map((logType, i) => ({
        destinationType: "cloudwatch-logs",
        destination: logGroups[i].name,
        logFormat: "json",
        logType,
      })),
    });
    this.replicationGroupId = groupId;
    this.primaryEndpointAddress = this.replicationGroup.primaryEndpointAddress;
    this.readerEndpointAddress = this.replicationGroup.readerEndpointAddress;

    // ---- alarms, per node -----------------------------------------------------------------------
    this.memberClusterIds = Array.from({ length: props.numCacheClusters }, (_v, i) => `${groupId}-${String(i + 1).padStart(3, "0")}`);
    const alarms: CloudwatchMetricAlarm[] = [];
    for (const node of this.memberClusterIds) {
      const suffix = node.slice(groupId.length + 1);
      const common = {
        namespace: "AWS/ElastiCache",
        dimensions: { CacheClusterId: node },
        comparison: "GreaterThanThreshold" as const,
        topicArns: props.alarmTopicArns,
      };
      alarms.push(
        metricAlarm(this, `cpu-${suffix}`, {
          ...common,
          alarmName: `${node}-cpu`,
          description: `${node}: host CPU above ${cpuThreshold}% for 15 minutes`,
          metricName: "CPUUtilization",
          threshold: cpuThreshold,
        }),
        metricAlarm(this, `engine-cpu-${suffix}`, {
          ...common,
          alarmName: `${node}-engine-cpu`,
          description: `${node}: engine thread CPU above ${engineCpuThreshold}% for 15 minutes`,
          metricName: "EngineCPUUtilization",
          threshold: engineCpuThreshold,
        }),
        metricAlarm(this, `memory-${suffix}`, {
          ...common,
          alarmName: `${node}-memory`,
          description: `${node}: memory use above ${memoryThreshold}% of maxmemory for 15 minutes`,
          metricName: "DatabaseMemoryUsagePercentage",
          threshold: memoryThreshold,
        }),
        // An outage: pages (critical topic).
        unavailableAlarm(this, `unavailable-${suffix}`, {
          namespace: "AWS/ElastiCache",
          dimensions: { CacheClusterId: node },
          topicArns: props.criticalAlarmTopicArns ?? props.alarmTopicArns,
          alarmName: `${node}-unavailable`,
          description: `${node}: no metrics for 3 minutes, the node is down or being replaced`,
          metricName: "EngineCPUUtilization",
        }),
        metricAlarm(this, `evictions-${suffix}`, {
          ...common,
          alarmName: `${node}-evictions`,
          description: `${node}: more than ${evictionsThreshold} evictions per 5 minutes, 3 periods in a row`,
          metricName: "Evictions",
          statistic: "Sum",
          threshold: evictionsThreshold,
        }),
      );
    }
    this.alarms = alarms;
  }
}
