import { Testing } from "cdktf";
import { development } from "../environments/development";
import { production } from "../environments/production";
import { staging } from "../environments/staging";
import { EnvironmentConfig } from "../environments/types";
import { validateEnvironments } from "../environments/validate";
import { buildPlatform } from "../environments";
import { EksCluster } from "../modules/aws/compute/eks";
import { KubernetesSettings, instanceCapacity } from "../modules/kubernetes/platform/settings";
import { KarpenterController } from "../modules/kubernetes/addons/karpenter";
import { HELM_CHARTS } from "../modules/kubernetes/platform";
import { Naming } from "../modules/shared/naming";
import { configsOf } from "./helpers";

type Change = (config: EnvironmentConfig) => EnvironmentConfig;
const withK8s = (change: (k: KubernetesSettings) => Partial<KubernetesSettings>): Change => (c) => ({ ...c, kubernetes: { ...c.kubernetes, ...change(c.kubernetes) } });
const withPool = (pool: "general" | "spot", change: object): Change =>
  withK8s((k) => ({ karpenter: { ...k.karpenter, [pool]: { ...k.karpenter[pool], ...change } } }));
const withEks = (change: Partial<EnvironmentConfig["eks"]>): Change => (c) => ({ ...c, eks: { ...c.eks, ...change } });

function validateWith(target: string, change: Change): () => void {
  return () => validateEnvironments([development, staging, production].map((c) => (c.name === target ? change(c) : c)));
}

describe("kubernetes settings validation", () => {
  it("accepts the three configured environments", () => {
    expect(validateWith("development", (c) => c)).not.toThrow();
  });

  const cases: [string, string, Change, string][] = [
    [
      "a public-allowlist with the public endpoint off",
      "staging",
      withEks({ endpointPublicAccess: false, publicAccessCidrs: [] }),
      'staging.kubernetes.apiAccess: "public-allowlist" needs the public endpoint; set staging.eks.endpointPublicAccess to true',
    ],
    [
      "an empty allowlist with a public endpoint",
      "development",
      withEks({ endpointPublicAccess: true, publicAccessCidrs: [] }),
      'development.kubernetes.apiAccess: "public-allowlist" with an empty development.eks.publicAccessCidrs opens the endpoint to 0.0.0.0/0; list the deploy runners\' CIDRs',
    ],
    [
      "an in-VPC runner without runner CIDRs",
      "production",
      withEks({ privateAccessCidrs: [] }),
      'production.kubernetes.apiAccess: "in-vpc-runner" with an empty production.eks.privateAccessCidrs leaves no way in',
    ],
    [
      "an in-VPC runner outside the VPC",
      "production",
      withEks({ privateAccessCidrs: ["10.0.1.0/24", "192.168.0.0/24"] }),
      'production.kubernetes.apiAccess: "in-vpc-runner": production.eks.privateAccessCidrs[1] 192.168.0.0/24 is outside the VPC 10.0.0.0/16',
    ],
    ["an unknown access mode", "staging", withK8s(() => ({ apiAccess: "vpn" as never })), 'staging.kubernetes.apiAccess: "vpn" is not one of public-allowlist, in-vpc-runner'],
    [
      "a non-semver chart version",
      "staging",
      withK8s(() => ({ chartVersions: { certManager: "1.21" } })),
      'staging.kubernetes.chartVersions.certManager.version: "1.21" is not a pinned chart version; use semver like 1.2.3 or v1.2.3 (no ranges)',
    ],
    ["an unknown chart", "staging", withK8s(() => ({ chartVersions: { traefik: "1.0.0" } as never })), "staging.kubernetes.chartVersions.traefik: is not a chart of the platform"],
    ["zero replicas", "staging", withK8s(() => ({ replicas: { certManager: 0 } })), "staging.kubernetes.replicas.certManager: 0 is not a whole number from 1 to 10"],
    [
      "one replica in production",
      "production",
      withK8s(() => ({ replicas: { kyverno: 1 } })),
      "production.kubernetes.replicas.kyverno: 1 leaves production without the controller during a node drain; use 2 or more",
    ],
    ["Audit outside development", "staging", withK8s(() => ({ policyAction: "Audit" })), 'staging.kubernetes.policyAction: "Audit" only reports pod-security violations; staging enforces them, use "Enforce"'],
    ["a bad ACME e-mail", "development", withK8s(() => ({ acmeEmail: "platform" })), 'development.kubernetes.acmeEmail: "platform" is not an e-mail address'],
    [
      "@latest AMIs in production",
      "production",
      withK8s((k) => ({ karpenter: { ...k.karpenter, amiAlias: "al2023@latest" } })),
      'production.kubernetes.karpenter.amiAlias: "al2023@latest" replaces every node whenever AWS publishes an AMI; pin al2023@vYYYYMMDD in production',
    ],
    ["a malformed AMI alias", "development", withK8s((k) => ({ karpenter: { ...k.karpenter, amiAlias: "ami-123" } })), 'development.kubernetes.karpenter.amiAlias: "ami-123" is not an AMI alias'],
    [
      "a CPU limit below the largest instance type",
      "staging",
      withPool("general", { cpuLimit: 4 }),
      "staging.kubernetes.karpenter.general.cpuLimit: 4 is below the 8 vCPUs of its largest instance type; the pool could never launch one",
    ],
    [
      "a memory limit below the largest instance type",
      "development",
      withPool("spot", { memoryLimitGiB: 8 }),
      "development.kubernetes.karpenter.spot.memoryLimitGiB: 8 is below the 16 GiB of its largest instance type",
    ],
    ["an unknown instance type", "development", withPool("general", { instanceTypes: ["huge"] }), 'development.kubernetes.karpenter.general.instanceTypes[0]: "huge" is not an instance type of a known family'],
    ["no budgets", "staging", withPool("spot", { budgets: [] }), "staging.kubernetes.karpenter.spot.budgets: is empty, which lets Karpenter disrupt 10% of nodes at any time"],
    ["a malformed budget", "staging", withPool("spot", { budgets: [{ nodes: "lots" }] }), 'staging.kubernetes.karpenter.spot.budgets[0].nodes: "lots" is not a node count or percentage'],
    ["a schedule without duration", "staging", withPool("spot", { budgets: [{ nodes: "1", schedule: "0 9 * * *" }] }), "staging.kubernetes.karpenter.spot.budgets[0]: schedule and duration go together"],
    [
      "production without a one-node budget",
      "production",
      withPool("general", { budgets: [{ nodes: "10%" }] }),
      "production.kubernetes.karpenter.general.budgets: production needs an always-on budget of at most 1 node disrupted at a time",
    ],
    ["a malformed duration", "staging", withPool("general", { expireAfter: "30 days" }), 'staging.kubernetes.karpenter.general.expireAfter: "30 days" is not a duration like 5m or 720h'],
  ];

  it.each(cases)("rejects %s", (_what, target, change, message) => {
    expect(validateWith(target, change)).toThrow(message);
  });

  it("knows the size of the instance types the pools use", () => {
    expect(instanceCapacity("m6i.2xlarge")).toEqual({ vcpu: 8, memoryGiB: 32 });
    expect(instanceCapacity("r6i.large")).toEqual({ vcpu: 2, memoryGiB: 16 });
    expect(instanceCapacity("c7g.xlarge")).toEqual({ vcpu: 4, memoryGiB: 8 });
    expect(instanceCapacity("m6i.metal")).toBeUndefined();
  });
});

