/**
 * The names every Kubernetes-side module shares, each defined once: namespaces and their Pod Security
 * Admission levels, the Helm charts the platform installs (one table; the README's components table
 * lists the same values), the ClusterSecretStore and ClusterIssuer names, and `ClusterContext`, what
 * the Kubernetes stacks read from the environment stack that created the cluster.
 *
 * No construct lives here: modules import these constants instead of repeating strings.
 */
import type { Severity } from "../../aws/observability/alerting";
import { KARPENTER_NAMESPACE, KARPENTER_VERSION } from "../../aws/compute/karpenter-prerequisites";
import { GUARDDUTY_AGENT_NAMESPACE } from "../../aws/security/guardduty-agent/names";
import type { Naming } from "../../shared/naming";

// --- namespaces ---------------------------------------------------------------------------------

/** Pod Security Standards levels (https://kubernetes.io/docs/concepts/security/pod-security-standards/). */
export const POD_SECURITY_LEVELS = ["privileged", "baseline", "restricted"] as const;
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];

/** Label prefix of Pod Security Admission: `pod-security.kubernetes.io/<mode>`. */
export const POD_SECURITY_LABEL_PREFIX = "pod-security.kubernetes.io";

/** A namespace of the platform and the pod security it enforces. */
export interface NamespaceSpec {
  /** The namespace name. */
  readonly name: string;
  /** The Pod Security Admission level enforced (`audit` and `warn` are always `restricted`). */
  readonly podSecurity: PodSecurityLevel;
  /** Why the level is what it is (the least the namespace's pods need); written as a namespace annotation. */
  readonly reason: string;
}

/**
 * The platform's namespaces. `aivo` enforces `restricted`; a controller namespace enforces the least its
 * pods need, and every namespace audits and warns at `restricted`, so a relaxed one still reports.
 */
export const NAMESPACES = {
  aivo: {
    name: "aivo",
    podSecurity: "restricted",
    reason: "application workloads: non-root, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp",
  },
  monitoring: {
    name: "monitoring",
    podSecurity: "privileged",
    reason: "node-exporter (kube-prometheus-stack) and the log agent run DaemonSets with hostNetwork, hostPID and hostPath mounts of node files",
  },
  externalSecrets: {
    name: "external-secrets",
    podSecurity: "restricted",
    reason: "the External Secrets chart runs non-root, read-only, all capabilities dropped, RuntimeDefault seccomp",
  },
  certManager: {
    name: "cert-manager",
    podSecurity: "restricted",
    reason: "the cert-manager chart runs non-root, all capabilities dropped, RuntimeDefault seccomp",
  },
  karpenter: {
    name: KARPENTER_NAMESPACE,
    podSecurity: "restricted",
    reason: "the Karpenter controller runs non-root, read-only, all capabilities dropped, RuntimeDefault seccomp",
  },
  velero: {
    name: "velero",
    podSecurity: "restricted",
    reason: "the node agent (file-system backups, hostPath) is off: EBS snapshots only; the server, its AWS plugin and the CRD upgrade Job run as uid 65532, read-only root file system, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp",
  },
  kyverno: {
    name: "kyverno",
    podSecurity: "restricted",
    reason: "Kyverno's own namespace, excluded from its policies; its chart runs non-root, all capabilities dropped, RuntimeDefault seccomp",
  },
  observability: {
    name: "observability",
    podSecurity: "restricted",
    reason: "the ADOT collector runs as uid 10001, read-only root file system, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp",
  },
  platformKafka: {
    name: "platform-kafka",
    podSecurity: "restricted",
    reason: "the Kafka topics Job runs as uid 1000, read-only root file system, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp",
  },
  argoCd: {
    name: "argocd",
    podSecurity: "restricted",
    reason: "Argo CD (the services' GitOps controller): every component runs non-root, read-only, all capabilities dropped, RuntimeDefault seccomp",
  },
  argoRollouts: {
    name: "argo-rollouts",
    podSecurity: "restricted",
    reason: "the Argo Rollouts controller runs non-root, read-only, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp",
  },
  tailscale: {
    name: "tailscale",
    podSecurity: "restricted",
    reason: "the subnet router uses userspace networking: non-root, read-only root file system, no NET_ADMIN, all capabilities dropped, RuntimeDefault seccomp",
  },
} as const satisfies Record<string, NamespaceSpec>;
export type PlatformNamespace = keyof typeof NAMESPACES;

