import {
  CAPACITY_TYPES,
  CONTROL_PLANE_LOG_TYPES,
  DEFAULT_CONTROL_PLANE_LOG_TYPES,
  DEFAULT_KUBERNETES_VERSION,
  EKS_ADDONS,
  ENVIRONMENT_LABEL,
  EksCluster,
  NODE_TYPE_LABEL,
  TAINT_EFFECTS,
  UPGRADE_SUPPORT_TYPES,
} from "../../modules/aws/compute/eks";
import { ModuleDefinition, ModuleOverride } from "../../modules/shared/hcl/module";
import { NAMING_VARIABLES, logRetentionVariable, naming } from "./common";

/** The samples of the lists whose items become resources (`for_each` over the list). */
const PRIVATE_CIDR = "10.213.7.0/24";
const ADMIN_ARN = "arn:aws:iam::123456789012:role/zqxadmin";
const ADMIN_KEY = "zqxadmin";

/** The node group the module is generated with; its resources become `for_each = var.node_groups`. */
const GROUP = "zqxgroup";
const list = (values: readonly string[]) => `[${values.map((v) => JSON.stringify(v)).join(", ")}]`;
const NODE_GROUP_TYPE =
  "map(object({ instance_types = list(string), capacity_type = string, min_size = number, desired_size = number, max_size = number, labels = optional(map(string), {}), taints = optional(list(object({ key = string, value = optional(string), effect = string })), []), disk_size_gib = optional(number, 50) }))";

