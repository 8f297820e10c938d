import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { parseIpv4Cidr } from "../../../shared/cidr";
import { Naming } from "../../../shared/naming";

/**
 * The interface endpoints (PrivateLink) a private EKS cluster needs to pull images, assume IRSA
 * roles, read secrets and keys, ship logs and run SSM/EC2 calls without leaving the AWS network:
 * the short name (`com.amazonaws.<region>.<service>`) of each.
 */
export const INTERFACE_ENDPOINT_SERVICES = ["ecr.api", "ecr.dkr", "sts", "secretsmanager", "kms", "logs", "ssm", "ec2"] as const;
/** One of {@link INTERFACE_ENDPOINT_SERVICES}. */
export type InterfaceEndpointService = (typeof INTERFACE_ENDPOINT_SERVICES)[number];

/** The only port the endpoints listen on. */
export const HTTPS_PORT = 443;

/** The `vpcEndpoints` section of an environment config. */
export interface VpcEndpointsSettings {
  /** Create the interface endpoints. Production must; elsewhere they trade ~$7/month/AZ each for NAT traffic. */
  readonly enabled: boolean;
  /** Which services get an endpoint. @default all of INTERFACE_ENDPOINT_SERVICES */
  readonly services?: readonly InterfaceEndpointService[];
}

export interface VpcEndpointsProps {
  /** Names the security group and the endpoints' `Name` tags. */
  readonly naming: Naming;
  /** The region of the VPC: the endpoints' service names are `com.amazonaws.<region>.<service>`. */
  readonly region: string;
  readonly vpcId: string;
  /**
   * The VPC's CIDRs (primary, and any secondary range pods use): the only sources the endpoints'
   * security group admits (TCP 443), one rule each.
   */
  readonly vpcCidrs: readonly string[];
  /** Subnets the endpoint network interfaces are placed in (one per AZ: the private subnets). */
  readonly subnetIds: readonly string[];
  /** @default all of INTERFACE_ENDPOINT_SERVICES */
  readonly services?: readonly InterfaceEndpointService[];
}

/** Throws `<path>: "<value>" …` for an unknown or repeated service. */
export function validateEndpointServices(path: string, services: readonly string[]): void {
  services.forEach((service, i) => {
    if (!(INTERFACE_ENDPOINT_SERVICES as readonly string[]).includes(service)) {
      throw new Error(`${path}[${i}]: "${service}" is not a supported endpoint service; use ${INTERFACE_ENDPOINT_SERVICES.join(", ")}`);
    }
    if (services.indexOf(service) !== i) throw new Error(`${path}[${i}]: "${service}" is listed twice`);
  });
}

/**
 * Interface VPC endpoints with private DNS, so the SDKs' default hostnames resolve to addresses in
 * the VPC, behind one security group that admits TCP 443 from the VPC CIDR and nothing else (no egress:
 * endpoints answer, they never connect out).
 */
export class VpcEndpoints extends Construct {
  readonly securityGroup: SecurityGroup;
  readonly securityGroupId: string;
  /** The endpoints, keyed by service short name. */
  readonly endpoints: Readonly<Partial<Record<InterfaceEndpointService, VpcEndpoint>>>;

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    const services = props.services ?? INTERFACE_ENDPOINT_SERVICES;
    validateEndpointServices(`${props.naming.environment}.vpcEndpoints.services`, services);
    if (props.subnetIds.length === 0) throw new Error(`${props.naming.environment}.vpcEndpoints: no subnets to place the endpoints in`);

    this.securityGroup = new SecurityGroup(this, "group", {
      name: props.naming.name("vpc-endpoints"),
      description: `Interface VPC endpoints of ${props.naming.prefix}: HTTPS from the VPC only`,
      vpcId: props.vpcId,
      egress: [],
      revokeRulesOnDelete: true,
    });
    this.securityGroupId = this.securityGroup.id;
    props.vpcCidrs.forEach((cidr, i) => {
      if (typeof parseIpv4Cidr(cidr) === "string") throw new Error(`${props.naming.environment}.vpcEndpoints: VPC CIDR "${cidr}" is not an IPv4 CIDR block`);
      new VpcSecurityGroupIngressRule(this, i === 0 ? "https-from-vpc" : `https-from-vpc-${i}`, {
        securityGroupId: this.securityGroup.id,
        description: "HTTPS from the VPC",
        ipProtocol: "tcp",
        fromPort: HTTPS_PORT,
        toPort: HTTPS_PORT,
        cidrIpv4: cidr,
      });
    });
    this.endpoints = Object.fromEntries(
      services.map((service) => [
        service,
        new VpcEndpoint(this, service.replace(".", "-"), {
          vpcId: props.vpcId,
          serviceName: `com.amazonaws.${props.region}.${service}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: [...props.subnetIds],
          securityGroupIds: [this.securityGroup.id],
          tags: { Name: props.naming.name(service.replace(".", "-"), "endpoint") },
        }),
      ]),
    );
  }
}
