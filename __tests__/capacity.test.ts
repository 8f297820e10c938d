import { Testing } from "cdktf";
import { buildPlatform } from "../environments";
import { development } from "../environments/development";
import { ConfigErrors } from "../environments/validate";
import { DEFAULT_NODE_GROUPS } from "../modules/aws/compute/eks";
import { customNetworkingMaxPods } from "../modules/aws/compute/eks/pod-capacity";
import { CapacityPlan, NodeSupply, PodDemand, TOLERATE_ALL, capacityErrors, canRunOn, podsOfManifests } from "../modules/kubernetes/capacity";
import { EnvironmentConfig } from "../environments/types";

const general = (nodes: number, maxPods = 20): NodeSupply => ({
  path: "qa.eks.nodeGroups.general",
  labels: { "node-type": "general" },
  taints: [],
  maxPods,
  nodes,
  fromStage: 0,
});
const monitoringPool: NodeSupply = {
  path: "qa NodePool monitoring",
  labels: { "node-type": "monitoring" },
  taints: [{ key: "workload-type", value: "monitoring", effect: "NoSchedule" }],
  maxPods: 0,
  fromStage: 1,
};
const onGeneral = { nodeSelector: { "node-type": "general" } };
const demand = (source: string, pods: PodDemand["pods"], extra: Partial<PodDemand> = {}): PodDemand => ({ source, stage: 0, waits: true, pods, namespace: "kube-system", ...extra });
const plan = (supply: NodeSupply[], demands: PodDemand[]): CapacityPlan => ({
  environment: "qa",
  stages: ["qa-addons", "qa-workloads", "qa-services"],
  supply,
  demand: demands,
  fargateNamespaces: ["karpenter"],
});
const nodeAgents = demand("EKS add-ons", [
  { name: "aws-node", daemonSet: true, tolerations: TOLERATE_ALL },
  { name: "kube-proxy", daemonSet: true, tolerations: TOLERATE_ALL },
]);

