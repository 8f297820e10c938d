import { Lazy, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { AwsContext } from "../../../shared/aws-context";
import { Guardrails } from "../../../shared/guardrails";
import { PolicyStatement, policyDocument, serviceAssumeRolePolicy } from "../../../shared/iam";
import { CustomerManagedKey } from "../../../shared/kms";
import { Naming } from "../../../shared/naming";
import { BucketLifecycle, SecureBucket, TRANSITION_STORAGE_CLASSES, accountScopedBucketName } from "../secure-bucket";

export type { BucketEncryption, BucketLifecycle, SecureBucketProps, StorageTransition, TransitionStorageClass } from "../secure-bucket";
export { DENY_INSECURE_TRANSPORT_SID, SecureBucket, TRANSITION_STORAGE_CLASSES, accountScopedBucketName } from "../secure-bucket";

/** The environment config section this module reads: `<env>.buckets`. */
export const BUCKETS_SECTION = "buckets";
/** The three buckets of the infrastructure document ("Amazon S3"). */
export const PLATFORM_BUCKETS = ["artifacts", "backups", "static-assets"] as const;
export type PlatformBucketName = (typeof PLATFORM_BUCKETS)[number];
/**
 * The buckets that replicate to the DR region when `replicateToDrRegion` is on. The static assets'
 * replica is CloudFront's second `/static/*` origin (an origin group): the assets survive a
 * primary-region outage.
 */
export const REPLICATED_BUCKETS: readonly PlatformBucketName[] = ["artifacts", "backups", "static-assets"];
/** The bucket CloudFront serves `/static/*` from (and, replicated, fails over to). */
export const STATIC_ASSETS_BUCKET: PlatformBucketName = "static-assets";
/** The service principal CloudFront's Origin Access Control signs requests as. */
export const CLOUDFRONT_SERVICE = "cloudfront.amazonaws.com";
/** The service principal of S3 server access logging. */
export const S3_LOGGING_SERVICE = "logging.s3.amazonaws.com";

/** Per-environment bucket settings (`<env>.buckets`). */
export interface BucketsSettings {
  /** Execution output of Jarvis runs. */
  readonly artifacts: BucketLifecycle;
  /** Long-term database exports. */
  readonly backups: BucketLifecycle;
  /** Static content, served by CloudFront under `/static/*`. */
  readonly staticAssets: BucketLifecycle;
  /** Days the server access logs are kept. */
  readonly accessLogExpirationDays: number;
  /**
   * Replicate artifacts and backups to buckets in the DR region, each under its own CMK there.
   * Required in production; needs `drProvider`. @default false
   */
  readonly replicateToDrRegion?: boolean;
}

export interface PlatformBucketsProps extends BucketsSettings {
  /** Names the buckets `aivo-<env>-<bucket>-<account id>` and their keys. */
  readonly naming: Naming;
  /** Production demands DR replication. */
  readonly tier: "development" | "staging" | "production";
  /** The provider in the DR region (alias `dr`); required when `replicateToDrRegion` is on. @default none */
  readonly drProvider?: TerraformProvider;
}

/** Throws unless a lifecycle is one S3 accepts and that archives before it expires. */
export function validateLifecycle(path: string, lc: BucketLifecycle): void {
  let previous = 0;
  (lc.transitions ?? []).forEach((t, i) => {
    const at = `${path}.transitions[${i}]`;
    if (!(TRANSITION_STORAGE_CLASSES as readonly string[]).includes(t.storageClass)) {
      throw new Error(`${at}.storageClass: "${t.storageClass}" is not a transition class; use one of ${TRANSITION_STORAGE_CLASSES.join(", ")}`);
    }
    if (!Number.isInteger(t.days) || t.days < 1) throw new Error(`${at}.days: ${t.days} must be a whole number of days ≥ 1`);
    if (t.storageClass === "STANDARD_IA" && t.days < 30) {
      throw new Error(`${at}.days: ${t.days} is below 30, the least S3 accepts for STANDARD_IA`);
    }
    if (t.days <= previous) throw new Error(`${at}.days: ${t.days} must be later than the previous transition (${previous} days)`);
    previous = t.days;
  });
  if (lc.expirationDays !== undefined && (!Number.isInteger(lc.expirationDays) || lc.expirationDays <= previous)) {
    throw new Error(`${path}.expirationDays: ${lc.expirationDays} must be a whole number of days after the last transition (${previous} days)`);
  }
  if (!Number.isInteger(lc.noncurrentVersionExpirationDays) || lc.noncurrentVersionExpirationDays < 1) {
    throw new Error(`${path}.noncurrentVersionExpirationDays: ${lc.noncurrentVersionExpirationDays} must be a whole number of days ≥ 1`);
  }
}

/**
 * The platform's S3 buckets: artifacts, backups and static assets, each under its own CMK, versioned,
 * public access blocked, TLS-only, with its lifecycle and server access logs to a log bucket (SSE-S3:
 * the one encryption S3 server access logging delivers into). Static assets are read by CloudFront
 * through Origin Access Control once `allowCloudFrontDistribution` names the distribution (bucket policy
 * and key policy both scoped to that distribution). With `replicateToDrRegion`, artifacts and backups
 * replicate to buckets in the DR region under their own CMKs there.
 */
export class PlatformBuckets extends Construct {
  /** The buckets by name. */
  readonly buckets: Record<PlatformBucketName, SecureBucket>;
  /** The CMKs by bucket. */
  readonly keys: Record<PlatformBucketName, CustomerManagedKey>;
  /** The access-log bucket (primary region). */
  readonly accessLogBucket: SecureBucket;
  /** The DR replicas by source bucket; empty without replication. */
  readonly drBuckets: Partial<Record<PlatformBucketName, SecureBucket>>;
  /** The access-log bucket in the DR region, with `replicateToDrRegion` (for other DR-region buckets' logs). */
  readonly drAccessLogBucket?: SecureBucket;
  /** The replication role; undefined without replication. */
  readonly replicationRole?: IamRole;
  private cloudFrontDistributionArn?: string;

  constructor(scope: Construct, id: string, props: PlatformBucketsProps) {
    super(scope, id);
    const env = props.naming.environment;
    const path = `${env}.${BUCKETS_SECTION}`;
    validateLifecycle(`${path}.artifacts`, props.artifacts);
    validateLifecycle(`${path}.backups`, props.backups);
    validateLifecycle(`${path}.staticAssets`, props.staticAssets);
    if (!Number.isInteger(props.accessLogExpirationDays) || props.accessLogExpirationDays < 1) {
      throw new Error(`${path}.accessLogExpirationDays: ${props.accessLogExpirationDays} must be a whole number of days ≥ 1`);
    }
    const replicate = props.replicateToDrRegion ?? false;
    if (props.tier === "production" && !replicate) {
      throw new Error(`${path}.replicateToDrRegion: false; production replicates artifacts and backups to the DR region, set it true`);
    }
    if (replicate && !props.drProvider) {
      throw new Error(`${path}.replicateToDrRegion: true but the environment has no drRegion; set drRegion or turn replication off`);
    }

    const context = AwsContext.of(this);
    const name = (bucket: string) => accountScopedBucketName(this, props.naming.name(bucket), `${path}.${bucket}`);

    this.accessLogBucket = new SecureBucket(this, "access-logs", {
      bucketName: name("s3-access-logs"),
      encryption: "SSE-S3",
      lifecycle: { expirationDays: props.accessLogExpirationDays, noncurrentVersionExpirationDays: 1 },
      policyStatements: () => [s3LoggingStatement(context, this.accessLogBucket.bucketArn)],
    });
    exemptAccessLogBucket(this.accessLogBucket);

    const lifecycles: Record<PlatformBucketName, BucketLifecycle> = {
      artifacts: props.artifacts,
      backups: props.backups,
      "static-assets": props.staticAssets,
    };
    const cloudFrontArn = () => {
      if (!this.cloudFrontDistributionArn) {
        throw new Error(`${path}.staticAssets: no CloudFront distribution was allowed to read the bucket; call allowCloudFrontDistribution(arn)`);
      }
      return this.cloudFrontDistributionArn;
    };
    const lazyCloudFrontArn = Lazy.stringValue({ produce: cloudFrontArn });

    this.keys = {} as Record<PlatformBucketName, CustomerManagedKey>;
    this.buckets = {} as Record<PlatformBucketName, SecureBucket>;
    // The static assets' bucket and key (and their DR replicas) let the distribution read through OAC.
    const keyStatements = (bucket: PlatformBucketName): PolicyStatement[] =>
      bucket === STATIC_ASSETS_BUCKET
        ? [
            {
              Sid: "AllowCloudFrontOacDecrypt",
              Principal: { Service: CLOUDFRONT_SERVICE },
              Action: ["kms:Decrypt"],
              Resource: "*",
              Condition: { StringEquals: { "AWS:SourceArn": lazyCloudFrontArn } },
            },
          ]
        : [];
    const bucketStatements = (bucket: PlatformBucketName, self: () => SecureBucket) =>
      bucket === STATIC_ASSETS_BUCKET
        ? (): PolicyStatement[] => [
            {
              Sid: "AllowCloudFrontOacRead",
              Principal: { Service: CLOUDFRONT_SERVICE },
              Action: "s3:GetObject",
              Resource: `${self().bucketArn}/*`,
              Condition: { StringEquals: { "AWS:SourceArn": cloudFrontArn() } },
            },
          ]
        : undefined;
    for (const bucket of PLATFORM_BUCKETS) {
      this.keys[bucket] = new CustomerManagedKey(this, `${bucket}-key`, {
        naming: props.naming,
        purpose: `s3-${bucket}`,
        description: `S3 bucket ${props.naming.name(bucket)}: objects at rest`,
        additionalStatements: keyStatements(bucket),
      });
      const secure: SecureBucket = new SecureBucket(this, bucket, {
        bucketName: name(bucket),
        encryption: { kmsKeyArn: this.keys[bucket].keyArn },
        lifecycle: lifecycles[bucket],
        accessLogs: { bucketName: this.accessLogBucket.bucketName, prefix: `${bucket}/` },
        policyStatements: bucketStatements(bucket, () => secure),
        preventDestroy: bucket === "backups" && props.tier === "production",
      });
      this.buckets[bucket] = secure;
    }

    this.drBuckets = {};
    if (replicate && props.drProvider) {
      const dr = props.drProvider;
      const drContext = AwsContext.of(this, dr);
      const drLogs: SecureBucket = new SecureBucket(this, "dr-access-logs", {
        provider: dr,
        bucketName: name("s3-access-logs-dr"),
        encryption: "SSE-S3",
        lifecycle: { expirationDays: props.accessLogExpirationDays, noncurrentVersionExpirationDays: 1 },
        policyStatements: () => [s3LoggingStatement(drContext, drLogs.bucketArn)],
      });
      exemptAccessLogBucket(drLogs);
      this.drAccessLogBucket = drLogs;
      this.replicationRole = new IamRole(this, "replication-role", {
        name: props.naming.name("s3-replication"),
        description: `S3 replication of ${REPLICATED_BUCKETS.join(" and ")} to the DR region`,
        assumeRolePolicy: serviceAssumeRolePolicy("s3.amazonaws.com"),
      });
      const statements: PolicyStatement[] = [];
      for (const bucket of REPLICATED_BUCKETS) {
        const source = this.buckets[bucket];
        const drKey = new CustomerManagedKey(this, `${bucket}-dr-key`, {
          provider: dr,
          naming: props.naming,
          purpose: `s3-${bucket}-dr`,
          description: `S3 bucket ${props.naming.name(bucket)}-dr: replicated objects at rest in the DR region`,
          additionalStatements: keyStatements(bucket),
        });
        const replica: SecureBucket = new SecureBucket(this, `${bucket}-dr`, {
          provider: dr,
          bucketName: name(`${bucket}-dr`),
          encryption: { kmsKeyArn: drKey.keyArn },
          lifecycle: lifecycles[bucket],
          accessLogs: { bucketName: drLogs.bucketName, prefix: `${bucket}-dr/` },
          policyStatements: bucketStatements(bucket, () => replica),
        });
        this.drBuckets[bucket] = replica;
        statements.push(
          {
            Sid: `ReadSource${sid(bucket)}`,
            Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
            Resource: source.bucketArn,
          },
          {
            Sid: `ReadSourceVersions${sid(bucket)}`,
            Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
            Resource: `${source.bucketArn}/*`,
          },
          {
            Sid: `WriteReplica${sid(bucket)}`,
            Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
            Resource: `${replica.bucketArn}/*`,
          },
          { Sid: `DecryptSource${sid(bucket)}`, Action: ["kms:Decrypt"], Resource: this.keys[bucket].keyArn },
          { Sid: `EncryptReplica${sid(bucket)}`, Action: ["kms:Encrypt", "kms:GenerateDataKey"], Resource: drKey.keyArn },
        );
        new S3BucketReplicationConfigurationA(this, `${bucket}-replication`, {
          bucket: source.bucket.id,
          role: this.replicationRole.arn,
          rule: [
            {
              id: "to-dr-region",
              status: "Enabled",
              priority: 1,
              filter: { prefix: "" },
              deleteMarkerReplication: { status: "Enabled" },
              sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
              destination: {
                bucket: replica.bucketArn,
                storageClass: "STANDARD",
                encryptionConfiguration: { replicaKmsKeyId: drKey.keyArn },
              },
            },
          ],
          dependsOn: [source.versioning, replica.versioning],
        });
      }
      new IamRolePolicy(this, "replication-policy", {
        name: props.naming.name("s3-replication"),
        role: this.replicationRole.name,
        policy: policyDocument(statements),
      });
    }
  }

  /** Lets one CloudFront distribution read static assets through OAC (bucket policy and key policy). */
  allowCloudFrontDistribution(distributionArn: string): void {
    this.cloudFrontDistributionArn = distributionArn;
  }

  /** The static-assets bucket's regional domain name, CloudFront's `/static/*` origin. */
  get staticAssetsDomainName(): string {
    return this.buckets[STATIC_ASSETS_BUCKET].regionalDomainName;
  }

  /** The static assets' DR replica's regional domain name (the `/static/*` failover origin); undefined without replication. */
  get staticAssetsReplicaDomainName(): string | undefined {
    return this.drBuckets[STATIC_ASSETS_BUCKET]?.regionalDomainName;
  }
}

function sid(bucket: string): string {
  return bucket.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase());
}

/** Lets S3 server access logging of this account write into the log bucket. */
export function s3LoggingStatement(context: AwsContext, logBucketArn: string): PolicyStatement {
  return {
    Sid: "AllowS3ServerAccessLogs",
    Principal: { Service: S3_LOGGING_SERVICE },
    Action: "s3:PutObject",
    Resource: `${logBucketArn}/*`,
    Condition: { StringEquals: { "aws:SourceAccount": context.accountId } },
  };
}

/** The two guardrails an S3 access-log bucket is, by design, an exception to (with the reasons). */
export function exemptAccessLogBucket(bucket: Construct): void {
  Guardrails.suppress(bucket, "AIVO-S3-ENCRYPTION", "S3 server access logging delivers only into buckets encrypted with SSE-S3, not SSE-KMS");
  Guardrails.suppress(bucket, "AIVO-S3-ACCESS-LOGGING", "the access-log bucket itself: logging it would need yet another bucket");
}
