import { DataResource, Op, TerraformProvider, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { BackupPlan as AwsBackupPlan } from "@cdktf/provider-aws/lib/backup-plan";
import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { BackupVault } from "@cdktf/provider-aws/lib/backup-vault";
import { BackupVaultPolicy } from "@cdktf/provider-aws/lib/backup-vault-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AwsContext } from "../../../shared/aws-context";
import { DataStoreTier, assertIntegerInRange } from "../datastore-common";
import { PolicyStatement, managedPolicyArn, policyDocument, serviceAssumeRolePolicy } from "../../../shared/iam";
import { CustomerManagedKey } from "../../../shared/kms";
import { Naming } from "../../../shared/naming";

/** "Database: automated snapshots every 4 hours" (the platform document), at minute 0 UTC. */
export const BACKUP_SCHEDULE_EVERY_4_HOURS = "cron(0 */4 * * ? *)";
/** The AWS managed policies of the role AWS Backup assumes to back up and to restore. */
export const BACKUP_SERVICE_POLICIES: readonly string[] = [
  "service-role/AWSBackupServiceRolePolicyForBackup",
  "service-role/AWSBackupServiceRolePolicyForRestores",
  // S3 buckets join the plan for restore testing (modules/aws/data/restore-testing).
  "AWSBackupServiceRolePolicyForS3Backup",
  "AWSBackupServiceRolePolicyForS3Restore",
];
/**
 * What the vault access policy denies to every principal (the set AWS Config's
 * `backup-recovery-point-manual-deletion-disabled` checks): deleting a recovery point, shortening its
 * lifecycle (an early-expiry deletion) and overwriting the policy itself. AWS Backup's own lifecycle
 * expiry is not affected.
 *
 * Terraform can still change the policy: the provider updates it in place with
 * PutBackupVaultAccessPolicy (denied), so the policy resource is instead *replaced* whenever its
 * document changes (`replace_triggered_by` a `terraform_data` holding the document): Terraform deletes
 * the policy (DeleteBackupVaultAccessPolicy, not denied), then puts the new one on a vault that has
 * none — a visible "must be replaced" in the plan. No principal is exempted: an exemption for the CI
 * apply role or administrators would let exactly those identities rewrite the policy and then delete
 * recovery points. Whoever may delete the policy can lift the protection; tamper-proof retention is
 * Backup Vault Lock's (compliance mode), not this policy's.
 */
export const PROTECTED_RECOVERY_POINT_ACTIONS: readonly string[] = [
  "backup:DeleteRecoveryPoint",
  "backup:UpdateRecoveryPointLifecycle",
  "backup:PutBackupVaultAccessPolicy",
];

/** Copy every recovery point to a vault in the disaster-recovery region. */
export interface BackupCopySettings {
  /** Days the DR copies are kept (at least 1). */
  readonly retentionDays: number;
}

/** Per-environment tunables of the backup plan (the environment config's `backup` section). */
export interface BackupSettings {
  /** Days each recovery point is kept in the primary vault (at least 1). */
  readonly retentionDays: number;
  /** Schedule of the plan's rule, a CloudWatch Events cron expression (UTC). @default BACKUP_SCHEDULE_EVERY_4_HOURS */
  readonly schedule?: string;
  /** Minutes a job may wait to start before it is cancelled (at least 60). @default 60 */
  readonly startWindowMinutes?: number;
  /** Minutes a started job may run (at least startWindowMinutes + 60). @default 180 */
  readonly completionWindowMinutes?: number;
  /** Copy every recovery point to a vault in the DR region (needs the `drProvider` prop). @default no copy */
  readonly drCopy?: BackupCopySettings;
}

/** Settings plus the wiring the environment stack supplies. */
export interface BackupPlanProps extends BackupSettings {
  /** Names the vault, plan, role and keys. */
  readonly naming: Naming;
  /** ARNs of the resources backed up (selection by resource ARN), e.g. `[database.instanceArn]`. */
  readonly resourceArns: readonly string[];
  /** AWS provider alias for the DR region (us-west-2); required when `drCopy` is set. @default none */
  readonly drProvider?: TerraformProvider;
  /**
   * `production`: a vault holding recovery points cannot be destroyed (the deletion-denying vault
   * policy protects them). `non-production` (rebuilt at will): the vaults are `force_destroy`, so
   * destroying the environment deletes their recovery points with them (Terraform removes the vault
   * policy first, then the vault). @default "production"
   */
  readonly tier?: DataStoreTier;
}

/** The literal region an AWS provider is configured with, if it is one (not a token). */
function literalRegion(provider: TerraformProvider | undefined): string | undefined {
  if (!(provider instanceof AwsProvider)) return undefined;
  const region = provider.region;
  return region && !region.includes("${") ? region : undefined;
}

/**
 * AWS Backup for the data stores: a CMK-encrypted vault whose access policy denies deleting recovery
 * points, a plan whose rule runs every 4 hours (per the platform document) with per-environment
 * retention, a selection by resource ARN with its own service role, and optionally a copy of every
 * recovery point to a CMK-encrypted vault in the DR region (through the `drProvider` alias).
 */
export class BackupPlan extends Construct {
  /** The plan resource (escape hatch). */
  readonly plan: AwsBackupPlan;
  /** The plan id. */
  readonly planId: string;
  /** The primary vault. */
  readonly vault: BackupVault;
  /** The primary vault's name, `aivo-<env>-backup`. */
  readonly vaultName: string;
  /** The primary vault's ARN. */
  readonly vaultArn: string;
  /** The role AWS Backup assumes for this plan's jobs and restores. */
  readonly roleArn: string;
  /** ARN of the CMK of the primary vault. */
  readonly kmsKeyArn: string;
  /** The DR vault, when `drCopy` is set. */
  readonly drVault?: BackupVault;
  /** The DR vault's ARN, when `drCopy` is set. */
  readonly drVaultArn?: string;
  /** ARN of the CMK of the DR vault (in the DR region), when `drCopy` is set. */
  readonly drKmsKeyArn?: string;

  constructor(scope: Construct, id: string, props: BackupPlanProps) {
    super(scope, id);
    const env = props.naming.environment;
    const at = (field: string) => `${env}.backup.${field}`;

    // ---- validation, before any resource --------------------------------------------------------
    assertIntegerInRange(at("retentionDays"), props.retentionDays, 1, 36500, "keep each recovery point at least 1 day");
    const startWindow = props.startWindowMinutes ?? 60;
    const completionWindow = props.completionWindowMinutes ?? 180;
    assertIntegerInRange(at("startWindowMinutes"), startWindow, 60, 10080, "AWS Backup needs at least 60 minutes");
    assertIntegerInRange(
      at("completionWindowMinutes"),
      completionWindow,
      startWindow + 60,
      10080,
      "the completion window must exceed the start window by 60 minutes",
    );
    const schedule = props.schedule ?? BACKUP_SCHEDULE_EVERY_4_HOURS;
    if (!/^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/.test(schedule) && !/^rate\(\d+ (minutes?|hours?|days?)\)$/.test(schedule)) {
      throw new Error(`${at("schedule")}: "${schedule}" is not a schedule expression; use cron(min hour day month weekday year), e.g. ${BACKUP_SCHEDULE_EVERY_4_HOURS}`);
    }
    if (props.resourceArns.length === 0) {
      throw new Error(`${at("resourceArns")}: no resource to back up; pass the database ARN(s)`);
    }
    if (props.drCopy) {
      assertIntegerInRange(at("drCopy.retentionDays"), props.drCopy.retentionDays, 1, 36500, "keep each copy at least 1 day");
      if (!props.drProvider) {
        throw new Error(`${at("drCopy")}: a copy to the DR region is requested but no drProvider is given; pass the DR-region AWS provider alias`);
      }
      const primaryRegion = literalRegion(
        TerraformStack.of(this).node.children.find((c): c is AwsProvider => c instanceof AwsProvider && !c.alias),
      );
      const drRegion = literalRegion(props.drProvider);
      if (primaryRegion && drRegion && primaryRegion === drRegion) {
        throw new Error(`${at("drCopy")}: the DR provider's region ${drRegion} is the primary region; use a provider for another region (us-west-2)`);
      }
    }

    // ---- primary vault --------------------------------------------------------------------------
    const context = AwsContext.of(this);
    const key = new CustomerManagedKey(this, "key", {
      naming: props.naming,
      purpose: "backup",
      description: `AWS Backup vault ${props.naming.name("backup")}`,
    });
    this.kmsKeyArn = key.keyArn;
    this.vaultName = props.naming.name("backup");
    const forceDestroy = (props.tier ?? "production") !== "production";
    this.vault = this.protectedVault(this, "vault", this.vaultName, key.keyArn, forceDestroy);
    this.vaultArn = this.vault.arn;

    // ---- DR vault -------------------------------------------------------------------------------
    let drVault: BackupVault | undefined;
    if (props.drCopy && props.drProvider) {
      const drScope = new Construct(this, "dr");
      const drContext = AwsContext.of(this, props.drProvider);
      const drKey = new CustomerManagedKey(drScope, "key", {
        naming: props.naming,
        purpose: "backup-dr",
        description: `AWS Backup DR vault ${props.naming.name("backup-dr")}`,
        provider: props.drProvider,
      });
      drVault = this.protectedVault(drScope, "vault", props.naming.name("backup-dr"), drKey.keyArn, forceDestroy, props.drProvider, {
        condition: Op.neq(drContext.region, context.region),
        errorMessage: `${at("drCopy")}: the DR vault's region equals the primary region; give drProvider another region`,
      });
      this.drVault = drVault;
      this.drVaultArn = drVault.arn;
      this.drKmsKeyArn = drKey.keyArn;
    }

    // ---- role, plan, selection ------------------------------------------------------------------
    const role = new IamRole(this, "role", {
      name: props.naming.name("backup"),
      description: `AWS Backup jobs and restores of ${this.vaultName}`,
      assumeRolePolicy: serviceAssumeRolePolicy("backup.amazonaws.com"),
    });
    const attachments = BACKUP_SERVICE_POLICIES.map(
      (policy, i) =>
        new IamRolePolicyAttachment(this, `role-policy-${i}`, {
          role: role.name,
          policyArn: managedPolicyArn(context.partition, policy),
        }),
    );
    this.roleArn = role.arn;

    this.plan = new AwsBackupPlan(this, "plan", {
      name: props.naming.name("data-stores"),
      rule: [
        {
          ruleName: "every-4-hours",
          targetVaultName: this.vault.name,
          schedule,
          startWindow,
          completionWindow,
          lifecycle: { deleteAfter: props.retentionDays },
          copyAction: drVault
            ? [{ destinationVaultArn: drVault.arn, lifecycle: { deleteAfter: props.drCopy!.retentionDays } }]
            : undefined,
        },
      ],
    });
    this.planId = this.plan.id;

    new BackupSelection(this, "selection", {
      name: props.naming.name("data-stores"),
      planId: this.plan.id,
      iamRoleArn: role.arn,
      resources: [...props.resourceArns],
      dependsOn: attachments,
    });
  }

  /** A CMK-encrypted vault and its access policy denying deletion of recovery points. */
  private protectedVault(
    scope: Construct,
    id: string,
    name: string,
    kmsKeyArn: string,
    forceDestroy: boolean,
    provider?: TerraformProvider,
    precondition?: { condition: unknown; errorMessage: string },
  ): BackupVault {
    const vault = new BackupVault(scope, id, {
      provider,
      name,
      kmsKeyArn,
      ...(forceDestroy ? { forceDestroy: true } : {}),
      lifecycle: precondition ? { precondition: [precondition] } : undefined,
    });
    const deny: PolicyStatement = {
      Sid: "DenyRecoveryPointDeletion",
      Effect: "Deny",
      Principal: "*",
      Action: [...PROTECTED_RECOVERY_POINT_ACTIONS],
      Resource: "*",
    };
    const document = policyDocument([deny]);
    const revision = new DataResource(scope, `${id}-policy-revision`, { input: { policy: document } });
    new BackupVaultPolicy(scope, `${id}-policy`, {
      provider,
      backupVaultName: vault.name,
      policy: document,
      // A bare address: cdktf writes a dependable as "${…}", which Terraform refuses in replace_triggered_by
      // ("Invalid character"; hashicorp/terraform-cdk #3532, #3645).
      lifecycle: { replaceTriggeredBy: [`${revision.terraformResourceType}.${revision.friendlyUniqueId}`] },
    });
    return vault;
  }
}
