import { Lazy, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { AwsContext } from "../../../shared/aws-context";
import { PolicyStatement, policyDocument } from "../../../shared/iam";

/** The S3 storage classes a lifecycle rule may move objects to. */
export const TRANSITION_STORAGE_CLASSES = ["STANDARD_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"] as const;
export type TransitionStorageClass = (typeof TRANSITION_STORAGE_CLASSES)[number];

/** One move to a cheaper storage class, `days` after an object is created. */
export interface StorageTransition {
  /** Days after creation (STANDARD_IA and INTELLIGENT_TIERING: S3 requires ≥ 30 for IA). */
  readonly days: number;
  /** The class objects move to. */
  readonly storageClass: TransitionStorageClass;
}

/** The lifecycle of one bucket: "Lifecycle Policies / Data Archival" of the infrastructure document. */
export interface BucketLifecycle {
  /** Moves to cheaper classes, in increasing `days`. @default none */
  readonly transitions?: readonly StorageTransition[];
  /** Days after creation the current version expires (becomes noncurrent). @default never */
  readonly expirationDays?: number;
  /** Days a noncurrent version is kept before it is deleted. */
  readonly noncurrentVersionExpirationDays: number;
}

/** Server-side encryption of a bucket: a customer-managed key, or SSE-S3 where AWS allows nothing else. */
export type BucketEncryption = { readonly kmsKeyArn: string } | "SSE-S3";

export interface SecureBucketProps {
  /** The bucket name (globally unique). */
  readonly bucketName: string;
  /** Encryption at rest; `SSE-S3` only for the access-log bucket (S3 server access logging accepts no SSE-KMS target). */
  readonly encryption: BucketEncryption;
  /** The lifecycle rules. */
  readonly lifecycle: BucketLifecycle;
  /** Where server access logs go: the log bucket's name and a prefix. @default not logged (only the log bucket itself) */
  readonly accessLogs?: { readonly bucketName: string; readonly prefix: string };
  /**
   * Further bucket-policy statements (CloudFront read, log delivery …); may hold lazy values resolved at synth.
   * @default none
   */
  readonly policyStatements?: () => readonly PolicyStatement[];
  /** Keep the bucket (and its objects) when the resource is destroyed. @default false */
  readonly preventDestroy?: boolean;
  /** Delete the bucket even when it holds objects (`force_destroy`), for environments torn down at will. @default false */
  readonly forceDestroy?: boolean;
  /** Where the bucket's settings live in the configuration; prefixes validation messages. @default the bucket name */
  readonly where?: string;
  /** The AWS provider (region). @default the stack's default provider */
  readonly provider?: TerraformProvider;
}

/** Days a replaced or deleted object version is kept, where a bucket's data sets no other figure. */
export const NONCURRENT_VERSION_DAYS = 7;

/** S3's longest bucket name. */
const MAX_BUCKET_NAME = 63;

/** `-` and a 12-digit account id: what `accountScopedBucketName` appends. */
const ACCOUNT_SUFFIX_LENGTH = 13;

/**
 * A bucket name no one else can take first: `<name>-<account id>` (S3 names are global; the account
 * id is the caller's, a token). Throws `<where>: …` when `name` can't make a valid one.
 */
export function accountScopedBucketName(scope: Construct, name: string, where: string = name): string {
  const longest = MAX_BUCKET_NAME - ACCOUNT_SUFFIX_LENGTH;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name) || name.length > longest) {
    throw new Error(`${where}: "${name}" can't start a bucket name: use lowercase letters, digits, "." and "-", at most ${longest} characters before "-<account id>"`);
  }
  return `${name}-${AwsContext.of(scope).accountId}`;
}

/** Sids of the statements every bucket policy carries. */
export const DENY_INSECURE_TRANSPORT_SID = "DenyInsecureTransport";

