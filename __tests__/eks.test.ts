import { Testing } from "cdktf";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import {
  DEFAULT_NODE_GROUPS,
  EksCluster,
  EksClusterProps,
  NodeGroupSettings,
  WORKLOAD_TYPE_TAINT_KEY,
} from "../modules/aws/compute/eks";
import { KARPENTER_DISCOVERY_TAG_KEY } from "../modules/aws/compute/karpenter-prerequisites";
import { Naming } from "../modules/shared/naming";
import { configsOf, parse, policy, resourcesOf, TerraformJson } from "./helpers";

const ADMIN = "arn:aws:iam::123456789012:role/aivo-platform-admin";
const CI = "arn:aws:iam::123456789012:role/aivo-ci-deploy";

/** The settings the report proposes for production. */
const production: Omit<EksClusterProps, "naming" | "vpcId" | "privateSubnetIds" | "logRetentionDays"> = {
  upgradeSupportType: "EXTENDED",
  endpointPublicAccess: true,
  publicAccessCidrs: ["203.0.113.0/24", "2001:db8::/32"],
  controlPlaneLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
  adminRoleArns: [ADMIN, CI],
  nodeGroups: {
    general: { ...DEFAULT_NODE_GROUPS.general, minSize: 3, desiredSize: 6, maxSize: 20 },
    spot: { ...DEFAULT_NODE_GROUPS.spot, minSize: 0, desiredSize: 3, maxSize: 20 },
    memory: { ...DEFAULT_NODE_GROUPS.memory, minSize: 2, desiredSize: 2, maxSize: 8, diskSizeGiB: 100 },
  },
  addonVersions: { coredns: "v1.12.4-eksbuild.1" },
};

const wiring = (environment: string) => ({
  naming: new Naming("aivo", environment),
  vpcId: "vpc-0abc",
  privateSubnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  logRetentionDays: 90,
});

let prod!: EksCluster;
const prodSynth = Testing.synthScope((scope) => {
  prod = new EksCluster(scope, "eks", { ...wiring("production"), ...production, instanceTags: { CostCenter: "platform" } });
});
const prodDoc = parse(prodSynth);
const devDoc = parse(
  Testing.synthScope((scope) => {
    new EksCluster(scope, "eks", { ...wiring("development"), deletionProtection: false, createAdminRole: false });
  }),
);
const gravitonDoc = parse(
  Testing.synthScope((scope) => {
    new EksCluster(scope, "eks", {
      ...wiring("staging"),
      karpenter: false,
      nodeGroups: { arm: { instanceTypes: ["m7g.large", "c7gn.large"], capacityType: "ON_DEMAND", minSize: 1, desiredSize: 1, maxSize: 2 } },
    });
  }),
);

/** The resource of `type` whose logical id contains `fragment`. */
function byId(doc: TerraformJson, type: string, fragment: string): Record<string, any> {
  const matches = Object.entries(resourcesOf(doc, type)).filter(([id]) => id.includes(fragment));
  if (matches.length !== 1) throw new Error(`expected one ${type} matching ${fragment}, found ${matches.length}`);
  return matches[0][1];
}
const idOf = (doc: TerraformJson, type: string, fragment: string) =>
  `${type}.${Object.keys(resourcesOf(doc, type)).find((id) => id.includes(fragment))}`;
const ref = (doc: TerraformJson, type: string, fragment: string, attr: string) =>
  `\${${idOf(doc, type, fragment)}.${attr}}`;
const keyPolicy = (doc: TerraformJson, aliasPurpose: string) => {
  const alias = configsOf(doc, "aws_kms_alias").find((a) => a.name.endsWith(`/${aliasPurpose}`))!;
  const keyId = alias.target_key_id.match(/^\$\{aws_kms_key\.(.+)\.key_id\}$/)[1];
  return { key: doc.resource!.aws_kms_key[keyId], arn: `\${aws_kms_key.${keyId}.arn}` };
};

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

