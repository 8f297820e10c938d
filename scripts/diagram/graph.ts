/**
 * An environment's architecture as a Graphviz graph, read from its synthesized stacks and laid out like
 * the infrastructure document's picture: users → CloudFront → WAF → the ALB in the VPC; the VPC's
 * public, private and database tiers across its AZs; NAT gateways; the EKS cluster with its node groups,
 * Fargate profiles and Karpenter pools; the data stores in the tier their subnets are in; S3, Secrets
 * Manager, KMS and CloudWatch below; the DR region beside it with the replication arrows.
 */
import { StackDocument, TerraformDocument, TfBlock, block, blocks } from "../../modules/shared/guardrails/engine";
import { sortedDocument } from "../../modules/shared/cost";

/** A major component: its node id in the graph (the SVG's `<title>`) and its label. */
export interface Component {
  readonly id: string;
  readonly label: string;
  /** Where it is drawn: outside AWS, the AWS cloud, the VPC or one of its tiers, the cluster. */
  readonly place: "outside" | "cloud" | "vpc" | "public" | "private" | "database" | "cluster";
}

/** The provider reference of a primary stack's resources in the DR region. */
export const DR_PROVIDER = "aws.dr";

const quote = (text: string) => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const id = (text: string) => text.replace(/[^A-Za-z0-9_]/g, "_");

/** The subnet tier (`public`, `private`, `database`) a resource's arguments (or the subnet group they name) point into. */
function tierOf(config: TfBlock, doc: StackDocument): Component["place"] | undefined {
  const text = JSON.stringify(config);
  const direct = /aws_subnet\.[A-Za-z0-9]+_(public|private|database)-/.exec(text);
  if (direct) return direct[1] as Component["place"];
  // Through the subnet group it names, or (a read replica) the instance it replicates.
  for (const ref of text.match(/aws_(db_subnet_group|elasticache_subnet_group|db_instance)\.[A-Za-z0-9_-]+/g) ?? []) {
    const other = doc.at(ref);
    const tier = other && other.config !== config ? tierOf(other.config, doc) : undefined;
    if (tier) return tier;
  }
  return undefined;
}

