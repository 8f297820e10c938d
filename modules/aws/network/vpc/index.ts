import { Construct } from "constructs";
import { DataAwsAvailabilityZone } from "@cdktf/provider-aws/lib/data-aws-availability-zone";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcIpv4CidrBlockAssociation } from "@cdktf/provider-aws/lib/vpc-ipv4-cidr-block-association";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { AwsContext } from "../../../shared/aws-context";
import { KARPENTER_DISCOVERY_TAG_KEY } from "../../compute/karpenter-prerequisites";
import { policyDocument } from "../../../shared/iam";
import { EncryptedLogGroups } from "../../observability/log-group";
import { Naming } from "../../../shared/naming";
import { NetworkLayout, validateNetworkLayout } from "./validate";

export { NAT_GATEWAY_MODES, POD_CIDR_SPACE, SUBNET_TIERS, validateNetworkLayout } from "./validate";
export type { NatGatewayMode, PodNetworkLayout, SubnetTier } from "./validate";

/** Subnet tags the AWS Load Balancer Controller uses to find subnets for internet-facing/internal load balancers. */
export const ELB_ROLE_TAGS = {
  public: { "kubernetes.io/role/elb": "1" },
  private: { "kubernetes.io/role/internal-elb": "1" },
} as const;


/** The per-environment network settings (the `network` section of an environment's config). */
export interface NetworkSettings extends NetworkLayout {
  /**
   * Traffic the VPC flow logs record.
   * @default "ALL"
   */
  readonly flowLogTrafficType?: "ALL" | "ACCEPT" | "REJECT";
}

export interface NetworkProps extends NetworkSettings {
  /** Names every resource `aivo-<env>-…`. */
  readonly naming: Naming;
  /** The region of the stack's AWS provider; the AZs must belong to it. */
  readonly region: string;
  /** Retention of the flow-log group, in days (a value CloudWatch Logs accepts). */
  readonly logRetentionDays: number;
  /**
   * The EKS cluster that will run in this VPC: its name tags the private subnets for Karpenter
   * discovery (`karpenter.sh/discovery`). @default no discovery tag
   */
  readonly eksClusterName?: string;
  /**
   * AZ IDs the subnets must not be in, with why (e.g. `EKS_UNSUPPORTED_ZONE_IDS`). AZ names map to
   * different physical zones in each account, so the check runs at plan time: each configured name is
   * looked up (`data.aws_availability_zone`) and a postcondition fails the plan, before any subnet is
   * created, when its zone ID is listed. @default none
   */
  readonly excludedZoneIds?: { readonly zoneIds: readonly string[]; readonly reason: string };
}

/** The subnets of one tier, keyed by AZ. */
export type SubnetsByAz = Readonly<Record<string, Subnet>>;

/**
 * The environment's VPC: three subnet tiers spread over the AZs (each subnet keyed by its AZ, so
 * adding an AZ never re-creates the others), internet and NAT gateways, route tables (database
 * subnets have no internet route), subnet groups for RDS and ElastiCache, S3 and DynamoDB gateway
 * endpoints, KMS-encrypted VPC flow logs, and the default security group stripped of all rules.
 */
export class Network extends Construct {
  /** The VPC resource (escape hatch). */
  readonly vpc: Vpc;
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** The AZs, in configuration order. */
  readonly availabilityZones: readonly string[];
  /** The AZ ID of each configured AZ name in this account (`us-east-1a` → `use1-az4`), known at plan time. */
  readonly zoneIds: Readonly<Record<string, string>>;
  readonly publicSubnets: SubnetsByAz;
  readonly privateSubnets: SubnetsByAz;
  readonly databaseSubnets: SubnetsByAz;
  /** Subnet ids in AZ order. */
  readonly publicSubnetIds: string[];
  readonly privateSubnetIds: string[];
  readonly databaseSubnetIds: string[];
  /** Pod subnets (secondary CIDR) keyed by AZ; empty without `podNetwork`. */
  readonly podSubnets: SubnetsByAz;
  /** Pod subnet ids by AZ (the VPC CNI's ENIConfig per AZ); empty without `podNetwork`. */
  readonly podSubnetIdsByAz: Readonly<Record<string, string>>;
  /** Route tables of the private subnets, keyed by AZ. */
  readonly privateRouteTableIds: string[];
  /** The RDS subnet group over the database subnets. */
  readonly dbSubnetGroupName: string;
  /** The ElastiCache subnet group over the database subnets. */
  readonly elasticacheSubnetGroupName: string;
  /** The NAT gateways, keyed by the AZ they stand in. */
  readonly natGateways: Readonly<Record<string, NatGateway>>;
  /** The flow-log group. */
  readonly flowLogGroupName: string;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const { naming } = props;
    validateNetworkLayout(naming.environment, props.region, props);
    const context = AwsContext.of(this);
    const zones = props.availabilityZones;
    this.availabilityZones = zones;
    this.vpcCidr = props.vpcCidr;

