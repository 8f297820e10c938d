// The cache's CloudWatch alarms, per node: host CPU, engine CPU, memory and evictions on the alarm
// topics; a node that stops reporting pages (critical topics).
import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { metricAlarm, unavailableAlarm } from "../datastore-common";
import type { RedisClusterProps } from "./settings";
import type { ResolvedCacheSettings } from "./validate";

/** The alarms of each member node `<groupId>-001` …, named after the node (ids `<alarm>-<001…>`). */
export function createNodeAlarms(
  scope: Construct,
  props: RedisClusterProps,
  settings: ResolvedCacheSettings,
  memberClusterIds: readonly string[],
): CloudwatchMetricAlarm[] {
  const { groupId, cpuThreshold, engineCpuThreshold, memoryThreshold, evictionsThreshold } = settings;
  const alarms: CloudwatchMetricAlarm[] = [];
  for (const node of memberClusterIds) {
    const suffix = node.slice(groupId.length + 1);
    const common = {
      namespace: "AWS/ElastiCache",
      dimensions: { CacheClusterId: node },
      comparison: "GreaterThanThreshold" as const,
      topicArns: props.alarmTopicArns,
    };
    alarms.push(
      metricAlarm(scope, `cpu-${suffix}`, {
        ...common,
        alarmName: `${node}-cpu`,
        description: `${node}: host CPU above ${cpuThreshold}% for 15 minutes`,
        metricName: "CPUUtilization",
        threshold: cpuThreshold,
      }),
      metricAlarm(scope, `engine-cpu-${suffix}`, {
        ...common,
        alarmName: `${node}-engine-cpu`,
        description: `${node}: engine thread CPU above ${engineCpuThreshold}% for 15 minutes`,
        metricName: "EngineCPUUtilization",
        threshold: engineCpuThreshold,
      }),
      metricAlarm(scope, `memory-${suffix}`, {
        ...common,
        alarmName: `${node}-memory`,
        description: `${node}: memory use above ${memoryThreshold}% of maxmemory for 15 minutes`,
        metricName: "DatabaseMemoryUsagePercentage",
        threshold: memoryThreshold,
      }),
      // An outage: pages (critical topic).
      unavailableAlarm(scope, `unavailable-${suffix}`, {
        namespace: "AWS/ElastiCache",
        dimensions: { CacheClusterId: node },
        topicArns: props.criticalAlarmTopicArns ?? props.alarmTopicArns,
        alarmName: `${node}-unavailable`,
        description: `${node}: no metrics for 3 minutes, the node is down or being replaced`,
        metricName: "EngineCPUUtilization",
      }),
      metricAlarm(scope, `evictions-${suffix}`, {
        ...common,
        alarmName: `${node}-evictions`,
        description: `${node}: more than ${evictionsThreshold} evictions per 5 minutes, 3 periods in a row`,
        metricName: "Evictions",
        statistic: "Sum",
        threshold: evictionsThreshold,
      }),
    );
  }
  return alarms;
}
