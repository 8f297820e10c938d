import { S3Backend } from "cdktf";
import { Construct } from "constructs";
import { AccessAnalyzer } from "../modules/access-analyzer";
import { AuditTrail } from "../modules/audit-trail";
import { Naming } from "../modules/naming";
import { ThreatDetection } from "../modules/threat-detection";
import { XrayEncryption } from "../modules/tracing";
import { VulnerabilityScanning } from "../modules/vulnerability-scanning";
import { AccountConfig } from "./account";
import { PlatformStack } from "./platform-stack";
import { STATE_BACKEND, stateBackendConfig, stateKey } from "./state";

/** The stack name: `cdktf deploy account`. */
export const ACCOUNT_STACK = "account";

export interface AccountStackProps {
  /** The account's settings (environments/account.ts). */
  readonly config: AccountConfig;
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

  constructor(scope: Construct, props: AccountStackProps) {
    super(scope, ACCOUNT_STACK, {
      region: STATE_BACKEND.region,
      tags: { project: STATE_BACKEND.project, environment: ACCOUNT_STACK, costCenter: props.config.costCenter },
    });
    this.config = props.config;
    this.naming = new Naming(STATE_BACKEND.project, ACCOUNT_STACK);
    new S3Backend(this, stateBackendConfig(stateKey(ACCOUNT_STACK)));

    const { naming } = this;
    this.auditTrail = new AuditTrail(this, "audit-trail", { ...props.config.auditTrail, naming });
    this.threatDetection = new ThreatDetection(this, "threat-detection", { ...props.config.threatDetection, naming });
    this.accessAnalyzer = new AccessAnalyzer(this, "access-analyzer", { ...props.config.accessAnalyzer, naming });
    this.xrayEncryption = new XrayEncryption(this, "xray-encryption", { naming });
    this.vulnerabilityScanning = new VulnerabilityScanning(this, "vulnerability-scanning", { ...props.config.vulnerabilityScanning, naming });
  }
}
