import { ResourceView, Rule, StackDocument, block, blocks, refersTo } from "../engine";

/** Sources that mean "the whole internet". */
export const OPEN_CIDRS: readonly string[] = ["0.0.0.0/0", "::/0"];

/** The one port the internet may reach: HTTPS on a public load balancer. */
export const PUBLIC_HTTPS_PORT = 443;

interface Ingress {
  readonly rule: ResourceView;
  /** The security group the ingress belongs to (its `security_group_id` value, or the group itself). */
  readonly group: ResourceView | undefined;
  readonly fromPort: number;
  readonly toPort: number;
  readonly protocol: string;
  readonly sources: string[];
}

const addressOf = (ref: unknown): string | undefined =>
  typeof ref === "string" ? /^\$\{(aws_security_group\.[\w-]+)\.id\}$/.exec(ref)?.[1] : undefined;

/** Every ingress of the document from an open CIDR, whichever of the three ways it is written. */
function openIngress(doc: StackDocument): Ingress[] {
  const out: Ingress[] = [];
  const open = (cidrs: unknown) => (Array.isArray(cidrs) ? cidrs : [cidrs]).filter((c) => OPEN_CIDRS.includes(c as string)) as string[];
  for (const sg of doc.resources("aws_security_group")) {
    for (const i of blocks(sg.config.ingress)) {
      const sources = [...open(i.cidr_blocks ?? []), ...open(i.ipv6_cidr_blocks ?? [])];
      if (sources.length) out.push({ rule: sg, group: sg, fromPort: Number(i.from_port), toPort: Number(i.to_port), protocol: String(i.protocol), sources });
    }
  }
  for (const r of doc.resources("aws_security_group_rule")) {
    if (r.config.type !== "ingress") continue;
    const sources = [...open(r.config.cidr_blocks ?? []), ...open(r.config.ipv6_cidr_blocks ?? [])];
    const group = doc.at(addressOf(r.config.security_group_id) ?? "");
    if (sources.length) out.push({ rule: r, group, fromPort: Number(r.config.from_port), toPort: Number(r.config.to_port), protocol: String(r.config.protocol), sources });
  }
  for (const r of doc.resources("aws_vpc_security_group_ingress_rule")) {
    const sources = [...open(r.config.cidr_ipv4), ...open(r.config.cidr_ipv6)];
    const group = doc.at(addressOf(r.config.security_group_id) ?? "");
    const all = String(r.config.ip_protocol) === "-1";
    if (sources.length) {
      out.push({
        rule: r,
        group,
        fromPort: all ? 0 : Number(r.config.from_port),
        toPort: all ? 65535 : Number(r.config.to_port),
        protocol: String(r.config.ip_protocol),
        sources,
      });
    }
  }
  return out;
}

/**
 * The allowed case: TCP 443 alone, into a security group attached to an internet-facing application
 * load balancer (`aws_lb` with `internal = false`), the platform's public entry point behind CloudFront.
 */
function isPublicAlbHttps(doc: StackDocument, ingress: Ingress): boolean {
  if (ingress.fromPort !== PUBLIC_HTTPS_PORT || ingress.toPort !== PUBLIC_HTTPS_PORT) return false;
  if (!["tcp", "6"].includes(ingress.protocol)) return false;
  const group = ingress.group;
  if (!group) return false;
  return doc
    .resources("aws_lb")
    .some((lb) => (lb.config.load_balancer_type ?? "application") === "application" && lb.config.internal !== true && refersTo(lb.config.security_groups, group.address));
}

