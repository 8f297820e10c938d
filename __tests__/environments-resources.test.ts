// What each environment's stack runs as configured: EKS, data stores and edge, teardown safety, paging, cost, storage and streaming, canaries, RUM and off-hours.
import { REPLICATED_BUCKETS } from "../modules/aws/data/buckets";
import { STATIC_ASSETS_ORIGIN_GROUP_ID } from "../modules/aws/edge/cloudfront";
import { ENVIRONMENTS } from "../environments";
import { development } from "../environments/development";
import { production } from "../environments/production";
import { staging } from "../environments/staging";
import { configsOf, resourcesOf, TerraformJson } from "./helpers";
import { CANARY_KINDS, CANARY_RATE_MINUTES_BY_TIER, CANARY_SEVERITIES_BY_TIER } from "../modules/aws/observability/canaries";
import { RUM_SAMPLE_RATE_BY_TIER } from "../modules/aws/observability/real-user-monitoring";
import { schemaNameOf } from "../modules/aws/data/schema-registry";
import { resolveOffHours } from "../modules/aws/compute/off-hours";
import { DEFAULT_NODE_GROUPS } from "../modules/aws/compute/eks";
import { EACH_ENVIRONMENT, platformDocs } from "./platform";
/** Each environment's own stack, from the run's shared synthesis. */
const docs: Record<string, TerraformJson> = platformDocs();

describe.each(EACH_ENVIRONMENT)("EKS of %s", (_name, config) => {
  const scaling = Object.fromEntries(Object.entries(config.eks.nodeGroups!).map(([k, g]) => [k, [g.minSize, g.desiredSize, g.maxSize]]));
  const logTypes = config.eks.controlPlaneLogTypes;
  const doc = docs[config.name];

  it("runs aivo-<env>-eks on Kubernetes 1.35 with a private endpoint, a public one only for the deploy runners, and encrypted secrets", () => {
    const [cluster] = configsOf(doc, "aws_eks_cluster");
    expect(cluster.name).toBe(`aivo-${config.name}-eks`);
    expect(cluster.version).toBe("1.35");
    // The way in for deploys (kubernetes.apiAccess): the public endpoint with the runners' CIDRs, or
    // the private endpoint only (production, in-VPC runner).
    const publicAccess = config.kubernetes.apiAccess === "public-allowlist";
    expect(cluster.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: publicAccess });
    if (publicAccess) {
      expect(cluster.vpc_config.public_access_cidrs).toEqual(config.eks.publicAccessCidrs);
      expect(cluster.vpc_config.public_access_cidrs).not.toContain("0.0.0.0/0");
    }
    expect(cluster.encryption_config.resources).toEqual(["secrets"]);
    expect(cluster.enabled_cluster_log_types).toEqual(logTypes);
  });

  it("scales the documented node groups (min/desired/max) for the environment", () => {
    const groups = configsOf(doc, "aws_eks_node_group");
    const actual = Object.fromEntries(
      groups.map((g) => [g.labels["node-type"], [g.scaling_config.min_size, g.scaling_config.desired_size, g.scaling_config.max_size]]),
    );
    expect(actual).toEqual(scaling);
    expect(groups.find((g) => g.labels["node-type"] === "spot")!.capacity_type).toBe("SPOT");
    expect(groups.every((g) => g.labels.environment === config.name)).toBe(true);
  });

  it("lets only the EKS nodes reach PostgreSQL (5432) and Redis (6379)", () => {
    const ingress = configsOf(doc, "aws_vpc_security_group_ingress_rule").filter((r) => [5432, 6379].includes(r.from_port));
    expect(ingress.map((r) => r.from_port).sort()).toEqual([5432, 6379]);
    for (const rule of ingress) {
      expect(rule.referenced_security_group_id).toMatch(/^\$\{aws_security_group\.eks_node-sg_\w+\.id\}$/);
      expect(rule.cidr_ipv4).toBeUndefined();
    }
  });
});

