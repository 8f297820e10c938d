import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { NodePool } from "@kubernetes-models/karpenter/karpenter.sh/v1/NodePool";
import { NODE_TYPE_LABEL, WORKLOAD_TYPE_TAINT_KEY } from "../../../aws/compute/eks";
import { HelmAddOn } from "../../helm-addon";
import { KubernetesManifest } from "../../manifest";
import { DEFAULT_EC2_NODE_CLASS_NAME, HELM_CHARTS } from "../../platform";

/** The specialized pools the infrastructure document asks for ("Specialized Node Groups"). */
export const SPECIALIZED_POOLS = ["monitoring", "highIops", "gpu"] as const;
export type SpecializedPool = (typeof SPECIALIZED_POOLS)[number];

/** The NodePool name and the `workload-type` taint value of each pool. */
export const NODE_POOL_NAMES: Readonly<Record<SpecializedPool, string>> = {
  monitoring: "monitoring",
  highIops: "high-iops",
  gpu: "gpu",
};

/** The extended resource the NVIDIA device plugin advertises, and the taint GPU nodes carry. */
export const NVIDIA_GPU_RESOURCE = "nvidia.com/gpu";
/** The node label the NVIDIA device plugin chart's default node affinity selects (`nvidia.com/gpu.present=true`). */
export const NVIDIA_GPU_PRESENT_LABEL = "nvidia.com/gpu.present";

/** The NVIDIA device plugin chart (a DaemonSet advertising `nvidia.com/gpu`), pinned in `HELM_CHARTS`. */
export const NVIDIA_DEVICE_PLUGIN_CHART = HELM_CHARTS.nvidiaDevicePlugin;

/** A toleration, as Kubernetes pods declare it. */
export type Toleration = {
  readonly key: string;
  readonly operator: "Equal" | "Exists";
  readonly value?: string;
  readonly effect: "NoSchedule";
};

/** The taint every node of `pool` carries: `workload-type=<pool>:NoSchedule`. */
export function poolTaint(pool: SpecializedPool): { key: string; value: string; effect: "NoSchedule" } {
  return { key: WORKLOAD_TYPE_TAINT_KEY, value: NODE_POOL_NAMES[pool], effect: "NoSchedule" };
}

/**
 * What a pod meant for `pool` declares: the toleration of its taint and the node selector of its
 * label. The observability charts use `placementOn("monitoring")` for their pods (Prometheus,
 * Alertmanager, Grafana, Loki); DaemonSets that must run everywhere only take the toleration.
 */
export function placementOn(pool: SpecializedPool): { tolerations: Toleration[]; nodeSelector: Record<string, string> } {
  const tolerations: Toleration[] = [{ key: WORKLOAD_TYPE_TAINT_KEY, operator: "Equal", value: NODE_POOL_NAMES[pool], effect: "NoSchedule" }];
  if (pool === "gpu") tolerations.push({ key: NVIDIA_GPU_RESOURCE, operator: "Exists", effect: "NoSchedule" });
  return { tolerations, nodeSelector: { [NODE_TYPE_LABEL]: NODE_POOL_NAMES[pool] } };
}

/** The monitoring pool's placement, for the observability charts (`tolerations`, `nodeSelector`). */
export const MONITORING_PLACEMENT = placementOn("monitoring");

/** Karpenter capacity types. */
export type KarpenterCapacityType = "on-demand" | "spot";
/** CPU architectures as Kubernetes labels them. */
export type NodeArchitecture = "amd64" | "arm64";

/** One specialized Karpenter NodePool. */
export interface NodePoolSettings {
  /** Create the pool. @default true */
  readonly enabled?: boolean;
  /** EC2 instance families Karpenter may pick, e.g. `["r6i", "r7i"]`; at least one. */
  readonly instanceFamilies: readonly string[];
  /** Capacity types. @default ["on-demand"] */
  readonly capacityTypes?: readonly KarpenterCapacityType[];
  /** CPU architectures (match the families: Graviton `…g` families are arm64). @default ["amd64"] */
  readonly architectures?: readonly NodeArchitecture[];
  /** Most vCPUs the pool may hold (NodePool `limits.cpu`). */
  readonly cpuLimit: number;
  /** Most memory the pool may hold, in GiB (`limits.memory`). */
  readonly memoryLimitGiB: number;
  /** Most GPUs (`limits["nvidia.com/gpu"]`), GPU pool only. @default none */
  readonly gpuLimit?: number;
  /**
   * When Karpenter may remove nodes: `WhenEmpty` (stateful pods are only moved when a node expires)
   * or `WhenEmptyOrUnderutilized` (also repacks). @default "WhenEmpty"
   */
  readonly consolidationPolicy?: "WhenEmpty" | "WhenEmptyOrUnderutilized";
  /** How long a node must be consolidatable before Karpenter acts. @default "5m" */
  readonly consolidateAfter?: string;
  /** Replace nodes older than this (AMI and patch currency). @default "720h" (30 days) */
  readonly expireAfter?: string;
}

