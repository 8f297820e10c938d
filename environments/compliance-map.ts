/**
 * How SOC 2 and GDPR requirements map onto the platform's controls and the Terraform resource types
 * that implement them. `docs/compliance.md` is generated from this table and the modules' own
 * constants (scripts/compliance-doc.ts); a test checks that the document is current and that every
 * resource type named here is synthesized by some stack, so the table can't name what the code no
 * longer builds.
 */

export interface ComplianceMapping {
  /** The framework's reference, e.g. `CC6.1` or `Art. 32(1)(c)`. */
  readonly requirement: string;
  /** What the requirement asks, in a few words. */
  readonly asks: string;
  /** The platform's control. */
  readonly control: string;
  /** The Terraform resource types that implement it (each synthesized by some stack). */
  readonly resources: readonly string[];
}

/** SOC 2 Trust Services Criteria (2017, revised points of focus 2022): the criteria the platform's code addresses. */
export const SOC2: readonly ComplianceMapping[] = [
  { requirement: "CC6.1", asks: "logical access security, encryption of data at rest", control: "MFA-only people's roles with 1-hour sessions; password policy; CMK encryption of every store", resources: ["aws_iam_role", "aws_iam_account_password_policy", "aws_kms_key"] },
  { requirement: "CC6.3", asks: "least privilege, role changes authorized", control: "CI apply roles derived from the resource types each environment synthesizes; a permissions boundary on every role CI creates; changes only through reviewed pull requests", resources: ["aws_iam_policy", "aws_iam_role_policy"] },
  { requirement: "CC6.6", asks: "boundary protection against outside threats", control: "WAF on CloudFront, origin reachable only from CloudFront, default-deny NACLs and security groups, private endpoints", resources: ["aws_wafv2_web_acl", "aws_network_acl", "aws_security_group", "aws_vpc_endpoint"] },
  { requirement: "CC6.7", asks: "data in transmission protected", control: "TLS 1.2+ at the edge; TLS-only bucket and topic policies; TLS in transit for ElastiCache and MSK", resources: ["aws_cloudfront_distribution", "aws_s3_bucket_policy", "aws_sns_topic_policy", "aws_elasticache_replication_group"] },
  { requirement: "CC6.8", asks: "unauthorized or malicious software detected", control: "GuardDuty with EKS runtime monitoring; Inspector on images and nodes", resources: ["aws_guardduty_detector_feature", "aws_inspector2_enabler"] },
  { requirement: "CC7.1", asks: "configuration and vulnerability monitoring", control: "AWS Config recorder and the HIPAA/PCI DSS conformance packs; Security Hub FSBP, CIS, PCI DSS, NIST standards", resources: ["aws_config_configuration_recorder", "aws_config_conformance_pack", "aws_securityhub_standards_subscription"] },
  { requirement: "CC7.2", asks: "anomalies and security events monitored", control: "Multi-region CloudTrail with log validation; findings of GuardDuty, Security Hub, Macie and root sign-ins routed by severity to paging and alert topics", resources: ["aws_cloudtrail", "aws_cloudwatch_event_rule", "aws_sns_topic"] },
  { requirement: "CC7.5", asks: "recovery from incidents", control: "AWS Backup every 4 hours with DR copies; weekly restore tests with alarms; Velero backups and a weekly restore drill", resources: ["aws_backup_plan", "aws_backup_restore_testing_plan", "aws_cloudwatch_metric_alarm", "kubernetes_manifest"] },
  { requirement: "CC8.1", asks: "changes authorized, tested, approved", control: "Every change synthesized, policy-checked (guardrails) and planned in CI; applies from the GitHub environment with required reviewers, through the OIDC apply role", resources: ["aws_iam_openid_connect_provider", "aws_iam_role"] },
  { requirement: "A1.2", asks: "environmental protections, backups, recovery infrastructure", control: "Multi-AZ database and cache, node groups over three AZs, cross-region replica and DR stack", resources: ["aws_db_instance", "aws_backup_vault", "aws_s3_bucket_replication_configuration"] },
  { requirement: "A1.3", asks: "recovery plan tested", control: "AWS Backup restore testing of RDS, EFS and S3; FIS game days in staging", resources: ["aws_backup_restore_testing_selection", "aws_fis_experiment_template"] },
  { requirement: "C1.1", asks: "confidential information identified and protected", control: "Macie's weekly personal-data discovery over the buckets that can hold it; CMK encryption; public access blocked", resources: ["aws_macie2_classification_job", "aws_s3_bucket_public_access_block"] },
];

