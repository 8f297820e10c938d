import { Fn, ITerraformDependable, TerraformLocal, Token } from "cdktf";
import { Construct } from "constructs";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { AwsContext } from "../../../shared/aws-context";
import { checkCidr } from "../../../shared/cidr";
import { EksNodeRole } from "../eks-node-role";
import { PolicyStatement, managedPolicyArn, policyDocument, serviceAssumeRolePolicy } from "../../../shared/iam";
import { IRSA_AUDIENCE, ServiceAccountRole } from "../irsa-role";
import { KARPENTER_DISCOVERY_TAG_KEY, KarpenterPrerequisites } from "../karpenter-prerequisites";
import { assertLogRetentionDays } from "../../../shared/log-retention";
import { CustomerManagedKey } from "../../../shared/kms";
import { EncryptedLogGroups } from "../../observability/log-group";
import { Naming } from "../../../shared/naming";
import { serviceLinkedRoleArn } from "../../security/service-linked-roles";
import { customNetworkingMaxPods } from "./pod-capacity";

export { ENI_LIMITS, addressesPerNode, assertPodCapacity, customNetworkingMaxPods } from "./pod-capacity";
export type { EniLimits, NodeDemand, PodSubnetPlan } from "./pod-capacity";

// ---------------------------------------------------------------------------------------------------
// Constants shared with environments, tests and other modules
// ---------------------------------------------------------------------------------------------------

/** Kubernetes version of new clusters. The document's 1.28 has left EKS support and cannot be created. */
export const DEFAULT_KUBERNETES_VERSION = "1.35";

/** Every control-plane log type EKS can ship to CloudWatch Logs (production enables all five). */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;
export type ControlPlaneLogType = (typeof CONTROL_PLANE_LOG_TYPES)[number];
/** The control-plane logs enabled unless an environment says otherwise. */
export const DEFAULT_CONTROL_PLANE_LOG_TYPES: readonly ControlPlaneLogType[] = ["api", "audit", "authenticator"];

/** Node label carrying the node group's name (`general`, `spot`, `memory`). */
export const NODE_TYPE_LABEL = "node-type";
/** Node label carrying the environment name. */
export const ENVIRONMENT_LABEL = "environment";
/** Taint key that keeps general workloads off the specialised node groups. */
export const WORKLOAD_TYPE_TAINT_KEY = "workload-type";

export const CAPACITY_TYPES = ["ON_DEMAND", "SPOT"] as const;
export type CapacityType = (typeof CAPACITY_TYPES)[number];
export const TAINT_EFFECTS = ["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"] as const;
export type TaintEffect = (typeof TAINT_EFFECTS)[number];
export const UPGRADE_SUPPORT_TYPES = ["STANDARD", "EXTENDED"] as const;
export type UpgradeSupportType = (typeof UPGRADE_SUPPORT_TYPES)[number];

/**
 * Ports the control plane may open on nodes: the kubelet, and the webhooks and extension API servers
 * of the platform's controllers (no 1025-65535 range). Add a port here when a controller needs one.
 */
export const CONTROL_PLANE_TO_NODE_PORTS: Readonly<Record<string, { readonly port: number; readonly what: string }>> = {
  "443": { port: 443, what: "webhooks and extension API servers on 443" },
  "4443": { port: 4443, what: "metrics-server on host networking, prometheus-adapter" },
  "6443": { port: 6443, what: "extension API servers on 6443" },
  "8443": { port: 8443, what: "Karpenter webhook" },
  "9443": { port: 9443, what: "AWS Load Balancer Controller and Kyverno webhooks" },
  kubelet: { port: 10250, what: "kubelet API (logs, exec); cert-manager, External Secrets and metrics-server webhooks/APIs" },
  "10251": { port: 10251, what: "metrics-server on host networking (alternative port)" },
};

/** Share of a node group's nodes that may be replaced at once during a rolling update. */
export const NODE_GROUP_MAX_UNAVAILABLE_PERCENTAGE = 25;
/**
 * IMDS hop limit 1: only the node itself (and host-network pods such as aws-node and kube-proxy)
 * reaches the instance metadata service; a pod's extra network hop drops the reply, so no pod can take
 * the node role's credentials. Every controller that calls AWS gets its own role instead (IRSA:
 * vpc-cni, the EBS CSI controller and Karpenter here; the AWS Load Balancer Controller, External
 * Secrets, external-dns and cert-manager in the add-ons stack), and is given its region (and the
 * ALB controller its VPC id) by configuration rather than from IMDS.
 */
export const NODE_METADATA_HOP_LIMIT = 1;
/** Root device of the AL2023 EKS AMIs, where the launch template's encrypted gp3 volume goes. */
export const NODE_ROOT_DEVICE = "/dev/xvda";
/** The smallest root volume the AL2023 EKS AMI snapshot fits on. */
const MIN_DISK_SIZE_GIB = 20;

/**
 * The EKS managed add-ons the module installs. `beforeCompute` add-ons are created before the node
 * groups (the cluster is created with `bootstrap_self_managed_addons = false`, so a node would find no
 * CNI and no Service routing otherwise); the others need running nodes (their Deployments must schedule
 * for the add-on to turn ACTIVE) and are created after every node group.
 */
export const EKS_ADDONS = {
  "vpc-cni": { beforeCompute: true },
  "eks-pod-identity-agent": { beforeCompute: true },
  "kube-proxy": { beforeCompute: true },
  coredns: { beforeCompute: false },
  "aws-ebs-csi-driver": { beforeCompute: false },
} as const;
export type EksAddonName = keyof typeof EKS_ADDONS;

