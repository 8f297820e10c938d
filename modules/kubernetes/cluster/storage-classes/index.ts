import { Fn, ITerraformDependable, Token } from "cdktf";
import { Construct } from "constructs";
import { Annotations } from "@cdktf/provider-kubernetes/lib/annotations";
import { DataKubernetesResources } from "@cdktf/provider-kubernetes/lib/data-kubernetes-resources";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";

/** The EBS CSI driver's provisioner name. */
export const EBS_CSI_PROVISIONER = "ebs.csi.aws.com";
/** The annotation that marks a StorageClass as the cluster's default. */
export const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
/** The class EKS creates (in-tree gp2); demoted so the platform's class is the only default. */
export const EKS_GP2_CLASS = "gp2";

/** io2 Block Express limits (https://docs.aws.amazon.com/ebs/latest/userguide/provisioned-iops.html). */
export const IO2_LIMITS = { minIops: 100, maxIops: 256_000, maxIopsPerGiB: 1000 } as const;
/** gp3 provisioned IOPS limits (3,000 baseline included). */
export const GP3_LIMITS = { minIops: 3000, maxIops: 80_000 } as const;

export type EbsVolumeType = "gp3" | "io2";

/** One EBS StorageClass, encrypted with the EBS CMK, bound when the pod is scheduled, expandable. */
export interface StorageClassSettings {
  /** EBS volume type. */
  readonly type: EbsVolumeType;
  /** Mark the class as the cluster's default; exactly one class is the default. @default false */
  readonly default?: boolean;
  /**
   * Provisioned IOPS per volume. io2: 100–256,000 (one of `iops`, `iopsPerGiB`; a volume must be at least
   * `iops / 1000` GiB). gp3: 3,000–80,000. @default gp3: 3,000 (the baseline)
   */
  readonly iops?: number;
  /** io2 only: IOPS per GiB of the volume, 1–1,000 (scales with the claim's size). @default none */
  readonly iopsPerGiB?: number;
  /** What happens to the volume when its claim is deleted. @default "Delete" for gp3, "Retain" for io2 */
  readonly reclaimPolicy?: "Delete" | "Retain";
}

/** Per-environment storage classes (at `<env>.storageClasses`). */
export interface StorageClassesSettings {
  /** Classes by name. @default DEFAULT_STORAGE_CLASSES */
  readonly classes?: Readonly<Record<string, StorageClassSettings>>;
  /**
   * Remove the default flag from EKS's `gp2` class where the cluster has one (the annotation is applied
   * only when the plan-time read finds the class, so a cluster without `gp2` plans cleanly). @default true
   */
  readonly demoteGp2?: boolean;
}

/** `gp3` (default, general use) and `io2` (databases, 50 IOPS/GiB: 5,000 IOPS at 100 GiB). */
export const DEFAULT_STORAGE_CLASSES: Readonly<Record<string, StorageClassSettings>> = {
  gp3: { type: "gp3", default: true },
  io2: { type: "io2", iopsPerGiB: 50 },
};

const isWhole = (n: number) => Number.isInteger(n);

/**
 * Throws `<where>.classes.<name>.<field>: <value> <rule>`: IOPS outside the volume type's range, IOPS
 * per GiB on gp3 or above 1,000 on io2, an io2 class without IOPS, a class named `gp2`, and anything
 * but exactly one default class.
 */
export function validateStorageClasses(where: string, settings: StorageClassesSettings): void {
  const classes = settings.classes ?? DEFAULT_STORAGE_CLASSES;
  for (const [name, c] of Object.entries(classes)) {
    const at = `${where}.classes.${name}`;
    if (!/^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/.test(name)) throw new Error(`${at}: "${name}" is not a Kubernetes object name`);
    if (name === EKS_GP2_CLASS) throw new Error(`${at}: "${name}" is the class EKS creates; name the class otherwise`);
    if (c.type === "io2") {
      if ((c.iops === undefined) === (c.iopsPerGiB === undefined)) {
        throw new Error(`${at}: an io2 class needs exactly one of iops (${IO2_LIMITS.minIops}–${IO2_LIMITS.maxIops}) or iopsPerGiB (1–${IO2_LIMITS.maxIopsPerGiB})`);
      }
      if (c.iops !== undefined && (!isWhole(c.iops) || c.iops < IO2_LIMITS.minIops || c.iops > IO2_LIMITS.maxIops)) {
        throw new Error(`${at}.iops: ${c.iops} is outside what io2 allows (${IO2_LIMITS.minIops}–${IO2_LIMITS.maxIops} IOPS)`);
      }
      if (c.iopsPerGiB !== undefined && (!isWhole(c.iopsPerGiB) || c.iopsPerGiB < 1 || c.iopsPerGiB > IO2_LIMITS.maxIopsPerGiB)) {
        throw new Error(`${at}.iopsPerGiB: ${c.iopsPerGiB} is outside what io2 allows (1–${IO2_LIMITS.maxIopsPerGiB} IOPS per GiB)`);
      }
    } else if (c.type === "gp3") {
      if (c.iopsPerGiB !== undefined) throw new Error(`${at}.iopsPerGiB: ${c.iopsPerGiB} applies to io2 only; gp3 takes a fixed iops`);
      if (c.iops !== undefined && (!isWhole(c.iops) || c.iops < GP3_LIMITS.minIops || c.iops > GP3_LIMITS.maxIops)) {
        throw new Error(`${at}.iops: ${c.iops} is outside what gp3 allows (${GP3_LIMITS.minIops}–${GP3_LIMITS.maxIops} IOPS)`);
      }
    } else {
      throw new Error(`${at}.type: "${String((c as { type: unknown }).type)}" is not gp3 or io2`);
    }
  }
  const defaults = Object.entries(classes).filter(([, c]) => c.default).map(([name]) => name);
  if (defaults.length !== 1) {
    throw new Error(
      `${where}.classes: ${defaults.length === 0 ? "no class is" : `${defaults.join(", ")} are all`} marked default; exactly one class must be the default (claims without a class use it)`,
    );
  }
}

