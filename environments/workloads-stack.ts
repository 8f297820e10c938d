import { Construct } from "constructs";
import { requiredCredentials } from "../modules/monitoring";
import { MonitoringExternalSecrets } from "../modules/monitoring-secrets";
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
  /** The ExternalSecrets of Alertmanager's and Grafana's credentials. */
  readonly monitoringSecrets: MonitoringExternalSecrets;

  constructor(scope: Construct, environment: EnvironmentStack, addons: AddonsStack) {
    super(scope, environment, "workloads");
    this.addons = addons;
    this.addDependency(addons);

    this.monitoringSecrets = new MonitoringExternalSecrets(this, "monitoring-secrets", {
      where: `${this.config.name}.observability`,
      naming: this.cluster.naming,
      credentials: requiredCredentials(this.config.observability.receivers),
    });
  }
}