/** Service accounts of the add-ons that get their own IRSA role. */
export const VPC_CNI_SERVICE_ACCOUNT = { namespace: "kube-system", name: "aws-node" } as const;
export const EBS_CSI_SERVICE_ACCOUNT = { namespace: "kube-system", name: "ebs-csi-controller-sa" } as const;

// ---------------------------------------------------------------------------------------------------
// Settings (per environment, at `<env>.eks`) and props (settings + wiring)
// ---------------------------------------------------------------------------------------------------

/** A Kubernetes taint every node of a group carries. */
export interface NodeTaint {
  /** Taint key, e.g. `workload-type`. */
  readonly key: string;
  /** Taint value, e.g. `spot`. @default no value */
  readonly value?: string;
  /** What happens to pods that do not tolerate it. */
  readonly effect: TaintEffect;
}

/** One EKS managed node group. */
export interface NodeGroupSettings {
  /**
   * EC2 instance types, in order of preference (all of one CPU architecture: x86_64 gets the
   * `AL2023_x86_64_STANDARD` AMI, Graviton types such as `m7g.large` get `AL2023_ARM_64_STANDARD`).
   */
  readonly instanceTypes: readonly string[];
  /** `ON_DEMAND` for steady workloads, `SPOT` for interruptible ones. */
  readonly capacityType: CapacityType;
  /** Fewest nodes the group scales in to. */
  readonly minSize: number;
  /** Nodes at creation; afterwards the autoscaler owns it (Terraform ignores later changes). */
  readonly desiredSize: number;
  /** Most nodes the group scales out to (≥ 1). */
  readonly maxSize: number;
  /**
   * Extra Kubernetes labels. `node-type` (the group's name) and `environment` are always set and cannot
   * be overridden here. @default none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /** Taints, so only pods that tolerate them land on the group. @default none */
  readonly taints?: readonly NodeTaint[];
  /** Size of the encrypted gp3 root volume in GiB (≥ 20). @default 50 */
  readonly diskSizeGiB?: number;
}

/** The infrastructure document's three node groups, sized for development; environments override scaling. */
export const DEFAULT_NODE_GROUPS: Readonly<Record<"general" | "spot" | "memory", NodeGroupSettings>> = {
  /**
   * Core services and every controller of `<env>-addons` (they select `node-type=general`). xlarge only:
   * kubelet `maxPods` is the smallest type's (m6i.large: 20 with custom networking, 7 of them DaemonSets),
   * and 2 xlarge nodes (2 × 44 slots) hold the add-ons with headroom (the capacity check, modules/kubernetes/capacity).
   */
  general: {
    instanceTypes: ["m6i.xlarge", "m5.xlarge"],
    capacityType: "ON_DEMAND",
    minSize: 2,
    desiredSize: 2,
    maxSize: 4,
  },
  /** Non-critical workloads that tolerate interruption; tainted so only tolerating pods land there. */
  spot: {
    instanceTypes: ["m6i.large", "m5.large"],
    capacityType: "SPOT",
    minSize: 0,
    desiredSize: 1,
    maxSize: 4,
    taints: [{ key: WORKLOAD_TYPE_TAINT_KEY, value: "spot", effect: "NO_SCHEDULE" }],
  },
  /** Memory-intensive services; tainted. */
  memory: {
    instanceTypes: ["r6i.large", "r6i.xlarge"],
    capacityType: "ON_DEMAND",
    minSize: 0,
    desiredSize: 0,
    maxSize: 2,
    taints: [{ key: WORKLOAD_TYPE_TAINT_KEY, value: "memory", effect: "NO_SCHEDULE" }],
  },
};

/** Per-environment EKS tunables (the environment config holds this object at `<env>.eks`). */
export interface EksSettings {
  /** Kubernetes minor version, `1.<minor>`. @default "1.35" */
  readonly kubernetesVersion?: string;
  /**
   * What happens when the version leaves standard support: `STANDARD` upgrades the cluster automatically
   * at the end of standard support; `EXTENDED` keeps it running (extended support is billed at a higher
   * hourly rate). @default "STANDARD"
   */
  readonly upgradeSupportType?: UpgradeSupportType;
  /** Turn on the public API endpoint (the private endpoint is always on). @default false */
  readonly endpointPublicAccess?: boolean;
  /**
   * CIDRs allowed to reach the public endpoint; required (non-empty) when `endpointPublicAccess` is on,
   * must be empty when it is off. Never `0.0.0.0/0` or `::/0`. @default []
   */
  readonly publicAccessCidrs?: readonly string[];
  /**
   * CIDRs inside the VPC (a deploy runner's subnets) admitted to the private API endpoint on 443, for
   * deploying with the public endpoint off. Never `0.0.0.0/0`. @default []
   */
  readonly privateAccessCidrs?: readonly string[];
  /** Control-plane log types sent to `/aws/eks/<cluster>/cluster`; must include `audit`. @default ["api", "audit", "authenticator"] */
  readonly controlPlaneLogTypes?: readonly ControlPlaneLogType[];
  /**
   * Further IAM role ARNs given cluster-admin (access entry + `AmazonEKSClusterAdminPolicy`, cluster
   * scope), besides the module's own admin role (`createAdminRole`). The cluster is created with
   * `bootstrap_cluster_creator_admin_permissions = false`: these roles are the only Kubernetes admins.
   * @default []
   */
  readonly adminRoleArns?: readonly string[];
  /**
   * Create `aivo-<env>-eks-admin`, an IAM role trusted by this account (so the account's IAM policies
   * decide who may assume it: the CI deploy role, the platform team's SSO role) and give it
   * cluster-admin. It is how people and the add-ons stack reach the cluster without the cluster
   * creator's implicit admin. @default true
   */
  readonly createAdminRole?: boolean;
  /** Managed node groups keyed by name (the name becomes the `node-type` label). @default DEFAULT_NODE_GROUPS */
  readonly nodeGroups?: Readonly<Record<string, NodeGroupSettings>>;
  /**
   * Pinned add-on versions, e.g. `{ coredns: "v1.12.4-eksbuild.1" }`. An add-on without an entry gets
   * the version EKS picks as default for the cluster's Kubernetes version at creation time (and keeps it
   * until a version is pinned here). @default {}
   */
  readonly addonVersions?: Readonly<Partial<Record<EksAddonName, string>>>;
  /** EKS deletion protection: the cluster cannot be deleted until this is turned off. @default true */
  readonly deletionProtection?: boolean;
  /** Create the Karpenter prerequisites (roles, interruption queue, EventBridge rules). @default true */
  readonly karpenter?: boolean;
  /**
   * The most nodes Karpenter may launch (its NodePools' limits, set in the add-ons stack) and the
   * largest instance types it may pick: counted, with the node groups' maximums, by the check that
   * the pod subnets hold every pod address (environments/validate.ts). @default none
   */
  readonly karpenterNodeAllowance?: { readonly instanceTypes: readonly string[]; readonly maxNodes: number };
}

