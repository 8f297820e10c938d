import { S3Backend, TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { AlertTopics, AlertingSettings } from "../modules/alerting";
import { DatabaseSettings, PostgresDatabase } from "../modules/database";
import { DataStoreWiring } from "../modules/datastore-common";
import { EksCluster, EksSettings } from "../modules/eks";
import { RedisCluster, RedisSettings } from "../modules/elasticache";
import { FailoverDnsSettings, FailoverRecords } from "../modules/failover-dns";
import { Naming } from "../modules/naming";
import { Network, NetworkSettings } from "../modules/network";
import { EnvironmentStack, suppressNodeEgress } from "./environment-stack";
import { PlatformStack } from "./platform-stack";
import { STATE_BACKEND, stateBackendConfig } from "./state";
import { EnvironmentConfig, PROJECT } from "./types";

/** The database RPO of the Recovery Procedures spec (seed 004): 15 minutes. */
export const DATABASE_RPO_SECONDS = 15 * 60;
/** The replica-lag alarm threshold unless configured: a third of the RPO, so there is time to act. */
export const DEFAULT_DR_REPLICA_LAG_ALARM_SECONDS = 300;

/** The DR side's database: a cross-region read replica of the primary; the rest comes from `<env>.database`. */
export interface DrDatabaseSettings {
  /** Instance class of the replica (what the promoted primary runs on), e.g. `db.r6g.large`. */
  readonly instanceClass: string;
  /** A standby in a second AZ; a pilot light may leave it off and turn it on after promotion. */
  readonly multiAz: boolean;
  /** Days of automated backups the replica keeps (and the promoted primary keeps), 1-35. */
  readonly backupRetentionDays: number;
  /**
   * `ReplicaLag` above this many seconds for 5 minutes raises the alarm; at most `DATABASE_RPO_SECONDS`.
   * @default DEFAULT_DR_REPLICA_LAG_ALARM_SECONDS (300)
   */
  readonly replicaLagAlarmThresholdSeconds?: number;
  /**
   * The replica has been promoted (failover happened): Terraform stops asking for `replicate_source_db`.
   * Set it after `aws rds promote-read-replica`, see the runbook. @default false
   */
  readonly promoted?: boolean;
}

/**
 * What an environment keeps in its DR region (`<env>.dr`, with `drRegion`): a pilot light that can take
 * the platform's traffic within the 2-hour full-system RTO.
 */
export interface DrSettings {
  /** The DR VPC: CIDR (no overlap with any environment or DR VPC), AZs of `drRegion`, three tiers, NAT. */
  readonly network: NetworkSettings;
  /**
   * The pilot-light EKS cluster: small node groups that scale out on failover. The primary's `eks`
   * settings are not inherited; give the DR cluster its own.
   */
  readonly eks: EksSettings;
  /** The cross-region PostgreSQL replica. */
  readonly database: DrDatabaseSettings;
  /**
   * The DR Redis, rebuilt empty (it is a cache): a small replication group that takes the primary's
   * AUTH token from the replicated secret, scaled up on failover.
   */
  readonly cache: RedisSettings;
  /** Route 53 failover for the edge's origin name, and the DR origin CloudFront's origin group fails over to. */
  readonly traffic: FailoverDnsSettings;
  /** Alert subscribers of the DR region's topics. @default the primary's email subscribers */
  readonly alerting?: AlertingSettings;
}

/** The DR stack's name: `production-dr`. */
export function drStackName(environment: string): string {
  return `${environment}-dr`;
}

/** The DR stack's state key: `aivo/<env>/dr.tfstate`. */
export function drStateKey(environment: string): string {
  return `${STATE_BACKEND.project}/${environment}/dr.tfstate`;
}

/** The sections of `<env>.dr` whose module errors name `<env>.<section>`. */
const DR_SECTIONS = ["network", "eks", "database", "cache", "alerting"] as const;

/**
 * Module errors name `<env>.<section>.<field>`; in this stack the section is `<env>.dr.<section>`, so
 * the message is re-pointed there (`production.eks.nodeGroups…` → `production.dr.eks.nodeGroups…`).
 * Errors about settings the DR stack takes from the environment itself (e.g. `logRetentionDays`) keep
 * their path.
 */
function inDrSection<T>(environment: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    const err = error as Error;
    const section = DR_SECTIONS.find((s) => err.message.startsWith(`${environment}.${s}.`) || err.message.startsWith(`${environment}.${s}:`));
    if (section) err.message = `${environment}.dr.${err.message.slice(environment.length + 1)}`;
    throw err;
  }
}

/**
 * The DR side of an environment (`<env>-dr`), in `drRegion`, deployed after the environment whose
 * outputs it reads: a VPC, a pilot-light EKS cluster, a cross-region read replica of the primary
 * database (encrypted with a CMK of the DR region), an empty Redis that shares the primary's AUTH token
 * through the replicated secret, alert topics of the region, and the Route 53 failover records of the
 * origin name. Every name carries the region's code (`aivo-production-usw2-…`), so IAM roles and other
 * account-global names never collide with the primary stack's.
 */