describe.each(EACH_ENVIRONMENT)("data stores and edge of %s", (_name, config) => {
  const cacheNodes = config.cache.numCacheClusters;
  const dbMultiAz = config.database.multiAz;
  const replicas = config.database.readReplicaCount ?? 0;
  const drCopy = config.drRegion !== undefined;
  const doc = docs[config.name];

  it(`runs Redis 7.1 on ${cacheNodes} node(s) in the database subnets, encrypted in transit and at rest`, () => {
    const [group] = configsOf(doc, "aws_elasticache_replication_group");
    expect(group).toMatchObject({
      engine: "redis",
      engine_version: "7.1",
      num_cache_clusters: cacheNodes,
      transit_encryption_enabled: true,
      at_rest_encryption_enabled: "true", // a string attribute in AWS provider 6
      subnet_group_name: expect.stringContaining("aws_elasticache_subnet_group"),
    });
    expect(group.kms_key_id).toMatch(/aws_kms_key\./);
    expect(Boolean(group.multi_az_enabled)).toBe(config.tier === "production");
  });

  it(`runs PostgreSQL 15 (multi-AZ ${dbMultiAz}) with ${replicas} read replica(s)`, () => {
    const instances = configsOf(doc, "aws_db_instance");
    const primary = instances.find((i) => !i.replicate_source_db)!;
    expect(primary).toMatchObject({ engine: "postgres", multi_az: dbMultiAz, storage_encrypted: true, deletion_protection: config.database.deletionProtection });
    expect(primary.engine_version).toBe("15");
    expect(primary.auto_minor_version_upgrade).toBe(true);
    expect(primary.db_subnet_group_name).toContain("aws_db_subnet_group");
    expect(instances.filter((i) => i.replicate_source_db)).toHaveLength(replicas);
  });

  it("backs the database up every 4 hours" + (drCopy ? ", copying to the DR region" : ""), () => {
    const [plan] = configsOf(doc, "aws_backup_plan");
    expect(plan.rule[0].schedule).toBe("cron(0 */4 * * ? *)");
    expect(Boolean(plan.rule[0].copy_action)).toBe(drCopy);
    const vaults = configsOf(doc, "aws_backup_vault");
    expect(vaults.map((v) => v.provider ?? "aws").sort()).toEqual(drCopy ? ["aws", "aws.dr"] : ["aws"]);
    if (drCopy) expect(doc.provider!.aws.find((p) => p.alias === "dr")!.region).toBe("us-west-2");
  });

  it("creates the CloudFront web ACL through the us-east-1 provider alias", () => {
    const [acl] = configsOf(doc, "aws_wafv2_web_acl");
    expect(acl).toMatchObject({ scope: "CLOUDFRONT", provider: "aws.us_east_1" });
    expect(doc.provider!.aws.find((p) => p.alias === "us_east_1")!.region).toBe("us-east-1");
    const rate = acl.rule.find((r: any) => r.statement.rate_based_statement);
    expect(rate.statement.rate_based_statement.limit).toBe(config.waf.rateLimitPerIp);
  });

  it("serves its domain through CloudFront with the ACL attached", () => {
    const [distribution] = configsOf(doc, "aws_cloudfront_distribution");
    expect(distribution.aliases).toContain(config.edge.domain);
    expect(distribution.web_acl_id).toContain("aws_wafv2_web_acl");
    expect(distribution.price_class).toBe(config.edge.priceClass);
    expect(distribution.viewer_certificate.minimum_protocol_version).toBe("TLSv1.2_2021");
    expect(configsOf(doc, "aws_route53_zone").map((z) => z.name)).toEqual([`internal.${config.edge.domain}`]);
  });
});

