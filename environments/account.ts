import type { DnsZonesSettings } from "../modules/aws/network/dns-zones";
import type { ServiceQuotasSettings } from "../modules/aws/security/service-quotas";
import type { ServiceLinkedRolesSettings } from "../modules/aws/security/service-linked-roles";
import type { GitHubSettings } from "../modules/aws/security/github-oidc-roles";
import type { AccessAnalyzerSettings } from "../modules/aws/security/access-analyzer";
import type { AuditTrailSettings } from "../modules/aws/security/audit-trail";
import type { ThreatDetectionSettings } from "../modules/aws/security/threat-detection";
import type { VulnerabilityScanningSettings } from "../modules/aws/security/vulnerability-scanning";
import type { ConfigRecorderSettings } from "../modules/aws/security/config-recorder";
import type { IdentitySettings } from "../modules/aws/security/identity";
import type { SecurityHubSettings } from "../modules/aws/security/security-hub";
import { STATE_BACKEND } from "./state";
import { PLATFORM_TEAM_EMAIL } from "./types";

/**
 * Settings of the AWS account as a whole (the `account` stack), beside the per-environment configs.
 * Each account-level concern adds its own typed section here.
 */
export interface AccountConfig {
  /** Value of the `CostCenter` tag of the bootstrap and account stacks' resources. */
  readonly costCenter: string;
  /** The apex domain whose public zone, and the environments' delegated zones, the account owns. */
  readonly dns: DnsZonesSettings;
  /** Service-linked roles that already exist in the account and are imported rather than created. */
  readonly serviceLinkedRoles?: ServiceLinkedRolesSettings;
  /**
   * Quota increases requested in code (the account stack's `aws_servicequotas_service_quota`s). The
   * quota check of `npm run synth` fails while the stacks need more than a default and nothing here
   * covers it (docs/first-apply-aws.md, "Quotas"). @default none
   */
  readonly serviceQuotas?: ServiceQuotasSettings;
  /** The GitHub repository whose Actions plan and apply (modules/aws/security/github-oidc-roles): its OIDC roles trust only it. */
  readonly github: GitHubSettings;
  /** CloudTrail: the multi-region trail, its bucket lifecycle and log retention, data-event buckets. */
  readonly auditTrail: AuditTrailSettings;
  /** GuardDuty and the routing of its findings to the account's `critical`/`alert` topics. */
  readonly threatDetection: ThreatDetectionSettings;
  /** IAM Access Analyzer. */
  readonly accessAnalyzer: AccessAnalyzerSettings;
  /** Amazon Inspector (ECR images, EC2 nodes) and ECR continuous scanning. */
  readonly vulnerabilityScanning: VulnerabilityScanningSettings;
  /** AWS Config: retention, snapshot frequency, conformance packs. @default every default of ConfigRecorderSettings */
  readonly config?: ConfigRecorderSettings;
  /** Security Hub's standards. @default all four of SECURITY_STANDARDS */
  readonly securityHub?: SecurityHubSettings;
  /** People's roles (admin, auditor): session length and MFA age. @default 1 hour each */
  readonly identity?: IdentitySettings;
}

/** The platform's AWS account. */
export const ACCOUNT: AccountConfig = {
  costCenter: "aivo-platform",
  dns: { apexDomain: "aivo.edu" },
  // A fresh account has neither role; list a service here if `aws iam list-roles
  // --path-prefix /aws-service-role/` shows its role already exists (README, "Before the first deploy").
  serviceLinkedRoles: { alreadyExist: [] },
  // What `npm run synth`'s quota check counts above a fresh account's defaults (docs/first-apply-aws.md, "Quotas").
  serviceQuotas: {
    requests: [
      { serviceCode: "ec2", quotaCode: "L-0263D0A3", region: "us-east-1", value: 10, reason: "NAT gateway EIPs: development 1 + staging 3 + production 3, and room for one more three-AZ environment" },
      { serviceCode: "ec2", quotaCode: "L-1216C47A", region: "us-east-1", value: 128, reason: "managed node groups at desired size (28 vCPUs) plus Karpenter's on-demand nodes" },
      { serviceCode: "ec2", quotaCode: "L-34B43A08", region: "us-east-1", value: 64, reason: "the Spot node groups at desired size (12 vCPUs) plus Karpenter's Spot nodes" },
      { serviceCode: "ec2", quotaCode: "L-1216C47A", region: "us-west-2", value: 64, reason: "production-dr's pilot light (4 vCPUs) scaled to production's size on failover" },
    ],
  },
  // The repository CI runs in, as `<owner>/<repo>`: the CI roles trust only its OIDC tokens.
  github: { repository: "aivo-platform/aivo-infrastructure", defaultBranch: "main" },
  auditTrail: {
    logRetentionDays: 365,
    glacierTransitionDays: 90,
    objectRetentionDays: 2557,
    // Every read and write of a Terraform state file is recorded (who applied what, when).
    dataEventBuckets: [STATE_BACKEND.bucket],
  },
  threatDetection: {
    emailSubscribers: { critical: [PLATFORM_TEAM_EMAIL], alert: [PLATFORM_TEAM_EMAIL] },
    pagerDutyUrlParameter: "/aivo/production/pagerduty-integration-url",
  },
  accessAnalyzer: {},
  vulnerabilityScanning: {},
};
