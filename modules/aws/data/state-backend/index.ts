import { Construct } from "constructs";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { policyDocument } from "../../../shared/iam";
import { CustomerManagedKey } from "../../../shared/kms";
import { Naming } from "../../../shared/naming";

/** The attribute name Terraform's S3 backend locks on. */
export const LOCK_TABLE_HASH_KEY = "LockID";

export interface StateBackendProps {
  /** Names the KMS alias `alias/<project>/<environment>/terraform-state`. */
  readonly naming: Naming;
  /** Globally unique S3 bucket name for every environment's state. */
  readonly bucketName: string;
  /** DynamoDB table Terraform locks state in. */
  readonly lockTableName: string;
  /**
   * Days a superseded state version is kept before it expires (the recovery window for a bad apply).
   * @default 90
   */
  readonly noncurrentVersionExpirationDays?: number;
}

/**
 * Where every environment keeps its Terraform state: a versioned, CMK-encrypted, private, TLS-only
 * S3 bucket and an on-demand, PITR-protected, CMK-encrypted DynamoDB lock table. Both are
 * `prevent_destroy`: losing them loses every environment's state.
 */
export class StateBackend extends Construct {
  readonly bucket: S3Bucket;
  readonly lockTable: DynamodbTable;
  readonly key: CustomerManagedKey;
  /** The alias of the state key; the environments' S3 backends encrypt with it. */
  readonly kmsKeyAlias: string;

  constructor(scope: Construct, id: string, props: StateBackendProps) {
    super(scope, id);
    const expiration = props.noncurrentVersionExpirationDays ?? 90;
    if (!Number.isInteger(expiration) || expiration < 1) {
      throw new Error(
        `stateBackend.noncurrentVersionExpirationDays: ${expiration} must be a whole number of days ≥ 1`,
      );
    }
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(props.bucketName) || props.bucketName.includes("..")) {
      throw new Error(
        `stateBackend.bucketName: "${props.bucketName}" is not a valid S3 bucket name (3-63 lowercase letters, digits, "." and "-")`,
      );
    }

    // S3 and DynamoDB call KMS as the caller (the deployer's IAM identity), so the key needs no service grant.
    this.key = new CustomerManagedKey(this, "key", {
      naming: props.naming,
      purpose: "terraform-state",
      description: "Terraform state of every AIVO environment (S3 objects and the DynamoDB lock table)",
    });
    this.kmsKeyAlias = this.key.aliasName;

    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      lifecycle: { preventDestroy: true },
    });
    new S3BucketOwnershipControls(this, "ownership", {
      bucket: this.bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketVersioningA(this, "versioning", {
      bucket: this.bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.key.keyArn },
          bucketKeyEnabled: true,
        },
      ],
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: this.bucket.id,
      rule: [
        {
          id: "expire-noncurrent-state-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays: expiration }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    new S3BucketPolicy(this, "policy", {
      bucket: this.bucket.id,
      policy: policyDocument([
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
          Sid: "DenyObjectsNotEncryptedWithKms",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:PutObject",
          Resource: `${this.bucket.arn}/*`,
          Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" } },
        },
      ]),
    });

    this.lockTable = new DynamodbTable(this, "lock-table", {
      name: props.lockTableName,
      billingMode: "PAY_PER_REQUEST",
      hashKey: LOCK_TABLE_HASH_KEY,
      attribute: [{ name: LOCK_TABLE_HASH_KEY, type: "S" }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: this.key.keyArn },
      deletionProtectionEnabled: true,
      lifecycle: { preventDestroy: true },
    });
  }
}
