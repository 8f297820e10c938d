import { Construct } from "constructs";
import { CustomerGateway } from "@cdktf/provider-aws/lib/customer-gateway";
import { Ec2TransitGateway } from "@cdktf/provider-aws/lib/ec2-transit-gateway";
import { Ec2TransitGatewayVpcAttachment } from "@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment";
import { Route } from "@cdktf/provider-aws/lib/route";
import { VpnConnection } from "@cdktf/provider-aws/lib/vpn-connection";
import { overlaps, parseIpv4Cidr } from "../../../shared/cidr";
import { Naming } from "../../../shared/naming";
import { VendedLogGroup } from "../../observability/vended-log-group";

/**
 * The IPsec proposals every tunnel offers: IKEv2 only, AES-256 (GCM or CBC), SHA-2, and elliptic-curve
 * or 2048-bit+ Diffie-Hellman groups, for both phases (phase 2 with perfect forward secrecy). AWS's
 * defaults also offer IKEv1, AES-128, SHA-1 and DH group 2; none of those is allowed here.
 */
export const VPN_TUNNEL_CRYPTO = {
  ikeVersions: ["ikev2"],
  encryptionAlgorithms: ["AES256", "AES256-GCM-16"],
  integrityAlgorithms: ["SHA2-256", "SHA2-384", "SHA2-512"],
  dhGroupNumbers: [19, 20, 21],
} as const;

/** The Amazon side's private ASN on the Transit Gateway. */
export const DEFAULT_AMAZON_SIDE_ASN = 64512;

/** One customer site connected over Site-to-Site VPN. */
export interface VpnCustomer {
  /** Slug naming the gateway and connection `aivo-<env>-vpn-<name>`. */
  readonly name: string;
  /** The customer router's BGP ASN (1-4294967294, other than the Amazon side's). */
  readonly bgpAsn: number;
  /** The customer router's public IPv4 address. */
  readonly ipAddress: string;
  /** The customer networks routed to the VPC's private subnets (learned over BGP, routed here). */
  readonly routedCidrs: readonly string[];
}

/** The `siteToSiteVpn` section of an environment config. */
export interface SiteToSiteVpnSettings {
  /** Create the Transit Gateway and the customers' VPN connections. */
  readonly enabled: boolean;
  /** The customer sites. */
  readonly customers: readonly VpnCustomer[];
  /** @default DEFAULT_AMAZON_SIDE_ASN (64512) */
  readonly amazonSideAsn?: number;
}

export interface SiteToSiteVpnProps extends Omit<SiteToSiteVpnSettings, "enabled"> {
  readonly naming: Naming;
  readonly vpcId: string;
  /** The VPC CIDR: no customer network may overlap it. */
  readonly vpcCidr: string;
  /** Subnets the Transit Gateway attachment uses (the private subnets, one per AZ). */
  readonly subnetIds: readonly string[];
  /** Route tables of the private subnets: each gets a route to every customer CIDR through the Transit Gateway. */
  readonly routeTableIds: readonly string[];
  /** Days the tunnel logs are kept; one of `CLOUDWATCH_LOG_RETENTION_DAYS`. */
  readonly logRetentionDays: number;
}

