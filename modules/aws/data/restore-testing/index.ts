import { Construct } from "constructs";
import { assertIntegerInRange } from "../datastore-common";
import { BackupRestoreTestingPlan } from "@cdktf/provider-aws/lib/backup-restore-testing-plan";
import { BackupRestoreTestingSelection } from "@cdktf/provider-aws/lib/backup-restore-testing-selection";
import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Naming } from "../../../shared/naming";

/** The resource types AWS Backup restores in a test, with the AWS Backup name of each. */
export const RESTORE_TESTED_TYPES = { database: "RDS", fileSystem: "EFS", bucket: "S3" } as const;
export type RestoreTestedType = keyof typeof RESTORE_TESTED_TYPES;

/** An environment's `restoreTesting` settings. */
export interface RestoreTestingSettings {
  /** Test restores in this environment. @default true for the production tier, false elsewhere */
  readonly enabled?: boolean;
  /** When the tests start (AWS Backup cron, UTC). @default "cron(0 5 ? * SUN *)", Sundays 05:00 */
  readonly schedule?: string;
  /** Hours each restored copy is kept for validation before AWS Backup deletes it, by type (1-168). @default database 4, others 1 */
  readonly validationWindowHours?: Partial<Record<RestoreTestedType, number>>;
  /** Days back the latest recovery point is chosen from (1-365). @default 7 */
  readonly selectionWindowDays?: number;
}

export interface RestoreTestingProps extends RestoreTestingSettings {
  /** Names the plan `aivo_<env>_restore_tests` (AWS Backup accepts letters, digits and `_`). */
  readonly naming: Naming;
  /** The environment's backup plan, vault and role (modules/aws/data/backup). */
  readonly backup: { readonly planId: string; readonly vaultArn: string; readonly roleArn: string };
  /** The resources tested, by type: the database is backed up already; the file system and bucket are added to the plan here. */
  readonly resources: Partial<Record<RestoreTestedType, string>>;
  /** Where failed or missing restore tests alarm. */
  readonly alarmTopicArns: readonly string[];
}

const CRON = /^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/;

/**
 * Proven restores: AWS Backup restores the latest recovery point of the database, the file system and
 * the backups bucket on a schedule, keeps each restored copy for its validation window, then deletes
 * it. The file system and bucket join the environment's backup plan (a second selection) so their
 * recovery points sit in the same CMK-encrypted vault. Two alarms per type on AWS Backup's metrics:
 * a restore job failed, and no restore job completed for 7 days (the tests stopped running). AWS
 * Backup publishes the restore-job metrics per account and resource type, not per plan, so they are
 * the account's: one environment runs the tests (the production tier by default).
 */
export class RestoreTesting extends Construct {
  readonly plan: BackupRestoreTestingPlan;
  readonly selections: Readonly<Partial<Record<RestoreTestedType, BackupRestoreTestingSelection>>>;
  readonly alarms: readonly CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: RestoreTestingProps) {
    super(scope, id);
    const path = `${props.naming.environment}.restoreTesting`;
    const schedule = props.schedule ?? "cron(0 5 ? * SUN *)";
    if (!CRON.test(schedule)) throw new Error(`${path}.schedule: "${schedule}" is not an AWS cron expression (cron(<min> <hour> <day> <month> <weekday> <year>))`);
    const windowDays = props.selectionWindowDays ?? 7;
    assertIntegerInRange(`${path}.selectionWindowDays`, windowDays, 1, 365, "days back the recovery point is chosen from");
    const windows: Record<RestoreTestedType, number> = { database: 4, fileSystem: 1, bucket: 1, ...props.validationWindowHours };
    for (const [type, hours] of Object.entries(windows)) {
      assertIntegerInRange(`${path}.validationWindowHours.${type}`, hours, 1, 168, "hours AWS Backup keeps the restored copy");
    }
    const tested = (Object.keys(RESTORE_TESTED_TYPES) as RestoreTestedType[]).filter((t) => props.resources[t] !== undefined);
    if (!tested.includes("database")) throw new Error(`${path}: no database to test; the database's backups are what the RPO rests on`);
    if (props.alarmTopicArns.length === 0) throw new Error(`${path}: no alarm topic; failed restore tests must reach someone`);

    const added = tested.filter((t) => t !== "database").map((t) => props.resources[t]!);
    if (added.length > 0) {
      new BackupSelection(this, "selection", {
        name: props.naming.name("files"),
        planId: props.backup.planId,
        iamRoleArn: props.backup.roleArn,
        resources: added,
      });
    }
    const name = props.naming.name("restore-tests").replace(/-/g, "_");
    this.plan = new BackupRestoreTestingPlan(this, "plan", {
      name,
      scheduleExpression: schedule,
      startWindowHours: 8,
      recoveryPointSelection: [
        { algorithm: "LATEST_WITHIN_WINDOW", includeVaults: [props.backup.vaultArn], recoveryPointTypes: ["SNAPSHOT"], selectionWindowDays: windowDays },
      ],
    });
    const selections: Partial<Record<RestoreTestedType, BackupRestoreTestingSelection>> = {};
    const alarms: CloudwatchMetricAlarm[] = [];
    for (const type of tested) {
      const resourceType = RESTORE_TESTED_TYPES[type];
      selections[type] = new BackupRestoreTestingSelection(this, `selection-${type}`, {
        name: `${resourceType.toLowerCase()}_latest`,
        restoreTestingPlanName: this.plan.name,
        protectedResourceType: resourceType,
        protectedResourceArns: [props.resources[type]!],
        iamRoleArn: props.backup.roleArn,
        validationWindowHours: windows[type],
      });
      alarms.push(
        new CloudwatchMetricAlarm(this, `failed-${type}`, {
          alarmName: props.naming.name("restore-test-failed", resourceType.toLowerCase()),
          alarmDescription: `An AWS Backup restore of ${resourceType} failed (${name}, runbook: docs/compliance.md "Proven restores")`,
          namespace: "AWS/Backup",
          metricName: "NumberOfRestoreJobsFailed",
          dimensions: { ResourceType: resourceType },
          statistic: "Sum",
          period: 3600,
          evaluationPeriods: 1,
          threshold: 1,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          treatMissingData: "notBreaching",
          alarmActions: [...props.alarmTopicArns],
        }),
        new CloudwatchMetricAlarm(this, `missing-${type}`, {
          alarmName: props.naming.name("restore-test-missing", resourceType.toLowerCase()),
          alarmDescription: `No AWS Backup restore of ${resourceType} completed in 7 days: the restore tests (${name}) stopped running`,
          namespace: "AWS/Backup",
          metricName: "NumberOfRestoreJobsCompleted",
          dimensions: { ResourceType: resourceType },
          statistic: "Sum",
          period: 86400,
          evaluationPeriods: 7,
          datapointsToAlarm: 7,
          threshold: 1,
          comparisonOperator: "LessThanThreshold",
          treatMissingData: "breaching",
          alarmActions: [...props.alarmTopicArns],
        }),
      );
    }
    this.selections = selections;
    this.alarms = alarms;
  }
}
