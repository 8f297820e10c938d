import type { AlertingSettings } from "../modules/aws/observability/alerting";
import type { BackupSettings } from "../modules/aws/data/backup";
import type { DatabaseSettings } from "../modules/aws/data/database";
import type { EdgeSettings } from "../modules/aws/edge/cloudfront";
import type { EksSettings } from "../modules/aws/compute/eks";
import type { RestoreTestingSettings } from "../modules/aws/data/restore-testing";
import type { FaultInjectionSettings } from "../modules/aws/observability/fault-injection";
import type { DataClassificationSettings } from "../modules/aws/security/data-classification";
import type { RestoreDrillSettings } from "../modules/kubernetes/cluster/restore-drill";
import type { RedisSettings } from "../modules/aws/data/elasticache";
import type { WafSettings } from "../modules/aws/edge/waf";
import type { CostMonitoringSettings } from "../modules/aws/observability/cost-monitoring";
import type { NetworkSettings } from "../modules/aws/network/vpc";
import type { DrSettings } from "./dr-settings";
import type { BucketsSettings } from "../modules/aws/data/buckets";
import type { FileStorageSettings } from "../modules/aws/data/file-storage";
import type { KafkaSettings } from "../modules/aws/data/kafka";
import type { TimeseriesSettings } from "../modules/aws/data/timeseries";
import type { KubernetesSettings } from "../modules/kubernetes/platform/settings";
import type { Auth0Settings } from "../modules/kubernetes/cluster/auth0";
import type { NetworkAclSettings } from "../modules/aws/network/network-acls";
import type { SiteToSiteVpnSettings } from "../modules/aws/network/site-to-site-vpn";
import type { TailscaleSettings } from "../modules/kubernetes/addons/tailscale";
import type { TracingSettings } from "../modules/aws/observability/tracing";
import type { VaultSettings } from "../modules/kubernetes/addons/vault";
import type { VpcEndpointsSettings } from "../modules/aws/network/vpc-endpoints";
import type { ObservabilitySettings } from "../modules/kubernetes/addons/kube-prometheus-stack";
import type { VeleroSettings } from "../modules/kubernetes/addons/velero";
import type { FargateSettings } from "../modules/aws/compute/fargate-profile";
import type { NodePoolsSettings } from "../modules/kubernetes/cluster/node-pools";
import type { StorageClassesSettings } from "../modules/kubernetes/cluster/storage-classes";
import type { VpaSettings } from "../modules/kubernetes/addons/vertical-pod-autoscaler";
import type { CanarySettings } from "../modules/aws/observability/canaries";
import type { RealUserMonitoringSettings } from "../modules/aws/observability/real-user-monitoring";
import type { OffHoursSettings } from "../modules/aws/compute/off-hours";

/**
 * How strict the rules for an environment are. `production` demands what a live system needs
 * (e.g. one NAT per AZ, a DR region, ≥ 365 days of logs); the others may trade that for cost.
 */
export type EnvironmentTier = "development" | "staging" | "production";
export const ENVIRONMENT_TIERS: readonly EnvironmentTier[] = ["development", "staging", "production"];

/**
 * Everything that differs between environments (the infrastructure document's `variables.tf`).
 * One file per environment (`development.ts`, `staging.ts`, `production.ts`) exports one of these;
 * `validateEnvironments` checks them before any stack is built.
 */