/** GDPR (Regulation (EU) 2016/679): the articles the platform's code addresses. */
export const GDPR: readonly ComplianceMapping[] = [
  { requirement: "Art. 5(1)(f), 32(1)(a)", asks: "integrity and confidentiality; encryption", control: "CMK encryption of every store, TLS everywhere, secrets in Secrets Manager", resources: ["aws_kms_key", "aws_secretsmanager_secret"] },
  { requirement: "Art. 5(1)(e)", asks: "storage limitation", control: "Lifecycle expiry on every bucket, log retention on every log group, backup retention", resources: ["aws_s3_bucket_lifecycle_configuration", "aws_cloudwatch_log_group", "aws_backup_plan"] },
  { requirement: "Art. 25", asks: "data protection by design and by default", control: "Private subnets for data stores, public access blocked, default-deny networking, least-privilege roles", resources: ["aws_subnet", "aws_s3_bucket_public_access_block", "aws_network_acl"] },
  { requirement: "Art. 30, 5(2)", asks: "records and accountability", control: "CloudTrail of every API call; AWS Config history of every resource (7 years)", resources: ["aws_cloudtrail", "aws_config_delivery_channel", "aws_config_retention_configuration"] },
  { requirement: "Art. 32(1)(b)", asks: "ongoing confidentiality, integrity, availability and resilience", control: "WAF, GuardDuty, Multi-AZ stores, a DR region", resources: ["aws_wafv2_web_acl", "aws_guardduty_detector", "aws_db_instance"] },
  { requirement: "Art. 32(1)(c)", asks: "restore availability and access in a timely manner", control: "Point-in-time recovery, 4-hourly backups, restore tests and drills with alarms", resources: ["aws_backup_restore_testing_plan", "aws_backup_selection"] },
  { requirement: "Art. 32(1)(d)", asks: "regularly test and evaluate the measures", control: "Security Hub standards, Config conformance packs, FIS game days, guardrails at every synth", resources: ["aws_securityhub_standards_subscription", "aws_config_conformance_pack", "aws_fis_experiment_template"] },
  { requirement: "Art. 33", asks: "breach detected and notified within 72 hours", control: "Findings page on-call within minutes (the notification itself is organizational)", resources: ["aws_cloudwatch_event_rule", "aws_sns_topic_subscription"] },
  { requirement: "Art. 35, 30(1)(c)", asks: "know where personal data is", control: "Macie discovery over the backups, Velero and log buckets", resources: ["aws_macie2_account", "aws_macie2_classification_job"] },
];

/** What no code can deliver: the processes an organization runs and its auditor examines. */
export const ORGANIZATIONAL: readonly { readonly topic: string; readonly what: string }[] = [
  { topic: "Policies and training", what: "information security, acceptable use and data protection policies; security awareness training; background checks (SOC 2 CC1.x, CC2.x)" },
  { topic: "Access reviews", what: "quarterly review of who may assume the admin and auditor roles and who approves applies (the GitHub environment's reviewers); joiner/mover/leaver process (CC6.2, CC6.3)" },
  { topic: "Incident response", what: "the on-call rota, the response and breach-notification procedure (GDPR Art. 33-34: supervisory authority within 72 hours), post-incident reviews (CC7.3-CC7.4)" },
  { topic: "Vendors and transfers", what: "AWS's DPA and SCCs (GDPR Art. 28, 44-46), the HIPAA BAA in AWS Artifact, sub-processor list, vendor risk reviews (CC9.2)" },
  { topic: "Data subjects' rights", what: "access, rectification, erasure and portability (GDPR Art. 15-20) are the application's features and the support team's process; backups age out by their retention" },
  { topic: "Risk and impact assessments", what: "annual risk assessment (CC3.x), DPIAs for new processing (GDPR Art. 35), records of processing (Art. 30) kept by the DPO" },
  { topic: "Audits and scope", what: "the SOC 2 Type II audit period and auditor, the PCI DSS scope (cardholder data should stay with the payment provider) and QSA, HIPAA risk analysis" },
  { topic: "Root user custody", what: "the root user's hardware MFA and password in separate sealed custody, tested yearly (the break-glass procedure below)" },
];
