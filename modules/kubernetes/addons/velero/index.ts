import { ITerraformDependable, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { HelmAddOn, HelmValues } from "../../helm-addon";
import { policyDocument, serviceAssumeRolePolicy } from "../../../shared/iam";
import { ServiceAccountRole } from "../../../aws/compute/irsa-role";
import { CustomerManagedKey, KMS_DATA_KEY_ACTIONS } from "../../../shared/kms";
import { HELM_CHARTS } from "../../platform";
import { Naming } from "../../../shared/naming";
import { NONCURRENT_VERSION_DAYS, SecureBucket, accountScopedBucketName } from "../../../aws/data/secure-bucket";

/** "Kubernetes: Velero backups every 6 hours" (the platform document), at minute 0 UTC. */
/** The uid and gid Velero's containers run as (numeric, so the kubelet can enforce `runAsNonRoot`). */
export const VELERO_UID = 65532;
/** Every Velero container's security context (server, AWS plugin, CRD upgrade Job). */
export const VELERO_CONTAINER_SECURITY_CONTEXT = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true } as const;

export const VELERO_SCHEDULE_EVERY_6_HOURS = "0 */6 * * *";
/** The key of the schedule in the chart's `schedules` values. */
export const VELERO_SCHEDULE_NAME = "every-6-hours";
/**
 * The Schedule object the chart renders, `<release fullname>-<key>`: the `schedule` label of Velero's
 * metrics and the prefix of its backups' names (`velero-every-6-hours-<yyyyMMddHHmmss>`).
 */
export const VELERO_SCHEDULE_FULL_NAME = `${HELM_CHARTS.velero.name}-${VELERO_SCHEDULE_NAME}`;
/** The name of the chart-rendered BackupStorageLocation and VolumeSnapshotLocation. */
export const VELERO_LOCATION_NAME = "default";
/** The service account of the Velero server, the only one its role trusts. */
export const VELERO_SERVICE_ACCOUNT = "velero";
/** The AWS object-store and volume-snapshotter plugin, the release its compatibility table lists for Velero 1.18. */
export const VELERO_AWS_PLUGIN_IMAGE = "velero/velero-plugin-for-aws:v1.14.2";
/** The EC2 actions Velero's AWS plugin uses to snapshot EBS volumes and restore them (plugin README). */
export const VELERO_EC2_ACTIONS: readonly string[] = [
  "ec2:DescribeVolumes",
  "ec2:DescribeSnapshots",
  "ec2:CreateTags",
  "ec2:CreateVolume",
  "ec2:CreateSnapshot",
  "ec2:DeleteSnapshot",
];
/** Days Velero keeps nothing beyond the lifecycle: objects older than TTL + this margin are expired by S3. */
const LIFECYCLE_MARGIN_DAYS = 7;

/** A standard 5-field cron expression (minute hour day-of-month month day-of-week). */
const CRON_FIELD = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/;
const CRON_RANGES: readonly [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];

/** Throws `<path>: "<value>" …` unless `cron` is a 5-field cron expression with values in range. */
export function assertCron(path: string, cron: string): void {
  const fields = typeof cron === "string" ? cron.trim().split(/\s+/) : [];
  const bad = (why: string) => new Error(`${path}: "${cron}" is not a cron expression (${why}); use 5 fields, e.g. "${VELERO_SCHEDULE_EVERY_6_HOURS}"`);
  if (fields.length !== 5) throw bad(`${fields.length} fields`);
  fields.forEach((field, i) => {
    if (!CRON_FIELD.test(field)) throw bad(`field ${i + 1} "${field}"`);
    const [min, max] = CRON_RANGES[i];
    for (const n of field.match(/\d+/g) ?? []) {
      const isStep = field.includes(`/${n}`);
      if (!isStep && (Number(n) < min || Number(n) > max)) throw bad(`field ${i + 1}: ${n} outside ${min}-${max}`);
    }
  });
}