export class DrStack extends PlatformStack {
  readonly config: EnvironmentConfig;
  readonly settings: DrSettings;
  /** The DR region. */
  readonly region: string;
  /** `aivo-<env>-<region code>-…`. */
  readonly naming: Naming;
  readonly network: Network;
  /** The pilot-light cluster; the Kubernetes stacks target it through its name, endpoint, CA and OIDC outputs. */
  readonly eks: EksCluster;
  readonly alerts: AlertTopics;
  /** The cross-region replica (the primary after failover). */
  readonly database: PostgresDatabase;
  readonly cache: RedisCluster;
  readonly failover: FailoverRecords;

  constructor(scope: Construct, primary: EnvironmentStack) {
    const config = primary.config;
    if (!config.drRegion || !config.dr) {
      throw new Error(`${config.name}.dr: a DR stack needs both drRegion and a dr section; set both or neither`);
    }
    super(scope, drStackName(config.name), {
      region: config.drRegion,
      tags: { project: PROJECT, environment: config.name, costCenter: config.costCenter },
    });
    const settings = config.dr;
    this.config = config;
    this.settings = settings;
    this.region = config.drRegion;
    this.naming = primary.naming.inRegion(config.drRegion);
    const naming = this.naming;
    const env = config.name;
    new S3Backend(this, stateBackendConfig(drStateKey(env)));
    this.addDependency(primary);

    this.network = inDrSection(env, () =>
      new Network(this, "network", {
        ...settings.network,
        naming,
        region: this.region,
        logRetentionDays: config.logRetentionDays,
        eksClusterName: naming.name("eks"),
      }),
    );
    this.eks = inDrSection(env, () =>
      new EksCluster(this, "eks", {
        ...settings.eks,
        naming,
        vpcId: this.network.vpcId,
        privateSubnetIds: this.network.privateSubnetIds,
        logRetentionDays: config.logRetentionDays,
        instanceTags: this.defaultTags,
      }),
    );
    suppressNodeEgress(this.eks);
    // CloudWatch alarms can only notify topics of their own region.
    this.alerts = inDrSection(env, () =>
      new AlertTopics(this, "alerts", { ...(settings.alerting ?? { emailSubscribers: config.alerting.emailSubscribers }), naming }),
    );

    const dataStoreAccess: DataStoreWiring = {
      naming,
      vpcId: this.network.vpcId,
      allowedSecurityGroupIds: [this.eks.nodeSecurityGroupId],
      alarmTopicArns: [this.alerts.topicArns.alert],
      logRetentionDays: config.logRetentionDays,
    };
    // Engine version, storage, windows and parameters follow the primary; class, AZs and backups are the DR side's.
    const { readReplicaCount: _count, replicaInstanceClass: _class, ...primaryDatabase } = config.database;
    const { promoted, replicaLagAlarmThresholdSeconds, ...drDatabase } = settings.database;
    const database: DatabaseSettings = {
      ...primaryDatabase,
      ...drDatabase,
      replicaLagAlarmThresholdSeconds: replicaLagAlarmThresholdSeconds ?? DEFAULT_DR_REPLICA_LAG_ALARM_SECONDS,
    };
    this.database = inDrSection(env, () =>
      new PostgresDatabase(this, "database", {
        ...database,
        ...dataStoreAccess,
        tier: config.tier === "production" ? "production" : "non-production",
        dbSubnetGroupName: this.network.dbSubnetGroupName,
        // A cross-stack reference: cdktf adds an output to the primary stack and reads it from its state.
        crossRegionReplicaOf: { sourceDbArn: primary.database.instanceArn, promoted },
      }),
    );
    this.cache = inDrSection(env, () =>
      new RedisCluster(this, "cache", {
        ...settings.cache,
        ...dataStoreAccess,
        cacheSubnetGroupName: this.network.elasticacheSubnetGroupName,
        // The primary's secret, replicated to this region under the same name.
        authTokenFromSecret: primary.cache.authTokenSecretName,
      }),
    );
    this.failover = new FailoverRecords(this, "origin-failover", {
      ...settings.traffic,
      naming,
      configPath: `${env}.dr.traffic`,
      zoneId: primary.edge.publicZoneId,
      recordName: config.edge.originDomain,
    });

    // What the runbook and the Kubernetes stacks read.
    const outputs: Record<string, [string, string]> = {
      region: [this.region, "The DR region"],
      database_identifier: [this.database.instanceIdentifier, "The replica to promote: aws rds promote-read-replica --db-instance-identifier <this>"],
      database_address: [this.database.address, "The replica's (after promotion: the primary's) DNS address"],
      cluster_name: [this.eks.clusterName, "The pilot-light EKS cluster"],
      cluster_endpoint: [this.eks.clusterEndpoint, "API endpoint of the pilot-light cluster"],
      cluster_oidc_provider_arn: [this.eks.oidcProviderArn, "IRSA provider of the pilot-light cluster"],
      cache_primary_endpoint: [this.cache.primaryEndpointAddress, "The DR Redis (empty until failover)"],
      primary_health_check_id: [this.failover.primaryHealthCheckId, "The primary origin's health check (a drill inverts it while the primary is healthy to move DNS to the DR origin)"],
    };
    for (const [name, [value, description]] of Object.entries(outputs)) {
      new TerraformOutput(this, name, { value, description });
    }
  }
}
