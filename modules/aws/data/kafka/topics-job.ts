import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { JobV1 } from "@cdktf/provider-kubernetes/lib/job-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { KafkaTopic, specHash, topicSpecLines, validateTopics } from "./topics";
import { escapeTemplateSequences } from "../../../shared/hcl";

/** The name every object of the topics Job starts with. */
export const TOPICS_JOB_NAME = "kafka-topics";
/** The service account the Job runs as; the kafka module's IRSA role trusts exactly this one. */
export const TOPICS_JOB_SERVICE_ACCOUNT = "kafka-topics";
/** Where the ConfigMap (script, topic table, client properties) is mounted. */
export const TOPICS_CONFIG_DIR = "/etc/kafka-topics";
/** The uid/gid the Job runs as (the `appuser` of the apache/kafka image). */
export const TOPICS_JOB_UID = 1000;

/** Kafka client settings for MSK IAM authentication (aws-msk-iam-auth) over TLS, port 9098. */
export const IAM_CLIENT_PROPERTIES = [
  "security.protocol=SASL_SSL",
  "sasl.mechanism=AWS_MSK_IAM",
  "sasl.jaas.config=software.amazon.msk.auth.iam.IAMLoginModule required;",
  "sasl.client.callback.handler.class=software.amazon.msk.auth.iam.IAMClientCallbackHandler",
  "",
].join("\n");

/**
 * The script the Job runs, per line of the topic table: create the topic if it does not exist; set its
 * `retention.ms` and `min.insync.replicas`; raise the partition count when the table asks for more. It
 * never deletes a topic, never lowers partitions (Kafka can't) and never changes a replication factor
 * (that needs a reassignment): those differences are printed as warnings.
 */
export const APPLY_TOPICS_SCRIPT = `#!/bin/bash
set -euo pipefail
dir=\${TOPICS_DIR:-${TOPICS_CONFIG_DIR}}
cfg=$dir/client.properties
bin=\${KAFKA_BIN:-/opt/kafka/bin}
kt() { "$bin/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$cfg" "$@"; }
# The table is read on fd 3, so no command in the loop can consume it from stdin.
while read -r name partitions replication retention_ms <&3; do
  [ -z "$name" ] && continue
  echo "topic $name: partitions=$partitions replication=$replication retention.ms=$retention_ms"
  kt --create --if-not-exists --topic "$name" --partitions "$partitions" --replication-factor "$replication" \\
    --config "retention.ms=$retention_ms" --config "min.insync.replicas=$MIN_INSYNC_REPLICAS"
  "$bin/kafka-configs.sh" --bootstrap-server "$BOOTSTRAP_SERVERS" --command-config "$cfg" --alter \\
    --entity-type topics --entity-name "$name" --add-config "retention.ms=$retention_ms,min.insync.replicas=$MIN_INSYNC_REPLICAS"
  # The whole output is read (no "| head": a closed pipe would fail the Job under pipefail).
  described=$(kt --describe --topic "$name")
  current=$(sed -n '1s/.*PartitionCount: *\\([0-9]*\\).*/\\1/p' <<<"$described")
  factor=$(sed -n '1s/.*ReplicationFactor: *\\([0-9]*\\).*/\\1/p' <<<"$described")
  if [ -z "$current" ] || [ -z "$factor" ]; then
    echo "ERROR cannot read the partition count and replication factor of topic $name" >&2
    exit 1
  fi
  if [ "$current" -lt "$partitions" ]; then
    kt --alter --topic "$name" --partitions "$partitions"
  elif [ "$current" -gt "$partitions" ]; then
    echo "WARNING topic $name has $current partitions, more than the $partitions declared; partitions are never lowered"
  fi
  if [ "$factor" != "$replication" ]; then
    echo "WARNING topic $name has replication factor $factor, not $replication; the Job does not reassign replicas"
  fi
done 3< "$dir/topics.txt"
echo "topics applied"
`;

