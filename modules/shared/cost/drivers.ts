/**
 * The cost drivers: for each priced resource type, what one resource costs per month, as charges of
 * `count × unit price × per` (per = hours, GB or 1 month) read from its Terraform arguments. The same
 * functions price a synthesized stack (`cdk.tf.json`) and a plan's before/after values.
 */
import { TfBlock, TfValue, block, blocks, isTrue } from "../guardrails/engine";
import { nodeGroupSchedule, rateMinutes, scheduledShare } from "./off-hours";
import { UsageAssumptions } from "./usage";

/** One charge of one resource. */
export interface Charge {
  /** What is paid for, e.g. `EC2 m6i.large (node group general)`. */
  readonly driver: string;
  /** The price table row (`ec2:m6i.large`). */
  readonly priceKey: string;
  /** How many (nodes, keys, AZ-endpoints, GB …). */
  readonly count: number;
  /** Hours, GB or months each one is billed for. */
  readonly per: number;
  /** What `per` is: `h`, `GB`, `GB-month`, `month`, `MiB/s` … */
  readonly perUnit: string;
  /** A factor applied on top (the spot ratio), with its reason. @default none */
  readonly factor?: { readonly value: number; readonly why: string };
  /** The usage assumption(s) the charge relies on, by name. @default none */
  readonly assumptions?: readonly string[];
}

/** What a driver needs besides the resource. */
export interface DriverContext {
  readonly usage: UsageAssumptions;
  /** The configuration of another resource of the same document, by Terraform address. */
  lookup(address: string): TfBlock | undefined;
  /** Every configuration of a type in the same document. */
  all(type: string): readonly TfBlock[];
  /** Account-wide features that bill per node (GuardDuty Runtime Monitoring, Inspector EC2 scanning). */
  readonly account: AccountFeatures;
}

/** What the account stack turns on that bills per node of every environment. */
export interface AccountFeatures {
  /** GuardDuty Runtime Monitoring (per vCPU of every node). */
  readonly guarddutyRuntime: boolean;
  /** Inspector EC2 scanning (per instance). */
  readonly inspectorEc2: boolean;
}

/** A driver's verdict: charges, or why the resource can't be priced. */
export type DriverResult = readonly Charge[] | { readonly notPriced: string };

/** Prices one resource from its arguments; `address` is its Terraform address (for schedules that name it). */
export type Driver = (config: TfBlock, ctx: DriverContext, address: string) => DriverResult;

const num = (value: TfValue): number | undefined => {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
};

/** The address a `${type.name.attr}` reference points at. */
function referencedAddress(value: TfValue): string | undefined {
  const match = typeof value === "string" ? /^\$\{([a-z0-9_]+\.[^.}]+)\.[^}]+\}$/.exec(value) : null;
  return match?.[1];
}

/** vCPUs of an EC2 (or RDS, cache …) size: medium/large 2, xlarge 4, Nxlarge 4N. */
export function vcpusOf(instanceType: string): number | undefined {
  const size = instanceType.split(".").pop() ?? "";
  if (["medium", "large", "small", "micro", "nano"].includes(size)) return 2;
  if (size === "xlarge") return 4;
  const multiple = /^(\d+)xlarge$/.exec(size);
  return multiple ? 4 * Number(multiple[1]) : undefined;
}

const hours = (ctx: DriverContext, driver: string, priceKey: string, count: number, extra: Partial<Charge> = {}): Charge => ({
  driver,
  priceKey,
  count,
  per: ctx.usage.hoursPerMonth,
  perUnit: "h",
  ...extra,
});
const monthly = (driver: string, priceKey: string, count: number, extra: Partial<Charge> = {}): Charge => ({
  driver,
  priceKey,
  count,
  per: 1,
  perUnit: "month",
  ...extra,
});
const spot = (ctx: DriverContext) => ({ value: ctx.usage.spotPriceRatio, why: "spot" });

/** Per-node charges of the account's features (GuardDuty Runtime Monitoring per vCPU, Inspector per instance). */
function perNode(ctx: DriverContext, label: string, instanceType: string, nodes: number, assumptions?: readonly string[]): Charge[] {
  const charges: Charge[] = [];
  const vcpus = vcpusOf(instanceType) ?? 0;
  if (ctx.account.guarddutyRuntime && vcpus > 0) {
    charges.push(monthly(`GuardDuty Runtime Monitoring: ${label}`, "guardduty:runtime-vcpu", round(nodes * vcpus), { perUnit: "vCPU-month", assumptions }));
  }
  if (ctx.account.inspectorEc2) charges.push(monthly(`Inspector EC2 scanning: ${label}`, "inspector:ec2-instance", round(nodes), { assumptions }));
  return charges;
}

