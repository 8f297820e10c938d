import { Ipv4Block, contains, overlaps, parseIpv4Cidr } from "../../../shared/cidr";

/** The subnet tiers of the network, in the order they are validated and reported. */
export const SUBNET_TIERS = ["publicSubnets", "privateSubnets", "databaseSubnets"] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];

/** The NAT layouts the network supports. */
export const NAT_GATEWAY_MODES = ["single", "one-per-az"] as const;
export type NatGatewayMode = (typeof NAT_GATEWAY_MODES)[number];

/** The prefix lengths AWS accepts for a VPC's and a subnet's IPv4 block. */
export const AWS_PREFIX_RANGE = { min: 16, max: 28 } as const;

/** The shared address space (RFC 6598) pod CIDRs come from: not routed on the internet, rarely used on premises. */
export const POD_CIDR_SPACE = "100.64.0.0/10";

/**
 * Where pods get their IP addresses: a secondary VPC CIDR from `POD_CIDR_SPACE` with one subnet per AZ
 * (VPC CNI custom networking: each node's secondary ENIs, and so its pods, live in the pod subnet of
 * its AZ; the node itself keeps its address in the private subnet).
 */
export interface PodNetworkLayout {
  /** The secondary VPC CIDR, inside 100.64.0.0/10, /16 to /28, e.g. `100.64.0.0/16`. */
  readonly cidr: string;
  /** One pod subnet per AZ, in the order of `availabilityZones`, inside `cidr`, e.g. `100.64.0.0/18`. */
  readonly subnets: readonly string[];
}

/** The CIDR plan and NAT layout of a VPC: the part of the network settings these rules check. */
export interface NetworkLayout {
  /**
   * The VPC's IPv4 block; /16 to /28, and it must not overlap another environment's VPC so they
   * stay peerable. E.g. `10.10.0.0/16`.
   */
  readonly vpcCidr: string;
  /** The availability zones to spread over, in the region, e.g. `["us-east-1a", "us-east-1b", "us-east-1c"]`. */
  readonly availabilityZones: readonly string[];
  /** Public subnets (load balancers, NAT gateways), one per AZ, in the order of `availabilityZones`. */
  readonly publicSubnets: readonly string[];
  /** Private subnets (EKS nodes and pods), one per AZ; outbound through NAT. */
  readonly privateSubnets: readonly string[];
  /** Database subnets (RDS, ElastiCache), one per AZ; no route to or from the internet. */
  readonly databaseSubnets: readonly string[];
  /**
   * `single`: one NAT gateway in the first AZ (cheaper; private subnets lose egress if that AZ fails).
   * `one-per-az`: one per AZ, each private subnet routed through the NAT of its own AZ.
   */
  readonly natGateways: NatGatewayMode;
  /**
   * Pod addresses outside the node subnets (secondary CIDR + CNI custom networking). Without it pods
   * take their addresses from `privateSubnets`, which a /24 runs out of quickly.
   * @default none: pods share the private subnets
   */
  readonly podNetwork?: PodNetworkLayout;
}

function parseWithinAwsRange(path: string, cidr: string): Ipv4Block {
  const parsed = parseIpv4Cidr(cidr);
  if (typeof parsed === "string") throw new Error(`${path}: "${cidr}" ${parsed}`);
  if (parsed.prefixLength < AWS_PREFIX_RANGE.min || parsed.prefixLength > AWS_PREFIX_RANGE.max) {
    throw new Error(
      `${path}: ${cidr} has prefix /${parsed.prefixLength}; AWS accepts /${AWS_PREFIX_RANGE.min} to /${AWS_PREFIX_RANGE.max}`,
    );
  }
  return parsed;
}

/**
 * Checks a network layout and throws an error naming `<environment>.network.<field>`, the value and
 * the rule it breaks: malformed CIDRs, prefixes AWS does not accept, a subnet outside the VPC, two
 * subnets overlapping, a tier whose subnet count differs from the AZ count, AZs repeated or outside
 * the region, and an unknown NAT mode.
 */
export function validateNetworkLayout(environment: string, region: string, layout: NetworkLayout): void {
  const at = `${environment}.network`;
  const vpc = parseWithinAwsRange(`${at}.vpcCidr`, layout.vpcCidr);

  if (!NAT_GATEWAY_MODES.includes(layout.natGateways)) {
    throw new Error(`${at}.natGateways: "${layout.natGateways}" is not one of ${NAT_GATEWAY_MODES.join(", ")}`);
  }

  const zones = layout.availabilityZones;
  if (zones.length === 0) throw new Error(`${at}.availabilityZones: is empty; list at least one AZ of ${region}`);
  zones.forEach((zone, i) => {
    if (!new RegExp(`^${region}[a-z]$`).test(zone)) {
      throw new Error(`${at}.availabilityZones[${i}]: "${zone}" is not an availability zone of ${region} (e.g. ${region}a)`);
    }
    const first = zones.indexOf(zone);
    if (first !== i) throw new Error(`${at}.availabilityZones[${i}]: ${zone} repeats availabilityZones[${first}]`);
  });

  const seen: { path: string; block: Ipv4Block }[] = [];
  for (const tier of SUBNET_TIERS) {
    const cidrs = layout[tier];
    if (cidrs.length !== zones.length) {
      throw new Error(
        `${at}.${tier}: has ${cidrs.length} subnets for ${zones.length} availability zones (${zones.join(", ")}); give one subnet per AZ`,
      );
    }
    cidrs.forEach((cidr, i) => {
      const path = `${tier}[${i}]`;
      const block = parseWithinAwsRange(`${at}.${path}`, cidr);
      if (!contains(vpc, block)) {
        throw new Error(`${at}.${path}: ${cidr} is outside the VPC ${layout.vpcCidr}`);
      }
      const clash = seen.find((other) => overlaps(other.block, block));
      if (clash) throw new Error(`${at}.${path}: ${cidr} overlaps ${clash.path} (${clash.block.cidr})`);
      seen.push({ path, block });
    });
  }

  if (layout.podNetwork) {
    const pods = layout.podNetwork;
    const space = parseIpv4Cidr(POD_CIDR_SPACE) as Ipv4Block;
    const podCidr = parseWithinAwsRange(`${at}.podNetwork.cidr`, pods.cidr);
    if (!contains(space, podCidr)) {
      throw new Error(`${at}.podNetwork.cidr: ${pods.cidr} is outside ${POD_CIDR_SPACE}; take the pod CIDR from that shared address space, e.g. 100.64.0.0/16`);
    }
    if (pods.subnets.length !== zones.length) {
      throw new Error(
        `${at}.podNetwork.subnets: has ${pods.subnets.length} subnets for ${zones.length} availability zones (${zones.join(", ")}); give one pod subnet per AZ`,
      );
    }
    const podSeen: { path: string; block: Ipv4Block }[] = [];
    pods.subnets.forEach((cidr, i) => {
      const path = `podNetwork.subnets[${i}]`;
      const block = parseWithinAwsRange(`${at}.${path}`, cidr);
      if (!contains(podCidr, block)) throw new Error(`${at}.${path}: ${cidr} is outside the pod CIDR ${pods.cidr}`);
      const clash = podSeen.find((other) => overlaps(other.block, block));
      if (clash) throw new Error(`${at}.${path}: ${cidr} overlaps ${clash.path} (${clash.block.cidr})`);
      podSeen.push({ path, block });
    });
  }
}
