// EKS managed add-ons: vpc-cni (network policy, custom networking), pod identity agent, kube-proxy
// before the nodes; CoreDNS and the EBS CSI driver after them. vpc-cni and the EBS CSI driver run with
// IRSA roles of their own, so the node role carries no CNI or EBS policy.
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { AwsContext } from "../../../shared/aws-context";
import { PolicyStatement, managedPolicyArn } from "../../../shared/iam";
import { Naming } from "../../../shared/naming";
import { ServiceAccountRole } from "../irsa-role";
import { EBS_CSI_SERVICE_ACCOUNT, EKS_ADDONS, EksAddonName, VPC_CNI_SERVICE_ACCOUNT } from "./settings";

/** What an add-on is installed with beyond its name and version. */
export interface AddonConfig {
  readonly serviceAccountRoleArn?: string;
  readonly configurationValues?: string;
}

/** The add-ons in install order: those EKS needs before any node first (`EKS_ADDONS[n].beforeCompute`). */
export const ADDON_NAMES = Object.keys(EKS_ADDONS) as EksAddonName[];

/**
 * The vpc-cni add-on's configuration: network policy enforcement, and with pod subnets VPC CNI custom
 * networking, whose ENIConfigs (one per AZ, named like the zone label) the add-on creates before any
 * node joins.
 */
export function vpcCniConfiguration(region: string, podSubnetIdsByAz: Readonly<Record<string, string>>, nodeSecurityGroupId: string): string {
  const podSubnets = Object.entries(podSubnetIdsByAz);
  return JSON.stringify({
    // Network policy enforcement for the document's pod-to-pod network policies.
    enableNetworkPolicy: "true",
    ...(podSubnets.length > 0
      ? {
          // Custom networking: a node's secondary ENIs (its pods) go to the pod subnet of its AZ,
          // found through the ENIConfig named like the node's zone label.
          env: { AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true", ENI_CONFIG_LABEL_DEF: "topology.kubernetes.io/zone" },
          // The add-on creates the ENIConfigs itself, before any node joins (a node that joins
          // without one keeps pod addresses from its own subnet until it is replaced).
          eniConfig: {
            create: true,
            region,
            subnets: Object.fromEntries(podSubnets.map(([zone, id]) => [zone, { id, securityGroups: [nodeSecurityGroupId] }])),
          },
        }
      : {}),
  });
}

/** Creates one managed add-on in `scope` (id `addon-<name>`), conflicts resolved by overwriting. */
export function createManagedAddon(
  scope: Construct,
  name: EksAddonName,
  props: { readonly clusterName: string; readonly version?: string; readonly config: AddonConfig; readonly dependsOn: ITerraformDependable[] },
): EksAddon {
  return new EksAddon(scope, `addon-${name}`, {
    clusterName: props.clusterName,
    addonName: name,
    ...(props.version ? { addonVersion: props.version } : {}),
    ...props.config,
    resolveConflictsOnCreate: "OVERWRITE",
    resolveConflictsOnUpdate: "OVERWRITE",
    ...(props.dependsOn.length ? { dependsOn: props.dependsOn } : {}),
  });
}

/** The IRSA roles of the add-ons that call AWS: vpc-cni (`aws-node`) and the EBS CSI controller. */
export function createAddonRoles(
  scope: Construct,
  props: { readonly naming: Naming; readonly clusterName: string; readonly oidcProviderArn: string; readonly oidcIssuerUrl: string; readonly ebsKeyArn: string },
): { vpcCniRole: ServiceAccountRole; ebsCsiRole: ServiceAccountRole } {
  const context = AwsContext.of(scope);
  const { naming, clusterName } = props;
  const vpcCniRole = new ServiceAccountRole(scope, "vpc-cni-role", {
    naming,
    name: "eks-vpc-cni",
    description: `VPC CNI (aws-node) of ${clusterName}`,
    oidcProviderArn: props.oidcProviderArn,
    oidcIssuerUrl: props.oidcIssuerUrl,
    namespace: VPC_CNI_SERVICE_ACCOUNT.namespace,
    serviceAccount: VPC_CNI_SERVICE_ACCOUNT.name,
    managedPolicyArns: { AmazonEKS_CNI_Policy: managedPolicyArn(context.partition, "AmazonEKS_CNI_Policy") },
  });
  const ebsCsiRole = new ServiceAccountRole(scope, "ebs-csi-role", {
    naming,
    name: "eks-ebs-csi-driver",
    description: `EBS CSI driver controller of ${clusterName}`,
    oidcProviderArn: props.oidcProviderArn,
    oidcIssuerUrl: props.oidcIssuerUrl,
    namespace: EBS_CSI_SERVICE_ACCOUNT.namespace,
    serviceAccount: EBS_CSI_SERVICE_ACCOUNT.name,
    managedPolicyArns: {
      AmazonEBSCSIDriverPolicy: managedPolicyArn(context.partition, "service-role/AmazonEBSCSIDriverPolicy"),
    },
    statements: ebsKeyUseStatements(props.ebsKeyArn, context),
  });
  return { vpcCniRole, ebsCsiRole };
}

/**
 * What a principal needs to create and attach volumes encrypted with the EBS CMK through EC2 (the EBS
 * CSI driver, Karpenter's `CreateFleet`): data-key use and grants for AWS resources, via EC2 only.
 */
export function ebsKeyUseStatements(keyArn: string, context: AwsContext): PolicyStatement[] {
  const viaEc2 = { "kms:ViaService": `ec2.${context.region}.amazonaws.com` };
  return [
    {
      Sid: "UseEbsKeyThroughEc2",
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: keyArn,
      Condition: { StringEquals: viaEc2 },
    },
    {
      Sid: "GrantEbsKeyToEc2Resources",
      Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
      Resource: keyArn,
      Condition: { StringEquals: viaEc2, Bool: { "kms:GrantIsForAWSResource": true } },
    },
  ];
}
