import { spawnSync } from "child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { Testing } from "cdktf";
import { Job } from "kubernetes-models/batch/v1/Job";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { MskCluster } from "@cdktf/provider-aws/lib/msk-cluster";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import {
  APPLY_TOPICS_SCRIPT,
  DOCUMENT_TOPICS,
  IAM_CLIENT_PROPERTIES,
  KafkaCluster,
  KafkaClusterProps,
  KafkaSettings,
  KafkaTopicsJob,
  KafkaTopicsJobProps,
  MSK_IAM_PORT,
  parseRetentionMs,
  topicSpecLines,
  validateKafka,
} from "../modules/aws/data/kafka";
import { Naming } from "../modules/shared/naming";
import { configsOf, onlyResource, parse, policy } from "./helpers";

const TOPIC = "arn:aws:sns:us-east-1:123456789012:aivo-production-alerts-alert";
const settings: KafkaSettings = { brokerInstanceType: "kafka.m7g.large", volumeSizeGib: 500, maxVolumeSizeGib: 4000, topics: DOCUMENT_TOPICS };

function props(extra: Partial<KafkaClusterProps> = {}): KafkaClusterProps {
  return {
    ...settings,
    naming: new Naming("aivo", "production"),
    tier: "production",
    vpcId: "vpc-1",
    privateSubnetIds: ["subnet-a", "subnet-b", "subnet-c"],
    allowedSecurityGroupIds: ["sg-nodes"],
    alarmTopicArns: [TOPIC],
    logRetentionDays: 365,
    cluster: { oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/x", oidcIssuerUrl: "oidc.eks.us-east-1.amazonaws.com/id/X" },
    ...extra,
  };
}

describe("KafkaCluster", () => {
  const json = Testing.synthScope((scope) => {
    new KafkaCluster(scope, "kafka", props());
  });
  const doc = parse(json);

  it("runs 3 brokers of a current Kafka across the private subnets, private only", () => {
    expect(json).toHaveResourceWithProperties(MskCluster, {
      cluster_name: "aivo-production-kafka",
      kafka_version: "3.8.x",
      number_of_broker_nodes: 3,
    });
    const cluster = onlyResource(doc, "aws_msk_cluster");
    expect(cluster.broker_node_group_info).toMatchObject({
      client_subnets: ["subnet-a", "subnet-b", "subnet-c"],
      instance_type: "kafka.m7g.large",
      storage_info: { ebs_storage_info: { volume_size: 500 } },
      connectivity_info: { public_access: { type: "DISABLED" } },
    });
  });

  it("requires TLS everywhere, IAM client auth only, and encrypts at rest with its CMK", () => {
    const cluster = onlyResource(doc, "aws_msk_cluster");
    expect(cluster.client_authentication).toEqual({ sasl: { iam: true }, unauthenticated: false });
    expect(cluster.encryption_info.encryption_in_transit).toEqual({ client_broker: "TLS", in_cluster: true });
    expect(cluster.encryption_info.encryption_at_rest_kms_key_arn).toMatch(/^\$\{aws_kms_key\.kafka_data-key_\w+\.arn\}$/);
    expect(cluster.logging_info.broker_logs.cloudwatch_logs).toMatchObject({ enabled: true });
    const logGroup = onlyResource(doc, "aws_cloudwatch_log_group");
    expect(logGroup).toMatchObject({ name: "/aivo/production/msk/broker", retention_in_days: 365 });
    // One CMK of its own for the broker logs (modules/aws/observability/log-group), not the data key.
    expect(logGroup.kms_key_id).toMatch(/^\$\{aws_kms_key\.kafka_logs_key_\w+\.arn\}$/);
  });

  it("sets the document's broker configuration", () => {
    const props = onlyResource(doc, "aws_msk_configuration").server_properties.split("\n");
    expect(props).toEqual(
      expect.arrayContaining([
        "default.replication.factor=3",
        "min.insync.replicas=2",
        "auto.create.topics.enable=false",
        "unclean.leader.election.enable=false",
      ]),
    );
  });

  it("admits only the nodes, on the IAM/TLS port 9098", () => {
    const rules = configsOf(doc, "aws_vpc_security_group_ingress_rule");
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ from_port: MSK_IAM_PORT, to_port: 9098, referenced_security_group_id: "sg-nodes" });
    expect(rules[0].cidr_ipv4).toBeUndefined();
  });

  it("grows broker storage with Application Auto Scaling (scale-out only) and keeps Terraform from shrinking it", () => {
    expect(onlyResource(doc, "aws_appautoscaling_target")).toMatchObject({
      service_namespace: "kafka",
      scalable_dimension: "kafka:broker-storage:VolumeSize",
      max_capacity: 4000,
    });
    const scaling = onlyResource(doc, "aws_appautoscaling_policy").target_tracking_scaling_policy_configuration;
    expect(scaling).toMatchObject({ target_value: 60, disable_scale_in: true });
    expect(scaling.predefined_metric_specification.predefined_metric_type).toBe("KafkaBrokerStorageUtilization");
    expect(onlyResource(doc, "aws_msk_cluster").lifecycle.ignore_changes).toEqual([
      "broker_node_group_info[0].storage_info[0].ebs_storage_info[0].volume_size",
    ]);
  });

  it("alarms to the alert topic: disk, CPU, under-replication per broker, offline partitions", () => {
    const alarms = configsOf(doc, "aws_cloudwatch_metric_alarm");
    expect(alarms).toHaveLength(10);
    expect(alarms.every((a) => a.alarm_actions[0] === TOPIC && a.namespace === "AWS/Kafka")).toBe(true);
    expect(alarms.find((a) => a.alarm_name === "aivo-production-kafka-broker-2-disk")).toMatchObject({
      metric_name: "KafkaDataLogsDiskUsed",
      threshold: 85,
      dimensions: { "Cluster Name": "aivo-production-kafka", "Broker ID": "2" },
    });
  });

  it("gives the topics Job a role that creates and alters topics of this cluster, never deletes", () => {
    const role = onlyResource(doc, "aws_iam_role");
    const trust = policy(role.assume_role_policy).Statement[0];
    expect(Object.values(trust.Condition.StringEquals)).toContain("system:serviceaccount:platform-kafka:kafka-topics");
    const statements = policy(onlyResource(doc, "aws_iam_role_policy").policy).Statement;
    const actions = statements.flatMap((s) => s.Action);
    expect(actions).toContain("kafka-cluster:CreateTopic");
    expect(actions).toContain("kafka-cluster:AlterTopicDynamicConfiguration");
    expect(actions.some((a: string) => /Delete|\*/.test(a))).toBe(false);
    expect(statements[1].Resource).toMatch(/:kafka:.*:topic\/aivo-production-kafka\/\*\/\*$/);
  });
});