const round = (n: number) => Math.round(n * 100) / 100;

const nodeGroup: Driver = (c, ctx, address) => {
  const type = (c.instance_types ?? [])[0] as string | undefined;
  const configured = num(block(c.scaling_config).desired_size);
  if (!type || configured === undefined) return { notPriced: "no instance type or desired size" };
  const name = String(c.node_group_name ?? c.node_group_name_prefix ?? "").replace(/-$/, "").split("-").pop() || "unnamed";
  const isSpot = c.capacity_type === "SPOT";
  // Scaled down outside working hours by scheduled actions: the average node count over the week.
  const schedule = nodeGroupSchedule(address, ctx.all("aws_autoscaling_schedule"));
  const desired = schedule ? round(schedule.working * schedule.share + schedule.off * (1 - schedule.share)) : configured;
  const label = `node group ${name}${schedule ? `, ${schedule.working} nodes ${Math.round(schedule.share * 100)} % of the week, ${schedule.off} off-hours` : ""}`;
  const charges: Charge[] = [hours(ctx, `EC2 ${type} (${label}${isSpot ? ", spot" : ""})`, `ec2:${type}`, desired, isSpot ? { factor: spot(ctx), assumptions: ["spotPriceRatio"] } : {})];
  const template = ctx.lookup(referencedAddress(block(c.launch_template).id) ?? "");
  for (const mapping of blocks(template?.block_device_mappings)) {
    const ebs = block(mapping.ebs);
    const size = num(ebs.volume_size);
    if (size !== undefined) charges.push({ driver: `EBS ${ebs.volume_type ?? "gp3"} root volumes (${label})`, priceKey: `ebs:${ebs.volume_type ?? "gp3"}`, count: desired, per: size, perUnit: "GB-month" });
  }
  return [...charges, ...perNode(ctx, label, type, desired)];
};

/** A Karpenter NodePool (a `kubernetes_manifest`): its expected share of the CPU limit, on its cheapest listed type. */
function nodePool(c: TfBlock, ctx: DriverContext): DriverResult {
  const manifest = c.manifest ?? {};
  const name = manifest.metadata?.name ?? "nodepool";
  const cpu = num(manifest.spec?.limits?.cpu);
  if (cpu === undefined) return { notPriced: `NodePool ${name} has no CPU limit to take a share of` };
  const requirements: TfBlock[] = manifest.spec?.template?.spec?.requirements ?? [];
  const values = (key: string): string[] => requirements.find((r) => r.key === key && r.operator === "In")?.values ?? [];
  const types = [...values("node.kubernetes.io/instance-type"), ...values("karpenter.k8s.aws/instance-family").map((f) => `${f}.large`)];
  const type = types.find((t) => vcpusOf(t) !== undefined);
  if (!type) return { notPriced: `NodePool ${name} names no instance type or family to price` };
  const isSpot = values("karpenter.sh/capacity-type").every((v) => v === "spot") && values("karpenter.sh/capacity-type").length > 0;
  const nodes = round((cpu * ctx.usage.karpenterShare) / vcpusOf(type)!);
  const label = `Karpenter pool ${name}`;
  const assumptions = ["karpenterShare", ...(isSpot ? ["spotPriceRatio"] : [])];
  return [
    hours(ctx, `EC2 ${type} (${label}: ${ctx.usage.karpenterShare} × ${cpu} vCPU limit${isSpot ? ", spot" : ""})`, `ec2:${type}`, nodes, {
      assumptions,
      ...(isSpot ? { factor: spot(ctx) } : {}),
    }),
    ...perNode(ctx, label, type, nodes, ["karpenterShare"]),
  ];
}

const kubernetesManifest: Driver = (c, ctx) => (c.manifest?.kind === "NodePool" ? nodePool(c, ctx) : []);