/** Per-environment specialized capacity (at `<env>.nodePools`). An absent pool is not created. */
export interface NodePoolsSettings {
  /** Dedicated nodes for the `monitoring` namespace (Prometheus, Loki…). */
  readonly monitoring?: NodePoolSettings;
  /** Instance families with local NVMe or high EBS bandwidth, for databases and queues in the cluster. */
  readonly highIops?: NodePoolSettings;
  /** `g`/`p` families for LLM processing; needs `nvidiaDevicePlugin`. Off unless configured ("if needed"). */
  readonly gpu?: NodePoolSettings;
  /** Install the NVIDIA device plugin chart (required by an enabled GPU pool). @default false */
  readonly nvidiaDevicePlugin?: boolean;
}

/** Sensible pools for any environment; environments spread and override them. GPU stays off. */
export const DEFAULT_NODE_POOLS = {
  monitoring: { instanceFamilies: ["m6i", "m7i"], cpuLimit: 16, memoryLimitGiB: 64 },
  highIops: { instanceFamilies: ["i4i", "r6id"], cpuLimit: 16, memoryLimitGiB: 128 },
} as const satisfies NodePoolsSettings;

/** A GPU pool to turn on "if needed": NVIDIA A10G (g5) and L4 (g6) instances. */
export const GPU_NODE_POOL: NodePoolSettings = { instanceFamilies: ["g5", "g6"], cpuLimit: 64, memoryLimitGiB: 256, gpuLimit: 4 };

/** At most this share of a pool's nodes is disrupted at once (consolidation, expiry, drift). */
export const DISRUPTION_BUDGET_NODES = "10%";

const INSTANCE_FAMILY = /^[a-z]+[0-9][a-z0-9-]*$/;
const DURATION = /^([0-9]+(s|m|h))+$/;

function enabledPools(settings: NodePoolsSettings): [SpecializedPool, NodePoolSettings][] {
  return SPECIALIZED_POOLS.flatMap((pool) => {
    const s = settings[pool];
    return s && (s.enabled ?? true) ? [[pool, s] as [SpecializedPool, NodePoolSettings]] : [];
  });
}

/**
 * Throws `<where>.<pool>.<field>: <value> <rule>`: a pool without instance families, a malformed
 * family, a GPU pool with non-`g`/`p` families or without the device plugin, non-positive limits.
 */
export function validateNodePools(where: string, settings: NodePoolsSettings): void {
  for (const [pool, s] of enabledPools(settings)) {
    const at = `${where}.${pool}`;
    if (s.instanceFamilies.length === 0) {
      throw new Error(`${at}.instanceFamilies: [] leaves Karpenter no instance to launch; list at least one family, e.g. ["m7i"]`);
    }
    s.instanceFamilies.forEach((family, i) => {
      if (!INSTANCE_FAMILY.test(family)) throw new Error(`${at}.instanceFamilies[${i}]: "${family}" is not an EC2 instance family like m7i or i4i`);
      if (pool === "gpu" && !/^[gp][0-9]/.test(family)) {
        throw new Error(`${at}.instanceFamilies[${i}]: "${family}" has no NVIDIA GPU; use g or p families (g5, g6, p4d, p5)`);
      }
    });
    for (const [field, value] of [["cpuLimit", s.cpuLimit], ["memoryLimitGiB", s.memoryLimitGiB]] as const) {
      if (!Number.isInteger(value) || value <= 0) throw new Error(`${at}.${field}: ${value} must be a positive whole number`);
    }
    if (s.gpuLimit !== undefined && (pool !== "gpu" || !Number.isInteger(s.gpuLimit) || s.gpuLimit <= 0)) {
      throw new Error(`${at}.gpuLimit: ${s.gpuLimit} is allowed on the gpu pool only, as a positive whole number`);
    }
    for (const field of ["consolidateAfter", "expireAfter"] as const) {
      const value = s[field];
      if (value !== undefined && !DURATION.test(value)) throw new Error(`${at}.${field}: "${value}" is not a duration like 5m or 720h`);
    }
    if ((s.capacityTypes ?? ["on-demand"]).length === 0) throw new Error(`${at}.capacityTypes: [] allows no capacity; use ["on-demand"] and/or "spot"`);
    if ((s.architectures ?? ["amd64"]).length === 0) throw new Error(`${at}.architectures: [] allows no CPU; use ["amd64"] and/or "arm64"`);
    if (pool === "gpu" && !settings.nvidiaDevicePlugin) {
      throw new Error(`${at}: a GPU pool without the NVIDIA device plugin advertises no nvidia.com/gpu, so no GPU pod schedules; set ${where}.nvidiaDevicePlugin: true`);
    }
  }
}