describe("development can be destroyed and re-created at will", () => {
  const doc = docs.development;

  it("has no deletion protection, final snapshot, undeletable vault or lingering secret", () => {
    expect(development.tier).toBe("development");
    expect(configsOf(doc, "aws_eks_cluster")[0].deletion_protection).toBe(false);
    const [primary] = configsOf(doc, "aws_db_instance");
    expect(primary).toMatchObject({ deletion_protection: false, skip_final_snapshot: true });
    expect(primary.final_snapshot_identifier).toBeUndefined();
    expect(configsOf(doc, "aws_elasticache_replication_group")[0].final_snapshot_identifier).toBeUndefined();
    for (const vault of configsOf(doc, "aws_backup_vault")) expect(vault.force_destroy).toBe(true);
    for (const secret of configsOf(doc, "aws_secretsmanager_secret")) expect(secret.recovery_window_in_days).toBe(0);
  });

  it("while production keeps its final snapshots, vault and secret recovery window", () => {
    const [primary] = configsOf(docs.production, "aws_db_instance").filter((i) => i.replicate_source_db === undefined);
    expect(primary).toMatchObject({ deletion_protection: true, skip_final_snapshot: false, final_snapshot_identifier: "aivo-production-postgres-final" });
    expect(configsOf(docs.production, "aws_elasticache_replication_group")[0].final_snapshot_identifier).toBe("aivo-production-cache-final");
    for (const vault of configsOf(docs.production, "aws_backup_vault")) expect(vault.force_destroy).toBeUndefined();
    for (const secret of configsOf(docs.production, "aws_secretsmanager_secret")) expect(secret.recovery_window_in_days).toBeUndefined();
  });
});

describe("what pages (the critical topic, PagerDuty in production)", () => {
  const critical = (doc: TerraformJson) => {
    const [policyId] = Object.entries(doc.resource!.aws_sns_topic_policy).find(([, p]) => p.arn.includes("topic-critical"))!;
    const topic = `\${aws_sns_topic_policy.${policyId}.arn}`;
    return configsOf(doc, "aws_cloudwatch_metric_alarm").filter((a) => a.alarm_actions.includes(topic)).map((a) => a.alarm_name).sort();
  };

  it("routes outages to critical: database and cache unavailable, replica lag beyond the RPO, origin unhealthy, CloudFront 5xx", () => {
    expect(critical(docs.production)).toEqual([
      "aivo-production-cache-001-unavailable",
      "aivo-production-cache-002-unavailable",
      "aivo-production-cache-003-unavailable",
      // A failing production canary: users see what it sees.
      "aivo-production-canary-api-failing",
      "aivo-production-canary-heartbeat-failing",
      "aivo-production-edge-5xx-rate",
      "aivo-production-edge-origin-unhealthy",
      "aivo-production-postgres-replica-1-lag-beyond-rpo",
      "aivo-production-postgres-unavailable",
    ]);
  });
});

describe("cost settings across environments", () => {
  it("budgets development < staging < production", () => {
    const amounts = [development, staging, production].map((c) => c.cost.monthlyBudgetUsd);
    expect([...amounts].sort((a, b) => a - b)).toEqual(amounts);
    expect(new Set(amounts).size).toBe(3);
  });

  it("activates no cost allocation tag on the first apply (it fails until AWS has billed a tagged resource)", () => {
    const activating = ENVIRONMENTS.filter((c) => c.cost.activateCostAllocationTags ?? false);
    expect(activating.map((c) => c.name)).toEqual([]);
    for (const config of ENVIRONMENTS) expect(configsOf(docs[config.name], "aws_ce_cost_allocation_tag")).toHaveLength(0);
  });

  it("pages production's on-call through PagerDuty on critical alerts only", () => {
    const https = (doc: TerraformJson) => configsOf(doc, "aws_sns_topic_subscription").filter((s) => s.protocol === "https");
    expect(https(docs.production)).toHaveLength(1);
    expect(https(docs.production)[0].topic_arn).toContain("critical");
    expect(https(docs.development)).toHaveLength(0);
  });
});

