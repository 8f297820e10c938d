/**
 * The one price table of the cost estimate (`npm run cost`, the plan review's cost delta and the budget
 * check at synth): AWS on-demand list prices in USD for the two regions the platform runs in.
 *
 * The AWS Price List API can't be reached from where this was written (no network but npm), so each row
 * names the AWS pricing page that is its authority (`source`), the day it was read (`read`) and what the
 * value was checked against (`evidence`): a stored copy of a public page found by search, or, where no
 * stored page carried the row, "not re-read", meaning a list price known from the AWS page that must be
 * checked before it is trusted. Update a row by editing it here, with its new `read` date and evidence.
 */

/** The regions priced. The estimate reports any other region's resources as "not priced". */
export const PRICED_REGIONS = ["us-east-1", "us-west-2"] as const;
export type PricedRegion = (typeof PRICED_REGIONS)[number];

/** What one unit of a price is. */
export type PriceUnit = "hour" | "month" | "GB-month" | "GB" | "MiBps-month" | "vCPU-month" | "1M requests" | "1M events" | "10k requests" | "image" | "run";

/** One row: a billable unit of one service, in each priced region. */
export interface PriceRow {
  /** `ec2:m6i.large`, `nat:hour` … (service, colon, item). */
  readonly key: string;
  readonly unit: PriceUnit;
  /** USD per unit, per region. */
  readonly usd: Readonly<Record<PricedRegion, number>>;
  /** The AWS pricing page the value comes from. */
  readonly source: string;
  /** The date the value was read (ISO). */
  readonly read: string;
  /** What the value was checked against: a stored public page (URL), or "not re-read: …". */
  readonly evidence: string;
}

/** The date the table was last read. */
export const PRICES_READ = "2026-12-04";

const PAGE = {
  ec2: "https://aws.amazon.com/ec2/pricing/on-demand/",
  ebs: "https://aws.amazon.com/ebs/pricing/",
  eks: "https://aws.amazon.com/eks/pricing/",
  vpc: "https://aws.amazon.com/vpc/pricing/",
  privatelink: "https://aws.amazon.com/privatelink/pricing/",
  rds: "https://aws.amazon.com/rds/postgresql/pricing/",
  elasticache: "https://aws.amazon.com/elasticache/pricing/",
  msk: "https://aws.amazon.com/msk/pricing/",
  efs: "https://aws.amazon.com/efs/pricing/",
  timestream: "https://aws.amazon.com/timestream/pricing/",
  kms: "https://aws.amazon.com/kms/pricing/",
  secrets: "https://aws.amazon.com/secrets-manager/pricing/",
  cloudwatch: "https://aws.amazon.com/cloudwatch/pricing/",
  waf: "https://aws.amazon.com/waf/pricing/",
  cloudfront: "https://aws.amazon.com/cloudfront/pricing/",
  route53: "https://aws.amazon.com/route53/pricing/",
  guardduty: "https://aws.amazon.com/guardduty/pricing/",
  inspector: "https://aws.amazon.com/inspector/pricing/",
  s3: "https://aws.amazon.com/s3/pricing/",
  vpn: "https://aws.amazon.com/vpn/pricing/",
  tgw: "https://aws.amazon.com/transit-gateway/pricing/",
} as const;

const NOT_RE_READ = "not re-read: no stored page carried this row; a list price known from the source page, check it there";

/** A row with the same price in both regions (true of every row below unless it says otherwise). */
function both(key: string, unit: PriceUnit, usd: number, source: string, evidence: string = NOT_RE_READ): PriceRow {
  return { key, unit, usd: { "us-east-1": usd, "us-west-2": usd }, source, read: PRICES_READ, evidence };
}

const ec2 = (type: string, usd: number, evidence?: string) => both(`ec2:${type}`, "hour", usd, PAGE.ec2, evidence);