/** The `eks` module: the `EksCluster` construct (modules/aws/compute/eks). */
export const EKS_MODULE: ModuleDefinition = {
  name: "eks",
  construct: "modules/aws/compute/eks (EksCluster)",
  description:
    "An EKS cluster `<project>-<environment>-eks`: control plane in the private subnets with a private endpoint (public only with an allowlist), secrets envelope-encrypted with a CMK, control-plane logs in a KMS-encrypted log group, `API` authentication with an admin role; managed node groups (AL2023, launch templates with IMDSv2 and encrypted gp3 root volumes); the managed add-ons (vpc-cni and EBS CSI with IRSA roles), the IAM OIDC provider, the cluster and node security groups, and the Karpenter prerequisites (roles, interruption queue, EventBridge rules).",
  variables: [
    ...NAMING_VARIABLES,
    {
      name: "kubernetes_version",
      type: "string",
      description: "Kubernetes minor version, `1.<minor>`.",
      default: DEFAULT_KUBERNETES_VERSION,
      sample: "1.977",
      validations: [{ condition: 'can(regex("^1\\\\.\\\\d{1,3}$", var.kubernetes_version))', errorMessage: 'kubernetes_version: use "1.<minor>", e.g. "1.35".' }],
    },
    {
      name: "upgrade_support_type",
      type: "string",
      description: "`STANDARD` upgrades the cluster at the end of standard support; `EXTENDED` keeps it running (billed higher).",
      default: "STANDARD",
      validations: [{ condition: `contains(${list(UPGRADE_SUPPORT_TYPES)}, var.upgrade_support_type)`, errorMessage: `upgrade_support_type: use ${UPGRADE_SUPPORT_TYPES.join(" or ")}.` }],
    },
    { name: "endpoint_public_access", type: "bool", description: "Turn on the public API endpoint (the private endpoint is always on).", default: false },
    {
      name: "public_access_cidrs",
      type: "list(string)",
      description: "CIDRs allowed to reach the public endpoint: required when `endpoint_public_access` is on, empty when it is off; never 0.0.0.0/0.",
      default: [],
      sample: ["198.51.100.128/25", "203.0.113.64/26"],
      validations: [
        {
          condition: 'alltrue([for c in var.public_access_cidrs : can(cidrhost(c, 0)) && cidrsubnet(c, 0, 0) == c && !endswith(c, "/0")])',
          errorMessage: "public_access_cidrs: every entry must be a network CIDR (no host bits) other than 0.0.0.0/0.",
        },
        {
          condition: "var.endpoint_public_access == (length(var.public_access_cidrs) > 0)",
          errorMessage: "public_access_cidrs: list the CIDRs when endpoint_public_access is true (EKS reads an empty list as 0.0.0.0/0), and none when it is false.",
        },
      ],
    },
    {
      name: "control_plane_log_types",
      type: "list(string)",
      description: `Control-plane log types sent to CloudWatch (${CONTROL_PLANE_LOG_TYPES.join(", ")}); must include audit.`,
      default: [...DEFAULT_CONTROL_PLANE_LOG_TYPES],
      sample: ["scheduler", "audit", "api"],
      validations: [
        { condition: `alltrue([for t in var.control_plane_log_types : contains(${list(CONTROL_PLANE_LOG_TYPES)}, t)])`, errorMessage: `control_plane_log_types: use ${CONTROL_PLANE_LOG_TYPES.join(", ")}.` },
        { condition: 'contains(var.control_plane_log_types, "audit")', errorMessage: 'control_plane_log_types: add "audit", the record of who did what in the cluster.' },
        { condition: "length(distinct(var.control_plane_log_types)) == length(var.control_plane_log_types)", errorMessage: "control_plane_log_types: list each type once." },
      ],
    },
    {
      name: "node_groups",
      type: NODE_GROUP_TYPE,
      description: "Managed node groups keyed by name (the name becomes the `node-type` label).",
      sample: { [GROUP]: { instance_types: ["zqxfamily.zqxsize"], capacity_type: "ON_DEMAND", min_size: 211, desired_size: 223, max_size: 227, labels: {}, taints: [], disk_size_gib: 337 } },
      validations: [
        { condition: "length(var.node_groups) > 0", errorMessage: "node_groups: define at least one node group (CoreDNS and Karpenter run on it)." },
        { condition: 'alltrue([for name, g in var.node_groups : can(regex("^[a-z][a-z0-9-]{0,19}$", name))])', errorMessage: 'node_groups: names are up to 20 lowercase letters, digits and "-", starting with a letter.' },
        {
          condition: 'alltrue([for g in values(var.node_groups) : length(g.instance_types) > 0 && alltrue([for t in g.instance_types : can(regex("^[a-z][a-z0-9-]*\\\\.[a-z0-9]+$", t))])])',
          errorMessage: "node_groups: every group lists at least one EC2 instance type written family.size, e.g. m6i.large.",
        },
        { condition: `alltrue([for g in values(var.node_groups) : contains(${list(CAPACITY_TYPES)}, g.capacity_type)])`, errorMessage: `node_groups: capacity_type is ${CAPACITY_TYPES.join(" or ")}.` },
        {
          condition: "alltrue([for g in values(var.node_groups) : g.min_size >= 0 && g.max_size >= 1 && g.min_size <= g.desired_size && g.desired_size <= g.max_size])",
          errorMessage: "node_groups: sizes must satisfy 0 <= min_size <= desired_size <= max_size and max_size >= 1.",
        },
        { condition: "alltrue([for g in values(var.node_groups) : g.disk_size_gib >= 20 && g.disk_size_gib <= 16384])", errorMessage: "node_groups: disk_size_gib is 20-16384 (the AL2023 AMI needs at least 20)." },
        {
          condition: `alltrue([for g in values(var.node_groups) : !contains(keys(g.labels), "${NODE_TYPE_LABEL}") && !contains(keys(g.labels), "${ENVIRONMENT_LABEL}")])`,
          errorMessage: `node_groups: the "${NODE_TYPE_LABEL}" and "${ENVIRONMENT_LABEL}" labels are set by the module; remove them.`,
        },
        { condition: `alltrue(flatten([for g in values(var.node_groups) : [for t in g.taints : contains(${list(TAINT_EFFECTS)}, t.effect) && t.key != ""]]))`, errorMessage: `node_groups: a taint has a key and an effect in ${TAINT_EFFECTS.join(", ")}.` },
        {
          condition: 'anytrue([for g in values(var.node_groups) : alltrue([for t in g.taints : t.effect == "PREFER_NO_SCHEDULE"])])',
          errorMessage: "node_groups: leave one group without a NoSchedule/NoExecute taint, so CoreDNS and the EBS CSI controller can schedule.",
        },
      ],
    },
    {
      name: "addon_versions",
      type: "map(string)",
      description: `Pinned add-on versions (${Object.keys(EKS_ADDONS).join(", ")}), e.g. \`{ coredns = "v1.12.4-eksbuild.1" }\`; an add-on without an entry gets EKS's default for the Kubernetes version.`,
      default: {},
      validations: [
        { condition: `alltrue([for name in keys(var.addon_versions) : contains(${list(Object.keys(EKS_ADDONS))}, name)])`, errorMessage: `addon_versions: keys are the add-ons this module installs: ${Object.keys(EKS_ADDONS).join(", ")}.` },
        { condition: 'alltrue([for v in values(var.addon_versions) : can(regex("^v\\\\d+\\\\.\\\\d+\\\\.\\\\d+-eksbuild\\\\.\\\\d+$", v))])', errorMessage: "addon_versions: use the form v1.2.3-eksbuild.1 (aws eks describe-addon-versions)." },
      ],
    },
    {
      name: "private_access_cidrs",
      type: "list(string)",
      description: "CIDRs inside the VPC (a deploy runner's subnets) admitted to the private API endpoint on 443; never 0.0.0.0/0.",
      default: [],
      sample: [PRIVATE_CIDR],
      validations: [
        {
          condition: 'alltrue([for c in var.private_access_cidrs : can(cidrhost(c, 0)) && cidrsubnet(c, 0, 0) == c && !endswith(c, "/0")])',
          errorMessage: "private_access_cidrs: every entry must be a network CIDR (no host bits) other than 0.0.0.0/0; list the runner subnets' CIDRs.",
        },
      ],
    },
    {
      name: "admin_role_arns",
      type: "list(string)",
      description: "Further IAM role ARNs given cluster-admin (access entry + AmazonEKSClusterAdminPolicy), besides the module's `<project>-<environment>-eks-admin` role.",
      default: [],
      sample: [ADMIN_ARN],
      validations: [
        {
          condition: 'alltrue([for a in var.admin_role_arns : can(regex("^arn:aws[a-z-]*:iam::\\\\d{12}:role/[\\\\w+=,.@/-]+$", a))])',
          errorMessage: "admin_role_arns: every entry must be an IAM role ARN, arn:aws:iam::<account>:role/<name>.",
        },
        { condition: "length(distinct(var.admin_role_arns)) == length(var.admin_role_arns)", errorMessage: "admin_role_arns: list each role once." },
      ],
    },
    {
      name: "instance_tags",
      type: "map(string)",
      description: "Tags stamped on node instances, volumes and ENIs through the launch templates (provider default_tags do not reach what Auto Scaling launches), e.g. the cost allocation tags.",
      default: {},
    },
    { name: "deletion_protection", type: "bool", description: "EKS deletion protection: the cluster cannot be deleted until this is turned off.", default: true },
    { name: "vpc_id", type: "string", description: "VPC of the cluster's and nodes' security groups.", sample: "vpc-0zqxeksvpc" },
    {
      name: "private_subnet_ids",
      type: "list(string)",
      description: "Private subnets (at least 2 AZs) for the control-plane ENIs and every node.",
      sample: ["subnet-0zqxprivatea", "subnet-0zqxprivateb"],
      validations: [{ condition: "length(var.private_subnet_ids) >= 2", errorMessage: "private_subnet_ids: EKS needs subnets in at least two availability zones." }],
    },
    logRetentionVariable(731),
  ],
  build(scope, v) {
    const groups = v.node_groups as Record<string, { instance_types: string[]; capacity_type: "ON_DEMAND"; min_size: number; desired_size: number; max_size: number; disk_size_gib: number }>;
    const g = groups[GROUP];
    const eks = new EksCluster(scope, "eks", {
      naming: naming(),
      kubernetesVersion: v.kubernetes_version as string,
      endpointPublicAccess: true,
      publicAccessCidrs: v.public_access_cidrs as string[],
      controlPlaneLogTypes: v.control_plane_log_types as never,
      nodeGroups: {
        [GROUP]: { instanceTypes: g.instance_types, capacityType: g.capacity_type, minSize: g.min_size, desiredSize: g.desired_size, maxSize: g.max_size, diskSizeGiB: g.disk_size_gib },
      },
      privateAccessCidrs: v.private_access_cidrs as string[],
      adminRoleArns: v.admin_role_arns as string[],
      vpcId: v.vpc_id as string,
      privateSubnetIds: v.private_subnet_ids as string[],
      logRetentionDays: v.log_retention_days as number,
    });
    return {
      cluster_name: { description: "`<project>-<environment>-eks` (`aws eks update-kubeconfig --name …`).", value: eks.clusterName },
      cluster_arn: { description: "The cluster ARN.", value: eks.clusterArn },
      cluster_endpoint: { description: "The API server endpoint URL.", value: eks.clusterEndpoint },
      cluster_certificate_authority_data: { description: "Base64 CA bundle of the API server.", value: eks.clusterCertificateAuthorityData },
      oidc_provider_arn: { description: "ARN of the cluster's IAM OIDC provider (IRSA trust policies).", value: eks.oidcProviderArn },
      oidc_issuer_url: { description: "The OIDC issuer without `https://`.", value: eks.oidcIssuerUrl },
      node_role_arn: { description: "The managed node groups' role ARN.", value: eks.nodeRoleArn },
      cluster_security_group_id: { description: "The additional security group of the control plane.", value: eks.clusterSecurityGroupId },
      node_security_group_id: { description: "The security group of every node (managed and Karpenter-launched).", value: eks.nodeSecurityGroupId },
      cluster_primary_security_group_id: { description: "The security group EKS creates for the control plane ENIs.", value: eks.clusterPrimarySecurityGroupId },
      admin_role_arn: { description: "ARN of `<project>-<environment>-eks-admin`, the cluster-admin role.", value: eks.adminRoleArn! },
      ebs_kms_key_arn: { description: "ARN of the CMK for node root volumes and EBS CSI StorageClasses.", value: eks.ebsKmsKeyArn },
    };
  },
  renames: {
    [`launch_template_${GROUP}`]: "launch_template",
    [`node_group_${GROUP}`]: "node_group",
    [`cluster_from_runner_${PRIVATE_CIDR.replace(/[./]/g, "_")}`]: "cluster_from_private_access_cidr",
    [`admin_${ADMIN_KEY}`]: "admin_extra",
    [`admin_${ADMIN_KEY}_policy`]: "admin_extra_policy",
  },
  replacements: [[GROUP, "${each.key}"], ["aws_launch_template.launch_template.", "aws_launch_template.launch_template[each.key]."]],
  // A list sample became `var.node_groups.zqxgroup.…` before the group's name became `${each.key}`.
  postReplacements: [
    [`var.node_groups.${GROUP}.`, "each.value."],
    ["var.node_groups.${each.key}.", "each.value."],
    ["var.private_access_cidrs[0]", "each.key"],
    ["var.admin_role_arns[0]", "each.key"],
    ["aws_eks_access_entry.admin_extra.", "aws_eks_access_entry.admin_extra[each.key]."],
  ],
  overrides: [
    ...(["launch_template", "node_group"].map((name) => ({
      type: name === "node_group" ? "aws_eks_node_group" : "aws_launch_template",
      name: new RegExp(`^${name}$`),
      argument: "for_each",
      value: "${var.node_groups}",
    })) as ModuleOverride[]),
    { type: "aws_eks_node_group", argument: "ami_type", value: '${can(regex("^[a-z]+\\\\d+g[a-z-]*\\\\.", each.value.instance_types[0])) ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD"}' },
    { type: "aws_eks_node_group", argument: "labels", value: `\${merge(each.value.labels, { "${NODE_TYPE_LABEL}" = each.key, "${ENVIRONMENT_LABEL}" = var.environment })}` },
    {
      type: "aws_eks_node_group",
      argument: "dynamic",
      value: { taint: { for_each: "${each.value.taints}", content: { key: "${taint.value.key}", value: "${taint.value.value}", effect: "${taint.value.effect}" } } },
    },
    { type: "aws_vpc_security_group_ingress_rule", name: /^cluster_from_private_access_cidr$/, argument: "for_each", value: "${toset(var.private_access_cidrs)}" },
    { type: "aws_eks_access_entry", name: /^admin_extra$/, argument: "for_each", value: "${toset(var.admin_role_arns)}" },
    { type: "aws_eks_access_policy_association", name: /^admin_extra_policy$/, argument: "for_each", value: "${toset(var.admin_role_arns)}" },
    { type: "aws_launch_template", argument: "tag_specifications", value: undefined },
    {
      type: "aws_launch_template",
      argument: "dynamic",
      value: {
        tag_specifications: {
          for_each: '${toset(["instance", "volume", "network-interface"])}',
          content: { resource_type: "${tag_specifications.value}", tags: '${merge(var.instance_tags, { Name = "${var.project}-${var.environment}-eks-${each.key}" })}' },
        },
      },
    },
    { type: "aws_eks_cluster", argument: "deletion_protection", value: "${var.deletion_protection}" },
    {
      type: "aws_eks_cluster",
      argument: "vpc_config",
      value: {
        endpoint_private_access: true,
        endpoint_public_access: "${var.endpoint_public_access}",
        public_access_cidrs: "${var.endpoint_public_access ? var.public_access_cidrs : null}",
        security_group_ids: ["${aws_security_group.cluster_sg.id}"],
        subnet_ids: "${var.private_subnet_ids}",
      },
    },
    { type: "aws_eks_cluster", argument: "upgrade_policy", value: { support_type: "${var.upgrade_support_type}" } },
    ...Object.keys(EKS_ADDONS).map((name) => ({
      type: "aws_eks_addon",
      name: new RegExp(`^addon_${name.replace(/-/g, "_")}$`),
      argument: "addon_version",
      value: `\${lookup(var.addon_versions, "${name}", null)}`,
    })),
  ],
  locals: {},
  notes: [
    "`createAdminRole` is always on: the module creates the `<project>-<environment>-eks-admin` role and makes it cluster-admin (`admin_role_arns` adds more).",
    "`podSubnetIdsByAz` (VPC CNI custom networking, with kubelet `maxPods` computed per instance type in TypeScript) is not an input: pods take addresses from the node subnets.",
    "`karpenter` is always on (its roles, queue and rules are created); `karpenterNodeAllowance` only feeds a cdktf-side address check.",
    "The add-ons that need nodes (coredns, aws-ebs-csi-driver) wait for every node group here, where the construct waits only for the untainted on-demand ones.",
  ],
  example: {
    environment: "development",
    vpc_id: "vpc-0123456789abcdef0",
    private_subnet_ids: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
    node_groups: { general: { instance_types: ["m6i.large"], capacity_type: "ON_DEMAND", min_size: 1, desired_size: 2, max_size: 4 } },
    log_retention_days: 30,
  },
};
