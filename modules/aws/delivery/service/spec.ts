/**
 * `ServiceSpec`: what a service of the platform declares once, for every environment. It is the
 * `service:` block of its chart's `values.yaml` (helm/services/<name>), read by `loadServiceChart`,
 * so the chart Argo CD renders and the AWS side cdktf creates share one definition.
 */

import type { NetworkLoadBalancerSpec } from "./nlb";

/** The node groups a service can be placed on (`node-type` label of modules/aws/compute/eks). */
export const SERVICE_PLACEMENTS = ["general", "spot", "memory"] as const;
export type ServicePlacement = (typeof SERVICE_PLACEMENTS)[number];

/** The data stores a service can use; an environment offers some of them (`ServiceDataStores`). */
export const DATA_STORE_KINDS = ["postgres", "redis"] as const;
export type DataStoreKind = (typeof DATA_STORE_KINDS)[number];

/** How a service's release reaches its users: a rolling update, or a canary gated by analysis (Argo Rollouts). */
export const DELIVERY_STRATEGIES = ["rolling", "canary"] as const;
export type DeliveryStrategy = (typeof DELIVERY_STRATEGIES)[number];

/**
 * The values file of each environment tier in a service chart: the pipeline bumps the image in
 * `values-dev.yaml`, and promotion copies it to `values-staging.yaml` and `values-prod.yaml`.
 */
export const TIER_VALUES_FILES: Readonly<Record<string, string>> = {
  development: "values-dev.yaml",
  staging: "values-staging.yaml",
  production: "values-prod.yaml",
};

/**
 * AWS access beyond the service's own secrets, always to named resources of the same environment:
 * a name `uploads` means `aivo-<env>-uploads`.
 */
export type AwsAccess =
  | { readonly kind: "s3-bucket"; readonly bucket: string; readonly access: "read" | "read-write" }
  | { readonly kind: "sqs-queue"; readonly queue: string; readonly access: "consume" | "send" }
  | { readonly kind: "sns-topic"; readonly topic: string }
  /**
   * A Kafka topic of the environment's MSK cluster (IAM auth): produce or consume, plus reading the
   * topic's schema in the environment's schema registry (modules/aws/data/schema-registry).
   */
  | { readonly kind: "kafka-topic"; readonly topic: string; readonly access: "produce" | "consume" };

/** Prometheus scraping of a service, through a ServiceMonitor. */
export interface ServiceMetrics {
  /** Scrape the service. */
  readonly enabled: boolean;
  /** The HTTP path of the metrics, e.g. `/metrics`. */
  readonly path: string;
  /** Scrape interval, Prometheus duration, e.g. `30s`. */
  readonly interval: string;
  /** The container port serving metrics; the HTTP port when omitted. @default port */
  readonly port?: number | null;
}

/** One service of the platform: the `service:` block of its chart's values.yaml. */
export interface ServiceSpec {
  /** DNS-1123 label, e.g. `auth-svc`: names every object, the IAM role `aivo-<env>-<name>`, the ECR repository and the secret prefix `aivo/<env>/<name>/`. */
  readonly name: string;
  /** A sentence: what the service does (role and repository descriptions). */
  readonly description: string;
  /** The container port serving HTTP (probes, the Services, the load balancer). */
  readonly port: number;
  /** HTTP paths of the probes on `port`. */
  readonly probes: { readonly liveness: string; readonly readiness: string; readonly startup?: string };
  /** The node group the pods run on. @default "general" */
  readonly placement?: ServicePlacement;
  /** Data stores the service uses. @default none */
  readonly dataStores?: Readonly<Partial<Record<DataStoreKind, boolean>>>;
  /** AWS access beyond its secrets, scoped to named resources of the environment. @default [] */
  readonly awsAccess?: readonly AwsAccess[];
  /** Paths served to the internet (ALB notation `/api/auth/*` or `/api/auth/login`), unique across services. @default [] */
  readonly publicPaths?: readonly string[];
  /** Other services (their names) this one calls inside the cluster. @default [] */
  readonly calls?: readonly string[];
  /**
   * A TCP or gRPC port exposed through a Network Load Balancer (internal by default, TLS with the
   * environment's certificate, pod IPs as targets). @default none
   */
  readonly networkLoadBalancer?: NetworkLoadBalancerSpec;
  /** Prometheus scraping (a ServiceMonitor). @default none */
  readonly metrics?: ServiceMetrics;
  /** A VerticalPodAutoscaler in recommendation mode. @default false */
  readonly verticalPodAutoscaler?: boolean;
  /** Plain (non-secret) environment variables. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Seconds between SIGTERM and SIGKILL. @default 30 */
  readonly terminationGracePeriodSeconds?: number;
  /** Images the ECR repository keeps (older ones expire); rollback can reach this far back. @default 30 */
  readonly keepImages?: number;
}

/** What a tier's values file sets that cdktf reads: the image the pipeline recorded and the strategy. */
export interface ServiceTierRelease {
  /** The values file, e.g. `values-prod.yaml`. */
  readonly valuesFile: string;
  /** The image tag recorded by the pipeline ("" before the first build). */
  readonly tag: string;
  /** The image digest recorded by the pipeline ("" before the first build). */
  readonly digest: string;
  /** Rolling update or canary. */
  readonly strategy: DeliveryStrategy;
  /** The HPA's lower bound (`replicas.min`): the pods the service always runs, for the capacity check. */
  readonly minReplicas: number;
}

/** A service chart as cdktf reads it: its path in the repository, its spec, and each tier's release. */
export interface ServiceChart {
  /** The chart's directory relative to the repository root, e.g. `helm/services/auth-svc` (Argo CD's source path). */
  readonly path: string;
  /** The `service:` block of values.yaml. */
  readonly spec: ServiceSpec;
  /** Each tier's values file and release, keyed by tier (`development`, `staging`, `production`). */
  readonly tiers: Readonly<Record<string, ServiceTierRelease>>;
}