/**
 * One S3 bucket with the house defaults: bucket-owner-enforced ownership (no ACLs), every public-access
 * block on, versioning, default encryption (CMK with an S3 bucket key, or SSE-S3 for the log bucket), a
 * TLS-only bucket policy (TLS 1.2+), the given lifecycle and server access logging.
 */
export class SecureBucket extends Construct {
  /** The bucket (escape hatch). */
  readonly bucket: S3Bucket;
  readonly bucketName: string;
  readonly bucketArn: string;
  /** `<bucket>.s3.<region>.amazonaws.com`, the CloudFront origin domain. */
  readonly regionalDomainName: string;
  /** The versioning resource; replication must depend on it. */
  readonly versioning: S3BucketVersioningA;
  /** The bucket policy (a writer such as CloudTrail must wait for it). */
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const provider = props.provider;
    validateSecureBucket(props);
    this.bucket = new S3Bucket(this, "bucket", {
      provider,
      bucket: props.bucketName,
      forceDestroy: props.forceDestroy ?? false,
      ...(props.preventDestroy ? { lifecycle: { preventDestroy: true } } : {}),
    });
    // A reference, not the literal: whatever reads the name (a Helm release, a replication rule) waits for the bucket.
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
    this.regionalDomainName = this.bucket.bucketRegionalDomainName;
    const bucket = this.bucket.id;

    new S3BucketOwnershipControls(this, "ownership", { provider, bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketPublicAccessBlock(this, "public-access-block", {
      provider,
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    this.versioning = new S3BucketVersioningA(this, "versioning", { provider, bucket, versioningConfiguration: { status: "Enabled" } });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      provider,
      bucket,
      rule: [
        props.encryption === "SSE-S3"
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
          : {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.encryption.kmsKeyArn },
              bucketKeyEnabled: true,
            },
      ],
    });
    const lc = props.lifecycle;
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      provider,
      bucket,
      rule: [
        {
          id: "archive-and-expire",
          status: "Enabled",
          filter: [{ prefix: "" }],
          transition: (lc.transitions ?? []).map((t) => ({ days: t.days, storageClass: t.storageClass })),
          ...(lc.expirationDays !== undefined ? { expiration: [{ days: lc.expirationDays }] } : {}),
          noncurrentVersionExpiration: [{ noncurrentDays: lc.noncurrentVersionExpirationDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
      dependsOn: [this.versioning],
    });
    if (props.accessLogs) {
      new S3BucketLoggingA(this, "access-logs", {
        provider,
        bucket,
        targetBucket: props.accessLogs.bucketName,
        targetPrefix: props.accessLogs.prefix,
      });
    }
    const base: PolicyStatement[] = [
      {
        Sid: DENY_INSECURE_TRANSPORT_SID,
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      {
        Sid: "DenyTlsOlderThan12",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
        Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
      },
    ];
    const extra = props.policyStatements;
    this.policy = new S3BucketPolicy(this, "policy", {
      provider,
      bucket,
      policy: extra ? Lazy.stringValue({ produce: () => policyDocument([...base, ...extra()]) }) : policyDocument(base),
    });
  }
}

/** Throws `<where>.<field>: …` for a bucket name S3 refuses or a lifecycle day count that is not a whole number ≥ 1. */
function validateSecureBucket(props: SecureBucketProps): void {
  const where = props.where ?? props.bucketName;
  // A name with a Terraform reference (e.g. the account id) is checked by S3 at apply.
  const literal = !props.bucketName.includes("${");
  if (literal && (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(props.bucketName) || props.bucketName.length > MAX_BUCKET_NAME)) {
    throw new Error(`${where}.bucketName: "${props.bucketName}" is not an S3 bucket name (3-63 lowercase letters, digits, "." and "-")`);
  }
  const days = (field: string, value: number | undefined) => {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new Error(`${where}.${field}: ${value} is not a whole number of days of at least 1`);
    }
  };
  days("expirationDays", props.lifecycle.expirationDays);
  days("noncurrentVersionExpirationDays", props.lifecycle.noncurrentVersionExpirationDays);
}
