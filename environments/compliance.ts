import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { RestoreTesting } from "../modules/aws/data/restore-testing";
import { FaultInjection, MAX_STOP_CONDITIONS } from "../modules/aws/observability/fault-injection";
import { DataClassificationJob } from "../modules/aws/security/data-classification";
import { HumanRole, humanRoleArn } from "../modules/aws/security/identity";
import { AwsContext } from "../modules/shared/aws-context";
import { Naming } from "../modules/shared/naming";
import { ACCOUNT_STACK } from "./account-stack";
import type { AddonsStack } from "./addons-stack";
import type { EnvironmentStack } from "./environment-stack";
import { PROJECT } from "./types";
import { RestoreDrill } from "../modules/kubernetes/cluster/restore-drill";
import { VELERO_SCHEDULE_FULL_NAME } from "../modules/kubernetes/addons/velero";
import { NAMESPACES } from "../modules/kubernetes/platform";

/**
 * The people's roles (account stack, modules/aws/security/identity) an environment's cluster admits
 * as cluster-admin: its access entries go through the MFA-protected admin role.
 */
export const CLUSTER_ADMIN_HUMAN_ROLES: readonly HumanRole[] = ["admin"];

/** The ARNs of `CLUSTER_ADMIN_HUMAN_ROLES`, for the `adminRoleArns` of a stack's cluster (an environment's or its DR side's). */
export function clusterAdminRoleArns(stack: Construct): string[] {
  const context = AwsContext.of(stack);
  return CLUSTER_ADMIN_HUMAN_ROLES.map((role) => humanRoleArn(context, new Naming(PROJECT, ACCOUNT_STACK), role));
}

/** The environment's alarms that page (their actions include the `critical` topic), by name: the game days' stop conditions. */
export function criticalAlarms(stack: EnvironmentStack): CloudwatchMetricAlarm[] {
  const critical = stack.alerts.topicArns.critical;
  return stack.node
    .findAll()
    .filter((c): c is CloudwatchMetricAlarm => c instanceof CloudwatchMetricAlarm && (c.alarmActionsInput ?? []).includes(critical))
    .sort((a, b) => String(a.alarmNameInput).localeCompare(String(b.alarmNameInput)));
}

/**
 * Proven recovery in an environment stack (issue 28): restore tests of its backups (the production
 * tier by default) and the game-day experiment templates (the staging tier by default, never on in
 * production unless set).
 */
export function addRecoveryProof(stack: EnvironmentStack): { restoreTesting?: RestoreTesting; faultInjection?: FaultInjection } {
  const { config, naming } = stack;
  const out: { restoreTesting?: RestoreTesting; faultInjection?: FaultInjection } = {};
  if (config.restoreTesting?.enabled ?? config.tier === "production") {
    out.restoreTesting = new RestoreTesting(stack, "restore-testing", {
      ...config.restoreTesting,
      naming,
      backup: { planId: stack.backup.planId, vaultArn: stack.backup.vaultArn, roleArn: stack.backup.roleArn },
      resources: {
        database: stack.database.instanceArn,
        ...(stack.fileStorage ? { fileSystem: stack.fileStorage.fileSystemArn } : {}),
        bucket: stack.buckets.buckets.backups.bucketArn,
      },
      alarmTopicArns: [stack.alerts.topicArns.alert],
    });
  }
  if (config.faultInjection?.enabled ?? config.tier === "staging") {
    out.faultInjection = new FaultInjection(stack, "fault-injection", {
      ...config.faultInjection,
      naming,
      clusterName: stack.eks.clusterName,
      availabilityZones: stack.network.availabilityZones,
      database: { arn: stack.database.instanceArn, multiAz: config.database.multiAz },
      vpcId: stack.network.vpcId,
      stopAlarmArns: criticalAlarms(stack).slice(0, MAX_STOP_CONDITIONS).map((a) => a.arn),
    });
  }
  return out;
}

/**
 * Macie's weekly personal-data discovery over the buckets that can hold personal data (the production
 * tier by default): the backups bucket (database exports and dumps), Velero's (Kubernetes objects,
 * Secrets included, and volume data) and Loki's chunks (application logs, where e-mail addresses and
 * names leak). Not the artifacts (build outputs), the static assets (public) or Loki's ruler (rules).
 * In the add-ons stack: Loki's and Velero's buckets are created there.
 */
export function addDataClassification(addons: AddonsStack, environment: EnvironmentStack): DataClassificationJob | undefined {
  const { config, naming } = environment;
  if (!(config.dataClassification?.enabled ?? config.tier === "production")) return undefined;
  return new DataClassificationJob(addons, "data-classification", {
    ...config.dataClassification,
    naming,
    buckets: {
      backups: { name: environment.buckets.buckets.backups.bucketName, kmsKeyArn: environment.buckets.keys.backups.keyArn },
      velero: { name: addons.velero.bucket.bucketName, kmsKeyArn: addons.velero.key.keyArn },
      "loki-chunks": { name: addons.loki.chunksBucket.bucketName, kmsKeyArn: addons.loki.key.keyArn },
    },
  });
}

/**
 * The weekly Velero restore drill (on unless `restoreDrill.enabled` is false): the latest backup of
 * one namespace restored into a scratch namespace, checked and deleted, after Velero's release.
 */
export function addRestoreDrill(addons: AddonsStack, environment: EnvironmentStack): RestoreDrill | undefined {
  const { config } = environment;
  if (config.restoreDrill?.enabled === false) return undefined;
  return new RestoreDrill(addons, "restore-drill", {
    ...config.restoreDrill,
    where: `${config.name}.restoreDrill`,
    veleroNamespace: NAMESPACES.velero.name,
    scheduleName: VELERO_SCHEDULE_FULL_NAME,
    dependsOn: [addons.velero.addOn.release],
  });
}
