import { Construct } from "constructs";
import { SpecializedNodePools } from "../modules/node-pools";
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
  /** The specialized Karpenter NodePools (monitoring, high-IOPS, GPU) configured at `nodePools`. */
  readonly nodePools: SpecializedNodePools;

  constructor(scope: Construct, environment: EnvironmentStack, addons: AddonsStack) {
    super(scope, environment, "workloads");
    this.addons = addons;
    this.addDependency(addons);

    // They launch from the EC2NodeClass DEFAULT_EC2_NODE_CLASS_NAME (created with Karpenter's resources).
    this.nodePools = new SpecializedNodePools(this, "node-pools", {
      ...this.config.nodePools,
      where: `${this.config.name}.nodePools`,
      environment: this.config.name,
    });
  }
}