/** Security groups, the EKS endpoint and NAT layout. */
export const NETWORK_RULES: readonly Rule[] = [
  {
    id: "AIVO-SG-OPEN-INGRESS",
    severity: "error",
    checkov: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260"],
    message:
      "No security group admits 0.0.0.0/0 or ::/0, except TCP 443 into the security group of an internet-facing application load balancer (aws_lb, internal = false)",
    fix: "admit a security group (referenced_security_group_id), a prefix list (e.g. CloudFront's origin-facing one) or the CIDRs that need access",
    evaluate: (doc) =>
      openIngress(doc)
        .filter((i) => !isPublicAlbHttps(doc, i))
        .map((i) => ({
          address: i.rule.address,
          constructPath: i.rule.constructPath,
          detail: `ingress from ${i.sources.join(", ")} on ${i.fromPort === i.toPort ? i.fromPort : `${i.fromPort}-${i.toPort}`}/${i.protocol}`,
        })),
  },
  {
    id: "AIVO-SG-OPEN-EGRESS",
    severity: "warning",
    checkov: ["CKV_AWS_382"],
    message: "No security group lets traffic out to 0.0.0.0/0 or ::/0 on every port",
    fix: "allow egress to the security groups, prefix lists (S3, DynamoDB) or ports the workload needs, or suppress with the reason",
    evaluate: (doc) => {
      const open = (cidrs: unknown) => (Array.isArray(cidrs) ? cidrs : [cidrs]).some((c) => OPEN_CIDRS.includes(c as string));
      const allPorts = (protocol: unknown, from: unknown, to: unknown) =>
        String(protocol) === "-1" || (Number(from) <= 0 && Number(to) >= 65535);
      const found = [
        ...doc.resources("aws_security_group").filter((sg) =>
          blocks(sg.config.egress).some((e) => (open(e.cidr_blocks ?? []) || open(e.ipv6_cidr_blocks ?? [])) && allPorts(e.protocol, e.from_port, e.to_port)),
        ),
        ...doc.resources("aws_security_group_rule").filter(
          (r) => r.config.type === "egress" && (open(r.config.cidr_blocks ?? []) || open(r.config.ipv6_cidr_blocks ?? [])) && allPorts(r.config.protocol, r.config.from_port, r.config.to_port),
        ),
        ...doc.resources("aws_vpc_security_group_egress_rule").filter(
          (r) => (open(r.config.cidr_ipv4) || open(r.config.cidr_ipv6)) && allPorts(r.config.ip_protocol, r.config.from_port, r.config.to_port),
        ),
      ];
      return found.map((r) => ({ address: r.address, constructPath: r.constructPath, detail: "egress to the internet on every port" }));
    },
  },
  {
    id: "AIVO-NAT-PER-AZ",
    severity: "warning",
    message: "A VPC has one NAT gateway per availability zone of its private subnets, so one AZ's outage does not cut the others' egress",
    fix: 'set network.natGateways = "one-per-az", or suppress with the reason (cost, in a non-production environment)',
    evaluate: (doc) =>
      doc.resources("aws_vpc").flatMap((vpc) => {
        const subnets = doc.referencing("aws_subnet", "vpc_id", vpc);
        const natSubnets = doc.resources("aws_nat_gateway").map((n) => n.config.subnet_id);
        const natAzs = new Set(subnets.filter((s) => natSubnets.some((ref) => refersTo(ref, s.address))).map((s) => s.config.availability_zone));
        const azs = new Set(subnets.map((s) => s.config.availability_zone));
        if (natAzs.size === 0 || natAzs.size >= azs.size) return [];
        return [{ address: vpc.address, constructPath: vpc.constructPath, detail: `${natAzs.size} NAT gateway AZ(s) for ${azs.size} AZs` }];
      }),
  },
  {
    id: "AIVO-EKS-ENDPOINT",
    severity: "error",
    checkov: ["CKV_AWS_39", "CKV_AWS_38"],
    message: "EKS API endpoints are private, or public only to an allowlist that is not 0.0.0.0/0",
    fix: "set vpc_config.endpoint_public_access = false, or public_access_cidrs to the operators' CIDRs",
    evaluate: (doc) =>
      doc.resources("aws_eks_cluster").flatMap((c) => {
        const vpc = block(c.config.vpc_config);
        if (vpc.endpoint_public_access === false) return [];
        const cidrs: string[] = vpc.public_access_cidrs ?? ["0.0.0.0/0"];
        const open = cidrs.filter((x) => OPEN_CIDRS.includes(x));
        return open.length ? [{ address: c.address, constructPath: c.constructPath, detail: `public endpoint open to ${open.join(", ")}` }] : [];
      }),
  },
];
