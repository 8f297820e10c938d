import { Construct } from "constructs";
import { NetworkAcl } from "@cdktf/provider-aws/lib/network-acl";
import { NetworkAclRule } from "@cdktf/provider-aws/lib/network-acl-rule";
import { parseIpv4Cidr } from "../../../shared/cidr";
import { Naming } from "../../../shared/naming";
import { quota } from "../../../shared/quotas";

/** Anywhere (IPv4). */
export const ANY_IPV4 = "0.0.0.0/0";
/** The ephemeral port range return traffic uses (Linux and NAT gateways pick from 1024-65535). */
export const EPHEMERAL_PORTS = { from: 1024, to: 65535 } as const;
/** The TCP ports the data stores in the database subnets listen on: PostgreSQL, Redis and InfluxDB (Timestream for InfluxDB). */
export const DEFAULT_DATABASE_PORTS: readonly number[] = [5432, 6379, 8086];
/** SMTP submission (STARTTLS): Alertmanager's mail to Amazon SES's SMTP interface (`email-smtp.<region>.amazonaws.com:587`). */
export const SMTP_SUBMISSION_PORT = 587;
/** Rules a network ACL holds per direction: its quota (modules/shared/quotas). */
export const NACL_RULES_PER_DIRECTION = quota("vpc-nacl-rules").defaultValue;

/** The `networkAcls` section of an environment config. */
export interface NetworkAclSettings {
  /** TCP ports the private tier may open to the database tier. @default DEFAULT_DATABASE_PORTS (5432, 6379, 8086) */
  readonly databasePorts?: readonly number[];
}

/** One NACL rule, as this module writes it. */
export interface AclRule {
  /** Evaluated lowest first; unique per direction. */
  readonly ruleNumber: number;
  readonly egress: boolean;
  /** `tcp`, `udp` or `-1` (all). */
  readonly protocol: "tcp" | "udp" | "-1";
  readonly cidrBlock: string;
  readonly fromPort?: number;
  readonly toPort?: number;
}

export interface NetworkAclsProps extends NetworkAclSettings {
  readonly naming: Naming;
  readonly vpcId: string;
  /** Every CIDR of the VPC (primary and secondary): traffic among them passes the public and private tiers. */
  readonly vpcCidrs: readonly string[];
  /** Subnet ids of each tier (`Network.publicSubnetIds` …). */
  readonly publicSubnetIds: readonly string[];
  readonly privateSubnetIds: readonly string[];
  readonly databaseSubnetIds: readonly string[];
  /**
   * The private tier's address blocks (node subnets, and the pod network as one block): the only
   * sources the database tier admits, each on every database port. Aggregate them: the rules are
   * sources × ports + replies, within NACL_RULES_PER_DIRECTION per direction.
   */
  readonly privateSubnetCidrs: readonly string[];
  /** CIDRs of the database subnets: the tier talks to itself (replication). */
  readonly databaseSubnetCidrs: readonly string[];
  /**
   * Networks outside the VPC that reach the private tier through the Transit Gateway (VPN customers)
   * or the Tailscale subnet router: admitted to and from the private tier, never to the database tier.
   * @default none
   */
  readonly remoteCidrs?: readonly string[];
}

type Tier = "public" | "private" | "database";

const tcp = (ruleNumber: number, egress: boolean, cidrBlock: string, from: number, to = from): AclRule => ({
  ruleNumber, egress, protocol: "tcp", cidrBlock, fromPort: from, toPort: to,
});
const udp = (ruleNumber: number, egress: boolean, cidrBlock: string, from: number, to = from): AclRule => ({
  ruleNumber, egress, protocol: "udp", cidrBlock, fromPort: from, toPort: to,
});
const all = (ruleNumber: number, egress: boolean, cidrBlock: string): AclRule => ({ ruleNumber, egress, protocol: "-1", cidrBlock });
const both = (ruleNumber: number, make: (n: number, egress: boolean) => AclRule): AclRule[] => [make(ruleNumber, false), make(ruleNumber, true)];

/**
 * The rules of each tier. NACLs are stateless, so each allowed flow also needs its return path
 * (ephemeral ports). Everything not listed is denied by the implicit final rule.
 *
 * - public (load balancers, NAT gateways): HTTPS in from anywhere; everything to/from the VPC; the
 *   NAT's outbound HTTP(S), SMTP submission (587) and UDP ephemeral flows (Tailscale/WireGuard, STUN)
 *   and their returns.
 * - private (nodes, pods): everything to/from the VPC and the remote (VPN/Tailscale) networks;
 *   outbound HTTP(S), SMTP submission (587, Alertmanager → SES) and UDP through the NAT, and their
 *   returns. No port 53 out: pods resolve through the VPC's Amazon DNS server, which ACLs don't filter.
 * - database: the data-store ports in from the private subnets only, replies back to them, and
 *   traffic within the tier; nothing from the public tier or the internet, no egress beyond.
 */
