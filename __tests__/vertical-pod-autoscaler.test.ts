import { Testing } from "cdktf";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { KubernetesManifest } from "../modules/kubernetes/manifest";
import { RecommendationVpa, VPA_CHART, VerticalPodAutoscaler, recommendationVpa } from "../modules/kubernetes/addons/vertical-pod-autoscaler";
import { manifestOf, releaseOf, releaseValues } from "./kubernetes-helpers";

const json = Testing.synthScope((scope) => {
  new HelmProvider(scope, "helm", {});
  new KubernetesProvider(scope, "kubernetes", {});
  new VerticalPodAutoscaler(scope, "vpa", { where: "staging.verticalPodAutoscaler" });
  new KubernetesManifest(scope, "api-vpa", { where: "staging.services.api", object: recommendationVpa({ kind: "Deployment", name: "api" }, "aivo") });
});

describe("VerticalPodAutoscaler", () => {
  it("installs the pinned Fairwinds chart in kube-system", () => {
    expect(releaseOf(json, "vpa")).toMatchObject({
      chart: "vpa",
      repository: "https://charts.fairwinds.com/stable",
      version: VPA_CHART.version,
      namespace: "kube-system",
      atomic: true,
    });
  });

  it("runs the recommender only by default: no updater, no admission webhook, no second metrics-server", () => {
    expect(releaseValues(json, "vpa")).toEqual({
      recommender: { enabled: true, replicaCount: 1 },
      updater: { enabled: false },
      admissionController: { enabled: false },
      "metrics-server": { enabled: false },
    });
  });

  it("turns the updater and admission controller on with applyRecommendations", () => {
    const applied = Testing.synthScope((scope) => {
      new HelmProvider(scope, "helm", {});
      new VerticalPodAutoscaler(scope, "vpa", { where: "x", applyRecommendations: true });
    });
    expect(releaseValues(applied, "vpa")).toMatchObject({ updater: { enabled: true }, admissionController: { enabled: true } });
  });
});

describe("recommendationVpa", () => {
  it("builds a recommendation-only VPA for the workload, named like it", () => {
    expect(manifestOf(json, "VerticalPodAutoscaler", "api").manifest).toEqual({
      apiVersion: "autoscaling.k8s.io/v1",
      kind: "VerticalPodAutoscaler",
      metadata: { name: "api", namespace: "aivo" },
      spec: {
        targetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" },
        updatePolicy: { updateMode: "Off" },
        resourcePolicy: { containerPolicies: [{ containerName: "*", controlledResources: ["cpu", "memory"] }] },
      },
    });
  });

  it("is checked before it is written: a bad name or an acting update mode fails with the field", () => {
    expect(() =>
      Testing.synthScope((scope) => {
        new KubernetesManifest(scope, "bad", { where: "staging.services.Api", object: recommendationVpa({ kind: "Deployment", name: "Api" }, "aivo") });
      }),
    ).toThrow("staging.services.Api: VerticalPodAutoscaler aivo/Api: metadata.name must be a DNS subdomain name");
    const acting = new RecommendationVpa(
      { name: "api", namespace: "aivo" },
      { ...recommendationVpa({ kind: "Deployment", name: "api" }, "aivo").spec, updatePolicy: { updateMode: "Auto" as "Off" } },
    );
    expect(() => acting.validate()).toThrow('spec.updatePolicy.updateMode must be "Off" (recommendation only)');
    expect(() => recommendationVpa({ kind: "Deployment", name: "api" }, "aivo", []).validate()).toThrow(
      "spec.resourcePolicy.containerPolicies.0.controlledResources must list cpu and/or memory",
    );
  });
});
