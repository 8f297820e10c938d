// What a service is given: the environment's endpoints, its ingress and peers, and the construct's props.
import { Naming } from "../../../shared/naming";
import { GitOpsSource } from "../../../kubernetes/gitops";
import { ServiceChart } from "./spec";
import { NetworkLoadBalancerEnvironment } from "./nlb";

/** An environment's data store as a service sees it. */
export interface DataStoreEndpoint {
  /** Host name (a token from the environment stack). */
  readonly host: string;
  readonly port: number;
  /** CIDRs of the subnets it lives in (NetworkPolicy egress). */
  readonly subnetCidrs: readonly string[];
}

/** PostgreSQL: the endpoint plus what the database bootstrap needs. */
export interface PostgresEndpoint extends DataStoreEndpoint {
  /** ARN of the RDS-managed master user secret (read by the bootstrap only). */
  readonly masterSecretArn: string;
  /** ARN of the CMK encrypting the master user secret (the bootstrap decrypts it). */
  readonly masterSecretKmsKeyArn: string;
}

/** Redis: the endpoint plus its AUTH token secret. */
export interface RedisEndpoint extends DataStoreEndpoint {
  /** Secrets Manager name of the AUTH token (read through the ClusterSecretStore). */
  readonly authTokenSecret: string;
}

/** The data stores an environment offers; a missing key means the environment has none of that kind. */
export interface ServiceDataStores {
  readonly postgres?: PostgresEndpoint;
  readonly redis?: RedisEndpoint;
}

/** Where Prometheus runs: the ServiceMonitor's labels, the NetworkPolicy's peer, the analysis's address. */
export interface PrometheusTarget {
  readonly namespace: string;
  readonly url: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly serviceMonitorLabels: Readonly<Record<string, string>>;
}

/** The public side of an environment: one ALB (an IngressGroup) behind CloudFront. */
export interface PublicIngress {
  /** The IngressGroup name: every service's Ingress joins it, so the environment has one ALB. */
  readonly groupName: string;
  /** The ALB's DNS name external-dns creates (modules/aws/edge/origin-names `OriginNames.published`). */
  readonly host: string;
  /**
   * Further names the ALB answers to without publishing them (`OriginNames.served`, e.g. the failover
   * name `origin.<domain>` the DR stack owns). @default none
   */
  readonly additionalHosts?: readonly string[];
  /** ARN of the regional ACM certificate of `host`. */
  readonly certificateArn: string;
  /**
   * The ALB's frontend security groups (ids, comma-separated, as the annotation takes them): HTTPS from
   * CloudFront, and from Route 53's health checkers.
   */
  readonly securityGroup: string;
  /** CIDRs the ALB's nodes live in (public subnets): NetworkPolicy ingress of IP targets. */
  readonly sourceCidrs: readonly string[];
  /** ALB deletion protection (production). */
  readonly deletionProtection: boolean;
}

/** The services a service talks to inside the cluster, and those that talk to it. */
export interface ServicePeers {
  readonly calls: readonly { readonly name: string; readonly port: number }[];
  readonly callers: readonly string[];
}

/** What an environment offers its services, built by the stack from the environment stack's outputs. */
export interface ServiceEnvironment {
  /** The environment's naming (`aivo-<env>-…`). */
  readonly naming: Naming;
  /** The environment's tier: selects `spec.tiers[tier]`. */
  readonly tier: string;
  /** The namespace services run in (`aivo`). */
  readonly namespace: string;
  /** The cluster's IAM OIDC provider ARN (IRSA trust). */
  readonly oidcProviderArn: string;
  /** The OIDC issuer without `https://`. */
  readonly oidcIssuerUrl: string;
  /** The environment's region (the bootstrap's SecretStore). */
  readonly region: string;
  /** The CMK encrypting the environment's ECR repositories. */
  readonly imageKeyArn: string;
  /** The CMK the services' own secrets (`aivo/<env>/<service>/database`) are encrypted with. */
  readonly secretsKeyArn: string;
  /** Node placement keys (modules/aws/compute/eks): the node-group label and the dedicated groups' taint key. */
  readonly nodes: { readonly label: string; readonly taintKey: string };
  /** Where Argo CD runs and what it deploys from. */
  readonly gitops: { readonly argoNamespace: string; readonly source: GitOpsSource };
  /** The environment's data stores. */
  readonly dataStores: ServiceDataStores;
  /** The ClusterSecretStore the ExternalSecrets read from. */
  readonly secretStoreName: string;
  /** Prometheus, for the ServiceMonitor and the NetworkPolicy. */
  readonly prometheus: PrometheusTarget;
  /** The environment's public ALB. */
  readonly ingress: PublicIngress;
  /** Labels on every object besides `app.kubernetes.io/name` (e.g. `environment`). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** What a service's Network Load Balancer gets (certificate, subnets). @default none: no service may ask for an NLB */
  readonly networkLoadBalancers?: NetworkLoadBalancerEnvironment;
}

export interface ApplicationServiceProps {
  /** The service's chart (`loadServiceChart`). */
  readonly chart: ServiceChart;
  /** The environment it runs in. */
  readonly environment: ServiceEnvironment;
  /** The services it calls and is called by (from the registry's `calls`). @default none */
  readonly peers?: ServicePeers;
  /** The origin health check's path when this service answers it (its readiness path, routed Exact). @default not this service */
  readonly originHealthCheckPath?: string;
}