describe("Kafka validation", () => {
  const check = (s: Partial<KafkaSettings>, tier = "production") => () => validateKafka("production", tier, { ...settings, ...s }, 3);
  it.each([
    [{ topics: { big: { partitions: 1, replicationFactor: 4, retention: "1d" } } }, 'production.kafka.topics["big"].replicationFactor: 4 must be 1..3, the number of brokers'],
    [{ topics: { t: { partitions: 3, replicationFactor: 2, retention: "1d" } } }, 'production.kafka.topics["t"].replicationFactor: 2 must exceed min.insync.replicas (2)'],
    [{ minInsyncReplicas: 3 }, "production.kafka.minInsyncReplicas: 3 must be ≥ 1 and below the replication factor (3)"],
    [{ topics: { t: { partitions: 0, replicationFactor: 3, retention: "1d" } } }, 'production.kafka.topics["t"].partitions: 0 must be a whole number ≥ 1'],
    [{ topics: { t: { partitions: 1, replicationFactor: 3, retention: "7 days" } } }, 'production.kafka.topics["t"].retention: "7 days" does not parse'],
    [{ topics: { "bad/name": { partitions: 1, replicationFactor: 3, retention: "1d" } } }, 'production.kafka.topics["bad/name"]: "bad/name" is not a legal Kafka topic name'],
    [{ topics: { "..": { partitions: 1, replicationFactor: 3, retention: "1d" } } }, 'production.kafka.topics[".."]: ".." is not a legal Kafka topic name'],
    [
      { topics: { "a.b": { partitions: 1, replicationFactor: 3, retention: "1d" }, a_b: { partitions: 1, replicationFactor: 3, retention: "1d" } } },
      'production.kafka.topics["a_b"]: collides with "a.b"',
    ],
    [{ brokers: 4 }, "production.kafka.brokers: 4 must be a multiple of the 3 private subnets"],
    [{ defaultReplicationFactor: 4, brokers: 3 }, "production.kafka.defaultReplicationFactor: 4 must be 1..3"],
    [{ enabled: false }, "production.kafka.enabled: false; only development may turn Kafka off"],
    [{ brokerInstanceType: "m5.large" }, 'production.kafka.brokerInstanceType: "m5.large" is not an MSK broker type'],
    [{ maxVolumeSizeGib: 100 }, "production.kafka.maxVolumeSizeGib: 100 is outside 501..16384"],
  ] as const)("rejects %j", (bad, message) => {
    expect(check(bad as Partial<KafkaSettings>)).toThrow(message);
  });

  it("lets development turn Kafka off, and accepts the document's topics", () => {
    expect(check({ enabled: false }, "development")).not.toThrow();
    expect(check({})).not.toThrow();
  });

  it("parses retentions to milliseconds", () => {
    expect(parseRetentionMs("7d")).toBe(604_800_000);
    expect(parseRetentionMs("12h")).toBe(43_200_000);
    expect(parseRetentionMs("2w")).toBe(1_209_600_000);
    expect(parseRetentionMs("0d")).toBeUndefined();
  });
});

