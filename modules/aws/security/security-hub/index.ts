import { ITerraformDependable, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { SecurityhubAccount } from "@cdktf/provider-aws/lib/securityhub-account";
import { SecurityhubStandardsControlAssociation } from "@cdktf/provider-aws/lib/securityhub-standards-control-association";
import { SecurityhubStandardsSubscription } from "@cdktf/provider-aws/lib/securityhub-standards-subscription";
import { AwsContext } from "../../../shared/aws-context";

/**
 * The standards subscribed, by key, as the resource part of their ARN
 * (`arn:<partition>:securityhub:<region>::<standard>`, Security Hub's DescribeStandards; the CIS
 * benchmark at its current version in Security Hub, 5.0.0).
 */
export const SECURITY_STANDARDS = {
  fsbp: "standards/aws-foundational-security-best-practices/v/1.0.0",
  cis: "standards/cis-aws-foundations-benchmark/v/5.0.0",
  pciDss: "standards/pci-dss/v/4.0.1",
  nist80053: "standards/nist-800-53/v/5.0.0",
} as const;
export type SecurityStandard = keyof typeof SECURITY_STANDARDS;

/**
 * A control turned off in some standards, and why. `standards` must list only standards that hold the
 * control (Security Hub's "Controls that apply to the standard" pages), or the association fails.
 */
export interface DisabledControl {
  /** The security control id, e.g. `GuardDuty.12`. */
  readonly control: string;
  /** The standards it is disabled in (those that contain it). */
  readonly standards: readonly SecurityStandard[];
  /** Why it does not apply: becomes the association's `updated_reason`. */
  readonly reason: string;
}

/**
 * Controls that do not apply to this platform. Keep it short: a control disabled here is a check no
 * one runs, so each needs a reason that names what the platform does instead.
 */
export const DISABLED_CONTROLS: readonly DisabledControl[] = [
  {
    control: "GuardDuty.12",
    standards: ["fsbp"],
    reason: "ECS Runtime Monitoring: the platform runs no Amazon ECS; its containers run on EKS, covered by EKS Runtime Monitoring (GuardDuty.7)",
  },
  {
    control: "Macie.2",
    standards: ["fsbp", "nist80053"],
    reason: "Automated sensitive data discovery: a scheduled Macie classification job scans the buckets that can hold personal data instead (modules/aws/security/data-classification)",
  },
];

/** The account's `securityHub` settings (environments/account.ts). */
export interface SecurityHubSettings {
  /** The standards subscribed. @default every one of SECURITY_STANDARDS */
  readonly standards?: readonly SecurityStandard[];
}

export interface SecurityHubProps extends SecurityHubSettings {
  /** Where the settings live, for error messages. @default "securityHub" */
  readonly configPath?: string;
  /** What must exist first: the AWS Config recorder's status (Security Hub's controls evaluate through Config). */
  readonly dependsOn?: ITerraformDependable[];
  /** The provider of the region. @default the stack's default provider */
  readonly provider?: TerraformProvider;
}

/**
 * Security Hub for the account's region: no default standards (the list is explicit), controls
 * enabled as standards add them, consolidated control findings (one finding per control, whatever
 * the number of standards), the four standards subscribed, and `DISABLED_CONTROLS` turned off with
 * their reasons. Findings reach the account's topics through ThreatDetection's `securityhub` routes.
 */
export class SecurityHub extends Construct {
  readonly account: SecurityhubAccount;
  /** The subscriptions by standard. */
  readonly subscriptions: Readonly<Partial<Record<SecurityStandard, SecurityhubStandardsSubscription>>>;

  constructor(scope: Construct, id: string, props: SecurityHubProps) {
    super(scope, id);
    const path = props.configPath ?? "securityHub";
    const standards = props.standards ?? (Object.keys(SECURITY_STANDARDS) as SecurityStandard[]);
    standards.forEach((s, i) => {
      if (!(s in SECURITY_STANDARDS)) throw new Error(`${path}.standards[${i}]: "${s}" is not a standard the platform knows; use ${Object.keys(SECURITY_STANDARDS).join(", ")}`);
      if (standards.indexOf(s) !== i) throw new Error(`${path}.standards[${i}]: "${s}" is listed twice; list it once`);
    });
    const { provider } = props;
    const context = AwsContext.of(this, provider);
    this.account = new SecurityhubAccount(this, "account", {
      provider,
      enableDefaultStandards: false,
      autoEnableControls: true,
      controlFindingGenerator: "SECURITY_CONTROL",
      dependsOn: props.dependsOn,
    });
    const arn = (s: SecurityStandard) => `arn:${context.partition}:securityhub:${context.region}::${SECURITY_STANDARDS[s]}`;
    const subscriptions: Partial<Record<SecurityStandard, SecurityhubStandardsSubscription>> = {};
    for (const s of standards) {
      subscriptions[s] = new SecurityhubStandardsSubscription(this, `standard-${s}`, { provider, standardsArn: arn(s), dependsOn: [this.account] });
    }
    for (const { control, standards: where, reason } of DISABLED_CONTROLS) {
      for (const s of where.filter((w) => subscriptions[w])) {
        new SecurityhubStandardsControlAssociation(this, `disabled-${s}-${control}`, {
          provider,
          securityControlId: control,
          standardsArn: arn(s),
          associationStatus: "DISABLED",
          updatedReason: reason,
          dependsOn: [subscriptions[s]!],
        });
      }
    }
    this.subscriptions = subscriptions;
  }
}