    // Configured by name (stable keys: a subnet is never re-created for this check), validated by ID.
    const excluded = props.excludedZoneIds;
    this.zoneIds = Object.fromEntries(
      zones.map((zone) => {
        const lookup = new DataAwsAvailabilityZone(this, `zone-${zone}`, {
          name: zone,
          state: "available",
          ...(excluded?.zoneIds.length
            ? {
                lifecycle: {
                  postcondition: [
                    {
                      condition: `\${!contains(${JSON.stringify(excluded.zoneIds)}, self.zone_id)}`,
                      errorMessage: `${naming.environment}.network.availabilityZones: ${zone} is zone \${self.zone_id} in this account, one of ${excluded.zoneIds.join(", ")}: ${excluded.reason}. Choose another AZ name (aws ec2 describe-availability-zones --query 'AvailabilityZones[].[ZoneName,ZoneId]').`,
                    },
                  ],
                },
              }
            : {}),
        });
        return [zone, lookup.zoneId];
      }),
    );

    this.vpc = new Vpc(this, "vpc", {
      cidrBlock: props.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: naming.name("vpc") },
    });
    this.vpcId = this.vpc.id;

    // CKV2_AWS_12: the default security group allows nothing; every workload gets its own group.
    new DefaultSecurityGroup(this, "default-security-group", {
      vpcId: this.vpcId,
      ingress: [],
      egress: [],
      tags: { Name: naming.name("default-deny-all") },
    });

    const igw = new InternetGateway(this, "internet-gateway", {
      vpcId: this.vpcId,
      tags: { Name: naming.name("igw") },
    });

    const subnetTier = (tier: string, cidrs: readonly string[], tags: Record<string, string>): SubnetsByAz =>
      Object.fromEntries(
        zones.map((zone, i) => [
          zone,
          new Subnet(this, `${tier}-${zone}`, {
            vpcId: this.vpcId,
            availabilityZone: zone,
            cidrBlock: cidrs[i],
            // CKV_AWS_130: nothing gets a public IP by default, not even in the public tier.
            mapPublicIpOnLaunch: false,
            tags: { Name: naming.name(tier, zone), Tier: tier, ...tags },
          }),
        ]),
      );
    const discovery: Record<string, string> = props.eksClusterName
      ? { [KARPENTER_DISCOVERY_TAG_KEY]: props.eksClusterName }
      : {};
    this.publicSubnets = subnetTier("public", props.publicSubnets, { ...ELB_ROLE_TAGS.public });
    this.privateSubnets = subnetTier("private", props.privateSubnets, { ...ELB_ROLE_TAGS.private, ...discovery });
    this.databaseSubnets = subnetTier("database", props.databaseSubnets, {});
    const ids = (tier: SubnetsByAz) => zones.map((zone) => tier[zone].id);
    this.publicSubnetIds = ids(this.publicSubnets);
    this.privateSubnetIds = ids(this.privateSubnets);
    this.databaseSubnetIds = ids(this.databaseSubnets);

    // Public tier: one table, default route to the internet gateway.
    const publicTable = new RouteTable(this, "public-route-table", {
      vpcId: this.vpcId,
      tags: { Name: naming.name("public") },
    });
    new Route(this, "public-default-route", {
      routeTableId: publicTable.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: igw.id,
    });
    zones.forEach((zone) =>
      new RouteTableAssociation(this, `public-${zone}-association`, {
        subnetId: this.publicSubnets[zone].id,
        routeTableId: publicTable.id,
      }),
    );

    // NAT: in the first AZ only, or in every AZ. Keyed by AZ so switching modes keeps the first one.
    const natZones = props.natGateways === "single" ? zones.slice(0, 1) : zones;
    this.natGateways = Object.fromEntries(
      natZones.map((zone) => {
        const eip = new Eip(this, `nat-eip-${zone}`, {
          domain: "vpc",
          tags: { Name: naming.name("nat", zone) },
          dependsOn: [igw],
        });
        const nat = new NatGateway(this, `nat-${zone}`, {
          allocationId: eip.allocationId,
          subnetId: this.publicSubnets[zone].id,
          tags: { Name: naming.name("nat", zone) },
          dependsOn: [igw],
        });
        return [zone, nat];
      }),
    );

    // Private tier: a table per AZ (whatever the NAT mode, so changing it only moves routes).
    const privateTables = zones.map((zone) => {
      const table = new RouteTable(this, `private-route-table-${zone}`, {
        vpcId: this.vpcId,
        tags: { Name: naming.name("private", zone) },
      });
      new Route(this, `private-default-route-${zone}`, {
        routeTableId: table.id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: (this.natGateways[zone] ?? this.natGateways[natZones[0]]).id,
      });
      new RouteTableAssociation(this, `private-${zone}-association`, {
        subnetId: this.privateSubnets[zone].id,
        routeTableId: table.id,
      });
      return table;
    });
    this.privateRouteTableIds = privateTables.map((table) => table.id);

    // Pods: a secondary CIDR and one subnet per AZ, routed like the private subnet of the same AZ
    // (egress through NAT, S3/DynamoDB through the gateway endpoints).
    const podNetwork = props.podNetwork;
    const podCidr = podNetwork
      ? new VpcIpv4CidrBlockAssociation(this, "pod-cidr", { vpcId: this.vpcId, cidrBlock: podNetwork.cidr })
      : undefined;
    this.podSubnets = Object.fromEntries(
      podNetwork && podCidr
        ? zones.map((zone, i) => {
            const subnet = new Subnet(this, `pods-${zone}`, {
              // The association's vpc_id: the subnet is created once the secondary CIDR is attached.
              vpcId: podCidr.vpcId,
              availabilityZone: zone,
              cidrBlock: podNetwork.subnets[i],
              mapPublicIpOnLaunch: false,
              tags: { Name: naming.name("pods", zone), Tier: "pods" },
            });
            new RouteTableAssociation(this, `pods-${zone}-association`, { subnetId: subnet.id, routeTableId: privateTables[i].id });
            return [zone, subnet];
          })
        : [],
    );
    this.podSubnetIdsByAz = Object.fromEntries(Object.entries(this.podSubnets).map(([zone, subnet]) => [zone, subnet.id]));

    // Database tier: one table with only the implicit local route — no internet in either direction.
    const databaseTable = new RouteTable(this, "database-route-table", {
      vpcId: this.vpcId,
      tags: { Name: naming.name("database") },
    });
    zones.forEach((zone) =>
      new RouteTableAssociation(this, `database-${zone}-association`, {
        subnetId: this.databaseSubnets[zone].id,
        routeTableId: databaseTable.id,
      }),
    );

    // Gateway endpoints (free): S3 and DynamoDB traffic stays on the AWS network, also from the database tier.
    for (const service of ["s3", "dynamodb"]) {
      new VpcEndpoint(this, `${service}-gateway-endpoint`, {
        vpcId: this.vpcId,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: "Gateway",
        routeTableIds: [...this.privateRouteTableIds, databaseTable.id],
        tags: { Name: naming.name(service, "endpoint") },
      });
    }

    const dbSubnetGroup = new DbSubnetGroup(this, "db-subnet-group", {
      name: naming.name("database"),
      description: `Database subnets of ${naming.prefix}`,
      subnetIds: this.databaseSubnetIds,
    });
    this.dbSubnetGroupName = dbSubnetGroup.name;
    const cacheSubnetGroup = new ElasticacheSubnetGroup(this, "elasticache-subnet-group", {
      name: naming.name("cache"),
      description: `Cache subnets of ${naming.prefix}`,
      subnetIds: this.databaseSubnetIds,
    });
    this.elasticacheSubnetGroupName = cacheSubnetGroup.name;

    // Flow logs → CloudWatch Logs, encrypted with a CMK that only CloudWatch Logs of this account may use.
    const logGroup = new EncryptedLogGroups(this, "flow-logs", {
      naming,
      keyPurpose: "flow-logs",
      description: `VPC flow logs of ${naming.prefix}`,
      logGroups: { group: `/aws/vpc/${naming.name("vpc")}/flow-logs` },
      retentionInDays: props.logRetentionDays,
      retentionFieldPath: `${naming.environment}.logRetentionDays`,
    }).group("group");
    this.flowLogGroupName = logGroup.name;
    const role = new IamRole(this, "flow-logs-role", {
      name: naming.name("vpc-flow-logs"),
      description: `Lets VPC Flow Logs write ${logGroup.name}`,
      assumeRolePolicy: policyDocument([
        {
          Sid: "AllowVpcFlowLogs",
          Principal: { Service: "vpc-flow-logs.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": context.accountId },
            ArnLike: { "aws:SourceArn": context.arn("ec2", "vpc-flow-log/*") },
          },
        },
      ]),
    });
    new IamRolePolicy(this, "flow-logs-policy", {
      name: "write-flow-logs",
      role: role.id,
      policy: policyDocument([
        {
          Sid: "WriteFlowLogGroup",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: [logGroup.arn, `${logGroup.arn}:*`],
        },
        {
          // As in the provider's aws_flow_log example and the VPC Flow Logs IAM docs: a read-only
          // list call that is not scoped to one log group.
          Sid: "DescribeLogGroups",
          Action: "logs:DescribeLogGroups",
          Resource: "*",
        },
      ]),
    });
    new FlowLog(this, "flow-log", {
      vpcId: this.vpcId,
      trafficType: props.flowLogTrafficType ?? "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { Name: naming.name("vpc-flow-log") },
    });
  }
}
