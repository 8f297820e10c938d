// The DR settings an environment config carries (`<env>.dr`). Kept apart from dr-stack.ts so that the
// config types (types.ts) and the stack that reads them (dr-stack.ts) don't import each other.
import type { AlertingSettings } from "../modules/aws/observability/alerting";
import type { EksSettings } from "../modules/aws/compute/eks";
import type { RedisSettings } from "../modules/aws/data/elasticache";
import type { FailoverDnsSettings } from "../modules/aws/network/failover-dns";
import type { NetworkSettings } from "../modules/aws/network/vpc";

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
