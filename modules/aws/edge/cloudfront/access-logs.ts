// Access logs: CloudFront standard logging v2, delivered (from us-east-1) into CloudWatch Logs, a
// KMS-encrypted log group.
import { Construct } from "constructs";
import { CloudwatchLogDelivery } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery";
import { CloudwatchLogDeliveryDestination } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery-destination";
import { CloudwatchLogDeliverySource } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery-source";
import { VendedLogGroup } from "../../observability/vended-log-group";
import { EdgeDistributionProps } from "./settings";

/** The log group (returned) and the delivery source, destination and delivery of the distribution's access logs; `path` is `<env>.edge`. */
export function createAccessLogs(scope: Construct, props: EdgeDistributionProps, path: string, distributionArn: string): VendedLogGroup {
  const naming = props.naming;
  const usEast1 = props.usEast1Provider;
  const accessLogs = new VendedLogGroup(scope, "access-logs", {
    naming,
    provider: usEast1,
    logGroupName: naming.path("edge", "cloudfront-access-logs"),
    keyPurpose: "cloudfront-access-logs",
    description: `the CloudFront access logs of ${naming.prefix}`,
    retentionInDays: props.logRetentionDays,
    retentionFieldPath: `${path}.logRetentionDays`,
  });
  const source = new CloudwatchLogDeliverySource(scope, "access-log-source", {
    provider: usEast1,
    name: naming.name("edge", "cloudfront"),
    logType: "ACCESS_LOGS",
    resourceArn: distributionArn,
  });
  const destination = new CloudwatchLogDeliveryDestination(scope, "access-log-destination", {
    provider: usEast1,
    name: naming.name("edge", "cloudfront-logs"),
    outputFormat: "json",
    deliveryDestinationConfiguration: [{ destinationResourceArn: accessLogs.logGroupArn }],
  });
  new CloudwatchLogDelivery(scope, "access-log-delivery", {
    provider: usEast1,
    deliverySourceName: source.name,
    deliveryDestinationArn: destination.arn,
    dependsOn: [accessLogs.resourcePolicy],
  });
  return accessLogs;
}
