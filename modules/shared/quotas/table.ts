/**
 * The AWS service quotas the platform's design touches, with their AWS default values: what a fresh
 * account starts with. The quota check (`./index.ts`) counts what the synthesized stacks use against
 * these, per account and region (and per VPC, AZ, security group or network ACL where the quota is
 * scoped so). Check a value with `aws service-quotas get-aws-default-service-quota --service-code
 * <service> --quota-code <code>`; an account's applied value can be higher (`get-service-quota`).
 */

/** What one unit of a quota's value is counted over. */
export type QuotaScope =
  /** The account, in one region. */
  | "region"
  /** Each VPC (a regional quota applied to every VPC). */
  | "vpc"
  /** Each availability zone. */
  | "availability-zone"
  /** Each security group, inbound and outbound rules counted apart. */
  | "security-group-direction"
  /** Each network ACL, inbound and outbound rules counted apart. */
  | "network-acl-direction";

/** One row of the table. */
export interface QuotaDefinition {
  /** The stable key the counters use: `ec2-eips`. */
  readonly key: string;
  /** The Service Quotas service code (`ec2`, `vpc` …), as `aws_servicequotas_service_quota.service_code` takes it. */
  readonly serviceCode: string;
  /** The Service Quotas quota code (`L-0263D0A3`); `undefined` for a limit Service Quotas does not list. */
  readonly quotaCode?: string;
  /** The quota's name in Service Quotas. */
  readonly name: string;
  /** The AWS default value: what a fresh account has. */
  readonly defaultValue: number;
  /** What the value is counted over. */
  readonly scope: QuotaScope;
  /** False for a hard limit: no request raises it, only a change of design. */
  readonly adjustable: boolean;
  /** Where the default comes from. */
  readonly source: string;
}

const VPC_QUOTAS_DOC = "Amazon VPC User Guide, \"Amazon VPC quotas\"";
const EC2_QUOTAS_DOC = "Amazon EC2 User Guide, \"Amazon EC2 service quotas\"; Service Quotas console, AWS default quota value";

/** The quotas the check counts, in report order. */
export const QUOTAS: readonly QuotaDefinition[] = [
  {
    key: "ec2-eips",
    serviceCode: "ec2",
    quotaCode: "L-0263D0A3",
    name: "EC2-VPC Elastic IPs",
    defaultValue: 5,
    scope: "region",
    adjustable: true,
    source: "Amazon EC2 User Guide, \"Elastic IP address quota\" (5 per Region)",
  },
  { key: "vpc-vpcs", serviceCode: "vpc", quotaCode: "L-F678F1CE", name: "VPCs per Region", defaultValue: 5, scope: "region", adjustable: true, source: VPC_QUOTAS_DOC },
  {
    key: "vpc-nat-per-az",
    serviceCode: "vpc",
    quotaCode: "L-FE5A380F",
    name: "NAT gateways per Availability Zone",
    defaultValue: 5,
    scope: "availability-zone",
    adjustable: true,
    source: VPC_QUOTAS_DOC,
  },
  {
    key: "vpc-interface-endpoints",
    serviceCode: "vpc",
    quotaCode: "L-29B6F2EB",
    name: "Interface VPC endpoints per VPC",
    defaultValue: 50,
    scope: "vpc",
    adjustable: true,
    source: VPC_QUOTAS_DOC,
  },
  {
    key: "vpc-sg-rules",
    serviceCode: "vpc",
    quotaCode: "L-0EA8095F",
    name: "Inbound or outbound rules per security group",
    defaultValue: 60,
    scope: "security-group-direction",
    adjustable: true,
    source: `${VPC_QUOTAS_DOC} (a managed prefix list counts as its weight, its max entries)`,
  },
  {
    key: "vpc-nacl-rules",
    serviceCode: "vpc",
    quotaCode: "L-2AEEBF1A",
    name: "Rules per network ACL",
    defaultValue: 20,
    scope: "network-acl-direction",
    adjustable: true,
    source: `${VPC_QUOTAS_DOC} (20 inbound and 20 outbound; at most 40 by request)`,
  },
  {
    key: "logs-resource-policies",
    serviceCode: "logs",
    name: "CloudWatch Logs resource policies (account-wide, without resource_arn)",
    defaultValue: 10,
    scope: "region",
    adjustable: false,
    source: "CloudWatch Logs API Reference, PutResourcePolicy: \"a maximum of 10 policies without resourceARN\" per Region, not adjustable",
  },
  {
    key: "kms-keys",
    serviceCode: "kms",
    quotaCode: "L-C2F1777E",
    name: "Customer Master Keys (CMKs)",
    defaultValue: 100000,
    scope: "region",
    adjustable: true,
    source: "AWS KMS Developer Guide, \"Resource quotas\" (100,000 customer managed keys per Region)",
  },
  {
    key: "ec2-on-demand-standard-vcpus",
    serviceCode: "ec2",
    quotaCode: "L-1216C47A",
    name: "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances (vCPUs)",
    defaultValue: 5,
    scope: "region",
    adjustable: true,
    source: EC2_QUOTAS_DOC,
  },
  {
    key: "ec2-spot-standard-vcpus",
    serviceCode: "ec2",
    quotaCode: "L-34B43A08",
    name: "All Standard (A, C, D, H, I, M, R, T, Z) Spot Instance Requests (vCPUs)",
    defaultValue: 5,
    scope: "region",
    adjustable: true,
    source: EC2_QUOTAS_DOC,
  },
  { key: "eks-clusters", serviceCode: "eks", quotaCode: "L-1194D53C", name: "Clusters", defaultValue: 100, scope: "region", adjustable: true, source: "Amazon EKS User Guide, \"Service quotas\"" },
];

