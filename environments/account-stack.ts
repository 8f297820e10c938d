import { Fn, S3Backend } from "cdktf";
import { Construct } from "constructs";
import { AwsContext } from "../modules/shared/aws-context";
import { DnsZones } from "../modules/aws/network/dns-zones";
import { GitHubOidcRoles } from "../modules/aws/security/github-oidc-roles";
import { Naming } from "../modules/shared/naming";
import { declareOutputs } from "../modules/shared/outputs";
import { ServiceQuotas } from "../modules/aws/security/service-quotas";
import { ServiceLinkedRoles } from "../modules/aws/security/service-linked-roles";
import { AccessAnalyzer } from "../modules/aws/security/access-analyzer";
import { AuditTrail } from "../modules/aws/security/audit-trail";
import { ThreatDetection } from "../modules/aws/security/threat-detection";
import { MailIdentity } from "../modules/aws/observability/mail-identity";
import { XrayEncryption } from "../modules/aws/observability/tracing";
import { VulnerabilityScanning } from "../modules/aws/security/vulnerability-scanning";
import { ConfigRecorder, RegionalConfigRecorder } from "../modules/aws/security/config-recorder";
import { MacieAccount } from "../modules/aws/security/data-classification";
import { Identity } from "../modules/aws/security/identity";
import { SecurityHub } from "../modules/aws/security/security-hub";
import { SecurityhubFindingAggregator } from "@cdktf/provider-aws/lib/securityhub-finding-aggregator";
import { SecureBucket } from "../modules/aws/data/secure-bucket";
import { exemptAccessLogBucket, s3LoggingStatement } from "../modules/aws/data/buckets";
import { CostOptimization } from "../modules/aws/observability/cost-optimization";
import { AccountConfig } from "./account";
import { PlatformStack } from "./platform-stack";
import { ACCOUNT_STACK } from "./stack-names";
import { STATE_BACKEND, stateBackendConfig, stateKey } from "./state";

/** The repository variable CI reads its role ARNs from: `{"<env>": {"plan": arn, "apply": arn}}` (README, "How CI reviews plans"). */
export const CI_ROLES_VARIABLE = "AIVO_CI_ROLES";

export { ACCOUNT_STACK } from "./stack-names";

export interface AccountStackProps {
  /** The account's settings (environments/account.ts). */
  readonly config: AccountConfig;
  /**
   * Each environment's public domain by environment name (`<env>.edge.domain`), in deployment order:
   * the account creates their zones and delegates them from the apex before any environment validates
   * a certificate, and CI gets a plan and an apply role for each environment.
   */
  readonly environmentDomains: Readonly<Record<string, string>>;
  /**
   * Regions besides the account stack's where the environments run (their regions, DR regions): AWS
   * Config records and Security Hub checks there too. @default none
   */
  readonly otherRegions?: readonly string[];
  /**
   * The From addresses of the environments' alert mail (`<env>.observability.receivers.email.from`):
   * the SES identity of the apex domain signs them, and the SMTP user may send only as them. @default none: no mail identity
   */
  readonly alertMailFromAddresses?: readonly string[];
}

/**
 * What exists once per AWS account, whatever the number of environments, deployed after `bootstrap`
 * and before any environment: it keeps its state in the shared S3 backend
 * (`aivo/account/terraform.tfstate`). Account-level concerns (service-linked roles, the apex DNS zone
 * and its delegations, CI's identity provider and roles, audit and threat detection) are added here
 * as one construct each, so an environment stack never owns something another environment needs.
 */