/** The namespace of cluster-wide controllers installed into the cluster's own namespace (LB controller, metrics-server, external-dns). */
export const KUBE_SYSTEM_NAMESPACE = "kube-system";

/**
 * Namespaces no webhook running in the cluster receives a request from (Kyverno's
 * `config.webhooks.namespaceSelector`, the LB controller's Service mutator `namespaceSelectors`; the API
 * server evaluates the selectors, so an outage of either cannot block them): the cluster's own and every
 * controller's, so the controllers (Kyverno itself, the LB controller, cert-manager, External Secrets,
 * Karpenter, monitoring, Velero, the collector, the GuardDuty agent) can always restart and repair the
 * cluster. Their pods stay checked by Pod Security Admission, which the API server runs itself (each
 * namespace's `pod-security.kubernetes.io/enforce` label). Fail-closed webhooks gate the application
 * namespaces only (`aivo`, and any namespace not listed here).
 */
export const WEBHOOK_EXEMPT_NAMESPACES: readonly string[] = [
  ...new Set([
    KUBE_SYSTEM_NAMESPACE,
    "kube-node-lease",
    "kube-public",
    GUARDDUTY_AGENT_NAMESPACE,
    ...[NAMESPACES.kyverno, NAMESPACES.certManager, NAMESPACES.externalSecrets, NAMESPACES.karpenter, NAMESPACES.monitoring, NAMESPACES.velero, NAMESPACES.observability, NAMESPACES.argoCd, NAMESPACES.argoRollouts].map((n) => n.name),
  ]),
];

/** A namespace selector expression matching every namespace but `WEBHOOK_EXEMPT_NAMESPACES`. */
export const OUTSIDE_EXEMPT_NAMESPACES = { key: "kubernetes.io/metadata.name", operator: "NotIn", values: WEBHOOK_EXEMPT_NAMESPACES } as const;

// --- Helm charts --------------------------------------------------------------------------------

/** Where a Helm chart comes from and where its release goes. */
export interface HelmChart {
  /** The release name. */
  readonly name: string;
  /** The namespace the release is installed into. */
  readonly namespace: string;
  /** The chart name in its repository. */
  readonly chart: string;
  /** The chart repository URL (`https://…` or `oci://…`). */
  readonly repository: string;
  /** The pinned chart version (semver, an optional leading `v`). */
  readonly version: string;
}

/**
 * Every Helm chart of the platform, pinned (versions as of `shared/research/kubernetes-platform.md`,
 * 2026-11). The README's components table shows these values; change a version here only.
 */
