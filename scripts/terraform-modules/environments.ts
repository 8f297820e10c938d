import { DEFAULT_NODE_GROUPS } from "../../modules/aws/compute/eks";
import { BUDGET_NOTIFICATIONS } from "../../modules/aws/observability/cost-monitoring";
import { hclBlock } from "../../modules/shared/hcl";
import { JsonObject, renderVariables, renderVersions, ModuleVersions } from "../../modules/shared/hcl/module";
import { CLOUDFRONT_REGION } from "../../modules/shared/aws-context";
import { EnvironmentConfig, PROJECT } from "../../environments/types";
import { DEFAULT_TAG_KEYS } from "../../environments/platform-stack";
import { Files } from "./files";

/** Drops undefined fields and snake-cases keys: the config object as module inputs. */
function inputs(values: Record<string, unknown>): JsonObject {
  return JSON.parse(JSON.stringify(values, (_k, v: unknown) => v)) as JsonObject;
}

/** What the environment root takes from the network and alerting the cdktf stacks create (not in these modules). */
const WIRING: Record<string, { type: string; description: string }> = {
  vpc_id: { type: "string", description: "The environment's VPC (the development/staging/production stack's output `vpc_id`)." },
  private_subnet_ids: { type: "list(string)", description: "The private subnets of the cluster (output `private_subnet_ids`)." },
  elasticache_subnet_group_name: { type: "string", description: "The ElastiCache subnet group over the database subnets." },
  alert_topic_arns: { type: "object({ warning = string, alert = string, critical = string })", description: "The alert topic ARN of each severity." },
};

/** `environments/<env>/{main.tf,variables.tf}`: the four modules called with the environment's values. */
export function environmentFiles(config: EnvironmentConfig, versions: ModuleVersions): Files {
  const source = (m: string) => `../../modules/${m}`;
  const eks = config.eks;
  const groups = eks.nodeGroups ?? DEFAULT_NODE_GROUPS;
  const cache = config.cache;
  const common = { project: PROJECT, environment: config.name };
  const modules: [string, JsonObject, string?][] = [
    [
      "eks",
      inputs({
        source: source("eks"),
        ...common,
        kubernetes_version: eks.kubernetesVersion,
        upgrade_support_type: eks.upgradeSupportType,
        endpoint_public_access: eks.endpointPublicAccess ?? false,
        public_access_cidrs: eks.publicAccessCidrs ?? [],
        control_plane_log_types: eks.controlPlaneLogTypes,
        node_groups: Object.fromEntries(
          Object.entries(groups).map(([name, g]) => [
            name,
            { instance_types: g.instanceTypes, capacity_type: g.capacityType, min_size: g.minSize, desired_size: g.desiredSize, max_size: g.maxSize, labels: g.labels ?? {}, taints: g.taints ?? [], disk_size_gib: g.diskSizeGiB ?? 50 },
          ]),
        ),
        private_access_cidrs: eks.privateAccessCidrs ?? [],
        admin_role_arns: eks.adminRoleArns ?? [],
        // As the stacks do: the default tags on what Auto Scaling launches.
        instance_tags: "${local.tags}",
        addon_versions: eks.addonVersions ?? {},
        deletion_protection: eks.deletionProtection ?? true,
        vpc_id: "${var.vpc_id}",
        private_subnet_ids: "${var.private_subnet_ids}",
        log_retention_days: config.logRetentionDays,
      }),
    ],
    [
      "elasticache",
      inputs({
        source: source("elasticache"),
        ...common,
        engine: cache.engine,
        engine_version: cache.engineVersion,
        node_type: cache.nodeType,
        num_cache_clusters: cache.numCacheClusters,
        multi_az: cache.multiAz,
        automatic_failover: cache.automaticFailover,
        snapshot_retention_days: cache.snapshotRetentionDays,
        snapshot_window: cache.snapshotWindow,
        maintenance_window: cache.maintenanceWindow,
        parameters: cache.parameters,
        tier: config.tier === "production" ? "production" : "non-production",
        vpc_id: "${var.vpc_id}",
        cache_subnet_group_name: "${var.elasticache_subnet_group_name}",
        allowed_security_group_ids: ["${module.eks.node_security_group_id}"],
        alarm_topic_arns: ["${var.alert_topic_arns.alert}"],
        critical_alarm_topic_arns: ["${var.alert_topic_arns.critical}"],
        log_retention_days: config.logRetentionDays,
      }),
    ],
    [
      "waf",
      inputs({
        source: source("waf"),
        providers: "${{ aws = aws.us_east_1 }}",
        ...common,
        rate_limit_per_ip: config.waf.rateLimitPerIp,
        rate_limit_window_seconds: config.waf.rateLimitWindowSeconds,
        blocked_countries: config.waf.blockedCountries,
        log_retention_days: config.logRetentionDays,
      }),
    ],
    [
      "cost_monitoring",
      inputs({
        source: source("cost-monitoring"),
        ...common,
        monthly_budget_usd: config.cost.monthlyBudgetUsd,
        // Every threshold spelled out (the module's optional() defaults are the construct's ladder).
        budget_thresholds: Object.fromEntries(BUDGET_NOTIFICATIONS.map((n) => [n.severity, config.cost.budgetThresholds?.[n.severity] ?? n.defaultPercent])),
        budget_email_subscribers: config.cost.budgetEmailSubscribers,
        anomaly_threshold_usd: config.cost.anomalyThresholds?.absoluteUsd,
        anomaly_threshold_percentage: config.cost.anomalyThresholds?.percentage,
        anomaly_threshold_match: config.cost.anomalyThresholds?.match,
        activate_cost_allocation_tags: config.cost.activateCostAllocationTags,
        topic_arns: "${var.alert_topic_arns}",
      }),
    ],
  ];
  const tags = { [DEFAULT_TAG_KEYS.project]: PROJECT, [DEFAULT_TAG_KEYS.environment]: config.name, [DEFAULT_TAG_KEYS.managedBy]: "terraform", [DEFAULT_TAG_KEYS.costCenter]: config.costCenter };
  const providers = [
    hclBlock(["locals"], { tags } as JsonObject, {}),
    hclBlock(["provider", "aws"], { region: config.region, default_tags: { tags: "${local.tags}" } }, { default_tags: {} }),
    hclBlock(["provider", "aws"], { alias: "us_east_1", region: CLOUDFRONT_REGION, default_tags: { tags: "${local.tags}" } }, { default_tags: {} }),
  ];
  const calls = modules.map(([name, body]) => hclBlock(["module", name], body, {}).replace(/providers = "\$\{(\{ aws = aws\.us_east_1 \})\}"/, "providers = $1"));
  const variables = renderVariables({
    variable: Object.fromEntries(Object.entries(WIRING).map(([n, w]) => [n, { type: w.type, description: w.description }])),
    locals: {},
    data: {},
    resource: {},
    output: {},
  });
  return {
    [`environments/${config.name}/main.tf`]: [renderVersions(versions).trimEnd(), ...providers, ...calls].join("\n\n") + "\n",
    [`environments/${config.name}/variables.tf`]: variables,
  };
}