const dbInstance: Driver = (c, ctx) => {
  const cls = c.instance_class as string | undefined;
  if (!cls) return { notPriced: "no instance_class" };
  const multiAz = isTrue(c.multi_az);
  const copies = multiAz ? 2 : 1;
  const source = ctx.lookup(referencedAddress(c.replicate_source_db) ?? "");
  const role = source ? "read replica" : "primary";
  // Stopped outside working hours by EventBridge Scheduler: instance hours for the share it runs (storage stays billed).
  const share = scheduledShare("rds", c.identifier, ctx.all("aws_scheduler_schedule"));
  const running = share === undefined ? "" : `, runs ${Math.round(share * 100)} % of the week`;
  const charges: Charge[] = [
    hours(ctx, `RDS ${cls} (${role}${multiAz ? ", Multi-AZ: 2 instances" : ""}${running})`, `rds:${cls}`, copies, share === undefined ? {} : { per: round(ctx.usage.hoursPerMonth * share) }),
  ];
  const storage = num(c.allocated_storage) ?? num(source?.allocated_storage);
  const storageType = (c.storage_type ?? source?.storage_type ?? "gp2") as string;
  if (storage !== undefined) {
    charges.push({ driver: `RDS ${storageType} storage (${role})`, priceKey: `rds:${storageType === "gp2" ? "gp3" : storageType}`, count: copies, per: storage, perUnit: "GB-month" });
  }
  return charges;
};

const cacheGroup: Driver = (c, ctx) => {
  const type = c.node_type as string | undefined;
  const nodes = num(c.num_cache_clusters) ?? (num(c.num_node_groups) ?? 1) * ((num(c.replicas_per_node_group) ?? 0) + 1);
  if (!type) return { notPriced: "no node_type" };
  return [hours(ctx, `ElastiCache ${type} nodes`, `elasticache:${type}`, nodes)];
};

const cacheCluster: Driver = (c, ctx) =>
  c.node_type ? [hours(ctx, `ElastiCache ${c.node_type} nodes`, `elasticache:${c.node_type}`, num(c.num_cache_nodes) ?? 1)] : [];

const mskCluster: Driver = (c, ctx) => {
  const info = block(c.broker_node_group_info);
  const brokers = num(c.number_of_broker_nodes);
  const type = info.instance_type as string | undefined;
  if (!type || brokers === undefined) return { notPriced: "no broker type or count" };
  const size = num(block(block(info.storage_info).ebs_storage_info).volume_size) ?? 1000;
  return [
    hours(ctx, `MSK ${type} brokers`, `msk:${type}`, brokers),
    { driver: "MSK broker storage", priceKey: "msk:storage", count: brokers, per: size, perUnit: "GB-month" },
  ];
};

const efs: Driver = (c, ctx) => {
  const u = ctx.usage;
  const charges: Charge[] = [{ driver: "EFS Standard storage", priceKey: "efs:standard", count: 1, per: u.efsStorageGb, perUnit: "GB-month", assumptions: ["efsStorageGb"] }];
  const mode = c.throughput_mode ?? "bursting";
  if (mode === "provisioned") {
    // Billed for throughput above what the stored data includes (50 KiB/s per GiB in Bursting).
    const included = (u.efsStorageGb * 50) / 1024;
    const billable = Math.max(0, (num(c.provisioned_throughput_in_mibps) ?? 0) - included);
    charges.push(monthly(`EFS provisioned throughput (${c.provisioned_throughput_in_mibps} MiB/s less ${round(included)} included with storage)`, "efs:provisioned-throughput", round(billable), { perUnit: "MiB/s-month", assumptions: ["efsStorageGb"] }));
  } else if (mode === "elastic") {
    charges.push({ driver: "EFS Elastic throughput reads", priceKey: "efs:elastic-read", count: 1, per: u.efsElasticReadGb, perUnit: "GB", assumptions: ["efsElasticReadGb"] });
    charges.push({ driver: "EFS Elastic throughput writes", priceKey: "efs:elastic-write", count: 1, per: u.efsElasticWriteGb, perUnit: "GB", assumptions: ["efsElasticWriteGb"] });
  }
  return charges;
};

const influx: Driver = (c, ctx) => {
  const type = c.db_instance_type as string | undefined;
  if (!type) return { notPriced: "no db_instance_type" };
  const multiAz = c.deployment_type === "WITH_MULTIAZ_STANDBY";
  const copies = multiAz ? 2 : 1;
  const charges: Charge[] = [hours(ctx, `Timestream for InfluxDB ${type}${multiAz ? " (Multi-AZ: 2 instances)" : ""}`, `influxdb:${type}`, copies)];
  const storage = num(c.allocated_storage);
  if (storage !== undefined) {
    const storageType = c.db_storage_type ?? "InfluxIOIncludedT1";
    charges.push({ driver: `Timestream for InfluxDB ${storageType} storage`, priceKey: `influxdb:${storageType}`, count: copies, per: storage, perUnit: "GB-month" });
  }
  return charges;
};