export interface EnvironmentConfig {
  /**
   * Lowercase name: names the stack (`cdktf deploy <name>`), every resource (`aivo-<name>-…`),
   * the state key (`aivo/<name>/terraform.tfstate`) and the `Environment` tag.
   */
  readonly name: string;
  /** Which rule set applies (see `EnvironmentTier`). */
  readonly tier: EnvironmentTier;
  /** The primary AWS region, e.g. `us-east-1`. */
  readonly region: string;
  /**
   * The disaster-recovery region backups are copied to; must differ from `region`.
   * @default none (no cross-region copies)
   */
  readonly drRegion?: string;
  /** Value of the `CostCenter` tag every resource carries, for cost allocation. */
  readonly costCenter: string;
  /**
   * Days CloudWatch Logs keeps every log group of the environment (flow logs, EKS control plane,
   * data-store and WAF logs); one of `CLOUDWATCH_LOG_RETENTION_DAYS` (modules/shared/log-retention). Production keeps ≥ 365.
   */
  readonly logRetentionDays: number;
  /** VPC CIDR plan, AZs and NAT layout. */
  readonly network: NetworkSettings;
  /** The EKS cluster: Kubernetes version, endpoint access, admins, node groups, add-on versions. */
  readonly eks: EksSettings;
  /** AWS Backup restore tests of the database, file system and backups bucket. @default on for the production tier */
  readonly restoreTesting?: RestoreTestingSettings;
  /** AWS FIS game-day experiment templates. @default on for the staging tier only */
  readonly faultInjection?: FaultInjectionSettings;
  /** Macie's weekly personal-data discovery job. @default on for the production tier */
  readonly dataClassification?: DataClassificationSettings;
  /** The weekly Velero restore drill (one namespace into a scratch namespace). @default on, namespace "monitoring" */
  readonly restoreDrill?: RestoreDrillSettings;
  /** ElastiCache Redis 7.1: node type and count, multi-AZ, snapshots. */
  readonly cache: RedisSettings;
  /** RDS PostgreSQL 15: instance class, storage, multi-AZ, backups, replicas. */
  readonly database: DatabaseSettings;
  /** AWS Backup: the 4-hourly plan's retention and, with `drRegion`, the copy to the DR region. */
  readonly backup: BackupSettings;
  /** The CloudFront web ACL: rate limit, blocked countries, managed rule groups, IP lists. */
  readonly waf: WafSettings;
  /** CloudFront, ACM, Route 53: the environment's domain, origin, price class, health check. */
  readonly edge: EdgeSettings;
  /** Who hears about alerts of each severity (email, PagerDuty, Slack). */
  readonly alerting: AlertingSettings;
  /** Monthly budget, its 50/80/90 % notifications and cost-anomaly thresholds. */
  readonly cost: CostMonitoringSettings;
  /**
   * The pilot light in `drRegion` (stack `<env>-dr`): VPC, EKS, the database replica, Redis, failover
   * DNS. Needs `drRegion`. @default none (no DR stack; backups may still be copied to `drRegion`)
   */
  readonly dr?: DrSettings;
  /** S3: artifacts, backups and static assets (CMK, lifecycle, access logs, DR replication in production). */
  readonly buckets: BucketsSettings;
  /** EFS shared storage (Jarvis checkpoints): throughput mode, access points; development may turn it off. */
  readonly fileStorage: FileStorageSettings;
  /** MSK Kafka: brokers, storage, replication settings and the topics; development may turn it off. */
  readonly kafka: KafkaSettings;
  /** Timestream for InfluxDB (Journal service): class, storage, multi-AZ, retention; development may turn it off. */
  readonly timeseries: TimeseriesSettings;
  /**
   * What runs in the cluster (`<env>-addons`, `<env>-workloads`): the API access choice, chart version
   * overrides, controller replicas, Karpenter's node class and pools, Kyverno's action, the ACME e-mail.
   */
  readonly kubernetes: KubernetesSettings;
  /** Interface VPC endpoints (PrivateLink) for ECR, STS, Secrets Manager, KMS, Logs, SSM, EC2; production must enable them. */
  readonly vpcEndpoints: VpcEndpointsSettings;
  /** Network ACLs per subnet tier: the data-store ports the private tier may open to the database tier. */
  readonly networkAcls: NetworkAclSettings;
  /** X-Ray: the environment's sampling rules (its group and the ADOT collector's role always exist). */
  readonly tracing: TracingSettings;
  /** Transit Gateway + Site-to-Site VPN to customer sites. @default off */
  readonly siteToSiteVpn?: SiteToSiteVpnSettings;
  /** Tailscale subnet router in the cluster. @default off */
  readonly tailscale?: TailscaleSettings;
  /** How services validate Auth0 tokens (delivered as the ConfigMap `auth0` in `aivo`). */
  readonly auth0: Auth0Settings;
  /** HashiCorp Vault as a second External Secrets source. @default no Vault */
  readonly vault?: VaultSettings;
  /**
   * Prometheus (retention, volume, replicas), Alertmanager replicas and receivers, Grafana, Loki's mode
   * (its retention is `logRetentionDays`), in the `monitoring` namespace of `<env>-addons`.
   */
  readonly observability: ObservabilitySettings;
  /** Velero: the 6-hourly cluster backup's TTL and, with `drRegion`, replication of its bucket to the DR region. */
  readonly clusterBackups: VeleroSettings;
  // --- compute and storage choices: Fargate, specialized node pools, storage classes, VPA ---
  /** Fargate profiles: which pods run serverless (e.g. the Karpenter controller). @default no Fargate */
  readonly fargate?: FargateSettings;
  /** Specialized Karpenter NodePools (monitoring, high-IOPS, GPU) and the NVIDIA device plugin. @default none */
  readonly nodePools?: NodePoolsSettings;
  /** EBS StorageClasses (KMS-encrypted gp3 default, io2 for databases). @default DEFAULT_STORAGE_CLASSES, gp2 demoted */
  readonly storageClasses?: StorageClassesSettings;
  /** The Vertical Pod Autoscaler. @default installed, recommender only */
  readonly verticalPodAutoscaler?: VpaSettings;
  // --- what users feel (issue 29) ---
  /** CloudWatch Synthetics: heartbeat and API canaries. @default every 5/10/15 minutes by tier, alarms at 90 % success */
  readonly canaries?: CanarySettings;
  /** CloudWatch RUM of the web front end. @default sampling by tier (production 10 %) */
  readonly realUserMonitoring?: RealUserMonitoringSettings;
  /** Scale node groups down and stop RDS outside working hours. @default on in the development tier only */
  readonly offHours?: OffHoursSettings;
}

/** The project slug every name starts with. */
export const PROJECT = "aivo";

/** The platform team's address (infrastructure document, "Support"); alerts and budget mails go here. */
export const PLATFORM_TEAM_EMAIL = "platform@aivo.edu";
