// Monitoring of the database: the enhanced-monitoring role, and the CloudWatch alarms of the primary
// and its replicas (CPU, storage, memory, replica lag; outages and lag beyond the RPO page).
import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { AwsContext } from "../../../shared/aws-context";
import { managedPolicyArn, serviceAssumeRolePolicy } from "../../../shared/iam";
import { metricAlarm, unavailableAlarm } from "../datastore-common";
import { ENHANCED_MONITORING_POLICY, PostgresDatabaseProps } from "./settings";
import type { ResolvedDatabaseSettings } from "./validate";

/** The role enhanced monitoring publishes the instances' OS metrics with, and its managed policy. */
export function createMonitoringRole(scope: Construct, props: PostgresDatabaseProps, identifier: string, context: AwsContext) {
  const monitoringRole = new IamRole(scope, "monitoring-role", {
    name: props.naming.name("postgres-monitoring"),
    description: `Enhanced monitoring of ${identifier}`,
    assumeRolePolicy: serviceAssumeRolePolicy("monitoring.rds.amazonaws.com"),
  });
  const monitoringPolicy = new IamRolePolicyAttachment(scope, "monitoring-policy", {
    role: monitoringRole.name,
    policyArn: managedPolicyArn(context.partition, ENHANCED_MONITORING_POLICY),
  });
  return { monitoringRole, monitoringPolicy };
}

/**
 * The alarms, in this order: CPU, free storage, freeable memory, a cross-region replica's lag (when
 * `replicating`), each read replica's lag; then the paging ones on the critical topics: unavailable,
 * each read replica's lag beyond the RPO.
 */
export function createAlarms(
  scope: Construct,
  props: PostgresDatabaseProps,
  identifier: string,
  settings: ResolvedDatabaseSettings,
  replicating: boolean,
  replicas: readonly DbInstance[],
): CloudwatchMetricAlarm[] {
  const { cpuThreshold, freeStorageGb, freeMemoryMb, replicaLagSeconds, replicaLagCriticalSeconds } = settings;
  const criticalTopics = props.criticalAlarmTopicArns ?? props.alarmTopicArns;
  const rds = { namespace: "AWS/RDS", topicArns: props.alarmTopicArns };
  const crossRegionLag = replicating
    ? metricAlarm(scope, "cross-region-replica-lag", {
        ...rds,
        alarmName: `${identifier}-replica-lag`,
        description: `${identifier}: cross-region replica lag above ${replicaLagSeconds} s for 5 minutes, i.e. the data lost if the primary region failed now`,
        metricName: "ReplicaLag",
        dimensions: { DBInstanceIdentifier: identifier },
        comparison: "GreaterThanThreshold",
        statistic: "Maximum",
        threshold: replicaLagSeconds,
        periodSeconds: 60,
        evaluationPeriods: 5,
      })
    : undefined;
  // No data means replication stopped (or the source is gone): that endangers the RPO as well.
  if (crossRegionLag) crossRegionLag.treatMissingData = "breaching";
  const alarms: CloudwatchMetricAlarm[] = [
    metricAlarm(scope, "cpu", {
      ...rds,
      alarmName: `${identifier}-cpu`,
      description: `${identifier}: CPU above ${cpuThreshold}% for 15 minutes`,
      metricName: "CPUUtilization",
      dimensions: { DBInstanceIdentifier: identifier },
      comparison: "GreaterThanThreshold",
      threshold: cpuThreshold,
    }),
    metricAlarm(scope, "free-storage", {
      ...rds,
      alarmName: `${identifier}-free-storage`,
      description: `${identifier}: less than ${freeStorageGb} GiB free storage`,
      metricName: "FreeStorageSpace",
      dimensions: { DBInstanceIdentifier: identifier },
      comparison: "LessThanThreshold",
      statistic: "Minimum",
      threshold: freeStorageGb * 1024 ** 3,
    }),
    metricAlarm(scope, "freeable-memory", {
      ...rds,
      alarmName: `${identifier}-freeable-memory`,
      description: `${identifier}: less than ${freeMemoryMb} MiB freeable memory for 15 minutes`,
      metricName: "FreeableMemory",
      dimensions: { DBInstanceIdentifier: identifier },
      comparison: "LessThanThreshold",
      threshold: freeMemoryMb * 1024 ** 2,
    }),
    ...(crossRegionLag ? [crossRegionLag] : []),
    ...replicas.map((_r, i) =>
      metricAlarm(scope, `replica-lag-${i + 1}`, {
        ...rds,
        alarmName: `${identifier}-replica-${i + 1}-lag`,
        description: `${identifier}-replica-${i + 1}: replica lag above ${replicaLagSeconds} s for 15 minutes`,
        metricName: "ReplicaLag",
        dimensions: { DBInstanceIdentifier: `${identifier}-replica-${i + 1}` },
        comparison: "GreaterThanThreshold",
        statistic: "Maximum",
        threshold: replicaLagSeconds,
      }),
    ),
    // Outages: they page (critical topic).
    unavailableAlarm(scope, "unavailable", {
      namespace: "AWS/RDS",
      topicArns: criticalTopics,
      alarmName: `${identifier}-unavailable`,
      description: `${identifier}: no metrics for 3 minutes, the instance is down or unreachable`,
      metricName: "CPUUtilization",
      dimensions: { DBInstanceIdentifier: identifier },
    }),
    ...replicas.map((_r, i) =>
      metricAlarm(scope, `replica-lag-critical-${i + 1}`, {
        namespace: "AWS/RDS",
        topicArns: criticalTopics,
        alarmName: `${identifier}-replica-${i + 1}-lag-beyond-rpo`,
        description: `${identifier}-replica-${i + 1}: replica lag above the RPO (${replicaLagCriticalSeconds} s) for 3 minutes`,
        metricName: "ReplicaLag",
        dimensions: { DBInstanceIdentifier: `${identifier}-replica-${i + 1}` },
        comparison: "GreaterThanThreshold",
        statistic: "Maximum",
        threshold: replicaLagCriticalSeconds,
        periodSeconds: 60,
        evaluationPeriods: 3,
      }),
    ),
  ];
  return alarms;
}
