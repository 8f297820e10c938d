import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { CLUSTER_ISSUERS } from "../modules/kubernetes-platform";
import { ClusterIssuers } from "../modules/cluster-issuers";
import { SecretsManagerStore } from "../modules/cluster-secret-store";
import { KarpenterNodePools } from "../modules/karpenter-node-pools";
import { NamespaceNetworkPolicies } from "../modules/namespace-network-policies";
import { WorkloadAdmissionPolicies } from "../modules/workload-admission-policies";
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
  readonly secretStore: SecretsManagerStore;
  readonly issuers: ClusterIssuers;
  readonly nodePools?: KarpenterNodePools;
  readonly networkPolicies: NamespaceNetworkPolicies;
  readonly admissionPolicies: WorkloadAdmissionPolicies;
  /** The ExternalSecrets of Alertmanager's and Grafana's credentials. */
  readonly monitoringSecrets: MonitoringExternalSecrets;

  constructor(scope: Construct, environment: EnvironmentStack, addons: AddonsStack) {
    super(scope, environment, "workloads");
    this.addons = addons;
    this.addDependency(addons);
    const { config, cluster } = this;
    const settings = config.kubernetes;
    const where = (key: string) => `${config.name}.kubernetes.${key}`;

    this.secretStore = new SecretsManagerStore(this, "secret-store", { where: where("secretStore"), region: config.region });
    this.issuers = new ClusterIssuers(this, "issuers", {
      where: where("issuers"),
      region: config.region,
      zones: cluster.zones,
      acmeEmail: settings.acmeEmail,
      environment: config.name,
    });
    if (cluster.karpenter) {
      this.nodePools = new KarpenterNodePools(this, "karpenter", {
        where: where("karpenter"),
        clusterName: cluster.clusterName,
        nodeRoleName: cluster.karpenter.nodeRoleName,
        ebsKmsKeyArn: cluster.ebsKmsKeyArn,
        settings: settings.karpenter,
      });
    }
    this.networkPolicies = new NamespaceNetworkPolicies(this, "network-policies", {
      where: where("networkPolicies"),
      loadBalancerCidrs: cluster.publicSubnetCidrs,
    });
    this.admissionPolicies = new WorkloadAdmissionPolicies(this, "admission-policies", {
      where: where("admissionPolicies"),
      action: settings.policyAction,
    });
    new TerraformOutput(this, "cluster_secret_store", { value: this.secretStore.storeName, description: "ClusterSecretStore for ExternalSecrets (AWS Secrets Manager, aivo/<env>/*)" });
    new TerraformOutput(this, "cluster_issuers", { value: { ...CLUSTER_ISSUERS }, description: "cert-manager ClusterIssuers: public (ACME DNS01), private (in-cluster CA)" });

    this.monitoringSecrets = new MonitoringExternalSecrets(this, "monitoring-secrets", {
      where: `${this.config.name}.observability`,
      naming: this.cluster.naming,
      credentials: requiredCredentials(this.config.observability.receivers),
    });
  }
}
