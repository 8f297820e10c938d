import * as ipaddr from "ipaddr.js";

/** An IPv4 CIDR block as an inclusive range of 32-bit integers. */
export interface Ipv4Block {
  readonly cidr: string;
  readonly prefixLength: number;
  readonly first: number;
  readonly last: number;
}

function toInt(address: ipaddr.IPv4): number {
  return address.octets.reduce((n, octet) => n * 256 + octet, 0);
}

/**
 * Parses `a.b.c.d/n` strictly: four decimal parts, a prefix 0-32 and no host bits set
 * (`10.0.1.5/24` is rejected, its network is `10.0.1.0/24`). Returns a reason string when invalid.
 */
export function parseIpv4Cidr(cidr: string): Ipv4Block | string {
  if (typeof cidr !== "string" || !ipaddr.IPv4.isValidCIDRFourPartDecimal(cidr)) {
    return "is not an IPv4 CIDR block like 10.0.0.0/16";
  }
  const [address, prefixLength] = ipaddr.IPv4.parseCIDR(cidr);
  const network = ipaddr.IPv4.networkAddressFromCIDR(cidr);
  if (network.toString() !== address.toString()) {
    return `has host bits set; the block is ${network.toString()}/${prefixLength}`;
  }
  const first = toInt(network);
  return { cidr, prefixLength, first, last: first + 2 ** (32 - prefixLength) - 1 };
}

/** `inner` lies entirely within `outer`. */
export function contains(outer: Ipv4Block, inner: Ipv4Block): boolean {
  return outer.first <= inner.first && inner.last <= outer.last;
}

/** The two blocks share at least one address. */
export function overlaps(a: Ipv4Block, b: Ipv4Block): boolean {
  return a.first <= b.last && b.first <= a.last;
}
