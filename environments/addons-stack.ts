import { Construct } from "constructs";
import { PlatformNamespaces } from "../modules/kubernetes-namespaces";
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

  constructor(scope: Construct, environment: EnvironmentStack) {
    super(scope, environment, "addons");
    this.namespaces = new PlatformNamespaces(this, "namespaces", {
      where: `${this.config.name}.kubernetes.namespaces`,
      labels: { environment: this.config.name },
    });
  }
}
