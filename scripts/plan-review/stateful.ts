/**
 * Which resources hold data or identity that a destroy loses for good. A destroy or replacement of
 * one of these is listed first in the review and, in a protected stack, blocks the pull request
 * unless its address is allow-listed.
 */
import { STATE_BACKEND } from "../../environments/state";

/** A category of stateful resource, as the review names it. */
export type StatefulCategory =
  | "state backend"
  | "database"
  | "cache"
  | "cluster"
  | "KMS key"
  | "bucket"
  | "table"
  | "file system"
  | "backup vault"
  | "hosted zone"
  | "secret"
  | "stream"
  | "Kubernetes data";

/** Resource type → category. Add a type here when a module starts using a new stateful service. */
export const STATEFUL_TYPES: Readonly<Record<string, StatefulCategory>> = {
  aws_db_instance: "database",
  aws_rds_cluster: "database",
  aws_rds_cluster_instance: "database",
  aws_rds_global_cluster: "database",
  aws_docdb_cluster: "database",
  aws_neptune_cluster: "database",
  aws_redshift_cluster: "database",
  aws_timestreaminfluxdb_db_instance: "database",
  aws_timestreaminfluxdb_db_cluster: "database",
  aws_timestreamwrite_database: "database",
  aws_elasticache_replication_group: "cache",
  aws_elasticache_cluster: "cache",
  aws_elasticache_serverless_cache: "cache",
  aws_elasticache_global_replication_group: "cache",
  aws_memorydb_cluster: "cache",
  aws_eks_cluster: "cluster",
  aws_msk_cluster: "cluster",
  aws_msk_serverless_cluster: "cluster",
  aws_opensearch_domain: "cluster",
  aws_kms_key: "KMS key",
  aws_kms_replica_key: "KMS key",
  aws_kms_external_key: "KMS key",
  aws_s3_bucket: "bucket",
  aws_s3_directory_bucket: "bucket",
  aws_dynamodb_table: "table",
  aws_timestreamwrite_table: "table",
  aws_keyspaces_table: "table",
  aws_efs_file_system: "file system",
  aws_fsx_lustre_file_system: "file system",
  aws_fsx_ontap_file_system: "file system",
  aws_fsx_openzfs_file_system: "file system",
  aws_fsx_windows_file_system: "file system",
  aws_ebs_volume: "file system",
  aws_backup_vault: "backup vault",
  aws_route53_zone: "hosted zone",
  aws_secretsmanager_secret: "secret",
  aws_kinesis_stream: "stream",
  aws_sqs_queue: "stream",
  kubernetes_persistent_volume_claim: "Kubernetes data",
  kubernetes_persistent_volume_claim_v1: "Kubernetes data",
  kubernetes_persistent_volume: "Kubernetes data",
  kubernetes_persistent_volume_v1: "Kubernetes data",
  kubernetes_namespace: "Kubernetes data",
  kubernetes_namespace_v1: "Kubernetes data",
};

/** Names (bucket, table, alias) that identify the Terraform state backend itself. */
const STATE_BACKEND_NAMES: ReadonlySet<string> = new Set([STATE_BACKEND.bucket, STATE_BACKEND.lockTable]);

/**
 * The category of a resource, or `undefined` when it is not stateful. The state bucket and lock
 * table are recognised by name in the prior object (`before.bucket` / `before.name`), so they are
 * called out as the state backend whatever their address.
 */
export function statefulCategory(type: string, before: unknown): StatefulCategory | undefined {
  if (before !== null && typeof before === "object") {
    const b = before as Record<string, unknown>;
    for (const field of ["bucket", "name"]) {
      const value = b[field];
      if (typeof value === "string" && STATE_BACKEND_NAMES.has(value) && (type === "aws_s3_bucket" || type === "aws_dynamodb_table")) {
        return "state backend";
      }
    }
  }
  return STATEFUL_TYPES[type];
}
