// EksCluster: validation of its props (node groups, endpoint allowlist, versions, log types, admin roles, subnets).
import { Testing } from "cdktf";
import { DEFAULT_NODE_GROUPS, EksCluster, EksClusterProps, NodeGroupSettings } from "../modules/aws/compute/eks";
import { ADMIN, wiring } from "./eks-fixtures";

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
