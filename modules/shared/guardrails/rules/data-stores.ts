import { Rule, TfBlock, block, isSet, isTrue, perResource } from "../engine";

/** Days of automated RDS backups below which point-in-time recovery is too short for production. */
export const MIN_BACKUP_RETENTION_DAYS = 7;

const isReplica = (config: TfBlock) => isSet(config.replicate_source_db);

/** RDS, ElastiCache and the data stores other modules add (MSK, Timestream for InfluxDB). */
export const DATA_STORE_RULES: readonly Rule[] = [
  {
    id: "AIVO-RDS-BACKUP",
    severity: "error",
    checkov: ["CKV_AWS_133"],
    message: `RDS instances and clusters keep automated backups for at least ${MIN_BACKUP_RETENTION_DAYS} days (read replicas excepted)`,
    fix: `set backup_retention_period >= ${MIN_BACKUP_RETENTION_DAYS} (database.backupRetentionDays)`,
    evaluate: perResource(["aws_db_instance", "aws_rds_cluster"], (r) => {
      if (isReplica(r.config)) return undefined;
      const days = Number(r.config.backup_retention_period ?? (r.type === "aws_rds_cluster" ? 1 : 0));
      return days >= MIN_BACKUP_RETENTION_DAYS ? undefined : `backup_retention_period ${days}`;
    }),
  },
  {
    id: "AIVO-RDS-DELETION-PROTECTION",
    severity: "error",
    checkov: ["CKV_AWS_293"],
    message: "RDS instances and clusters have deletion protection (read replicas excepted)",
    fix: "set deletion_protection = true (database.deletionProtection)",
    evaluate: perResource(["aws_db_instance", "aws_rds_cluster"], (r) =>
      isReplica(r.config) || isTrue(r.config.deletion_protection) ? undefined : "deletion protection off",
    ),
  },
  {
    id: "AIVO-RDS-IAM-AUTH",
    severity: "error",
    checkov: ["CKV_AWS_161"],
    message: "RDS instances and clusters accept IAM database authentication",
    fix: "set iam_database_authentication_enabled = true",
    evaluate: perResource(["aws_db_instance", "aws_rds_cluster"], (r) =>
      isReplica(r.config) || isTrue(r.config.iam_database_authentication_enabled) ? undefined : "IAM authentication off",
    ),
  },
  {
    id: "AIVO-NOT-PUBLIC",
    severity: "error",
    checkov: ["CKV_AWS_17"],
    message: "Databases and brokers are not publicly accessible",
    fix: "set publicly_accessible = false (RDS, Timestream for InfluxDB) / broker_node_group_info.connectivity_info.public_access.type = DISABLED (MSK)",
    evaluate: perResource(["aws_db_instance", "aws_rds_cluster_instance", "aws_timestreaminfluxdb_db_instance", "aws_msk_cluster"], (r) => {
      if (r.type === "aws_msk_cluster") {
        const access = block(block(block(r.config.broker_node_group_info).connectivity_info).public_access);
        return access.type && access.type !== "DISABLED" ? `public access ${access.type}` : undefined;
      }
      return isTrue(r.config.publicly_accessible) ? "publicly_accessible = true" : undefined;
    }),
  },
  {
    id: "AIVO-ELASTICACHE-TRANSIT",
    severity: "error",
    checkov: ["CKV_AWS_30"],
    message: "ElastiCache replication groups require TLS in transit",
    fix: 'set transit_encryption_enabled = true and transit_encryption_mode = "required"',
    evaluate: perResource(["aws_elasticache_replication_group"], (r) => {
      if (!isTrue(r.config.transit_encryption_enabled)) return "transit encryption off";
      return r.config.transit_encryption_mode === "preferred" ? 'transit_encryption_mode "preferred"' : undefined;
    }),
  },
  {
    id: "AIVO-ELASTICACHE-AUTH",
    severity: "error",
    checkov: ["CKV_AWS_31"],
    message: "ElastiCache replication groups require authentication (an AUTH token or RBAC user groups)",
    fix: "set auth_token (from Secrets Manager, never a literal) or user_group_ids",
    evaluate: perResource(["aws_elasticache_replication_group"], (r) => {
      if (isSet(r.config.user_group_ids) && (r.config.user_group_ids as unknown[]).length !== 0) return undefined;
      if (!isSet(r.config.auth_token)) return "no auth_token or user group";
      return /\$\{/.test(String(r.config.auth_token)) ? undefined : "auth_token is a literal in the configuration";
    }),
  },
];
