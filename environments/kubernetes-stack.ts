import { Fn, S3Backend } from "cdktf";
import { Construct } from "constructs";
import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { DEFAULT_KUBERNETES_VERSION } from "../modules/aws/compute/eks";
import { ClusterContext } from "../modules/kubernetes/platform";
import { EnvironmentStack } from "./environment-stack";
import { PlatformStack } from "./platform-stack";
import { stateBackendConfig } from "./state";
import { EnvironmentConfig, PROJECT } from "./types";

/** The Kubernetes stacks of an environment, in deployment order after the environment stack. */
export const KUBERNETES_STACKS = ["addons", "workloads", "services"] as const;
export type KubernetesStackKind = (typeof KUBERNETES_STACKS)[number];

/**
 * `<env>-<kind>`: the stack name. Every stack of an environment starts with the environment's name,
 * so `cdktf deploy '<env>*'` selects `<env>`, `<env>-addons` and `<env>-workloads` (in dependency order).
 */
export function kubernetesStackName(environment: string, kind: KubernetesStackKind): string {
  return `${environment}-${kind}`;
}

/** `aivo/<env>/<kind>.tfstate`: the state key of an environment's Kubernetes stack, beside `terraform.tfstate`. */
export function kubernetesStateKey(environment: string, kind: KubernetesStackKind): string {
  return `${PROJECT}/${environment}/${kind}.tfstate`;
}

/** The client authentication API `aws eks get-token` answers with. */
export const EXEC_API_VERSION = "client.authentication.k8s.io/v1beta1";

/**
 * `aws eks get-token …`: the exec plugin both providers run for a fresh token on every call, so a long
 * apply never outlives a 15-minute token (never `aws_eks_cluster_auth`). With `roleArn`, the CLI first
 * assumes that role (the cluster's admin role: the cluster has no implicit creator admin).
 */
export function eksGetTokenArgs(clusterName: string, region: string, roleArn?: string): string[] {
  return ["eks", "get-token", "--cluster-name", clusterName, "--region", region, ...(roleArn ? ["--role-arn", roleArn] : [])];
}

/** What the Kubernetes stacks use from the environment stack (tokens become cross-stack references). */
export function clusterContextOf(environment: EnvironmentStack): ClusterContext {
  const { eks, network, alerts, edge, naming, config } = environment;
  return {
    naming,
    region: config.region,
    clusterName: eks.clusterName,
    kubernetesVersion: config.eks.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
    oidcProviderArn: eks.oidcProviderArn,
    oidcIssuerUrl: eks.oidcIssuerUrl,
    nodeSecurityGroupId: eks.nodeSecurityGroupId,
    vpcId: network.vpcId,
    customNetworking: config.network.podNetwork !== undefined,
    publicSubnetCidrs: config.network.publicSubnets,
    adminRoleArn: eks.adminRoleArn,
    karpenter: eks.karpenter && {
      controllerRoleArn: eks.karpenter.controllerRoleArn,
      nodeRoleName: eks.karpenter.nodeRoleName,
      queueName: eks.karpenter.queueName,
    },
    alertTopicArns: alerts.topicArns,
    zones: {
      publicZoneId: edge.publicZoneId,
      publicZoneName: config.edge.domain,
      privateZoneId: edge.privateZoneId,
      privateZoneName: edge.privateZoneName,
    },
    ebsKmsKeyArn: eks.ebsKmsKeyArn,
    accessLogBucketName: environment.buckets.accessLogBucket.bucketName,
    drAccessLogBucketName: environment.buckets.drAccessLogBucket?.bucketName,
  };
}

/**
 * The base of an environment's Kubernetes stacks: its own state (`aivo/<env>/<kind>.tfstate`), the AWS
 * provider, and kubernetes + helm providers authenticated with `exec` against the environment's cluster.
 *
 * The providers read the cluster's endpoint and CA from an `aws_eks_cluster` data source, by name
 * (the name is a constant, `aivo-<env>-eks`): the provider configuration then depends only on the
 * live cluster, known at plan time once the environment stack is applied. Everything else (OIDC
 * provider, roles, zones, queue) comes from the environment stack as cross-stack references, which
 * also declare the dependency on it.
 */
export class KubernetesStack extends PlatformStack {
  readonly config: EnvironmentConfig;
  readonly kind: KubernetesStackKind;
  /** What this stack uses from the environment stack. */
  readonly cluster: ClusterContext;
  /** The cluster, read by name (endpoint, CA, version). */
  readonly clusterData: DataAwsEksCluster;
  readonly kubernetesProvider: KubernetesProvider;
  readonly helmProvider: HelmProvider;

  constructor(scope: Construct, environment: EnvironmentStack, kind: KubernetesStackKind) {
    const { config } = environment;
    super(scope, kubernetesStackName(config.name, kind), {
      region: config.region,
      tags: { project: PROJECT, environment: config.name, costCenter: config.costCenter },
    });
    this.config = config;
    this.kind = kind;
    this.cluster = clusterContextOf(environment);
    new S3Backend(this, stateBackendConfig(kubernetesStateKey(config.name, kind)));

    this.clusterData = new DataAwsEksCluster(this, "cluster", { name: this.cluster.clusterName });
    const host = this.clusterData.endpoint;
    const clusterCaCertificate = Fn.base64decode(this.clusterData.certificateAuthority.get(0).data);
    const exec = {
      apiVersion: EXEC_API_VERSION,
      command: "aws",
      args: eksGetTokenArgs(this.cluster.clusterName, config.region, this.cluster.adminRoleArn),
    };
    this.kubernetesProvider = new KubernetesProvider(this, "kubernetes", { host, clusterCaCertificate, exec: [exec] });
    this.helmProvider = new HelmProvider(this, "helm", { kubernetes: { host, clusterCaCertificate, exec } });
    this.addDependency(environment);
  }
}
