import { TerraformDocument } from "../modules/shared/guardrails";
import { componentsOf, environmentDot, splitByProvider } from "../scripts/diagram/graph";
import { renderSvgs } from "../scripts/diagram/render";

const subnet = (tier: string, az: string) => `\${aws_subnet.network_${tier}-${az}_ABCD1234.id}`;

/** A small environment: the way in, a VPC with three tiers, a cluster, two data stores and a bucket in the DR region. */
const primary: TerraformDocument = {
  resource: {
    aws_cloudfront_distribution: { cdn: { aliases: ["qa.aivo.edu"] } },
    aws_wafv2_web_acl: { acl: { rule: [{ name: "a" }, { name: "b" }] } },
    aws_vpc: { vpc: { cidr_block: "10.50.0.0/16" } },
    aws_subnet: {
      "network_public-us-east-1a_ABCD1234": { availability_zone: "us-east-1a" },
      "network_private-us-east-1a_ABCD1234": { availability_zone: "us-east-1a" },
      "network_database-us-east-1a_ABCD1234": { availability_zone: "us-east-1a" },
    },
    aws_nat_gateway: { nat: { subnet_id: subnet("public", "us-east-1a") } },
    aws_eks_cluster: { eks: { version: "1.35" } },
    aws_eks_node_group: { general: { node_group_name_prefix: "aivo-qa-general-", instance_types: ["m6i.large"], scaling_config: { min_size: 1, desired_size: 2, max_size: 4 } } },
    aws_db_subnet_group: { dbs: { subnet_ids: [subnet("database", "us-east-1a")] } },
    aws_db_instance: {
      primary: { instance_class: "db.t4g.medium", engine_version: "15", multi_az: true, db_subnet_group_name: "${aws_db_subnet_group.dbs.name}" },
      replica: { instance_class: "db.t4g.medium", replicate_source_db: "${aws_db_instance.primary.identifier}" },
    },
    aws_msk_cluster: { kafka: { number_of_broker_nodes: 3, broker_node_group_info: { instance_type: "kafka.t3.small", client_subnets: [subnet("private", "us-east-1a")] } } },
    aws_s3_bucket: { a: {}, replica: { provider: "aws.dr" } },
    aws_kms_key: { k: {} },
  },
};

describe("the architecture graph", () => {
  const components = componentsOf([primary]);
  const place = Object.fromEntries(components.map((c) => [c.id, c.place]));

  it("draws each major component in its place: data stores in the tier their subnets are in, a replica in its source's", () => {
    expect(place).toEqual({
      users: "outside",
      cloudfront: "outside",
      waf: "outside",
      nat: "public",
      eks: "cluster",
      nodegroup_general: "cluster",
      rds: "database",
      rds_1: "database",
      msk: "private",
      s3: "cloud",
      kms: "cloud",
    });
    expect(components.find((c) => c.id === "nodegroup_general")!.label).toBe("node group general\nm6i.large\n1–2–4 nodes");
    expect(components.find((c) => c.id === "s3")!.label).toBe("S3\n2 buckets");
  });

  it("moves a primary stack's DR-provider resources to the DR side", () => {
    expect(Object.keys(splitByProvider(primary, "aws.dr", true).resource!.aws_s3_bucket)).toEqual(["replica"]);
    expect(Object.keys(splitByProvider(primary, "aws.dr", false).resource!.aws_s3_bucket)).toEqual(["a"]);
  });

  it("renders to an SVG with every component, the DR region and the replication arrows", async () => {
    const drStack: TerraformDocument = { resource: { aws_db_instance: { replica: { instance_class: "db.t4g.medium" } }, aws_vpc: { vpc: { cidr_block: "10.150.0.0/16" } } } };
    const dot = environmentDot("AIVO qa", "us-east-1", [primary], { region: "us-west-2", doc: drStack });
    expect(dot).toContain('label="DR region · us-west-2 (pilot light)"');
    expect(dot).toContain('rds -> dr_rds [label="cross-region read replica"');
    expect(dot).toContain('s3 -> dr_s3 [label="S3 replication, backup copies"');
    const { "qa.svg": svg } = await renderSvgs({ "qa.svg": dot });
    const titles = [...svg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]);
    expect(titles).toEqual(expect.arrayContaining([...components.map((c) => c.id), "dr_rds", "dr_s3"]));
    expect(svg.startsWith("<?xml")).toBe(true);
  });
});
