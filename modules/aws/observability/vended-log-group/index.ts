import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogResourcePolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-resource-policy";
import { AwsContext } from "../../../shared/aws-context";
import { policyDocument } from "../../../shared/iam";
import { CustomerManagedKey } from "../../../shared/kms";
import { EncryptedLogGroups } from "../log-group";
import { Naming } from "../../../shared/naming";

/** The service principal that delivers AWS "vended" logs (WAF, CloudFront standard logging v2 …). */
export const LOG_DELIVERY_SERVICE = "delivery.logs.amazonaws.com";

export interface VendedLogGroupProps {
  /** Names the KMS alias. */
  readonly naming: Naming;
  /** The log group name; some services require a prefix (WAF: `aws-waf-logs-`). */
  readonly logGroupName: string;
  /** The KMS key purpose slug, e.g. `waf-logs` → `alias/aivo/<env>/waf-logs`. */
  readonly keyPurpose: string;
  /** What the logs are, for the key description. */
  readonly description: string;
  /** Days CloudWatch keeps the events; one of `CLOUDWATCH_LOG_RETENTION_DAYS` (modules/shared/log-retention). */
  readonly retentionInDays: number;
  /** The field path named by validation errors, e.g. `production.waf.logRetentionDays`. */
  readonly retentionFieldPath: string;
  /** The provider (region) of the log group and its key; must be the region of the delivering service. @default the stack's default provider */
  readonly provider?: TerraformProvider;
}

/**
 * A CloudWatch log group that an AWS service delivers "vended" logs into: encrypted with its own
 * customer-managed key (CloudWatch Logs of the region granted), retention set, and a log resource
 * policy that lets `delivery.logs.amazonaws.com` write to exactly this group, only on behalf of this
 * account. Managing the resource policy here (instead of letting the service create one on first
 * delivery) keeps it in code and scoped to one group.
 */
export class VendedLogGroup extends Construct {
  /** The log group (escape hatch). */
  readonly logGroup: CloudwatchLogGroup;
  /** The log group ARN, without the `:*` suffix (what WAF and log deliveries expect). */
  readonly logGroupArn: string;
  /** The log group name. */
  readonly logGroupName: string;
  /** The key that encrypts the group. */
  readonly key: CustomerManagedKey;
  /** The resource policy for the log delivery service; depend on it before enabling a delivery. */
  readonly resourcePolicy: CloudwatchLogResourcePolicy;

  constructor(scope: Construct, id: string, props: VendedLogGroupProps) {
    super(scope, id);
    const context = AwsContext.of(this, props.provider);

    const encrypted = new EncryptedLogGroups(this, "logs", {
      naming: props.naming,
      keyPurpose: props.keyPurpose,
      description: `${props.description} (${props.logGroupName})`,
      logGroups: { group: props.logGroupName },
      retentionInDays: props.retentionInDays,
      retentionFieldPath: props.retentionFieldPath,
      provider: props.provider,
    });
    this.key = encrypted.key;
    this.logGroup = encrypted.group("group");
    this.logGroupArn = this.logGroup.arn;
    this.logGroupName = props.logGroupName;

    this.resourcePolicy = new CloudwatchLogResourcePolicy(this, "delivery-policy", {
      provider: props.provider,
      policyName: `${props.logGroupName}-delivery`.replace(/^\//, "").replace(/\//g, "-"),
      policyDocument: policyDocument([
        {
          Sid: "AllowLogDeliveryToThisGroup",
          Principal: { Service: LOG_DELIVERY_SERVICE },
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: `${this.logGroup.arn}:*`,
          Condition: {
            StringEquals: { "aws:SourceAccount": context.accountId },
            ArnLike: { "aws:SourceArn": context.arn("logs", "*") },
          },
        },
      ]),
    });
  }
}
