/**
 * The Kubernetes objects of one service, built with the `kubernetes-models` classes (their
 * `validate()` is the upstream schema): pure functions of the spec and the environment, so a test can
 * read them without synthesizing.
 */
import { ExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { TypedKubernetesObject } from "../../../kubernetes/manifest";
import { DataStoreKind, ServiceSpec, ServiceTierValues } from "./spec";
import { IRSA_ROLE_ANNOTATION } from "../../../kubernetes/platform";
import { KUBE_DNS_LABEL, NAMESPACE_NAME_LABEL } from "../../../kubernetes/cluster/network-policies";
import { recommendationVpa } from "../../../kubernetes/addons/vertical-pod-autoscaler";
import { NLB_PORT_NAME, NetworkLoadBalancerEnvironment, buildNlbService, nlbIngressRule } from "./nlb";

/** The label every object of a service carries and selectors match on. */
export const APP_NAME_LABEL = "app.kubernetes.io/name";
/** The IngressClass the AWS Load Balancer Controller's chart creates. */
export const ALB_INGRESS_CLASS = "alb";
/** The ALB listeners' TLS policy: TLS 1.3 and 1.2 only. */
export const ALB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/** The annotation prefix of the AWS Load Balancer Controller. */
export const ALB_ANNOTATION_PREFIX = "alb.ingress.kubernetes.io";
/** external-dns: the name it points at the Ingress's load balancer. */
export const EXTERNAL_DNS_HOSTNAME_ANNOTATION = "external-dns.alpha.kubernetes.io/hostname";
/** The name of the container port serving HTTP (and of the Service port). */
export const HTTP_PORT_NAME = "http";
/** The name of the metrics port when it is not the HTTP port. */
export const METRICS_PORT_NAME = "metrics";
/** The port the Service exposes inside the cluster. */
export const SERVICE_PORT = 80;
/** UID/GID the containers run as (non-root; images must not need a specific user). */
export const SERVICE_RUN_AS_USER = 10001;
/** Seconds the pre-stop hook pauses, so the ALB and kube-proxy stop sending before SIGTERM. */
export const PRE_STOP_SLEEP_SECONDS = 5;
/** What every pod may reach on the internet side: HTTPS (AWS APIs through NAT, identity providers). */
export const HTTPS_PORT = 443;
/** Every IPv4 address, as a NetworkPolicy `ipBlock`. */
export const ANY_IPV4 = "0.0.0.0/0";

/** An environment's data store as a service sees it: endpoint, port, the subnets it lives in and its credentials' secret. */
export interface DataStoreEndpoint {
  /** Host name (a token from the environment stack). */
  readonly host: string;
  readonly port: number;
  /** CIDRs of the subnets it lives in (NetworkPolicy egress). */
  readonly subnetCidrs: readonly string[];
  /**
   * Secrets Manager secret (name or ARN) holding the store's shared credentials (RDS master user, Redis
   * AUTH token). @default none: services can't use the shared credentials
   */
  readonly secret?: string;
}

/** The data stores an environment offers; a missing key means the environment has none of that kind. */
export type ServiceDataStores = Partial<Readonly<Record<DataStoreKind, DataStoreEndpoint>>>;

/** Where Prometheus runs, for the ServiceMonitor's labels and the NetworkPolicy's ingress peer. */
export interface PrometheusTarget {
  /** Namespace of the Prometheus pods. */
  readonly namespace: string;
  /** Labels of the Prometheus pods. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Labels Prometheus selects ServiceMonitors by. */
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
   * name `origin.aivo.edu` the DR stack owns). @default none
   */
  readonly additionalHosts?: readonly string[];
  /** ARN of the regional ACM certificate of `host`. */
  readonly certificateArn: string;
  /**
   * The ALB's frontend security groups (ids or `Name` tags, comma-separated, as the annotation takes
   * them): HTTPS from CloudFront, and from Route 53's health checkers.
   */
  readonly securityGroup: string;
  /** CIDRs the ALB's nodes live in (public subnets): NetworkPolicy ingress of IP targets. */
  readonly sourceCidrs: readonly string[];
  /** ALB deletion protection (production). */
  readonly deletionProtection: boolean;
}