/** Settings plus the wiring a stack passes in. */
export interface EksClusterProps extends EksSettings {
  /** Names the cluster `aivo-<env>-eks` and everything around it. */
  readonly naming: Naming;
  /** VPC of the cluster's and nodes' security groups. */
  readonly vpcId: string;
  /** Private subnets (≥ 2 AZs) for the control-plane ENIs and every node. */
  readonly privateSubnetIds: string[];
  /**
   * Pod subnets by AZ (the network's `podSubnetIdsByAz`): turns on VPC CNI custom networking, with
   * one ENIConfig per AZ created by the vpc-cni add-on itself (so they exist before any node joins)
   * and each node group's kubelet `maxPods` lowered to what its secondary ENIs hold.
   * @default none: pods take addresses from the node subnets
   */
  readonly podSubnetIdsByAz?: Readonly<Record<string, string>>;
  /** Retention of the control-plane log group, a value CloudWatch Logs accepts. */
  readonly logRetentionDays: number;
  /**
   * Tags stamped on node instances, volumes and ENIs through the launch templates (provider
   * `default_tags` do not reach what Auto Scaling launches), e.g. the cost-allocation tags. @default none
   */
  readonly instanceTags?: Readonly<Record<string, string>>;
}

// ---------------------------------------------------------------------------------------------------
// The construct
// ---------------------------------------------------------------------------------------------------

/**
 * An EKS cluster `aivo-<env>-eks` with everything it needs to run workloads:
 * - control plane in the private subnets, private endpoint (public only with an allowlist), secrets
 *   envelope-encrypted with a CMK, control-plane logs in a KMS-encrypted log group with retention,
 *   `API` authentication with access entries for the admin roles;
 * - managed node groups (AL2023, private subnets, launch template with IMDSv2 and an encrypted gp3 root
 *   volume), a node role without the CNI policy;
 * - managed add-ons (vpc-cni and ebs-csi with IRSA roles), the IAM OIDC provider, the cluster and node
 *   security groups, and the Karpenter prerequisites.
 */
export class EksCluster extends Construct {
  /** The cluster resource (escape hatch). */
  readonly cluster: EksClusterResource;
  /** `aivo-<env>-eks`, a plain string (`aws eks update-kubeconfig --name …`). */
  readonly clusterName: string;
  /** The cluster ARN. */
  readonly clusterArn: string;
  /** The API server endpoint URL. */
  readonly clusterEndpoint: string;
  /** Base64 CA bundle of the API server (for kubernetes/helm providers). */
  readonly clusterCertificateAuthorityData: string;
  /** ARN of the cluster's IAM OIDC provider (IRSA trust policies). */
  readonly oidcProviderArn: string;
  /** The OIDC issuer without `https://` (IRSA condition keys `<issuer>:sub`, `<issuer>:aud`). */
  readonly oidcIssuerUrl: string;
  /** The managed node groups' role ARN. */
  readonly nodeRoleArn: string;
  /** The additional security group of the control plane. */
  readonly clusterSecurityGroupId: string;
  /** The security group of every node (managed and Karpenter-launched). */
  readonly nodeSecurityGroupId: string;
  /** The security group EKS creates and attaches to the control plane ENIs. */
  readonly clusterPrimarySecurityGroupId: string;
  /** ARN of `aivo-<env>-eks-admin`, the cluster-admin role; undefined when `createAdminRole` is false. */
  readonly adminRoleArn?: string;
  /** ARN of the CMK for node root volumes; use it for EBS CSI StorageClasses (`kmsKeyId`) too. */
  readonly ebsKmsKeyArn: string;
  /** The managed node groups by name (escape hatch). */
  readonly nodeGroups: Record<string, EksNodeGroup>;
  /** The launch templates by node group name (escape hatch). */
  readonly launchTemplates: Record<string, LaunchTemplate>;
  /** The managed add-ons by name (escape hatch). */
  readonly addons: Record<EksAddonName, EksAddon>;
  /** Karpenter's roles, queue and rules; undefined when `karpenter` is false. */
  readonly karpenter?: KarpenterPrerequisites;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const settings = validateEksProps(props);
    const { naming } = props;
    const context = AwsContext.of(this);
    const clusterName = naming.name("eks");
    this.clusterName = clusterName;

