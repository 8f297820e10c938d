import { Construct } from "constructs";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { MskCluster } from "@cdktf/provider-aws/lib/msk-cluster";
import { MskConfiguration } from "@cdktf/provider-aws/lib/msk-configuration";
import { AwsContext } from "../../../shared/aws-context";
import { EncryptedLogGroups } from "../../observability/log-group";
import { DataStoreWiring, assertAlarmTopics, assertIntegerInRange, metricAlarm } from "../datastore-common";
import { ServiceAccountRole } from "../../compute/irsa-role";
import { KAFKA_COMPONENT } from "./client-access";
import { CustomerManagedKey } from "../../../shared/kms";
import { assertLogRetentionDays } from "../../../shared/log-retention";
import { ServiceSecurityGroup } from "../../network/service-security-group";
import { KafkaTopic, validateTopics } from "./topics";
import { TOPICS_JOB_SERVICE_ACCOUNT } from "./topics-job";

export * from "./topics";
export * from "./topics-job";
export * from "./client-access";

/** The environment config section this module reads: `<env>.kafka`. */
export const KAFKA_SECTION = "kafka";
/** The port of IAM-authenticated TLS clients inside the VPC; the only port the security group opens. */
export const MSK_IAM_PORT = 9098;
/** MSK's recommended Apache Kafka line (supported versions, MSK developer guide); `.x` takes the latest patch. */
export const DEFAULT_KAFKA_VERSION = "3.8.x";
/** The scalable dimension of MSK broker storage in Application Auto Scaling. */
export const MSK_STORAGE_DIMENSION = "kafka:broker-storage:VolumeSize";
/** The Kubernetes namespace the topics Job runs in (its IRSA role trusts `<namespace>:kafka-topics`). */
export const DEFAULT_TOPICS_JOB_NAMESPACE = "platform-kafka";

/** Per-environment Kafka settings (`<env>.kafka`). */
export interface KafkaSettings {
  /** Create the MSK cluster; only development may turn it off. @default true */
  readonly enabled?: boolean;
  /** Apache Kafka version MSK runs. @default "3.8.x" */
  readonly kafkaVersion?: string;
  /** Broker instance type, e.g. `kafka.t3.small`, `kafka.m7g.large`. */
  readonly brokerInstanceType: string;
  /** Brokers, a multiple of the private subnets (one per AZ). @default 3 */
  readonly brokers?: number;
  /** EBS storage per broker at creation, GiB (1-16384). */
  readonly volumeSizeGib: number;
  /** The most storage autoscaling may grow a broker to, GiB. */
  readonly maxVolumeSizeGib: number;
  /** Disk use (%) storage autoscaling keeps each broker under. @default 60 */
  readonly storageTargetUtilizationPercent?: number;
  /** `default.replication.factor`. @default 3 */
  readonly defaultReplicationFactor?: number;
  /** `min.insync.replicas`, below every topic's replication factor. @default 2 */
  readonly minInsyncReplicas?: number;
  /** The topics the topics Job applies, by name. */
  readonly topics: Readonly<Record<string, KafkaTopic>>;
  /** Namespace of the topics Job. @default "platform-kafka" */
  readonly topicsJobNamespace?: string;
  /**
   * The topics Job's image (no default: no public image carries both the Kafka CLI and the
   * aws-msk-iam-auth jar): a registry host, a repository, and a pinned version tag (not `latest`) or
   * `@sha256:` digest, e.g. `ghcr.io/aivo-platform/kafka-admin:3.8.1-msk-iam-2.3.2`. The image has
   * the Kafka CLI under `/opt/kafka/bin`, the aws-msk-iam-auth jar in `/opt/kafka/libs` and runs as uid
   * 1000 (see README, "Kafka topics"). Required wherever Kafka is on.
   */
  readonly topicsJobImage?: string;
  /** Disk use (%) per broker above which the alarm fires. @default 85 */
  readonly diskAlarmThresholdPercent?: number;
}

export interface KafkaClusterProps extends KafkaSettings, DataStoreWiring {
  /** Production needs ≥ 3 brokers. */
  readonly tier: "development" | "staging" | "production";
  /** Private subnets, one per AZ (client ENIs of the brokers). */
  readonly privateSubnetIds: readonly string[];
  /** The EKS cluster's IRSA wiring, for the topics Job's role. */
  readonly cluster: { readonly oidcProviderArn: string; readonly oidcIssuerUrl: string };
}

