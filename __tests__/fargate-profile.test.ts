import { KARPENTER_METRICS_PORT } from "../modules/aws/compute/karpenter-prerequisites";
import { Testing } from "cdktf";
import { FARGATE_PODS_SERVICE, FargateProfiles, FargateProfilesProps, runsOnFargate, validateFargateSettings } from "../modules/aws/compute/fargate-profile";
import { Naming } from "../modules/shared/naming";
import { configsOf, onlyResource, policy, resourcesOf } from "./helpers";

const base: FargateProfilesProps = {
  where: "staging.fargate",
  naming: new Naming("aivo", "staging"),
  clusterName: "${aws_eks_cluster.eks_cluster.name}",
  privateSubnetIds: ["subnet-a", "subnet-b"],
  nodeSecurityGroupId: "sg-node",
  clusterPrimarySecurityGroupId: "sg-cluster",
  profiles: {
    karpenter: [{ namespace: "karpenter" }],
    batch: [{ namespace: "aivo", labels: { "aivo.edu/compute": "fargate" } }],
  },
};

describe("FargateProfiles", () => {
  const synth = Testing.synthScope((scope) => {
    new FargateProfiles(scope, "fargate", base);
  });

  it("creates one profile per entry, in the private subnets, with the namespace and label selectors", () => {
    const profiles = configsOf(synth, "aws_eks_fargate_profile").sort((a, b) => (a.fargate_profile_name < b.fargate_profile_name ? 1 : -1));
    expect(profiles.map((p) => p.fargate_profile_name)).toEqual(["aivo-staging-karpenter", "aivo-staging-batch"]);
    for (const p of profiles) {
      expect(p.cluster_name).toBe("${aws_eks_cluster.eks_cluster.name}");
      expect(p.subnet_ids).toEqual(["subnet-a", "subnet-b"]);
      expect(p.pod_execution_role_arn).toMatch(/^\$\{aws_iam_role\.fargate_pod-execution-role_[0-9A-F]+\.arn\}$/);
    }
    expect(profiles[0].selector).toEqual([{ namespace: "karpenter" }]);
    expect(profiles[1].selector).toEqual([{ namespace: "aivo", labels: { "aivo.edu/compute": "fargate" } }]);
  });

  it("gives the pod execution role a trust limited to this cluster's Fargate profiles, and the Fargate pod policy", () => {
    const role = onlyResource(synth, "aws_iam_role");
    expect(role.name).toBe("aivo-staging-eks-fargate-pods");
    const trust = policy(role.assume_role_policy);
    expect(trust.Statement).toEqual([
      {
        Sid: "AllowFargatePodsOfThisCluster",
        Effect: "Allow",
        Principal: { Service: FARGATE_PODS_SERVICE },
        Action: "sts:AssumeRole",
        Condition: {
          ArnLike: {
            "aws:SourceArn": expect.stringMatching(/^arn:\$\{data\.aws_partition\.[^}]+\}:eks:\$\{data\.aws_region\.[^}]+\}:\$\{data\.aws_caller_identity\.[^}]+\}:fargateprofile\/aivo-staging-eks\/\*$/),
          },
        },
      },
    ]);
    const attachment = onlyResource(synth, "aws_iam_role_policy_attachment");
    expect(attachment.policy_arn).toMatch(/:iam::aws:policy\/AmazonEKSFargatePodExecutionRolePolicy$/);
  });

  it("lets Fargate pods (cluster security group) query CoreDNS on the nodes, on port 53 only, and Prometheus on the nodes scrape Karpenter's metrics port", () => {
    const rules = configsOf(synth, "aws_vpc_security_group_ingress_rule");
    expect(rules.map((r) => [r.security_group_id, r.referenced_security_group_id, r.ip_protocol, r.from_port, r.to_port]).sort()).toEqual([
      ["sg-cluster", "sg-node", "tcp", KARPENTER_METRICS_PORT, KARPENTER_METRICS_PORT],
      ["sg-node", "sg-cluster", "tcp", 53, 53],
      ["sg-node", "sg-cluster", "udp", 53, 53],
    ]);
  });

  it("creates nothing without profiles", () => {
    const empty = Testing.synthScope((scope) => {
      new FargateProfiles(scope, "fargate", { ...base, profiles: {} });
    });
    expect(resourcesOf(empty, "aws_eks_fargate_profile")).toEqual({});
    expect(resourcesOf(empty, "aws_iam_role")).toEqual({});
  });
});

describe("Fargate settings validation", () => {
  const cases: [string, Parameters<typeof validateFargateSettings>[1], string][] = [
    ["a profile without selectors", { profiles: { karpenter: [] } }, "staging.fargate.profiles.karpenter: 0 selectors; a Fargate profile needs 1 to 5"],
    [
      "more than 5 selectors",
      { profiles: { many: ["a", "b", "c", "d", "e", "f"].map((namespace) => ({ namespace })) } },
      "staging.fargate.profiles.many: 6 selectors; a Fargate profile needs 1 to 5",
    ],
    [
      "all of kube-system (CoreDNS would move to Fargate)",
      { profiles: { system: [{ namespace: "kube-system" }] } },
      "staging.fargate.profiles.system[0]: every pod of kube-system (CoreDNS, vpc-cni, kube-proxy, the EBS CSI driver) would run on Fargate; add labels selecting only the pods meant for it",
    ],
    ["a bad namespace", { profiles: { x: [{ namespace: "Karpenter" }] } }, 'staging.fargate.profiles.x[0].namespace: "Karpenter" is not a Kubernetes namespace name'],
    ["a bad profile name", { profiles: { "Bad_Name": [{ namespace: "a" }] } }, 'staging.fargate.profiles.Bad_Name: "Bad_Name" is not a profile name'],
    [
      "more than 5 labels",
      { profiles: { x: [{ namespace: "a", labels: { a: "1", b: "1", c: "1", d: "1", e: "1", f: "1" } }] } },
      "staging.fargate.profiles.x[0].labels: 6 labels; a Fargate selector takes at most 5",
    ],
  ];
  it.each(cases)("rejects %s", (_, settings, message) => {
    expect(() => validateFargateSettings("staging.fargate", settings)).toThrow(message);
  });

  it("accepts kube-system pods selected by label", () => {
    expect(() => validateFargateSettings("staging.fargate", { profiles: { x: [{ namespace: "kube-system", labels: { app: "x" } }] } })).not.toThrow();
  });
});

describe("runsOnFargate", () => {
  it("is true only for a namespace a profile selects whole (no labels)", () => {
    expect(runsOnFargate({ profiles: { karpenter: [{ namespace: "karpenter" }] } }, "karpenter")).toBe(true);
    expect(runsOnFargate({ profiles: { jobs: [{ namespace: "karpenter", labels: { compute: "fargate" } }] } }, "karpenter")).toBe(false);
    expect(runsOnFargate({ profiles: { karpenter: [{ namespace: "karpenter" }] } }, "aivo")).toBe(false);
    expect(runsOnFargate(undefined, "karpenter")).toBe(false);
  });
});
