import { Construct } from "constructs";
import { Guardrails } from "../../../shared/guardrails";
import { SecureBucket, accountScopedBucketName } from "../../data/secure-bucket";
import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { AwsContext } from "../../../shared/aws-context";
import { PolicyStatement, policyDocument } from "../../../shared/iam";
import { CustomerManagedKey } from "../../../shared/kms";
import { assertLogRetentionDays } from "../../../shared/log-retention";
import { Naming } from "../../../shared/naming";

/** The CloudTrail service principal. */
export const CLOUDTRAIL_SERVICE = "cloudtrail.amazonaws.com";

/** The account's audit settings: the `auditTrail` section of `AccountConfig`. */
export interface AuditTrailSettings {
  /** Days the trail's CloudWatch Logs copy is kept; one of `CLOUDWATCH_LOG_RETENTION_DAYS`. */
  readonly logRetentionDays: number;
  /**
   * Days a log file stays in S3 Standard before it moves to Glacier Flexible Retrieval.
   * @default 90
   */
  readonly glacierTransitionDays?: number;
  /**
   * Days a log file is kept in S3 before it expires; must exceed `glacierTransitionDays`.
   * @default 2557 (7 years)
   */
  readonly objectRetentionDays?: number;
  /**
   * Names of S3 buckets whose object-level (data) events the trail records, e.g. the Terraform state
   * bucket: every read and write of a state file is then attributable. @default none
   */
  readonly dataEventBuckets?: readonly string[];
}

export interface AuditTrailProps extends AuditTrailSettings {
  /** Names the trail, bucket, role, log group and key (`aivo-account-cloudtrail` …). */
  readonly naming: Naming;
  /**
   * The log bucket's globally unique name. @default `<project>-<environment>-cloudtrail-logs-<account id>`
   */
  readonly bucketName?: string;
}

/**
 * The account's audit trail: one multi-region CloudTrail trail with log file validation, recording
 * every management event (KMS key use and administration included, the seed's "KMS audit logging")
 * and the S3 data events of the listed buckets. Logs go to a CMK-encrypted, versioned, private,
 * TLS-only S3 bucket with a Glacier/expiry lifecycle, and to a CMK-encrypted CloudWatch log group
 * (for metric filters and alarms) through a role that may write only that group.
 */
