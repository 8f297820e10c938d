import { Construct } from "constructs";
import { PlatformNamespaces } from "../modules/kubernetes-namespaces";
import { NvidiaDevicePlugin } from "../modules/node-pools";
import { StorageClasses } from "../modules/storage-classes";
import { VerticalPodAutoscaler } from "../modules/vertical-pod-autoscaler";
import { EnvironmentStack } from "./environment-stack";
import { KubernetesStack } from "./kubernetes-stack";

/**
 * `<env>-addons` (state `aivo/<env>/addons.tfstate`), applied after `<env>`: the platform's
 * namespaces, the controllers' IAM roles, and the controllers with their CRDs as Helm releases, in a
 * fixed order. Nothing here needs a CRD at plan time; custom resources go in `<env>-workloads`.
 */
export class AddonsStack extends KubernetesStack {
  /** The platform namespaces (pod security labels); releases depend on them. */
  readonly namespaces: PlatformNamespaces;
  /** EBS StorageClasses (gp3 default, io2), gp2 demoted. */
  readonly storageClasses: StorageClasses;
  /** The Vertical Pod Autoscaler; undefined when `verticalPodAutoscaler.enabled` is false. */
  readonly verticalPodAutoscaler?: VerticalPodAutoscaler;
  /** The NVIDIA device plugin; only with `nodePools.nvidiaDevicePlugin`. */
  readonly nvidiaDevicePlugin?: NvidiaDevicePlugin;

  constructor(scope: Construct, environment: EnvironmentStack) {
    super(scope, environment, "addons");
    this.namespaces = new PlatformNamespaces(this, "namespaces", {
      where: `${this.config.name}.kubernetes.namespaces`,
      labels: { environment: this.config.name },
    });

    // --- compute and storage choices ---
    const env = this.config.name;
    this.storageClasses = new StorageClasses(this, "storage-classes", {
      ...this.config.storageClasses,
      where: `${env}.storageClasses`,
      kmsKeyArn: this.cluster.ebsKmsKeyArn,
    });
    if (this.config.verticalPodAutoscaler?.enabled ?? true) {
      this.verticalPodAutoscaler = new VerticalPodAutoscaler(this, "vertical-pod-autoscaler", {
        ...this.config.verticalPodAutoscaler,
        where: `${env}.verticalPodAutoscaler`,
      });
    }
    if (this.config.nodePools?.nvidiaDevicePlugin) {
      this.nvidiaDevicePlugin = new NvidiaDevicePlugin(this, "nvidia-device-plugin", { where: `${env}.nodePools` });
    }
  }
}
