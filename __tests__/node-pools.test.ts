import { Testing } from "cdktf";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { NodePool } from "@kubernetes-models/karpenter/karpenter.sh/v1/NodePool";
import { DEFAULT_EC2_NODE_CLASS_NAME } from "../modules/kubernetes/platform";
import {
  DEFAULT_NODE_POOLS,
  GPU_NODE_POOL,
  MONITORING_PLACEMENT,
  NVIDIA_DEVICE_PLUGIN_CHART,
  NodePoolsSettings,
  NvidiaDevicePlugin,
  SpecializedNodePools,
  validateNodePools,
} from "../modules/kubernetes/cluster/node-pools";
import { manifestOf, manifestsOf, releaseOf, releaseValues } from "./kubernetes-helpers";

const settings: NodePoolsSettings = { ...DEFAULT_NODE_POOLS, gpu: GPU_NODE_POOL, nvidiaDevicePlugin: true };

const json = Testing.synthScope((scope) => {
  new KubernetesProvider(scope, "kubernetes", {});
  new HelmProvider(scope, "helm", {});
  new SpecializedNodePools(scope, "pools", { ...settings, where: "production.nodePools", environment: "production" });
  new NvidiaDevicePlugin(scope, "nvidia", { where: "production.nodePools" });
});

/** The synthesized NodePool, read back through the kubernetes-models class and schema-validated. */
function pool(name: string): NodePool {
  const object = new NodePool(manifestOf(json, "NodePool", name).manifest as any);
  object.validate();
  return object;
}

