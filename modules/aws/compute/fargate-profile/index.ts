import { Construct } from "constructs";
import { EksFargateProfile } from "@cdktf/provider-aws/lib/eks-fargate-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { AwsContext } from "../../../shared/aws-context";
import { managedPolicyArn, policyDocument } from "../../../shared/iam";
import { KARPENTER_METRICS_PORT, KARPENTER_NAMESPACE } from "../karpenter-prerequisites";
import type { Naming } from "../../../shared/naming";

/** The service principal Fargate pods' execution role trusts. */
export const FARGATE_PODS_SERVICE = "eks-fargate-pods.amazonaws.com";

/** EKS allows at most 5 selectors per Fargate profile, and 5 labels per selector. */
export const MAX_FARGATE_SELECTORS = 5;
export const MAX_FARGATE_SELECTOR_LABELS = 5;

/** Namespaces whose pods must stay on nodes: CoreDNS, the VPC CNI, kube-proxy and the EBS CSI driver live there. */
const NODE_ONLY_NAMESPACES = ["kube-system"];

/** Which pods run on Fargate: every pod of `namespace` whose labels include all of `labels`. */
export interface FargateSelector {
  /** The namespace (exact name; EKS also accepts `*` and `?` wildcards, which this project does not use). */
  readonly namespace: string;
  /** Pod labels that must all match. @default none (every pod of the namespace) */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * The profile that runs the Karpenter controller on Fargate, so Karpenter never runs on a node it
 * manages: every pod of the `karpenter` namespace. The Karpenter release needs no node selector for it
 * (EKS's Fargate scheduler takes every pod the profile selects); it must not use `hostNetwork` or
 * DaemonSets there, which Fargate refuses.
 */
export const KARPENTER_FARGATE_PROFILE: Readonly<Record<string, readonly FargateSelector[]>> = {
  karpenter: [{ namespace: KARPENTER_NAMESPACE }],
};

/** Whether the profiles put every pod of `namespace` on Fargate (a selector on the namespace without labels). */
export function runsOnFargate(settings: FargateSettings | undefined, namespace: string): boolean {
  return Object.values(settings?.profiles ?? {}).some((selectors) => selectors.some((s) => s.namespace === namespace && !s.labels));
}

/** Per-environment Fargate settings (at `<env>.fargate`). */
export interface FargateSettings {
  /**
   * Fargate profiles keyed by name (`aivo-<env>-<name>`), each up to 5 selectors. A pod matching a
   * selector is scheduled on Fargate (in the private subnets) instead of on a node.
   * @default {} (no Fargate)
   */
  readonly profiles?: Readonly<Record<string, readonly FargateSelector[]>>;
}

export interface FargateProfilesProps extends FargateSettings {
  /** Where the settings live, e.g. `production.fargate`; prefixes validation messages. */
  readonly where: string;
  /** Names the role `aivo-<env>-eks-fargate-pods` and the profiles. */
  readonly naming: Naming;
  /** The EKS cluster name (`aivo-<env>-eks`); a reference to the cluster so profiles follow it. */
  readonly clusterName: string;
  /** The private subnets Fargate pods get their ENIs in (Fargate accepts private subnets only). */
  readonly privateSubnetIds: string[];
  /** The security group of the nodes, where CoreDNS runs. */
  readonly nodeSecurityGroupId: string;
  /** The cluster security group EKS creates, which Fargate pods are placed in. */
  readonly clusterPrimarySecurityGroupId: string;
  /**
   * TCP ports of Fargate pods that pods on the nodes must reach (e.g. Prometheus scraping a
   * controller's metrics), keyed by a short name. @default FARGATE_PORTS_FROM_NODES
   */
  readonly portsFromNodes?: Readonly<Record<string, { readonly port: number; readonly what: string }>>;
}

/** Ports of the Fargate pods the nodes reach: Prometheus (on the nodes) scrapes the Karpenter controller. */
export const FARGATE_PORTS_FROM_NODES: Readonly<Record<string, { readonly port: number; readonly what: string }>> = {
  "karpenter-metrics": { port: KARPENTER_METRICS_PORT, what: "Prometheus scrapes the Karpenter controller's metrics" },
};

/**
 * Throws `<where>.profiles.<name>…: <value> <rule>` for a profile EKS would refuse or that would move
 * cluster-critical pods off the nodes: no selector, more than 5 selectors or labels, an invalid
 * namespace, or all of `kube-system` (CoreDNS is not forced onto Fargate; select it by label instead).
 */
export function validateFargateSettings(where: string, settings: FargateSettings): void {
  for (const [name, selectors] of Object.entries(settings.profiles ?? {})) {
    const at = `${where}.profiles.${name}`;
    if (!/^[a-z][a-z0-9-]{0,40}$/.test(name)) {
      throw new Error(`${at}: "${name}" is not a profile name; use lowercase letters, digits and "-" (≤ 41 characters)`);
    }
    if (selectors.length === 0 || selectors.length > MAX_FARGATE_SELECTORS) {
      throw new Error(`${at}: ${selectors.length} selectors; a Fargate profile needs 1 to ${MAX_FARGATE_SELECTORS}`);
    }
    selectors.forEach((selector, i) => {
      const labels = Object.keys(selector.labels ?? {});
      if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(selector.namespace)) {
        throw new Error(`${at}[${i}].namespace: "${selector.namespace}" is not a Kubernetes namespace name`);
      }
      if (labels.length > MAX_FARGATE_SELECTOR_LABELS) {
        throw new Error(`${at}[${i}].labels: ${labels.length} labels; a Fargate selector takes at most ${MAX_FARGATE_SELECTOR_LABELS}`);
      }
      if (NODE_ONLY_NAMESPACES.includes(selector.namespace) && labels.length === 0) {
        throw new Error(
          `${at}[${i}]: every pod of ${selector.namespace} (CoreDNS, vpc-cni, kube-proxy, the EBS CSI driver) would run on Fargate; add labels selecting only the pods meant for it`,
        );
      }
    });
  }
}

/**
 * EKS Fargate profiles with their pod execution role. The role is trusted by
 * `eks-fargate-pods.amazonaws.com` for this cluster's profiles only (`aws:SourceArn`), and carries
 * `AmazonEKSFargatePodExecutionRolePolicy` (image pulls from ECR). With the cluster's `API`
 * authentication mode, EKS adds the role's access entry itself when a profile is created.
 *
 * A profile's selectors and subnets cannot change in place: EKS replaces the profile (its pods restart).
 */
export class FargateProfiles extends Construct {
  /** The pod execution role's ARN; undefined when no profile is configured. */
  readonly podExecutionRoleArn?: string;
  /** The profiles by name (escape hatch). */
  readonly profiles: Record<string, EksFargateProfile> = {};

