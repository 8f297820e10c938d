// The control plane's additional security group and the node security group, with their rules.
import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { KARPENTER_DISCOVERY_TAG_KEY } from "../karpenter-prerequisites";
import { CONTROL_PLANE_TO_NODE_PORTS, EksClusterProps } from "./settings";

/**
 * The control plane's additional security group and the node security group, with the rules of
 * terraform-aws-eks: nodes ↔ nodes all traffic; control plane → nodes on `CONTROL_PLANE_TO_NODE_PORTS`
 * only (443, the kubelet and the controllers' webhook ports); nodes → control plane 443; the
 * `privateAccessCidrs` → control plane 443. Nodes may reach anywhere
 * (images, AWS APIs through NAT); nothing is open to 0.0.0.0/0 inbound.
 */
export function createSecurityGroups(scope: Construct, props: EksClusterProps, clusterName: string, karpenter: boolean) {
  const clusterSg = new SecurityGroup(scope, "cluster-sg", {
    name: props.naming.name("eks", "cluster"),
    description: `EKS control plane of ${clusterName} (additional security group)`,
    vpcId: props.vpcId,
    tags: { Name: props.naming.name("eks", "cluster") },
  });
  const nodeSg = new SecurityGroup(scope, "node-sg", {
    name: props.naming.name("eks", "node"),
    description: `Nodes of ${clusterName}`,
    vpcId: props.vpcId,
    tags: {
      Name: props.naming.name("eks", "node"),
      // The AWS Load Balancer Controller manages target rules on the SG tagged for the cluster.
      [`kubernetes.io/cluster/${clusterName}`]: "owned",
      ...(karpenter ? { [KARPENTER_DISCOVERY_TAG_KEY]: clusterName } : {}),
    },
  });
  for (const [key, { port, what }] of Object.entries(CONTROL_PLANE_TO_NODE_PORTS)) {
    const [from, to] = [port, port];
    new VpcSecurityGroupIngressRule(scope, `node-from-cluster-${key}`, {
      securityGroupId: nodeSg.id,
      referencedSecurityGroupId: clusterSg.id,
      ipProtocol: "tcp",
      fromPort: from,
      toPort: to,
      description: `Control plane to nodes: ${what}`,
    });
    new VpcSecurityGroupEgressRule(scope, `cluster-to-node-${key}`, {
      securityGroupId: clusterSg.id,
      referencedSecurityGroupId: nodeSg.id,
      ipProtocol: "tcp",
      fromPort: from,
      toPort: to,
      description: `Control plane to nodes: ${what}`,
    });
  }
  new VpcSecurityGroupIngressRule(scope, "node-from-node", {
    securityGroupId: nodeSg.id,
    referencedSecurityGroupId: nodeSg.id,
    ipProtocol: "-1",
    description: "Node to node: pods, CoreDNS, service traffic",
  });
  new VpcSecurityGroupIngressRule(scope, "cluster-from-node-443", {
    securityGroupId: clusterSg.id,
    referencedSecurityGroupId: nodeSg.id,
    ipProtocol: "tcp",
    fromPort: 443,
    toPort: 443,
    description: "Nodes and pods to the Kubernetes API",
  });
  for (const cidr of props.privateAccessCidrs ?? []) {
    new VpcSecurityGroupIngressRule(scope, `cluster-from-runner-${cidr.replace(/[./]/g, "-")}`, {
      securityGroupId: clusterSg.id,
      cidrIpv4: cidr,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      description: `Deploy runner ${cidr} to the Kubernetes API (private endpoint)`,
    });
  }
  new VpcSecurityGroupEgressRule(scope, "node-egress-all", {
    securityGroupId: nodeSg.id,
    cidrIpv4: "0.0.0.0/0",
    ipProtocol: "-1",
    description: "Nodes to anywhere: image registries, AWS APIs, the internet through NAT",
  });
  return { clusterSg, nodeSg };
}
