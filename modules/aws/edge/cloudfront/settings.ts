// The edge module's settings (per environment, at `<env>.edge`), its props (settings + wiring) and the
// constants the stacks, other modules and the tests share.
import type { TerraformProvider } from "cdktf";
import type { Naming } from "../../../shared/naming";

/** The environment config section this module reads: `<env>.edge`. */
export const EDGE_SECTION = "edge";

/** The CloudFront price classes: edge locations in NA+EU / + Asia, Middle East, Africa / everywhere. */
export const PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;
export type PriceClass = (typeof PRICE_CLASSES)[number];

/** The path pattern of the platform API: never cached, Authorization forwarded. */
export const API_PATH_PATTERN = "/api/*";
/** The path pattern of fingerprinted static assets: cached at the edge. */
export const STATIC_PATH_PATTERN = "/static/*";
/**
 * The origin path Route 53 checks by default: the readiness path of the platform's services
 * (environments/services). The services stack routes it, Exact, to the first public service whose
 * readiness path it is, so a 200 means the ALB is reachable and a ready pod is behind it.
 */
export const DEFAULT_ORIGIN_HEALTH_CHECK_PATH = "/healthz/ready";
/** The CloudFront origin id of the platform's public ALB. */
export const ALB_ORIGIN_ID = "platform-alb";
/** The CloudFront origin id of the DR region's ALB (with `failoverOriginDomain`). */
export const FAILOVER_ORIGIN_ID = "platform-alb-failover";
/** The origin group (primary ALB, then the DR ALB) that read-only behaviors target (with `failoverOriginDomain`). */
export const ORIGIN_GROUP_ID = "platform-alb-group";
/** Status codes from the primary origin on which CloudFront retries the request on the failover origin. */
export const ORIGIN_FAILOVER_STATUS_CODES: readonly number[] = [500, 502, 503, 504];
/** The CloudFront origin id of the static-assets S3 bucket (when `staticAssets` is given). */
export const STATIC_ASSETS_ORIGIN_ID = "static-assets-s3";
/** The origin id of the static assets' DR replica (when `staticAssets.replicaBucketRegionalDomainName` is given). */
export const STATIC_ASSETS_REPLICA_ORIGIN_ID = "static-assets-s3-dr";
/** The origin group `/static/*` targets with a replica: the primary bucket, then the replica. */
export const STATIC_ASSETS_ORIGIN_GROUP_ID = "static-assets-group";

/** Viewer TLS floor: TLS 1.2 with the 2021 cipher set. */
export const VIEWER_MINIMUM_PROTOCOL = "TLSv1.2_2021";
/** The only TLS protocol CloudFront may use towards the origin. */
export const ORIGIN_SSL_PROTOCOLS: readonly string[] = ["TLSv1.2"];
/** One year, the least HSTS max-age the browsers' preload lists accept. */
export const HSTS_MINIMUM_MAX_AGE_SECONDS = 31_536_000;

/** Per-environment edge tunables (`<env>.edge`). */
export interface EdgeSettings {
  /**
   * The environment's public DNS name, e.g. `dev.aivo.edu`, `aivo.edu`. Its public Route 53 zone is
   * owned by the account stack (modules/aws/network/dns-zones, delegated from the apex) and passed in as `publicZoneId`.
   */
  readonly domain: string;
  /** The public ALB's DNS name CloudFront connects to over HTTPS, e.g. `origin.dev.aivo.edu` (its record is managed with the ALB). */
  readonly originDomain: string;
  /** CloudFront price class. @default "PriceClass_100" */
  readonly priceClass?: PriceClass;
  /** Further names under `domain` the distribution answers to, e.g. `["www"]` → `www.aivo.edu`. @default [] */
  readonly additionalSubdomains?: readonly string[];
  /** The origin path Route 53 health-checks over HTTPS: a public service's readiness path. @default DEFAULT_ORIGIN_HEALTH_CHECK_PATH */
  readonly healthCheckPath?: string;
  /** Seconds between health checks: 10 or 30. @default 30 */
  readonly healthCheckIntervalSeconds?: number;
  /** Consecutive failures before the origin counts as unhealthy (1-10). @default 3 */
  readonly healthCheckFailureThreshold?: number;
  /** The private hosted zone for internal names, attached to the VPC. @default `internal.<domain>` */
  readonly privateZoneName?: string;
  /** HSTS max-age in seconds, at least one year. @default 63072000 (two years) */
  readonly hstsMaxAgeSeconds?: number;
  /** Default TTL (s) of `/static/*` when the origin sends no Cache-Control. @default 86400 */
  readonly staticDefaultTtlSeconds?: number;
  /** Longest TTL (s) of `/static/*`, whatever the origin says. @default 31536000 */
  readonly staticMaxTtlSeconds?: number;
}