/** Metrics an alarm is billed for: each metric of a metric-math query, 3 for an anomaly-detection band. */
function alarmMetrics(c: TfBlock): number {
  const queries = blocks(c.metric_query);
  if (queries.length === 0) return 1;
  if (queries.some((q) => typeof q.expression === "string" && q.expression.includes("ANOMALY_DETECTION_BAND"))) return 3;
  return Math.max(1, queries.filter((q) => blocks(q.metric).length > 0).length);
}

const alarm: Driver = (c) => {
  const highResolution = (num(c.period) ?? 60) < 60;
  return [monthly(`CloudWatch alarms${highResolution ? " (high resolution)" : ""}`, highResolution ? "cloudwatch:alarm-metric-high-resolution" : "cloudwatch:alarm-metric", alarmMetrics(c), { perUnit: "metric-month" })];
};

const logGroup: Driver = (c, ctx) => {
  const gb = ctx.usage.logIngestionGbPerLogGroup;
  const retention = num(c.retention_in_days) ?? 0;
  // The first year's steady state: what is kept is the ingestion of the retained months (never-expire counts 12).
  const months = retention === 0 ? 12 : Math.min(12, retention / 30);
  return [
    { driver: "CloudWatch Logs ingestion", priceKey: "cloudwatch:logs-ingestion", count: 1, per: gb, perUnit: "GB", assumptions: ["logIngestionGbPerLogGroup"] },
    { driver: `CloudWatch Logs storage (${retention || "never-expiring"}-day retention)`, priceKey: "cloudwatch:logs-storage", count: 1, per: round(gb * months), perUnit: "GB-month", assumptions: ["logIngestionGbPerLogGroup"] },
  ];
};

const webAcl: Driver = (c, ctx) => [
  monthly("WAF web ACL", "waf:web-acl", 1),
  monthly("WAF rules and rule groups", "waf:rule", blocks(c.rule).length, { perUnit: "rule-month" }),
  { driver: "WAF requests", priceKey: "waf:requests", count: 1, per: ctx.usage.cloudfrontRequestsMillion, perUnit: "M requests", assumptions: ["cloudfrontRequestsMillion"] },
];

const distribution: Driver = (_c, ctx) => [
  { driver: "CloudFront data transfer out", priceKey: "cloudfront:transfer-out", count: 1, per: ctx.usage.cloudfrontTransferGb, perUnit: "GB", assumptions: ["cloudfrontTransferGb"] },
  { driver: "CloudFront HTTPS requests", priceKey: "cloudfront:https-requests", count: 1, per: ctx.usage.cloudfrontRequestsMillion * 100, perUnit: "10k requests", assumptions: ["cloudfrontRequestsMillion"] },
];

const healthCheck: Driver = (c) => {
  const type = String(c.type ?? "");
  const features = [
    type.startsWith("HTTPS") ? "HTTPS" : undefined,
    type.endsWith("STR_MATCH") ? "string matching" : undefined,
    num(c.request_interval) === 10 ? "fast interval" : undefined,
    isTrue(c.measure_latency) ? "latency measurement" : undefined,
  ].filter((f): f is string => f !== undefined);
  return [
    monthly(`Route 53 health check (${type.toLowerCase() || "basic"})`, "route53:health-check", 1),
    ...(features.length ? [monthly(`Route 53 health-check features: ${features.join(", ")}`, "route53:health-check-feature", features.length, { perUnit: "feature-month" })] : []),
  ];
};

const guardduty: Driver = (_c, ctx) => {
  const u = ctx.usage;
  const featureOn = (name: string) => ctx.all("aws_guardduty_detector_feature").some((f) => f.name === name && f.status === "ENABLED");
  return [
    { driver: "GuardDuty CloudTrail management events", priceKey: "guardduty:cloudtrail-events", count: 1, per: u.guarddutyCloudTrailEventsMillion, perUnit: "M events", assumptions: ["guarddutyCloudTrailEventsMillion"] },
    { driver: "GuardDuty VPC flow and DNS logs", priceKey: "guardduty:flow-dns-logs", count: 1, per: u.guarddutyFlowDnsLogGb, perUnit: "GB", assumptions: ["guarddutyFlowDnsLogGb"] },
    ...(featureOn("EKS_AUDIT_LOGS")
      ? [{ driver: "GuardDuty EKS audit logs", priceKey: "guardduty:eks-audit-events", count: 1, per: u.guarddutyEksAuditEventsMillion, perUnit: "M events", assumptions: ["guarddutyEksAuditEventsMillion"] }]
      : []),
  ];
};