describe.each([
  [development, false, 0],
  [staging, true, 0],
  [production, true, REPLICATED_BUCKETS.length],
] as const)("storage and streaming of $name", (config, costlyOn, replications) => {
  const doc = docs[config.name];

  it("has the three CMK-encrypted buckets and the access-log bucket, replicating to the DR region in production only", () => {
    const primary = configsOf(doc, "aws_s3_bucket").filter((b) => !b.provider);
    expect(primary.map((b) => b.bucket.replace(/-\$\{.*\}$/, "")).sort()).toEqual(
      expect.arrayContaining(["artifacts", "backups", "s3-access-logs", "static-assets"].map((b) => `aivo-${config.name}-${b}`)),
    );
    expect(configsOf(doc, "aws_s3_bucket_replication_configuration")).toHaveLength(replications);
  });

  it("serves /static/* from the static-assets bucket through Origin Access Control, /api/* from the ALB", () => {
    const [distribution] = configsOf(doc, "aws_cloudfront_distribution");
    const s3Origin = distribution.origin.find((o: any) => o.origin_id === "static-assets-s3");
    expect(s3Origin.domain_name).toMatch(/aws_s3_bucket\.buckets_static-assets_bucket_\w+\.bucket_regional_domain_name/);
    expect(s3Origin.origin_access_control_id).toMatch(/aws_cloudfront_origin_access_control\./);
    const behaviors = Object.fromEntries(distribution.ordered_cache_behavior.map((b: any) => [b.path_pattern, b.target_origin_id]));
    // With a DR replica of the bucket, /static/* targets the origin group (bucket, then replica).
    expect(behaviors).toEqual({ "/api/*": "platform-alb", "/static/*": config.buckets.replicateToDrRegion ? STATIC_ASSETS_ORIGIN_GROUP_ID : "static-assets-s3" });
    const oac = configsOf(doc, "aws_cloudfront_origin_access_control")[0];
    expect(oac).toMatchObject({ origin_access_control_origin_type: "s3", signing_behavior: "always", signing_protocol: "sigv4" });
  });

  it(costlyOn ? "runs EFS, MSK and InfluxDB" : "turns the costly EFS, MSK and InfluxDB off", () => {
    for (const type of ["aws_efs_file_system", "aws_msk_cluster", "aws_timestreaminfluxdb_db_instance"]) {
      expect(configsOf(doc, type)).toHaveLength(costlyOn ? 1 : 0);
    }
  });

  if (costlyOn) {
    it("sizes them by tier and admits only the nodes (NFS 2049, Kafka IAM 9098, InfluxDB 8086)", () => {
      const [fs] = configsOf(doc, "aws_efs_file_system");
      expect(fs.throughput_mode).toBe(config.fileStorage.throughputMode);
      const [influx] = configsOf(doc, "aws_timestreaminfluxdb_db_instance");
      expect(influx.deployment_type).toBe(config.tier === "production" ? "WITH_MULTIAZ_STANDBY" : "SINGLE_AZ");
      const [msk] = configsOf(doc, "aws_msk_cluster");
      expect(msk.number_of_broker_nodes).toBe(3);
      expect(msk.broker_node_group_info.instance_type).toBe(config.kafka.brokerInstanceType);
      const ingress = configsOf(doc, "aws_vpc_security_group_ingress_rule").filter((r) => [2049, 9098, 8086].includes(r.from_port));
      expect(ingress.map((r) => r.from_port).sort()).toEqual([2049, 8086, 9098]);
      for (const rule of ingress) expect(rule.referenced_security_group_id).toMatch(/^\$\{aws_security_group\.eks_node-sg_\w+\.id\}$/);
    });

    it("installs the EFS CSI driver add-on after the node groups, with its own role", () => {
      const addon = configsOf(doc, "aws_eks_addon").find((a) => a.addon_name === "aws-efs-csi-driver")!;
      expect(addon.service_account_role_arn).toMatch(/aws_iam_role\.file-storage_csi-role/);
      expect(addon.depends_on).toHaveLength(3);
      expect(addon.depends_on.every((d: string) => d.startsWith("aws_eks_node_group."))).toBe(true);
    });
  }
});

