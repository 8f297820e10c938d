import { Construct } from "constructs";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";

/** The EFS CSI driver's provisioner name. */
export const EFS_CSI_PROVISIONER = "efs.csi.aws.com";
/** Mount options of every EFS volume: TLS in transit and IAM authorization (the file-system policy denies anything else). */
export const EFS_MOUNT_OPTIONS: readonly string[] = ["tls", "iam"];

export interface EfsStorageClassesProps {
  /** The file system (`FileStorage.fileSystemId`). */
  readonly fileSystemId: string;
  /** One StorageClass per consumer: its POSIX identity and base directory (`FileStorageSettings.accessPoints`). */
  readonly accessPoints: Readonly<Record<string, { readonly uid: number; readonly gid: number; readonly path: string; readonly permissions?: string }>>;
  /** Prefix of the StorageClass names: `<prefix>-<consumer>`. @default "efs" */
  readonly namePrefix?: string;
}

/**
 * One Kubernetes StorageClass per EFS consumer, for the `<env>-workloads` stack (needs a configured
 * `kubernetes` provider): dynamic provisioning through EFS access points (`provisioningMode: efs-ap`)
 * under the consumer's base directory, owned by its uid/gid, mounted with TLS and IAM, volumes retained
 * when a claim is deleted.
 */
export class EfsStorageClasses extends Construct {
  /** StorageClass names by consumer. */
  readonly storageClassNames: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: EfsStorageClassesProps) {
    super(scope, id);
    const names: Record<string, string> = {};
    for (const [consumer, ap] of Object.entries(props.accessPoints)) {
      const name = `${props.namePrefix ?? "efs"}-${consumer}`;
      new StorageClassV1(this, consumer, {
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
    }
    this.storageClassNames = names;
  }
}
