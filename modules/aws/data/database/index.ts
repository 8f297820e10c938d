// The RDS PostgreSQL construct, in parts: settings.ts (settings, props, shared constants), validate.ts
// (the rules), parameters.ts (the parameter group), replica.ts (the primary as a cross-region replica,
// the read replicas), monitoring.ts (the enhanced-monitoring role and the alarms).
// Every part creates its resources in this construct's scope, so their Terraform addresses don't
// depend on the file they are written in.
import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { AwsContext } from "../../../shared/aws-context";
import { CustomerManagedKey } from "../../../shared/kms";
import { EncryptedLogGroups } from "../../observability/log-group";
import { ServiceSecurityGroup } from "../../network/service-security-group";
import { createAlarms, createMonitoringRole } from "./monitoring";
import { createParameterGroup } from "./parameters";
import { createReadReplicas, primaryOrigin, SharedInstanceConfig } from "./replica";
import { POSTGRES_LOG_EXPORTS, POSTGRES_PORT, PostgresDatabaseProps, RDS_CA_CERT_IDENTIFIER } from "./settings";
import { validateDatabaseProps } from "./validate";

export * from "./settings";
export { POSTGRES_BASE_PARAMETERS, postgresParameterFamily } from "./parameters";

/**
 * RDS for PostgreSQL: one primary (multi-AZ where asked) plus read replicas; gp3 storage with
 * autoscaling; storage, Performance Insights and the RDS-managed master password under CMKs; TLS only
 * (`rds.force_ssl`, TLS 1.2+, CA `rds-ca-rsa2048-g1`); IAM database authentication; enhanced
 * monitoring; `postgresql` and `upgrade` logs exported to pre-created CMK-encrypted log groups; deletion
 * protection and a kept final snapshot; its own security group; CPU, storage, memory and replica-lag
 * alarms.
 */
export class PostgresDatabase extends Construct {
  /** The primary instance (escape hatch). */
  readonly instance: DbInstance;
  /** The read replicas, in order. */
  readonly replicas: readonly DbInstance[];
  /** `aivo-<env>-postgres`. */
  readonly instanceIdentifier: string;
  /** The primary's ARN (for AWS Backup selections). */
  readonly instanceArn: string;
  /** The primary's DNS address. */
  readonly address: string;
  /** The replicas' DNS addresses. */
  readonly replicaAddresses: readonly string[];
  /** Always 5432. */
  readonly port: number = POSTGRES_PORT;
  /** The `dbi-resource-id`, for `rds-db:connect` IAM policies. */
  readonly resourceId: string;
  /**
   * ARN of the RDS-managed Secrets Manager secret with the master user's credentials; undefined for a
   * cross-region replica (the source's secret cannot be replicated; see `crossRegionReplicaOf`).
   */
  readonly masterUserSecretArn?: string;
  /** ARN of the CMK for the master user secret (in a DR region: the key to use when the promoted replica manages its password). */
  readonly masterUserSecretKmsKeyArn: string;
  /** True when the instance is a cross-region read replica (`crossRegionReplicaOf`, not promoted). */
  readonly isCrossRegionReplica: boolean;
  /** The database's security group id. */
  readonly securityGroupId: string;
  /** ARN of the CMK encrypting storage, snapshots and Performance Insights. */
  readonly kmsKeyArn: string;
  /** The parameter family, e.g. `postgres15`. */
  readonly parameterFamily: string;
  /** The alarms created. */
  readonly alarms: readonly CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    const env = props.naming.environment;
    const crossRegion = props.crossRegionReplicaOf;

    // ---- validation, before any resource --------------------------------------------------------
    const settings = validateDatabaseProps(props);
    const { tier, deletionProtection, readReplicaCount, backupWindow, maintenanceWindow, piRetention, monitoringInterval } = settings;

    // ---- keys -----------------------------------------------------------------------------------
    const identifier = props.naming.name("postgres");
    const context = AwsContext.of(this);
    const dataKey = new CustomerManagedKey(this, "data-key", {
      naming: props.naming,
      purpose: "rds",
      description: `RDS ${identifier}: storage, snapshots, replicas and Performance Insights`,
    });
    const secretKey = new CustomerManagedKey(this, "secret-key", {
      naming: props.naming,
      purpose: "rds-master-secret",
      description: `RDS ${identifier}: the RDS-managed master user secret`,
    });
    this.kmsKeyArn = dataKey.keyArn;
    this.masterUserSecretKmsKeyArn = secretKey.keyArn;

