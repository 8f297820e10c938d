import { ITerraformDependable, TerraformProvider } from "cdktf";
import { assertIntegerInRange } from "../../data/datastore-common";
import { Construct } from "constructs";
import { ConfigConfigurationRecorder } from "@cdktf/provider-aws/lib/config-configuration-recorder";
import { ConfigConfigurationRecorderStatus } from "@cdktf/provider-aws/lib/config-configuration-recorder-status";
import { ConfigConformancePack } from "@cdktf/provider-aws/lib/config-conformance-pack";
import { ConfigDeliveryChannel } from "@cdktf/provider-aws/lib/config-delivery-channel";
import { ConfigRetentionConfiguration } from "@cdktf/provider-aws/lib/config-retention-configuration";
import { AwsContext } from "../../../shared/aws-context";
import { PolicyStatement } from "../../../shared/iam";
import { CustomerManagedKey } from "../../../shared/kms";
import { Naming } from "../../../shared/naming";
import { SecureBucket } from "../../data/secure-bucket";
import { CONFORMANCE_PACKS, ConformancePackName, conformancePackTemplate } from "./packs";

export { CONFORMANCE_PACKS, conformancePackTemplate } from "./packs";
export type { ConformancePackName } from "./packs";

/** The AWS Config service principal. */
export const CONFIG_SERVICE = "config.amazonaws.com";
/** The key prefix every recorder delivers under (`config/AWSLogs/<account>/Config/<region>/…`). */
export const CONFIG_KEY_PREFIX = "config";

/** The account's `config` settings (environments/account.ts). */
export interface ConfigRecorderSettings {
  /**
   * Days AWS Config keeps configuration items (the retention configuration), 30-2557.
   * @default 2557 (7 years, the CloudTrail bucket's retention)
   */
  readonly retentionDays?: number;
  /** Days a delivered snapshot or history file stays in S3 before it expires. @default 2557 */
  readonly objectRetentionDays?: number;
  /** The AWS-published conformance packs deployed. @default every one of CONFORMANCE_PACKS */
  readonly conformancePacks?: readonly ConformancePackName[];
  /** How often a configuration snapshot is delivered. @default "TwentyFour_Hours" */
  readonly snapshotFrequency?: "One_Hour" | "Three_Hours" | "Six_Hours" | "Twelve_Hours" | "TwentyFour_Hours";
}

export interface ConfigRecorderProps extends ConfigRecorderSettings {
  /** Names the bucket, key and recorder (`aivo-account-config…`). */
  readonly naming: Naming;
  /** ARN of the `AWSServiceRoleForConfig` service-linked role the recorder records with. */
  readonly serviceLinkedRoleArn: string;
  /** The bucket that receives the delivery bucket's server access logs. */
  readonly accessLogBucketName: string;
  /**
   * Record global resource types (IAM users, roles, policies …) here. Exactly one region of the
   * account records them; the account stack's region does. @default true
   */
  readonly recordGlobalResourceTypes?: boolean;
}

/**
 * AWS Config for the account's region: a recorder of every supported resource type (global types
 * here only), a delivery channel into a CMK-encrypted, versioned, TLS-only, access-logged bucket, a
 * retention configuration, and the conformance packs AWS publishes for HIPAA Security and PCI DSS
 * (./packs: carried as rule manifests with their source). Security Hub's controls evaluate through
 * the recorder, so it is enabled before Security Hub.
 */
export class ConfigRecorder extends Construct {
  readonly recorder: ConfigConfigurationRecorder;
  /** The recorder's status (on): what depends on recording waits for this. */
  readonly status: ConfigConfigurationRecorderStatus;
  readonly deliveryChannel: ConfigDeliveryChannel;
  readonly bucket: SecureBucket;
  readonly key: CustomerManagedKey;
  /** Where every region's recorder delivers (this bucket, its key). */
  readonly delivery: ConfigDelivery;
  /** The conformance packs by name. */
  readonly conformancePacks: Readonly<Partial<Record<ConformancePackName, ConfigConformancePack>>>;

