import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { EfsAccessPoint } from "@cdktf/provider-aws/lib/efs-access-point";
import { EfsBackupPolicy } from "@cdktf/provider-aws/lib/efs-backup-policy";
import { EfsFileSystem } from "@cdktf/provider-aws/lib/efs-file-system";
import { EfsFileSystemPolicy } from "@cdktf/provider-aws/lib/efs-file-system-policy";
import { EfsMountTarget } from "@cdktf/provider-aws/lib/efs-mount-target";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { AwsContext } from "../../../shared/aws-context";
import { managedPolicyArn, policyDocument } from "../../../shared/iam";
import { ServiceAccountRole } from "../../compute/irsa-role";
import { CustomerManagedKey } from "../../../shared/kms";
import { Naming } from "../../../shared/naming";
import { ServiceSecurityGroup } from "../../network/service-security-group";

export * from "./storage-class";

/** The environment config section this module reads: `<env>.fileStorage`. */
export const FILE_STORAGE_SECTION = "fileStorage";
/** NFS, the one port of the mount targets. */
export const NFS_PORT = 2049;
/** The EKS add-on of the EFS CSI driver and the controller's service account. */
export const EFS_CSI_ADDON = "aws-efs-csi-driver";
/** The NFS client actions a mount needs (read-only mounts need only ClientMount); access points set the POSIX user, so no ClientRootAccess. */
export const EFS_CLIENT_ACTIONS = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"] as const;
export const EFS_CSI_SERVICE_ACCOUNT = { namespace: "kube-system", name: "efs-csi-controller-sa" } as const;
/** The node DaemonSet's service account; the add-on gives it the same role (its mounts authorize with IAM). */
export const EFS_CSI_NODE_SERVICE_ACCOUNT = "efs-csi-node-sa";
/** The lifecycle transitions to Infrequent Access EFS accepts. */
export const EFS_IA_TRANSITIONS = ["AFTER_1_DAY", "AFTER_7_DAYS", "AFTER_14_DAYS", "AFTER_30_DAYS", "AFTER_60_DAYS", "AFTER_90_DAYS"] as const;
export type EfsIaTransition = (typeof EFS_IA_TRANSITIONS)[number];

/** One EFS access point: a consumer's POSIX identity and root directory. */
export interface EfsAccessPointSettings {
  /** POSIX user id the consumer's NFS operations run as. */
  readonly uid: number;
  /** POSIX group id. */
  readonly gid: number;
  /** The consumer's root directory, e.g. `/jarvis/checkpoints`; created on first use. */
  readonly path: string;
  /** Octal permissions of the root directory when EFS creates it. @default "0750" */
  readonly permissions?: string;
}

/** Per-environment EFS settings (`<env>.fileStorage`). */
export interface FileStorageSettings {
  /** Create the file system; development may turn it off. Staging and production must keep it. @default true */
  readonly enabled?: boolean;
  /** `elastic` (pay per use), `bursting`, or `provisioned` with `provisionedThroughputMibps` (production, as the document says). */
  readonly throughputMode: "elastic" | "bursting" | "provisioned";
  /** MiB/s when `throughputMode` is `provisioned` (1-3414). */
  readonly provisionedThroughputMibps?: number;
  /** Days without access before files move to Infrequent Access. @default "AFTER_30_DAYS" */
  readonly transitionToIa?: EfsIaTransition;
  /** Access points by consumer name (lowercase, e.g. `jarvis-checkpoints`); each gets a StorageClass. */
  readonly accessPoints: Readonly<Record<string, EfsAccessPointSettings>>;
}

export interface FileStorageProps extends FileStorageSettings {
  readonly naming: Naming;
  /** Production demands provisioned throughput. */
  readonly tier: "development" | "staging" | "production";
  readonly vpcId: string;
  /** The private subnets by AZ: one mount target each, keyed by AZ. */
  readonly privateSubnetIdsByAz: Readonly<Record<string, string>>;
  /** Security groups that may mount over NFS (the EKS nodes). */
  readonly allowedSecurityGroupIds: readonly string[];
  /** The EKS cluster the CSI driver add-on goes into, with its IRSA wiring. */
  readonly cluster: { readonly name: string; readonly oidcProviderArn: string; readonly oidcIssuerUrl: string };
  /** What the CSI add-on waits for (its pods must schedule for it to turn ACTIVE): the node groups. @default none */
  readonly addonDependsOn?: readonly ITerraformDependable[];
}