/** A quota by key; throws for an unknown one (a counter naming a row that is not in the table). */
export function quota(key: string): QuotaDefinition {
  const q = QUOTAS.find((x) => x.key === key);
  if (!q) throw new Error(`no quota ${JSON.stringify(key)} in QUOTAS (modules/shared/quotas/table.ts)`);
  return q;
}

/**
 * Rules a managed prefix list takes in a security group: its max entries (its weight). The AWS-managed
 * lists the platform references, by name; a customer-managed list counts its own `max_entries`.
 */
export const PREFIX_LIST_WEIGHTS: Readonly<Record<string, number>> = {
  // Amazon CloudFront Developer Guide, "Use the CloudFront managed prefix list".
  "com.amazonaws.global.cloudfront.origin-facing": 55,
};

/** Weights of AWS-managed prefix lists named per region (`com.amazonaws.<region>.route53-healthchecks`). */
export const REGIONAL_PREFIX_LIST_WEIGHTS: readonly { readonly pattern: RegExp; readonly weight: number }[] = [
  // Route 53 Developer Guide, "IP address ranges of Amazon Route 53 servers": the health checkers' list.
  { pattern: /^com\.amazonaws\.[a-z0-9-]+\.route53-healthchecks$/, weight: 25 },
];

/** A managed prefix list's weight by name, `undefined` when unknown. */
export function prefixListWeight(name: string): number | undefined {
  return PREFIX_LIST_WEIGHTS[name] ?? REGIONAL_PREFIX_LIST_WEIGHTS.find((w) => w.pattern.test(name))?.weight;
}

/** vCPUs by instance size (the standard families: a, c, d, h, i, m, r, t, z). */
const VCPUS_BY_SIZE: Readonly<Record<string, number>> = {
  nano: 2, micro: 2, small: 2, medium: 2, large: 2, xlarge: 4, "2xlarge": 8, "4xlarge": 16, "8xlarge": 32,
  "12xlarge": 48, "16xlarge": 64, "24xlarge": 96, "32xlarge": 128, "48xlarge": 192,
};

/** Instance families counted by the standard vCPU quotas (L-1216C47A, L-34B43A08). */
export const STANDARD_FAMILY = /^[acdhimrtz][0-9]/;

/**
 * The vCPUs of a standard-family instance type (`m6i.large` → 2), or `undefined` when the type is
 * not a standard one (GPU, accelerated, high-memory: their own quotas) or its size is unknown.
 */
export function standardVcpus(instanceType: string): number | undefined {
  const [family, size] = instanceType.split(".");
  if (!family || !size || !STANDARD_FAMILY.test(family)) return undefined;
  return VCPUS_BY_SIZE[size];
}
