// Replication: where the primary comes from (a new primary, or a cross-region read replica of another
// region's primary, promoted or not) and the in-region read replicas of the primary.
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { DbInstance, DbInstanceConfig } from "@cdktf/provider-aws/lib/db-instance";
import type { PostgresDatabaseProps } from "./settings";
import type { ResolvedDatabaseSettings } from "./validate";

/** The instance settings the primary and its read replicas share. */
export type SharedInstanceConfig = Omit<DbInstanceConfig, "instanceClass">;

/**
 * The primary's origin: engine, version, database and master user for a new primary; for a
 * cross-region replica, `replicate_source_db` until it is promoted (`replicating`), nothing after.
 */
export function primaryOrigin(
  props: PostgresDatabaseProps,
  settings: ResolvedDatabaseSettings,
  masterUserSecretKmsKeyId: string,
): { readonly replicating: boolean; readonly origin: Partial<DbInstanceConfig> } {
  const crossRegion = props.crossRegionReplicaOf;
  const { engineVersion, databaseName, masterUsername } = settings;
  // A cross-region replica takes engine, version, database and master user from its source; it keeps
  // automated backups (PostgreSQL ≥ 14.1 replicas can), so point-in-time recovery works once promoted.
  const replicating = crossRegion !== undefined && !crossRegion.promoted;
  const origin = crossRegion
    ? replicating
      ? { replicateSourceDb: crossRegion.sourceDbArn }
      : {}
    : {
        engine: "postgres",
        engineVersion,
        allocatedStorage: props.allocatedStorageGb,
        dbName: databaseName,
        username: masterUsername,
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId,
      };
  return { replicating, origin };
}

/**
 * The read replicas `<identifier>-replica-<n>` of `primary`, in this region, of the replica instance
 * class; each depends on its pre-created log groups and on the monitoring role's policy.
 */
export function createReadReplicas(
  scope: Construct,
  props: PostgresDatabaseProps,
  identifier: string,
  readReplicaCount: number,
  primary: DbInstance,
  common: SharedInstanceConfig,
  dependsOn: (scopeId: string) => ITerraformDependable[],
): DbInstance[] {
  const replicas: DbInstance[] = [];
  for (let i = 1; i <= readReplicaCount; i++) {
    const replicaId = `${identifier}-replica-${i}`;
    replicas.push(
      new DbInstance(scope, `replica-${i}`, {
        ...common,
        identifier: replicaId,
        replicateSourceDb: primary.identifier,
        instanceClass: props.replicaInstanceClass ?? props.instanceClass,
        multiAz: false,
        // A replica keeps no automated backups of its own and takes no final snapshot (the primary does).
        backupRetentionPeriod: 0,
        skipFinalSnapshot: true,
        dependsOn: dependsOn(`replica-${i}`),
      }),
    );
  }
  return replicas;
}
