import { Construct } from "constructs";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { KubernetesManifest } from "../../manifest";
import { KUBE_SYSTEM_NAMESPACE, NAMESPACES } from "../../platform";

/** The label every namespace carries with its own name (set by Kubernetes). */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
/** CoreDNS pods' label. */
export const KUBE_DNS_LABEL = { "k8s-app": "kube-dns" } as const;
/** Prometheus pods' label (kube-prometheus-stack). */
export const PROMETHEUS_LABEL = { "app.kubernetes.io/name": "prometheus" } as const;

export interface NamespaceNetworkPoliciesProps {
  /** Config path, e.g. `production.kubernetes.networkPolicies`. */
  readonly where: string;
  /** The namespace to lock down. @default "aivo" */
  readonly namespace?: string;
  /** Where the load balancer's traffic comes from: the public subnets (ALB nodes, IP targets). */
  readonly loadBalancerCidrs: readonly string[];
}

/**
 * The `aivo` namespace's baseline: deny all ingress and egress, then allow DNS to kube-dns, traffic
 * from the load balancer's subnets, and Prometheus scraping from `monitoring`. Services add their own
 * egress allows (databases, AWS APIs). Enforced by the vpc-cni network policy agent
 * (`enableNetworkPolicy: "true"` on the vpc-cni add-on).
 */
export class NamespaceNetworkPolicies extends Construct {
  readonly policies: KubernetesManifest[];

  constructor(scope: Construct, id: string, props: NamespaceNetworkPoliciesProps) {
    super(scope, id);
    const namespace = props.namespace ?? NAMESPACES.aivo.name;
    if (props.loadBalancerCidrs.length === 0) throw new Error(`${props.where}.loadBalancerCidrs: is empty; give the public subnets' CIDRs`);
    const policy = (name: string, spec: NetworkPolicy["spec"]) =>
      new KubernetesManifest(this, name, { where: `${props.where}.${name}`, object: new NetworkPolicy({ metadata: { name, namespace }, spec }) });
    this.policies = [
      policy("default-deny-all", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
      policy("allow-dns", {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: KUBE_SYSTEM_NAMESPACE } }, podSelector: { matchLabels: { ...KUBE_DNS_LABEL } } }],
            ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
          },
        ],
      }),
      policy("allow-from-load-balancer", {
        podSelector: {},
        policyTypes: ["Ingress"],
        ingress: [{ from: props.loadBalancerCidrs.map((cidr) => ({ ipBlock: { cidr } })) }],
      }),
      policy("allow-prometheus-scrape", {
        podSelector: {},
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: NAMESPACES.monitoring.name } }, podSelector: { matchLabels: { ...PROMETHEUS_LABEL } } }],
          },
        ],
      }),
    ];
  }
}