describe("EksCluster: managed node groups", () => {
  const groups: Record<string, Record<string, any>> = Object.fromEntries(
    configsOf(prodDoc, "aws_eks_node_group").map((g) => [g.node_group_name_prefix.replace(/-$/, ""), g]),
  );

  it("creates the document's three groups with their instance types and capacity", () => {
    expect(Object.keys(groups).sort()).toEqual(["general", "memory", "spot"]);
    // xlarge only: the smallest type sets kubelet maxPods, and the add-ons need 44 per node (capacity check).
    expect(groups.general.instance_types).toEqual(["m6i.xlarge", "m5.xlarge"]);
    expect(groups.general.capacity_type).toBe("ON_DEMAND");
    expect(groups.spot.instance_types).toEqual(["m6i.large", "m5.large"]);
    expect(groups.spot.capacity_type).toBe("SPOT");
    expect(groups.memory.instance_types).toEqual(["r6i.large", "r6i.xlarge"]);
    expect(groups.memory.capacity_type).toBe("ON_DEMAND");
  });

  it("scales per environment (production general 3..20, desired 6) and leaves desired size to the autoscaler", () => {
    expect(groups.general.scaling_config).toEqual({ min_size: 3, desired_size: 6, max_size: 20 });
    expect(groups.memory.scaling_config).toEqual({ min_size: 2, desired_size: 2, max_size: 8 });
    const dev = configsOf(devDoc, "aws_eks_node_group").find((g) => g.node_group_name_prefix === "general-")!;
    expect(dev.scaling_config).toEqual({ min_size: 2, desired_size: 2, max_size: 4 });
    for (const g of Object.values(groups)) {
      expect(g.lifecycle).toEqual({ create_before_destroy: true, ignore_changes: ["scaling_config[0].desired_size"] });
      expect(g.update_config).toEqual({ max_unavailable_percentage: 25 });
    }
  });

  it("labels node-type and environment, taints spot and memory only", () => {
    expect(groups.general.labels).toEqual({ "node-type": "general", environment: "production" });
    expect(groups.spot.labels).toEqual({ "node-type": "spot", environment: "production" });
    expect(groups.general.taint).toBeUndefined();
    expect(groups.spot.taint).toEqual([{ key: WORKLOAD_TYPE_TAINT_KEY, value: "spot", effect: "NO_SCHEDULE" }]);
    expect(groups.memory.taint).toEqual([{ key: WORKLOAD_TYPE_TAINT_KEY, value: "memory", effect: "NO_SCHEDULE" }]);
  });

  it("runs AL2023 in the private subnets at the cluster's version, from the group's launch template", () => {
    for (const [name, g] of Object.entries(groups)) {
      expect(g.ami_type).toBe("AL2023_x86_64_STANDARD");
      expect(g.subnet_ids).toEqual(["subnet-a", "subnet-b", "subnet-c"]);
      expect(g.version).toBe(ref(prodDoc, "aws_eks_cluster", "cluster", "version"));
      expect(g.launch_template).toEqual({
        id: ref(prodDoc, "aws_launch_template", `launch-template-${name}`, "id"),
        version: ref(prodDoc, "aws_launch_template", `launch-template-${name}`, "latest_version"),
      });
      expect(g.node_role_arn).toBe(ref(prodDoc, "aws_iam_role", "eks_node-role", "arn"));
      expect(g.remote_access).toBeUndefined();
      expect(g.disk_size).toBeUndefined();
    }
    const arm = onlyGroup(gravitonDoc);
    expect(arm.ami_type).toBe("AL2023_ARM_64_STANDARD");
  });

  it("gives nodes a role without the CNI policy (the VPC CNI has its own IRSA role)", () => {
    const nodeRoleId = idOf(prodDoc, "aws_iam_role", "eks_node-role").split(".")[1];
    const attached = configsOf(prodDoc, "aws_iam_role_policy_attachment")
      .filter((a) => a.role === `\${aws_iam_role.${nodeRoleId}.name}`)
      .map((a) => a.policy_arn.split("/").pop());
    expect(attached.sort()).toEqual(["AmazonEC2ContainerRegistryPullOnly", "AmazonEKSWorkerNodePolicy", "AmazonSSMManagedInstanceCore"]);
  });
});

function onlyGroup(doc: TerraformJson) {
  const all = configsOf(doc, "aws_eks_node_group");
  expect(all).toHaveLength(1);
  return all[0];
}

