import * as ipaddr from "ipaddr.js";

/**
 * Strict CIDR parsing, shared by every module that takes address ranges (network plan, EKS endpoint
 * allowlist, WAF IP sets). Each caller words its own error for its field; the rules live here once.
 */

/** The outcome of `checkCidr`: a valid block, or why it is not one. */
export type CidrCheck =
  | { readonly valid: true; readonly kind: "ipv4" | "ipv6"; readonly address: ipaddr.IPv4 | ipaddr.IPv6; readonly prefixLength: number }
  /** Not an IPv4 or IPv6 CIDR at all (`office`, `10.0.0.300/24`, `10.0.0.0/33`). */
  | { readonly valid: false; readonly reason: "malformed" }
  /** An IPv4 shorthand ipaddr.js would accept (`10/8`) but AWS and readers would not. */
  | { readonly valid: false; readonly reason: "ipv4-shorthand" }
  /** Host bits set (`10.0.1.5/24`); `network` is the block meant (`10.0.1.0/24`). */
  | { readonly valid: false; readonly reason: "host-bits"; readonly network: string };

/** Checks `cidr`: an IPv4 block in four-part dotted-decimal or an IPv6 block, with no host bits set. */
export function checkCidr(cidr: string): CidrCheck {
  let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    parsed = ipaddr.parseCIDR(cidr);
  } catch {
    return { valid: false, reason: "malformed" };
  }
  const [address, prefixLength] = parsed;
  const kind = address.kind();
  if (kind === "ipv4" && !ipaddr.IPv4.isValidCIDRFourPartDecimal(cidr)) return { valid: false, reason: "ipv4-shorthand" };
  const network = kind === "ipv4" ? ipaddr.IPv4.networkAddressFromCIDR(cidr) : ipaddr.IPv6.networkAddressFromCIDR(cidr);
  if (network.toString() !== address.toString()) {
    return { valid: false, reason: "host-bits", network: `${network.toString()}/${prefixLength}` };
  }
  return { valid: true, kind, address, prefixLength };
}

/** Whether an already valid `cidr` is an IPv4 or an IPv6 block. */
export function cidrKind(cidr: string): "ipv4" | "ipv6" {
  return ipaddr.parseCIDR(cidr)[0].kind();
}

/** `cidr` in canonical form (`2001:0db8::/32` → `2001:db8:0:0:0:0:0:0/32`), for comparing ranges. */
export function canonicalCidr(cidr: string): string {
  const [address, prefix] = ipaddr.parseCIDR(cidr);
  return `${address.toNormalizedString()}/${prefix}`;
}

/** An IPv4 CIDR block as an inclusive range of 32-bit integers. */
export interface Ipv4Block {
  readonly cidr: string;
  readonly prefixLength: number;
  readonly first: number;
  readonly last: number;
}

/** Parses an IPv4 block for range arithmetic; returns the reason when `cidr` is not one. */
export function parseIpv4Cidr(cidr: string): Ipv4Block | string {
  const check = typeof cidr === "string" ? checkCidr(cidr) : ({ valid: false, reason: "malformed" } as const);
  if (!check.valid) {
    return check.reason === "host-bits" ? `has host bits set; the block is ${check.network}` : "is not an IPv4 CIDR block like 10.0.0.0/16";
  }
  if (check.kind !== "ipv4") return "is not an IPv4 CIDR block like 10.0.0.0/16";
  const first = (check.address as ipaddr.IPv4).octets.reduce((n, octet) => n * 256 + octet, 0);
  return { cidr, prefixLength: check.prefixLength, first, last: first + 2 ** (32 - check.prefixLength) - 1 };
}

/** `inner` lies entirely within `outer`. */
export function contains(outer: Ipv4Block, inner: Ipv4Block): boolean {
  return outer.first <= inner.first && inner.last <= outer.last;
}

/** The two blocks share at least one address. */
export function overlaps(a: Ipv4Block, b: Ipv4Block): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/**
 * The Amazon DNS server (Route 53 Resolver) of a VPC: the primary CIDR's base address plus two
 * (`10.0.0.0/16` → `10.0.0.2`). Traffic to it is not filtered by network ACLs or security groups
 * (Amazon VPC User Guide, "Amazon DNS server").
 */
export function vpcResolverAddress(vpcCidr: string): string {
  const block = parseIpv4Cidr(vpcCidr);
  if (typeof block === "string") throw new Error(`${JSON.stringify(vpcCidr)} ${block}`);
  const n = block.first + 2;
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}