/** The services a service talks to inside the cluster, and those that talk to it. */
export interface ServicePeers {
  /** The services it calls: their names and container ports (NetworkPolicy egress to their pods). */
  readonly calls: readonly { readonly name: string; readonly port: number }[];
  /** The services that call it (NetworkPolicy ingress on its port). */
  readonly callers: readonly string[];
}

/** Everything besides the spec that the objects depend on. */
export interface ServiceObjectsContext {
  readonly namespace: string;
  /** The tier's values (replicas, resources). */
  readonly values: ServiceTierValues;
  /** `<repository url>:<tag>`. */
  readonly image: string;
  /** The service's IAM role (IRSA). */
  readonly roleArn: string;
  /** Secret (name) of the service's own database user, when it uses one. */
  readonly serviceDatabaseSecret: string;
  readonly dataStores: ServiceDataStores;
  /** The ClusterSecretStore ExternalSecrets read from. */
  readonly secretStoreName: string;
  readonly prometheus: PrometheusTarget;
  readonly ingress: PublicIngress;
  /** Labels every object carries besides `app.kubernetes.io/name`. */
  readonly labels: Readonly<Record<string, string>>;
  /** Its in-cluster callers and callees. */
  readonly peers: ServicePeers;
  /** The path of the origin's Route 53 health check, when this service answers it (its readiness path). @default not this service */
  readonly originHealthCheckPath?: string;
  /** What NLBs get in the environment; needed when the spec has `networkLoadBalancer`. @default none */
  readonly networkLoadBalancers?: NetworkLoadBalancerEnvironment;
}

/** The typed objects of a service, keyed by a short stable name (becomes the Terraform resource id). */
export type ServiceObjects = Record<string, TypedKubernetesObject>;

/**
 * The Ingress paths of a service: its public paths, plus — for the service that answers the origin's
 * health check (`originHealthCheckPath`) — that path, Exact. It must be the service's readiness path:
 * the ALB forwards the path unchanged, so Route 53 then sees 200 only while a ready pod is behind the
 * ALB, and the ALB's 404 or 503 otherwise.
 */
export function ingressPaths(spec: Pick<ServiceSpec, "publicPaths" | "probes">, originHealthCheckPath?: string): { path: string; pathType: "Prefix" | "Exact" }[] {
  const paths = (spec.publicPaths ?? []).map(ingressPath);
  if (originHealthCheckPath === undefined) return paths;
  if (originHealthCheckPath !== spec.probes.readiness) {
    throw new Error(`the origin health check path "${originHealthCheckPath}" is not the readiness path "${spec.probes.readiness}" of the service that answers it`);
  }
  return [...paths, { path: originHealthCheckPath, pathType: "Exact" }];
}

/** `/api/auth/*` → `{ path: "/api/auth", pathType: "Prefix" }`; `/api/auth/login` → Exact. */
export function ingressPath(publicPath: string): { path: string; pathType: "Prefix" | "Exact" } {
  return publicPath.endsWith("/*") ? { path: publicPath.slice(0, -2), pathType: "Prefix" } : { path: publicPath, pathType: "Exact" };
}

/** `NO_SCHEDULE`-style taint effect of modules/aws/compute/eks → the Kubernetes spelling. */
const TOLERATION_EFFECT = "NoSchedule";

/** The ExternalSecret data of each data store: env var name → property of the secret's JSON (none: the whole value). */
const CREDENTIAL_KEYS: Record<DataStoreKind, Readonly<Record<string, string | undefined>>> = {
  postgres: { DATABASE_USERNAME: "username", DATABASE_PASSWORD: "password" },
  redis: { REDIS_AUTH_TOKEN: undefined },
};

/** The name of the Kubernetes Secret an ExternalSecret writes for a data store. */
export function credentialsSecretName(service: string, kind: DataStoreKind): string {
  return `${service}-${kind}`;
}

