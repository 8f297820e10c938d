// The IAM statements of a service's roles: its own (awsAccess) and its database bootstrap's.
import { AwsContext } from "../../../shared/aws-context";
import { PolicyStatement } from "../../../shared/iam";
import { Naming } from "../../../shared/naming";
import { kafkaTopicStatements } from "../../data/kafka/client-access";
import type { PostgresEndpoint } from "./props";
import { AwsAccess } from "./spec";

/**
 * The IAM statements of `awsAccess`, each scoped to named resources of the environment. A consumer of
 * a Kafka topic reads as the consumer group named after the service (`service`).
 */
export function awsAccessStatements(context: AwsContext, naming: Naming, grants: readonly AwsAccess[], service = "*"): PolicyStatement[] {
  return grants.flatMap((grant, i): PolicyStatement | PolicyStatement[] => {
    switch (grant.kind) {
      case "s3-bucket": {
        const bucket = `arn:${context.partition}:s3:::${naming.name(grant.bucket)}`;
        const write = grant.access === "read-write";
        return {
          Sid: `S3${write ? "ReadWrite" : "Read"}${i}`,
          Action: ["s3:ListBucket", "s3:GetObject", ...(write ? ["s3:PutObject", "s3:DeleteObject"] : [])],
          Resource: [bucket, `${bucket}/*`],
        };
      }
      case "sqs-queue": {
        const consume = grant.access === "consume";
        return {
          Sid: `Sqs${consume ? "Consume" : "Send"}${i}`,
          Action: consume
            ? ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
            : ["sqs:SendMessage", "sqs:GetQueueAttributes"],
          Resource: context.arn("sqs", naming.name(grant.queue)),
        };
      }
      case "sns-topic":
        return { Sid: `SnsPublish${i}`, Action: "sns:Publish", Resource: context.arn("sns", naming.name(grant.topic)) };
      case "kafka-topic":
        return kafkaTopicStatements(context, naming, grant.topic, grant.access, service, i);
    }
  });
}

/**
 * The database bootstrap's permissions: read the RDS-managed master user secret (and decrypt it with
 * its CMK, through Secrets Manager only), and fill the service's own database secret once (External
 * Secrets' PushSecret: Describe, GetSecretValue, PutSecretValue), with the services' CMK.
 */
export function databaseBootstrapStatements(context: AwsContext, postgres: PostgresEndpoint, databaseSecretArn: string, secretsKeyArn: string): PolicyStatement[] {
  const viaSecretsManager = { "kms:ViaService": `secretsmanager.${context.region}.amazonaws.com` };
  return [
    { Sid: "ReadMasterSecret", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: postgres.masterSecretArn },
    { Sid: "DecryptMasterSecret", Action: "kms:Decrypt", Resource: postgres.masterSecretKmsKeyArn, Condition: { StringEquals: viaSecretsManager } },
    {
      Sid: "FillServiceDatabaseSecret",
      Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"],
      Resource: databaseSecretArn,
    },
    { Sid: "EncryptServiceDatabaseSecret", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], Resource: secretsKeyArn, Condition: { StringEquals: viaSecretsManager } },
  ];
}