export const HELM_CHARTS = {
  awsLoadBalancerController: {
    name: "aws-load-balancer-controller",
    namespace: KUBE_SYSTEM_NAMESPACE,
    chart: "aws-load-balancer-controller",
    repository: "https://aws.github.io/eks-charts",
    version: "3.5.0",
  },
  certManager: {
    name: "cert-manager",
    namespace: NAMESPACES.certManager.name,
    chart: "cert-manager",
    repository: "https://charts.jetstack.io",
    version: "v1.21.1",
  },
  externalSecrets: {
    name: "external-secrets",
    namespace: NAMESPACES.externalSecrets.name,
    chart: "external-secrets",
    repository: "https://charts.external-secrets.io",
    version: "2.9.0",
  },
  karpenterCrd: {
    name: "karpenter-crd",
    namespace: NAMESPACES.karpenter.name,
    chart: "karpenter-crd",
    repository: "oci://public.ecr.aws/karpenter",
    version: KARPENTER_VERSION,
  },
  karpenter: {
    name: "karpenter",
    namespace: NAMESPACES.karpenter.name,
    chart: "karpenter",
    repository: "oci://public.ecr.aws/karpenter",
    version: KARPENTER_VERSION,
  },
  metricsServer: {
    name: "metrics-server",
    namespace: KUBE_SYSTEM_NAMESPACE,
    chart: "metrics-server",
    repository: "https://kubernetes-sigs.github.io/metrics-server/",
    version: "3.13.1",
  },
  externalDns: {
    name: "external-dns",
    namespace: KUBE_SYSTEM_NAMESPACE,
    chart: "external-dns",
    repository: "https://kubernetes-sigs.github.io/external-dns/",
    version: "1.21.1",
  },
  kyverno: {
    name: "kyverno",
    namespace: NAMESPACES.kyverno.name,
    chart: "kyverno",
    repository: "https://kyverno.github.io/kyverno/",
    version: "3.9.0",
  },
  kyvernoPolicies: {
    name: "kyverno-policies",
    namespace: NAMESPACES.kyverno.name,
    chart: "kyverno-policies",
    repository: "https://kyverno.github.io/kyverno/",
    version: "3.9.0",
  },
  adotCollector: {
    name: "adot-collector",
    namespace: NAMESPACES.observability.name,
    chart: "opentelemetry-collector",
    repository: "https://open-telemetry.github.io/opentelemetry-helm-charts",
    version: "0.127.2",
  },
  // Observability and backup (installed by their own modules).
  prometheusOperatorCrds: {
    name: "prometheus-operator-crds",
    namespace: NAMESPACES.monitoring.name,
    chart: "prometheus-operator-crds",
    repository: "https://prometheus-community.github.io/helm-charts",
    version: "31.0.1",
  },
  kubePrometheusStack: {
    name: "kube-prometheus-stack",
    namespace: NAMESPACES.monitoring.name,
    chart: "kube-prometheus-stack",
    repository: "https://prometheus-community.github.io/helm-charts",
    version: "88.5.3",
  },
  loki: {
    name: "loki",
    namespace: NAMESPACES.monitoring.name,
    chart: "loki",
    repository: "https://grafana-community.github.io/helm-charts",
    version: "18.11.0",
  },
  alloy: {
    name: "alloy",
    namespace: NAMESPACES.monitoring.name,
    chart: "alloy",
    repository: "https://grafana.github.io/helm-charts",
    version: "1.11.1",
  },
  velero: {
    name: "velero",
    namespace: NAMESPACES.velero.name,
    chart: "velero",
    repository: "https://vmware-tanzu.github.io/helm-charts",
    version: "12.1.0",
  },
  // Service delivery (issue 25): Argo CD deploys the services' charts, Argo Rollouts runs their canaries.
  // argoproj/argo-helm at 2026-07-02 (af0a931): argo-cd 10.1.1 (Argo CD v3.4.4), argo-rollouts 2.41.0 (v1.9.0).
  argoCd: {
    name: "argocd",
    namespace: NAMESPACES.argoCd.name,
    chart: "argo-cd",
    repository: "https://argoproj.github.io/argo-helm",
    version: "10.1.1",
  },
  argoRollouts: {
    name: "argo-rollouts",
    namespace: NAMESPACES.argoRollouts.name,
    chart: "argo-rollouts",
    repository: "https://argoproj.github.io/argo-helm",
    version: "2.41.0",
  },
  // Compute (modules/kubernetes/addons/vertical-pod-autoscaler, modules/kubernetes/cluster/node-pools).
  verticalPodAutoscaler: {
    name: "vpa",
    namespace: KUBE_SYSTEM_NAMESPACE,
    chart: "vpa",
    repository: "https://charts.fairwinds.com/stable",
    version: "5.0.0",
  },
  nvidiaDevicePlugin: {
    name: "nvidia-device-plugin",
    namespace: KUBE_SYSTEM_NAMESPACE,
    chart: "nvidia-device-plugin",
    repository: "https://nvidia.github.io/k8s-device-plugin",
    version: "0.18.2",
  },
} as const satisfies Record<string, HelmChart>;
export type HelmChartKey = keyof typeof HELM_CHARTS;

// --- storage -------------------------------------------------------------------------------------

/**
 * The StorageClass of the platform's persistent volumes (Prometheus, Alertmanager, Loki): EBS gp3,
 * encrypted with the environment's EBS CMK (`ClusterContext.ebsKmsKeyArn`), created with the cluster's
 * platform components.
 */
export const GP3_STORAGE_CLASS = "gp3";

// --- custom resource names ----------------------------------------------------------------------

/** The ClusterSecretStore (External Secrets) reading AWS Secrets Manager `aivo/<env>/*` in the environment's region. */
export const CLUSTER_SECRET_STORE_NAME = "aws-secrets-manager";

/**
 * The EC2NodeClass (Karpenter, AMI family, subnets, security groups, encrypted root volume) every
 * NodePool of the platform references; created with Karpenter's custom resources in `<env>-workloads`.
 */
export const DEFAULT_EC2_NODE_CLASS_NAME = "default";

/** The cert-manager ClusterIssuers: ACME (Let's Encrypt) DNS01 on Route 53 for public names, a private CA for in-cluster TLS. */
export const CLUSTER_ISSUERS = {
  /** Let's Encrypt production, DNS01 through Route 53 (this environment's zones only). */
  public: "letsencrypt-dns01",
  /** The self-signed bootstrap issuer that signs the private CA certificate. */
  selfSigned: "selfsigned-bootstrap",
  /** Issues in-cluster TLS certificates from the platform's private CA. */
  private: "aivo-private-ca",
} as const;