    // --- keys --------------------------------------------------------------------------------------
    const secretsKey = new CustomerManagedKey(this, "secrets-key", {
      naming,
      purpose: "eks-secrets",
      description: `Envelope encryption of Kubernetes secrets in ${clusterName}`,
    });
    // Managed node groups launch through Auto Scaling, Spot capacity through EC2 Spot: their
    // service-linked roles need the key (https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html).
    // The roles are created once per account by the account stack (modules/aws/security/service-linked-roles),
    // deployed before any environment: a key policy naming a missing role fails to apply.
    const serviceLinkedRoleStatements = (sid: string, role: string): PolicyStatement[] => [
      {
        Sid: `Allow${sid}ServiceLinkedRoleUse`,
        Principal: { AWS: role },
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: "*",
      },
      {
        Sid: `Allow${sid}ServiceLinkedRoleGrants`,
        Principal: { AWS: role },
        Action: "kms:CreateGrant",
        Resource: "*",
        Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
      },
    ];
    const ebsKey = new CustomerManagedKey(this, "ebs-key", {
      naming,
      purpose: "eks-ebs",
      description: `EBS volumes of ${clusterName} (node root volumes, persistent volumes)`,
      additionalStatements: [
        ...serviceLinkedRoleStatements("AutoScaling", serviceLinkedRoleArn(context, "autoscaling.amazonaws.com")),
        ...serviceLinkedRoleStatements("Spot", serviceLinkedRoleArn(context, "spot.amazonaws.com")),
      ],
    });
    this.ebsKmsKeyArn = ebsKey.keyArn;

