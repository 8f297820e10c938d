// The EKS module's settings (per environment, at `<env>.eks`), its props (settings + wiring) and the
// constants other modules, the stacks and the tests share.
import type { Naming } from "../../../shared/naming";

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
export const MIN_DISK_SIZE_GIB = 20;

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

/**
 * AZ IDs where EKS can't place a cluster's control-plane network interfaces (Amazon EKS User Guide,
 * "View Amazon EKS networking requirements for VPC and subnets": CreateCluster fails with
 * UnsupportedAvailabilityZoneException in these zones).
 */
export const EKS_UNSUPPORTED_ZONE_IDS: readonly string[] = ["use1-az3", "usw1-az2", "cac1-az3"];
/** `Network.excludedZoneIds` for a VPC that hosts an EKS cluster. */
export const EKS_AZ_EXCLUSION = { zoneIds: EKS_UNSUPPORTED_ZONE_IDS, reason: "EKS does not support it (UnsupportedAvailabilityZoneException)" } as const;

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
