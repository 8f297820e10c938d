/**
 * The usage the estimate can't read from the synthesized stacks (traffic, stored data, log volume,
 * how busy Karpenter's pools are), as stated assumptions. Every environment may override any of them in
 * its config (`cost.usage`); `npm run cost` and docs/cost.md print the values each estimate used.
 */
export interface UsageAssumptions {
  /** Hours billed in a month (AWS's own convention). @default 730 */
  readonly hoursPerMonth: number;
  /**
   * Share of each Karpenter NodePool's CPU limit in use on average (0-1): Karpenter launches nodes on
   * demand, so the synthesized limit is a ceiling, not a size. @default 0.1
   */
  readonly karpenterShare: number;
  /** Spot price as a share of the on-demand price (spot node groups and pools): an average, not a list price. @default 0.35 */
  readonly spotPriceRatio: number;
  /** GB processed per NAT gateway per month. @default 100 */
  readonly natGbPerGateway: number;
  /** GB processed per interface endpoint per month. @default 10 */
  readonly endpointGbPerEndpoint: number;
  /** GB ingested per CloudWatch log group per month (flow logs, EKS control plane, data stores, WAF). @default 2 */
  readonly logIngestionGbPerLogGroup: number;
  /** GB stored on an EFS file system (Standard). @default 100 */
  readonly efsStorageGb: number;
  /** GB read / written per month through EFS Elastic throughput (only when the file system is `elastic`). @default 50 / 20 */
  readonly efsElasticReadGb: number;
  readonly efsElasticWriteGb: number;
  /** GB stored per S3 bucket (Standard). @default 20 */
  readonly s3StorageGbPerBucket: number;
  /** GB CloudFront serves to viewers per month. @default 500 */
  readonly cloudfrontTransferGb: number;
  /** Million HTTPS requests CloudFront (and its web ACL) receives per month. @default 10 */
  readonly cloudfrontRequestsMillion: number;
  /** Million CloudTrail management events GuardDuty analyzes per month (account-wide). @default 2 */
  readonly guarddutyCloudTrailEventsMillion: number;
  /** GB of VPC flow and DNS logs GuardDuty analyzes per month (account-wide). @default 100 */
  readonly guarddutyFlowDnsLogGb: number;
  /** Million EKS audit-log events GuardDuty analyzes per month (account-wide). @default 5 */
  readonly guarddutyEksAuditEventsMillion: number;
  /** Container images Inspector scans on push per month (account-wide). @default 50 */
  readonly inspectorImagesPerMonth: number;
  /** AZs an interface endpoint spans when a plan does not know its subnets yet (new endpoints). @default 3 */
  readonly azCountWhenUnknown: number;
}

/** The defaults, stated (docs/cost.md prints them). */
export const DEFAULT_USAGE: UsageAssumptions = {
  hoursPerMonth: 730,
  karpenterShare: 0.1,
  spotPriceRatio: 0.35,
  natGbPerGateway: 100,
  endpointGbPerEndpoint: 10,
  logIngestionGbPerLogGroup: 2,
  efsStorageGb: 100,
  efsElasticReadGb: 50,
  efsElasticWriteGb: 20,
  s3StorageGbPerBucket: 20,
  cloudfrontTransferGb: 500,
  cloudfrontRequestsMillion: 10,
  guarddutyCloudTrailEventsMillion: 2,
  guarddutyFlowDnsLogGb: 100,
  guarddutyEksAuditEventsMillion: 5,
  inspectorImagesPerMonth: 50,
  azCountWhenUnknown: 3,
};

/** Shares (0-1) among the assumptions; the others must be ≥ 0. */
const SHARES: ReadonlySet<keyof UsageAssumptions> = new Set(["karpenterShare", "spotPriceRatio"]);

/**
 * The mistakes of an override (`<path>.<field>: <value> …`), none when it is valid: unknown fields,
 * values that are not finite numbers ≥ 0, shares outside 0-1, hours outside 1-744.
 */
export function usageErrors(path: string, usage: Partial<UsageAssumptions>): string[] {
  const errors: string[] = [];
  for (const [field, value] of Object.entries(usage)) {
    if (!(field in DEFAULT_USAGE)) {
      errors.push(`${path}.${field}: unknown usage assumption; known: ${Object.keys(DEFAULT_USAGE).join(", ")}`);
    } else if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      errors.push(`${path}.${field}: ${JSON.stringify(value)} is not a number ≥ 0 (default ${DEFAULT_USAGE[field as keyof UsageAssumptions]})`);
    } else if (SHARES.has(field as keyof UsageAssumptions) && value > 1) {
      errors.push(`${path}.${field}: ${value} is a share and must be within 0-1 (default ${DEFAULT_USAGE[field as keyof UsageAssumptions]})`);
    } else if (field === "hoursPerMonth" && (value < 1 || value > 744)) {
      errors.push(`${path}.hoursPerMonth: ${value} is outside 1-744 (a month has at most 744 hours; default 730)`);
    }
  }
  return errors;
}

/** The defaults with `override` applied. */
export function usageWith(override: Partial<UsageAssumptions> = {}): UsageAssumptions {
  return { ...DEFAULT_USAGE, ...override };
}
