import { S3Backend, TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { AlertTopics } from "../modules/aws/observability/alerting";
import { DatabaseSettings, PostgresDatabase } from "../modules/aws/data/database";
import { DataStoreWiring } from "../modules/aws/data/datastore-common";
import { EKS_AZ_EXCLUSION, EksCluster } from "../modules/aws/compute/eks";
import { RedisCluster } from "../modules/aws/data/elasticache";
import { DEFAULT_ORIGIN_HEALTH_CHECK_PATH } from "../modules/aws/edge/cloudfront";
import { FailoverRecords } from "../modules/aws/network/failover-dns";
import { OriginCertificate, originNames } from "../modules/aws/edge/origin-names";
import { Naming } from "../modules/shared/naming";
import { Network } from "../modules/aws/network/vpc";
import { EnvironmentStack, suppressNodeEgress } from "./environment-stack";
import { clusterAdminRoleArns } from "./compliance";
import { PlatformStack } from "./platform-stack";
import { STATE_BACKEND, stateBackendConfig } from "./state";
import { EnvironmentConfig, PROJECT } from "./types";

export { DATABASE_RPO_SECONDS, DEFAULT_DR_REPLICA_LAG_ALARM_SECONDS } from "./dr-settings";
export type { DrDatabaseSettings, DrSettings } from "./dr-settings";
import { DEFAULT_DR_REPLICA_LAG_ALARM_SECONDS, DrSettings } from "./dr-settings";

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
  /** The DR ALB's certificate (origin name and the DR region's own), ready before a failover needs it. */
  readonly originCertificate: OriginCertificate;

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
        // AZ names differ per account: the plan fails if one maps to a zone EKS does not support.
        excludedZoneIds: EKS_AZ_EXCLUSION,
      }),
    );
    this.eks = inDrSection(env, () =>
      new EksCluster(this, "eks", {
        ...settings.eks,
        // The same people's admin role as the primary's cluster (environments/compliance.ts).
        adminRoleArns: [...(settings.eks.adminRoleArns ?? []), ...clusterAdminRoleArns(this)],
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
      // Both regions' origins answer the health check the edge uses (the path the services route).
      healthCheckPath: config.edge.healthCheckPath ?? DEFAULT_ORIGIN_HEALTH_CHECK_PATH,
      ...settings.traffic,
      naming,
      configPath: `${env}.dr.traffic`,
      zoneId: primary.edge.publicZoneId,
      recordName: config.edge.originDomain,
    });

    // The DR ALB answers CloudFront's origin name after failover and its own regional name; the
    // origin name's validation record is the primary stack's (one owner per name).
    const names = originNames(config.edge, settings.traffic);
    this.originCertificate = new OriginCertificate(this, "origin-certificate", {
      names: names.failoverCertificate!,
      zoneId: primary.edge.publicZoneId,
      validatedElsewhere: names.certificate.filter((n) => names.failoverCertificate!.includes(n)),
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
      origin_certificate_arn: [this.originCertificate.certificateArn, "The DR ALB's certificate (origin name and the DR region's own): the services' Ingress annotation alb.ingress.kubernetes.io/certificate-arn in the DR cluster"],
      primary_health_check_id: [this.failover.primaryHealthCheckId, "The primary origin's health check (a drill inverts it while the primary is healthy to move DNS to the DR origin)"],
    };
    for (const [name, [value, description]] of Object.entries(outputs)) {
      new TerraformOutput(this, name, { value, description });
    }
  }
}
