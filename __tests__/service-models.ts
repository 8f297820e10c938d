/** The schema class of every kind the service template creates, for checking synthesized objects. */
import { ExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { RecommendationVpa } from "../modules/kubernetes/addons/vertical-pod-autoscaler";

/** kubernetes-models ships no VPA types: the VPA is checked by the module's own shape validation. */
class VpaModel {
  constructor(private readonly data: { metadata: { name: string; namespace: string }; spec: ConstructorParameters<typeof RecommendationVpa>[1] }) {}
  validate(): void {
    new RecommendationVpa(this.data.metadata, this.data.spec).validate();
  }
}

export const SERVICE_MODELS: Record<string, new (data: any) => { validate(): void }> = {
  ServiceAccount,
  Deployment,
  Service,
  HorizontalPodAutoscaler,
  PodDisruptionBudget,
  NetworkPolicy,
  Ingress,
  ExternalSecret,
  ServiceMonitor,
  VerticalPodAutoscaler: VpaModel,
};