/** Per-environment Velero settings (the environment config's `clusterBackups`). */
export interface VeleroSettings {
  /** Days each scheduled backup is kept (the Schedule's TTL), 1-365. */
  readonly ttlDays: number;
  /** When the backup runs, a 5-field cron expression (UTC). @default VELERO_SCHEDULE_EVERY_6_HOURS */
  readonly schedule?: string;
  /** Replicate the backup bucket to the DR region (needs the `drProvider` prop). @default false */
  readonly replicateToDr?: boolean;
}

/** Throws `<where>.<field>: …` for a bad TTL, a malformed schedule or replication without a DR region. */
export function validateVeleroSettings(where: string, settings: VeleroSettings, hasDrRegion: boolean): void {
  if (!settings) throw new Error(`${where}: missing; give at least ttlDays`);
  if (!Number.isInteger(settings.ttlDays) || settings.ttlDays < 1 || settings.ttlDays > 365) {
    throw new Error(`${where}.ttlDays: ${settings.ttlDays} is not a whole number of days between 1 and 365`);
  }
  assertCron(`${where}.schedule`, settings.schedule ?? VELERO_SCHEDULE_EVERY_6_HOURS);
  if (settings.replicateToDr && !hasDrRegion) {
    throw new Error(`${where}.replicateToDr: true, but the environment has no drRegion; set drRegion or turn replication off`);
  }
}

export interface VeleroProps extends VeleroSettings {
  /** The log bucket the backup bucket sends its S3 server access logs to (same region). */
  readonly accessLogBucketName: string;
  /** The log bucket in the DR region, for the replica bucket's access logs (with replication). */
  readonly drAccessLogBucketName?: string;
  /** Where the settings live, e.g. `production.clusterBackups`. */
  readonly where: string;
  /** Names the bucket (`aivo-<env>-velero`), role and keys. */
  readonly naming: Naming;
  /** The cluster's region (backups, snapshots). */
  readonly region: string;
  /** The cluster's IAM OIDC provider ARN. */
  readonly oidcProviderArn: string;
  /** The OIDC issuer without `https://`. */
  readonly oidcIssuerUrl: string;
  /** The CMK of the cluster's EBS volumes: snapshots keep it, restores create volumes with it. */
  readonly ebsKmsKeyArn: string;
  /** The AWS provider of the DR region; required with `replicateToDr`. @default none */
  readonly drProvider?: TerraformProvider;
  /** Delete the bucket with its objects on destroy (environments torn down at will). @default false */
  readonly forceDestroy?: boolean;
  /** What must exist first (the velero namespace, the ServiceMonitor CRD). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Velero backing up the cluster's objects to a versioned, CMK-encrypted, TLS-only S3 bucket and its
 * EBS volumes as snapshots (which keep the volumes' EBS key), on a schedule rendered by the chart
 * (no CRD needed at plan time), through an IRSA role limited to the bucket, the key, and EC2
 * snapshot actions in the region. With `replicateToDr`, the bucket replicates to a bucket with its
 * own CMK in the DR region.
 */
export class Velero extends Construct {
  /** The CMK of the backup bucket. */
  readonly key: CustomerManagedKey;
  /** `aivo-<env>-velero`: the backup storage location. */
  readonly bucket: SecureBucket;
  /** Velero's IRSA role (`velero/velero`). */
  readonly role: ServiceAccountRole;
  /** The Helm release (schedule and locations in its values). */
  readonly addOn: HelmAddOn;
  /** `aivo-<env>-velero-replica` in the DR region, with `replicateToDr`. */
  readonly replicaBucket?: SecureBucket;
  /** The replica bucket's own CMK in the DR region, with `replicateToDr`. */
  readonly replicaKey?: CustomerManagedKey;
  /** The role S3 replication assumes, with `replicateToDr`. */
  readonly replicationRole?: IamRole;

