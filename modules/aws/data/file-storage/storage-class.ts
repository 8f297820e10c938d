import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { PersistentVolumeV1 } from "@cdktf/provider-kubernetes/lib/persistent-volume-v1";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";

/** The EFS CSI driver's provisioner name. */
export const EFS_CSI_PROVISIONER = "efs.csi.aws.com";
/** Mount options of every EFS volume: TLS in transit and IAM authorization (the file-system policy denies anything else). */
export const EFS_MOUNT_OPTIONS: readonly string[] = ["tls", "iam"];
/**
 * The capacity a static EFS volume declares. EFS is elastic and ignores it, but Kubernetes binds a claim
 * only to a volume at least as large as its request, so it is set high.
 */
export const EFS_NOMINAL_CAPACITY = "1Pi";

/** `<fileSystemId>::<accessPointId>`: the EFS CSI volume handle of a volume mounted through an access point. */
export function efsVolumeHandle(fileSystemId: string, accessPointId: string): string {
  return `${fileSystemId}::${accessPointId}`;
}

export interface EfsStorageClassesProps {
  /** The file system (`FileStorage.fileSystemId`). */
  readonly fileSystemId: string;
  /** One StorageClass per consumer: its POSIX identity and base directory (`FileStorageSettings.accessPoints`). */
  readonly accessPoints: Readonly<Record<string, { readonly uid: number; readonly gid: number; readonly path: string; readonly permissions?: string }>>;
  /** Prefix of the StorageClass names: `<prefix>-<consumer>`. @default "efs" */
  readonly namePrefix?: string;
  /**
   * The access points Terraform created (`FileStorage.accessPointIds`), by consumer: each becomes a
   * static PersistentVolume `<prefix>-<consumer>` of its StorageClass, so the consumer's first claim
   * mounts exactly that access point (its POSIX user and root directory enforced by EFS).
   * @default none (dynamic provisioning only)
   */
  readonly accessPointIds?: Readonly<Record<string, string>>;
  /** Resources that must exist first. @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * One Kubernetes StorageClass per EFS consumer (core objects, created by the `<env>-addons` stack):
 * dynamic provisioning through EFS access points (`provisioningMode: efs-ap`) under the consumer's base
 * directory, owned by its uid/gid, mounted with TLS and IAM, volumes retained when a claim is deleted.
 * With `accessPointIds`, each class also gets a static PersistentVolume on the access point Terraform
 * created: Kubernetes binds a claim to an available matching volume before provisioning a new one.
 */
export class EfsStorageClasses extends Construct {
  /** StorageClass names by consumer. */
  readonly storageClassNames: Readonly<Record<string, string>>;
  /** The static volumes on the configured access points, by consumer (empty without `accessPointIds`). */
  readonly volumes: Readonly<Record<string, PersistentVolumeV1>>;

  constructor(scope: Construct, id: string, props: EfsStorageClassesProps) {
    super(scope, id);
    const names: Record<string, string> = {};
    const volumes: Record<string, PersistentVolumeV1> = {};
    for (const consumer of Object.keys(props.accessPointIds ?? {})) {
      if (!(consumer in props.accessPoints)) throw new Error(`accessPointIds.${consumer}: no access point settings for "${consumer}"; use one of ${Object.keys(props.accessPoints).join(", ")}`);
    }
    for (const [consumer, ap] of Object.entries(props.accessPoints)) {
      const name = `${props.namePrefix ?? "efs"}-${consumer}`;
      const storageClass = new StorageClassV1(this, consumer, {
        dependsOn: props.dependsOn,
        metadata: { name, labels: { "app.kubernetes.io/managed-by": "cdktf" } },
        storageProvisioner: EFS_CSI_PROVISIONER,
        reclaimPolicy: "Retain",
        volumeBindingMode: "Immediate",
        mountOptions: [...EFS_MOUNT_OPTIONS],
        parameters: {
          provisioningMode: "efs-ap",
          fileSystemId: props.fileSystemId,
          directoryPerms: (ap.permissions ?? "0750").replace(/^0?/, ""),
          uid: String(ap.uid),
          gid: String(ap.gid),
          basePath: ap.path,
        },
      });
      names[consumer] = name;
      const accessPointId = props.accessPointIds?.[consumer];
      if (accessPointId === undefined) continue;
      volumes[consumer] = new PersistentVolumeV1(this, `${consumer}-volume`, {
        metadata: { name, labels: { "app.kubernetes.io/managed-by": "cdktf" } },
        spec: [
          {
            storageClassName: storageClass.metadata.name,
            accessModes: ["ReadWriteMany"],
            capacity: { storage: EFS_NOMINAL_CAPACITY },
            persistentVolumeReclaimPolicy: "Retain",
            volumeMode: "Filesystem",
            mountOptions: [...EFS_MOUNT_OPTIONS],
            persistentVolumeSource: { csi: { driver: EFS_CSI_PROVISIONER, volumeHandle: efsVolumeHandle(props.fileSystemId, accessPointId) } },
          },
        ],
      });
    }
    this.storageClassNames = names;
    this.volumes = volumes;
  }
}
