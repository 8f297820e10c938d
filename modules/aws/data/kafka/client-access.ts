import { AwsContext } from "../../../shared/aws-context";
import { PolicyStatement } from "../../../shared/iam";
import { Naming } from "../../../shared/naming";
import { SCHEMA_REGISTRY_COMPONENT, schemaRegistryReadStatements } from "../schema-registry";

/** The component name of the MSK cluster: `aivo-<env>-kafka`. */
export const KAFKA_COMPONENT = "kafka";

/**
 * What a producer or a consumer of one topic needs (MSK IAM access control): connect to the
 * environment's cluster, write or read the topic, a consumer its own group (`group`, the service's
 * name), and read the topic's schema in the environment's schema registry. The cluster's UUID is not
 * known before apply, hence `*` in its place; the name pins the cluster.
 */
export function kafkaTopicStatements(context: AwsContext, naming: Naming, topic: string, access: "produce" | "consume", group: string, sid: number | string): PolicyStatement[] {
  const cluster = naming.name(KAFKA_COMPONENT);
  const produce = access === "produce";
  return [
    { Sid: `KafkaConnect${sid}`, Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], Resource: context.arn("kafka", `cluster/${cluster}/*`) },
    {
      Sid: `Kafka${produce ? "Produce" : "Consume"}${sid}`,
      Action: ["kafka-cluster:DescribeTopic", produce ? "kafka-cluster:WriteData" : "kafka-cluster:ReadData"],
      Resource: context.arn("kafka", `topic/${cluster}/*/${topic}`),
    },
    ...(produce
      ? []
      : [{ Sid: `KafkaGroup${sid}`, Action: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"], Resource: context.arn("kafka", `group/${cluster}/*/${group}`) }]),
    ...schemaRegistryReadStatements(context, naming.name(SCHEMA_REGISTRY_COMPONENT), topic, String(sid)),
  ];
}