/** The broker settings the module fixes, beyond the replication settings. */
export function serverProperties(replicationFactor: number, minInsyncReplicas: number): string {
  return [
    `default.replication.factor=${replicationFactor}`,
    `min.insync.replicas=${minInsyncReplicas}`,
    "auto.create.topics.enable=false",
    "unclean.leader.election.enable=false",
    "",
  ].join("\n");
}

/** Checks the settings; throws `<env>.kafka.<field>: …`. */
export function validateKafka(env: string, tier: string, s: KafkaSettings, subnetCount: number): void {
  const at = (f: string) => `${env}.${KAFKA_SECTION}.${f}`;
  if (s.enabled === false && tier !== "development") {
    throw new Error(`${at("enabled")}: false; only development may turn Kafka off (${tier} keeps it)`);
  }
  const brokers = s.brokers ?? 3;
  if (!Number.isInteger(brokers) || brokers < 1 || brokers % subnetCount !== 0) {
    throw new Error(`${at("brokers")}: ${brokers} must be a multiple of the ${subnetCount} private subnets (MSK spreads brokers evenly over them)`);
  }
  if (tier === "production" && brokers < 3) throw new Error(`${at("brokers")}: ${brokers}; production runs at least 3 brokers`);
  if (!/^kafka\.[a-z0-9]+\.[a-z0-9]+$/.test(s.brokerInstanceType)) {
    throw new Error(`${at("brokerInstanceType")}: "${s.brokerInstanceType}" is not an MSK broker type; use e.g. kafka.m7g.large`);
  }
  if (!/^\d+\.\d+\.(\d+|x)$/.test(s.kafkaVersion ?? DEFAULT_KAFKA_VERSION)) {
    throw new Error(`${at("kafkaVersion")}: "${s.kafkaVersion}" is not a Kafka version like 3.8.x`);
  }
  assertIntegerInRange(at("volumeSizeGib"), s.volumeSizeGib, 1, 16384, "MSK broker storage is 1-16384 GiB");
  assertIntegerInRange(at("maxVolumeSizeGib"), s.maxVolumeSizeGib, s.volumeSizeGib + 1, 16384, "above volumeSizeGib and at most 16384");
  assertIntegerInRange(at("storageTargetUtilizationPercent"), s.storageTargetUtilizationPercent ?? 60, 10, 80, "a target MSK accepts");
  assertIntegerInRange(at("diskAlarmThresholdPercent"), s.diskAlarmThresholdPercent ?? 85, 1, 100, "a percentage");
  const rf = s.defaultReplicationFactor ?? 3;
  const isr = s.minInsyncReplicas ?? 2;
  if (!Number.isInteger(rf) || rf < 1 || rf > brokers) {
    throw new Error(`${at("defaultReplicationFactor")}: ${rf} must be 1..${brokers}, the number of brokers`);
  }
  if (!Number.isInteger(isr) || isr < 1 || isr >= rf) {
    throw new Error(`${at("minInsyncReplicas")}: ${isr} must be ≥ 1 and below the replication factor (${rf}), or one broker down stops every write`);
  }
  validateTopics(at("topics"), s.topics, brokers, isr);
}

