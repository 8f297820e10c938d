import { Construct } from "constructs";
import { JobV1 } from "@cdktf/provider-kubernetes/lib/job-v1";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { DEFAULT_NODE_GROUPS, ENVIRONMENT_LABEL, NODE_TYPE_LABEL, type EksAddonName } from "../modules/aws/compute/eks";
import { maxPodsPerNode } from "../modules/aws/compute/eks/pod-capacity";
import { CapacityPlan, EKS_ADDON_PODS, NodeSupply, PodDemand, capacityErrors, kubernetesEffect, podsOfManifests } from "../modules/kubernetes/capacity";
import { GUARDDUTY_AGENT_PODS } from "../modules/aws/security/guardduty-agent";
import { GUARDDUTY_AGENT_NAMESPACE } from "../modules/aws/security/guardduty-agent/names";
import { KUBE_SYSTEM_NAMESPACE } from "../modules/kubernetes/platform";
import type { AddonsStack } from "./addons-stack";
import type { ServicesStack } from "./services-stack";
import { KUBERNETES_STACKS, KubernetesStack, kubernetesStackName } from "./kubernetes-stack";
import type { EnvironmentConfig } from "./types";

type Json = Record<string, unknown>;

/** The JSON of every `kubernetes_manifest` in `scope` (tokens stay strings; only the shape is read). */
function manifestsIn(scope: Construct): Json[] {
  return scope.node
    .findAll()
    .filter((c): c is Manifest => c instanceof Manifest)
    .map((m) => m.manifestInput as Json);
}

/**
 * The Jobs of a stack written with the provider's `kubernetes_job_v1` (the Kafka topics Job): one
 * demand each, waited for when `wait_for_completion` is on.
 */
function jobsIn(scope: Construct, stage: number): PodDemand[] {
  return scope.node
    .findAll()
    .filter((c): c is JobV1 => c instanceof JobV1)
    .map((job) => {
      const podSpec = job.specInput?.template.spec;
      const namespace = job.metadataInput?.namespace ?? "default";
      return {
        source: `${scope.node.id} Job ${namespace}/${String(job.metadataInput?.name)}`,
        stage,
        waits: job.waitForCompletionInput === true,
        namespace,
        pods: [
          {
            name: "pod",
            replicas: Number(job.specInput?.parallelism ?? 1),
            ...(podSpec?.nodeSelector ? { nodeSelector: podSpec.nodeSelector as Record<string, string> } : {}),
            ...(Array.isArray(podSpec?.toleration) ? { tolerations: podSpec.toleration as { key?: string; operator?: string; value?: string; effect?: string }[] } : {}),
          },
        ],
      };
    });
}

/** The managed node groups at their minimum size: the nodes that exist whatever Karpenter does. */
function managedGroups(config: EnvironmentConfig): NodeSupply[] {
  const customNetworking = config.network.podNetwork !== undefined;
  return Object.entries(config.eks.nodeGroups ?? DEFAULT_NODE_GROUPS).map(([name, g]) => {
    const path = `${config.name}.eks.nodeGroups.${name}`;
    return {
      path,
      labels: { ...(g.labels ?? {}), [NODE_TYPE_LABEL]: name, [ENVIRONMENT_LABEL]: config.name },
      taints: (g.taints ?? []).map((t) => ({ key: t.key, value: t.value, effect: kubernetesEffect(t.effect) })),
      maxPods: maxPodsPerNode(g.instanceTypes, customNetworking, `${path}.instanceTypes`),
      nodes: g.minSize,
      fromStage: 0,
    };
  });
}

/** The Karpenter NodePools a stack creates, read from their manifests: nodes on demand from that stage on. */
function nodePools(manifests: readonly Json[], environment: string, stage: number): NodeSupply[] {
  return manifests
    .filter((m) => m.kind === "NodePool")
    .map((m) => {
      const template = (m.spec as Json).template as Json;
      const spec = template.spec as Json;
      return {
        path: `${environment} NodePool ${String((m.metadata as Json).name)}`,
        labels: ((template.metadata as Json | undefined)?.labels ?? {}) as Record<string, string>,
        taints: ((spec.taints ?? []) as { key: string; value?: string; effect: string }[]).map((t) => ({ ...t })),
        // Karpenter sizes its nodes to the pending pods; their slots are not a fixed count.
        maxPods: 0,
        fromStage: stage,
      };
    });
}

/** Namespaces whose every pod a Fargate profile takes (a selector without labels). */
function fargateNamespaces(config: EnvironmentConfig): string[] {
  return Object.values(config.fargate?.profiles ?? {}).flatMap((selectors) => selectors.filter((s) => !s.labels).map((s) => s.namespace));
}

/**
 * The capacity plan of one environment from what its stacks actually place: the EKS add-ons and the
 * GuardDuty agent (with the cluster), every Helm release of `<env>-addons` (its declared `pods`), and
 * every workload manifest of each Kubernetes stack; against the managed node groups at `minSize` and
 * the NodePools, from the stack that creates them.
 */
export function capacityPlanOf(config: EnvironmentConfig, stacks: readonly KubernetesStack[]): CapacityPlan {
  const stages = KUBERNETES_STACKS.map((kind) => kubernetesStackName(config.name, kind));
  const stageOf = (stack: KubernetesStack) => KUBERNETES_STACKS.indexOf(stack.kind);
  const addons = stacks.find((s) => s.kind === "addons") as AddonsStack | undefined;
  const demand: PodDemand[] = [
    ...(Object.keys(EKS_ADDON_PODS) as EksAddonName[]).map((name) => ({
      source: `EKS add-on ${name}`,
      stage: 0,
      waits: true,
      pods: EKS_ADDON_PODS[name],
      namespace: KUBE_SYSTEM_NAMESPACE,
    })),
    { source: "EKS add-on aws-guardduty-agent", stage: 0, waits: false, pods: GUARDDUTY_AGENT_PODS, namespace: GUARDDUTY_AGENT_NAMESPACE },
    ...(addons?.releases ?? []).map((r) => ({ source: `helm release ${r.releaseName}`, stage: 0, waits: r.waits, pods: r.pods, namespace: r.namespace })),
    ...stacks.map((stack) => ({
      source: stack.node.id,
      stage: stageOf(stack),
      waits: false,
      // The services' own pods are Argo CD's to place: the services stack declares them (gitOpsPods).
      pods: [...podsOfManifests(manifestsIn(stack)), ...((stack as Partial<Pick<ServicesStack, "gitOpsPods">>).gitOpsPods ?? [])],
      namespace: "default",
    })),
    ...stacks.flatMap((stack) => jobsIn(stack, stageOf(stack))),
  ];
  const supply = [...managedGroups(config), ...stacks.flatMap((stack) => nodePools(manifestsIn(stack), config.name, stageOf(stack)))];
  return { environment: config.name, stages, supply, demand, fargateNamespaces: fargateNamespaces(config) };
}

/** The capacity check's messages for one environment (none when its stacks' pods fit). */
export function environmentCapacityErrors(config: EnvironmentConfig, stacks: readonly KubernetesStack[]): string[] {
  return capacityErrors(capacityPlanOf(config, stacks));
}
