import { Construct } from "constructs";
import { AddonsStack } from "./addons-stack";
import { EnvironmentStack } from "./environment-stack";
import { KubernetesStack } from "./kubernetes-stack";

/**
 * `<env>-workloads` (state `aivo/<env>/workloads.tfstate`), applied after `<env>-addons`: custom
 * resources (`kubernetes_manifest`, planned against CRDs the addons stack installed), network
 * policies and the in-cluster objects of the platform's services.
 */
export class WorkloadsStack extends KubernetesStack {
  /** The addons stack this one follows. */
  readonly addons: AddonsStack;

  constructor(scope: Construct, environment: EnvironmentStack, addons: AddonsStack) {
    super(scope, environment, "workloads");
    this.addons = addons;
    this.addDependency(addons);
  }
}