export class AccountStack extends PlatformStack {
  readonly config: AccountConfig;
  readonly naming: Naming;
  /** The service-linked roles the environments' keys and launches rely on. */
  readonly serviceLinkedRoles: ServiceLinkedRoles;
  /** The quota increases requested in code. */
  readonly serviceQuotas: ServiceQuotas;
  /** The apex zone and the environments' delegated zones. */
  readonly dns: DnsZones;
  /** SES for alert mail: the apex domain's identity (DKIM), configuration set and SMTP user; none without From addresses. */
  readonly mail?: MailIdentity;
  /** GitHub Actions' OIDC provider and per-environment plan/apply roles. */
  readonly ci: GitHubOidcRoles;
  /** CloudTrail: the account's multi-region audit trail. */
  readonly auditTrail: AuditTrail;
  /** GuardDuty and its findings routing. */
  readonly threatDetection: ThreatDetection;
  /** IAM Access Analyzer. */
  readonly accessAnalyzer: AccessAnalyzer;
  /** X-Ray's CMK encryption (one setting per account and region, shared by the environments). */
  readonly xrayEncryption: XrayEncryption;
  /** Amazon Inspector and ECR continuous scanning. */
  readonly vulnerabilityScanning: VulnerabilityScanning;
  /** The server access logs of the account's buckets (SSE-S3, the only encryption S3 logging accepts). */
  readonly accessLogBucket: SecureBucket;
  /** AWS Config: recorder, delivery, retention, conformance packs. */
  readonly configRecorder: ConfigRecorder;
  /** Security Hub and its standards. */
  readonly securityHub: SecurityHub;
  /** Macie for the account (the environments run their classification jobs). */
  readonly macie: MacieAccount;
  /** Password policy, people's admin and auditor roles. */
  readonly identity: Identity;
  /** Compute Optimizer and Cost Optimization Hub enrolment (recommendations only; buying stays human). */
  readonly costOptimization: CostOptimization;