export interface KafkaTopicsJobProps {
  /** Namespace of the Job, its ConfigMap and service account (must exist). */
  readonly namespace: string;
  /** The cluster's IAM bootstrap brokers (`KafkaCluster.bootstrapBrokersIam`, port 9098). */
  readonly bootstrapBrokers: string;
  /** The topics to create or alter, by name. */
  readonly topics: Readonly<Record<string, KafkaTopic>>;
  /** Brokers of the cluster (replication factors are checked against it). */
  readonly brokers: number;
  /** The cluster's `min.insync.replicas`, set on every topic. */
  readonly minInsyncReplicas: number;
  /** ARN of the IRSA role the Job's service account assumes (`KafkaCluster.topicsJobRoleArn`). */
  readonly serviceAccountRoleArn: string;
  /**
   * An image with the Kafka CLI under `/opt/kafka/bin` (e.g. apache/kafka, pinned by digest) and the
   * aws-msk-iam-auth jar on its classpath, running as uid 1000.
   */
  readonly image: string;
  /** Where validation messages point, e.g. `production.kafka.topics`. @default "kafka.topics" */
  readonly fieldPath?: string;
  /** Resources that must exist first (its namespace when created in the same stack). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A declarative way to apply Kafka topics to MSK from a Kubernetes stack: a ConfigMap (script, topic
 * table, IAM client properties), a service account bound to an IRSA role, and a Job that runs the Kafka
 * admin tools once. Its name carries a hash of the topic table, script and image, so a changed topic
 * config creates a new Job (Terraform replaces it) and the tools run again; an unchanged config leaves
 * the finished Job alone. Create-or-alter only: the Job never deletes a topic.
 */
export class KafkaTopicsJob extends Construct {
  /** `kafka-topics-<hash>`, the name of the Job and its ConfigMap. */
  readonly jobName: string;
  /** The hash of the topic table, script and image. */
  readonly specHash: string;
  /** The topic table the Job applies. */
  readonly topicTable: string;
  /** The namespace of the Job, its ConfigMap and service account. */
  readonly namespace: string;
  readonly job: JobV1;
  readonly configMap: ConfigMapV1;
  readonly serviceAccount: ServiceAccountV1;

  constructor(scope: Construct, id: string, props: KafkaTopicsJobProps) {
    super(scope, id);
    validateTopics(props.fieldPath ?? "kafka.topics", props.topics, props.brokers, props.minInsyncReplicas);
    this.topicTable = topicSpecLines(props.topics);
    this.specHash = specHash(this.topicTable, APPLY_TOPICS_SCRIPT, IAM_CLIENT_PROPERTIES, props.image, String(props.minInsyncReplicas));
    this.jobName = `${TOPICS_JOB_NAME}-${this.specHash}`;
    this.namespace = props.namespace;
    const labels = { "app.kubernetes.io/name": TOPICS_JOB_NAME, "app.kubernetes.io/managed-by": "cdktf" };

    this.serviceAccount = new ServiceAccountV1(this, "service-account", {
      metadata: {
        name: TOPICS_JOB_SERVICE_ACCOUNT,
        namespace: props.namespace,
        labels,
        annotations: { "eks.amazonaws.com/role-arn": props.serviceAccountRoleArn },
      },
      automountServiceAccountToken: false,
      dependsOn: props.dependsOn,
    });
    this.configMap = new ConfigMapV1(this, "config", {
      metadata: { name: this.jobName, namespace: props.namespace, labels },
      data: {
        // The script's `${VAR:-default}` expansions are bash's, not Terraform's.
        "apply-topics.sh": escapeTemplateSequences(APPLY_TOPICS_SCRIPT),
        "topics.txt": this.topicTable,
        "client.properties": IAM_CLIENT_PROPERTIES,
      },
      dependsOn: props.dependsOn,
    });
    this.job = new JobV1(this, "job", {
      metadata: { name: this.jobName, namespace: props.namespace, labels: { ...labels, "aivo.edu/topic-spec": this.specHash } },
      spec: {
        backoffLimit: 4,
        activeDeadlineSeconds: 900,
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: TOPICS_JOB_SERVICE_ACCOUNT,
            automountServiceAccountToken: false,
            restartPolicy: "Never",
            securityContext: {
              runAsNonRoot: true,
              runAsUser: String(TOPICS_JOB_UID),
              runAsGroup: String(TOPICS_JOB_UID),
              fsGroup: String(TOPICS_JOB_UID),
              seccompProfile: { type: "RuntimeDefault" },
            },
            container: [
              {
                name: "apply-topics",
                image: props.image,
                command: ["/bin/bash", `${TOPICS_CONFIG_DIR}/apply-topics.sh`],
                env: [
                  { name: "BOOTSTRAP_SERVERS", value: props.bootstrapBrokers },
                  { name: "MIN_INSYNC_REPLICAS", value: String(props.minInsyncReplicas) },
                  { name: "LOG_DIR", value: "/tmp" },
                  { name: "KAFKA_HEAP_OPTS", value: "-Xmx256m" },
                ],
                resources: { requests: { cpu: "100m", memory: "384Mi" }, limits: { memory: "512Mi" } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  privileged: false,
                  capabilities: { drop: ["ALL"] },
                },
                volumeMount: [
                  { name: "config", mountPath: TOPICS_CONFIG_DIR, readOnly: true },
                  { name: "tmp", mountPath: "/tmp" },
                ],
              },
            ],
            volume: [
              { name: "config", configMap: { name: this.configMap.metadata.name, defaultMode: "0555" } },
              { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
            ],
          },
        },
      },
      waitForCompletion: true,
      timeouts: { create: "15m", update: "15m" },
      dependsOn: [this.serviceAccount],
    });
  }
}
