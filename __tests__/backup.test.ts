import { Testing, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { BackupVault } from "@cdktf/provider-aws/lib/backup-vault";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { BACKUP_SCHEDULE_EVERY_4_HOURS, BackupPlan, BackupPlanProps, BackupSettings } from "../modules/aws/data/backup";
import { Naming } from "../modules/shared/naming";
import { TerraformJson, configsOf, onlyResource, parse, policy, resourcesOf } from "./helpers";

const DB_ARN = "arn:aws:rds:us-east-1:123456789012:db:aivo-production-postgres";

const development: BackupSettings = { retentionDays: 7 };
const production: BackupSettings = { retentionDays: 35, drCopy: { retentionDays: 14 } };

interface Build {
  readonly env: string;
  readonly settings: BackupSettings;
  /** Region of the DR provider alias; none: no alias. */
  readonly drRegion?: string;
  readonly extra?: Partial<BackupPlanProps>;
}

function synth({ env, settings, drRegion, extra }: Build): string {
  return Testing.synthScope((scope: Construct) => {
    new AwsProvider(scope, "aws", { region: "us-east-1" });
    const drProvider: TerraformProvider | undefined = drRegion
      ? new AwsProvider(scope, "aws-dr", { region: drRegion, alias: "dr" })
      : undefined;
    new BackupPlan(scope, "backup", {
      ...settings,
      naming: new Naming("aivo", env),
      resourceArns: [DB_ARN],
      drProvider,
      ...extra,
    });
  });
}

function vaultNamed(doc: TerraformJson, name: string): [string, Record<string, any>] {
  const found = Object.entries(resourcesOf(doc, "aws_backup_vault")).find(([, v]) => v.name === name);
  expect(found).toBeDefined();
  return found!;
}

describe("BackupPlan", () => {
  const dev = parse(synth({ env: "development", settings: development, extra: { tier: "non-production" } }));
  const prodSynth = synth({ env: "production", settings: production, drRegion: "us-west-2" });
  const prod = parse(prodSynth);

  it("runs the database backup every 4 hours, keeping recovery points per environment", () => {
    expect(BACKUP_SCHEDULE_EVERY_4_HOURS).toBe("cron(0 */4 * * ? *)");
    const devRule = onlyResource(dev, "aws_backup_plan").rule;
    expect(devRule).toHaveLength(1);
    expect(devRule[0]).toMatchObject({
      rule_name: "every-4-hours",
      schedule: "cron(0 */4 * * ? *)",
      start_window: 60,
      completion_window: 180,
      lifecycle: { delete_after: 7 },
    });
    expect(devRule[0].copy_action).toBeUndefined();
    expect(onlyResource(prod, "aws_backup_plan").rule[0].lifecycle).toEqual({ delete_after: 35 });
  });

  it("empties the vault on destroy outside production, never in production", () => {
    expect(vaultNamed(dev, "aivo-development-backup")[1].force_destroy).toBe(true);
    for (const vault of configsOf(prod, "aws_backup_vault")) expect(vault.force_destroy).toBeUndefined();
  });

  it("stores recovery points in a vault encrypted with its own rotating CMK", () => {
    const [vaultId, vault] = vaultNamed(dev, "aivo-development-backup");
    const alias = onlyResource(dev, "aws_kms_alias");
    expect(alias.name).toBe("alias/aivo/development/backup");
    expect(vault.kms_key_arn).toBe(alias.target_key_id.replace(/\.key_id\}$/, ".arn}"));
    expect(onlyResource(dev, "aws_kms_key").enable_key_rotation).toBe(true);
    expect(onlyResource(dev, "aws_backup_plan").rule[0].target_vault_name).toBe(`\${aws_backup_vault.${vaultId}.name}`);
  });

  it("denies deleting recovery points, shortening their lifecycle and replacing the policy, in every vault", () => {
    const policies = configsOf(prod, "aws_backup_vault_policy");
    expect(policies).toHaveLength(2);
    for (const p of policies) {
      expect(policy(p.policy).Statement).toEqual([
        {
          Sid: "DenyRecoveryPointDeletion",
          Effect: "Deny",
          Principal: "*",
          Action: ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle", "backup:PutBackupVaultAccessPolicy"],
          Resource: "*",
        },
      ]);
    }
    expect(configsOf(dev, "aws_backup_vault_policy")).toHaveLength(1);
  });

  it("replaces (delete, then put on a vault without policy) rather than updates the policy when it changes: the in-place Put is denied", () => {
    for (const p of configsOf(prod, "aws_backup_vault_policy")) {
      const [trigger] = p.lifecycle.replace_triggered_by;
      // A bare address (Terraform refuses "${…}" there).
      const revision = /^terraform_data\.([\w-]+)$/.exec(trigger)![1];
      // The revision holds the very document, so any change to it replaces the policy.
      expect(prod.resource!.terraform_data[revision].input).toEqual({ policy: p.policy });
      // Deleting the policy stays allowed (else Terraform could never change it).
      expect(policy(p.policy).Statement[0].Action).not.toContain("backup:DeleteBackupVaultAccessPolicy");
    }
  });

  it("selects the database by ARN with a role holding the backup and restore managed policies", () => {
    const selection = onlyResource(prod, "aws_backup_selection");
    expect(selection.resources).toEqual([DB_ARN]);
    expect(selection.iam_role_arn).toMatch(/^\$\{aws_iam_role\.[\w-]+\.arn\}$/);
    expect(selection.depends_on).toHaveLength(4);
    const role = onlyResource(prod, "aws_iam_role");
    expect(policy(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: "backup.amazonaws.com" });
    expect(configsOf(prod, "aws_iam_role_policy_attachment").map((a) => a.policy_arn.split(":policy/")[1])).toEqual([
      "service-role/AWSBackupServiceRolePolicyForBackup",
      "service-role/AWSBackupServiceRolePolicyForRestores",
      "AWSBackupServiceRolePolicyForS3Backup",
      "AWSBackupServiceRolePolicyForS3Restore",
    ]);
  });

  it("copies every production recovery point to a CMK-encrypted vault in the DR region, with its own retention", () => {
    expect(prodSynth).toHaveResourceWithProperties(BackupVault, { name: "aivo-production-backup-dr", provider: "aws.dr" });
    const [drVaultId, drVault] = vaultNamed(prod, "aivo-production-backup-dr");
    expect(onlyResource(prod, "aws_backup_plan").rule[0].copy_action).toEqual([
      { destination_vault_arn: `\${aws_backup_vault.${drVaultId}.arn}`, lifecycle: { delete_after: 14 } },
    ]);
    const drAlias = configsOf(prod, "aws_kms_alias").find((a) => a.name === "alias/aivo/production/backup-dr")!;
    expect(drAlias.provider).toBe("aws.dr");
    const drKeyId = drAlias.target_key_id.split(".")[1];
    expect(resourcesOf(prod, "aws_kms_key")[drKeyId]).toMatchObject({ provider: "aws.dr", enable_key_rotation: true });
    expect(drVault.kms_key_arn).toBe(`\${aws_kms_key.${drKeyId}.arn}`);
    // The DR key's policy names the account through the DR provider's own context lookups.
    expect(policy(resourcesOf(prod, "aws_kms_key")[drKeyId].policy).Statement[0].Principal.AWS).toMatch(/data\.aws_caller_identity\.aws-context-aws-dr/);
    // Terraform re-checks at plan time that the DR region differs from the primary one.
    const [pre] = drVault.lifecycle.precondition;
    expect(pre.condition).toMatch(/^\$\{\(data\.aws_region\.aws-context-aws-dr[\w-]+\.region != data\.aws_region\.aws-context_region[\w-]+\.region\)\}$/);
    expect(configsOf(dev, "aws_backup_vault")).toHaveLength(1);
  });

  describe("rejects bad input", () => {
    it("a copy to the DR region without a DR provider", () => {
      expect(() => synth({ env: "production", settings: production })).toThrow(
        "production.backup.drCopy: a copy to the DR region is requested but no drProvider is given; pass the DR-region AWS provider alias",
      );
    });

    it("a DR provider in the primary region", () => {
      expect(() => synth({ env: "production", settings: production, drRegion: "us-east-1" })).toThrow(
        "production.backup.drCopy: the DR provider's region us-east-1 is the primary region; use a provider for another region (us-west-2)",
      );
    });

    it("a retention of zero or less, in the vault or the copy", () => {
      expect(() => synth({ env: "staging", settings: { retentionDays: 0 } })).toThrow(
        "staging.backup.retentionDays: 0 is outside 1..36500; keep each recovery point at least 1 day",
      );
      expect(() => synth({ env: "staging", settings: { retentionDays: -3 } })).toThrow("staging.backup.retentionDays: -3 is outside 1..36500");
      expect(() => synth({ env: "production", settings: { retentionDays: 35, drCopy: { retentionDays: 0 } }, drRegion: "us-west-2" })).toThrow(
        "production.backup.drCopy.retentionDays: 0 is outside 1..36500",
      );
    });

    it("windows AWS Backup does not accept, a malformed schedule and an empty selection", () => {
      expect(() => synth({ env: "staging", settings: { retentionDays: 7, startWindowMinutes: 60, completionWindowMinutes: 90 } })).toThrow(
        "staging.backup.completionWindowMinutes: 90 is outside 120..10080; the completion window must exceed the start window by 60 minutes",
      );
      expect(() => synth({ env: "staging", settings: { retentionDays: 7, schedule: "every 4 hours" } })).toThrow(
        'staging.backup.schedule: "every 4 hours" is not a schedule expression',
      );
      expect(() => synth({ env: "staging", settings: development, extra: { resourceArns: [] } })).toThrow(
        "staging.backup.resourceArns: no resource to back up; pass the database ARN(s)",
      );
    });
  });
});