export interface EdgeDistributionProps extends EdgeSettings {
  readonly naming: Naming;
  /** An AWS provider alias in us-east-1: the ACM certificate, the access-log delivery, its log group and key. */
  readonly usEast1Provider: TerraformProvider;
  /**
   * Further names the origin certificate covers (the region's own origin name, e.g.
   * `origin-us-east-1.aivo.edu`, with DR: modules/aws/edge/origin-names). @default none
   */
  readonly originAlternativeNames?: readonly string[];
  /** The ARN of the CLOUDFRONT-scoped WAFv2 web ACL to attach. */
  readonly webAclArn: string;
  /** The VPC the private hosted zone is attached to. */
  readonly vpcId: string;
  /**
   * The public hosted zone of `domain`, created and delegated by the account stack before this stack
   * (look it up by name with `data.aws_route53_zone`): certificate validation and alias records go there.
   */
  readonly publicZoneId: string;
  /** Days CloudWatch keeps the CloudFront access logs (a value CloudWatch accepts). */
  readonly logRetentionDays: number;
  /**
   * The DR region's ALB name, e.g. `origin-us-west-2.aivo.edu`: adds it as a second origin and an origin
   * group (primary first) failing over on `ORIGIN_FAILOVER_STATUS_CODES` and connection errors. CloudFront
   * accepts origin groups only on behaviors that allow GET/HEAD/OPTIONS, so the read-only behaviors
   * (`/static/*`) use the group; the others keep `originDomain`, whose Route 53 failover record moves
   * them. With `staticAssets`, S3 serves `/static/*`, no behavior could use the group, and none is
   * created: the failover record alone moves traffic. @default no failover origin
   */
  readonly failoverOriginDomain?: string;
  /**
   * The S3 bucket serving `/static/*` through Origin Access Control (SigV4-signed requests); the bucket
   * and key policies must let this distribution read (`PlatformBuckets.allowCloudFrontDistribution`).
   * With `replicaBucketRegionalDomainName` (the bucket's DR-region replica, same OAC), `/static/*`
   * targets an origin group — the bucket, then the replica — failing over on
   * `ORIGIN_FAILOVER_STATUS_CODES` and connection errors (a GET/HEAD-only behaviour, as origin groups need).
   * @default none: `/static/*` is served by the ALB
   */
  readonly staticAssets?: { readonly bucketRegionalDomainName: string; readonly replicaBucketRegionalDomainName?: string };
  /**
   * SNS topics (in us-east-1) the outage alarms notify: the origin health check failing and CloudFront
   * serving mostly 5xx. Both metrics exist only in us-east-1, so the alarms live there (through
   * `usEast1Provider`) and can notify only us-east-1 topics. Pass the paging (`critical`) topic.
   * @default no alarms
   */
  readonly outageAlarmTopicArns?: readonly string[];
  /** Share of requests answered 5xx, in percent, above which CloudFront counts as down. @default 25 */
  readonly error5xxRateAlarmPercent?: number;
}
