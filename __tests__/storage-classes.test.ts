import { Testing } from "cdktf";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import {
  DEFAULT_CLASS_ANNOTATION,
  DEFAULT_STORAGE_CLASSES,
  EBS_CSI_PROVISIONER,
  StorageClasses,
  StorageClassesSettings,
  validateStorageClasses,
} from "../modules/kubernetes/cluster/storage-classes";
import { configsOf, onlyResource, resourcesOf } from "./helpers";

const KEY = "arn:aws:kms:us-east-1:123456789012:key/ebs";
const json = Testing.synthScope((scope) => {
  new KubernetesProvider(scope, "kubernetes", {});
  new StorageClasses(scope, "storage", { where: "production.storageClasses", kmsKeyArn: KEY });
});
const byName: Record<string, Record<string, any>> = Object.fromEntries(configsOf(json, "kubernetes_storage_class_v1").map((c) => [c.metadata.name, c]));

describe("StorageClasses", () => {
  it("gp3 is the default: EBS CSI, encrypted with the EBS CMK, WaitForFirstConsumer, expandable, deleted with its claim", () => {
    expect(byName.gp3).toMatchObject({
      metadata: { name: "gp3", annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" } },
      storage_provisioner: EBS_CSI_PROVISIONER,
      volume_binding_mode: "WaitForFirstConsumer",
      allow_volume_expansion: true,
      reclaim_policy: "Delete",
    });
    expect(byName.gp3.parameters).toEqual({ type: "gp3", encrypted: "true", kmsKeyId: KEY, "csi.storage.k8s.io/fstype": "ext4" });
  });

  it("io2 for databases: IOPS per GiB from config, encrypted, same binding mode, retained, not default", () => {
    expect(byName.io2).toMatchObject({
      metadata: { name: "io2", annotations: { [DEFAULT_CLASS_ANNOTATION]: "false" } },
      volume_binding_mode: "WaitForFirstConsumer",
      allow_volume_expansion: true,
      reclaim_policy: "Retain",
    });
    expect(byName.io2.parameters).toEqual({
      type: "io2",
      encrypted: "true",
      kmsKeyId: KEY,
      "csi.storage.k8s.io/fstype": "ext4",
      iopsPerGB: "50",
      allowAutoIOPSPerGBIncrease: "true",
    });
  });

  it("takes a fixed io2 IOPS", () => {
    const fixed = Testing.synthScope((scope) => {
      new KubernetesProvider(scope, "kubernetes", {});
      new StorageClasses(scope, "storage", {
        where: "x",
        kmsKeyArn: KEY,
        classes: { gp3: { type: "gp3", default: true }, io2: { type: "io2", iops: 16000 } },
        demoteGp2: false,
      });
    });
    const io2 = configsOf(fixed, "kubernetes_storage_class_v1").find((c) => c.metadata.name === "io2")!;
    expect(io2.parameters).toMatchObject({ type: "io2", iops: "16000" });
    expect(io2.parameters.iopsPerGB).toBeUndefined();
    expect(resourcesOf(fixed, "kubernetes_annotations")).toEqual({});
  });

  it("removes the default flag from EKS's gp2 class (forced), before the classes are created: one default", () => {
    const gp2 = onlyResource(json, "kubernetes_annotations");
    expect(gp2).toMatchObject({
      api_version: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "gp2" },
      annotations: { [DEFAULT_CLASS_ANNOTATION]: "false" },
      force: true,
    });
    // Only where the cluster has a gp2 class (read at plan time): a cluster without one plans cleanly.
    const [readId, read] = Object.entries((JSON.parse(json).data?.kubernetes_resources ?? {}) as Record<string, Record<string, unknown>>)[0];
    expect(read).toMatchObject({ api_version: "storage.k8s.io/v1", kind: "StorageClass", field_selector: "metadata.name=gp2" });
    expect(gp2.count).toBe(`\${length(data.kubernetes_resources.${readId}.objects)}`);
    const address = `kubernetes_annotations.${Object.keys(resourcesOf(json, "kubernetes_annotations"))[0]}`;
    for (const c of Object.values(byName)) expect(c.depends_on).toContain(address);
    expect(Object.values(byName).filter((c) => c.metadata.annotations[DEFAULT_CLASS_ANNOTATION] === "true")).toHaveLength(1);
  });
});

describe("storage class validation", () => {
  const at = "production.storageClasses";
  const cases: [string, StorageClassesSettings, string][] = [
    [
      "io2 IOPS above io2's maximum",
      { classes: { gp3: { type: "gp3", default: true }, io2: { type: "io2", iops: 300000 } } },
      "production.storageClasses.classes.io2.iops: 300000 is outside what io2 allows (100–256000 IOPS)",
    ],
    [
      "io2 IOPS below io2's minimum",
      { classes: { gp3: { type: "gp3", default: true }, io2: { type: "io2", iops: 50 } } },
      "production.storageClasses.classes.io2.iops: 50 is outside what io2 allows (100–256000 IOPS)",
    ],
    [
      "io2 IOPS per GiB above 1000",
      { classes: { gp3: { type: "gp3", default: true }, io2: { type: "io2", iopsPerGiB: 1500 } } },
      "production.storageClasses.classes.io2.iopsPerGiB: 1500 is outside what io2 allows (1–1000 IOPS per GiB)",
    ],
    [
      "an io2 class without IOPS",
      { classes: { gp3: { type: "gp3", default: true }, io2: { type: "io2" } } },
      "production.storageClasses.classes.io2: an io2 class needs exactly one of iops (100–256000) or iopsPerGiB (1–1000)",
    ],
    [
      "two default storage classes",
      { classes: { gp3: { type: "gp3", default: true }, io2: { type: "io2", iopsPerGiB: 50, default: true } } },
      "production.storageClasses.classes: gp3, io2 are all marked default; exactly one class must be the default (claims without a class use it)",
    ],
    [
      "no default storage class",
      { classes: { gp3: { type: "gp3" } } },
      "production.storageClasses.classes: no class is marked default; exactly one class must be the default",
    ],
    [
      "IOPS per GiB on gp3",
      { classes: { gp3: { type: "gp3", default: true, iopsPerGiB: 10 } } },
      "production.storageClasses.classes.gp3.iopsPerGiB: 10 applies to io2 only; gp3 takes a fixed iops",
    ],
    [
      "gp3 IOPS above gp3's maximum",
      { classes: { gp3: { type: "gp3", default: true, iops: 100000 } } },
      "production.storageClasses.classes.gp3.iops: 100000 is outside what gp3 allows (3000–80000 IOPS)",
    ],
    [
      "a class named like EKS's gp2",
      { classes: { gp2: { type: "gp3", default: true } } },
      'production.storageClasses.classes.gp2: "gp2" is the class EKS creates; name the class otherwise',
    ],
  ];
  it.each(cases)("rejects %s", (_, bad, message) => {
    expect(() => validateStorageClasses(at, bad)).toThrow(message);
  });

  it("accepts the defaults", () => {
    expect(() => validateStorageClasses(at, { classes: DEFAULT_STORAGE_CLASSES })).not.toThrow();
  });
});
