import type { PodGroup, PodToleration } from "./pods";

export * from "./pods";
export { EKS_ADDON_PODS } from "./cluster-addons";

/**
 * Share of each managed node group's pod slots kept free after every stack's pods are placed: room
 * for a rollout's surge pods, a Job, a pod evicted from a node being repaired. 10 % of the slots.
 */
export const CAPACITY_HEADROOM = 0.1;

/** A taint as the capacity check compares it (Kubernetes' effect names: `NoSchedule`, `NoExecute`, `PreferNoSchedule`). */
export interface CapacityTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

/** Nodes pods can land on: a managed node group (a fixed count) or a Karpenter NodePool (launched on demand). */
export interface NodeSupply {
  /** Where it comes from in the config, e.g. `development.eks.nodeGroups.general`; names it in errors. */
  readonly path: string;
  /** The nodes' labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** The nodes' taints. */
  readonly taints: readonly CapacityTaint[];
  /** Pods one node runs (kubelet `maxPods`). */
  readonly maxPods: number;
  /** Nodes that exist whatever the load (a managed group's `minSize`); undefined: Karpenter launches them on demand. */
  readonly nodes?: number;
  /** Index of the stage from which the nodes exist (a NodePool exists once the stack creating it applied). */
  readonly fromStage: number;
}

/** The pods one release or object set places. */
export interface PodDemand {
  /** What places them, e.g. `helm release cert-manager`; names them in errors. */
  readonly source: string;
  /** Index of the stage (stack) that applies them. */
  readonly stage: number;
  /** Whether the stack's apply waits for them to be ready (Helm `wait`): then they must fit when it applies. */
  readonly waits: boolean;
  readonly pods: readonly PodGroup[];
  /** Namespace of pods that give none. */
  readonly namespace: string;
}

/** What the check compares, for one environment. */
export interface CapacityPlan {
  /** The environment, first word of every message. */
  readonly environment: string;
  /** The stacks, in apply order (e.g. `development-addons`, `development-workloads`, `development-services`). */
  readonly stages: readonly string[];
  readonly supply: readonly NodeSupply[];
  readonly demand: readonly PodDemand[];
  /** Namespaces whose every pod Fargate runs (a profile selector without labels): they take no node slot. */
  readonly fargateNamespaces: readonly string[];
  /** @default CAPACITY_HEADROOM */
  readonly headroom?: number;
}

const EFFECTS: Readonly<Record<string, string>> = { NO_SCHEDULE: "NoSchedule", NO_EXECUTE: "NoExecute", PREFER_NO_SCHEDULE: "PreferNoSchedule" };
/** A taint effect in Kubernetes' spelling (EKS node groups write `NO_SCHEDULE`). */
export function kubernetesEffect(effect: string): string {
  return EFFECTS[effect] ?? effect;
}

function tolerates(tolerations: readonly PodToleration[], taint: CapacityTaint): boolean {
  return tolerations.some((t) => {
    if (t.effect && kubernetesEffect(t.effect) !== kubernetesEffect(taint.effect)) return false;
    if (!t.key) return t.operator === "Exists";
    if (t.key !== taint.key) return false;
    return t.operator === "Exists" || (t.value ?? "") === (taint.value ?? "");
  });
}

/** Labels the kubelet sets on every node of the platform (all Linux: AL2023 and Bottlerocket). */
export const WELL_KNOWN_NODE_LABELS: Readonly<Record<string, string>> = { "kubernetes.io/os": "linux" };

/** Whether a pod of `group` can run on a node of `supply`: its selector matches and it tolerates every scheduling taint. */
export function canRunOn(group: PodGroup, supply: NodeSupply): boolean {
  const labels = { ...WELL_KNOWN_NODE_LABELS, ...supply.labels };
  const selects = Object.entries(group.nodeSelector ?? {}).every(([k, v]) => labels[k] === v);
  const blocking = supply.taints.filter((t) => kubernetesEffect(t.effect) !== "PreferNoSchedule");
  return selects && blocking.every((t) => tolerates(group.tolerations ?? [], t));
}

interface Slots {
  readonly supply: NodeSupply;
  readonly nodes: number;
  readonly slots: number;
  readonly daemonPods: number;
  readonly daemonNames: string[];
  readonly reserve: number;
  free: number;
  readonly placed: { source: string; pods: number }[];
}

const describe = (d: PodDemand, g: PodGroup) => `${d.source} ${g.name}`;

/**
 * Places every stage's pods on the nodes that exist when that stage applies, and returns one message
 * per problem (none when everything fits):
 * - DaemonSets take one slot on every node of each managed group they can run on;
 * - the other pods go, fewest choices first, to the managed groups they can select, within
 *   `slots − DaemonSet pods − headroom`; what does not fit may wait for Karpenter only where a NodePool
 *   they can select exists by then;
 * - pods a stack waits for (Helm `wait`) must be placed when that stack applies; pods nobody waits for
 *   may stay pending until a later stack creates their NodePool, but not past the last stage.
 * Reports the first stage that fails, with the numbers and the fix.
 */
export function capacityErrors(plan: CapacityPlan): string[] {
  return checkCapacity(plan).errors;
}