/** Builds every Kubernetes object of `spec` in one environment. */
export function buildServiceObjects(spec: ServiceSpec, ctx: ServiceObjectsContext, placement: { nodeLabel: string; taintKey: string }): ServiceObjects {
  const { namespace, values } = ctx;
  const name = spec.name;
  const selector = { [APP_NAME_LABEL]: name };
  const labels = { ...ctx.labels, ...selector };
  const metadata = { name, namespace, labels };
  const metricsPort = spec.metrics && spec.metrics.port !== undefined && spec.metrics.port !== spec.port ? spec.metrics.port : undefined;
  const metricsPortName = metricsPort !== undefined ? METRICS_PORT_NAME : HTTP_PORT_NAME;
  const stores = spec.dataStores ?? [];
  const objects: ServiceObjects = {};
  // Validated before: an NLB spec comes with the environment's NLB settings.
  const nlb = spec.networkLoadBalancer && ctx.networkLoadBalancers ? { spec: spec.networkLoadBalancer, env: ctx.networkLoadBalancers } : undefined;

  objects["service-account"] = new ServiceAccount({
    metadata: { ...metadata, annotations: { [IRSA_ROLE_ANNOTATION]: ctx.roleArn } },
    automountServiceAccountToken: false,
  });

  // Credentials: one ExternalSecret per data store, written to `<service>-<kind>`.
  const env: { name: string; value: string }[] = Object.entries(spec.env ?? {}).map(([k, v]) => ({ name: k, value: v }));
  for (const use of stores) {
    const store = ctx.dataStores[use.kind];
    if (!store) continue; // validated before: the environment has every store the spec uses
    const secretKey = use.kind === "postgres" && (use.credentials ?? "service-user") === "service-user" ? ctx.serviceDatabaseSecret : store.secret;
    if (secretKey === undefined) continue; // validated before: a store without a shared secret is refused
    objects[`external-secret-${use.kind}`] = new ExternalSecret({
      metadata: { name: credentialsSecretName(name, use.kind), namespace, labels },
      spec: {
        refreshInterval: "1h",
        secretStoreRef: { kind: "ClusterSecretStore", name: ctx.secretStoreName },
        target: { name: credentialsSecretName(name, use.kind), creationPolicy: "Owner" },
        data: Object.entries(CREDENTIAL_KEYS[use.kind]).map(([envName, property]) => ({
          secretKey: envName,
          remoteRef: { key: secretKey, ...(property ? { property } : {}) },
        })),
      },
    });
    const prefix = use.kind === "postgres" ? "DATABASE" : "REDIS";
    env.push({ name: `${prefix}_HOST`, value: store.host }, { name: `${prefix}_PORT`, value: String(store.port) });
    env.push(use.kind === "postgres" ? { name: "DATABASE_SSLMODE", value: "verify-full" } : { name: "REDIS_TLS", value: "true" });
  }

  const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path, port: HTTP_PORT_NAME, scheme: "HTTP" as const },
    periodSeconds,
    failureThreshold,
    timeoutSeconds: 2,
  });
  const placementName = spec.placement ?? "general";
  const dedicated = placementName !== "general";
  const spread = (topologyKey: string) => ({
    maxSkew: 1,
    topologyKey,
    // ScheduleAnyway: a lost zone must not leave replicas unschedulable in the others.
    whenUnsatisfiable: "ScheduleAnyway" as const,
    labelSelector: { matchLabels: selector },
  });
  const limits = { memory: values.limits?.memory ?? values.requests.memory, ...(values.limits?.cpu ? { cpu: values.limits.cpu } : {}) };
  objects.deployment = new Deployment({
    metadata,
    spec: {
      // No `replicas`: the HPA owns the count (minReplicas on creation), so an apply never resets it.
      revisionHistoryLimit: 5,
      selector: { matchLabels: selector },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds ?? 30,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: SERVICE_RUN_AS_USER,
            runAsGroup: SERVICE_RUN_AS_USER,
            fsGroup: SERVICE_RUN_AS_USER,
            seccompProfile: { type: "RuntimeDefault" },
          },
          ...(dedicated
            ? {
                nodeSelector: { [placement.nodeLabel]: placementName },
                tolerations: [{ key: placement.taintKey, operator: "Equal", value: placementName, effect: TOLERATION_EFFECT }],
              }
            : {}),
          topologySpreadConstraints: [spread("topology.kubernetes.io/zone"), spread("kubernetes.io/hostname")],
          containers: [
            {
              name,
              image: ctx.image,
              imagePullPolicy: "IfNotPresent",
              ports: [
                { name: HTTP_PORT_NAME, containerPort: spec.port, protocol: "TCP" },
                ...(metricsPort !== undefined ? [{ name: METRICS_PORT_NAME, containerPort: metricsPort, protocol: "TCP" as const }] : []),
                ...(nlb ? [{ name: NLB_PORT_NAME, containerPort: nlb.spec.containerPort, protocol: "TCP" as const }] : []),
              ],
              env: env.length > 0 ? env : undefined,
              envFrom: stores.length > 0 ? stores.map((use) => ({ secretRef: { name: credentialsSecretName(name, use.kind) } })) : undefined,
              resources: { requests: { cpu: values.requests.cpu, memory: values.requests.memory }, limits },
              startupProbe: probe(spec.probes.startup ?? spec.probes.liveness, 5, 30),
              livenessProbe: probe(spec.probes.liveness, 10, 3),
              readinessProbe: probe(spec.probes.readiness, 5, 3),
              lifecycle: { preStop: { sleep: { seconds: PRE_STOP_SLEEP_SECONDS } } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                privileged: false,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
              },
              volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
            },
          ],
          volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
        },
      },
    },
  });

  objects.service = new Service({
    metadata,
    spec: {
      type: "ClusterIP",
      selector,
      ports: [
        { name: HTTP_PORT_NAME, port: SERVICE_PORT, targetPort: HTTP_PORT_NAME, protocol: "TCP" },
        ...(metricsPort !== undefined ? [{ name: METRICS_PORT_NAME, port: metricsPort, targetPort: METRICS_PORT_NAME, protocol: "TCP" as const }] : []),
      ],
    },
  });

  if (nlb) objects["nlb-service"] = buildNlbService(spec, nlb.spec, nlb.env, { namespace, labels });

  objects.hpa = new HorizontalPodAutoscaler({
    metadata,
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
      minReplicas: values.minReplicas,
      maxReplicas: values.maxReplicas,
      metrics: [
        {
          type: "Resource",
          resource: { name: "cpu", target: { type: "Utilization", averageUtilization: values.targetCpuUtilizationPercent ?? 70 } },
        },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    },
  });

  objects.pdb = new PodDisruptionBudget({
    metadata,
    spec: {
      // One pod at a time: drains and Karpenter consolidation proceed, never more than one replica down.
      maxUnavailable: 1,
      selector: { matchLabels: selector },
      unhealthyPodEvictionPolicy: "AlwaysAllow",
    },
  });

  // Network: deny by default; allow exactly the peers the service needs.
  const ingressRules = [];
  if ((spec.publicPaths ?? []).length > 0) {
    ingressRules.push({
      // The ALB sends to pod IPs (target-type ip) from its nodes in the public subnets.
      from: ctx.ingress.sourceCidrs.map((cidr) => ({ ipBlock: { cidr } })),
      ports: [{ protocol: "TCP" as const, port: spec.port }],
    });
  }
  if (nlb) ingressRules.push(nlbIngressRule(spec, nlb.spec, nlb.env));
  if (ctx.peers.callers.length > 0) {
    ingressRules.push({
      from: [{ podSelector: { matchExpressions: [{ key: APP_NAME_LABEL, operator: "In" as const, values: [...ctx.peers.callers] }] } }],
      ports: [{ protocol: "TCP" as const, port: spec.port }],
    });
  }
  if (spec.metrics) {
    ingressRules.push({
      from: [
        {
          namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: ctx.prometheus.namespace } },
          podSelector: { matchLabels: { ...ctx.prometheus.podLabels } },
        },
      ],
      ports: [{ protocol: "TCP" as const, port: metricsPort ?? spec.port }],
    });
  }
  const egressRules = [
    {
      to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: "kube-system" } }, podSelector: { matchLabels: { ...KUBE_DNS_LABEL } } }],
      ports: [
        { protocol: "UDP" as const, port: 53 },
        { protocol: "TCP" as const, port: 53 },
      ],
    },
    ...stores
      .map((use) => ctx.dataStores[use.kind])
      .filter((store): store is DataStoreEndpoint => store !== undefined)
      .map((store) => ({
        to: store.subnetCidrs.map((cidr) => ({ ipBlock: { cidr } })),
        ports: [{ protocol: "TCP" as const, port: store.port }],
      })),
    ...ctx.peers.calls.map((callee) => ({
      to: [{ podSelector: { matchLabels: { [APP_NAME_LABEL]: callee.name } } }],
      ports: [{ protocol: "TCP" as const, port: callee.port }],
    })),
    { to: [{ ipBlock: { cidr: ANY_IPV4 } }], ports: [{ protocol: "TCP" as const, port: HTTPS_PORT }] },
  ];
  objects["network-policy"] = new NetworkPolicy({
    metadata,
    spec: {
      podSelector: { matchLabels: selector },
      policyTypes: ["Ingress", "Egress"],
      ingress: ingressRules,
      egress: egressRules,
    },
  });

  if (spec.metrics) {
    objects["service-monitor"] = new ServiceMonitor({
      metadata: { name, namespace, labels: { ...labels, ...ctx.prometheus.serviceMonitorLabels } },
      spec: {
        selector: { matchLabels: selector },
        namespaceSelector: { matchNames: [namespace] },
        endpoints: [{ port: metricsPortName, path: spec.metrics.path ?? "/metrics", interval: spec.metrics.interval ?? "30s", scheme: "http" }],
      },
    });
  }

  if ((spec.publicPaths ?? []).length > 0) {
    const a = (key: string) => `${ALB_ANNOTATION_PREFIX}/${key}`;
    const attributes = [
      "routing.http.drop_invalid_header_fields.enabled=true",
      `deletion_protection.enabled=${ctx.ingress.deletionProtection}`,
    ];
    objects.ingress = new Ingress({
      metadata: {
        ...metadata,
        annotations: {
          [a("group.name")]: ctx.ingress.groupName,
          [a("scheme")]: "internet-facing",
          [a("target-type")]: "ip",
          [a("listen-ports")]: JSON.stringify([{ HTTPS: 443 }]),
          [a("certificate-arn")]: ctx.ingress.certificateArn,
          [a("ssl-policy")]: ALB_SSL_POLICY,
          [a("security-groups")]: ctx.ingress.securityGroup,
          [a("manage-backend-security-group-rules")]: "true",
          [a("backend-protocol")]: "HTTP",
          [a("healthcheck-path")]: spec.probes.readiness,
          [a("load-balancer-attributes")]: attributes.join(","),
          [EXTERNAL_DNS_HOSTNAME_ANNOTATION]: ctx.ingress.host,
        },
      },
      spec: {
        ingressClassName: ALB_INGRESS_CLASS,
        // One rule per name; external-dns publishes only the annotation's (it ignores the rules' hosts).
        rules: [ctx.ingress.host, ...(ctx.ingress.additionalHosts ?? [])].map((host) => ({
          host,
          http: {
            paths: ingressPaths(spec, ctx.originHealthCheckPath).map((p) => ({
              ...p,
              backend: { service: { name, port: { name: HTTP_PORT_NAME } } },
            })),
          },
        })),
      },
    });
  }
  if (spec.verticalPodAutoscaler) {
    objects["vertical-pod-autoscaler"] = recommendationVpa({ kind: "Deployment", name }, namespace);
  }
  return objects;
}
