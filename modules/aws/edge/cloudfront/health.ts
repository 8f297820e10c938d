// The origin's Route 53 health check, and the outage alarms (us-east-1) on it and on CloudFront's
// 5xx rate.
import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Route53HealthCheck } from "@cdktf/provider-aws/lib/route53-health-check";
import { EdgeDistributionProps } from "./settings";
import { ResolvedEdgeSettings } from "./validate";

/** The origin's health, as Route 53 sees it from its checker regions: HTTPS to `originDomain` on the health-check path. */
export function createOriginHealthCheck(scope: Construct, props: EdgeDistributionProps, settings: ResolvedEdgeSettings): Route53HealthCheck {
  return new Route53HealthCheck(scope, "origin-health-check", {
    type: "HTTPS",
    fqdn: props.originDomain,
    port: 443,
    resourcePath: settings.healthCheckPath,
    requestInterval: settings.healthCheckInterval,
    failureThreshold: settings.healthCheckFailureThreshold,
    enableSni: true,
    tags: { Name: props.naming.name("edge", "origin") },
  });
}

/**
 * The outage alarms, none without `outageAlarmTopicArns`: the origin failing its health check, or
 * CloudFront answering mostly 5xx. Route 53 health-check and CloudFront metrics are published only in
 * us-east-1, so the alarms are created there.
 */
export function createOutageAlarms(
  scope: Construct,
  props: EdgeDistributionProps,
  settings: ResolvedEdgeSettings,
  healthCheckId: string,
  distributionId: string,
): CloudwatchMetricAlarm[] {
  const naming = props.naming;
  const usEast1 = props.usEast1Provider;
  const topics = [...(props.outageAlarmTopicArns ?? [])];
  const alarm = (id: string, spec: { name: string; description: string; namespace: string; metric: string; dimensions: Record<string, string>; comparison: string; threshold: number; statistic: string; periods: number; missing: string }) =>
    new CloudwatchMetricAlarm(scope, id, {
      provider: usEast1,
      alarmName: spec.name,
      alarmDescription: spec.description,
      namespace: spec.namespace,
      metricName: spec.metric,
      dimensions: spec.dimensions,
      comparisonOperator: spec.comparison,
      threshold: spec.threshold,
      statistic: spec.statistic,
      period: 60,
      evaluationPeriods: spec.periods,
      treatMissingData: spec.missing,
      alarmActions: topics,
      okActions: topics,
    });
  if (topics.length === 0) return [];
  return [
    alarm("origin-unhealthy-alarm", {
      name: naming.name("edge", "origin-unhealthy"),
      description: `${props.originDomain}${settings.healthCheckPath} fails the Route 53 health check for 2 minutes`,
      namespace: "AWS/Route53",
      metric: "HealthCheckStatus",
      dimensions: { HealthCheckId: healthCheckId },
      comparison: "LessThanThreshold",
      threshold: 1,
      statistic: "Minimum",
      periods: 2,
      // No data from a health check means it is gone: count it as failing.
      missing: "breaching",
    }),
    alarm("error-rate-alarm", {
      name: naming.name("edge", "5xx-rate"),
      description: `CloudFront answers more than ${settings.error5xxRate}% of requests with 5xx for 5 minutes`,
      namespace: "AWS/CloudFront",
      metric: "5xxErrorRate",
      dimensions: { DistributionId: distributionId, Region: "Global" },
      comparison: "GreaterThanThreshold",
      threshold: settings.error5xxRate,
      statistic: "Average",
      periods: 5,
      // A distribution without traffic publishes no 5xx rate: that is not an outage.
      missing: "notBreaching",
    }),
  ];
}
