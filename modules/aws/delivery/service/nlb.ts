/**
 * A service's L4 entry: a TCP or gRPC port exposed through a Network Load Balancer that the AWS Load
 * Balancer Controller creates for a `Service` of type LoadBalancer (its `service.k8s.aws/nlb` class
 * and `service.beta.kubernetes.io/aws-load-balancer-*` annotations). Pure functions of the spec and
 * the environment, so the Helm chart (helm/services) can take the same values.
 */
import { Service } from "kubernetes-models/v1/Service";
import { isDomainName } from "../../edge/cloudfront";
import type { ServiceSpec } from "./spec";

/** The LoadBalancerClass the AWS Load Balancer Controller (v2.4+) reconciles as an NLB. */
export const NLB_LOAD_BALANCER_CLASS = "service.k8s.aws/nlb";
/** The annotation prefix of the controller's Service annotations. */
export const NLB_ANNOTATION_PREFIX = "service.beta.kubernetes.io";
/** The NLB's TLS listener policy: TLS 1.3 and 1.2 only (the ALB's too). */
export const NLB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/** The name of the container and Service port the NLB forwards to. */
export const NLB_PORT_NAME = "l4";
/** The protocols a service may expose: raw TCP, or gRPC (HTTP/2, negotiated by ALPN on the TLS listener). */
export const NLB_PROTOCOLS = ["tcp", "grpc"] as const;
export type NlbProtocol = (typeof NLB_PROTOCOLS)[number];

/** A port a service exposes through a Network Load Balancer (`ServiceSpec.networkLoadBalancer`). */
export interface NetworkLoadBalancerSpec {
  /** The container port serving the TCP or gRPC traffic (plain text: TLS ends at the NLB). */
  readonly containerPort: number;
  /** `tcp`, or `grpc` (the TLS listener negotiates HTTP/2 only, as gRPC needs). */
  readonly protocol: NlbProtocol;
  /** The NLB's TLS listener port. @default 443 */
  readonly listenerPort?: number;
  /** `internal` (reachable from the VPC and what it peers with) or `internet-facing`. @default "internal" */
  readonly scheme?: "internal" | "internet-facing";
  /**
   * The name external-dns points at the NLB, e.g. `ledger.internal.dev.aivo.edu` (the private zone).
   * Clients verify it against the environment's certificate. @default none (the NLB's own DNS name)
   */
  readonly hostname?: string;
}

/** What the environment offers NLBs (built by the services stack). */
export interface NetworkLoadBalancerEnvironment {
  /** The environment's regional ACM certificate: the TLS listener's. */
  readonly certificateArn: string;
  /** CIDRs of the subnets an internal NLB lives in (private subnets): its nodes are the pods' clients. */
  readonly internalSubnetCidrs: readonly string[];
  /** CIDRs of the subnets an internet-facing NLB lives in (public subnets). */
  readonly publicSubnetCidrs: readonly string[];
  /** Who may connect to an internal NLB: the VPC's CIDR (the listener's security group). */
  readonly internalClientCidrs: readonly string[];
  /** NLB deletion protection (production). */
  readonly deletionProtection: boolean;
}

/** The Service annotations of `nlb` in `env`: the one place they are computed (also for the chart's values). */
export function nlbServiceAnnotations(
  service: Pick<ServiceSpec, "port" | "probes">,
  nlb: NetworkLoadBalancerSpec,
  env: NetworkLoadBalancerEnvironment,
): Record<string, string> {
  const a = (key: string) => `${NLB_ANNOTATION_PREFIX}/aws-load-balancer-${key}`;
  return {
    [a("scheme")]: nlb.scheme ?? "internal",
    // Pods are the targets (VPC CNI addresses), not node ports.
    [a("nlb-target-type")]: "ip",
    [a("ssl-cert")]: env.certificateArn,
    [a("ssl-ports")]: NLB_PORT_NAME,
    [a("ssl-negotiation-policy")]: NLB_SSL_POLICY,
    // TLS ends at the NLB; it speaks TCP to the pod.
    [a("backend-protocol")]: "tcp",
    ...(nlb.protocol === "grpc" ? { [a("alpn-policy")]: "HTTP2Only" } : {}),
    // Health: the service's readiness endpoint on its HTTP port, as the ALB checks it.
    [a("healthcheck-protocol")]: "http",
    [a("healthcheck-port")]: String(service.port),
    [a("healthcheck-path")]: service.probes.readiness,
    [a("attributes")]: [`deletion_protection.enabled=${env.deletionProtection}`, "load_balancing.cross_zone.enabled=true"].join(","),
    ...(nlb.hostname ? { "external-dns.alpha.kubernetes.io/hostname": nlb.hostname } : {}),
  };
}