describe("capacity check", () => {
  it("fails a too-small group with the numbers and the minSize that fits", () => {
    const errors = capacityErrors(plan([general(1)], [nodeAgents, demand("helm release kyverno", [{ name: "admission", replicas: 20, ...onGeneral }])]));
    // 1 node × 20 slots − 2 DaemonSet pods − 2 headroom = 16 for 20 pods.
    expect(errors).toEqual([
      "qa.eks.nodeGroups.general: when qa-addons applies, its 1 nodes × 20 pods = 20 slots − 2 DaemonSet pods (2 per node) − 2 headroom (10 %) leave 16 for 20 pods; 4 do not fit (helm release kyverno admission 4); raise qa.eks.nodeGroups.general.minSize to 2 or use instance types with more pods per node",
    ]);
    expect(capacityErrors(plan([general(2)], [nodeAgents, demand("helm release kyverno", [{ name: "admission", replicas: 20, ...onGeneral }])]))).toEqual([]);
  });

  it("counts a DaemonSet on every node it tolerates, and only there", () => {
    const tainted: NodeSupply = { ...general(1), path: "qa.eks.nodeGroups.spot", labels: { "node-type": "spot" }, taints: [{ key: "workload-type", value: "spot", effect: "NO_SCHEDULE" }] };
    const exporter = demand("node-exporter", [{ name: "ds", daemonSet: true }]);
    // 18 usable slots on general (20 − 2 headroom); the untolerating DaemonSet takes one of them, none on spot.
    expect(capacityErrors(plan([general(1), tainted], [exporter, demand("x", [{ name: "a", replicas: 17, ...onGeneral }])]))).toEqual([]);
    expect(capacityErrors(plan([general(1), tainted], [exporter, demand("x", [{ name: "a", replicas: 18, ...onGeneral }])]))[0]).toContain("1 DaemonSet pods (1 per node)");
    expect(canRunOn({ name: "ds", daemonSet: true }, tainted)).toBe(false);
    expect(canRunOn({ name: "ds", daemonSet: true, tolerations: TOLERATE_ALL }, tainted)).toBe(true);
  });

  it("takes no node slot for pods of a Fargate namespace", () => {
    expect(capacityErrors(plan([general(1)], [demand("helm release karpenter", [{ name: "controller", replicas: 50 }], { namespace: "karpenter" })]))).toEqual([]);
  });

  it("lets pods nobody waits for stay pending until a later stack creates their NodePool, but not waited ones", () => {
    const prometheus = { name: "prometheus", replicas: 2, nodeSelector: { "node-type": "monitoring" }, tolerations: [{ key: "workload-type", operator: "Equal", value: "monitoring", effect: "NoSchedule" }] };
    expect(capacityErrors(plan([general(2), monitoringPool], [demand("helm release kube-prometheus-stack", [prometheus], { waits: false })]))).toEqual([]);
    expect(capacityErrors(plan([general(2), monitoringPool], [demand("helm release loki", [prometheus])]))).toEqual([
      "qa: when qa-addons applies, 2 pods (helm release loki prometheus 2) have no node they can run on yet; qa's NodePools come later. Let them run on a managed node group, or don't wait for them",
    ]);
  });

  it("fails pods that no node group or NodePool can ever run", () => {
    expect(capacityErrors(plan([general(2)], [demand("helm release x", [{ name: "c", replicas: 1, nodeSelector: { "node-type": "gpu" } }])]))[0]).toBe(
      'qa: helm release x c (node selector {"node-type":"gpu"}) matches no node group or NodePool of qa; fix its node selector and tolerations or add the pool',
    );
  });

  it("reads workloads from manifests: replicas, a DaemonSet, the HPA's minReplicas for a Deployment without replicas", () => {
    const deployment = { kind: "Deployment", metadata: { name: "auth-svc", namespace: "aivo" }, spec: { template: { spec: { nodeSelector: { a: "b" } } } } };
    const hpa = { kind: "HorizontalPodAutoscaler", metadata: { name: "auth-svc", namespace: "aivo" }, spec: { minReplicas: 3, scaleTargetRef: { kind: "Deployment", name: "auth-svc" } } };
    const daemonSet = { kind: "DaemonSet", metadata: { name: "agent", namespace: "x" }, spec: { template: { spec: { tolerations: [{ operator: "Exists" }] } } } };
    expect(podsOfManifests([deployment, hpa, daemonSet, { kind: "ConfigMap", metadata: { name: "c" } }])).toEqual([
      { name: "Deployment aivo/auth-svc", replicas: 3, nodeSelector: { a: "b" }, namespace: "aivo" },
      { name: "DaemonSet x/agent", daemonSet: true, tolerations: [{ operator: "Exists" }], namespace: "x" },
    ]);
  });
});

describe("capacity check in the platform build", () => {
  it("reports a too-small general group of an environment with the run's other errors", () => {
    const small: EnvironmentConfig = {
      ...development,
      eks: { ...development.eks, nodeGroups: { ...DEFAULT_NODE_GROUPS, general: { ...DEFAULT_NODE_GROUPS.general, instanceTypes: ["m6i.large"], minSize: 1, desiredSize: 1 } } },
    };
    let error: unknown;
    try {
      buildPlatform(Testing.app(), [small]);
    } catch (e) {
      error = e;
    }
    const messages = error instanceof ConfigErrors ? error.errors.map((e) => e.message) : [(error as Error)?.message];
    const slots = customNetworkingMaxPods(["m6i.large"], "x");
    expect(slots).toBe(20);
    expect(messages).toEqual([
      expect.stringMatching(
        new RegExp(`^development\\.eks\\.nodeGroups\\.general: when development-addons applies, its 1 nodes × 20 pods = 20 slots − 7 DaemonSet pods \\(7 per node\\) − 2 headroom \\(10 %\\) leave 11 for \\d+ pods; \\d+ do not fit \\(.*helm release kyverno.*\\); raise development\\.eks\\.nodeGroups\\.general\\.minSize to \\d+ or use instance types with more pods per node$`),
      ),
    ]);
  });
});