// --- what the Kubernetes stacks read from the environment stack --------------------------------

/** The Route 53 zones of an environment, for external-dns and cert-manager. */
export interface EnvironmentZones {
  /** The public hosted zone id (e.g. of `dev.aivo.edu`). */
  readonly publicZoneId: string;
  /** The public zone's domain, e.g. `dev.aivo.edu`. */
  readonly publicZoneName: string;
  /** The private hosted zone id, associated with the VPC. */
  readonly privateZoneId: string;
  /** The private zone's domain. */
  readonly privateZoneName: string;
}

/** Karpenter's AWS side, created with the cluster (modules/aws/compute/karpenter-prerequisites). */
export interface KarpenterContext {
  /** The controller's IRSA role ARN (`karpenter/karpenter` service account). */
  readonly controllerRoleArn: string;
  /** The node role name EC2NodeClasses reference. */
  readonly nodeRoleName: string;
  /** The SQS interruption queue name (`settings.interruptionQueue`). */
  readonly queueName: string;
}

/**
 * What the Kubernetes stacks of an environment use from the environment stack that created the
 * cluster. Values are tokens of the environment stack: cdktf turns each use into an output of that
 * stack and a `terraform_remote_state` read here, and declares the stack dependency.
 */
export interface ClusterContext {
  /** The environment's naming (`aivo-<env>-…`). */
  readonly naming: Naming;
  /** The environment's region (plain string). */
  readonly region: string;
  /** The cluster name (plain string, `aivo-<env>-eks`). */
  readonly clusterName: string;
  /** The cluster's Kubernetes minor version, `1.<minor>` (plain string). */
  readonly kubernetesVersion: string;
  /** The cluster's IAM OIDC provider ARN, for IRSA trust policies. */
  readonly oidcProviderArn: string;
  /** The OIDC issuer without `https://`, for IRSA trust conditions. */
  readonly oidcIssuerUrl: string;
  /** The node security group id (webhook ports, Karpenter discovery). */
  readonly nodeSecurityGroupId: string;
  /**
   * Pods take addresses from dedicated pod subnets (VPC CNI custom networking), so a node's primary ENI
   * holds no pod: Karpenter must reserve it (`settings.reservedENIs`). @default false
   */
  readonly customNetworking?: boolean;
  /** The VPC id (the load balancer controller's `vpcId`). */
  readonly vpcId: string;
  /** The public subnets' CIDRs (plain strings): where the public load balancer's traffic comes from. */
  readonly publicSubnetCidrs: readonly string[];
  /** The role the Kubernetes providers assume to reach the API server (`eks get-token --role-arn`); none: the caller's own identity. */
  readonly adminRoleArn?: string;
  /** Karpenter's roles and queue; undefined when the environment runs without Karpenter. */
  readonly karpenter?: KarpenterContext;
  /** The SNS topic ARN of each alert severity. */
  readonly alertTopicArns: Readonly<Record<Severity, string>>;
  /** The environment's Route 53 zones. */
  readonly zones: EnvironmentZones;
  /** The CMK of EBS volumes (storage classes). */
  readonly ebsKmsKeyArn: string;
  /** The environment's S3 access-log bucket (modules/aws/data/buckets), for the cluster's own buckets' server access logs. */
  readonly accessLogBucketName: string;
  /** The access-log bucket in the DR region, where the environment replicates buckets there. @default none */
  readonly drAccessLogBucketName?: string;
}

/** The service-account annotation that binds a pod to its IRSA role. */
export const IRSA_ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";

/** The node label of the managed node groups (modules/aws/compute/eks `NODE_TYPE_LABEL`) and the group controllers run on. */
export const CONTROLLER_NODE_SELECTOR = { "node-type": "general" } as const;

/**
 * Where a chart's pods run: the tolerations and node selector of a dedicated node pool (e.g. the
 * monitoring pool's `placementOn("monitoring")` in modules/kubernetes/cluster/node-pools), set on each of its workloads.
 */
export interface PodPlacement {
  readonly tolerations: readonly { readonly key: string; readonly operator: string; readonly value?: string; readonly effect: string }[];
  readonly nodeSelector: Readonly<Record<string, string>>;
}