/** The `LoadBalancer` Service `<name>-nlb` the controller turns into the NLB. */
export function buildNlbService(
  service: Pick<ServiceSpec, "name" | "port" | "probes">,
  nlb: NetworkLoadBalancerSpec,
  env: NetworkLoadBalancerEnvironment,
  metadata: { namespace: string; labels: Record<string, string> },
): Service {
  const internal = (nlb.scheme ?? "internal") === "internal";
  return new Service({
    metadata: { name: `${service.name}-nlb`, namespace: metadata.namespace, labels: metadata.labels, annotations: nlbServiceAnnotations(service, nlb, env) },
    spec: {
      type: "LoadBalancer",
      loadBalancerClass: NLB_LOAD_BALANCER_CLASS,
      selector: { "app.kubernetes.io/name": service.name },
      ports: [{ name: NLB_PORT_NAME, port: nlb.listenerPort ?? 443, targetPort: NLB_PORT_NAME, protocol: "TCP" }],
      // The listener's security group: the VPC for an internal NLB (public ones are restricted by their own rules).
      ...(internal ? { loadBalancerSourceRanges: [...env.internalClientCidrs] } : {}),
    },
  });
}

/**
 * The NetworkPolicy ingress the NLB needs: its nodes (in the subnets of its scheme; client IPs are not
 * preserved for IP targets) reach the L4 port and, for health checks, the HTTP port.
 */
export function nlbIngressRule(service: Pick<ServiceSpec, "port">, nlb: NetworkLoadBalancerSpec, env: NetworkLoadBalancerEnvironment) {
  const cidrs = (nlb.scheme ?? "internal") === "internal" ? env.internalSubnetCidrs : env.publicSubnetCidrs;
  const ports = [...new Set([nlb.containerPort, service.port])];
  return {
    from: cidrs.map((cidr) => ({ ipBlock: { cidr } })),
    ports: ports.map((port) => ({ protocol: "TCP" as const, port })),
  };
}

/** Throws `<where>.networkLoadBalancer.<field>: …` for an NLB the controller or the pod could not serve. */
export function validateNetworkLoadBalancer(where: string, spec: Pick<ServiceSpec, "port">, nlb: NetworkLoadBalancerSpec): void {
  const at = `${where}.networkLoadBalancer`;
  const port = (field: string, value: number) => {
    if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${at}.${field}: ${value} is not a port 1-65535`);
  };
  port("containerPort", nlb.containerPort);
  if (nlb.listenerPort !== undefined) port("listenerPort", nlb.listenerPort);
  if (nlb.containerPort === spec.port) {
    throw new Error(`${at}.containerPort: ${nlb.containerPort} is the HTTP port (port); the NLB carries TCP or gRPC on a port of its own, HTTP goes through the ALB`);
  }
  if (!NLB_PROTOCOLS.includes(nlb.protocol)) throw new Error(`${at}.protocol: "${nlb.protocol}" is not one of ${NLB_PROTOCOLS.join(", ")}`);
  if (nlb.scheme !== undefined && !["internal", "internet-facing"].includes(nlb.scheme)) {
    throw new Error(`${at}.scheme: "${nlb.scheme}" is not "internal" or "internet-facing"`);
  }
  if (nlb.hostname !== undefined && !isDomainName(nlb.hostname)) {
    throw new Error(`${at}.hostname: "${nlb.hostname}" is not a lower-case DNS name, e.g. ledger.internal.dev.aivo.edu`);
  }
}
