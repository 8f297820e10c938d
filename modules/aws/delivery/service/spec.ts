/**
 * `ServiceSpec`: what a service of the platform declares, once, for every environment (the Helm
 * template's `values.yaml`, with `tiers` playing the part of `values-dev/staging/prod.yaml`).
 */

import type { NetworkLoadBalancerSpec } from "./nlb";

/** The node groups a service can be placed on (`node-type` label of modules/aws/compute/eks). */
export const SERVICE_PLACEMENTS = ["general", "spot", "memory"] as const;
export type ServicePlacement = (typeof SERVICE_PLACEMENTS)[number];

/** The data stores a service can use; an environment offers some of them (`ServiceDataStores`). */
export const DATA_STORE_KINDS = ["postgres", "redis"] as const;
export type DataStoreKind = (typeof DATA_STORE_KINDS)[number];

/**
 * How a service logs in to PostgreSQL:
 * - `service-user`: its own database user, whose credentials (JSON `username`, `password`) are in the
 *   secret `aivo/<env>/<service>/database` (created out of band, e.g. by a migration job);
 * - `master`: the RDS-managed master user secret (only for a service that owns schema migrations).
 */
export const POSTGRES_CREDENTIALS = ["service-user", "master"] as const;
export type PostgresCredentials = (typeof POSTGRES_CREDENTIALS)[number];

/** A data store the service uses: network egress to it, its endpoint and credentials in the pod's environment. */
export type DataStoreUse =
  | {
      readonly kind: "postgres";
      /** Which credentials the pod gets. @default "service-user" */
      readonly credentials?: PostgresCredentials;
    }
  | {
      /** ElastiCache Redis: TLS, the AUTH token from its Secrets Manager secret. */
      readonly kind: "redis";
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

/** CPU (`250m`, `1`) and memory (`256Mi`, `1Gi`) quantities, Kubernetes notation. */
export interface ResourceQuantities {
  /** CPU, e.g. `250m` or `1`. */
  readonly cpu: string;
  /** Memory, e.g. `256Mi` or `1Gi`. */
  readonly memory: string;
}

/** A service's values in one tier of environment (the part a `values-<env>.yaml` held). */
export interface ServiceTierValues {
  /** The HPA's lower bound, and so the replicas the service runs when idle. */
  readonly minReplicas: number;
  /** The HPA's upper bound. */
  readonly maxReplicas: number;
  /** Container requests (what the scheduler reserves). */
  readonly requests: ResourceQuantities;
  /**
   * Container limits. Memory is always limited; the CPU limit is optional (throttling hurts latency).
   * @default memory = requests.memory, no CPU limit
   */
  readonly limits?: { readonly cpu?: string; readonly memory: string };
  /** The HPA's average CPU utilization target, in percent of requests (10-100). @default 70 */
  readonly targetCpuUtilizationPercent?: number;
}

/** Prometheus scraping of a service, through a ServiceMonitor. */
export interface ServiceMetrics {
  /** The HTTP path of the metrics. @default "/metrics" */
  readonly path?: string;
  /** The container port serving metrics; the `http` port when omitted. @default ports.http */
  readonly port?: number;
  /** Scrape interval, Prometheus duration. @default "30s" */
  readonly interval?: string;
}

/** One service of the platform: everything it needs, for every environment. */
export interface ServiceSpec {
  /** DNS-1123 label, e.g. `auth-svc`: names every object, the IAM role `aivo-<env>-<name>`, the ECR repository and the secret prefix `aivo/<env>/<name>/`. */
  readonly name: string;
  /** A sentence: what the service does (role and repository descriptions). */
  readonly description: string;
  /** The container port serving HTTP (probes, the Service, the load balancer). */
  readonly port: number;
  /** HTTP paths of the probes on `port`. */
  readonly probes: {
    /** Liveness: restart the container when this fails. */
    readonly liveness: string;
    /** Readiness: take the pod out of the Service (and the ALB target group) when this fails. */
    readonly readiness: string;
    /** Startup: liveness waits until this succeeds. @default the liveness path */
    readonly startup?: string;
  };
  /** The node group the pods run on; `spot` and `memory` add the toleration for their taint. @default "general" */
  readonly placement?: ServicePlacement;
  /** Data stores the service uses. @default [] */
  readonly dataStores?: readonly DataStoreUse[];
  /** AWS access beyond its secrets, scoped to named resources of the environment. @default [] */
  readonly awsAccess?: readonly AwsAccess[];
  /**
   * Paths served to the internet through CloudFront and the environment's ALB, ALB notation:
   * `/api/auth/*` (prefix) or `/api/auth/login` (exact). Unique across services. @default [] (internal only)
   */
  readonly publicPaths?: readonly string[];
  /**
   * Other services (their names) this one calls inside the cluster, through their Service: its
   * NetworkPolicy lets it out to their pods, theirs lets it in. @default []
   */
  readonly calls?: readonly string[];
  /**
   * A TCP or gRPC port exposed through a Network Load Balancer (internal by default, TLS with the
   * environment's certificate, pod IPs as targets). @default none
   */
  readonly networkLoadBalancer?: NetworkLoadBalancerSpec;
  /** Prometheus scraping (a ServiceMonitor). @default none */
  readonly metrics?: ServiceMetrics;
  /**
   * A VerticalPodAutoscaler in recommendation mode (`updateMode: "Off"`) for the Deployment: it
   * recommends requests and never resizes pods, so it can sit beside the HPA, which acts on CPU.
   * @default false
   */
  readonly verticalPodAutoscaler?: boolean;
  /** Plain (non-secret) environment variables. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Seconds between SIGTERM and SIGKILL (after a 5 s pre-stop pause that lets the ALB deregister the pod). @default 30 */
  readonly terminationGracePeriodSeconds?: number;
  /** Images the ECR repository keeps (older ones expire); rollback can reach this far back. @default 30 */
  readonly keepImages?: number;
  /** Values per environment tier (`development`, `staging`, `production`); every tier in use needs one. */
  readonly tiers: Readonly<Record<string, ServiceTierValues>>;
}