describe("SpecializedNodePools", () => {
  it("creates the configured pools, valid karpenter.sh/v1 NodePools from the shared EC2NodeClass", () => {
    expect(manifestsOf(json, "NodePool").map((m) => m.manifest.metadata.name).sort()).toEqual(["gpu", "high-iops", "monitoring"]);
    for (const name of ["gpu", "high-iops", "monitoring"]) {
      expect(pool(name).spec.template.spec.nodeClassRef).toEqual({ group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: DEFAULT_EC2_NODE_CLASS_NAME });
    }
  });

  it("monitoring: its families, on-demand linux amd64, tainted and labelled for the monitoring placement", () => {
    const spec = pool("monitoring").spec;
    expect(spec.template.spec.requirements).toEqual([
      { key: "karpenter.k8s.aws/instance-family", operator: "In", values: ["m6i", "m7i"] },
      { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
      { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
      { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
    ]);
    expect(spec.template.spec.taints).toEqual([{ key: "workload-type", value: "monitoring", effect: "NoSchedule" }]);
    expect(spec.template.metadata?.labels).toEqual({ "node-type": "monitoring", environment: "production" });
    expect(spec.limits).toEqual({ cpu: 16, memory: "64Gi" });
    expect(spec.disruption).toEqual({ consolidationPolicy: "WhenEmpty", consolidateAfter: "5m", budgets: [{ nodes: "10%" }] });
    // What the observability charts get: the toleration of the taint and the selector of the label.
    expect(MONITORING_PLACEMENT).toEqual({
      tolerations: [{ key: "workload-type", operator: "Equal", value: "monitoring", effect: "NoSchedule" }],
      nodeSelector: { "node-type": "monitoring" },
    });
  });

  it("high-IOPS: NVMe instance families, its own taint and limits", () => {
    const spec = pool("high-iops").spec;
    expect(spec.template.spec.requirements[0]).toEqual({ key: "karpenter.k8s.aws/instance-family", operator: "In", values: ["i4i", "r6id"] });
    expect(spec.template.spec.taints).toEqual([{ key: "workload-type", value: "high-iops", effect: "NoSchedule" }]);
    expect(spec.limits).toEqual({ cpu: 16, memory: "128Gi" });
  });

  it("GPU: g families, the nvidia.com/gpu taint and limit, and the label the device plugin selects", () => {
    const spec = pool("gpu").spec;
    expect(spec.template.spec.requirements[0].values).toEqual(["g5", "g6"]);
    expect(spec.template.spec.taints).toEqual([
      { key: "workload-type", value: "gpu", effect: "NoSchedule" },
      { key: "nvidia.com/gpu", effect: "NoSchedule" },
    ]);
    expect(spec.template.metadata?.labels).toMatchObject({ "nvidia.com/gpu.present": "true" });
    expect(spec.limits).toEqual({ cpu: 64, memory: "256Gi", "nvidia.com/gpu": 4 });
  });

  it("creates no GPU pool unless configured", () => {
    const none = Testing.synthScope((scope) => {
      new KubernetesProvider(scope, "kubernetes", {});
      new SpecializedNodePools(scope, "pools", { ...DEFAULT_NODE_POOLS, where: "x", environment: "development" });
    });
    expect(manifestsOf(none, "NodePool").map((m) => m.manifest.metadata.name).sort()).toEqual(["high-iops", "monitoring"]);
  });
});

describe("NvidiaDevicePlugin", () => {
  it("installs the pinned chart in kube-system, tolerating the GPU pool's taints", () => {
    expect(releaseOf(json, "nvidia-device-plugin")).toMatchObject({
      chart: "nvidia-device-plugin",
      repository: NVIDIA_DEVICE_PLUGIN_CHART.repository,
      version: NVIDIA_DEVICE_PLUGIN_CHART.version,
      namespace: "kube-system",
    });
    expect(releaseValues(json, "nvidia-device-plugin").tolerations).toEqual([
      { key: "CriticalAddonsOnly", operator: "Exists" },
      { key: "workload-type", operator: "Equal", value: "gpu", effect: "NoSchedule" },
      { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
    ]);
  });
});

describe("node pool validation", () => {
  const at = "staging.nodePools";
  const cases: [string, NodePoolsSettings, string][] = [
    [
      "a pool without instance families",
      { monitoring: { ...DEFAULT_NODE_POOLS.monitoring, instanceFamilies: [] } },
      'staging.nodePools.monitoring.instanceFamilies: [] leaves Karpenter no instance to launch; list at least one family, e.g. ["m7i"]',
    ],
    [
      "a GPU pool without the device plugin",
      { gpu: GPU_NODE_POOL },
      "staging.nodePools.gpu: a GPU pool without the NVIDIA device plugin advertises no nvidia.com/gpu, so no GPU pod schedules; set staging.nodePools.nvidiaDevicePlugin: true",
    ],
    [
      "a GPU pool of non-GPU families",
      { gpu: { ...GPU_NODE_POOL, instanceFamilies: ["g5", "m7i"] }, nvidiaDevicePlugin: true },
      'staging.nodePools.gpu.instanceFamilies[1]: "m7i" has no NVIDIA GPU; use g or p families (g5, g6, p4d, p5)',
    ],
    [
      "a malformed family",
      { highIops: { ...DEFAULT_NODE_POOLS.highIops, instanceFamilies: ["i4i.large"] } },
      'staging.nodePools.highIops.instanceFamilies[0]: "i4i.large" is not an EC2 instance family like m7i or i4i',
    ],
    ["a zero CPU limit", { monitoring: { ...DEFAULT_NODE_POOLS.monitoring, cpuLimit: 0 } }, "staging.nodePools.monitoring.cpuLimit: 0 must be a positive whole number"],
    [
      "a GPU limit on a CPU pool",
      { highIops: { ...DEFAULT_NODE_POOLS.highIops, gpuLimit: 2 } },
      "staging.nodePools.highIops.gpuLimit: 2 is allowed on the gpu pool only, as a positive whole number",
    ],
    [
      "a malformed duration",
      { monitoring: { ...DEFAULT_NODE_POOLS.monitoring, expireAfter: "30 days" } },
      'staging.nodePools.monitoring.expireAfter: "30 days" is not a duration like 5m or 720h',
    ],
  ];
  it.each(cases)("rejects %s", (_, bad, message) => {
    expect(() => validateNodePools(at, bad)).toThrow(message);
  });

  it("ignores a disabled pool", () => {
    expect(() => validateNodePools(at, { gpu: { ...GPU_NODE_POOL, enabled: false } })).not.toThrow();
  });
});
