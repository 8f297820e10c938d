// EksCluster: control plane, add-ons, workload identity, security groups, Karpenter prerequisites and outputs.
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { KARPENTER_DISCOVERY_TAG_KEY } from "../modules/aws/compute/karpenter-prerequisites";
import { configsOf, policy, resourcesOf } from "./helpers";
import { ADMIN, byId, CI, idOf, keyPolicy, ref, synthClusters } from "./eks-fixtures";

const { prod, prodDoc, devDoc, gravitonDoc } = synthClusters();

describe("EksCluster: control plane", () => {
  const cluster = byId(prodDoc, "aws_eks_cluster", "cluster");
  const devCluster = byId(devDoc, "aws_eks_cluster", "cluster");

  it("is named aivo-<env>-eks, runs the configured version (default 1.35) and support policy", () => {
    expect(cluster.name).toBe("aivo-production-eks");
    expect(prod.clusterName).toBe("aivo-production-eks");
    expect(cluster.version).toBe("1.35");
    expect(cluster.upgrade_policy).toEqual({ support_type: "EXTENDED" });
    expect(devCluster.name).toBe("aivo-development-eks");
    expect(devCluster.upgrade_policy).toEqual({ support_type: "STANDARD" });
    expect(devCluster.deletion_protection).toBe(false);
    expect(cluster.deletion_protection).toBe(true);
  });

  it("places the control plane in the private subnets with the private endpoint always on", () => {
    expect(cluster.vpc_config.subnet_ids).toEqual(["subnet-a", "subnet-b", "subnet-c"]);
    expect(cluster.vpc_config.endpoint_private_access).toBe(true);
    expect(cluster.vpc_config.security_group_ids).toEqual([ref(prodDoc, "aws_security_group", "cluster-sg", "id")]);
  });

  it("keeps the public endpoint off by default and allowlists CIDRs when on", () => {
    expect(devCluster.vpc_config.endpoint_public_access).toBe(false);
    expect(devCluster.vpc_config.public_access_cidrs).toBeUndefined();
    expect(cluster.vpc_config.endpoint_public_access).toBe(true);
    expect(cluster.vpc_config.public_access_cidrs).toEqual(["203.0.113.0/24", "2001:db8::/32"]);
  });

  it("envelope-encrypts secrets with a rotating CMK the cluster role may use", () => {
    const { key, arn } = keyPolicy(prodDoc, "eks-secrets");
    expect(key.enable_key_rotation).toBe(true);
    expect(cluster.encryption_config).toEqual({ resources: ["secrets"], provider: { key_arn: arn } });
    const rolePolicy = policy(byId(prodDoc, "aws_iam_role_policy", "cluster-role-encryption").policy);
    expect(rolePolicy.Statement[0].Action).toEqual(["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"]);
    expect(rolePolicy.Statement[0].Resource).toBe(arn);
  });

  it("uses API authentication without creator admin and admits exactly the admin roles", () => {
    expect(cluster.access_config).toEqual({ authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false });
    expect(cluster.bootstrap_self_managed_addons).toBe(false);
    const standard = configsOf(prodDoc, "aws_eks_access_entry").filter((e) => e.type === "STANDARD");
    const adminRole = Object.entries(resourcesOf(prodDoc, "aws_iam_role")).find(([, r]) => r.name === "aivo-production-eks-admin")!;
    expect(standard.map((e) => e.principal_arn).sort()).toEqual([`\${aws_iam_role.${adminRole[0]}.arn}`, CI, ADMIN].sort());
    const associations = configsOf(prodDoc, "aws_eks_access_policy_association");
    expect(associations).toHaveLength(3);
    for (const a of associations) {
      expect(a.policy_arn).toMatch(/:eks::aws:cluster-access-policy\/AmazonEKSClusterAdminPolicy$/);
      expect(a.access_scope).toEqual({ type: "cluster" });
    }
    // Development sets createAdminRole: false and lists no roles: nobody but IAM-mapped nodes.
    expect(configsOf(devDoc, "aws_eks_access_policy_association")).toHaveLength(0);
  });

  it("creates the aivo-<env>-eks-admin role, assumable only by principals the account's IAM allows", () => {
    const role = configsOf(prodDoc, "aws_iam_role").find((r) => r.name === "aivo-production-eks-admin")!;
    const trust = policy(role.assume_role_policy).Statement;
    expect(trust).toEqual([expect.objectContaining({ Effect: "Allow", Action: ["sts:AssumeRole", "sts:TagSession"] })]);
    expect(trust[0].Principal.AWS).toMatch(/^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:iam::\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}:root$/);
    expect(configsOf(devDoc, "aws_iam_role").some((r) => r.name === "aivo-development-eks-admin")).toBe(false);
  });

  it("ships the configured log types (default api, audit, authenticator) into its own encrypted log group", () => {
    expect(cluster.enabled_cluster_log_types).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    expect(devCluster.enabled_cluster_log_types).toEqual(["api", "audit", "authenticator"]);
    const group = byId(prodDoc, "aws_cloudwatch_log_group", "logs_cluster");
    expect(group.name).toBe("/aws/eks/aivo-production-eks/cluster");
    expect(group.retention_in_days).toBe(90);
    expect(group.kms_key_id).toBe(keyPolicy(prodDoc, "eks-logs").arn);
    expect(cluster.depends_on).toContain(idOf(prodDoc, "aws_cloudwatch_log_group", "logs_cluster"));
    const logsKey = policy(keyPolicy(prodDoc, "eks-logs").key.policy);
    expect(logsKey.Statement.map((s) => s.Sid)).toEqual(["EnableAccountIamPolicies", "AllowLogs"]);
  });

  it("has a cluster role with the EKS cluster policy", () => {
    const role = byId(prodDoc, "aws_iam_role", "cluster-role");
    expect(policy(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: "eks.amazonaws.com" });
    const attached = configsOf(prodDoc, "aws_iam_role_policy_attachment").filter(
      (a) => a.role === ref(prodDoc, "aws_iam_role", "cluster-role", "name"),
    );
    expect(attached.map((a) => a.policy_arn)).toEqual([expect.stringMatching(/:iam::aws:policy\/AmazonEKSClusterPolicy$/)]);
  });
});