export class AuditTrail extends Construct {
  /** The trail (escape hatch). */
  readonly trail: Cloudtrail;
  readonly trailArn: string;
  /** The log bucket. */
  readonly bucket: SecureBucket["bucket"];
  readonly bucketName: string;
  /** The key encrypting log files and the log group. */
  readonly key: CustomerManagedKey;
  /** The CloudWatch Logs copy of the trail. */
  readonly logGroup: CloudwatchLogGroup;
  readonly logGroupName: string;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const { naming } = props;
    const path = `${naming.environment}.auditTrail`;
    assertLogRetentionDays(`${path}.logRetentionDays`, props.logRetentionDays);
    const transition = props.glacierTransitionDays ?? 90;
    const expiration = props.objectRetentionDays ?? 2557;
    if (!Number.isInteger(transition) || transition < 1) {
      throw new Error(`${path}.glacierTransitionDays: ${transition} must be a whole number of days ≥ 1`);
    }
    if (!Number.isInteger(expiration) || expiration <= transition) {
      throw new Error(`${path}.objectRetentionDays: ${expiration} must be a whole number of days above glacierTransitionDays (${transition})`);
    }
    (props.dataEventBuckets ?? []).forEach((bucket, i) => {
      if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
        throw new Error(`${path}.dataEventBuckets[${i}]: "${bucket}" is not an S3 bucket name (3-63 lowercase letters, digits, "." and "-")`);
      }
    });

    const context = AwsContext.of(this);
    const trailName = naming.name("cloudtrail");
    // Built from parts (not `trail.arn`) so the key and bucket policies do not depend on the trail.
    const trailArn = context.arn("cloudtrail", `trail/${trailName}`);

    this.key = new CustomerManagedKey(this, "key", {
      naming,
      purpose: "cloudtrail",
      description: `Encrypts the ${trailName} log files and its CloudWatch log group`,
      serviceGrants: [CustomerManagedKey.cloudWatchLogsGrant(context)],
      additionalStatements: [
        {
          Sid: "AllowCloudTrailToEncryptLogs",
          Principal: { Service: CLOUDTRAIL_SERVICE },
          Action: "kms:GenerateDataKey*",
          Resource: "*",
          Condition: {
            StringEquals: { "aws:SourceArn": trailArn },
            StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": context.arn("cloudtrail", "trail/*", "*") },
          },
        },
        {
          Sid: "AllowCloudTrailToDescribeKey",
          Principal: { Service: CLOUDTRAIL_SERVICE },
          Action: "kms:DescribeKey",
          Resource: "*",
          Condition: { StringEquals: { "aws:SourceArn": trailArn } },
        },
      ],
    });

    this.bucketName = props.bucketName ?? accountScopedBucketName(this, naming.name("cloudtrail-logs"), "account.auditTrail.bucket");
    const trailBucket: SecureBucket = new SecureBucket(this, "bucket", {
      where: "account.auditTrail.bucket",
      bucketName: this.bucketName,
      encryption: { kmsKeyArn: this.key.keyArn },
      lifecycle: {
        transitions: [{ days: transition, storageClass: "GLACIER" }],
        expirationDays: expiration,
        noncurrentVersionExpirationDays: 30,
      },
      policyStatements: (): PolicyStatement[] => [
        {
          Sid: "AllowCloudTrailAclCheck",
          Principal: { Service: CLOUDTRAIL_SERVICE },
          Action: "s3:GetBucketAcl",
          Resource: trailBucket.bucketArn,
          Condition: { StringEquals: { "aws:SourceArn": trailArn } },
        },
        {
          Sid: "AllowCloudTrailWrite",
          Principal: { Service: CLOUDTRAIL_SERVICE },
          Action: "s3:PutObject",
          Resource: `${trailBucket.bucketArn}/AWSLogs/${context.accountId}/*`,
          Condition: { StringEquals: { "aws:SourceArn": trailArn, "s3:x-amz-acl": "bucket-owner-full-control" } },
        },
      ],
    });
    Guardrails.suppress(
      trailBucket,
      "AIVO-S3-ACCESS-LOGGING",
      "the audit trail's own bucket: only CloudTrail writes to it (bucket policy), and access logs of it would need a further, unlogged bucket",
    );
    this.bucket = trailBucket.bucket;
    const bucketPolicy = trailBucket.policy;

    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: `/aws/cloudtrail/${trailName}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: this.key.keyArn,
    });
    this.logGroupName = this.logGroup.name;
    const role = new IamRole(this, "logs-role", {
      name: naming.name("cloudtrail-logs"),
      description: `Lets CloudTrail deliver ${trailName} to ${this.logGroup.name}`,
      assumeRolePolicy: policyDocument([
        {
          Sid: "AllowCloudTrail",
          Principal: { Service: CLOUDTRAIL_SERVICE },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceArn": trailArn } },
        },
      ]),
    });
    const rolePolicy = new IamRolePolicy(this, "logs-policy", {
      name: "write-trail-log-group",
      role: role.id,
      policy: policyDocument([
        {
          Sid: "WriteTrailLogGroup",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: `${this.logGroup.arn}:log-stream:*`,
        },
      ]),
    });

    const dataBuckets = props.dataEventBuckets ?? [];
    this.trail = new Cloudtrail(this, "trail", {
      name: trailName,
      s3BucketName: this.bucket.id,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      kmsKeyId: this.key.keyArn,
      cloudWatchLogsGroupArn: `${this.logGroup.arn}:*`,
      cloudWatchLogsRoleArn: role.arn,
      advancedEventSelector: [
        {
          name: "All management events (KMS included)",
          fieldSelector: [{ field: "eventCategory", equalTo: ["Management"] }],
        },
        ...(dataBuckets.length > 0
          ? [
              {
                name: "S3 object events of the audited buckets",
                fieldSelector: [
                  { field: "eventCategory", equalTo: ["Data"] },
                  { field: "resources.type", equalTo: ["AWS::S3::Object"] },
                  { field: "resources.ARN", startsWith: dataBuckets.map((b) => `arn:${context.partition}:s3:::${b}/`) },
                ],
              },
            ]
          : []),
      ],
      dependsOn: [bucketPolicy, rolePolicy],
    });
    this.trailArn = this.trail.arn;
  }
}