describe("EksCluster: launch templates", () => {
  const templates = configsOf(prodDoc, "aws_launch_template");
  const ebs = keyPolicy(prodDoc, "eks-ebs");

  it("requires IMDSv2 with hop limit 1 (no pod reaches the node role) and sets no key pair, AMI or user data", () => {
    expect(templates).toHaveLength(3);
    for (const t of templates) {
      expect(t.metadata_options).toEqual({
        http_endpoint: "enabled",
        http_tokens: "required",
        http_put_response_hop_limit: 1,
        instance_metadata_tags: "disabled",
      });
      expect(t.key_name).toBeUndefined();
      expect(t.image_id).toBeUndefined();
      expect(t.user_data).toBeUndefined();
      expect(t.vpc_security_group_ids).toEqual([ref(prodDoc, "aws_security_group", "node-sg", "id")]);
    }
  });

  it("encrypts the gp3 root volume with the EBS CMK at the configured size", () => {
    const memory = templates.find((t) => t.name_prefix === "aivo-production-eks-memory-")!;
    expect(memory.block_device_mappings).toEqual([
      {
        device_name: "/dev/xvda",
        ebs: { volume_size: 100, volume_type: "gp3", encrypted: "true", kms_key_id: ebs.arn, delete_on_termination: "true" },
      },
    ]);
    const general = templates.find((t) => t.name_prefix === "aivo-production-eks-general-")!;
    expect(general.block_device_mappings[0].ebs.volume_size).toBe(50);
  });

  it("tags instances, volumes and ENIs with the instance tags and a Name", () => {
    const general = templates.find((t) => t.name_prefix === "aivo-production-eks-general-")!;
    expect(general.tag_specifications.map((s: any) => s.resource_type)).toEqual(["instance", "volume", "network-interface"]);
    expect(general.tag_specifications[0].tags).toEqual({ CostCenter: "platform", Name: "aivo-production-eks-general" });
  });

  it("lets the Auto Scaling service-linked role use the EBS key and create grants for AWS resources", () => {
    const statements = policy(ebs.key.policy).Statement;
    expect(ebs.key.enable_key_rotation).toBe(true);
    const use = statements.find((s) => s.Sid === "AllowAutoScalingServiceLinkedRoleUse")!;
    const grants = statements.find((s) => s.Sid === "AllowAutoScalingServiceLinkedRoleGrants")!;
    expect(use.Principal.AWS).toMatch(/:role\/aws-service-role\/autoscaling\.amazonaws\.com\/AWSServiceRoleForAutoScaling$/);
    expect(use.Action).toEqual(["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]);
    expect(grants.Action).toBe("kms:CreateGrant");
    expect(grants.Condition).toEqual({ Bool: { "kms:GrantIsForAWSResource": true } });
    const spot = statements.find((s) => s.Sid === "AllowSpotServiceLinkedRoleUse")!;
    expect(spot.Principal.AWS).toMatch(/:role\/aws-service-role\/spot\.amazonaws\.com\/AWSServiceRoleForEC2Spot$/);
    expect(statements.find((s) => s.Sid === "AllowSpotServiceLinkedRoleGrants")!.Condition).toEqual({ Bool: { "kms:GrantIsForAWSResource": true } });
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

describe("EksCluster: pod networking (custom networking)", () => {
  const podDoc = parse(
    Testing.synthScope((scope) => {
      new EksCluster(scope, "eks", {
        ...wiring("production"),
        ...production,
        podSubnetIdsByAz: { "us-east-1a": "subnet-pa", "us-east-1b": "subnet-pb", "us-east-1c": "subnet-pc" },
      });
    }),
  );
  const cni = configsOf(podDoc, "aws_eks_addon").find((a) => a.addon_name === "vpc-cni")!;
  const nodeSg = ref(podDoc, "aws_security_group", "node-sg", "id");

  it("configures the vpc-cni add-on for custom networking, creating one ENIConfig per AZ itself, with network policy on", () => {
    expect(JSON.parse(cni.configuration_values)).toEqual({
      enableNetworkPolicy: "true",
      env: { AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true", ENI_CONFIG_LABEL_DEF: "topology.kubernetes.io/zone" },
      eniConfig: {
        create: true,
        region: expect.stringMatching(/^\$\{data\.aws_region\.[\w-]+\.region\}$/),
        subnets: {
          "us-east-1a": { id: "subnet-pa", securityGroups: [nodeSg] },
          "us-east-1b": { id: "subnet-pb", securityGroups: [nodeSg] },
          "us-east-1c": { id: "subnet-pc", securityGroups: [nodeSg] },
        },
      },
    });
  });

  it("caps kubelet maxPods per group at what the secondary ENIs of its smallest type hold", () => {
    const maxPods = (group: string) => {
      const template = configsOf(podDoc, "aws_launch_template").find((t) => t.name_prefix === `aivo-production-eks-${group}-`)!;
      const mime = Buffer.from(template.user_data, "base64").toString("utf8");
      expect(mime).toContain("Content-Type: application/node.eks.aws");
      expect(mime).toContain("kind: NodeConfig");
      return Number(/maxPods: (\d+)/.exec(mime)![1]);
    };
    // m6i.xlarge and m5.xlarge: (4 − 1) ENIs × (15 − 1) addresses + 2 = 44; m6i.large and r6i.large: (3 − 1) × (10 − 1) + 2 = 20.
    expect(maxPods("general")).toBe(44);
    expect(maxPods("spot")).toBe(20);
    expect(maxPods("memory")).toBe(20);
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

describe("EksCluster: validation", () => {
  const build = (environment: string, overrides: Partial<EksClusterProps>) => () =>
    Testing.synthScope((scope) => {
      new EksCluster(scope, "eks", { ...wiring(environment), ...overrides });
    });
  const general = (g: Partial<NodeGroupSettings>) => ({ nodeGroups: { general: { ...DEFAULT_NODE_GROUPS.general, ...g } } });

  it("rejects minSize above maxSize", () => {
    expect(build("production", general({ minSize: 5, desiredSize: 5, maxSize: 3 }))).toThrow(
      "production.eks.nodeGroups.general: minSize 5 is greater than maxSize 3; set minSize ≤ maxSize",
    );
  });

  it("rejects a desiredSize outside min..max", () => {
    expect(build("production", general({ minSize: 3, desiredSize: 30, maxSize: 20 }))).toThrow(
      "production.eks.nodeGroups.general: desiredSize 30 is outside minSize 3 .. maxSize 20; set desiredSize within the range",
    );
    expect(build("staging", general({ minSize: 2, desiredSize: 1, maxSize: 4 }))).toThrow(
      "staging.eks.nodeGroups.general: desiredSize 1 is outside minSize 2 .. maxSize 4",
    );
  });

  it("rejects negative or fractional sizes and a maxSize of 0", () => {
    expect(build("development", general({ minSize: -1 }))).toThrow("development.eks.nodeGroups.general: minSize -1 is not a whole number ≥ 0");
    expect(build("development", general({ desiredSize: 1.5 }))).toThrow("development.eks.nodeGroups.general: desiredSize 1.5 is not a whole number ≥ 0");
    expect(build("development", general({ minSize: 0, desiredSize: 0, maxSize: 0 }))).toThrow(
      "development.eks.nodeGroups.general: maxSize 0 is below 1",
    );
  });

  it("rejects a public allowlist containing 0.0.0.0/0 or ::/0", () => {
    expect(build("production", { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24", "0.0.0.0/0"] })).toThrow(
      "production.eks.publicAccessCidrs[1]: 0.0.0.0/0 opens the API endpoint to the whole internet; list only the CIDRs that need access",
    );
    expect(build("production", { endpointPublicAccess: true, publicAccessCidrs: ["::/0"] })).toThrow(
      "production.eks.publicAccessCidrs[0]: ::/0 opens the API endpoint to the whole internet",
    );
  });

  it("rejects malformed or host-bit CIDRs, an empty allowlist with a public endpoint and an allowlist without one", () => {
    expect(build("staging", { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/33"] })).toThrow(
      'staging.eks.publicAccessCidrs[0]: "203.0.113.0/33" is not a CIDR',
    );
    expect(build("staging", { endpointPublicAccess: true, publicAccessCidrs: ["office"] })).toThrow('staging.eks.publicAccessCidrs[0]: "office" is not a CIDR');
    expect(build("staging", { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.7/24"] })).toThrow(
      "staging.eks.publicAccessCidrs[0]: 203.0.113.7/24 has host bits set; use 203.0.113.0/24",
    );
    expect(build("staging", { endpointPublicAccess: true })).toThrow(
      "staging.eks.publicAccessCidrs: is empty while endpointPublicAccess is true, which EKS reads as 0.0.0.0/0",
    );
    expect(build("staging", { publicAccessCidrs: ["203.0.113.0/24"] })).toThrow(
      "staging.eks.publicAccessCidrs: 203.0.113.0/24 has no effect while endpointPublicAccess is false",
    );
  });

  it("rejects an unknown capacity type", () => {
    expect(build("production", general({ capacityType: "RESERVED" as never }))).toThrow(
      'production.eks.nodeGroups.general.capacityType: "RESERVED" is not a capacity type; use ON_DEMAND or SPOT',
    );
  });

  it("rejects empty, malformed or mixed-architecture instance types", () => {
    expect(build("production", general({ instanceTypes: [] }))).toThrow(
      "production.eks.nodeGroups.general.instanceTypes: the list is empty; list at least one instance type",
    );
    expect(build("production", general({ instanceTypes: ["m6i large"] }))).toThrow(
      'production.eks.nodeGroups.general.instanceTypes[0]: "m6i large" is not an EC2 instance type',
    );
    expect(build("production", general({ instanceTypes: ["m6i.large", "m7g.large"] }))).toThrow(
      "production.eks.nodeGroups.general.instanceTypes: [m6i.large, m7g.large] mixes Graviton and x86_64 types",
    );
  });

  it("rejects reserved labels, unknown taint effects, a too-small disk and bad group names", () => {
    expect(build("development", general({ labels: { "node-type": "x" } }))).toThrow(
      'development.eks.nodeGroups.general.labels: "node-type" is set by the module',
    );
    expect(build("development", general({ taints: [{ key: "a", effect: "NoSchedule" as never }] }))).toThrow(
      'development.eks.nodeGroups.general.taints[0].effect: "NoSchedule" is not a taint effect',
    );
    expect(build("development", general({ diskSizeGiB: 8 }))).toThrow("development.eks.nodeGroups.general.diskSizeGiB: 8 is outside 20-16384 GiB");
    expect(build("development", { nodeGroups: { General_1: DEFAULT_NODE_GROUPS.general } })).toThrow(
      'development.eks.nodeGroups.General_1: "General_1" is not a node group name',
    );
  });

  it("rejects no node groups, or only tainted ones", () => {
    expect(build("development", { nodeGroups: {} })).toThrow("development.eks.nodeGroups: is empty; define at least one node group");
    expect(build("development", { nodeGroups: { spot: DEFAULT_NODE_GROUPS.spot } })).toThrow(
      "development.eks.nodeGroups: every group has a NoSchedule/NoExecute taint",
    );
  });

  it("rejects a Karpenter node allowance without instance types or with a bad node count", () => {
    expect(build("production", { karpenterNodeAllowance: { instanceTypes: ["m6i.2xlarge"], maxNodes: -1 } })).toThrow(
      "production.eks.karpenterNodeAllowance.maxNodes: -1 is not a whole number ≥ 0",
    );
    expect(build("production", { karpenterNodeAllowance: { instanceTypes: [], maxNodes: 10 } })).toThrow(
      "production.eks.karpenterNodeAllowance.instanceTypes: the list is empty",
    );
  });

  it("rejects pod subnets with a node group type whose ENI limits are unknown", () => {
    const groups = { general: { ...DEFAULT_NODE_GROUPS.general, instanceTypes: ["c7gn.large"] } };
    expect(build("production", { nodeGroups: groups, podSubnetIdsByAz: { "us-east-1a": "subnet-pa" } })).toThrow(
      'production.eks.nodeGroups.general.instanceTypes: "c7gn.large" has no ENI limits in ENI_LIMITS',
    );
  });

  it("rejects bad versions, log types, admin ARNs, retention and too few subnets", () => {
    expect(build("production", { kubernetesVersion: "v1.35" })).toThrow('production.eks.kubernetesVersion: "v1.35" is not a Kubernetes minor version');
    expect(build("production", { upgradeSupportType: "LTS" as never })).toThrow('production.eks.upgradeSupportType: "LTS" is not a support type');
    expect(build("production", { addonVersions: { coredns: "1.12" } })).toThrow('production.eks.addonVersions.coredns: "1.12" is not an EKS add-on version');
    expect(build("production", { controlPlaneLogTypes: ["api"] })).toThrow('production.eks.controlPlaneLogTypes: [api] lacks "audit"');
    expect(build("production", { controlPlaneLogTypes: ["audit", "kubelet" as never] })).toThrow(
      'production.eks.controlPlaneLogTypes[1]: "kubelet" is not a control-plane log type',
    );
    expect(build("production", { adminRoleArns: ["arn:aws:iam::123456789012:user/alice"] })).toThrow(
      'production.eks.adminRoleArns[0]: "arn:aws:iam::123456789012:user/alice" is not an IAM role ARN',
    );
    expect(build("production", { adminRoleArns: [ADMIN, ADMIN] })).toThrow(`production.eks.adminRoleArns[1]: "${ADMIN}" is listed twice`);
    expect(build("production", { logRetentionDays: 45 })).toThrow("production.eks.logRetentionDays: 45 is not a retention CloudWatch Logs accepts");
    expect(build("production", { privateSubnetIds: ["subnet-a"] })).toThrow(
      "production.eks.privateSubnetIds: 1 subnet(s) given; EKS needs subnets in at least two availability zones",
    );
  });
});