export function networkAclRules(props: NetworkAclsProps): Record<Tier, AclRule[]> {
  const vpc = props.vpcCidrs;
  const remote = props.remoteCidrs ?? [];
  const ports = props.databasePorts ?? DEFAULT_DATABASE_PORTS;
  const { from: e0, to: e1 } = EPHEMERAL_PORTS;
  const vpcRules = (base: number) => vpc.flatMap((cidr, i) => both(base + i, (n, eg) => all(n, eg, cidr)));
  return {
    public: [
      ...vpcRules(100),
      tcp(200, false, ANY_IPV4, 443),
      tcp(210, false, ANY_IPV4, e0, e1),
      udp(220, false, ANY_IPV4, e0, e1),
      tcp(200, true, ANY_IPV4, 443),
      tcp(210, true, ANY_IPV4, 80),
      tcp(220, true, ANY_IPV4, e0, e1),
      udp(230, true, ANY_IPV4, e0, e1),
      tcp(240, true, ANY_IPV4, SMTP_SUBMISSION_PORT),
    ],
    private: [
      ...vpcRules(100),
      ...remote.flatMap((cidr, i) => both(150 + i, (n, eg) => all(n, eg, cidr))),
      tcp(200, false, ANY_IPV4, e0, e1),
      udp(210, false, ANY_IPV4, e0, e1),
      tcp(200, true, ANY_IPV4, 443),
      tcp(210, true, ANY_IPV4, 80),
      udp(220, true, ANY_IPV4, e0, e1),
      tcp(230, true, ANY_IPV4, SMTP_SUBMISSION_PORT),
    ],
    database: [
      ...props.privateSubnetCidrs.flatMap((cidr, i) =>
        ports.map((port, j) => tcp(100 + i * 10 + j, false, cidr, port)),
      ),
      ...props.privateSubnetCidrs.map((cidr, i) => tcp(100 + i, true, cidr, e0, e1)),
      ...props.databaseSubnetCidrs.flatMap((cidr, i) => both(300 + i, (n, eg) => all(n, eg, cidr))),
    ],
  };
}

/**
 * One network ACL per subnet tier (public, private, database) replacing the VPC's allow-all default
 * for those subnets: a stateless second wall under the security groups. The database tier is reachable
 * from the private tier only, on the data-store ports.
 */
export class NetworkAcls extends Construct {
  /** The ACL of each tier. */
  readonly acls: Readonly<Record<Tier, NetworkAcl>>;
  /** The rules written, per tier (what the tests and the README table read). */
  readonly rules: Readonly<Record<Tier, AclRule[]>>;

  constructor(scope: Construct, id: string, props: NetworkAclsProps) {
    super(scope, id);
    const path = `${props.naming.environment}.networkAcls`;
    (props.databasePorts ?? []).forEach((port, i) => {
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${path}.databasePorts[${i}]: ${port} is not a TCP port (1-65535)`);
    });
    (props.remoteCidrs ?? []).forEach((cidr, i) => {
      if (typeof parseIpv4Cidr(cidr) === "string") throw new Error(`${path}.remoteCidrs[${i}]: "${cidr}" is not an IPv4 CIDR block`);
    });
    this.rules = networkAclRules(props);
    const subnets: Record<Tier, readonly string[]> = {
      public: props.publicSubnetIds,
      private: props.privateSubnetIds,
      database: props.databaseSubnetIds,
    };
    const acls = {} as Record<Tier, NetworkAcl>;
    for (const tier of ["public", "private", "database"] as const) {
      for (const egress of [false, true]) {
        const count = this.rules[tier].filter((r) => r.egress === egress).length;
        if (count > NACL_RULES_PER_DIRECTION) {
          throw new Error(
            `${path}: the ${tier} tier needs ${count} ${egress ? "egress" : "ingress"} rules, above the ${NACL_RULES_PER_DIRECTION} a network ACL allows (${quota("vpc-nacl-rules").quotaCode}); use fewer or aggregated CIDRs, or fewer databasePorts`,
          );
        }
      }
      acls[tier] = new NetworkAcl(this, tier, {
        vpcId: props.vpcId,
        subnetIds: [...subnets[tier]],
        tags: { Name: props.naming.name(tier, "nacl"), Tier: tier },
      });
      for (const rule of this.rules[tier]) {
        new NetworkAclRule(this, `${tier}-${rule.egress ? "egress" : "ingress"}-${rule.ruleNumber}`, {
          networkAclId: acls[tier].id,
          ruleNumber: rule.ruleNumber,
          egress: rule.egress,
          protocol: rule.protocol,
          ruleAction: "allow",
          cidrBlock: rule.cidrBlock,
          fromPort: rule.fromPort,
          toPort: rule.toPort,
        });
      }
    }
    this.acls = acls;
  }
}