    // ---- network, parameters, monitoring role ---------------------------------------------------
    const securityGroup = new ServiceSecurityGroup(this, "security-group", {
      name: identifier,
      description: `RDS PostgreSQL ${identifier}`,
      vpcId: props.vpcId,
      port: POSTGRES_PORT,
      allowedSecurityGroupIds: props.allowedSecurityGroupIds,
    });
    this.securityGroupId = securityGroup.securityGroupId;

    this.parameterFamily = settings.family;
    const parameterGroup = createParameterGroup(this, props, identifier, settings.family, settings.logMinDuration);
    const { monitoringRole, monitoringPolicy } = createMonitoringRole(this, props, identifier, context);

    // RDS writes to exactly these names; pre-creating them sets retention and the CMK.
    const instances: Record<string, string> = { primary: identifier };
    for (let i = 1; i <= readReplicaCount; i++) instances[`replica-${i}`] = `${identifier}-replica-${i}`;
    const logs = new EncryptedLogGroups(this, "logs", {
      naming: props.naming,
      keyPurpose: "rds-logs",
      description: `RDS ${identifier}: exported PostgreSQL logs`,
      logGroups: Object.fromEntries(
        Object.entries(instances).flatMap(([scopeId, instanceId]) =>
          POSTGRES_LOG_EXPORTS.map((log) => [`${scopeId}-log-${log}`, `/aws/rds/instance/${instanceId}/${log}`]),
        ),
      ),
      retentionInDays: props.logRetentionDays,
      retentionFieldPath: `${env}.logRetentionDays`,
    });
    const logGroupsFor = (scopeId: string) => POSTGRES_LOG_EXPORTS.map((log) => logs.group(`${scopeId}-log-${log}`));

    // Settings shared by the primary and its replicas.
    const common: SharedInstanceConfig = {
      storageType: "gp3",
      maxAllocatedStorage: props.maxAllocatedStorageGb,
      storageEncrypted: true,
      kmsKeyId: dataKey.keyArn,
      parameterGroupName: parameterGroup.name,
      vpcSecurityGroupIds: [securityGroup.securityGroupId],
      publiclyAccessible: false,
      port: POSTGRES_PORT,
      caCertIdentifier: RDS_CA_CERT_IDENTIFIER,
      iamDatabaseAuthenticationEnabled: true,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: dataKey.keyArn,
      performanceInsightsRetentionPeriod: piRetention,
      monitoringInterval,
      monitoringRoleArn: monitoringRole.arn,
      enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
      // Minor releases (security fixes) are applied by RDS in the maintenance window, on the primary
      // and on each replica; engine_version pins the major only, so this causes no drift.
      autoMinorVersionUpgrade: true,
      copyTagsToSnapshot: true,
      deletionProtection,
      maintenanceWindow,
      applyImmediately: props.applyImmediately ?? false,
    };

    // ---- primary --------------------------------------------------------------------------------
    const primaryLogs = logGroupsFor("primary");
    const { replicating, origin } = primaryOrigin(props, settings, secretKey.keyArn);
    this.instance = new DbInstance(this, "primary", {
      ...common,
      ...origin,
      identifier,
      instanceClass: props.instanceClass,
      dbSubnetGroupName: props.dbSubnetGroupName,
      multiAz: props.multiAz,
      backupRetentionPeriod: props.backupRetentionDays,
      backupWindow,
      deleteAutomatedBackups: false,
      // Production keeps a final snapshot of its primary. RDS takes none of a read replica, and elsewhere
      // none is taken: its fixed name would make the second destroy of a rebuilt environment fail (the
      // snapshot of the first one still exists), and those environments hold no data worth it (AWS
      // Backup's recovery points cover them).
      ...(tier === "production" && !replicating
        ? { skipFinalSnapshot: false, finalSnapshotIdentifier: `${identifier}-final` }
        : { skipFinalSnapshot: true }),
      dependsOn: [...primaryLogs, monitoringPolicy],
    });
    this.instanceIdentifier = identifier;
    this.instanceArn = this.instance.arn;
    this.address = this.instance.address;
    this.resourceId = this.instance.resourceId;
    this.isCrossRegionReplica = replicating;
    if (!crossRegion) this.masterUserSecretArn = this.instance.masterUserSecret.get(0).secretArn;

    // ---- read replicas --------------------------------------------------------------------------
    const replicas = createReadReplicas(this, props, identifier, readReplicaCount, this.instance, common, (scopeId) => [
      ...logGroupsFor(scopeId),
      monitoringPolicy,
    ]);
    this.replicas = replicas;
    this.replicaAddresses = replicas.map((r) => r.address);

    // ---- alarms ---------------------------------------------------------------------------------
    this.alarms = createAlarms(this, props, identifier, settings, replicating, replicas);
  }
}
