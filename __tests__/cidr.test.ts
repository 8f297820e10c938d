import { canonicalCidr, checkCidr, cidrKind, contains, overlaps, parseIpv4Cidr } from "../modules/shared/cidr";

describe("checkCidr", () => {
  it.each([
    ["10.0.0.0/16", { valid: true, kind: "ipv4", prefixLength: 16 }],
    ["2001:db8::/32", { valid: true, kind: "ipv6", prefixLength: 32 }],
    ["office", { valid: false, reason: "malformed" }],
    ["10.0.0.0/33", { valid: false, reason: "malformed" }],
    ["10/8", { valid: false, reason: "ipv4-shorthand" }],
    ["10.0.1.5/24", { valid: false, reason: "host-bits", network: "10.0.1.0/24" }],
    ["2001:db8::1/32", { valid: false, reason: "host-bits", network: "2001:db8::/32" }],
  ])("%s", (cidr, expected) => {
    expect(checkCidr(cidr)).toMatchObject(expected);
  });
});

describe("IPv4 range arithmetic", () => {
  const block = (cidr: string) => {
    const parsed = parseIpv4Cidr(cidr);
    if (typeof parsed === "string") throw new Error(parsed);
    return parsed;
  };

  it("knows containment and overlap", () => {
    expect(contains(block("10.0.0.0/16"), block("10.0.3.0/24"))).toBe(true);
    expect(contains(block("10.0.0.0/16"), block("10.1.0.0/24"))).toBe(false);
    expect(overlaps(block("10.0.0.0/16"), block("10.0.255.0/24"))).toBe(true);
    expect(overlaps(block("10.0.0.0/16"), block("10.1.0.0/16"))).toBe(false);
  });

  it("refuses IPv6 and explains host bits", () => {
    expect(parseIpv4Cidr("2001:db8::/32")).toBe("is not an IPv4 CIDR block like 10.0.0.0/16");
    expect(parseIpv4Cidr("10.0.0.1/16")).toBe("has host bits set; the block is 10.0.0.0/16");
  });

  it("tells kinds and canonical forms apart", () => {
    expect(cidrKind("2001:db8::/32")).toBe("ipv6");
    expect(canonicalCidr("2001:0db8::/32")).toBe(canonicalCidr("2001:db8:0::/32"));
  });
});