  constructor(scope: Construct, props: AccountStackProps) {
    super(scope, ACCOUNT_STACK, {
      region: STATE_BACKEND.region,
      tags: { project: STATE_BACKEND.project, environment: ACCOUNT_STACK, costCenter: props.config.costCenter },
    });
    this.config = props.config;
    this.naming = new Naming(STATE_BACKEND.project, ACCOUNT_STACK);
    new S3Backend(this, stateBackendConfig(stateKey(ACCOUNT_STACK)));

    this.serviceLinkedRoles = new ServiceLinkedRoles(this, "service-linked-roles", {
      ...props.config.serviceLinkedRoles,
      configPath: `${ACCOUNT_STACK}.serviceLinkedRoles`,
    });
    this.serviceQuotas = new ServiceQuotas(this, "service-quotas", { ...props.config.serviceQuotas, configPath: `${ACCOUNT_STACK}.serviceQuotas` });
    this.dns = new DnsZones(this, "dns", {
      ...props.config.dns,
      environmentDomains: props.environmentDomains,
      configPath: `${ACCOUNT_STACK}.dns`,
    });
    // Alert mail goes through SES's SMTP interface in this stack's region (environments/observability.ts).
    if (props.alertMailFromAddresses?.length) {
      this.mail = new MailIdentity(this, "mail", {
        naming: this.naming,
        domain: props.config.dns.apexDomain,
        zoneId: this.dns.apexZone.zoneId,
        fromAddresses: props.alertMailFromAddresses,
      });
    }
    // CI plans this stack too (read-only), but never applies it: its apply role would manage its own trust.
    this.ci = new GitHubOidcRoles(this, "github-oidc", {
      naming: this.naming,
      github: props.config.github,
      configPath: `${ACCOUNT_STACK}.github`,
      environments: Object.keys(props.environmentDomains),
      planOnly: [ACCOUNT_STACK],
      stateBucket: STATE_BACKEND.bucket,
      lockTable: STATE_BACKEND.lockTable,
      stateRegion: STATE_BACKEND.region,
      stateKeyAlias: stateBackendConfig(stateKey(ACCOUNT_STACK)).kmsKeyId as string,
      // The findings topics' PagerDuty subscription reads the URL at plan time.
      planReadsParameters: { [ACCOUNT_STACK]: props.config.threatDetection.pagerDutyUrlParameter ? [props.config.threatDetection.pagerDutyUrlParameter] : [] },
    });
    const roles = Object.fromEntries(
      Object.entries(this.ci.roles).map(([scope, r]) => [scope, r.applyRoleArn ? { plan: r.planRoleArn, apply: r.applyRoleArn } : { plan: r.planRoleArn }]),
    );
    const { naming } = this;
    this.auditTrail = new AuditTrail(this, "audit-trail", { ...props.config.auditTrail, naming });
    this.threatDetection = new ThreatDetection(this, "threat-detection", { ...props.config.threatDetection, naming });
    this.accessAnalyzer = new AccessAnalyzer(this, "access-analyzer", { ...props.config.accessAnalyzer, naming });
    this.xrayEncryption = new XrayEncryption(this, "xray-encryption", { naming });
    this.vulnerabilityScanning = new VulnerabilityScanning(this, "vulnerability-scanning", { ...props.config.vulnerabilityScanning, naming });
    this.costOptimization = new CostOptimization(this, "cost-optimization");
    const context = AwsContext.of(this);
    this.accessLogBucket = new SecureBucket(this, "access-logs", {
      where: `${ACCOUNT_STACK}.accessLogs`,
      bucketName: `${naming.name("s3-access-logs")}-${context.accountId}`,
      encryption: "SSE-S3",
      lifecycle: { expirationDays: 365, noncurrentVersionExpirationDays: 1 },
      policyStatements: () => [s3LoggingStatement(context, this.accessLogBucket.bucketArn)],
    });
    exemptAccessLogBucket(this.accessLogBucket);
    this.configRecorder = new ConfigRecorder(this, "config", {
      ...props.config.config,
      naming,
      serviceLinkedRoleArn: this.serviceLinkedRoles.roleArns["config.amazonaws.com"],
      accessLogBucketName: this.accessLogBucket.bucketName,
    });
    this.securityHub = new SecurityHub(this, "security-hub", {
      ...props.config.securityHub,
      configPath: `${ACCOUNT_STACK}.securityHub`,
      dependsOn: [this.configRecorder.status],
    });
    const otherRegions = [...new Set(props.otherRegions ?? [])].filter((r) => r !== STATE_BACKEND.region);
    const regionalHubs: SecurityHub[] = [];
    for (const region of otherRegions) {
      const provider = this.addAwsProvider(`aws-${region}`, region, region.replace(/-/g, "_"));
      const recorder = new RegionalConfigRecorder(this, `config-${region}`, {
        naming,
        provider,
        serviceLinkedRoleArn: this.serviceLinkedRoles.roleArns["config.amazonaws.com"],
        delivery: this.configRecorder.delivery,
        settings: props.config.config,
      });
      regionalHubs.push(new SecurityHub(this, `security-hub-${region}`, { ...props.config.securityHub, configPath: `${ACCOUNT_STACK}.securityHub`, provider, dependsOn: [recorder.status] }));
    }
    // The other regions' findings are aggregated here, where the routes to the topics are.
    if (otherRegions.length > 0) {
      new SecurityhubFindingAggregator(this, "security-hub-aggregator", {
        linkingMode: "SPECIFIED_REGIONS",
        specifiedRegions: otherRegions,
        dependsOn: [this.securityHub.account, ...regionalHubs.map((h) => h.account)],
      });
    }
    this.macie = new MacieAccount(this, "macie");
    this.identity = new Identity(this, "identity", { ...props.config.identity, naming });
    declareOutputs(this, {
      account_id: { value: context.accountId, description: "The AWS account the platform runs in" },
      partition: { value: context.partition, description: "The AWS partition (aws, aws-us-gov, …) for building ARNs" },
      apex_name_servers: {
        value: this.dns.apexNameServers,
        description: `Name servers of ${props.config.dns.apexDomain}: enter them at the domain's registrar (once per account)`,
      },
      admin_role_arn: { value: this.identity.roleArns.admin, description: "People's administrator role (MFA required, 1-hour sessions; cluster-admin of every environment)" },
      auditor_role_arn: { value: this.identity.roleArns.auditor, description: "People's read-only auditor role (MFA required)" },
      config_bucket: { value: this.configRecorder.bucket.bucketName, description: "Where AWS Config delivers snapshots and history" },
      ...(this.mail
        ? {
            ses_smtp_user: { value: this.mail.smtpUserName, description: "IAM user whose access key, converted, is Alertmanager's SES SMTP credential (docs/first-apply-aws.md, \"Mail\")" },
            ses_configuration_set: { value: this.mail.configurationSet.configurationSetName, description: "SES configuration set of the alert mail" },
          }
        : {}),
      github_oidc_provider_arn: { value: this.ci.providerArn, description: "GitHub Actions' OIDC identity provider" },
      ci_roles: { value: roles, description: "CI's plan and apply role ARNs per environment" },
      compute_optimizer_status: { value: this.costOptimization.computeOptimizer.status, description: "Compute Optimizer enrolment (Active): right-sizing in the console's Compute Optimizer page or `aws compute-optimizer get-ec2-instance-recommendations`" },
      ci_roles_json: {
        value: Fn.jsonencode(roles),
        description: `The value of the ${CI_ROLES_VARIABLE} repository variable: terraform output -raw ci_roles_json | gh variable set ${CI_ROLES_VARIABLE}`,
      },
    });
  }
}