/** `capacityErrors` and, for every stage that was placed, each managed group's numbers. */
export function checkCapacity(plan: CapacityPlan): { errors: string[]; use: CapacityUse[] } {
  const use: CapacityUse[] = [];
  const headroom = plan.headroom ?? CAPACITY_HEADROOM;
  const onFargate = (d: PodDemand, g: PodGroup) => plan.fargateNamespaces.includes(g.namespace ?? d.namespace);
  const errors: string[] = [];
  const last = plan.stages.length - 1;
  // Pods that no node of any stage can ever run.
  for (const d of plan.demand) {
    for (const g of d.pods) {
      if (onFargate(d, g) || plan.supply.some((s) => canRunOn(g, s))) continue;
      errors.push(
        `${plan.environment}: ${describe(d, g)} (node selector ${JSON.stringify(g.nodeSelector ?? {})}) matches no node group or NodePool of ${plan.environment}; fix its node selector and tolerations or add the pool`,
      );
    }
  }
  if (errors.length > 0) return { errors, use };

  for (let stage = 0; stage <= last; stage++) {
    const stack = plan.stages[stage];
    const fixed: Slots[] = plan.supply
      .filter((s) => s.nodes !== undefined && s.fromStage <= stage)
      .map((supply) => {
        const nodes = supply.nodes!;
        const daemons = plan.demand
          .filter((d) => d.stage <= stage)
          .flatMap((d) => d.pods.filter((g) => g.daemonSet && !onFargate(d, g) && canRunOn(g, supply)).map((g) => describe(d, g)));
        const slots = nodes * supply.maxPods;
        const reserve = Math.ceil(slots * headroom);
        return { supply, nodes, slots, daemonPods: nodes * daemons.length, daemonNames: daemons, reserve, free: slots - nodes * daemons.length - reserve, placed: [] };
      });
    const elastic = plan.supply.filter((s) => s.nodes === undefined && s.fromStage <= stage);
    const groups = plan.demand
      .filter((d) => d.stage <= stage)
      .flatMap((d) => d.pods.filter((g) => !g.daemonSet && !onFargate(d, g)).map((g) => ({ d, g, choices: fixed.filter((f) => canRunOn(g, f.supply)) })))
      .sort((a, b) => a.choices.length - b.choices.length);
    const overflow = new Map<Slots | undefined, { what: string; pods: number }[]>();
    for (const { d, g, choices } of groups) {
      let left = g.replicas ?? 1;
      for (const slot of [...choices].sort((a, b) => b.free - a.free)) {
        const take = Math.min(left, Math.max(slot.free, 0));
        if (take > 0) {
          slot.free -= take;
          slot.placed.push({ source: describe(d, g), pods: take });
          left -= take;
        }
      }
      if (left === 0 || elastic.some((s) => canRunOn(g, s))) continue;
      // Nobody waits for them and a later stack creates a pool they can use: pending until then.
      if (!d.waits && stage < last && plan.supply.some((s) => s.nodes === undefined && s.fromStage > stage && canRunOn(g, s))) continue;
      const key = choices[0];
      overflow.set(key, [...(overflow.get(key) ?? []), { what: `${describe(d, g)} ${left}`, pods: left }]);
    }
    for (const f of fixed) {
      use.push({ stage: stack, group: f.supply.path, slots: f.slots, daemonPods: f.daemonPods, pods: f.placed.reduce((sum, p) => sum + p.pods, 0), reserve: f.reserve });
    }
    for (const [slot, items] of overflow) {
      const missing = items.reduce((sum, i) => sum + i.pods, 0);
      const list = items.map((i) => i.what).join(", ");
      if (!slot) {
        errors.push(`${plan.environment}: when ${stack} applies, ${missing} pods (${list}) have no node they can run on yet; ${plan.environment}'s NodePools come later. Let them run on a managed node group, or don't wait for them`);
        continue;
      }
      const s = slot.supply;
      const placed = slot.placed.reduce((sum, p) => sum + p.pods, 0);
      const perNode = s.maxPods - slot.daemonNames.length;
      const needed = placed + missing;
      let nodes = slot.nodes;
      while (nodes * perNode - Math.ceil(nodes * s.maxPods * headroom) < needed && nodes < 1000) nodes++;
      errors.push(
        `${s.path}: when ${stack} applies, its ${slot.nodes} nodes × ${s.maxPods} pods = ${slot.slots} slots − ${slot.daemonPods} DaemonSet pods (${slot.daemonNames.length} per node) − ${slot.reserve} headroom (${Math.round(headroom * 100)} %) leave ${slot.slots - slot.daemonPods - slot.reserve} for ${needed} pods; ${missing} do not fit (${list}); raise ${s.path}.minSize to ${nodes} or use instance types with more pods per node`,
      );
    }
    if (errors.length > 0) return { errors, use };
  }
  return { errors, use };
}

/** Per stage, the managed groups' slots and what is placed: the numbers `capacityReport` prints. */
export interface CapacityUse {
  readonly stage: string;
  readonly group: string;
  readonly slots: number;
  readonly daemonPods: number;
  readonly pods: number;
  readonly reserve: number;
}