/** The EBS CSI parameters of a class: type, encryption with `kmsKeyArn`, IOPS, ext4. */
export function storageClassParameters(c: StorageClassSettings, kmsKeyArn: string): Record<string, string> {
  return {
    type: c.type,
    encrypted: "true",
    kmsKeyId: kmsKeyArn,
    "csi.storage.k8s.io/fstype": "ext4",
    ...(c.iops !== undefined ? { iops: String(c.iops) } : {}),
    // Small claims are raised to io2's 100 IOPS minimum instead of failing.
    ...(c.iopsPerGiB !== undefined ? { iopsPerGB: String(c.iopsPerGiB), allowAutoIOPSPerGBIncrease: "true" } : {}),
  };
}

export interface StorageClassesProps extends StorageClassesSettings {
  /** Where the settings live, e.g. `production.storageClasses`; prefixes validation messages. */
  readonly where: string;
  /** The EBS CMK's ARN (the EBS CSI driver's role may use it: modules/aws/compute/eks `ebsKeyUseStatements`). */
  readonly kmsKeyArn: string;
  /** What must exist first. @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * EBS CSI StorageClasses (`gp3` default and `io2` for databases by default): every volume encrypted
 * with the environment's EBS CMK, `WaitForFirstConsumer` (the volume is created in the AZ of the pod's
 * node), expansion allowed. EKS's own `gp2` class loses its default flag (`kubernetes_annotations`,
 * forced), so there is one default.
 *
 * A StorageClass's parameters are immutable: changing one re-creates the class (existing volumes stay).
 */
export class StorageClasses extends Construct {
  /** The classes by name (escape hatch). */
  readonly classes: Record<string, StorageClassV1> = {};
  /** The name of the default class. */
  readonly defaultClassName: string;

  constructor(scope: Construct, id: string, props: StorageClassesProps) {
    super(scope, id);
    validateStorageClasses(props.where, props);
    const classes = props.classes ?? DEFAULT_STORAGE_CLASSES;
    this.defaultClassName = Object.entries(classes).find(([, c]) => c.default)![0];

    // First, so the cluster never has two defaults (Kubernetes then picks the newest). Guarded by a
    // plan-time read: `kubernetes_annotations` fails on an object that does not exist, and EKS does not
    // promise a gp2 class (clusters created on 1.30 or later no longer mark it default; one created
    // without the default add-ons may have none).
    const gp2 = (props.demoteGp2 ?? true)
      ? new DataKubernetesResources(this, "gp2-class", { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", fieldSelector: `metadata.name=${EKS_GP2_CLASS}` })
      : undefined;
    const demoted =
      gp2
        ? [
            new Annotations(this, "gp2-not-default", {
              count: Token.asNumber(Fn.lengthOf(gp2.objects)),
              apiVersion: "storage.k8s.io/v1",
              kind: "StorageClass",
              metadata: { name: EKS_GP2_CLASS },
              annotations: { [DEFAULT_CLASS_ANNOTATION]: "false" },
              force: true,
              dependsOn: props.dependsOn,
            }),
          ]
        : [];

    for (const [name, c] of Object.entries(classes)) {
      this.classes[name] = new StorageClassV1(this, name, {
        metadata: { name, annotations: { [DEFAULT_CLASS_ANNOTATION]: c.default ? "true" : "false" } },
        storageProvisioner: EBS_CSI_PROVISIONER,
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
        reclaimPolicy: c.reclaimPolicy ?? (c.type === "io2" ? "Retain" : "Delete"),
        parameters: storageClassParameters(c, props.kmsKeyArn),
        dependsOn: [...(props.dependsOn ?? []), ...demoted],
      });
    }
  }
}