const inspector: Driver = (c, ctx) =>
  (c.resource_types ?? []).includes("ECR")
    ? [{ driver: "Inspector ECR image scans", priceKey: "inspector:ecr-image", count: 1, per: ctx.usage.inspectorImagesPerMonth, perUnit: "images", assumptions: ["inspectorImagesPerMonth"] }]
    : [];

const endpoint: Driver = (c, ctx) => {
  if ((c.vpc_endpoint_type ?? "Gateway") === "Gateway") return [];
  const known = Array.isArray(c.subnet_ids);
  const azs = known ? c.subnet_ids.length : ctx.usage.azCountWhenUnknown;
  return [
    hours(ctx, "Interface endpoints (per AZ)", "endpoint:az-hour", azs, known ? {} : { assumptions: ["azCountWhenUnknown"] }),
    { driver: "Interface endpoint data processed", priceKey: "endpoint:gb", count: 1, per: ctx.usage.endpointGbPerEndpoint, perUnit: "GB", assumptions: ["endpointGbPerEndpoint"] },
  ];
};

const natGateway: Driver = (c, ctx) =>
  c.connectivity_type === "private"
    ? [hours(ctx, "NAT gateways (private)", "nat:hour", 1)]
    : [
        hours(ctx, "NAT gateways", "nat:hour", 1),
        { driver: "NAT gateway data processed", priceKey: "nat:gb", count: 1, per: ctx.usage.natGbPerGateway, perUnit: "GB", assumptions: ["natGbPerGateway"] },
      ];

/** A CloudWatch Synthetics canary: its runs per month at its rate, for the share of the week it runs. */
const canary: Driver = (c, ctx) => {
  const minutes = rateMinutes(block(c.schedule).expression);
  if (minutes === undefined || minutes === 0) return { notPriced: `schedule ${JSON.stringify(block(c.schedule).expression)} is not a rate(…) the estimate reads` };
  const share = scheduledShare("synthetics", c.name, ctx.all("aws_scheduler_schedule")) ?? 1;
  const runs = Math.round(((ctx.usage.hoursPerMonth * 60) / minutes) * share);
  return [{ driver: `Synthetics canary runs (every ${minutes} min${share < 1 ? `, ${Math.round(share * 100)} % of the week` : ""})`, priceKey: "synthetics:canary-run", count: 1, per: runs, perUnit: "runs" }];
};

/** The priced resource types and their drivers. */
export const DRIVERS: Readonly<Record<string, Driver>> = {
  aws_eks_cluster: (_c, ctx) => [hours(ctx, "EKS control planes", "eks:cluster", 1)],
  aws_eks_node_group: nodeGroup,
  kubernetes_manifest: kubernetesManifest,
  aws_nat_gateway: natGateway,
  aws_eip: (_c, ctx) => [hours(ctx, "Public IPv4 addresses (Elastic IPs)", "ipv4:hour", 1)],
  aws_vpc_endpoint: endpoint,
  aws_vpn_connection: (_c, ctx) => [hours(ctx, "Site-to-Site VPN connections", "vpn:connection-hour", 1)],
  aws_ec2_transit_gateway_vpc_attachment: (_c, ctx) => [hours(ctx, "Transit Gateway attachments", "tgw:attachment-hour", 1)],
  aws_db_instance: dbInstance,
  aws_elasticache_replication_group: cacheGroup,
  aws_elasticache_cluster: cacheCluster,
  aws_msk_cluster: mskCluster,
  aws_efs_file_system: efs,
  aws_timestreaminfluxdb_db_instance: influx,
  aws_kms_key: () => [monthly("KMS customer-managed keys", "kms:key", 1, { perUnit: "key-month" })],
  aws_kms_replica_key: () => [monthly("KMS replica keys", "kms:key", 1, { perUnit: "key-month" })],
  aws_secretsmanager_secret: (c) => [monthly("Secrets Manager secrets (with replicas)", "secretsmanager:secret", 1 + blocks(c.replica).length, { perUnit: "secret-month" })],
  aws_cloudwatch_metric_alarm: alarm,
  aws_cloudwatch_composite_alarm: () => [monthly("CloudWatch composite alarms", "cloudwatch:composite-alarm", 1)],
  aws_cloudwatch_dashboard: () => [monthly("CloudWatch dashboards", "cloudwatch:dashboard", 1)],
  aws_cloudwatch_log_group: logGroup,
  aws_wafv2_web_acl: webAcl,
  aws_cloudfront_distribution: distribution,
  aws_route53_zone: () => [monthly("Route 53 hosted zones", "route53:hosted-zone", 1, { perUnit: "zone-month" })],
  aws_route53_health_check: healthCheck,
  aws_guardduty_detector: guardduty,
  aws_inspector2_enabler: inspector,
  // External-access analyzers are free; unused-access ones bill per role and user, which the stacks don't tell.
  aws_accessanalyzer_analyzer: (c) => (String(c.type ?? "ACCOUNT").startsWith("ACCOUNT_UNUSED") || String(c.type).startsWith("ORGANIZATION_UNUSED") ? { notPriced: "billed per IAM role and user analyzed" } : []),
  aws_wafv2_ip_set: () => [],
  aws_synthetics_canary: canary,
  aws_s3_bucket: (_c, ctx) => [{ driver: "S3 Standard storage", priceKey: "s3:standard", count: 1, per: ctx.usage.s3StorageGbPerBucket, perUnit: "GB-month", assumptions: ["s3StorageGbPerBucket"] }],
};

