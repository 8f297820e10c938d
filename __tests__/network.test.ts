import { Testing } from "cdktf";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Naming } from "../modules/shared/naming";
import { KARPENTER_DISCOVERY_TAG_KEY } from "../modules/aws/compute/karpenter-prerequisites";
import { EKS_AZ_EXCLUSION, EKS_UNSUPPORTED_ZONE_IDS } from "../modules/aws/compute/eks";
import { Network, NetworkProps } from "../modules/aws/network/vpc";
import { configsOf, onlyResource, parse, policy, resourcesOf } from "./helpers";

const zones = ["us-east-1a", "us-east-1b", "us-east-1c"];
const base: NetworkProps = {
  naming: new Naming("aivo", "test"),
  region: "us-east-1",
  logRetentionDays: 30,
  vpcCidr: "10.10.0.0/16",
  availabilityZones: zones,
  privateSubnets: ["10.10.1.0/24", "10.10.2.0/24", "10.10.3.0/24"],
  publicSubnets: ["10.10.101.0/24", "10.10.102.0/24", "10.10.103.0/24"],
  databaseSubnets: ["10.10.201.0/24", "10.10.202.0/24", "10.10.203.0/24"],
  natGateways: "single",
  eksClusterName: "aivo-test-eks",
};

function synthNetwork(props: Partial<NetworkProps> = {}) {
  let network!: Network;
  const json = Testing.synthScope((scope) => {
    network = new Network(scope, "network", { ...base, ...props });
  });
  return { json, doc: parse(json), network };
}

/** The route tables' logical ids that the subnets with `Tier` = tier are associated with. */
function tablesOfTier(doc: ReturnType<typeof parse>, tier: string): string[] {
  const subnets = resourcesOf(doc, "aws_subnet");
  return configsOf(doc, "aws_route_table_association")
    .filter((assoc) => {
      const subnetId = /aws_subnet\.([\w-]+)\.id/.exec(assoc.subnet_id)![1];
      return subnets[subnetId].tags.Tier === tier;
    })
    .map((assoc) => /aws_route_table\.([\w-]+)\.id/.exec(assoc.route_table_id)![1]);
}

