import { ResourceView, StackDocument, TerraformDocument, TfBlock, blocks, isTrue } from "../guardrails/engine";
import { prefixListWeight, quota, standardVcpus } from "./table";

/** One synthesized stack: its id and resolved JSON. */
export interface SynthesizedStack {
  readonly stack: string;
  readonly doc: TerraformDocument;
}

/** What contributes to one usage: `production: aws_eip.network_nat-eip-us-east-1a_… ×1`. */
export interface Contribution {
  readonly stack: string;
  readonly address: string;
  readonly amount: number;
}

/** How much of one quota one scope uses. */
export interface Usage {
  /** The `QUOTAS` key. */
  readonly quotaKey: string;
  /** The region the quota is counted in. */
  readonly region: string;
  /** Within the region, what the value is counted over (`us-east-1a`, `production: aws_vpc.network_vpc…`); `""` for the region itself. */
  readonly scope: string;
  /** The total. */
  readonly used: number;
  readonly contributions: readonly Contribution[];
}

/** What a fresh account holds before any stack applies: its default VPC in every region. */
export const PRE_EXISTING_PER_REGION: Readonly<Record<string, { readonly amount: number; readonly what: string }>> = {
  "vpc-vpcs": { amount: 1, what: "the default VPC AWS creates in every region of a new account" },
};

/** The region of a resource: its own `region` argument (AWS provider 6), else its provider's. */
function regionOf(r: ResourceView, providers: Readonly<Record<string, string>>): string {
  if (typeof r.config.region === "string" && r.config.region !== "") return r.config.region;
  const provider = typeof r.config.provider === "string" ? r.config.provider : "aws";
  return providers[provider] ?? providers.aws ?? "unknown-region";
}

/** `{ "aws": "us-east-1", "aws.dr": "us-west-2" }` from the document's provider blocks. */
function providerRegions(doc: TerraformDocument): Record<string, string> {
  const aws = blocks((doc.provider as TfBlock | undefined)?.aws);
  return Object.fromEntries(aws.map((p) => [p.alias ? `aws.${p.alias}` : "aws", String(p.region)]));
}

