// Managed node groups: one launch template (IMDSv2, encrypted gp3 root volume, no key pair, kubelet
// maxPods under custom networking) and one EKS managed node group per configured group.
import { ITerraformDependable, Token } from "cdktf";
import { Construct } from "constructs";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Naming } from "../../../shared/naming";
import { customNetworkingMaxPods } from "./pod-capacity";
import {
  ENVIRONMENT_LABEL,
  NODE_GROUP_MAX_UNAVAILABLE_PERCENTAGE,
  NODE_METADATA_HOP_LIMIT,
  NODE_ROOT_DEVICE,
  NODE_TYPE_LABEL,
  NodeGroupSettings,
} from "./settings";

/** What the node groups are built from: the cluster, its node role, network and keys. */
export interface NodeGroupsProps {
  readonly naming: Naming;
  /** The cluster's name as written (prefixes, descriptions, tags). */
  readonly clusterName: string;
  /** The cluster's `name` attribute (a reference, so the groups wait for the cluster). */
  readonly clusterNameRef: string;
  /** The cluster's `version` attribute (a reference, so a control-plane upgrade is followed). */
  readonly clusterVersion: string;
  readonly nodeRoleArn: string;
  readonly nodeSecurityGroupId: string;
  readonly subnetIds: string[];
  readonly ebsKeyArn: string;
  /** Kubelet's maxPods is capped to the secondary ENIs' addresses (VPC CNI custom networking). */
  readonly customNetworking: boolean;
  readonly instanceTags: Readonly<Record<string, string>>;
  /** What every group waits for: the networking add-ons and the node role's policies. */
  readonly dependsOn: ITerraformDependable[];
}

/** Creates the launch templates and node groups in `scope` (ids `launch-template-<name>`, `node-group-<name>`). */
export function createNodeGroups(
  scope: Construct,
  groups: Readonly<Record<string, NodeGroupSettings>>,
  props: NodeGroupsProps,
): { nodeGroups: Record<string, EksNodeGroup>; launchTemplates: Record<string, LaunchTemplate> } {
  const { naming, clusterName } = props;
  const nodeGroups: Record<string, EksNodeGroup> = {};
  const launchTemplates: Record<string, LaunchTemplate> = {};
  for (const [name, group] of Object.entries(groups)) {
    const launchTemplate = new LaunchTemplate(scope, `launch-template-${name}`, {
      namePrefix: `${clusterName}-${name}-`,
      description: `Node group ${name} of ${clusterName}: IMDSv2, encrypted gp3 root volume, no key pair`,
      updateDefaultVersion: true,
      vpcSecurityGroupIds: [props.nodeSecurityGroupId],
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: NODE_METADATA_HOP_LIMIT,
        instanceMetadataTags: "disabled",
      },
      blockDeviceMappings: [
        {
          deviceName: NODE_ROOT_DEVICE,
          ebs: {
            volumeSize: group.diskSizeGiB ?? 50,
            volumeType: "gp3",
            encrypted: "true",
            kmsKeyId: props.ebsKeyArn,
            deleteOnTermination: "true",
          },
        },
      ],
      // With custom networking only the secondary ENIs carry pods: kubelet must not accept more.
      ...(props.customNetworking
        ? { userData: nodeConfigUserData(customNetworkingMaxPods(group.instanceTypes, `${naming.environment}.eks.nodeGroups.${name}.instanceTypes`)) }
        : {}),
      tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
        resourceType,
        tags: { ...props.instanceTags, Name: `${clusterName}-${name}` },
      })),
      lifecycle: { createBeforeDestroy: true },
    });
    launchTemplates[name] = launchTemplate;
    nodeGroups[name] = new EksNodeGroup(scope, `node-group-${name}`, {
      clusterName: props.clusterNameRef,
      // A prefix + create_before_destroy: a change EKS cannot apply in place (instance types,
      // capacity type) brings the new group up before the old one drains.
      nodeGroupNamePrefix: `${name}-`,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: props.subnetIds,
      version: props.clusterVersion,
      amiType: amiTypeFor(group.instanceTypes),
      capacityType: group.capacityType,
      instanceTypes: [...group.instanceTypes],
      scalingConfig: { minSize: group.minSize, desiredSize: group.desiredSize, maxSize: group.maxSize },
      updateConfig: { maxUnavailablePercentage: NODE_GROUP_MAX_UNAVAILABLE_PERCENTAGE },
      labels: { ...(group.labels ?? {}), [NODE_TYPE_LABEL]: name, [ENVIRONMENT_LABEL]: naming.environment },
      ...(group.taints?.length
        ? { taint: group.taints.map((t) => ({ key: t.key, effect: t.effect, ...(t.value !== undefined ? { value: t.value } : {}) })) }
        : {}),
      launchTemplate: { id: launchTemplate.id, version: Token.asString(launchTemplate.latestVersion) },
      nodeRepairConfig: { enabled: true },
      lifecycle: { createBeforeDestroy: true, ignoreChanges: ["scaling_config[0].desired_size"] },
      dependsOn: props.dependsOn,
    });
  }
  return { nodeGroups, launchTemplates };
}

/**
 * Launch-template user data for an AL2023 managed node: a MIME part with an nodeadm `NodeConfig` that
 * sets kubelet's `maxPods`; EKS merges it with the NodeConfig it generates (launch template without
 * an AMI id), base64-encoded as the launch template expects.
 */
export function nodeConfigUserData(maxPods: number): string {
  const boundary = "AIVO-NODECONFIG";
  const mime = [
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    "Content-Type: application/node.eks.aws",
    "",
    "---",
    "apiVersion: node.eks.aws/v1alpha1",
    "kind: NodeConfig",
    "spec:",
    "  kubelet:",
    "    config:",
    `      maxPods: ${maxPods}`,
    "",
    `--${boundary}--`,
    "",
  ].join("\n");
  return Buffer.from(mime, "utf8").toString("base64");
}

/** True when ordinary pods (CoreDNS, the EBS CSI controller) can schedule on the group: no NoSchedule/NoExecute taint. */
export function isSchedulable(group: NodeGroupSettings): boolean {
  return !(group.taints ?? []).some((t) => t.effect !== "PREFER_NO_SCHEDULE");
}

/** Graviton families have a `g` right after the generation digit: m7g, c7gn, r8g, t4g, x2gd, im4gn. */
export function isArm(instanceType: string): boolean {
  return /^[a-z]+\d+g[a-z-]*\./.test(instanceType);
}

/** The AL2023 AMI type of a group: ARM for Graviton families, x86_64 otherwise. */
export function amiTypeFor(instanceTypes: readonly string[]): string {
  return isArm(instanceTypes[0]) ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD";
}