describe("Network (single NAT)", () => {
  const { json, doc, network } = synthNetwork();
  const subnets = configsOf(doc, "aws_subnet");

  it("creates the VPC with DNS support and hostnames", () => {
    expect(json).toHaveResourceWithProperties(Vpc, {
      cidr_block: "10.10.0.0/16",
      enable_dns_support: true,
      enable_dns_hostnames: true,
      tags: { Name: "aivo-test-vpc" },
    });
  });

  it("spreads each tier over the three AZs with the exact CIDRs", () => {
    const byTier = (tier: string) =>
      subnets.filter((s) => s.tags.Tier === tier).map((s) => [s.availability_zone, s.cidr_block]);
    expect(byTier("public")).toEqual(zones.map((z, i) => [z, base.publicSubnets[i]]));
    expect(byTier("private")).toEqual(zones.map((z, i) => [z, base.privateSubnets[i]]));
    expect(byTier("database")).toEqual(zones.map((z, i) => [z, base.databaseSubnets[i]]));
    expect(subnets.every((s) => s.map_public_ip_on_launch === false)).toBe(true);
  });

  it("keys subnets by AZ, not list index", () => {
    expect(Object.keys(resourcesOf(doc, "aws_subnet"))).toEqual(
      expect.arrayContaining([expect.stringContaining("private-us-east-1b"), expect.stringContaining("database-us-east-1c")]),
    );
    expect(Object.keys(network.privateSubnets)).toEqual(zones);
  });

  it("tags subnets for the load balancer controller and Karpenter", () => {
    const pub = subnets.filter((s) => s.tags.Tier === "public");
    const priv = subnets.filter((s) => s.tags.Tier === "private");
    const db = subnets.filter((s) => s.tags.Tier === "database");
    expect(pub.every((s) => s.tags["kubernetes.io/role/elb"] === "1")).toBe(true);
    expect(priv.every((s) => s.tags["kubernetes.io/role/internal-elb"] === "1")).toBe(true);
    expect(priv.every((s) => s.tags[KARPENTER_DISCOVERY_TAG_KEY] === "aivo-test-eks")).toBe(true);
    expect(db.every((s) => !(KARPENTER_DISCOVERY_TAG_KEY in s.tags) && !("kubernetes.io/role/elb" in s.tags))).toBe(true);
  });

  it("has one NAT gateway, in the first AZ, and routes every private table through it", () => {
    const nats = resourcesOf(doc, "aws_nat_gateway");
    expect(Object.keys(nats)).toHaveLength(1);
    expect(Object.keys(nats)[0]).toContain("nat-us-east-1a");
    expect(configsOf(doc, "aws_eip")).toHaveLength(1);
    const privateRoutes = configsOf(doc, "aws_route").filter((r) => r.nat_gateway_id);
    expect(privateRoutes).toHaveLength(3);
    expect(new Set(privateRoutes.map((r) => r.nat_gateway_id)).size).toBe(1);
  });

  it("routes public subnets to the internet gateway", () => {
    const publicTables = new Set(tablesOfTier(doc, "public"));
    expect(publicTables.size).toBe(1);
    const routes = configsOf(doc, "aws_route").filter((r) => publicTables.has(/aws_route_table\.([\w-]+)\.id/.exec(r.route_table_id)![1]));
    expect(routes).toEqual([expect.objectContaining({ destination_cidr_block: "0.0.0.0/0", gateway_id: expect.stringContaining("aws_internet_gateway") })]);
  });

  it("gives database subnets no route to the internet", () => {
    const dbTables = new Set(tablesOfTier(doc, "database"));
    expect(dbTables.size).toBe(1);
    const routesOfDbTables = configsOf(doc, "aws_route").filter((r) =>
      dbTables.has(/aws_route_table\.([\w-]+)\.id/.exec(r.route_table_id)![1]),
    );
    expect(routesOfDbTables).toEqual([]);
    for (const id of dbTables) expect(resourcesOf(doc, "aws_route_table")[id].route).toBeUndefined();
  });

  it("creates the RDS and ElastiCache subnet groups over the database subnets", () => {
    const dbSubnetRefs = Object.entries(resourcesOf(doc, "aws_subnet"))
      .filter(([, s]) => s.tags.Tier === "database")
      .map(([id]) => `\${aws_subnet.${id}.id}`);
    expect(json).toHaveResourceWithProperties(DbSubnetGroup, { name: "aivo-test-database", subnet_ids: dbSubnetRefs });
    expect(json).toHaveResourceWithProperties(ElasticacheSubnetGroup, { name: "aivo-test-cache", subnet_ids: dbSubnetRefs });
  });

  it("manages the default security group with no rules", () => {
    expect(json).toHaveResourceWithProperties(DefaultSecurityGroup, { ingress: [], egress: [] });
  });

  it("sends ALL flow logs to a KMS-encrypted log group with retention, through a least-privilege role", () => {
    expect(json).toHaveResourceWithProperties(FlowLog, { traffic_type: "ALL", log_destination_type: "cloud-watch-logs" });
    const group = onlyResource(doc, "aws_cloudwatch_log_group");
    expect(group).toMatchObject({ name: "/aws/vpc/aivo-test-vpc/flow-logs", retention_in_days: 30 });
    expect(group.kms_key_id).toMatch(/aws_kms_key\.[\w-]+\.arn/);
    const key = onlyResource(doc, "aws_kms_key");
    expect(key.enable_key_rotation).toBe(true);
    expect(policy(key.policy).Statement.map((s) => s.Sid)).toContain("AllowLogs");
    const rolePolicy = policy(onlyResource(doc, "aws_iam_role_policy").policy);
    expect(rolePolicy.Statement[0].Action).toEqual(["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]);
    expect(rolePolicy.Statement[0].Resource).not.toContain("*");
    // The provider's aws_flow_log example grants DescribeLogGroups too (a list call, not per group).
    expect(rolePolicy.Statement[1]).toMatchObject({ Action: "logs:DescribeLogGroups", Resource: "*" });
    const trust = policy(onlyResource(doc, "aws_iam_role").assume_role_policy);
    expect(trust.Statement[0].Condition.StringEquals).toHaveProperty("aws:SourceAccount");
  });

  it("keeps S3 and DynamoDB traffic on gateway endpoints for private and database tables", () => {
    const endpoints = configsOf(doc, "aws_vpc_endpoint");
    expect(endpoints.map((e) => e.service_name).sort()).toEqual(["com.amazonaws.us-east-1.dynamodb", "com.amazonaws.us-east-1.s3"]);
    expect(endpoints.every((e) => e.vpc_endpoint_type === "Gateway" && e.route_table_ids.length === 4)).toBe(true);
  });

  it("exposes ids in AZ order", () => {
    expect(network.privateSubnetIds).toHaveLength(3);
    expect(network.availabilityZones).toEqual(zones);
  });
});

describe("Network (one NAT per AZ)", () => {
  const { doc } = synthNetwork({ natGateways: "one-per-az" });

  it("puts a NAT gateway in each AZ's public subnet and routes each private table to its own AZ's NAT", () => {
    const nats = resourcesOf(doc, "aws_nat_gateway");
    expect(Object.keys(nats)).toHaveLength(3);
    const subnets = resourcesOf(doc, "aws_subnet");
    for (const nat of Object.values(nats)) {
      const subnet = subnets[/aws_subnet\.([\w-]+)\.id/.exec(nat.subnet_id)![1]];
      expect(subnet.tags.Tier).toBe("public");
    }
    const routes = configsOf(doc, "aws_route").filter((r) => r.nat_gateway_id);
    expect(new Set(routes.map((r) => r.nat_gateway_id)).size).toBe(3);
    for (const zone of zones) {
      const [routeId] = Object.entries(resourcesOf(doc, "aws_route")).find(([id]) => id.includes(`private-default-route-${zone}`))!;
      expect(resourcesOf(doc, "aws_route")[routeId].nat_gateway_id).toContain(`nat-${zone}`);
    }
  });
});

describe("Network with a pod network (secondary CIDR, custom networking)", () => {
  const podNetwork = { cidr: "100.64.0.0/16", subnets: ["100.64.0.0/18", "100.64.64.0/18", "100.64.128.0/18"] };
  const { doc, network } = synthNetwork({ podNetwork });

  it("attaches the secondary CIDR from 100.64.0.0/10 and creates one pod subnet per AZ inside it, once it is attached", () => {
    const association = onlyResource(doc, "aws_vpc_ipv4_cidr_block_association");
    expect(association).toEqual({ vpc_id: expect.stringMatching(/^\$\{aws_vpc\.[\w-]+\.id\}$/), cidr_block: "100.64.0.0/16" });
    const pods = configsOf(doc, "aws_subnet").filter((s) => s.tags.Tier === "pods");
    expect(pods.map((s) => [s.availability_zone, s.cidr_block])).toEqual(zones.map((z, i) => [z, podNetwork.subnets[i]]));
    for (const s of pods) {
      expect(s.vpc_id).toMatch(/^\$\{aws_vpc_ipv4_cidr_block_association\.[\w-]+\.vpc_id\}$/);
      expect(s.map_public_ip_on_launch).toBe(false);
      // Pods are not load balancer or Karpenter node targets.
      expect(Object.keys(s.tags).sort()).toEqual(["Name", "Tier"]);
    }
  });

  it("routes each pod subnet like the private subnet of its AZ (NAT, gateway endpoints)", () => {
    expect(tablesOfTier(doc, "pods")).toEqual(tablesOfTier(doc, "private"));
  });

  it("exposes the pod subnet ids by AZ for the VPC CNI's ENIConfigs", () => {
    expect(Object.keys(network.podSubnetIdsByAz)).toEqual(zones);
    expect(synthNetwork().network.podSubnetIdsByAz).toEqual({});
  });
});

describe("Network validation", () => {
  const cases: [string, Partial<NetworkProps>, string][] = [
    ["a malformed VPC CIDR", { vpcCidr: "10.10.0/16" }, 'test.network.vpcCidr: "10.10.0/16" is not an IPv4 CIDR block like 10.0.0.0/16'],
    ["host bits set", { vpcCidr: "10.10.0.1/16" }, 'test.network.vpcCidr: "10.10.0.1/16" has host bits set; the block is 10.10.0.0/16'],
    ["a prefix AWS does not accept", { vpcCidr: "10.0.0.0/8" }, "test.network.vpcCidr: 10.0.0.0/8 has prefix /8; AWS accepts /16 to /28"],
    [
      "a subnet outside the VPC",
      { privateSubnets: ["10.10.1.0/24", "10.11.2.0/24", "10.10.3.0/24"] },
      "test.network.privateSubnets[1]: 10.11.2.0/24 is outside the VPC 10.10.0.0/16",
    ],
    [
      "overlapping subnets",
      { databaseSubnets: ["10.10.201.0/24", "10.10.202.0/24", "10.10.3.0/24"] },
      "test.network.databaseSubnets[2]: 10.10.3.0/24 overlaps privateSubnets[2] (10.10.3.0/24)",
    ],
    [
      "a tier with fewer subnets than AZs",
      { publicSubnets: ["10.10.101.0/24", "10.10.102.0/24"] },
      "test.network.publicSubnets: has 2 subnets for 3 availability zones (us-east-1a, us-east-1b, us-east-1c); give one subnet per AZ",
    ],
    [
      "an AZ of another region",
      { availabilityZones: ["us-east-1a", "us-west-2b", "us-east-1c"] },
      'test.network.availabilityZones[1]: "us-west-2b" is not an availability zone of us-east-1',
    ],
    [
      "a repeated AZ",
      { availabilityZones: ["us-east-1a", "us-east-1a", "us-east-1c"] },
      "test.network.availabilityZones[1]: us-east-1a repeats availabilityZones[0]",
    ],
    ["an unknown NAT mode", { natGateways: "two" as never }, 'test.network.natGateways: "two" is not one of single, one-per-az'],
  ];
  it.each(cases)("rejects %s", (_what, props, message) => {
    expect(() => synthNetwork(props)).toThrow(message);
  });
});

describe("Network AZs: configured by name, checked by ID at plan time", () => {
  const { doc, network } = synthNetwork({ excludedZoneIds: EKS_AZ_EXCLUSION });
  const lookups = Object.values(doc.data!.aws_availability_zone);

  it("looks up every configured name, available, and fails the plan when it maps to a zone EKS does not support", () => {
    expect(lookups.map((l) => [l.name, l.state])).toEqual(zones.map((z) => [z, "available"]));
    for (const lookup of lookups) {
      const [check] = lookup.lifecycle.postcondition;
      expect(check.condition).toBe(`\${!contains(${JSON.stringify(EKS_UNSUPPORTED_ZONE_IDS)}, self.zone_id)}`);
      expect(check.error_message).toContain(`test.network.availabilityZones: ${lookup.name} is zone \${self.zone_id} in this account`);
    }
    expect(EKS_UNSUPPORTED_ZONE_IDS).toContain("use1-az3");
  });

  it("keeps every per-AZ resource keyed by the configured name (no re-creation) and exposes the IDs", () => {
    for (const zone of zones) expect(Object.keys(doc.resource!.aws_subnet).some((k) => k.startsWith(`network_private-${zone}_`))).toBe(true);
    expect(Object.keys(network.zoneIds)).toEqual(zones);
    expect(network.zoneIds[zones[0]]).toMatch(/^\$\{TfToken\[/); // the lookup's zone_id, resolved at plan time
  });

  it("adds no postcondition without exclusions", () => {
    const plain = synthNetwork().doc;
    for (const lookup of Object.values(plain.data!.aws_availability_zone)) expect(lookup.lifecycle).toBeUndefined();
  });
});