/** `host[:port]/repository[:tag][@sha256:digest]`, the host having a dot (a registry, not a Docker Hub user). */
const IMAGE_REFERENCE = /^(?<host>[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?)\/(?<repository>[a-z0-9]+([._/-][a-z0-9]+)*)(:(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?<digest>@sha256:[a-f0-9]{64})?$/;

/** Throws `<path>: …` unless `image` is a registry image pinned by a version tag or a digest. */
export function validateTopicsJobImage(path: string, image: string | undefined): void {
  if (image === undefined || image === "") {
    throw new Error(`${path}: missing; give the image of the topics Job (Kafka CLI + aws-msk-iam-auth), pinned, e.g. ghcr.io/aivo-platform/kafka-admin:3.8.1-msk-iam-2.3.2`);
  }
  const m = IMAGE_REFERENCE.exec(image);
  if (!m) throw new Error(`${path}: "${image}" is not an image reference with a registry host, like ghcr.io/aivo-platform/kafka-admin:3.8.1-msk-iam-2.3.2`);
  const { tag, digest } = m.groups!;
  if (!digest && (!tag || tag === "latest")) {
    throw new Error(`${path}: "${image}" is not pinned; give a version tag (not latest) or an @sha256: digest, so the Job runs what was reviewed`);
  }
}

/**
 * An MSK provisioned cluster: brokers across the private subnets, TLS between clients and brokers and
 * within the cluster, IAM client authentication only (port 9098), encryption at rest with a CMK, the
 * replication and topic-safety broker settings, storage autoscaling (Application Auto Scaling, scale-out
 * only), broker logs to a CMK log group, a security group admitting 9098 from the nodes only, alarms to
 * the given topics, and the IRSA role of the topics Job (create/alter topics, never delete).
 */
export class KafkaCluster extends Construct {
  readonly cluster: MskCluster;
  readonly clusterArn: string;
  readonly clusterName: string;
  /** `b-1….:9098,…`, the IAM/TLS bootstrap brokers. */
  readonly bootstrapBrokersIam: string;
  readonly securityGroupId: string;
  readonly kmsKeyArn: string;
  readonly brokers: number;
  readonly minInsyncReplicas: number;
  /** The role of the topics Job's service account. */
  readonly topicsJobRoleArn: string;
  readonly topicsJobNamespace: string;
  readonly alarms: readonly CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: KafkaClusterProps) {
    super(scope, id);
    const env = props.naming.environment;
    validateKafka(env, props.tier, props, props.privateSubnetIds.length);
    assertLogRetentionDays(`${env}.logRetentionDays`, props.logRetentionDays);
    assertAlarmTopics(`${env}.${KAFKA_SECTION}.alarmTopicArns`, props.alarmTopicArns);
    this.brokers = props.brokers ?? 3;
    this.minInsyncReplicas = props.minInsyncReplicas ?? 2;
    const replicationFactor = props.defaultReplicationFactor ?? 3;
    const name = props.naming.name(KAFKA_COMPONENT);
    this.clusterName = name;
    const context = AwsContext.of(this);

    const dataKey = new CustomerManagedKey(this, "data-key", {
      naming: props.naming,
      purpose: "msk",
      description: `MSK ${name}: broker storage at rest`,
    });
    this.kmsKeyArn = dataKey.keyArn;
    const logGroup = new EncryptedLogGroups(this, "logs", {
      naming: props.naming,
      keyPurpose: "msk-logs",
      description: `MSK ${name}: broker log group`,
      logGroups: { "broker-logs": props.naming.path("msk", "broker") },
      retentionInDays: props.logRetentionDays,
      retentionFieldPath: `${props.naming.environment}.logRetentionDays`,
    }).group("broker-logs");
    const sg = new ServiceSecurityGroup(this, "security-group", {
      name,
      description: `MSK ${name} brokers (IAM over TLS)`,
      vpcId: props.vpcId,
      port: MSK_IAM_PORT,
      allowedSecurityGroupIds: props.allowedSecurityGroupIds,
    });
    this.securityGroupId = sg.securityGroupId;

    const version = props.kafkaVersion ?? DEFAULT_KAFKA_VERSION;
    const configuration = new MskConfiguration(this, "configuration", {
      name: `${name}-${version.replace(/\./g, "-")}`,
      description: `${name}: replication and topic safety`,
      serverProperties: serverProperties(replicationFactor, this.minInsyncReplicas),
      lifecycle: { createBeforeDestroy: true },
    });

    this.cluster = new MskCluster(this, "cluster", {
      clusterName: name,
      kafkaVersion: version,
      numberOfBrokerNodes: this.brokers,
      enhancedMonitoring: props.tier === "production" ? "PER_BROKER" : "DEFAULT",
      brokerNodeGroupInfo: {
        clientSubnets: [...props.privateSubnetIds],
        instanceType: props.brokerInstanceType,
        securityGroups: [sg.securityGroupId],
        storageInfo: { ebsStorageInfo: { volumeSize: props.volumeSizeGib } },
        connectivityInfo: { publicAccess: { type: "DISABLED" } },
      },
      clientAuthentication: { sasl: { iam: true }, unauthenticated: false },
      encryptionInfo: {
        encryptionAtRestKmsKeyArn: dataKey.keyArn,
        encryptionInTransit: { clientBroker: "TLS", inCluster: true },
      },
      configurationInfo: { arn: configuration.arn, revision: configuration.latestRevision },
      loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: logGroup.name } } },
      // Storage grows through Application Auto Scaling; Terraform must not shrink it back.
      lifecycle: { ignoreChanges: ["broker_node_group_info[0].storage_info[0].ebs_storage_info[0].volume_size"] },
    });
    this.clusterArn = this.cluster.arn;
    this.bootstrapBrokersIam = this.cluster.bootstrapBrokersSaslIam;

    const storage = new AppautoscalingTarget(this, "storage-scaling-target", {
      serviceNamespace: "kafka",
      scalableDimension: MSK_STORAGE_DIMENSION,
      resourceId: this.cluster.arn,
      minCapacity: 1,
      maxCapacity: props.maxVolumeSizeGib,
    });
    new AppautoscalingPolicy(this, "storage-scaling-policy", {
      name: `${name}-broker-storage`,
      policyType: "TargetTrackingScaling",
      serviceNamespace: storage.serviceNamespace,
      scalableDimension: storage.scalableDimension,
      resourceId: storage.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: props.storageTargetUtilizationPercent ?? 60,
        disableScaleIn: true,
        predefinedMetricSpecification: { predefinedMetricType: "KafkaBrokerStorageUtilization" },
      },
    });

    // The topics Job: connect, describe and create/alter topics of this cluster only; no DeleteTopic.
    this.topicsJobNamespace = props.topicsJobNamespace ?? DEFAULT_TOPICS_JOB_NAMESPACE;
    // Topic ARNs are arn:…:topic/<cluster name>/<cluster uuid>/<topic>; the uuid is unknown before apply.
    const topicArns = context.arn("kafka", `topic/${name}/*/*`);
    const role = new ServiceAccountRole(this, "topics-job-role", {
      naming: props.naming,
      name: "kafka-topics",
      description: `The Kafka topics Job of ${name}: create and alter topics`,
      oidcProviderArn: props.cluster.oidcProviderArn,
      oidcIssuerUrl: props.cluster.oidcIssuerUrl,
      namespace: this.topicsJobNamespace,
      serviceAccount: TOPICS_JOB_SERVICE_ACCOUNT,
      statements: [
        { Sid: "ConnectToCluster", Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], Resource: this.cluster.arn },
        {
          Sid: "CreateAndAlterTopics",
          Action: [
            "kafka-cluster:CreateTopic",
            "kafka-cluster:DescribeTopic",
            "kafka-cluster:AlterTopic",
            "kafka-cluster:DescribeTopicDynamicConfiguration",
            "kafka-cluster:AlterTopicDynamicConfiguration",
          ],
          Resource: topicArns,
        },
      ],
    });
    this.topicsJobRoleArn = role.roleArn;

    // Alarms: per-broker disk and CPU, cluster-wide offline and under-replicated partitions.
    const diskThreshold = props.diskAlarmThresholdPercent ?? 85;
    const alarms: CloudwatchMetricAlarm[] = [];
    const common = { namespace: "AWS/Kafka", comparison: "GreaterThanThreshold" as const, topicArns: props.alarmTopicArns };
    for (let broker = 1; broker <= this.brokers; broker++) {
      const dimensions = { "Cluster Name": name, "Broker ID": String(broker) };
      alarms.push(
        metricAlarm(this, `disk-broker-${broker}`, {
          ...common,
          alarmName: `${name}-broker-${broker}-disk`,
          description: `${name} broker ${broker}: data log disk above ${diskThreshold}% (autoscaling may be at its maximum)`,
          metricName: "KafkaDataLogsDiskUsed",
          dimensions,
          threshold: diskThreshold,
          statistic: "Maximum",
        }),
        metricAlarm(this, `cpu-broker-${broker}`, {
          ...common,
          alarmName: `${name}-broker-${broker}-cpu`,
          description: `${name} broker ${broker}: user CPU above 60% for 15 minutes`,
          metricName: "CpuUser",
          dimensions,
          threshold: 60,
        }),
        metricAlarm(this, `under-replicated-broker-${broker}`, {
          ...common,
          alarmName: `${name}-broker-${broker}-under-replicated`,
          description: `${name} broker ${broker}: under-replicated partitions for 15 minutes`,
          metricName: "UnderReplicatedPartitions",
          dimensions,
          threshold: 0,
          statistic: "Maximum",
        }),
      );
    }
    alarms.push(
      metricAlarm(this, "offline-partitions", {
        ...common,
        alarmName: `${name}-offline-partitions`,
        description: `${name}: partitions without an active leader`,
        metricName: "OfflinePartitionsCount",
        dimensions: { "Cluster Name": name },
        threshold: 0,
        statistic: "Maximum",
        evaluationPeriods: 1,
      }),
    );
    this.alarms = alarms;
  }
}