/** Builds the `karpenter.sh/v1` NodePool of `pool` (validated by the caller through `KubernetesManifest`). */
export function buildNodePool(pool: SpecializedPool, s: NodePoolSettings, environment: string): NodePool {
  const name = NODE_POOL_NAMES[pool];
  const taints = [poolTaint(pool), ...(pool === "gpu" ? [{ key: NVIDIA_GPU_RESOURCE, effect: "NoSchedule" as const }] : [])];
  const labels: Record<string, string> = { [NODE_TYPE_LABEL]: name, environment };
  if (pool === "gpu") labels[NVIDIA_GPU_PRESENT_LABEL] = "true";
  return new NodePool({
    metadata: { name },
    spec: {
      template: {
        metadata: { labels },
        spec: {
          nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: DEFAULT_EC2_NODE_CLASS_NAME },
          requirements: [
            { key: "karpenter.k8s.aws/instance-family", operator: "In", values: [...s.instanceFamilies] },
            { key: "karpenter.sh/capacity-type", operator: "In", values: [...(s.capacityTypes ?? ["on-demand"])] },
            { key: "kubernetes.io/arch", operator: "In", values: [...(s.architectures ?? ["amd64"])] },
            { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
          ],
          taints,
          expireAfter: s.expireAfter ?? "720h",
        },
      },
      limits: {
        cpu: s.cpuLimit,
        memory: `${s.memoryLimitGiB}Gi`,
        ...(s.gpuLimit !== undefined ? { [NVIDIA_GPU_RESOURCE]: s.gpuLimit } : {}),
      },
      disruption: {
        consolidationPolicy: s.consolidationPolicy ?? "WhenEmpty",
        consolidateAfter: s.consolidateAfter ?? "5m",
        // Karpenter's own default, written out: a field the API server defaults inside one the
        // manifest sets would otherwise show up as a change after every apply.
        budgets: [{ nodes: DISRUPTION_BUDGET_NODES }],
      },
    },
  });
}

export interface SpecializedNodePoolsProps extends NodePoolsSettings {
  /** Where the settings live, e.g. `production.nodePools`; prefixes validation messages. */
  readonly where: string;
  /** The environment name, set as the nodes' `environment` label. */
  readonly environment: string;
  /** What must exist first (the EC2NodeClass, Karpenter's CRDs). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The specialized Karpenter NodePools (monitoring, high-IOPS, GPU), each tainted
 * `workload-type=<pool>:NoSchedule` and labelled `node-type=<pool>` so only pods that tolerate and
 * select it land there, each with CPU/memory (and GPU) limits. They launch from the EC2NodeClass
 * `DEFAULT_EC2_NODE_CLASS_NAME`. Belongs in `<env>-workloads` (NodePool is a custom resource).
 */
export class SpecializedNodePools extends Construct {
  /** The NodePool manifests by pool. */
  readonly pools: Partial<Record<SpecializedPool, KubernetesManifest>> = {};

  constructor(scope: Construct, id: string, props: SpecializedNodePoolsProps) {
    super(scope, id);
    validateNodePools(props.where, props);
    for (const [pool, s] of enabledPools(props)) {
      this.pools[pool] = new KubernetesManifest(this, NODE_POOL_NAMES[pool], {
        where: `${props.where}.${pool}`,
        object: buildNodePool(pool, s, props.environment),
        dependsOn: props.dependsOn,
      });
    }
  }
}

export interface NvidiaDevicePluginProps {
  /** Where the settings live, e.g. `production.nodePools`. */
  readonly where: string;
  /** Releases or namespaces that must exist first. @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The NVIDIA device plugin DaemonSet (kube-system), on GPU nodes only: the chart's own node affinity
 * selects `nvidia.com/gpu.present=true`, which the GPU NodePool sets, and it tolerates the pool's taints.
 */
export class NvidiaDevicePlugin extends HelmAddOn {
  constructor(scope: Construct, id: string, props: NvidiaDevicePluginProps) {
    super(scope, id, {
      where: `${props.where}.nvidiaDevicePlugin`,
      chart: NVIDIA_DEVICE_PLUGIN_CHART,
      // The chart's node affinity: GPU nodes only.
      pods: [{ name: "device-plugin", daemonSet: true, nodeSelector: { [NVIDIA_GPU_PRESENT_LABEL]: "true" }, tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }, ...placementOn("gpu").tolerations] }],
      defaultValues: {
        tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }, ...placementOn("gpu").tolerations],
        priorityClassName: "system-node-critical",
      },
      dependsOn: props.dependsOn,
    });
  }
}
