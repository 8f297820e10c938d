/**
 * What a workload places on nodes, for the synth-time capacity check (`./index.ts`): its pods
 * (replicas, or one per node for a DaemonSet) and where they may run (node selector, tolerations,
 * namespace for Fargate). Every Helm add-on declares these beside its values (`HelmAddOnProps.pods`);
 * objects applied with `kubernetes_manifest` are read from their manifests (`podsOfManifests`).
 */

/** A pod's toleration, as Kubernetes writes it (`operator: Exists` without a key tolerates every taint). */
export interface PodToleration {
  readonly key?: string;
  /** `Equal` (the default) or `Exists`. */
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
}

/** One workload of a release: a Deployment/StatefulSet/Job (`replicas`) or a DaemonSet (`daemonSet`). */
export interface PodGroup {
  /** What runs, e.g. `controller`, `webhook`, `node-exporter`; names it in capacity errors. */
  readonly name: string;
  /** Pods the workload runs (ignored for a DaemonSet). @default 1 */
  readonly replicas?: number;
  /** One pod on every node whose taints it tolerates and whose labels match its node selector. @default false */
  readonly daemonSet?: boolean;
  /** The pods' node selector. @default none (any node) */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** The pods' tolerations. @default none */
  readonly tolerations?: readonly PodToleration[];
  /** The pods' namespace (a Fargate profile may take it). @default the release's namespace */
  readonly namespace?: string;
}

/** The toleration of every taint (DaemonSets that must run on every node: log shipper, node exporter). */
export const TOLERATE_ALL: readonly PodToleration[] = [{ operator: "Exists" }];

/** The toleration cluster add-ons carry (CoreDNS, the EBS CSI controller): `CriticalAddonsOnly`. */
export const CRITICAL_ADDONS_ONLY: readonly PodToleration[] = [{ key: "CriticalAddonsOnly", operator: "Exists" }];

/** A pod placement (`PodPlacement`: tolerations and node selector) as a pod group's fields. */
export function placed(placement: { readonly tolerations: readonly PodToleration[]; readonly nodeSelector: Readonly<Record<string, string>> } | undefined): Pick<PodGroup, "nodeSelector" | "tolerations"> {
  return placement ? { nodeSelector: placement.nodeSelector, tolerations: placement.tolerations } : {};
}

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {});

/** Kinds whose pods run on nodes, and where their pod template is. */
const WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "Job"] as const;

/**
 * The pod groups of Kubernetes objects applied as manifests: each Deployment, StatefulSet, DaemonSet
 * and Job, with its node selector and tolerations. A Deployment without `replicas` (an
 * HorizontalPodAutoscaler owns the count) runs the HPA's `minReplicas`; Kubernetes' default is 1.
 */
export function podsOfManifests(manifests: readonly Json[]): PodGroup[] {
  const hpaMin = new Map<string, number>();
  for (const m of manifests) {
    if (m.kind !== "HorizontalPodAutoscaler") continue;
    const spec = asObject(m.spec);
    const target = asObject(spec.scaleTargetRef);
    hpaMin.set(`${String(asObject(m.metadata).namespace)}/${String(target.kind)}/${String(target.name)}`, Number(spec.minReplicas ?? 1));
  }
  return manifests.flatMap((m) => {
    const kind = m.kind as (typeof WORKLOAD_KINDS)[number];
    if (!WORKLOAD_KINDS.includes(kind)) return [];
    const metadata = asObject(m.metadata);
    const spec = asObject(m.spec);
    const podSpec = asObject(asObject(spec.template).spec);
    const namespace = typeof metadata.namespace === "string" ? metadata.namespace : undefined;
    const key = `${String(namespace)}/${kind}/${String(metadata.name)}`;
    const replicas = kind === "Job" ? Number(spec.parallelism ?? 1) : Number(spec.replicas ?? hpaMin.get(key) ?? 1);
    return [
      {
        name: `${kind} ${namespace ? `${namespace}/` : ""}${String(metadata.name)}`,
        ...(kind === "DaemonSet" ? { daemonSet: true } : { replicas }),
        ...(podSpec.nodeSelector ? { nodeSelector: podSpec.nodeSelector as Record<string, string> } : {}),
        ...(Array.isArray(podSpec.tolerations) ? { tolerations: podSpec.tolerations as PodToleration[] } : {}),
        ...(namespace ? { namespace } : {}),
      },
    ];
  });
}