/** The consumers of the infrastructure document ("Jarvis Checkpoints", "Shared Storage") and their POSIX identities. */
export const DOCUMENT_ACCESS_POINTS: Readonly<Record<string, EfsAccessPointSettings>> = {
  "jarvis-checkpoints": { uid: 10001, gid: 10001, path: "/jarvis/checkpoints", permissions: "0750" },
  shared: { uid: 10002, gid: 10002, path: "/shared", permissions: "0770" },
};

const CONSUMER_NAME = /^[a-z][a-z0-9-]{0,40}[a-z0-9]$/;

/** Checks the settings; throws `<env>.fileStorage.<field>: <value> …`. */
export function validateFileStorage(env: string, tier: string, s: FileStorageSettings): void {
  const at = (f: string) => `${env}.${FILE_STORAGE_SECTION}.${f}`;
  if (s.enabled === false && tier !== "development") {
    throw new Error(`${at("enabled")}: false; only development may turn EFS off (${tier} keeps it)`);
  }
  if (tier === "production" && s.throughputMode !== "provisioned") {
    throw new Error(`${at("throughputMode")}: "${s.throughputMode}"; production uses "provisioned" throughput for predictable performance`);
  }
  if (s.throughputMode === "provisioned") {
    const mibps = s.provisionedThroughputMibps;
    if (mibps === undefined || !Number.isInteger(mibps) || mibps < 1 || mibps > 3414) {
      throw new Error(`${at("provisionedThroughputMibps")}: ${mibps} must be a whole number of MiB/s in 1..3414 with provisioned throughput`);
    }
  } else if (s.provisionedThroughputMibps !== undefined) {
    throw new Error(`${at("provisionedThroughputMibps")}: ${s.provisionedThroughputMibps} is only used with throughputMode "provisioned"; remove it`);
  }
  if (s.transitionToIa !== undefined && !(EFS_IA_TRANSITIONS as readonly string[]).includes(s.transitionToIa)) {
    throw new Error(`${at("transitionToIa")}: "${s.transitionToIa}" is not an EFS transition; use one of ${EFS_IA_TRANSITIONS.join(", ")}`);
  }
  for (const [name, ap] of Object.entries(s.accessPoints)) {
    const p = at(`accessPoints.${name}`);
    if (!CONSUMER_NAME.test(name)) throw new Error(`${p}: "${name}" is not a consumer name; use 2-42 lowercase letters, digits and "-"`);
    for (const id of ["uid", "gid"] as const) {
      if (!Number.isInteger(ap[id]) || ap[id] < 1 || ap[id] > 4294967295) {
        throw new Error(`${p}.${id}: ${ap[id]} must be a POSIX id in 1..4294967295 (0, root, is not allowed)`);
      }
    }
    if (!/^(\/[A-Za-z0-9._-]+)+$/.test(ap.path)) {
      throw new Error(`${p}.path: "${ap.path}" is not an absolute directory below /; use e.g. /jarvis/checkpoints`);
    }
    if (ap.permissions !== undefined && !/^0?[0-7]{3}$/.test(ap.permissions)) {
      throw new Error(`${p}.permissions: "${ap.permissions}" is not octal permissions like 0750`);
    }
  }
}

/**
 * The environment's shared EFS file system (Jarvis checkpoints, multi-AZ shared storage): encrypted
 * with its own CMK, throughput mode from config, automatic backups, lifecycle to Infrequent Access (and
 * back on access), one mount target per private subnet behind a security group admitting NFS from the
 * nodes only, a file-system policy denying non-TLS and anonymous access, one access point per consumer,
 * and the `aws-efs-csi-driver` EKS add-on with its own IRSA role.
 */
export class FileStorage extends Construct {
  readonly fileSystem: EfsFileSystem;
  readonly fileSystemId: string;
  readonly fileSystemArn: string;
  /** Access point ids by consumer name. */
  readonly accessPointIds: Readonly<Record<string, string>>;
  readonly securityGroupId: string;
  readonly kmsKeyArn: string;
  /** The CSI driver's IRSA role ARN. */
  readonly csiDriverRoleArn: string;
  readonly csiDriverAddon: EksAddon;