/** The address `${aws_x.y.id}` (or `${aws_x.y.attr[0].z}`) points at, if the value is one such reference. */
function referencedAddress(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const m = /^\$\{((?:data\.)?[a-z0-9_]+\.[^.}\s[]+)[.}[]/.exec(value);
  return m?.[1];
}

/** A usage key's parts, before summing. */
interface Item {
  readonly quotaKey: string;
  readonly region: string;
  readonly scope: string;
  readonly contribution: Contribution;
}

/** Counts, for one stack, what every quota of the table uses, item by item. */
function itemsOf(stack: string, raw: TerraformDocument): Item[] {
  const doc = new StackDocument(raw);
  const providers = providerRegions(raw);
  const items: Item[] = [];
  const add = (quotaKey: string, r: ResourceView, amount = 1, scope = "", region = regionOf(r, providers)) => {
    quota(quotaKey);
    if (amount > 0) items.push({ quotaKey, region, scope, contribution: { stack, address: r.address, amount } });
  };
  const local = (r: ResourceView) => `${stack}: ${r.address}`;
  const scopeOf = (value: unknown, fallback: string) => {
    const address = referencedAddress(value);
    return address ? `${stack}: ${address}` : typeof value === "string" ? value : fallback;
  };

  for (const r of doc.resources("aws_eip")) add("ec2-eips", r);
  for (const r of doc.resources("aws_vpc")) add("vpc-vpcs", r);
  for (const r of doc.resources("aws_nat_gateway")) {
    if (r.config.connectivity_type === "private") continue;
    const subnet = doc.at(referencedAddress(r.config.subnet_id) ?? "");
    const zone = subnet?.config.availability_zone_id ?? subnet?.config.availability_zone;
    add("vpc-nat-per-az", r, 1, typeof zone === "string" ? zone : `the AZ of ${String(r.config.subnet_id)}`);
  }
  for (const r of doc.resources("aws_vpc_endpoint")) {
    if (r.config.vpc_endpoint_type === "Interface") add("vpc-interface-endpoints", r, 1, scopeOf(r.config.vpc_id, local(r)));
  }
  countSecurityGroupRules(doc, local, scopeOf, (r, amount, scope) => add("vpc-sg-rules", r, amount, scope));
  for (const r of doc.resources("aws_network_acl_rule")) {
    add("vpc-nacl-rules", r, 1, `${scopeOf(r.config.network_acl_id, local(r))} ${isTrue(r.config.egress) ? "outbound" : "inbound"}`);
  }
  for (const r of doc.resources("aws_network_acl")) {
    for (const direction of ["ingress", "egress"] as const) {
      add("vpc-nacl-rules", r, blocks(r.config[direction]).length, `${local(r)} ${direction === "egress" ? "outbound" : "inbound"}`);
    }
  }
  for (const r of doc.resources("aws_cloudwatch_log_resource_policy")) {
    // A policy attached to one log group (resource_arn) has its own quota of one per group.
    if (!r.config.resource_arn) add("logs-resource-policies", r);
  }
  for (const r of doc.resourcesOf(["aws_kms_key", "aws_kms_replica_key", "aws_kms_external_key"])) add("kms-keys", r);
  for (const r of doc.resources("aws_eks_cluster")) add("eks-clusters", r);
  for (const r of doc.resources("aws_eks_node_group")) {
    const spot = r.config.capacity_type === "SPOT";
    const desired = Number(r.config.scaling_config?.[0]?.desired_size ?? r.config.scaling_config?.desired_size ?? 0);
    add(spot ? "ec2-spot-standard-vcpus" : "ec2-on-demand-standard-vcpus", r, desired * nodeVcpus(r.config.instance_types, spot));
  }
  return items;
}

/**
 * vCPUs one node of a managed node group takes: On-Demand groups launch the first listed type
 * (EKS's `prioritized` allocation), Spot groups any of them (the largest counted). Types outside the
 * standard families count 0 here (their own quotas).
 */
export function nodeVcpus(instanceTypes: unknown, spot: boolean): number {
  const types = (Array.isArray(instanceTypes) && instanceTypes.length ? instanceTypes : ["t3.medium"]).map(String);
  const counted = (spot ? types : types.slice(0, 1)).map((t) => standardVcpus(t) ?? 0);
  return Math.max(0, ...counted);
}

/** Rules per security group and direction: separate rule resources, inline blocks, prefix lists by weight. */
function countSecurityGroupRules(
  doc: StackDocument,
  local: (r: ResourceView) => string,
  scopeOf: (value: unknown, fallback: string) => string,
  add: (r: ResourceView, amount: number, scope: string) => void,
): void {
  const weight = (prefixListIds: unknown[]): number =>
    prefixListIds.reduce<number>((n, id) => {
      const list = doc.at(referencedAddress(id) ?? "");
      const known = list ? prefixListWeight(String(list.config.name)) ?? Number(list.config.max_entries) : undefined;
      return n + (known && Number.isFinite(known) ? known : 1);
    }, 0);
  for (const [type, direction] of [["aws_vpc_security_group_ingress_rule", "inbound"], ["aws_vpc_security_group_egress_rule", "outbound"]] as const) {
    for (const r of doc.resources(type)) {
      const amount = r.config.prefix_list_id ? weight([r.config.prefix_list_id]) : 1;
      add(r, amount, `${scopeOf(r.config.security_group_id, local(r))} ${direction}`);
    }
  }
  for (const r of doc.resources("aws_security_group_rule")) {
    const sources = [...blocks(r.config.cidr_blocks), ...blocks(r.config.ipv6_cidr_blocks), ...(r.config.source_security_group_id || isTrue(r.config.self) ? [1] : [])];
    const amount = sources.length + weight(blocks(r.config.prefix_list_ids));
    add(r, amount, `${scopeOf(r.config.security_group_id, local(r))} ${r.config.type === "egress" ? "outbound" : "inbound"}`);
  }
  for (const r of doc.resources("aws_security_group")) {
    for (const direction of ["ingress", "egress"] as const) {
      const amount = blocks(r.config[direction]).reduce(
        (n: number, rule: TfBlock) =>
          n + blocks(rule.cidr_blocks).length + blocks(rule.ipv6_cidr_blocks).length + blocks(rule.security_groups).length + (isTrue(rule.self) ? 1 : 0) + weight(blocks(rule.prefix_list_ids)),
        0,
      );
      add(r, amount, `${local(r)} ${direction === "egress" ? "outbound" : "inbound"}`);
    }
  }
}

/**
 * What the stacks use of every quota of the table, per region and scope, summed over all stacks
 * (one AWS account: the platform's design), plus what a fresh account already holds.
 */
export function measureUsage(stacks: readonly SynthesizedStack[]): Usage[] {
  const byKey = new Map<string, { quotaKey: string; region: string; scope: string; contributions: Contribution[] }>();
  for (const { stack, doc } of stacks) {
    for (const item of itemsOf(stack, doc)) {
      const id = `${item.quotaKey}|${item.region}|${item.scope}`;
      const entry = byKey.get(id) ?? { quotaKey: item.quotaKey, region: item.region, scope: item.scope, contributions: [] };
      entry.contributions.push(item.contribution);
      byKey.set(id, entry);
    }
  }
  for (const entry of byKey.values()) {
    const pre = PRE_EXISTING_PER_REGION[entry.quotaKey];
    if (pre && entry.scope === "") entry.contributions.push({ stack: "(account)", address: pre.what, amount: pre.amount });
  }
  return [...byKey.values()].map((e) => ({ ...e, used: e.contributions.reduce((n, c) => n + c.amount, 0) }));
}
