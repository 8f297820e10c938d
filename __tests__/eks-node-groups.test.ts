// EksCluster: managed node groups, their launch templates and pod networking (custom networking, kubelet maxPods).
import { Testing } from "cdktf";
import { EksCluster, WORKLOAD_TYPE_TAINT_KEY } from "../modules/aws/compute/eks";
import { configsOf, parse, policy, TerraformJson } from "./helpers";
import { idOf, keyPolicy, production, ref, synthClusters, wiring } from "./eks-fixtures";

const { prodDoc, devDoc, gravitonDoc } = synthClusters();

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
