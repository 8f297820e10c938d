import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { ClusterSecretStore } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { OTLP_PORTS } from "../modules/kubernetes/addons/adot-collector";
import { KafkaTopicsJob, validateTopicsJobImage } from "../modules/aws/data/kafka";
import { KubernetesManifest } from "../modules/kubernetes/manifest";
import { CLUSTER_ISSUERS, NAMESPACES } from "../modules/kubernetes/platform";
import { NAMESPACE_NAME_LABEL } from "../modules/kubernetes/cluster/network-policies";
import { TailscaleSubnetRouter } from "../modules/kubernetes/addons/tailscale";
import { VAULT_DEFAULTS, vaultClusterSecretStore } from "../modules/kubernetes/addons/vault";
import { ClusterIssuers } from "../modules/kubernetes/cluster/cluster-issuers";
import { SecretsManagerStore } from "../modules/kubernetes/cluster/cluster-secret-store";
import { KarpenterNodePools } from "../modules/kubernetes/cluster/karpenter-node-pools";
import { NamespaceNetworkPolicies } from "../modules/kubernetes/cluster/network-policies";
import { WorkloadAdmissionPolicies } from "../modules/kubernetes/cluster/admission-policies";
import { requiredCredentials } from "../modules/kubernetes/addons/kube-prometheus-stack";
import { MonitoringExternalSecrets } from "../modules/kubernetes/cluster/monitoring-secrets";
import { SpecializedNodePools } from "../modules/kubernetes/cluster/node-pools";
import { AddonsStack } from "./addons-stack";
import { EnvironmentStack } from "./environment-stack";
import { KubernetesStack } from "./kubernetes-stack";
import { offHoursWindow } from "./user-experience";

/**
 * `<env>-workloads` (state `aivo/<env>/workloads.tfstate`), applied after `<env>-addons`: custom
 * resources (`kubernetes_manifest`, planned against CRDs the addons stack installed), network
 * policies and the in-cluster objects of the platform's services.
 *
 * Integrations: the Kafka topics Job (it needs nodes and the topics IRSA role; only where Kafka is on),
 * Vault's ClusterSecretStore (with a `vault` section) and the Tailscale subnet router (when enabled; its
 * ExternalSecret after the Secrets Manager store).
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
  /** `aivo` egress to the ADOT collector's OTLP ports (the namespace denies all egress by default). */
  readonly otlpEgressPolicy: KubernetesManifest;
  /** The Job applying the Kafka topics; undefined where Kafka is off. */
  readonly kafkaTopics?: KafkaTopicsJob;
  /** The ClusterSecretStore `vault` (kv-v2); undefined without a `vault` section or with `vault.clusterSecretStore: false`. */
  readonly vaultStore?: KubernetesManifest;
  /** The Tailscale subnet router; undefined unless `tailscale.enabled`. */
  readonly tailscale?: TailscaleSubnetRouter;
  /** The specialized Karpenter NodePools (monitoring, high-IOPS, GPU) configured at `nodePools`. */
  readonly specializedNodePools: SpecializedNodePools;

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
        offHours: offHoursWindow(config),
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
    // Tracing (issue 16): services in aivo may send OTLP to the collector in observability.
    this.otlpEgressPolicy = new KubernetesManifest(this, "allow-otlp-egress", {
      where: where("networkPolicies.allow-otlp-egress"),
      object: new NetworkPolicy({
        metadata: { name: "allow-otlp-egress", namespace: NAMESPACES.aivo.name },
        spec: {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [
            {
              to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: NAMESPACES.observability.name } } }],
              ports: [{ protocol: "TCP", port: OTLP_PORTS.grpc }, { protocol: "TCP", port: OTLP_PORTS.http }],
            },
          ],
        },
      }),
    });
    // Kafka topics (issue 14): create or alter, never delete; a changed table re-runs the Job.
    const kafka = environment.kafka;
    if (kafka) {
      const image = config.kafka.topicsJobImage;
      validateTopicsJobImage(`${config.name}.kafka.topicsJobImage`, image);
      this.kafkaTopics = new KafkaTopicsJob(this, "kafka-topics", {
        namespace: kafka.topicsJobNamespace,
        bootstrapBrokers: kafka.bootstrapBrokersIam,
        topics: config.kafka.topics,
        brokers: kafka.brokers,
        minInsyncReplicas: kafka.minInsyncReplicas,
        serviceAccountRoleArn: kafka.topicsJobRoleArn,
        image: image!,
        fieldPath: `${config.name}.kafka.topics`,
      });
    }
    // Vault (issue 16): the kv-v2 store beside the Secrets Manager one; its service account is in <env>-addons.
    const vault = config.vault;
    if (vault && (vault.clusterSecretStore ?? true)) {
      // The service account <env>-addons created (VaultIntegration's defaults): vault-auth in external-secrets.
      const serviceAccount = { name: VAULT_DEFAULTS.serviceAccount, namespace: VAULT_DEFAULTS.namespace };
      this.vaultStore = new KubernetesManifest(this, "vault-store", {
        where: `${config.name}.vault`,
        object: new ClusterSecretStore(vaultClusterSecretStore(vault, serviceAccount)),
      });
    }
    // Tailscale (issue 16): optional; the auth key comes from Secrets Manager through the store above.
    if (config.tailscale?.enabled) {
      this.tailscale = new TailscaleSubnetRouter(this, "tailscale", {
        ...config.tailscale,
        environment: config.name,
        vpcCidrs: [config.network.vpcCidr],
        secretStoreName: this.secretStore.storeName,
        dependsOn: [this.secretStore.manifest.resource],
      });
    }
    if (this.kafkaTopics) {
      new TerraformOutput(this, "kafka_topics_job", { value: this.kafkaTopics.jobName, description: `The Job that applied the Kafka topics (kubectl -n ${this.kafkaTopics.namespace} logs job/<name>)` });
    }
    if (this.vaultStore) {
      new TerraformOutput(this, "vault_secret_store", { value: VAULT_DEFAULTS.storeName, description: "ClusterSecretStore for ExternalSecrets reading Vault kv-v2" });
    }
    new TerraformOutput(this, "cluster_secret_store", { value: this.secretStore.storeName, description: "ClusterSecretStore for ExternalSecrets (AWS Secrets Manager, aivo/<env>/*)" });
    new TerraformOutput(this, "cluster_issuers", { value: { ...CLUSTER_ISSUERS }, description: "cert-manager ClusterIssuers: public (ACME DNS01), private (in-cluster CA)" });

    this.monitoringSecrets = new MonitoringExternalSecrets(this, "monitoring-secrets", {
      where: `${this.config.name}.observability`,
      naming: this.cluster.naming,
      credentials: requiredCredentials(this.config.observability.receivers),
    });

    // They launch from the EC2NodeClass DEFAULT_EC2_NODE_CLASS_NAME (created with Karpenter's resources).
    this.specializedNodePools = new SpecializedNodePools(this, "node-pools", {
      ...this.config.nodePools,
      where: `${this.config.name}.nodePools`,
      environment: this.config.name,
    });
  }
}