/** Throws `<env>.siteToSiteVpn.<field>: …` for the first invalid setting. */
export function validateSiteToSiteVpn(environment: string, vpcCidr: string, settings: Omit<SiteToSiteVpnSettings, "enabled">): void {
  const path = `${environment}.siteToSiteVpn`;
  const amazonAsn = settings.amazonSideAsn ?? DEFAULT_AMAZON_SIDE_ASN;
  if (!Number.isInteger(amazonAsn) || !((amazonAsn >= 64512 && amazonAsn <= 65534) || (amazonAsn >= 4200000000 && amazonAsn <= 4294967294))) {
    throw new Error(`${path}.amazonSideAsn: ${amazonAsn} is not a private ASN (64512-65534 or 4200000000-4294967294)`);
  }
  if (settings.customers.length === 0) throw new Error(`${path}.customers: none; add a customer or turn the VPN off`);
  const vpc = parseIpv4Cidr(vpcCidr);
  const seen: { cidr: string; block: ReturnType<typeof parseIpv4Cidr>; where: string }[] = [];
  settings.customers.forEach((customer, i) => {
    const at = `${path}.customers[${i}]`;
    if (!/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/.test(customer.name)) throw new Error(`${at}.name: "${customer.name}" is not a slug (lowercase letters, digits, "-")`);
    if (settings.customers.findIndex((c) => c.name === customer.name) !== i) throw new Error(`${at}.name: "${customer.name}" is used twice`);
    if (!Number.isInteger(customer.bgpAsn) || customer.bgpAsn < 1 || customer.bgpAsn > 4294967294 || customer.bgpAsn === amazonAsn) {
      throw new Error(`${at}.bgpAsn: ${customer.bgpAsn} must be 1-4294967294 and differ from the Amazon side's ${amazonAsn}`);
    }
    const ip = parseIpv4Cidr(`${customer.ipAddress}/32`);
    const isPrivate = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8"].some((r) => {
      const range = parseIpv4Cidr(r);
      return typeof ip !== "string" && typeof range !== "string" && overlaps(ip, range);
    });
    if (typeof ip === "string" || isPrivate) throw new Error(`${at}.ipAddress: "${customer.ipAddress}" is not a public IPv4 address`);
    if (customer.routedCidrs.length === 0) throw new Error(`${at}.routedCidrs: none; list the customer networks to route`);
    customer.routedCidrs.forEach((cidr, j) => {
      const block = parseIpv4Cidr(cidr);
      if (typeof block === "string") throw new Error(`${at}.routedCidrs[${j}]: "${cidr}" is not an IPv4 CIDR block`);
      if (typeof vpc !== "string" && overlaps(block, vpc)) throw new Error(`${at}.routedCidrs[${j}]: ${cidr} overlaps the VPC ${vpcCidr}`);
      const clash = seen.find((s) => typeof s.block !== "string" && overlaps(block, s.block));
      if (clash) throw new Error(`${at}.routedCidrs[${j}]: ${cidr} overlaps ${clash.where} (${clash.cidr})`);
      seen.push({ cidr, block, where: `customers[${i}].routedCidrs[${j}]` });
    });
  });
}

/**
 * Private connectivity to customer sites: a Transit Gateway attached to the VPC's private subnets,
 * one customer gateway and one BGP Site-to-Site VPN connection per customer (two tunnels, IKEv2 and
 * strong ciphers only, tunnel and BGP logs to a CMK-encrypted CloudWatch log group), and routes from
 * the private subnets to each customer network. Shared attachments are never auto-accepted.
 */
export class SiteToSiteVpn extends Construct {
  readonly transitGateway: Ec2TransitGateway;
  readonly attachment: Ec2TransitGatewayVpcAttachment;
  /** The connections, keyed by customer name. */
  readonly connections: Readonly<Record<string, VpnConnection>>;
  readonly logGroup: VendedLogGroup;
  /** Every customer CIDR (for the private tier's network ACL). */
  readonly remoteCidrs: readonly string[];