/**
 * `validate()` of a kubernetes-models object. tsc's node10 resolution (tsconfig) does not read the
 * import-only `exports` of @kubernetes-models/base, so the inherited method is invisible to the types.
 */
function validate(model: object): void {
  (model as { validate(): void }).validate();
}

/** The synthesized kubernetes_*_v1 block, read back into the Kubernetes API's camelCase shape. */
function toKubernetes(value: any): any {
  const rename: Record<string, string> = { container: "containers", volume: "volumes", volume_mount: "volumeMounts" };
  if (Array.isArray(value)) return value.map(toKubernetes);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      const key = rename[k] ?? k.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase());
      const keepKeys = ["labels", "annotations", "data", "requests", "limits"].includes(k);
      return [key, keepKeys ? v : toKubernetes(v)];
    }),
  );
}

describe("KafkaTopicsJob", () => {
  const jobProps: KafkaTopicsJobProps = {
    namespace: "platform-kafka",
    bootstrapBrokers: "b-1.example:9098,b-2.example:9098",
    topics: DOCUMENT_TOPICS,
    brokers: 3,
    minInsyncReplicas: 2,
    serviceAccountRoleArn: "arn:aws:iam::123456789012:role/aivo-production-kafka-topics",
    image: "apache/kafka:3.8.1",
  };
  const synth = (p: KafkaTopicsJobProps) => {
    let construct!: KafkaTopicsJob;
    const json = Testing.synthScope((scope) => {
      new KubernetesProvider(scope, "kubernetes", {});
      construct = new KafkaTopicsJob(scope, "topics", p);
    });
    return { doc: parse(json), construct };
  };
  const { doc, construct } = synth(jobProps);
  const job = onlyResource(doc, "kubernetes_job_v1");
  const configMap = onlyResource(doc, "kubernetes_config_map_v1");

  it("applies the document's topics: name, partitions, replication, retention in ms", () => {
    expect(configMap.data["topics.txt"]).toBe(
      ["journal.events 24 3 7776000000", "runs.status.v1 6 3 2592000000", "spy_control 12 3 604800000", ""].join("\n"),
    );
    expect(configMap.data["client.properties"]).toContain("sasl.mechanism=AWS_MSK_IAM");
    expect(configMap.data["client.properties"]).toContain("security.protocol=SASL_SSL");
  });

  it("creates or alters, and never deletes a topic", () => {
    const script: string = configMap.data["apply-topics.sh"];
    expect(script).toContain("--create --if-not-exists");
    expect(script).toContain("--alter");
    expect(script).not.toMatch(/--delete/);
    // Terraform reads `$${` as a literal `${`: the pod gets the script as written, bash expansions intact.
    expect(script).toContain("$${KAFKA_BIN:-/opt/kafka/bin}");
    expect(script.replace(/\$\$\{/g, "${")).toBe(APPLY_TOPICS_SCRIPT);
  });

  it("is named by a hash of the topic spec, so a changed config runs a new Job", () => {
    expect(job.metadata.name).toBe(`kafka-topics-${construct.specHash}`);
    expect(configMap.metadata.name).toBe(job.metadata.name);
    const same = synth(jobProps).construct;
    expect(same.jobName).toBe(construct.jobName);
    const changed = synth({ ...jobProps, topics: { ...DOCUMENT_TOPICS, spy_control: { ...DOCUMENT_TOPICS.spy_control, retention: "14d" } } });
    expect(changed.construct.jobName).not.toBe(construct.jobName);
  });

  it("runs with IAM auth through its IRSA service account and a restricted security context", () => {
    const pod = job.spec.template.spec;
    expect(pod.service_account_name).toBe("kafka-topics");
    expect(pod.security_context).toMatchObject({ run_as_non_root: true, seccomp_profile: { type: "RuntimeDefault" } });
    expect(pod.container[0].security_context).toMatchObject({
      allow_privilege_escalation: false,
      read_only_root_filesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    expect(pod.container[0].env).toContainEqual({ name: "BOOTSTRAP_SERVERS", value: "b-1.example:9098,b-2.example:9098" });
    const sa = onlyResource(doc, "kubernetes_service_account_v1");
    expect(sa.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe(jobProps.serviceAccountRoleArn);
  });

  it("is a valid Job, ConfigMap and ServiceAccount by the Kubernetes schemas", () => {
    const spec = toKubernetes(job.spec);
    // The provider takes ids as strings; the API wants integers.
    for (const k of ["runAsUser", "runAsGroup", "fsGroup"]) spec.template.spec.securityContext[k] = Number(spec.template.spec.securityContext[k]);
    spec.template.spec.volumes[0].configMap.defaultMode = 0o555;
    expect(() => validate(new Job({ metadata: toKubernetes(job.metadata), spec }))).not.toThrow();
    spec.template.spec.containers[0].securityContext.capabilities.drop = "ALL";
    expect(() => validate(new Job({ metadata: toKubernetes(job.metadata), spec }))).toThrow();
    expect(() => validate(new ConfigMap({ metadata: toKubernetes(configMap.metadata), data: configMap.data }))).not.toThrow();
    const sa = onlyResource(doc, "kubernetes_service_account_v1");
    expect(() => validate(new ServiceAccount({ metadata: toKubernetes(sa.metadata), automountServiceAccountToken: false }))).not.toThrow();
  });

  it("validates the topics it is given", () => {
    expect(() => synth({ ...jobProps, topics: { t: { partitions: 1, replicationFactor: 5, retention: "1d" } } })).toThrow(
      'kafka.topics["t"].replicationFactor: 5 must be 1..3',
    );
  });
});

/**
 * The script run against stub Kafka tools that keep topics as files: what it does to existing,
 * missing and over-partitioned topics. Needs bash (CI and Linux machines have it).
 */
describe("the topics script against stub Kafka tools", () => {
  const bash = spawnSync("bash", ["--version"]).status === 0;
  if (!bash) console.log("skipped: the topics-script test needs bash on PATH");
  const run = bash ? it : it.skip;

  const STUB = `#!/bin/bash
# Stub of kafka-topics.sh / kafka-configs.sh: topics are files "<partitions> <rf>" under $STATE.
cat > /dev/null  # swallow stdin, as a careless tool might
echo "$(basename "$0") $*" >> "$STATE/calls.log"
topic=""; partitions=""; rf=""; action=""
while [ $# -gt 0 ]; do
  case "$1" in
    --topic|--entity-name) topic="$2"; shift ;;
    --partitions) partitions="$2"; shift ;;
    --replication-factor) rf="$2"; shift ;;
    --create|--describe|--alter|--delete) action="\${action:-$1}" ;;
  esac
  shift
done
f="$STATE/topic-$topic"
case "$(basename "$0"):$action" in
  kafka-topics.sh:--create) [ -f "$f" ] || echo "$partitions $rf" > "$f" ;;
  kafka-topics.sh:--describe) read -r p r < "$f"; printf 'Topic: %s\\tTopicId: x\\tPartitionCount: %s\\tReplicationFactor: %s\\tConfigs: \\n\\tTopic: %s\\tPartition: 0\\n' "$topic" "$p" "$r" "$topic" ;;
  kafka-topics.sh:--alter) read -r p r < "$f"; echo "$partitions $r" > "$f" ;;
esac
`;

  run("creates the missing topic, raises partitions, warns instead of lowering, never deletes", () => {
    const dir = mkdtempSync(join(tmpdir(), "kafka-topics-"));
    const bin = join(dir, "bin");
    mkdirSync(bin);
    for (const tool of ["kafka-topics.sh", "kafka-configs.sh"]) {
      writeFileSync(join(bin, tool), STUB);
      chmodSync(join(bin, tool), 0o755);
    }
    writeFileSync(join(dir, "topics.txt"), topicSpecLines(DOCUMENT_TOPICS));
    writeFileSync(join(dir, "client.properties"), IAM_CLIENT_PROPERTIES);
    writeFileSync(join(dir, "apply-topics.sh"), APPLY_TOPICS_SCRIPT);
    writeFileSync(join(dir, "topic-spy_control"), "6 3\n"); // fewer partitions than declared
    writeFileSync(join(dir, "topic-journal.events"), "30 2\n"); // more partitions, another replication factor

    const result = spawnSync("bash", [join(dir, "apply-topics.sh")], {
      encoding: "utf8",
      env: { ...process.env, STATE: dir, KAFKA_BIN: bin, TOPICS_DIR: dir, BOOTSTRAP_SERVERS: "b-1:9098", MIN_INSYNC_REPLICAS: "2" },
    });
    expect(result.status).toBe(0);
    const calls = readFileSync(join(dir, "calls.log"), "utf8");
    expect(readFileSync(join(dir, "topic-runs.status.v1"), "utf8").trim()).toBe("6 3");
    expect(readFileSync(join(dir, "topic-spy_control"), "utf8").trim()).toBe("12 3");
    expect(readFileSync(join(dir, "topic-journal.events"), "utf8").trim()).toBe("30 2");
    expect(result.stdout).toContain("WARNING topic journal.events has 30 partitions, more than the 24 declared");
    expect(result.stdout).toContain("WARNING topic journal.events has replication factor 2, not 3");
    expect(calls).toContain("kafka-configs.sh --bootstrap-server b-1:9098 --command-config");
    expect(calls).toContain("--add-config retention.ms=604800000,min.insync.replicas=2");
    expect(calls).not.toContain("--delete");
    // All three topics were visited although the stubs swallow stdin.
    expect(calls.match(/--describe/g)).toHaveLength(3);
    expect(result.stdout.trim().endsWith("topics applied")).toBe(true);
  });
});
