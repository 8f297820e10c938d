import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { PolicyStatement, policyDocument } from "../iam";

/** The `Sid` of the statement denying every request not sent over TLS. */
export const DENY_INSECURE_TRANSPORT_SID = "DenyInsecureTransport";

/** S3's longest bucket name. */
const MAX_BUCKET_NAME = 63;

export interface SecureBucketProps {
  /** The bucket name (globally unique, 3-63 lowercase characters), e.g. `aivo-production-velero`. */
  readonly bucketName: string;
  /** Where the bucket's settings live in the configuration; prefixes validation messages. */
  readonly where: string;
  /** ARN of the customer-managed KMS key that encrypts every object (SSE-KMS, S3 Bucket Key on). */
  readonly kmsKeyArn: string;
  /** Days after which current objects expire (the data's retention), at least 1. */
  readonly expirationDays: number;
  /** Keep object versions (needed for replication and to undo overwrites). @default true */
  readonly versioning?: boolean;
  /** Days a noncurrent version is kept once replaced or deleted (versioned buckets only). @default 7 */
  readonly noncurrentVersionExpirationDays?: number;
  /** Further bucket-policy statements (beside the TLS-only deny). @default none */
  readonly policyStatements?: readonly PolicyStatement[];
  /** Delete the bucket even when it holds objects (`force_destroy`); for environments torn down at will. @default false */
  readonly forceDestroy?: boolean;
  /** The AWS provider (region) to create the bucket with. @default the stack's default provider */
  readonly provider?: TerraformProvider;
  /**
   * Where S3 server access logs go: a log bucket in the same region and account, and a key prefix.
   * @default not logged (the guardrails warn: AIVO-S3-ACCESS-LOGGING)
   */
  readonly accessLogs?: { readonly bucketName: string; readonly prefix: string };
}

/**
 * A private S3 bucket with the platform's defaults: SSE-KMS with a customer-managed key (Bucket Key
 * on), every public access blocked, ACLs off (`BucketOwnerEnforced`), a policy denying any request
 * not sent over TLS, versioning, and a lifecycle that expires objects after the data's retention
 * (noncurrent versions and incomplete multipart uploads too).
 */
export class SecureBucket extends Construct {
  /** The bucket (escape hatch). */
  readonly bucket: S3Bucket;
  /** The bucket name. */
  readonly bucketName: string;
  /** The bucket ARN. */
  readonly bucketArn: string;
  /** The versioning resource, when versioning is on (replication must follow it). */
  readonly versioning?: S3BucketVersioningA;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const { where, provider } = props;
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(props.bucketName) || props.bucketName.length > MAX_BUCKET_NAME) {
      throw new Error(`${where}.bucketName: "${props.bucketName}" is not an S3 bucket name (3-63 lowercase letters, digits, "." and "-")`);
    }
    if (!Number.isInteger(props.expirationDays) || props.expirationDays < 1) {
      throw new Error(`${where}.expirationDays: ${props.expirationDays} is not a whole number of days of at least 1`);
    }
    const noncurrentDays = props.noncurrentVersionExpirationDays ?? 7;
    if (!Number.isInteger(noncurrentDays) || noncurrentDays < 1) {
      throw new Error(`${where}.noncurrentVersionExpirationDays: ${noncurrentDays} is not a whole number of days of at least 1`);
    }

    this.bucket = new S3Bucket(this, "bucket", { provider, bucket: props.bucketName, forceDestroy: props.forceDestroy ?? false });
    const bucket = this.bucket.id;
    new S3BucketPublicAccessBlock(this, "public-access-block", {
      provider,
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", { provider, bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      provider,
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }],
    });
    const versioned = props.versioning ?? true;
    if (versioned) {
      this.versioning = new S3BucketVersioningA(this, "versioning", { provider, bucket, versioningConfiguration: { status: "Enabled" } });
    }
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      provider,
      bucket,
      rule: [
        {
          id: "expire-after-retention",
          status: "Enabled",
          filter: [{ prefix: "" }],
          expiration: [{ days: props.expirationDays }],
          ...(versioned ? { noncurrentVersionExpiration: [{ noncurrentDays }] } : {}),
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
      ],
      dependsOn: this.versioning ? [this.versioning] : undefined,
    });
    if (props.accessLogs) {
      new S3BucketLoggingA(this, "access-logs", {
        provider,
        bucket,
        targetBucket: props.accessLogs.bucketName,
        targetPrefix: props.accessLogs.prefix,
      });
    }
    new S3BucketPolicy(this, "policy", {
      provider,
      bucket,
      policy: policyDocument([
        {
          Sid: DENY_INSECURE_TRANSPORT_SID,
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        ...(props.policyStatements ?? []),
      ]),
    });
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
  }
}
