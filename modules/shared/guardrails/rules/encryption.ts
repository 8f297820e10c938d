import { Rule, block, blocks, isCustomerManagedKey, isTrue, perResource } from "../engine";

const FIX_KEY = "pass a CustomerManagedKey (modules/shared/kms) key ARN";

/** Encryption at rest under a customer-managed KMS key, resource type by resource type. */
export const ENCRYPTION_RULES: readonly Rule[] = [
  {
    id: "AIVO-ENC-EBS",
    severity: "error",
    checkov: ["CKV_AWS_189", "CKV_AWS_3"],
    message: "EBS volumes and launch-template block devices are encrypted with a customer-managed KMS key",
    fix: `set encrypted = true and kms_key_id (${FIX_KEY}) on the volume or every block_device_mappings.ebs`,
    evaluate: perResource(["aws_ebs_volume", "aws_launch_template"], (r) => {
      if (r.type === "aws_ebs_volume") {
        return isTrue(r.config.encrypted) && isCustomerManagedKey(r.config.kms_key_id) ? undefined : "volume without a CMK";
      }
      const bad = blocks(r.config.block_device_mappings).filter((m) => {
        const ebs = block(m.ebs);
        return m.ebs !== undefined && !(isTrue(ebs.encrypted) && isCustomerManagedKey(ebs.kms_key_id));
      });
      return bad.length ? `block device ${bad.map((m) => m.device_name).join(", ")} without a CMK` : undefined;
    }),
  },
  {
    id: "AIVO-ENC-RDS",
    severity: "error",
    checkov: ["CKV_AWS_16"],
    message: "RDS storage is encrypted with a customer-managed KMS key",
    fix: `set storage_encrypted = true and kms_key_id (${FIX_KEY})`,
    evaluate: perResource(["aws_db_instance", "aws_rds_cluster"], (r) => {
      if (r.config.replicate_source_db !== undefined && r.config.kms_key_id !== undefined) return undefined;
      return isTrue(r.config.storage_encrypted) && isCustomerManagedKey(r.config.kms_key_id) ? undefined : "storage without a CMK";
    }),
  },
  {
    id: "AIVO-ENC-ELASTICACHE",
    severity: "error",
    checkov: ["CKV_AWS_29", "CKV_AWS_191"],
    message: "ElastiCache data at rest is encrypted with a customer-managed KMS key",
    fix: `set at_rest_encryption_enabled = true and kms_key_id (${FIX_KEY})`,
    evaluate: perResource(["aws_elasticache_replication_group", "aws_elasticache_serverless_cache"], (r) => {
      const atRest = r.type === "aws_elasticache_serverless_cache" || isTrue(r.config.at_rest_encryption_enabled);
      return atRest && isCustomerManagedKey(r.config.kms_key_id) ? undefined : "at rest without a CMK";
    }),
  },
  {
    id: "AIVO-ENC-SNS",
    severity: "error",
    checkov: ["CKV_AWS_26"],
    message: "SNS topics are encrypted with a customer-managed KMS key",
    fix: `set kms_master_key_id (${FIX_KEY}; not alias/aws/sns)`,
    evaluate: perResource(["aws_sns_topic"], (r) => (isCustomerManagedKey(r.config.kms_master_key_id) ? undefined : "topic without a CMK")),
  },
  {
    id: "AIVO-ENC-SQS",
    severity: "error",
    checkov: ["CKV_AWS_27"],
    message: "SQS queues are encrypted with a customer-managed KMS key",
    fix: `set kms_master_key_id (${FIX_KEY}); sqs_managed_sse_enabled is not a CMK`,
    evaluate: perResource(["aws_sqs_queue"], (r) => (isCustomerManagedKey(r.config.kms_master_key_id) ? undefined : "queue without a CMK")),
  },
  {
    id: "AIVO-ENC-EFS",
    severity: "error",
    checkov: ["CKV_AWS_42", "CKV_AWS_184"],
    message: "EFS file systems are encrypted with a customer-managed KMS key",
    fix: `set encrypted = true and kms_key_id (${FIX_KEY})`,
    evaluate: perResource(["aws_efs_file_system"], (r) =>
      isTrue(r.config.encrypted) && isCustomerManagedKey(r.config.kms_key_id) ? undefined : "file system without a CMK",
    ),
  },
  {
    id: "AIVO-ENC-MSK",
    severity: "error",
    checkov: ["CKV_AWS_81"],
    message: "MSK clusters encrypt at rest with a customer-managed KMS key and in transit with TLS only",
    fix: `set encryption_info.encryption_at_rest_kms_key_arn (${FIX_KEY}) and encryption_in_transit { client_broker = "TLS", in_cluster = true }`,
    evaluate: perResource(["aws_msk_cluster"], (r) => {
      const info = block(r.config.encryption_info);
      const transit = block(info.encryption_in_transit);
      const problems: string[] = [];
      if (!isCustomerManagedKey(info.encryption_at_rest_kms_key_arn)) problems.push("at rest without a CMK");
      if ((transit.client_broker ?? "TLS") !== "TLS") problems.push(`client_broker ${transit.client_broker}`);
      if (transit.in_cluster === false || transit.in_cluster === "false") problems.push("in_cluster plaintext");
      return problems.length ? problems.join("; ") : undefined;
    }),
  },
  {
    id: "AIVO-ENC-LOGS",
    severity: "error",
    checkov: ["CKV_AWS_158"],
    message: "CloudWatch log groups are encrypted with a customer-managed KMS key",
    fix: `set kms_key_id (${FIX_KEY} whose policy grants logs.<region>.amazonaws.com)`,
    evaluate: perResource(["aws_cloudwatch_log_group"], (r) => (isCustomerManagedKey(r.config.kms_key_id) ? undefined : "log group without a CMK")),
  },
  {
    id: "AIVO-ENC-SECRETS",
    severity: "error",
    checkov: ["CKV_AWS_149"],
    message: "Secrets Manager secrets are encrypted with a customer-managed KMS key",
    fix: `set kms_key_id (${FIX_KEY}; not aws/secretsmanager)`,
    evaluate: perResource(["aws_secretsmanager_secret"], (r) => (isCustomerManagedKey(r.config.kms_key_id) ? undefined : "secret without a CMK")),
  },
  {
    id: "AIVO-ENC-EKS-SECRETS",
    severity: "error",
    checkov: ["CKV_AWS_58"],
    message: "EKS clusters envelope-encrypt Kubernetes secrets with a customer-managed KMS key",
    fix: `set encryption_config { resources = ["secrets"], provider { key_arn } } (${FIX_KEY})`,
    evaluate: perResource(["aws_eks_cluster"], (r) => {
      const ok = blocks(r.config.encryption_config).some(
        (c) => (c.resources ?? []).includes("secrets") && isCustomerManagedKey(block(c.provider).key_arn),
      );
      return ok ? undefined : "secrets not envelope-encrypted";
    }),
  },
  {
    id: "AIVO-ENC-DYNAMODB",
    severity: "error",
    checkov: ["CKV_AWS_119"],
    message: "DynamoDB tables are encrypted with a customer-managed KMS key",
    fix: `set server_side_encryption { enabled = true, kms_key_arn } (${FIX_KEY})`,
    evaluate: perResource(["aws_dynamodb_table"], (r) => {
      const sse = block(r.config.server_side_encryption);
      return isTrue(sse.enabled) && isCustomerManagedKey(sse.kms_key_arn) ? undefined : "table without a CMK";
    }),
  },
  {
    id: "AIVO-ENC-ECR",
    severity: "error",
    checkov: ["CKV_AWS_136"],
    message: "ECR repositories are encrypted with a customer-managed KMS key",
    fix: `set encryption_configuration { encryption_type = "KMS", kms_key } (${FIX_KEY})`,
    evaluate: perResource(["aws_ecr_repository"], (r) => {
      const enc = block(r.config.encryption_configuration);
      return enc.encryption_type === "KMS" && isCustomerManagedKey(enc.kms_key) ? undefined : "repository without a CMK";
    }),
  },
  {
    id: "AIVO-ENC-CLOUDTRAIL",
    severity: "error",
    checkov: ["CKV_AWS_35"],
    message: "CloudTrail trails encrypt their log files with a customer-managed KMS key",
    fix: `set kms_key_id (${FIX_KEY} whose policy grants cloudtrail.amazonaws.com)`,
    evaluate: perResource(["aws_cloudtrail"], (r) => (isCustomerManagedKey(r.config.kms_key_id) ? undefined : "trail without a CMK")),
  },
  {
    id: "AIVO-KMS-ROTATION",
    severity: "error",
    checkov: ["CKV_AWS_7"],
    message: "Symmetric customer-managed KMS keys rotate automatically",
    fix: "set enable_key_rotation = true (CustomerManagedKey always does)",
    evaluate: perResource(["aws_kms_key"], (r) => {
      const spec = r.config.customer_master_key_spec ?? "SYMMETRIC_DEFAULT";
      if (spec !== "SYMMETRIC_DEFAULT") return undefined;
      return isTrue(r.config.enable_key_rotation) ? undefined : "rotation off";
    }),
  },
];