  constructor(scope: Construct, id: string, props: ConfigRecorderProps) {
    super(scope, id);
    const { naming } = props;
    const path = `${naming.environment}.config`;
    const retention = props.retentionDays ?? 2557;
    assertIntegerInRange(`${path}.retentionDays`, retention, 30, 2557, "days, the range AWS Config keeps configuration items");
    const objectRetention = props.objectRetentionDays ?? 2557;
    if (!Number.isInteger(objectRetention) || objectRetention < retention) {
      throw new Error(`${path}.objectRetentionDays: ${objectRetention} must be a whole number of days ≥ retentionDays (${retention}), or S3 drops history Config still reports`);
    }
    const packs = props.conformancePacks ?? (Object.keys(CONFORMANCE_PACKS) as ConformancePackName[]);
    packs.forEach((pack, i) => {
      if (!(pack in CONFORMANCE_PACKS)) throw new Error(`${path}.conformancePacks[${i}]: "${pack}" is not a carried pack; use ${Object.keys(CONFORMANCE_PACKS).join(", ")}`);
    });
    const context = AwsContext.of(this);

    this.key = new CustomerManagedKey(this, "key", {
      naming,
      purpose: "config",
      description: `Encrypts the AWS Config snapshots and history of ${naming.prefix}`,
      serviceGrants: [CustomerManagedKey.serviceGrant(context, CONFIG_SERVICE, ["kms:Decrypt", "kms:GenerateDataKey"])],
    });
    const prefix = CONFIG_KEY_PREFIX;
    const bucket: SecureBucket = new SecureBucket(this, "bucket", {
      where: `${path}.bucket`,
      bucketName: `${naming.name("config")}-${context.accountId}`,
      encryption: { kmsKeyArn: this.key.keyArn },
      lifecycle: { transitions: [{ days: 90, storageClass: "GLACIER" }], expirationDays: objectRetention, noncurrentVersionExpirationDays: 30 },
      accessLogs: { bucketName: props.accessLogBucketName, prefix: `${naming.name("config")}/` },
      preventDestroy: true,
      policyStatements: (): PolicyStatement[] => {
        const sourceAccount = { "aws:SourceAccount": context.accountId };
        return [
          { Sid: "AllowConfigAclCheck", Principal: { Service: CONFIG_SERVICE }, Action: ["s3:GetBucketAcl", "s3:ListBucket"], Resource: bucket.bucketArn, Condition: { StringEquals: sourceAccount } },
          {
            Sid: "AllowConfigDelivery",
            Principal: { Service: CONFIG_SERVICE },
            Action: "s3:PutObject",
            Resource: `${bucket.bucketArn}/${prefix}/AWSLogs/${context.accountId}/Config/*`,
            Condition: { StringEquals: { ...sourceAccount, "s3:x-amz-acl": "bucket-owner-full-control" } },
          },
        ];
      },
    });
    this.bucket = bucket;

    this.delivery = { bucketName: bucket.bucketName, kmsKeyArn: this.key.keyArn, bucketPolicy: bucket.policy };
    ({ recorder: this.recorder, deliveryChannel: this.deliveryChannel, status: this.status } = record(this, {
      ...props,
      retentionDays: retention,
      delivery: this.delivery,
      recordGlobalResourceTypes: props.recordGlobalResourceTypes ?? true,
    }));

    const conformancePacks: Partial<Record<ConformancePackName, ConfigConformancePack>> = {};
    for (const pack of packs) {
      conformancePacks[pack] = new ConfigConformancePack(this, `pack-${pack}`, {
        name: naming.name(pack),
        templateBody: conformancePackTemplate(pack),
        dependsOn: [this.status],
      });
    }
    this.conformancePacks = conformancePacks;
  }
}

/** A recorder's destination: the account's Config bucket and its key (the key must be in the bucket's region). */
export interface ConfigDelivery {
  readonly bucketName: string;
  readonly kmsKeyArn: string;
  /** The bucket's policy, which must let Config write before a channel is created. */
  readonly bucketPolicy: ITerraformDependable;
}

interface RecordProps extends ConfigRecorderSettings {
  readonly naming: Naming;
  readonly serviceLinkedRoleArn: string;
  readonly delivery: ConfigDelivery;
  readonly recordGlobalResourceTypes: boolean;
  readonly provider?: TerraformProvider;
}

/** A recorder of every supported type, its delivery channel, its status (on) and the retention configuration. */
function record(scope: Construct, props: RecordProps) {
  const { naming, provider } = props;
  const recorder = new ConfigConfigurationRecorder(scope, "recorder", {
    provider,
    name: naming.name("config"),
    roleArn: props.serviceLinkedRoleArn,
    recordingGroup: { allSupported: true, includeGlobalResourceTypes: props.recordGlobalResourceTypes },
    recordingMode: { recordingFrequency: "CONTINUOUS" },
  });
  const deliveryChannel = new ConfigDeliveryChannel(scope, "delivery-channel", {
    provider,
    name: naming.name("config"),
    s3BucketName: props.delivery.bucketName,
    s3KeyPrefix: CONFIG_KEY_PREFIX,
    s3KmsKeyArn: props.delivery.kmsKeyArn,
    snapshotDeliveryProperties: { deliveryFrequency: props.snapshotFrequency ?? "TwentyFour_Hours" },
    dependsOn: [recorder, props.delivery.bucketPolicy],
  });
  const status = new ConfigConfigurationRecorderStatus(scope, "status", { provider, name: recorder.name, isEnabled: true, dependsOn: [deliveryChannel] });
  new ConfigRetentionConfiguration(scope, "retention", { provider, retentionPeriodInDays: props.retentionDays ?? 2557 });
  return { recorder, deliveryChannel, status };
}

export interface RegionalConfigRecorderProps {
  /** Names the recorder and channel (`aivo-account-config`). */
  readonly naming: Naming;
  /** The provider of the region recorded. */
  readonly provider: TerraformProvider;
  /** ARN of `AWSServiceRoleForConfig`. */
  readonly serviceLinkedRoleArn: string;
  /** The primary recorder's destination (`ConfigRecorder.delivery`). */
  readonly delivery: ConfigDelivery;
  /** The account's `config` settings (retention, snapshot frequency). */
  readonly settings?: ConfigRecorderSettings;
}

/**
 * AWS Config in a further region the environments use (their DR region): every supported type but
 * the global ones (recorded once, by the primary `ConfigRecorder`), delivered into the primary's
 * bucket with its key. The conformance packs run in the primary region only.
 */
export class RegionalConfigRecorder extends Construct {
  readonly recorder: ConfigConfigurationRecorder;
  readonly status: ConfigConfigurationRecorderStatus;

  constructor(scope: Construct, id: string, props: RegionalConfigRecorderProps) {
    super(scope, id);
    ({ recorder: this.recorder, status: this.status } = record(this, { ...props.settings, ...props, recordGlobalResourceTypes: false }));
  }
}