/** The components of a set of stack documents (one environment's stacks, or its DR stack). */
export function componentsOf(docs: readonly TerraformDocument[]): Component[] {
  const out: Component[] = [];
  const all = docs.map((d) => new StackDocument(sortedDocument(d)));
  const of = (type: string) => all.flatMap((d) => d.resources(type).map((r) => ({ r, d })));
  const add = (c: Component) => out.push(c);
  if (of("aws_cloudfront_distribution").length) add({ id: "users", label: "Users", place: "outside" });
  for (const { r } of of("aws_cloudfront_distribution")) add({ id: "cloudfront", label: `CloudFront\n${(r.config.aliases ?? []).join(", ")}`, place: "outside" });
  for (const { r } of of("aws_wafv2_web_acl")) add({ id: "waf", label: `WAF web ACL\n${count(blocks(r.config.rule).length, "rule")}`, place: "outside" });
  const helm = of("helm_release").map(({ r }) => r.config.name);
  if (helm.includes("aws-load-balancer-controller")) add({ id: "alb", label: "ALB\n(AWS Load Balancer Controller)", place: "public" });
  const nats = of("aws_nat_gateway").length;
  if (nats) add({ id: "nat", label: `NAT gateways\n× ${nats}`, place: "public" });
  const endpoints = of("aws_vpc_endpoint").filter(({ r }) => r.config.vpc_endpoint_type === "Interface");
  if (endpoints.length) add({ id: "endpoints", label: `Interface endpoints × ${endpoints.length}\n${endpoints.map(({ r }) => String(r.config.service_name).split(".").slice(3).join(".")).join(", ")}`, place: "private" });
  for (const { r } of of("aws_eks_cluster")) add({ id: "eks", label: `EKS control plane\nKubernetes ${r.config.version}`, place: "cluster" });
  for (const { r } of of("aws_eks_node_group")) {
    const s = block(r.config.scaling_config);
    const name = String(r.config.node_group_name ?? r.config.node_group_name_prefix ?? r.name).replace(/-$/, "").split("-").pop();
    add({ id: `nodegroup_${id(name!)}`, label: `node group ${name}\n${(r.config.instance_types ?? []).join(", ")}${r.config.capacity_type === "SPOT" ? " (spot)" : ""}\n${s.min_size}–${s.desired_size}–${s.max_size} nodes`, place: "cluster" });
  }
  for (const { r } of of("aws_eks_fargate_profile")) {
    add({ id: `fargate_${id(String(r.config.fargate_profile_name))}`, label: `Fargate profile\n${blocks(r.config.selector).map((s) => s.namespace).join(", ")}`, place: "cluster" });
  }
  for (const { r } of of("kubernetes_manifest")) {
    const m = r.config.manifest ?? {};
    if (m.kind === "NodePool") add({ id: `karpenter_${id(m.metadata?.name ?? r.name)}`, label: `Karpenter pool ${m.metadata?.name}\nlimit ${m.spec?.limits?.cpu} vCPU`, place: "cluster" });
  }
  const data = (type: string, key: string, label: (c: TfBlock) => string) =>
    of(type).forEach(({ r, d }, i) => add({ id: `${key}${i ? `_${i}` : ""}`, label: label(r.config), place: tierOf(r.config, d) ?? "vpc" }));
  data("aws_db_instance", "rds", (c) => `RDS PostgreSQL ${c.engine_version ?? ""}\n${c.instance_class}${c.replicate_source_db ? " (replica)" : c.multi_az ? " Multi-AZ" : ""}`);
  data("aws_elasticache_replication_group", "elasticache", (c) => `ElastiCache Redis\n${c.node_type} × ${c.num_cache_clusters ?? "?"}`);
  data("aws_msk_cluster", "msk", (c) => `MSK Kafka\n${block(c.broker_node_group_info).instance_type} × ${c.number_of_broker_nodes}`);
  of("aws_efs_file_system").forEach(({ r, d }, i) => {
    const mount = d.resources("aws_efs_mount_target")[0];
    add({ id: `efs${i ? `_${i}` : ""}`, label: `EFS\n${r.config.throughput_mode ?? "bursting"}${r.config.provisioned_throughput_in_mibps ? ` ${r.config.provisioned_throughput_in_mibps} MiB/s` : ""}`, place: (mount && tierOf(mount.config, d)) ?? "vpc" });
  });
  data("aws_timestreaminfluxdb_db_instance", "influxdb", (c) => `Timestream for InfluxDB\n${c.db_instance_type}`);
  const buckets = of("aws_s3_bucket");
  if (buckets.length) add({ id: "s3", label: `S3\n${count(buckets.length, "bucket")}`, place: "cloud" });
  const secrets = of("aws_secretsmanager_secret").length;
  if (secrets) add({ id: "secrets", label: `Secrets Manager\n${count(secrets, "secret")}`, place: "cloud" });
  const keys = of("aws_kms_key").length;
  if (keys) add({ id: "kms", label: `KMS\n${count(keys, "key")}`, place: "cloud" });
  const alarms = of("aws_cloudwatch_metric_alarm").length;
  const logs = of("aws_cloudwatch_log_group").length;
  if (alarms || logs) add({ id: "cloudwatch", label: `CloudWatch\n${count(alarms, "alarm")}, ${count(logs, "log group")}`, place: "cloud" });
  return out;
}

/** The VPC CIDRs and AZs of the documents. */
function vpcOf(docs: readonly TerraformDocument[]): { cidr: string; azs: string[] } {
  const all = docs.map((d) => new StackDocument(d));
  const vpc = all.flatMap((d) => d.resources("aws_vpc"))[0];
  const azs = [...new Set(all.flatMap((d) => d.resources("aws_subnet").map((s) => String(s.config.availability_zone))))].sort();
  return { cidr: String(vpc?.config.cidr_block ?? ""), azs };
}

function cluster(name: string, label: string, body: string[], style = 'style="rounded"'): string[] {
  return [`subgraph cluster_${name} {`, `label=${quote(label)}; ${style};`, ...body.map((l) => `  ${l}`), "}"];
}

function regionBody(prefix: string, components: readonly Component[], docs: readonly TerraformDocument[]): string[] {
  const node = (c: Component) => `${prefix}${c.id} [label=${quote(c.label)}];`;
  const at = (place: Component["place"]) => components.filter((c) => c.place === place).map(node);
  const { cidr, azs } = vpcOf(docs);
  const tiers = (["public", "private", "database"] as const).flatMap((tier) => {
    const body = [...at(tier), ...(tier === "private" ? cluster(`${prefix}eks`, "EKS cluster", at("cluster"), 'style="rounded,filled"; fillcolor="#eef5ff"') : [])];
    return body.length ? cluster(`${prefix}${tier}`, `${tier[0].toUpperCase()}${tier.slice(1)} subnets (${azs.length} AZs)`, body.length ? body : [`${prefix}${tier}_empty [style=invis];`]) : [];
  });
  return [...cluster(`${prefix}vpc`, `VPC ${cidr}\n${azs.join(", ")}`, [...at("vpc"), ...tiers], 'style="rounded,dashed"'), ...at("cloud")];
}

/**
 * The rows of the picture, top to bottom (the document's layout): the way in, the public tier, the
 * cluster's control plane, its node groups, its Karpenter pools, the private data stores, the database
 * tier, the shared services. Each row is held on one rank by invisible edges.
 */