describe("what users feel, per environment (issue 29)", () => {
  it.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("%s: canaries, RUM and the schema registry, with the snippet's parameters as outputs", (name, config) => {
    const doc = docs[name];
    const canaries = configsOf(doc, "aws_synthetics_canary");
    expect(canaries.map((c) => c.name).sort()).toEqual(CANARY_KINDS.map((k) => `aivo-${name}-${k}`).sort());
    const rate = config.canaries?.rateMinutes ?? CANARY_RATE_MINUTES_BY_TIER[config.tier];
    for (const c of canaries) {
      expect(c.schedule.expression).toBe(`rate(${rate} minute${rate === 1 ? "" : "s"})`);
      expect(c.vpc_config.subnet_ids).toHaveLength(config.network.privateSubnets.length);
    }
    expect(canaries.find((c) => c.name.endsWith("-heartbeat"))!.run_config.environment_variables.SITE_URL).toBe(`https://${config.edge.domain}/`);
    const failing = configsOf(doc, "aws_cloudwatch_metric_alarm").filter((a) => a.metric_name === "SuccessPercent" && a.namespace === "CloudWatchSynthetics");
    expect(failing).toHaveLength(CANARY_KINDS.length);
    const severity = CANARY_SEVERITIES_BY_TIER[config.tier].failing;
    // The alert topics' ARNs are read through their policies (publishers wait for them): alerts_topic-policy-<severity>_….
    for (const alarm of failing) expect(alarm.alarm_actions).toEqual([expect.stringMatching(new RegExp(`^\\$\\{aws_sns_topic_policy\\.alerts_topic-policy-${severity}_\\w+\\.arn\\}$`))]);
    const rum = configsOf(doc, "aws_rum_app_monitor")[0];
    expect(rum.app_monitor_configuration.session_sample_rate).toBe(config.realUserMonitoring?.sessionSampleRate ?? RUM_SAMPLE_RATE_BY_TIER[config.tier]);
    expect(configsOf(doc, "aws_glue_schema").map((s) => s.schema_name).sort()).toEqual(Object.keys(config.kafka.topics).map(schemaNameOf).sort());
    for (const output of ["canary_names", "canary_artifact_bucket", "rum_app_monitor_id", "rum_identity_pool_id", "rum_guest_role_arn", "rum_endpoint", "rum_session_sample_rate", "schema_registry_name", "schema_names"]) {
      expect(doc.output?.[output]).toBeDefined();
    }
  });

  it.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("%s: off-hours scaling of every node group and the database exactly where the config turns it on", (name, config) => {
    const doc = docs[name];
    const off = resolveOffHours(config.tier, config.offHours);
    const actions = configsOf(doc, "aws_autoscaling_schedule");
    const schedules = configsOf(doc, "aws_scheduler_schedule");
    if (!off.enabled) {
      expect([actions, schedules, doc.output?.off_hours_working_hours]).toEqual([[], [], undefined]);
      return;
    }
    // Every node group that runs more than its minimum, a stop and a start each.
    const scaled = Object.values(config.eks.nodeGroups ?? DEFAULT_NODE_GROUPS).filter((g) => g.minSize < g.desiredSize);
    expect(actions).toHaveLength(2 * scaled.length);
    expect(scaled.length).toBeLessThanOrEqual(Object.keys(resourcesOf(doc, "aws_eks_node_group")).length);
    for (const a of actions) expect(a.time_zone).toBe(off.workingHours.timeZone);
    const names = schedules.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining([`aivo-${name}-off-hours-database-stop`, `aivo-${name}-off-hours-database-start`]));
    expect(doc.output?.off_hours_working_hours).toBeDefined();
  });
});