export const PRICES: readonly PriceRow[] = [
  // --- EC2 (Linux, on-demand, shared tenancy): node groups and Karpenter's pools ---
  ec2("t3.medium", 0.0416),
  ec2("t3.large", 0.0832),
  ec2("m5.large", 0.096, "https://kindatechnical.com/aws-eks/lesson-31-understanding-eks-pricing.html (stored copy: m5.large $0.096/h)"),
  ec2("m5.xlarge", 0.192, "https://kindatechnical.com/aws-eks/lesson-31-understanding-eks-pricing.html (stored copy: m5.xlarge $0.192/h)"),
  ec2("m6a.large", 0.0864),
  ec2("m6a.xlarge", 0.1728),
  ec2("m6i.large", 0.096),
  ec2("m6i.xlarge", 0.192),
  ec2("m6i.2xlarge", 0.384),
  ec2("m7i.large", 0.1008),
  ec2("r6i.large", 0.126),
  ec2("r6i.xlarge", 0.252),
  ec2("i4i.large", 0.172),
  ec2("r6id.large", 0.1512),
  ec2("g5.xlarge", 1.006, "https://www.factualminds.com/blog/amazon-ec2-on-demand-pricing-instance-families-2026/ (stored copy: g5.xlarge $1.006/h, us-east-1, June 2026)"),
  both("ebs:gp3", "GB-month", 0.08, PAGE.ebs, "https://www.factualminds.com/blog/amazon-efs-pricing-throughput-modes-storage-classes/ (stored copy: EFS Standard $0.30 is \"4× gp3\")"),
  // --- EKS ---
  both("eks:cluster", "hour", 0.1, PAGE.eks, "http://aws.haqm.com/blogs/containers/amazon-eks-extended-support-for-kubernetes-versions-pricing (stored copy of the AWS blog: standard support $0.10 per cluster per hour)"),
  // --- VPC: NAT, public IPv4, PrivateLink, VPN, Transit Gateway ---
  both("nat:hour", "hour", 0.045, PAGE.vpc, "https://basavytix.com/blog/aws-nat-gateway-pricing (stored copy: us-east-1 $0.045/h); https://cloudpipelines.pages.dev/guides/aws-nat-gateway-pricing-2026/ (US West (Oregon) ~$0.045)"),
  both("nat:gb", "GB", 0.045, PAGE.vpc, "https://basavytix.com/blog/aws-nat-gateway-pricing (stored copy: $0.045 per GB processed)"),
  both("ipv4:hour", "hour", 0.005, PAGE.vpc, "https://cloudburn.io/blog/aws-nat-gateway-pricing (stored copy: public IPv4 $0.005/hour per IP)"),
  both("endpoint:az-hour", "hour", 0.01, PAGE.privatelink, "https://cloudcostkit.com/calculators/aws-vpc-interface-endpoint-cost-calculator (stored copy: 4,378 endpoint-hours → $43.78, i.e. $0.01 per endpoint per AZ-hour)"),
  both("endpoint:gb", "GB", 0.01, PAGE.privatelink, "https://968880.n0h2l.group/privatelink/pricing (stored copy of the AWS page: first 1 PB $0.01 per GB)"),
  both("vpn:connection-hour", "hour", 0.05, PAGE.vpn),
  both("tgw:attachment-hour", "hour", 0.05, PAGE.tgw),
  // --- RDS for PostgreSQL (Single-AZ; Multi-AZ doubles instance and storage) ---
  both("rds:db.t4g.medium", "hour", 0.065, PAGE.rds, "https://infratally.com/articles/aws-rds-pricing-explained-2026.html (stored copy: db.t4g.medium Single-AZ $0.065/h in us-east-1, Multi-AZ exactly double)"),
  both("rds:db.t4g.large", "hour", 0.129, PAGE.rds),
  both("rds:db.r6g.large", "hour", 0.225, PAGE.rds),
  both("rds:db.r6g.xlarge", "hour", 0.449, PAGE.rds),
  both("rds:gp3", "GB-month", 0.115, PAGE.rds, "https://www.usage.ai/blogs/aws/reserved-instances/rds/pricing-calculator/ (stored copy: gp3 $0.115/GB-month, us-east-1)"),
  // --- ElastiCache (Redis OSS, on-demand nodes) ---
  both("elasticache:cache.t4g.micro", "hour", 0.016, PAGE.elasticache),
  both("elasticache:cache.t4g.small", "hour", 0.032, PAGE.elasticache),
  both("elasticache:cache.t4g.medium", "hour", 0.065, PAGE.elasticache),
  both("elasticache:cache.r7g.large", "hour", 0.219, PAGE.elasticache),
  both("elasticache:cache.r6g.large", "hour", 0.206, PAGE.elasticache),
  // --- MSK (provisioned, standard brokers) ---
  both("msk:kafka.t3.small", "hour", 0.0456, PAGE.msk),
  both("msk:kafka.m5.large", "hour", 0.21, PAGE.msk),
  both("msk:kafka.m7g.large", "hour", 0.204, PAGE.msk),
  both("msk:storage", "GB-month", 0.1, PAGE.msk),
  // --- EFS (Regional, Standard) ---
  both("efs:standard", "GB-month", 0.3, PAGE.efs, "http://aws.amazon.com/efs/pricing/ (stored copy: $0.30/GB-month)"),
  both("efs:provisioned-throughput", "MiBps-month", 6.0, PAGE.efs),
  both("efs:elastic-read", "GB", 0.03, PAGE.efs, "https://www.factualminds.com/blog/amazon-efs-pricing-throughput-modes-storage-classes/ (stored copy: Elastic Throughput $0.03/GB read)"),
  both("efs:elastic-write", "GB", 0.06, PAGE.efs, "https://www.factualminds.com/blog/amazon-efs-pricing-throughput-modes-storage-classes/ (stored copy: $0.06/GB write)"),
  // --- Timestream for InfluxDB (Single-AZ; WITH_MULTIAZ_STANDBY doubles the instance) ---
  both("influxdb:db.influx.medium", "hour", 0.1236, PAGE.timestream),
  both("influxdb:db.influx.large", "hour", 0.2472, PAGE.timestream),
  both("influxdb:db.influx.xlarge", "hour", 0.4944, PAGE.timestream),
  both("influxdb:InfluxIOIncludedT1", "GB-month", 0.2, PAGE.timestream),
  both("influxdb:InfluxIOIncludedT2", "GB-month", 0.3, PAGE.timestream),
  both("influxdb:InfluxIOIncludedT3", "GB-month", 0.4, PAGE.timestream),
  // --- Security and observability ---
  both("kms:key", "month", 1.0, PAGE.kms, "https://gist.github.com/dasgoll/b88d5be05dcc0deb052ad40446c2fb40 (stored copy: $1 per key per month)"),
  both("secretsmanager:secret", "month", 0.4, PAGE.secrets),
  both("cloudwatch:alarm-metric", "month", 0.1, PAGE.cloudwatch),
  both("cloudwatch:alarm-metric-high-resolution", "month", 0.3, PAGE.cloudwatch),
  both("cloudwatch:composite-alarm", "month", 0.5, PAGE.cloudwatch),
  both("cloudwatch:dashboard", "month", 3.0, PAGE.cloudwatch),
  both("cloudwatch:logs-ingestion", "GB", 0.5, PAGE.cloudwatch),
  both("cloudwatch:logs-storage", "GB-month", 0.03, PAGE.cloudwatch),
  both("synthetics:canary-run", "run", 0.0012, PAGE.cloudwatch),
  both("waf:web-acl", "month", 5.0, PAGE.waf),
  both("waf:rule", "month", 1.0, PAGE.waf),
  both("waf:requests", "1M requests", 0.6, PAGE.waf),
  both("guardduty:runtime-vcpu", "vCPU-month", 1.5, PAGE.guardduty, "https://www.factualminds.com/blog/amazon-guardduty-pricing-data-sources-multi-account.md (stored copy: EKS Runtime Monitoring billed per vCPU)"),
  both("guardduty:cloudtrail-events", "1M events", 4.0, PAGE.guardduty, "https://www.factualminds.com/blog/amazon-guardduty-pricing-data-sources-multi-account.md (stored copy: CloudTrail management events $4/M)"),
  both("guardduty:flow-dns-logs", "GB", 1.0, PAGE.guardduty, "https://www.factualminds.com/blog/amazon-guardduty-pricing-data-sources-multi-account.md (stored copy: VPC Flow Logs $1/GB)"),
  both("guardduty:eks-audit-events", "1M events", 1.6, PAGE.guardduty),
  both("inspector:ec2-instance", "month", 1.258, PAGE.inspector, "https://docs-b6y.pages.dev/hld009-vulnerability-management-amazon-inspector.html (stored copy: $1.2528 per instance in eu-west-1; us-east-1 is lower, not re-read)"),
  both("inspector:ecr-image", "image", 0.09, PAGE.inspector, "https://docs-b6y.pages.dev/hld009-vulnerability-management-amazon-inspector.html (stored copy: $0.09 per image scanned on push)"),
  // --- Edge (global services, billed at their North America rates) ---
  both("cloudfront:transfer-out", "GB", 0.085, PAGE.cloudfront),
  both("cloudfront:https-requests", "10k requests", 0.01, PAGE.cloudfront),
  both("route53:hosted-zone", "month", 0.5, PAGE.route53),
  both("route53:health-check", "month", 0.5, PAGE.route53),
  both("route53:health-check-feature", "month", 1.0, PAGE.route53),
  both("s3:standard", "GB-month", 0.023, PAGE.s3),
];

const BY_KEY: ReadonlyMap<string, PriceRow> = new Map(PRICES.map((row) => [row.key, row]));

/** The row of `key`, or `undefined` when the table has none. */
export function priceRow(key: string): PriceRow | undefined {
  return BY_KEY.get(key);
}

/** True when `region` is one the table prices. */
export function isPricedRegion(region: string): region is PricedRegion {
  return (PRICED_REGIONS as readonly string[]).includes(region);
}
