import type { AlertingSettings } from "../modules/alerting";
import type { BackupSettings } from "../modules/backup";
import type { DatabaseSettings } from "../modules/database";
import type { EdgeSettings } from "../modules/edge";
import type { EksSettings } from "../modules/eks";
import type { RedisSettings } from "../modules/elasticache";
import type { WafSettings } from "../modules/waf";
import type { CostMonitoringSettings } from "../modules/cost-monitoring";
import type { NetworkSettings } from "../modules/network";
import type { FargateSettings } from "../modules/fargate-profile";
import type { NodePoolsSettings } from "../modules/node-pools";
import type { StorageClassesSettings } from "../modules/storage-classes";
import type { VpaSettings } from "../modules/vertical-pod-autoscaler";

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
   * data-store and WAF logs); one of `CLOUDWATCH_LOG_RETENTION_DAYS` (modules/log-retention). Production keeps ≥ 365.
   */
  readonly logRetentionDays: number;
  /** VPC CIDR plan, AZs and NAT layout. */
  readonly network: NetworkSettings;
  /** The EKS cluster: Kubernetes version, endpoint access, admins, node groups, add-on versions. */
  readonly eks: EksSettings;
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
  // --- compute and storage choices: Fargate, specialized node pools, storage classes, VPA ---
  /** Fargate profiles: which pods run serverless (e.g. the Karpenter controller). @default no Fargate */
  readonly fargate?: FargateSettings;
  /** Specialized Karpenter NodePools (monitoring, high-IOPS, GPU) and the NVIDIA device plugin. @default none */
  readonly nodePools?: NodePoolsSettings;
  /** EBS StorageClasses (KMS-encrypted gp3 default, io2 for databases). @default DEFAULT_STORAGE_CLASSES, gp2 demoted */
  readonly storageClasses?: StorageClassesSettings;
  /** The Vertical Pod Autoscaler. @default installed, recommender only */
  readonly verticalPodAutoscaler?: VpaSettings;
}

/** The project slug every name starts with. */
export const PROJECT = "aivo";

/** The platform team's address (infrastructure document, "Support"); alerts and budget mails go here. */
export const PLATFORM_TEAM_EMAIL = "platform@aivo.edu";