describe("EksCluster: add-ons", () => {
  const addons: Record<string, Record<string, any>> = Object.fromEntries(configsOf(prodDoc, "aws_eks_addon").map((a) => [a.addon_name, a]));
  const groupIds = Object.keys(resourcesOf(prodDoc, "aws_eks_node_group")).map((id) => `aws_eks_node_group.${id}`);

  it("installs the five managed add-ons, overwriting conflicts, pinned only where configured", () => {
    expect(Object.keys(addons).sort()).toEqual(["aws-ebs-csi-driver", "coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
    for (const a of Object.values(addons)) {
      expect(a.resolve_conflicts_on_create).toBe("OVERWRITE");
      expect(a.resolve_conflicts_on_update).toBe("OVERWRITE");
    }
    expect(addons.coredns.addon_version).toBe("v1.12.4-eksbuild.1");
    expect(addons["vpc-cni"].addon_version).toBeUndefined();
  });

  it("creates vpc-cni, pod identity agent and kube-proxy before the nodes, coredns and ebs-csi after them", () => {
    const before = ["vpc-cni", "eks-pod-identity-agent", "kube-proxy"].map((n) => idOf(prodDoc, "aws_eks_addon", `addon-${n}_`));
    for (const g of configsOf(prodDoc, "aws_eks_node_group")) {
      expect(g.depends_on).toEqual(expect.arrayContaining(before));
    }
    for (const n of ["eks-pod-identity-agent", "kube-proxy"]) expect(addons[n].depends_on).toBeUndefined();
  });

  it("creates vpc-cni only once its role has the CNI policy attached", () => {
    const attachment = idOf(prodDoc, "aws_iam_role_policy_attachment", "vpc-cni-role_managed-AmazonEKS_CNI_Policy");
    expect(attachment).not.toMatch(/undefined$/);
    expect(addons["vpc-cni"].depends_on).toEqual([attachment]);
  });

  it("lets coredns and ebs-csi wait only for the untainted on-demand group, not for Spot or tainted groups", () => {
    const general = groupIds.filter((id) => id.includes("node-group-general"));
    expect(general).toHaveLength(1);
    expect(addons.coredns.depends_on).toEqual(general);
    const csiPermissions = Object.keys(resourcesOf(prodDoc, "aws_iam_role_policy_attachment"))
      .filter((id) => id.includes("ebs-csi-role"))
      .map((id) => `aws_iam_role_policy_attachment.${id}`);
    const csiInline = Object.keys(resourcesOf(prodDoc, "aws_iam_role_policy"))
      .filter((id) => id.includes("ebs-csi-role"))
      .map((id) => `aws_iam_role_policy.${id}`);
    expect([...addons["aws-ebs-csi-driver"].depends_on].sort()).toEqual([...general, ...csiInline, ...csiPermissions].sort());
  });

  it("gives vpc-cni its IRSA role (CNI policy) and network policy enforcement", () => {
    const cni = addons["vpc-cni"];
    expect(cni.service_account_role_arn).toBe(ref(prodDoc, "aws_iam_role", "vpc-cni-role", "arn"));
    expect(JSON.parse(cni.configuration_values)).toEqual({ enableNetworkPolicy: "true" });
    const roleId = idOf(prodDoc, "aws_iam_role", "vpc-cni-role").split(".")[1];
    const attached = configsOf(prodDoc, "aws_iam_role_policy_attachment").filter((a) => a.role === `\${aws_iam_role.${roleId}.name}`);
    expect(attached.map((a) => a.policy_arn.split("/").pop())).toEqual(["AmazonEKS_CNI_Policy"]);
  });

  it("gives the EBS CSI driver its own role with the managed policy and use of the EBS key through EC2", () => {
    const csi = addons["aws-ebs-csi-driver"];
    expect(csi.service_account_role_arn).toBe(ref(prodDoc, "aws_iam_role", "ebs-csi-role", "arn"));
    const roleId = idOf(prodDoc, "aws_iam_role", "ebs-csi-role").split(".")[1];
    const attached = configsOf(prodDoc, "aws_iam_role_policy_attachment").filter((a) => a.role === `\${aws_iam_role.${roleId}.name}`);
    expect(attached.map((a) => a.policy_arn)).toEqual([expect.stringMatching(/:iam::aws:policy\/service-role\/AmazonEBSCSIDriverPolicy$/)]);
    const inline = policy(byId(prodDoc, "aws_iam_role_policy", "ebs-csi-role").policy).Statement;
    const ebsArn = keyPolicy(prodDoc, "eks-ebs").arn;
    expect(inline.map((s) => s.Resource)).toEqual([ebsArn, ebsArn]);
    expect(inline[1].Action).toEqual(["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]);
    expect(inline[1].Condition.Bool).toEqual({ "kms:GrantIsForAWSResource": true });
    expect(Object.keys(inline[0].Condition.StringEquals)).toEqual(["kms:ViaService"]);
  });
});

describe("EksCluster: workload identity", () => {
  it("registers the cluster's OIDC issuer with IAM for sts.amazonaws.com, without a thumbprint", () => {
    const provider = byId(prodDoc, "aws_iam_openid_connect_provider", "oidc-provider");
    expect(provider.url).toBe(`\${${idOf(prodDoc, "aws_eks_cluster", "cluster")}.identity[0].oidc[0].issuer}`);
    expect(provider.client_id_list).toEqual(["sts.amazonaws.com"]);
    expect(provider.thumbprint_list).toBeUndefined();
  });

  it("strips https:// from the issuer once, in a local every trust policy references", () => {
    const locals = (prodDoc as any).locals as Record<string, string>;
    const [name, value] = Object.entries(locals).find(([k]) => k.includes("oidc-issuer"))!;
    expect(value).toBe(`\${replace(${idOf(prodDoc, "aws_eks_cluster", "cluster")}.identity[0].oidc[0].issuer, "https://", "")}`);
    expect(prod.oidcIssuerUrl).toMatch(/^\$\{TfToken/);
    const trust = policy(byId(prodDoc, "aws_iam_role", "vpc-cni-role").assume_role_policy).Statement[0];
    expect(trust.Principal).toEqual({ Federated: ref(prodDoc, "aws_iam_openid_connect_provider", "oidc-provider", "arn") });
    expect(trust.Action).toBe("sts:AssumeRoleWithWebIdentity");
    expect(trust.Condition).toEqual({
      StringEquals: {
        [`\${local.${name}}:sub`]: "system:serviceaccount:kube-system:aws-node",
        [`\${local.${name}}:aud`]: "sts.amazonaws.com",
      },
    });
  });
});

describe("EksCluster: security groups", () => {
  const ingress = configsOf(prodDoc, "aws_vpc_security_group_ingress_rule");
  const egress = configsOf(prodDoc, "aws_vpc_security_group_egress_rule");
  const clusterSg = ref(prodDoc, "aws_security_group", "cluster-sg", "id");
  const nodeSg = ref(prodDoc, "aws_security_group", "node-sg", "id");

  it("opens nothing to the internet", () => {
    for (const r of ingress) {
      expect(r.cidr_ipv4).toBeUndefined();
      expect(r.cidr_ipv6).toBeUndefined();
      expect(r.referenced_security_group_id).toBeDefined();
    }
  });

  it("allows node↔node, control plane → nodes on 443, the kubelet and the webhook ports only, and nodes → control plane on 443", () => {
    const rule = (sg: string, from: string) =>
      ingress.filter((r) => r.security_group_id === sg && r.referenced_security_group_id === from).map((r) => [r.ip_protocol, r.from_port, r.to_port]);
    expect(rule(nodeSg, nodeSg)).toEqual([["-1", undefined, undefined]]);
    expect(rule(nodeSg, clusterSg).sort()).toEqual(
      [443, 4443, 6443, 8443, 9443, 10250, 10251].map((p) => ["tcp", p, p]).sort(),
    );
    expect(rule(clusterSg, nodeSg)).toEqual([["tcp", 443, 443]]);
    const clusterEgress = egress.filter((r) => r.security_group_id === clusterSg);
    expect(clusterEgress.every((r) => r.referenced_security_group_id === nodeSg)).toBe(true);
    expect(egress.filter((r) => r.security_group_id === nodeSg)).toEqual([
      expect.objectContaining({ cidr_ipv4: "0.0.0.0/0", ip_protocol: "-1" }),
    ]);
  });

  it("tags the node security group for Karpenter discovery and the load balancer controller", () => {
    const tags = byId(prodDoc, "aws_security_group", "node-sg").tags;
    expect(tags[KARPENTER_DISCOVERY_TAG_KEY]).toBe("aivo-production-eks");
    expect(tags["kubernetes.io/cluster/aivo-production-eks"]).toBe("owned");
    expect(byId(gravitonDoc, "aws_security_group", "node-sg").tags[KARPENTER_DISCOVERY_TAG_KEY]).toBeUndefined();
  });
});

describe("EksCluster: Karpenter and outputs", () => {
  it("creates the Karpenter prerequisites unless turned off", () => {
    expect(configsOf(prodDoc, "aws_sqs_queue")).toHaveLength(1);
    expect(configsOf(prodDoc, "aws_cloudwatch_event_rule")).toHaveLength(5);
    expect(prod.karpenter).toBeDefined();
    expect(configsOf(gravitonDoc, "aws_sqs_queue")).toHaveLength(0);
    const entry = configsOf(prodDoc, "aws_eks_access_entry").find((e) => e.type === "EC2_LINUX")!;
    expect(entry.cluster_name).toBe(ref(prodDoc, "aws_eks_cluster", "cluster", "name"));
  });

  it("exposes the values other modules and the add-ons stack need", () => {
    expect(prod.clusterEndpoint).toBeDefined();
    for (const value of [
      prod.clusterEndpoint,
      prod.clusterCertificateAuthorityData,
      prod.oidcProviderArn,
      prod.nodeRoleArn,
      prod.clusterSecurityGroupId,
      prod.nodeSecurityGroupId,
      prod.clusterPrimarySecurityGroupId,
      prod.ebsKmsKeyArn,
    ]) {
      expect(value).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);
    }
    expect(Object.keys(prod.nodeGroups).sort()).toEqual(["general", "memory", "spot"]);
    expect(prod.cluster).toBeInstanceOf(EksClusterResource);
  });
});