const ROWS: readonly ((id: string) => boolean)[] = [
  (id) => ["users", "cloudfront", "waf"].includes(id),
  (id) => ["alb", "nat"].includes(id),
  (id) => ["eks", "endpoints"].includes(id),
  (id) => id.startsWith("nodegroup_") || id.startsWith("fargate_"),
  (id) => id.startsWith("karpenter_"),
  (id) => /^(msk|efs)(_\d+)?$/.test(id),
  (id) => /^(rds|elasticache|influxdb)(_\d+)?$/.test(id),
  (id) => ["s3", "secrets", "kms", "cloudwatch"].includes(id),
];

/** The edges of one region's components that exist, and the invisible ones that keep its rows in order. */
function regionEdges(prefix: string, components: readonly Component[]): string[] {
  const has = (name: string) => components.some((c) => c.id === name);
  const edge = (from: string, to: string, attrs = "") => (has(from) && has(to) ? [`${prefix}${from} -> ${prefix}${to}${attrs ? ` [${attrs}]` : ""};`] : []);
  const nodeTarget = components.find((c) => c.id.startsWith("nodegroup_"))?.id;
  const rows = ROWS.map((inRow) => components.filter((c) => inRow(c.id)).map((c) => `${prefix}${c.id}`)).filter((row) => row.length > 0);
  const order = rows.flatMap((row, i) => [
    ...(row.length > 1 ? [`{ rank=same; ${row.join("; ")}; }`] : []),
    ...(i > 0 ? [`${rows[i - 1][0]} -> ${row[0]} [style=invis, weight=10];`] : []),
  ]);
  return [
    ...order,
    ...edge("users", "cloudfront"),
    ...edge("cloudfront", "waf"),
    ...edge("waf", "alb"),
    ...(nodeTarget ? edge("alb", nodeTarget, `lhead=cluster_${prefix}eks`) : []),
    ...(nodeTarget ? edge(nodeTarget, "nat", 'label="egress", style=dashed, constraint=false') : []),
  ];
}

/**
 * The part of a document in (`inAlias`) or outside (`undefined`) the provider alias `alias`: a primary
 * stack's resources in the DR region (`provider: "aws.dr"`) belong to the DR side of the picture.
 */
export function splitByProvider(doc: TerraformDocument, provider: string, inside: boolean): TerraformDocument {
  const resource: Record<string, Record<string, TfBlock>> = {};
  for (const [type, byName] of Object.entries(doc.resource ?? {})) {
    const kept = Object.entries(byName).filter(([, body]) => (body.provider === provider) === inside);
    if (kept.length) resource[type] = Object.fromEntries(kept);
  }
  return { ...doc, resource };
}

/**
 * The DOT source of an environment's diagram: its region, and when `dr` is given (the DR stack's
 * document), the DR region beside it with the replication arrows (database replica, S3 replication,
 * backup copies).
 */
export function environmentDot(title: string, region: string, allDocs: readonly TerraformDocument[], dr?: { region: string; doc: TerraformDocument }): string {
  const docs = dr ? allDocs.map((d) => splitByProvider(d, DR_PROVIDER, false)) : allDocs;
  const components = componentsOf(docs);
  const lines = [
    `digraph ${quote(title)} {`,
    `graph [label=${quote(title)}, labelloc=t, fontsize=20, fontname="Helvetica", compound=true, rankdir=TB, nodesep=0.3, ranksep=0.5, newrank=true];`,
    'node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=11];',
    'edge [fontname="Helvetica", fontsize=9];',
    ...components.filter((c) => c.place === "outside").map((c) => `${c.id} [label=${quote(c.label)}${c.id === "users" ? ", shape=ellipse" : ""}];`),
    ...cluster("aws", `AWS Cloud · ${region}`, regionBody("", components, docs)),
    ...regionEdges("", components),
  ];
  if (dr) {
    const drDocs = [dr.doc, ...allDocs.map((d) => splitByProvider(d, DR_PROVIDER, true))];
    const drComponents = componentsOf(drDocs).filter((c) => c.place !== "outside");
    lines.push(...cluster("dr", `DR region · ${dr.region} (pilot light)`, regionBody("dr_", drComponents, drDocs), 'style="rounded,dashed"; color="#b04040"'));
    lines.push(...regionEdges("dr_", drComponents));
    const replicate = (from: string, to: string, label: string) =>
      components.some((c) => c.id === from) && drComponents.some((c) => c.id === to) ? [`${from} -> dr_${to} [label=${quote(label)}, style=bold, color="#b04040", constraint=false];`] : [];
    lines.push(...replicate("rds", "rds", "cross-region read replica"), ...replicate("s3", "s3", "S3 replication, backup copies"));
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