describe("an environment without Karpenter", () => {
  // Without Karpenter there are no NodePools (issue 18's pools included) and no Karpenter Fargate profile.
  const platform = buildPlatform(Testing.app(), [
    { ...development, eks: { ...development.eks, karpenter: false }, nodePools: {}, fargate: {} },
    staging,
    production,
  ]);
  const addons = JSON.parse(Testing.synth(platform.addons.development));
  const workloads = JSON.parse(Testing.synth(platform.workloads.development));

  it("installs no Karpenter chart and no NodePool, and keeps the release chain intact", () => {
    const releases = configsOf(addons, "helm_release");
    expect(releases.map((r) => r.name)).not.toContain("karpenter");
    expect(releases.map((r) => r.name)).not.toContain("karpenter-crd");
    const metrics = releases.find((r) => r.name === "metrics-server")!;
    expect(metrics.depends_on).toEqual([expect.stringMatching(/^helm_release\.external-secrets_chart_release_/)]);
    const kinds = configsOf(workloads, "kubernetes_manifest").map((m) => m.manifest.kind);
    expect(kinds).not.toContain("NodePool");
    expect(kinds).not.toContain("EC2NodeClass");
    expect(kinds).toContain("ClusterSecretStore");
  });
});

describe("Karpenter controller", () => {
  it("refuses a CRD chart version different from the controller's", () => {
    expect(() =>
      Testing.synthScope((scope) => {
        new KarpenterController(scope, "k", {
          where: "staging.kubernetes.karpenter",
          cluster: { naming: new Naming("aivo", "staging"), karpenter: { controllerRoleArn: "a", nodeRoleName: "n", queueName: "q" }, clusterName: "c" } as never,
          chart: HELM_CHARTS.karpenter,
          crdChart: { ...HELM_CHARTS.karpenterCrd, version: "1.13.0" },
        });
      }),
    ).toThrow("staging.kubernetes.karpenter.version: karpenter 1.14.1 and karpenter-crd 1.13.0 differ; pin both to one version");
  });
});

describe("EKS private access for an in-VPC runner", () => {
  const props = { naming: new Naming("aivo", "staging"), vpcId: "vpc-1", privateSubnetIds: ["subnet-1", "subnet-2"], logRetentionDays: 30 };

  it("admits each runner CIDR to the API on 443", () => {
    const json = Testing.synthScope((scope) => {
      new EksCluster(scope, "eks", { ...props, privateAccessCidrs: ["10.20.50.0/24"] });
    });
    const rules = configsOf(json, "aws_vpc_security_group_ingress_rule").filter((r) => r.cidr_ipv4);
    expect(rules).toEqual([expect.objectContaining({ cidr_ipv4: "10.20.50.0/24", ip_protocol: "tcp", from_port: 443, to_port: 443 })]);
    expect(rules[0].security_group_id).toMatch(/eks_cluster-sg/);
  });

  it.each([
    ["0.0.0.0/0", "staging.eks.privateAccessCidrs[0]: 0.0.0.0/0 admits everything; list the runner subnets' CIDRs"],
    ["10.20.50.1/24", "staging.eks.privateAccessCidrs[0]: 10.20.50.1/24 has host bits set; use 10.20.50.0/24"],
    ["runner", 'staging.eks.privateAccessCidrs[0]: "runner" is not a CIDR'],
  ])("rejects %s", (cidr, message) => {
    expect(() => Testing.synthScope((scope) => new EksCluster(scope, "eks", { ...props, privateAccessCidrs: [cidr] }))).toThrow(message);
  });
});
