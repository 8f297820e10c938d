import { Construct } from "constructs";
import { assertIntegerInRange } from "../../data/datastore-common";
import { IamAccountPasswordPolicy } from "@cdktf/provider-aws/lib/iam-account-password-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { AwsContext } from "../../../shared/aws-context";
import { Guardrails } from "../../../shared/guardrails";
import { managedPolicyArn, policyDocument } from "../../../shared/iam";
import { Naming } from "../../../shared/naming";

/**
 * The account password policy (CIS AWS Foundations 1.8-1.9, and the HIPAA and PCI DSS packs'
 * `iam-password-policy` parameters): 14 characters, every character class, 90-day age, 24 remembered.
 */
export const PASSWORD_POLICY = {
  minimumPasswordLength: 14,
  requireLowercaseCharacters: true,
  requireUppercaseCharacters: true,
  requireNumbers: true,
  requireSymbols: true,
  allowUsersToChangePassword: true,
  maxPasswordAge: 90,
  passwordReusePrevention: 24,
  hardExpiry: false,
} as const;

/** The human roles, their names' last part (`aivo-account-<name>`) and their AWS managed policies. */
export const HUMAN_ROLES = {
  /** Administers the account: everything but Organizations and account settings (PowerUserAccess) plus IAM. */
  admin: { policies: ["PowerUserAccess"] },
  /** Reads configuration and security settings, not data (SecurityAudit + ViewOnlyAccess). */
  auditor: { policies: ["SecurityAudit", "job-function/ViewOnlyAccess"] },
} as const;
export type HumanRole = keyof typeof HUMAN_ROLES;

/** The account's `identity` settings (environments/account.ts). */
export interface IdentitySettings {
  /** Longest session of the human roles, in seconds (1-12 hours). @default 3600 */
  readonly maxSessionDuration?: number;
  /** Longest time since the MFA sign-in a role may be assumed, in seconds. @default 3600 */
  readonly maxMfaAgeSeconds?: number;
}

export interface IdentityProps extends IdentitySettings {
  /** Names the roles `aivo-account-admin`, `aivo-account-auditor`. */
  readonly naming: Naming;
}

/** The ARN a human role will have, for stacks that name it before it exists (the clusters' access entries). */
export function humanRoleArn(context: AwsContext, naming: Naming, role: HumanRole): string {
  return `arn:${context.partition}:iam::${context.accountId}:role/${naming.name(role)}`;
}

/**
 * People's access to the account: the password policy, and two roles any principal of the account
 * may assume only with MFA (`aws:MultiFactorAuthPresent`, a sign-in at most an hour old), for at most
 * an hour: `admin` (PowerUserAccess plus IAM administration; the clusters' admin access entry) and
 * `auditor` (read-only, configuration not data). No role holds AdministratorAccess; the root user is
 * the break-glass identity (docs/compliance.md), and its sign-ins page through ThreatDetection.
 */
export class Identity extends Construct {
  readonly passwordPolicy: IamAccountPasswordPolicy;
  /** The roles by name (escape hatch). */
  readonly roles: Readonly<Record<HumanRole, IamRole>>;
  /** Their ARNs. */
  readonly roleArns: Readonly<Record<HumanRole, string>>;

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    const path = `${props.naming.environment}.identity`;
    const session = props.maxSessionDuration ?? 3600;
    assertIntegerInRange(`${path}.maxSessionDuration`, session, 3600, 43200, "seconds, the range IAM accepts");
    const mfaAge = props.maxMfaAgeSeconds ?? 3600;
    assertIntegerInRange(`${path}.maxMfaAgeSeconds`, mfaAge, 60, 43200, "seconds since the MFA sign-in");
    const context = AwsContext.of(this);
    this.passwordPolicy = new IamAccountPasswordPolicy(this, "password-policy", { ...PASSWORD_POLICY });

    const trust = policyDocument([
      {
        Sid: "AllowAccountPrincipalsWithMfa",
        Principal: { AWS: context.accountRootArn },
        Action: "sts:AssumeRole",
        Condition: { Bool: { "aws:MultiFactorAuthPresent": true }, NumericLessThan: { "aws:MultiFactorAuthAge": `${mfaAge}` } },
      },
    ]);
    const roles = {} as Record<HumanRole, IamRole>;
    for (const [name, { policies }] of Object.entries(HUMAN_ROLES) as [HumanRole, (typeof HUMAN_ROLES)[HumanRole]][]) {
      roles[name] = new IamRole(this, name, {
        name: props.naming.name(name),
        description: `People's ${name} role: MFA required, ${session / 3600}-hour sessions`,
        assumeRolePolicy: trust,
        maxSessionDuration: session,
      });
      for (const policy of policies) {
        new IamRolePolicyAttachment(this, `${name}-${policy.split("/").pop()}`, { role: roles[name].name, policyArn: managedPolicyArn(context.partition, policy) });
      }
    }
    const adminIdentity = new IamRolePolicy(this, "admin-identity", {
      role: roles.admin.id,
      name: "administer-identity",
      policy: policyDocument([
        { Sid: "AdministerIdentity", Action: "iam:*", Resource: "*" },
        // The account's own settings an administrator keeps: contacts, regions.
        { Sid: "AccountContacts", Action: ["account:GetAlternateContact", "account:PutAlternateContact", "account:GetContactInformation", "account:PutContactInformation"], Resource: "*" },
      ]),
    });
    Guardrails.suppress(adminIdentity, "AIVO-IAM-PASSROLE-ANY", "the people's administrator role (MFA, 1-hour sessions): administering the account includes passing any of its roles");
    this.roles = roles;
    this.roleArns = { admin: roles.admin.arn, auditor: roles.auditor.arn };
  }
}