  constructor(scope: Construct, id: string, props: VeleroProps) {
    super(scope, id);
    const { where, naming } = props;
    validateVeleroSettings(where, props, props.drProvider !== undefined);
    const schedule = props.schedule ?? VELERO_SCHEDULE_EVERY_6_HOURS;
    const expirationDays = props.ttlDays + LIFECYCLE_MARGIN_DAYS;

    this.key = new CustomerManagedKey(this, "key", { naming, purpose: "velero", description: `Velero backups of ${naming.prefix}` });
    this.bucket = new SecureBucket(this, "bucket", {
      where: `${where}.bucket`,
      bucketName: accountScopedBucketName(this, naming.name("velero"), `${where}.bucket`),
      encryption: { kmsKeyArn: this.key.keyArn },
      lifecycle: { expirationDays, noncurrentVersionExpirationDays: NONCURRENT_VERSION_DAYS },
      forceDestroy: props.forceDestroy,
      accessLogs: { bucketName: props.accessLogBucketName, prefix: `${naming.name("velero")}/` },
    });

    this.role = new ServiceAccountRole(this, "role", {
      naming,
      name: "velero",
      description: `Velero in ${naming.prefix}: its backup bucket and key, EBS snapshots in ${props.region}`,
      oidcProviderArn: props.oidcProviderArn,
      oidcIssuerUrl: props.oidcIssuerUrl,
      namespace: HELM_CHARTS.velero.namespace,
      serviceAccount: VELERO_SERVICE_ACCOUNT,
      statements: [
        { Sid: "ListBackupBucket", Action: ["s3:ListBucket"], Resource: this.bucket.bucketArn },
        {
          Sid: "ReadWriteBackups",
          Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
          Resource: `${this.bucket.bucketArn}/*`,
        },
        { Sid: "UseBackupKey", Action: [...KMS_DATA_KEY_ACTIONS], Resource: this.key.keyArn },
        {
          Sid: "SnapshotVolumesInRegion",
          Action: [...VELERO_EC2_ACTIONS],
          Resource: "*",
          Condition: { StringEquals: { "aws:RequestedRegion": props.region } },
        },
        {
          // Snapshots and restored volumes are encrypted with the EBS key; EBS asks for grants.
          Sid: "UseEbsKeyThroughEc2",
          Action: ["kms:Decrypt", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncrypt*", "kms:DescribeKey", "kms:CreateGrant"],
          Resource: props.ebsKmsKeyArn,
          Condition: { StringEquals: { "kms:ViaService": `ec2.${props.region}.amazonaws.com` } },
        },
      ],
    });

    if (props.replicateToDr && props.drProvider) {
      const dr = props.drProvider;
      this.replicaKey = new CustomerManagedKey(this, "replica-key", {
        naming,
        purpose: "velero-replica",
        description: `Replicas of the Velero backups of ${naming.prefix}`,
        provider: dr,
      });
      this.replicaBucket = new SecureBucket(this, "replica-bucket", {
        where: `${where}.replicaBucket`,
        bucketName: accountScopedBucketName(this, naming.name("velero", "replica"), `${where}.replica`),
        encryption: { kmsKeyArn: this.replicaKey.keyArn },
        lifecycle: { expirationDays, noncurrentVersionExpirationDays: NONCURRENT_VERSION_DAYS },
        provider: dr,
        ...(props.drAccessLogBucketName
          ? { accessLogs: { bucketName: props.drAccessLogBucketName, prefix: `${naming.name("velero", "replica")}/` } }
          : {}),
      });
      this.replicationRole = new IamRole(this, "replication-role", {
        name: naming.name("velero", "replication"),
        description: `S3 replication of ${naming.name("velero")} to the DR region`,
        assumeRolePolicy: serviceAssumeRolePolicy("s3.amazonaws.com"),
      });
      new IamRolePolicy(this, "replication-policy", {
        name: naming.name("velero", "replication"),
        role: this.replicationRole.name,
        policy: policyDocument([
          { Sid: "ReadSourceConfiguration", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: this.bucket.bucketArn },
          {
            Sid: "ReadSourceVersions",
            Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
            Resource: `${this.bucket.bucketArn}/*`,
          },
          {
            Sid: "WriteReplicas",
            Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
            Resource: `${this.replicaBucket.bucketArn}/*`,
          },
          { Sid: "DecryptSource", Action: ["kms:Decrypt"], Resource: this.key.keyArn },
          { Sid: "EncryptReplica", Action: ["kms:Encrypt", "kms:GenerateDataKey"], Resource: this.replicaKey.keyArn },
        ]),
      });
      new S3BucketReplicationConfigurationA(this, "replication", {
        bucket: this.bucket.bucket.id,
        role: this.replicationRole.arn,
        rule: [
          {
            id: "to-dr-region",
            status: "Enabled",
            filter: { prefix: "" },
            deleteMarkerReplication: { status: "Enabled" },
            sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
            destination: {
              bucket: this.replicaBucket.bucketArn,
              storageClass: "STANDARD_IA",
              encryptionConfiguration: { replicaKmsKeyId: this.replicaKey.keyArn },
            },
          },
        ],
        // Replication needs versioning on both sides first.
        dependsOn: [this.bucket.versioning, this.replicaBucket.versioning],
      });
    }

    // Pod Security "restricted" (the velero namespace): a numeric non-root uid (the images' user is a
    // name the kubelet cannot check), RuntimeDefault seccomp, no escalation, no capabilities.
    const containerSecurityContext = { ...VELERO_CONTAINER_SECURITY_CONTEXT, capabilities: { drop: ["ALL"] } };
    const values: HelmValues = {
      podSecurityContext: { runAsNonRoot: true, runAsUser: VELERO_UID, runAsGroup: VELERO_UID, fsGroup: VELERO_UID, seccompProfile: { type: "RuntimeDefault" } },
      containerSecurityContext,
      kubectl: { containerSecurityContext },
      initContainers: [
        {
          name: "velero-plugin-for-aws",
          image: VELERO_AWS_PLUGIN_IMAGE,
          imagePullPolicy: "IfNotPresent",
          securityContext: containerSecurityContext,
          volumeMounts: [{ mountPath: "/target", name: "plugins" }],
        },
      ],
      // IRSA, no static credentials.
      credentials: { useSecret: false },
      serviceAccount: { server: { create: true, name: VELERO_SERVICE_ACCOUNT, annotations: { "eks.amazonaws.com/role-arn": this.role.roleArn } } },
      snapshotsEnabled: true,
      deployNodeAgent: false,
      configuration: {
        backupStorageLocation: [
          {
            name: VELERO_LOCATION_NAME,
            provider: "aws",
            bucket: this.bucket.bucketName,
            default: true,
            config: { region: props.region, kmsKeyId: this.key.keyArn },
          },
        ],
        // EBS snapshots keep the source volume's key (the EBS CMK); the plugin takes no key here.
        volumeSnapshotLocation: [{ name: VELERO_LOCATION_NAME, provider: "aws", config: { region: props.region } }],
      },
      schedules: {
        [VELERO_SCHEDULE_NAME]: {
          disabled: false,
          schedule,
          useOwnerReferencesInBackup: false,
          template: {
            ttl: `${props.ttlDays * 24}h0m0s`,
            includedNamespaces: ["*"],
            storageLocation: VELERO_LOCATION_NAME,
            volumeSnapshotLocations: [VELERO_LOCATION_NAME],
            snapshotVolumes: true,
          },
        },
      },
      metrics: { enabled: true, serviceMonitor: { enabled: true } },
    };
    this.addOn = new HelmAddOn(this, "release", { where, chart: HELM_CHARTS.velero, pods: [{ name: "server", replicas: 1 }], defaultValues: values, dependsOn: props.dependsOn });
  }
}