/** Types billed through the global edge (priced at their North America rates whatever the provider's region). */
export const GLOBAL_TYPES: ReadonlySet<string> = new Set(["aws_cloudfront_distribution", "aws_route53_zone", "aws_route53_health_check"]);

/**
 * Types whose resource costs nothing by itself (IAM, routing, configuration sub-resources, policies),
 * or that run on the priced nodes (Helm releases, Kubernetes objects). Every other type without a driver
 * is listed as "not priced".
 */
export const NO_CHARGE_TYPES: ReadonlySet<string> = new Set([
  "aws_iam_role", "aws_iam_role_policy", "aws_iam_role_policy_attachment", "aws_iam_policy", "aws_iam_openid_connect_provider", "aws_iam_service_linked_role",
  "aws_vpc", "aws_subnet", "aws_route_table", "aws_route", "aws_route_table_association", "aws_internet_gateway", "aws_vpc_ipv4_cidr_block_association",
  "aws_security_group", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule", "aws_default_security_group",
  "aws_network_acl", "aws_network_acl_rule", "aws_customer_gateway", "aws_flow_log",
  "aws_kms_alias", "aws_launch_template",
  "aws_eks_addon", "aws_eks_access_entry", "aws_eks_access_policy_association",
  "aws_db_subnet_group", "aws_db_parameter_group", "aws_elasticache_subnet_group", "aws_elasticache_parameter_group", "aws_msk_configuration",
  "aws_efs_mount_target", "aws_efs_access_point", "aws_efs_file_system_policy", "aws_efs_backup_policy",
  "aws_s3_bucket_versioning", "aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_public_access_block", "aws_s3_bucket_policy",
  "aws_s3_bucket_ownership_controls", "aws_s3_bucket_lifecycle_configuration", "aws_s3_bucket_logging",
  "aws_acm_certificate", "aws_acm_certificate_validation",
  "aws_cloudfront_cache_policy", "aws_cloudfront_origin_request_policy", "aws_cloudfront_response_headers_policy", "aws_cloudfront_origin_access_control",
  "aws_route53_record", "aws_sns_topic_policy", "aws_sqs_queue_policy", "aws_cloudwatch_event_target", "aws_cloudwatch_log_resource_policy",
  "aws_guardduty_detector_feature", "aws_ecr_registry_scanning_configuration", "aws_ecr_lifecycle_policy",
  "aws_budgets_budget", "aws_ce_anomaly_monitor", "aws_ce_anomaly_subscription", "aws_ce_cost_allocation_tag",
  "aws_xray_encryption_config", "aws_xray_group", "aws_xray_sampling_rule", "aws_appautoscaling_target", "aws_appautoscaling_policy",
  "aws_ssm_parameter", "aws_backup_vault_policy", "aws_backup_selection", "aws_wafv2_web_acl_logging_configuration", "aws_chatbot_slack_channel_configuration",
  "aws_secretsmanager_secret_version", "aws_autoscaling_schedule", "aws_scheduler_schedule",
  "helm_release", "kubernetes_namespace_v1", "kubernetes_service_account_v1", "kubernetes_config_map_v1", "kubernetes_storage_class_v1",
  "kubernetes_annotations", "kubernetes_job_v1", "kubernetes_persistent_volume_v1",
]);