  constructor(scope: Construct, id: string, props: SiteToSiteVpnProps) {
    super(scope, id);
    const { naming } = props;
    validateSiteToSiteVpn(naming.environment, props.vpcCidr, props);

    this.transitGateway = new Ec2TransitGateway(this, "tgw", {
      description: `Customer connectivity of ${naming.prefix}`,
      amazonSideAsn: props.amazonSideAsn ?? DEFAULT_AMAZON_SIDE_ASN,
      autoAcceptSharedAttachments: "disable",
      defaultRouteTableAssociation: "enable",
      defaultRouteTablePropagation: "enable",
      dnsSupport: "enable",
      vpnEcmpSupport: "enable",
      tags: { Name: naming.name("tgw") },
    });
    this.attachment = new Ec2TransitGatewayVpcAttachment(this, "vpc-attachment", {
      transitGatewayId: this.transitGateway.id,
      vpcId: props.vpcId,
      subnetIds: [...props.subnetIds],
      dnsSupport: "enable",
      tags: { Name: naming.name("tgw-vpc") },
    });

    this.logGroup = new VendedLogGroup(this, "logs", {
      naming,
      logGroupName: `/aws/vpn/${naming.prefix}`,
      keyPurpose: "vpn-logs",
      description: "Site-to-Site VPN tunnel logs",
      retentionInDays: props.logRetentionDays,
      retentionFieldPath: `${naming.environment}.logRetentionDays`,
    });
    const tunnel = {
      ikeVersions: [...VPN_TUNNEL_CRYPTO.ikeVersions],
      phase1EncryptionAlgorithms: [...VPN_TUNNEL_CRYPTO.encryptionAlgorithms],
      phase1IntegrityAlgorithms: [...VPN_TUNNEL_CRYPTO.integrityAlgorithms],
      phase1DhGroupNumbers: [...VPN_TUNNEL_CRYPTO.dhGroupNumbers],
      phase2EncryptionAlgorithms: [...VPN_TUNNEL_CRYPTO.encryptionAlgorithms],
      phase2IntegrityAlgorithms: [...VPN_TUNNEL_CRYPTO.integrityAlgorithms],
      phase2DhGroupNumbers: [...VPN_TUNNEL_CRYPTO.dhGroupNumbers],
      logOptions: {
        cloudwatchLogOptions: {
          logEnabled: true,
          logGroupArn: this.logGroup.logGroupArn,
          logOutputFormat: "json",
          bgpLogEnabled: true,
          bgpLogGroupArn: this.logGroup.logGroupArn,
          bgpLogOutputFormat: "json",
        },
      },
    };

    const connections: Record<string, VpnConnection> = {};
    for (const customer of props.customers) {
      const gateway = new CustomerGateway(this, `cgw-${customer.name}`, {
        type: "ipsec.1",
        bgpAsn: String(customer.bgpAsn),
        ipAddress: customer.ipAddress,
        tags: { Name: naming.name("vpn", customer.name) },
      });
      connections[customer.name] = new VpnConnection(this, `vpn-${customer.name}`, {
        type: "ipsec.1",
        customerGatewayId: gateway.id,
        transitGatewayId: this.transitGateway.id,
        staticRoutesOnly: false,
        tunnel1IkeVersions: tunnel.ikeVersions,
        tunnel1Phase1EncryptionAlgorithms: tunnel.phase1EncryptionAlgorithms,
        tunnel1Phase1IntegrityAlgorithms: tunnel.phase1IntegrityAlgorithms,
        tunnel1Phase1DhGroupNumbers: tunnel.phase1DhGroupNumbers,
        tunnel1Phase2EncryptionAlgorithms: tunnel.phase2EncryptionAlgorithms,
        tunnel1Phase2IntegrityAlgorithms: tunnel.phase2IntegrityAlgorithms,
        tunnel1Phase2DhGroupNumbers: tunnel.phase2DhGroupNumbers,
        tunnel1LogOptions: tunnel.logOptions,
        tunnel2IkeVersions: tunnel.ikeVersions,
        tunnel2Phase1EncryptionAlgorithms: tunnel.phase1EncryptionAlgorithms,
        tunnel2Phase1IntegrityAlgorithms: tunnel.phase1IntegrityAlgorithms,
        tunnel2Phase1DhGroupNumbers: tunnel.phase1DhGroupNumbers,
        tunnel2Phase2EncryptionAlgorithms: tunnel.phase2EncryptionAlgorithms,
        tunnel2Phase2IntegrityAlgorithms: tunnel.phase2IntegrityAlgorithms,
        tunnel2Phase2DhGroupNumbers: tunnel.phase2DhGroupNumbers,
        tunnel2LogOptions: tunnel.logOptions,
        tags: { Name: naming.name("vpn", customer.name) },
        dependsOn: [this.logGroup.resourcePolicy],
      });
      customer.routedCidrs.forEach((cidr) =>
        props.routeTableIds.forEach((tableId, i) =>
          new Route(this, `route-${customer.name}-${cidr.replace(/[./]/g, "-")}-${i}`, {
            routeTableId: tableId,
            destinationCidrBlock: cidr,
            transitGatewayId: this.transitGateway.id,
            dependsOn: [this.attachment],
          }),
        ),
      );
    }
    this.connections = connections;
    this.remoteCidrs = props.customers.flatMap((c) => [...c.routedCidrs]);
  }
}