  constructor(scope: Construct, id: string, props: FileStorageProps) {
    super(scope, id);
    validateFileStorage(props.naming.environment, props.tier, props);
    const name = props.naming.name("efs");
    const context = AwsContext.of(this);

    const key = new CustomerManagedKey(this, "key", {
      naming: props.naming,
      purpose: "efs",
      description: `EFS ${name}: file data and metadata at rest`,
    });
    this.kmsKeyArn = key.keyArn;
    this.fileSystem = new EfsFileSystem(this, "file-system", {
      creationToken: name,
      encrypted: true,
      kmsKeyId: key.keyArn,
      performanceMode: "generalPurpose",
      throughputMode: props.throughputMode,
      ...(props.throughputMode === "provisioned" ? { provisionedThroughputInMibps: props.provisionedThroughputMibps } : {}),
      lifecyclePolicy: [
        { transitionToIa: props.transitionToIa ?? "AFTER_30_DAYS" },
        { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" },
      ],
      tags: { Name: name },
    });
    this.fileSystemId = this.fileSystem.id;
    this.fileSystemArn = this.fileSystem.arn;
    new EfsBackupPolicy(this, "backup", { fileSystemId: this.fileSystem.id, backupPolicy: { status: "ENABLED" } });

    const sg = new ServiceSecurityGroup(this, "security-group", {
      name,
      description: `EFS ${name} mount targets`,
      vpcId: props.vpcId,
      port: NFS_PORT,
      allowedSecurityGroupIds: props.allowedSecurityGroupIds,
    });
    this.securityGroupId = sg.securityGroupId;
    for (const [az, subnetId] of Object.entries(props.privateSubnetIdsByAz)) {
      new EfsMountTarget(this, `mount-target-${az}`, {
        fileSystemId: this.fileSystem.id,
        subnetId,
        securityGroups: [sg.securityGroupId],
      });
    }

    const ids: Record<string, string> = {};
    for (const [consumer, ap] of Object.entries(props.accessPoints)) {
      ids[consumer] = new EfsAccessPoint(this, `access-point-${consumer}`, {
        fileSystemId: this.fileSystem.id,
        posixUser: { uid: ap.uid, gid: ap.gid },
        rootDirectory: {
          path: ap.path,
          creationInfo: { ownerUid: ap.uid, ownerGid: ap.gid, permissions: ap.permissions ?? "0750" },
        },
        tags: { Name: `${name}-${consumer}` },
      }).id;
    }
    this.accessPointIds = ids;

    // The CSI driver (its controller and node pods share the role) mounts with `iam`: its role is the
    // NFS client. Granted by name in both its own policy and the file system's, with only condition keys
    // EFS evaluates for NFS clients (aws:SecureTransport, aws:SourceIp, elasticfilesystem:AccessPointArn,
    // elasticfilesystem:AccessedViaMountTarget — EFS user guide, "Using IAM to control file system data
    // access"); aws:PrincipalAccount is not among them.
    const clientStatement = {
      Action: [...EFS_CLIENT_ACTIONS],
      Resource: this.fileSystem.arn,
      Condition: { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } },
    };
    const role = new ServiceAccountRole(this, "csi-role", {
      naming: props.naming,
      name: "eks-efs-csi-driver",
      description: `EFS CSI driver (controller and node) of ${props.cluster.name}`,
      oidcProviderArn: props.cluster.oidcProviderArn,
      oidcIssuerUrl: props.cluster.oidcIssuerUrl,
      namespace: EFS_CSI_SERVICE_ACCOUNT.namespace,
      serviceAccount: EFS_CSI_SERVICE_ACCOUNT.name,
      additionalServiceAccounts: [EFS_CSI_NODE_SERVICE_ACCOUNT],
      managedPolicyArns: {
        AmazonEFSCSIDriverPolicy: managedPolicyArn(context.partition, "service-role/AmazonEFSCSIDriverPolicy"),
      },
      // The managed policy manages access points only; mounting and writing are client actions.
      statements: [{ Sid: "MountAndWriteThroughMountTargets", ...clientStatement }],
    });
    this.csiDriverRoleArn = role.roleArn;
    new EfsFileSystemPolicy(this, "policy", {
      fileSystemId: this.fileSystem.id,
      policy: policyDocument([
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: { AWS: "*" },
          Action: "*",
          Resource: this.fileSystem.arn,
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        { Sid: "AllowCsiDriverThroughMountTargets", Principal: { AWS: role.roleArn }, ...clientStatement },
      ]),
    });
    this.csiDriverAddon = new EksAddon(this, "csi-driver", {
      clusterName: props.cluster.name,
      addonName: EFS_CSI_ADDON,
      serviceAccountRoleArn: role.roleArn,
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      ...(props.addonDependsOn?.length ? { dependsOn: [...props.addonDependsOn] } : {}),
    });
  }
}