    // --- control plane ------------------------------------------------------------------------------
    const clusterRole = new IamRole(this, "cluster-role", {
      name: naming.name("eks", "cluster"),
      description: `EKS control plane of ${clusterName}`,
      assumeRolePolicy: serviceAssumeRolePolicy("eks.amazonaws.com"),
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, "cluster-role-policy", {
      role: clusterRole.name,
      policyArn: managedPolicyArn(context.partition, "AmazonEKSClusterPolicy"),
    });
    const clusterEncryption = new IamRolePolicy(this, "cluster-role-encryption", {
      name: "secrets-encryption",
      role: clusterRole.name,
      policy: policyDocument([
        {
          Sid: "UseSecretsKey",
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
          Resource: secretsKey.keyArn,
        },
      ]),
    });

    // Created here (not by EKS on first log line) so it has retention and KMS from the start.
    const logGroup = new EncryptedLogGroups(this, "logs", {
      naming,
      keyPurpose: "eks-logs",
      description: `Control-plane logs of ${clusterName}`,
      logGroups: { cluster: `/aws/eks/${clusterName}/cluster` },
      retentionInDays: props.logRetentionDays,
      retentionFieldPath: `${naming.environment}.logRetentionDays`,
    }).group("cluster");

    const { clusterSg, nodeSg } = this.securityGroups(props, clusterName, settings.karpenter);

    this.cluster = new EksClusterResource(this, "cluster", {
      name: clusterName,
      roleArn: clusterRole.arn,
      version: settings.kubernetesVersion,
      enabledClusterLogTypes: [...settings.controlPlaneLogTypes],
      // The add-ons below replace the self-managed vpc-cni/kube-proxy/coredns EKS would otherwise install.
      bootstrapSelfManagedAddons: false,
      deletionProtection: settings.deletionProtection,
      vpcConfig: {
        subnetIds: props.privateSubnetIds,
        securityGroupIds: [clusterSg.id],
        endpointPrivateAccess: true,
        endpointPublicAccess: settings.endpointPublicAccess,
        ...(settings.endpointPublicAccess ? { publicAccessCidrs: [...settings.publicAccessCidrs] } : {}),
      },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: secretsKey.keyArn } },
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      upgradePolicy: { supportType: settings.upgradeSupportType },
      dependsOn: [logGroup, clusterPolicy, clusterEncryption],
    });
    this.clusterArn = this.cluster.arn;
    this.clusterEndpoint = this.cluster.endpoint;
    this.clusterCertificateAuthorityData = this.cluster.certificateAuthority.get(0).data;
    this.clusterPrimarySecurityGroupId = this.cluster.vpcConfig.clusterSecurityGroupId;

    // --- access entries for the admins ---------------------------------------------------------------
    const admins: [key: string, arn: string][] = settings.adminRoleArns.map((arn, index) => [
      Token.isUnresolved(arn) ? `${index}` : arn.split("/").pop()!,
      arn,
    ]);
    if (settings.createAdminRole) {
      const adminRole = new IamRole(this, "admin-role", {
        name: naming.name("eks-admin"),
        description: `Cluster-admin of ${clusterName}; who may assume it is decided by the account's IAM policies`,
        maxSessionDuration: 3600,
        assumeRolePolicy: policyDocument([
          { Sid: "AllowAccountPrincipals", Principal: { AWS: context.accountRootArn }, Action: ["sts:AssumeRole", "sts:TagSession"] },
        ]),
      });
      this.adminRoleArn = adminRole.arn;
      admins.unshift(["eks-admin-role", adminRole.arn]);
    }
    admins.forEach(([key, arn]) => {
      const entry = new EksAccessEntry(this, `admin-${key}`, {
        clusterName: this.cluster.name,
        principalArn: arn,
        type: "STANDARD",
      });
      new EksAccessPolicyAssociation(this, `admin-${key}-policy`, {
        clusterName: this.cluster.name,
        principalArn: entry.principalArn,
        policyArn: `arn:${context.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
        accessScope: { type: "cluster" },
      });
    });

    // --- workload identity ---------------------------------------------------------------------------
    // No thumbprint_list: IAM validates EKS OIDC issuers against its trusted root CAs and ignores
    // thumbprints for them (and the repository has no tls provider to compute one).
    const issuer = this.cluster.identity.get(0).oidc.get(0).issuer;
    const oidcProvider = new IamOpenidConnectProvider(this, "oidc-provider", {
      url: issuer,
      clientIdList: [IRSA_AUDIENCE],
    });
    this.oidcProviderArn = oidcProvider.arn;
    // A local, so every trust policy references `${local.…}` instead of repeating a replace() call.
    this.oidcIssuerUrl = new TerraformLocal(this, "oidc-issuer", Fn.replace(issuer, "https://", "")).asString;

    const vpcCniRole = new ServiceAccountRole(this, "vpc-cni-role", {
      naming,
      name: "eks-vpc-cni",
      description: `VPC CNI (aws-node) of ${clusterName}`,
      oidcProviderArn: this.oidcProviderArn,
      oidcIssuerUrl: this.oidcIssuerUrl,
      namespace: VPC_CNI_SERVICE_ACCOUNT.namespace,
      serviceAccount: VPC_CNI_SERVICE_ACCOUNT.name,
      managedPolicyArns: { AmazonEKS_CNI_Policy: managedPolicyArn(context.partition, "AmazonEKS_CNI_Policy") },
    });
    const ebsCsiRole = new ServiceAccountRole(this, "ebs-csi-role", {
      naming,
      name: "eks-ebs-csi-driver",
      description: `EBS CSI driver controller of ${clusterName}`,
      oidcProviderArn: this.oidcProviderArn,
      oidcIssuerUrl: this.oidcIssuerUrl,
      namespace: EBS_CSI_SERVICE_ACCOUNT.namespace,
      serviceAccount: EBS_CSI_SERVICE_ACCOUNT.name,
      managedPolicyArns: {
        AmazonEBSCSIDriverPolicy: managedPolicyArn(context.partition, "service-role/AmazonEBSCSIDriverPolicy"),
      },
      statements: ebsKeyUseStatements(ebsKey.keyArn, context),
    });

    // --- add-ons that must exist before any node --------------------------------------------------------
    const podSubnets = Object.entries(props.podSubnetIdsByAz ?? {});
    const customNetworking = podSubnets.length > 0;
    const vpcCniConfig = {
      // Network policy enforcement for the document's pod-to-pod network policies.
      enableNetworkPolicy: "true",
      ...(customNetworking
        ? {
            // Custom networking: a node's secondary ENIs (its pods) go to the pod subnet of its AZ,
            // found through the ENIConfig named like the node's zone label.
            env: { AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true", ENI_CONFIG_LABEL_DEF: "topology.kubernetes.io/zone" },
            // The add-on creates the ENIConfigs itself, before any node joins (a node that joins
            // without one keeps pod addresses from its own subnet until it is replaced).
            eniConfig: {
              create: true,
              region: context.region,
              subnets: Object.fromEntries(podSubnets.map(([zone, id]) => [zone, { id, securityGroups: [nodeSg.id] }])),
            },
          }
        : {}),
    };
    const addonConfig: Record<EksAddonName, { serviceAccountRoleArn?: string; configurationValues?: string }> = {
      "vpc-cni": { serviceAccountRoleArn: vpcCniRole.roleArn, configurationValues: JSON.stringify(vpcCniConfig) },
      "eks-pod-identity-agent": {},
      "kube-proxy": {},
      coredns: {},
      "aws-ebs-csi-driver": { serviceAccountRoleArn: ebsCsiRole.roleArn },
    };
    const addons = {} as Record<EksAddonName, EksAddon>;
    const makeAddon = (name: EksAddonName, dependsOn: ITerraformDependable[]) => {
      const version = settings.addonVersions[name];
      addons[name] = new EksAddon(this, `addon-${name}`, {
        clusterName: this.cluster.name,
        addonName: name,
        ...(version ? { addonVersion: version } : {}),
        ...addonConfig[name],
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        ...(dependsOn.length ? { dependsOn } : {}),
      });
    };
    const addonNames = Object.keys(EKS_ADDONS) as EksAddonName[];
    // vpc-cni waits for its role's policy: otherwise aws-node may start unauthorized and nodes stay NotReady.
    const addonPermissions: Partial<Record<EksAddonName, ITerraformDependable[]>> = {
      "vpc-cni": vpcCniRole.permissions,
      "aws-ebs-csi-driver": ebsCsiRole.permissions,
    };
    for (const name of addonNames.filter((n) => EKS_ADDONS[n].beforeCompute)) makeAddon(name, addonPermissions[name] ?? []);

    // --- nodes -------------------------------------------------------------------------------------
    const nodeRole = new EksNodeRole(this, "node-role", {
      naming,
      name: "eks-node",
      description: `Managed node groups of ${clusterName}`,
    });
    this.nodeRoleArn = nodeRole.roleArn;
    this.nodeGroups = {};
    this.launchTemplates = {};
    const beforeCompute = addonNames.filter((n) => EKS_ADDONS[n].beforeCompute).map((n) => addons[n]);
    for (const [name, group] of Object.entries(settings.nodeGroups)) {
      const launchTemplate = new LaunchTemplate(this, `launch-template-${name}`, {
        namePrefix: `${clusterName}-${name}-`,
        description: `Node group ${name} of ${clusterName}: IMDSv2, encrypted gp3 root volume, no key pair`,
        updateDefaultVersion: true,
        vpcSecurityGroupIds: [nodeSg.id],
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
              kmsKeyId: ebsKey.keyArn,
              deleteOnTermination: "true",
            },
          },
        ],
        // With custom networking only the secondary ENIs carry pods: kubelet must not accept more.
        ...(customNetworking ? { userData: nodeConfigUserData(customNetworkingMaxPods(group.instanceTypes, `${naming.environment}.eks.nodeGroups.${name}.instanceTypes`)) } : {}),
        tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
          resourceType,
          tags: { ...(props.instanceTags ?? {}), Name: `${clusterName}-${name}` },
        })),
        lifecycle: { createBeforeDestroy: true },
      });
      this.launchTemplates[name] = launchTemplate;
      this.nodeGroups[name] = new EksNodeGroup(this, `node-group-${name}`, {
        clusterName: this.cluster.name,
        // A prefix + create_before_destroy: a change EKS cannot apply in place (instance types,
        // capacity type) brings the new group up before the old one drains.
        nodeGroupNamePrefix: `${name}-`,
        nodeRoleArn: nodeRole.roleArn,
        subnetIds: props.privateSubnetIds,
        version: this.cluster.version,
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
        dependsOn: [...beforeCompute, ...nodeRole.attachments],
      });
    }

    // --- add-ons that need nodes ---------------------------------------------------------------------
    // They wait for the groups their pods can run on: untainted and on-demand (a Spot shortage in
    // another group must not stall the apply); untainted Spot groups only when there is no such group.
    const schedulable = Object.entries(settings.nodeGroups).filter(([, g]) => isSchedulable(g));
    const onDemand = schedulable.filter(([, g]) => g.capacityType === "ON_DEMAND");
    const systemGroups = (onDemand.length > 0 ? onDemand : schedulable).map(([name]) => this.nodeGroups[name]);
    for (const name of addonNames.filter((n) => !EKS_ADDONS[n].beforeCompute)) {
      makeAddon(name, [...systemGroups, ...(addonPermissions[name] ?? [])]);
    }
    this.addons = addons;

    this.clusterSecurityGroupId = clusterSg.id;
    this.nodeSecurityGroupId = nodeSg.id;

    // --- Karpenter -----------------------------------------------------------------------------------
    if (settings.karpenter) {
      this.karpenter = new KarpenterPrerequisites(this, "karpenter", {
        naming,
        clusterName: this.cluster.name,
        clusterArn: this.cluster.arn,
        oidcProviderArn: this.oidcProviderArn,
        oidcIssuerUrl: this.oidcIssuerUrl,
        additionalControllerStatements: ebsKeyUseStatements(ebsKey.keyArn, context),
      });
    }
  }

  /**
   * The control plane's additional security group and the node security group, with the rules of
   * terraform-aws-eks: nodes ↔ nodes all traffic; control plane → nodes on `CONTROL_PLANE_TO_NODE_PORTS`
   * only (443, the kubelet and the controllers' webhook ports); nodes → control plane 443; the
   * `privateAccessCidrs` → control plane 443. Nodes may reach anywhere
   * (images, AWS APIs through NAT); nothing is open to 0.0.0.0/0 inbound.
   */
  private securityGroups(props: EksClusterProps, clusterName: string, karpenter: boolean) {
    const clusterSg = new SecurityGroup(this, "cluster-sg", {
      name: props.naming.name("eks", "cluster"),
      description: `EKS control plane of ${clusterName} (additional security group)`,
      vpcId: props.vpcId,
      tags: { Name: props.naming.name("eks", "cluster") },
    });
    const nodeSg = new SecurityGroup(this, "node-sg", {
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
      new VpcSecurityGroupIngressRule(this, `node-from-cluster-${key}`, {
        securityGroupId: nodeSg.id,
        referencedSecurityGroupId: clusterSg.id,
        ipProtocol: "tcp",
        fromPort: from,
        toPort: to,
        description: `Control plane to nodes: ${what}`,
      });
      new VpcSecurityGroupEgressRule(this, `cluster-to-node-${key}`, {
        securityGroupId: clusterSg.id,
        referencedSecurityGroupId: nodeSg.id,
        ipProtocol: "tcp",
        fromPort: from,
        toPort: to,
        description: `Control plane to nodes: ${what}`,
      });
    }
    new VpcSecurityGroupIngressRule(this, "node-from-node", {
      securityGroupId: nodeSg.id,
      referencedSecurityGroupId: nodeSg.id,
      ipProtocol: "-1",
      description: "Node to node: pods, CoreDNS, service traffic",
    });
    new VpcSecurityGroupIngressRule(this, "cluster-from-node-443", {
      securityGroupId: clusterSg.id,
      referencedSecurityGroupId: nodeSg.id,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      description: "Nodes and pods to the Kubernetes API",
    });
    for (const cidr of props.privateAccessCidrs ?? []) {
      new VpcSecurityGroupIngressRule(this, `cluster-from-runner-${cidr.replace(/[./]/g, "-")}`, {
        securityGroupId: clusterSg.id,
        cidrIpv4: cidr,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: `Deploy runner ${cidr} to the Kubernetes API (private endpoint)`,
      });
    }
    new VpcSecurityGroupEgressRule(this, "node-egress-all", {
      securityGroupId: nodeSg.id,
      cidrIpv4: "0.0.0.0/0",
      ipProtocol: "-1",
      description: "Nodes to anywhere: image registries, AWS APIs, the internet through NAT",
    });
    return { clusterSg, nodeSg };
  }
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
function isSchedulable(group: NodeGroupSettings): boolean {
  return !(group.taints ?? []).some((t) => t.effect !== "PREFER_NO_SCHEDULE");
}

/** Graviton families have a `g` right after the generation digit: m7g, c7gn, r8g, t4g, x2gd, im4gn. */
function isArm(instanceType: string): boolean {
  return /^[a-z]+\d+g[a-z-]*\./.test(instanceType);
}

function amiTypeFor(instanceTypes: readonly string[]): string {
  return isArm(instanceTypes[0]) ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD";
}

// ---------------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------------

type ResolvedSettings = Required<Omit<EksSettings, "addonVersions" | "karpenterNodeAllowance">> & {
  readonly addonVersions: Readonly<Partial<Record<EksAddonName, string>>>;
};

/** Applies defaults and checks every setting; throws `<env>.eks.<path>: <value> <rule>; <fix>`. */
export function validateEksProps(props: EksClusterProps): ResolvedSettings {
  const at = (path: string) => `${props.naming.environment}.eks.${path}`;
  const fail = (path: string, message: string): never => {
    throw new Error(`${at(path)}: ${message}`);
  };
  const s: ResolvedSettings = {
    kubernetesVersion: props.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
    upgradeSupportType: props.upgradeSupportType ?? "STANDARD",
    endpointPublicAccess: props.endpointPublicAccess ?? false,
    publicAccessCidrs: props.publicAccessCidrs ?? [],
    privateAccessCidrs: props.privateAccessCidrs ?? [],
    controlPlaneLogTypes: props.controlPlaneLogTypes ?? DEFAULT_CONTROL_PLANE_LOG_TYPES,
    adminRoleArns: props.adminRoleArns ?? [],
    createAdminRole: props.createAdminRole ?? true,
    nodeGroups: props.nodeGroups ?? DEFAULT_NODE_GROUPS,
    addonVersions: props.addonVersions ?? {},
    deletionProtection: props.deletionProtection ?? true,
    karpenter: props.karpenter ?? true,
  };

  if (!/^1\.\d{1,3}$/.test(s.kubernetesVersion)) {
    fail("kubernetesVersion", `"${s.kubernetesVersion}" is not a Kubernetes minor version; use "1.<minor>", e.g. "${DEFAULT_KUBERNETES_VERSION}"`);
  }
  if (!UPGRADE_SUPPORT_TYPES.includes(s.upgradeSupportType)) {
    fail("upgradeSupportType", `"${s.upgradeSupportType}" is not a support type; use ${UPGRADE_SUPPORT_TYPES.join(" or ")}`);
  }

  // Public endpoint allowlist.
  s.publicAccessCidrs.forEach((cidr, i) => {
    const path = `publicAccessCidrs[${i}]`;
    const check = checkCidr(cidr);
    if (!check.valid && check.reason === "host-bits") fail(path, `${cidr} has host bits set; use ${check.network}`);
    if (!check.valid) fail(path, `"${cidr}" is not a CIDR; write it as a.b.c.d/nn`);
    if (check.valid && check.prefixLength === 0) {
      fail(path, `${cidr} opens the API endpoint to the whole internet; list only the CIDRs that need access`);
    }
  });
  s.privateAccessCidrs.forEach((cidr, i) => {
    const path = `privateAccessCidrs[${i}]`;
    const check = checkCidr(cidr);
    if (!check.valid && check.reason === "host-bits") fail(path, `${cidr} has host bits set; use ${check.network}`);
    if (!check.valid) fail(path, `"${cidr}" is not a CIDR; write it as a.b.c.d/nn`);
    if (check.valid && check.prefixLength === 0) fail(path, `${cidr} admits everything; list the runner subnets' CIDRs`);
  });
  if (s.endpointPublicAccess && s.publicAccessCidrs.length === 0) {
    fail("publicAccessCidrs", "is empty while endpointPublicAccess is true, which EKS reads as 0.0.0.0/0; list the CIDRs that need access");
  }
  if (!s.endpointPublicAccess && s.publicAccessCidrs.length > 0) {
    fail("publicAccessCidrs", `${s.publicAccessCidrs.join(", ")} has no effect while endpointPublicAccess is false; remove it or turn the public endpoint on`);
  }

  // Control-plane logs.
  s.controlPlaneLogTypes.forEach((type, i) => {
    if (!CONTROL_PLANE_LOG_TYPES.includes(type)) {
      fail(`controlPlaneLogTypes[${i}]`, `"${type}" is not a control-plane log type; use ${CONTROL_PLANE_LOG_TYPES.join(", ")}`);
    }
    if (s.controlPlaneLogTypes.indexOf(type) !== i) fail(`controlPlaneLogTypes[${i}]`, `"${type}" is listed twice; list it once`);
  });
  if (!s.controlPlaneLogTypes.includes("audit")) {
    fail("controlPlaneLogTypes", `[${s.controlPlaneLogTypes.join(", ")}] lacks "audit", the record of who did what in the cluster; add "audit"`);
  }

  // Admin roles.
  s.adminRoleArns.forEach((arn, i) => {
    if (Token.isUnresolved(arn)) return;
    if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(arn)) {
      fail(`adminRoleArns[${i}]`, `"${arn}" is not an IAM role ARN; use arn:aws:iam::<account>:role/<name>`);
    }
    if (s.adminRoleArns.indexOf(arn) !== i) fail(`adminRoleArns[${i}]`, `"${arn}" is listed twice; list it once`);
  });

  // Node groups.
  const groups = Object.entries(s.nodeGroups);
  if (groups.length === 0) fail("nodeGroups", "is empty; define at least one node group (CoreDNS and Karpenter run on it)");
  for (const [name, g] of groups) {
    const path = `nodeGroups.${name}`;
    if (!/^[a-z][a-z0-9-]{0,19}$/.test(name)) {
      fail(path, `"${name}" is not a node group name; use up to 20 lowercase letters, digits and "-", starting with a letter`);
    }
    if (!g.instanceTypes || g.instanceTypes.length === 0) {
      fail(`${path}.instanceTypes`, "the list is empty; list at least one instance type, e.g. m6i.large");
    }
    g.instanceTypes.forEach((type, i) => {
      if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(type)) {
        fail(`${path}.instanceTypes[${i}]`, `"${type}" is not an EC2 instance type; write family.size, e.g. m6i.large`);
      }
    });
    if (new Set(g.instanceTypes.map(isArm)).size > 1) {
      fail(`${path}.instanceTypes`, `[${g.instanceTypes.join(", ")}] mixes Graviton and x86_64 types; one node group runs one AMI architecture, split them`);
    }
    if (!CAPACITY_TYPES.includes(g.capacityType)) {
      fail(`${path}.capacityType`, `"${g.capacityType}" is not a capacity type; use ${CAPACITY_TYPES.join(" or ")}`);
    }
    for (const field of ["minSize", "desiredSize", "maxSize"] as const) {
      if (!Number.isInteger(g[field]) || g[field] < 0) {
        fail(path, `${field} ${g[field]} is not a whole number ≥ 0; set a node count`);
      }
    }
    if (g.maxSize < 1) fail(path, `maxSize ${g.maxSize} is below 1; EKS needs room for at least one node`);
    if (g.minSize > g.maxSize) fail(path, `minSize ${g.minSize} is greater than maxSize ${g.maxSize}; set minSize ≤ maxSize`);
    if (g.desiredSize < g.minSize || g.desiredSize > g.maxSize) {
      fail(path, `desiredSize ${g.desiredSize} is outside minSize ${g.minSize} .. maxSize ${g.maxSize}; set desiredSize within the range`);
    }
    const disk = g.diskSizeGiB ?? 50;
    if (!Number.isInteger(disk) || disk < MIN_DISK_SIZE_GIB || disk > 16384) {
      fail(`${path}.diskSizeGiB`, `${disk} is outside ${MIN_DISK_SIZE_GIB}-16384 GiB; the AL2023 AMI needs at least ${MIN_DISK_SIZE_GIB}`);
    }
    for (const reserved of [NODE_TYPE_LABEL, ENVIRONMENT_LABEL]) {
      if (g.labels && reserved in g.labels) {
        fail(`${path}.labels`, `"${reserved}" is set by the module (${reserved === NODE_TYPE_LABEL ? "the group's name" : "the environment"}); remove it`);
      }
    }
    (g.taints ?? []).forEach((t, i) => {
      if (!t.key) fail(`${path}.taints[${i}]`, "the key is empty; give the taint a key, e.g. workload-type");
      if (!TAINT_EFFECTS.includes(t.effect)) {
        fail(`${path}.taints[${i}].effect`, `"${t.effect}" is not a taint effect; use ${TAINT_EFFECTS.join(", ")}`);
      }
    });
  }
  const schedulable = groups.filter(([, g]) => isSchedulable(g));
  if (schedulable.length === 0) {
    fail("nodeGroups", "every group has a NoSchedule/NoExecute taint, so CoreDNS and the EBS CSI controller cannot schedule; leave one group untainted");
  }

  // Karpenter's node allowance (for the pod address check).
  if (props.karpenterNodeAllowance) {
    const { instanceTypes, maxNodes } = props.karpenterNodeAllowance;
    if (!Number.isInteger(maxNodes) || maxNodes < 0) {
      fail("karpenterNodeAllowance.maxNodes", `${maxNodes} is not a whole number ≥ 0; give the most nodes Karpenter's NodePools may launch`);
    }
    if (instanceTypes.length === 0) fail("karpenterNodeAllowance.instanceTypes", "the list is empty; list the largest instance types Karpenter may pick");
  }

  // Add-on versions.
  for (const [name, version] of Object.entries(s.addonVersions)) {
    if (!(name in EKS_ADDONS)) fail(`addonVersions.${name}`, `"${name}" is not an add-on this module installs; use ${Object.keys(EKS_ADDONS).join(", ")}`);
    if (version !== undefined && !/^v\d+\.\d+\.\d+-eksbuild\.\d+$/.test(version)) {
      fail(`addonVersions.${name}`, `"${version}" is not an EKS add-on version; use the form v1.2.3-eksbuild.1 (aws eks describe-addon-versions)`);
    }
  }

  // Wiring.
  assertLogRetentionDays(at("logRetentionDays"), props.logRetentionDays);
  if (!Token.isUnresolved(props.privateSubnetIds) && props.privateSubnetIds.length < 2) {
    fail("privateSubnetIds", `${props.privateSubnetIds.length} subnet(s) given; EKS needs subnets in at least two availability zones`);
  }
  return s;
}