  constructor(scope: Construct, id: string, props: FargateProfilesProps) {
    super(scope, id);
    validateFargateSettings(props.where, props);
    const entries = Object.entries(props.profiles ?? {});
    if (entries.length === 0) return;
    const { naming } = props;
    const context = AwsContext.of(this);
    const clusterName = naming.name("eks");

    const role = new IamRole(this, "pod-execution-role", {
      name: naming.name("eks", "fargate-pods"),
      description: `Fargate pod execution role of ${clusterName}`,
      assumeRolePolicy: policyDocument([
        {
          Sid: "AllowFargatePodsOfThisCluster",
          Principal: { Service: FARGATE_PODS_SERVICE },
          Action: "sts:AssumeRole",
          Condition: {
            ArnLike: {
              "aws:SourceArn": `arn:${context.partition}:eks:${context.region}:${context.accountId}:fargateprofile/${clusterName}/*`,
            },
          },
        },
      ]),
    });
    const attachment = new IamRolePolicyAttachment(this, "pod-execution-policy", {
      role: role.name,
      policyArn: managedPolicyArn(context.partition, "AmazonEKSFargatePodExecutionRolePolicy"),
    });
    this.podExecutionRoleArn = role.arn;

    // Fargate pods sit in the cluster security group; the nodes' group admits only nodes and the
    // control plane, so CoreDNS (on the nodes) must admit Fargate pods' DNS queries.
    for (const protocol of ["udp", "tcp"]) {
      new VpcSecurityGroupIngressRule(this, `node-dns-from-fargate-${protocol}`, {
        securityGroupId: props.nodeSecurityGroupId,
        referencedSecurityGroupId: props.clusterPrimarySecurityGroupId,
        ipProtocol: protocol,
        fromPort: 53,
        toPort: 53,
        description: `Fargate pods to CoreDNS (${protocol.toUpperCase()} 53)`,
      });
    }

    // The cluster security group admits only itself and the control plane: Prometheus, on the nodes,
    // needs these ports to scrape what runs on Fargate.
    for (const [key, { port, what }] of Object.entries(props.portsFromNodes ?? FARGATE_PORTS_FROM_NODES)) {
      new VpcSecurityGroupIngressRule(this, `fargate-from-node-${key}`, {
        securityGroupId: props.clusterPrimarySecurityGroupId,
        referencedSecurityGroupId: props.nodeSecurityGroupId,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        description: `Nodes to Fargate pods: ${what} (TCP ${port})`,
      });
    }

    for (const [name, selectors] of entries) {
      this.profiles[name] = new EksFargateProfile(this, `profile-${name}`, {
        clusterName: props.clusterName,
        fargateProfileName: naming.name(name),
        podExecutionRoleArn: role.arn,
        subnetIds: props.privateSubnetIds,
        selector: selectors.map((s) => ({ namespace: s.namespace, ...(s.labels ? { labels: { ...s.labels } } : {}) })),
        dependsOn: [attachment],
      });
    }
  }
}
