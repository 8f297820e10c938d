import { parseIpv4Cidr } from "../../../shared/cidr";

/** How many network interfaces an instance type takes and how many IPv4 addresses each one holds. */
export interface EniLimits {
  readonly enis: number;
  readonly ipv4PerEni: number;
}

const SIZES: Readonly<Record<string, EniLimits>> = {
  large: { enis: 3, ipv4PerEni: 10 },
  xlarge: { enis: 4, ipv4PerEni: 15 },
  "2xlarge": { enis: 4, ipv4PerEni: 15 },
  "4xlarge": { enis: 8, ipv4PerEni: 30 },
};
const FAMILIES = ["m5", "m6i", "m7i", "c6i", "r5", "r6i", "m6g", "m7g", "c7g", "r7g"];

/**
 * ENI limits of the instance types the platform uses or is likely to (EC2 `describe-instance-types`,
 * `NetworkInfo.MaximumNetworkInterfaces` / `Ipv4AddressesPerInterface`): the general-purpose, compute
 * and memory families of generations 5-7 in sizes large to 4xlarge, plus t3.medium/large. An instance
 * type missing here fails validation with the fix: add its two numbers.
 */
export const ENI_LIMITS: Readonly<Record<string, EniLimits>> = {
  ...Object.fromEntries(FAMILIES.flatMap((family) => Object.entries(SIZES).map(([size, limits]) => [`${family}.${size}`, limits]))),
  "t3.medium": { enis: 3, ipv4PerEni: 6 },
  "t3.large": { enis: 3, ipv4PerEni: 12 },
};

/** Addresses AWS reserves in every subnet (network, router, DNS, future, broadcast). */
export const SUBNET_RESERVED_ADDRESSES = 5;

function limitsOf(instanceType: string, path: string): EniLimits {
  const limits = ENI_LIMITS[instanceType];
  if (!limits) {
    throw new Error(
      `${path}: "${instanceType}" has no ENI limits in ENI_LIMITS (modules/aws/compute/eks/pod-capacity.ts); add its network interfaces and IPv4 addresses per interface (aws ec2 describe-instance-types --instance-types ${instanceType})`,
    );
  }
  return limits;
}

/**
 * Pods a node can run when pods use the secondary ENIs only (custom networking: the primary ENI
 * keeps just the node's address): (ENIs − 1) × (addresses per ENI − 1) + 2 host-network pods. For
 * several instance types, the smallest, so no node accepts pods it has no address for.
 */
export function customNetworkingMaxPods(instanceTypes: readonly string[], path: string): number {
  return Math.min(...instanceTypes.map((t) => {
    const l = limitsOf(t, path);
    return (l.enis - 1) * (l.ipv4PerEni - 1) + 2;
  }));
}

/**
 * Pods a node can run without custom networking (the EKS AMI's default, `max-pods-calculator.sh`):
 * ENIs × (addresses per ENI − 1) + 2. For several instance types, the smallest.
 */
export function defaultMaxPods(instanceTypes: readonly string[], path: string): number {
  return Math.min(...instanceTypes.map((t) => {
    const l = limitsOf(t, path);
    return l.enis * (l.ipv4PerEni - 1) + 2;
  }));
}

/** The kubelet `maxPods` of a node of these instance types: `customNetworkingMaxPods` or `defaultMaxPods`. */
export function maxPodsPerNode(instanceTypes: readonly string[], customNetworking: boolean, path: string): number {
  return customNetworking ? customNetworkingMaxPods(instanceTypes, path) : defaultMaxPods(instanceTypes, path);
}

/**
 * The most pod-network addresses one node can hold with the VPC CNI's defaults (WARM_ENI_TARGET=1: a
 * node attaches whole ENIs, each filled with all its addresses, until every ENI is attached): every
 * ENI but the primary with custom networking, every ENI without. The largest over the types.
 */
export function addressesPerNode(instanceTypes: readonly string[], customNetworking: boolean, path: string): number {
  return Math.max(...instanceTypes.map((t) => {
    const l = limitsOf(t, path);
    return (customNetworking ? l.enis - 1 : l.enis) * l.ipv4PerEni;
  }));
}

/** Nodes that need pod addresses: a managed node group's maximum, or an allowance for Karpenter's nodes. */
export interface NodeDemand {
  /** Where the numbers come from, for the error message, e.g. `nodeGroups.general`. */
  readonly label: string;
  readonly instanceTypes: readonly string[];
  readonly maxNodes: number;
}

/** The subnets pods take their addresses from, by AZ order. */
export interface PodSubnetPlan {
  /** `<env>.network.podNetwork.subnets` or `<env>.network.privateSubnets`. */
  readonly path: string;
  readonly cidrs: readonly string[];
  /** True for dedicated pod subnets (custom networking), false when pods share the node subnets. */
  readonly customNetworking: boolean;
}

/**
 * Checks that the pod subnets hold the addresses every node can take at its maximum, spread evenly
 * over the AZs (Auto Scaling and Karpenter balance across the subnets); throws with the numbers:
 * `<path>: each AZ needs up to N pod addresses (…) but the smallest subnet X holds M; …`.
 */
export function assertPodCapacity(plan: PodSubnetPlan, demands: readonly NodeDemand[], nodePath: string): void {
  const parts = demands
    .filter((d) => d.maxNodes > 0)
    .map((d) => ({ ...d, perNode: addressesPerNode(d.instanceTypes, plan.customNetworking, `${nodePath}.${d.label}.instanceTypes`) }));
  const total = parts.reduce((sum, d) => sum + d.maxNodes * d.perNode, 0);
  const zones = plan.cidrs.length;
  const perAz = Math.ceil(total / zones);
  const sizes = plan.cidrs.map((cidr) => {
    const block = parseIpv4Cidr(cidr);
    return { cidr, usable: typeof block === "string" ? 0 : 2 ** (32 - block.prefixLength) - SUBNET_RESERVED_ADDRESSES };
  });
  const smallest = sizes.reduce((a, b) => (b.usable < a.usable ? b : a));
  if (perAz > smallest.usable) {
    const breakdown = parts.map((d) => `${d.label} ${d.maxNodes} × ${d.perNode}`).join(" + ");
    throw new Error(
      `${plan.path}: each AZ needs up to ${perAz} pod addresses (${breakdown} = ${total} over ${zones} AZs) but the smallest subnet ${smallest.cidr} holds ${smallest.usable}; ${
        plan.customNetworking ? "use larger pod subnets" : "add a podNetwork (secondary CIDR from 100.64.0.0/10 with a pod subnet per AZ)"
      } or lower the node maximums`,
    );
  }
}
