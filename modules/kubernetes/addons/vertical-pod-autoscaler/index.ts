import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { HelmAddOn } from "../../helm-addon";
import { HELM_CHARTS } from "../../platform";
import type { TypedKubernetesObject } from "../../manifest";

/** The Fairwinds VPA chart (VPA 1.7.1 and its CRDs in the chart's `crds/`), pinned in `HELM_CHARTS`. */
export const VPA_CHART = HELM_CHARTS.verticalPodAutoscaler;

/** Per-environment VPA settings (at `<env>.verticalPodAutoscaler`). */
export interface VpaSettings {
  /** Install the VPA. @default true */
  readonly enabled?: boolean;
  /**
   * Also run the updater and admission controller, which evict pods and rewrite their requests.
   * Off: the recommender only writes recommendations to each VPA's status. @default false
   */
  readonly applyRecommendations?: boolean;
}

export interface VerticalPodAutoscalerProps extends VpaSettings {
  /** Where the settings live, e.g. `production.verticalPodAutoscaler`. */
  readonly where: string;
  /** What must exist first. @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The Vertical Pod Autoscaler from the Fairwinds chart, recommender-only by default (updater and
 * admission controller off): it observes usage and publishes recommended requests; nothing is
 * evicted. The chart's bundled metrics-server stays off (the platform installs its own).
 */
export class VerticalPodAutoscaler extends HelmAddOn {
  constructor(scope: Construct, id: string, props: VerticalPodAutoscalerProps) {
    const apply = props.applyRecommendations ?? false;
    super(scope, id, {
      where: props.where,
      chart: VPA_CHART,
      pods: [
        { name: "recommender", replicas: 1 },
        ...(apply ? [{ name: "updater", replicas: 1 }, { name: "admission-controller", replicas: 1 }] : []),
      ],
      defaultValues: {
        recommender: { enabled: true, replicaCount: 1 },
        updater: { enabled: apply },
        admissionController: { enabled: apply },
        "metrics-server": { enabled: false },
      },
      dependsOn: props.dependsOn,
    });
  }
}

// --- VerticalPodAutoscaler objects ------------------------------------------------------------------

/** The VPA API version (CRD of the chart). */
export const VPA_API_VERSION = "autoscaling.k8s.io/v1";

/** The workload a VPA watches. */
export interface VpaTargetRef {
  readonly apiVersion: "apps/v1";
  readonly kind: "Deployment" | "StatefulSet" | "DaemonSet";
  readonly name: string;
}

/** The shape of a recommendation-mode VerticalPodAutoscaler (the fields this project sets). */
export interface VpaObjectSpec {
  readonly targetRef: VpaTargetRef;
  readonly updatePolicy: { readonly updateMode: "Off" };
  readonly resourcePolicy: {
    readonly containerPolicies: readonly { readonly containerName: string; readonly controlledResources: readonly ("cpu" | "memory")[] }[];
  };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/**
 * A `autoscaling.k8s.io/v1` VerticalPodAutoscaler. `kubernetes-models` ships no VPA types, so
 * `validate()` checks the few fields this project sets by hand (names, target kind, update mode,
 * controlled resources) rather than against the CRD's schema.
 */
export class RecommendationVpa implements TypedKubernetesObject {
  readonly apiVersion = VPA_API_VERSION;
  readonly kind = "VerticalPodAutoscaler";
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: VpaObjectSpec;

  constructor(metadata: { name: string; namespace: string }, spec: VpaObjectSpec) {
    this.metadata = metadata;
    this.spec = spec;
  }

  validate(): void {
    const fail = (field: string, message: string) => {
      throw Object.assign(new Error(`${field} ${message}`), { errors: [{ instancePath: `/${field.split(".").join("/")}`, message }] });
    };
    if (!DNS_SUBDOMAIN.test(this.metadata.name)) fail("metadata.name", "must be a DNS subdomain name");
    if (!DNS_LABEL.test(this.metadata.namespace)) fail("metadata.namespace", "must be a DNS label");
    const { targetRef, updatePolicy, resourcePolicy } = this.spec;
    if (targetRef.apiVersion !== "apps/v1" || !["Deployment", "StatefulSet", "DaemonSet"].includes(targetRef.kind)) {
      fail("spec.targetRef", "must be an apps/v1 Deployment, StatefulSet or DaemonSet");
    }
    if (!DNS_SUBDOMAIN.test(targetRef.name)) fail("spec.targetRef.name", "must be a DNS subdomain name");
    if (updatePolicy.updateMode !== "Off") fail("spec.updatePolicy.updateMode", 'must be "Off" (recommendation only)');
    resourcePolicy.containerPolicies.forEach((p, i) => {
      if (p.controlledResources.length === 0 || p.controlledResources.some((r) => r !== "cpu" && r !== "memory")) {
        fail(`spec.resourcePolicy.containerPolicies.${i}.controlledResources`, "must list cpu and/or memory");
      }
    });
  }

  toJSON(): unknown {
    return { apiVersion: this.apiVersion, kind: this.kind, metadata: { ...this.metadata }, spec: this.spec };
  }
}

/**
 * A VPA in recommendation mode (`updateMode: Off`) for `targetRef`, named like it, for the service
 * template: it never evicts or resizes, so it can sit beside an HPA scaling on CPU (VPA and HPA must
 * not both act on CPU). Read its advice with `kubectl describe vpa <name>`. Pass it to
 * `KubernetesManifest` in `<env>-workloads`: it is a custom resource of the VPA chart's CRD.
 */
export function recommendationVpa(
  targetRef: Omit<VpaTargetRef, "apiVersion"> & { apiVersion?: "apps/v1" },
  namespace: string,
  controlledResources: readonly ("cpu" | "memory")[] = ["cpu", "memory"],
): RecommendationVpa {
  return new RecommendationVpa(
    { name: targetRef.name, namespace },
    {
      targetRef: { apiVersion: "apps/v1", kind: targetRef.kind, name: targetRef.name },
      updatePolicy: { updateMode: "Off" },
      resourcePolicy: { containerPolicies: [{ containerName: "*", controlledResources: [...controlledResources] }] },
    },
  );
}
