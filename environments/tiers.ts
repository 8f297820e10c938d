// The tier defaults: everything an environment of a tier has in common with every other environment of
// that tier. An environment file (development.ts, staging.ts, production.ts, …) states only who it is
// (`EnvironmentSpec` in types.ts: name, tier, region, network, domain, budget, people, Auth0 tenant) and its
// overrides; `defineEnvironment` lays those over its tier's defaults. See docs/environments.md.
import type { NetworkSettings } from "../modules/aws/network/vpc";
import type { EdgeSettings } from "../modules/aws/edge/cloudfront";
import { DEFAULT_NODE_GROUPS } from "../modules/aws/compute/eks";
import { KARPENTER_FARGATE_PROFILE } from "../modules/aws/compute/fargate-profile";
import { DOCUMENT_ACCESS_POINTS } from "../modules/aws/data/file-storage";
import { DOCUMENT_TOPICS } from "../modules/aws/data/kafka";
import type { Auth0Settings } from "../modules/kubernetes/cluster/auth0";
import { DEFAULT_NODE_POOLS } from "../modules/kubernetes/cluster/node-pools";
import { DEFAULT_STORAGE_CLASSES } from "../modules/kubernetes/cluster/storage-classes";
import type { DisruptionBudget, KarpenterSettings } from "../modules/kubernetes/platform/settings";
import { DEPLOY_RUNNER_CIDRS } from "./deploy-runners";
import { KAFKA_TOPICS_JOB_IMAGE } from "./images";
import { Overrides, deepMerge } from "./merge";
import { platformReceivers } from "./observability";
import { EnvironmentConfig, EnvironmentSpec, EnvironmentTier, PROJECT } from "./types";
import { ConfigError } from "./validate";

/** One tier's defaults: the whole config of an environment of the tier, from what the environment states. */
export type TierDefaults = (env: EnvironmentSpec) => EnvironmentConfig;

const COST_CENTER = "aivo-platform";
const KUBERNETES_VERSION = "1.35";
const CONTROL_PLANE_LOGS = ["api", "audit", "authenticator"] as const;
const ALL_CONTROL_PLANE_LOGS = [...CONTROL_PLANE_LOGS, "controllerManager", "scheduler"] as const;
/** Karpenter's largest instance type: its NodePool limits must fit the pod address check with it. */
const KARPENTER_ALLOWANCE_TYPES = ["m6i.2xlarge"];
const GENERAL_INSTANCE_TYPES = ["m6i.large", "m6i.xlarge", "m6i.2xlarge"];
const SPOT_INSTANCE_TYPES = ["m6i.large", "m5.large", "m6a.large", "m6i.xlarge", "m5.xlarge"];
/** The DR region of the production tier. */
const PRODUCTION_DR_REGION = "us-west-2";

/** CloudFront in front of `origin.<domain>`. */
function edge(env: EnvironmentSpec, priceClass: EdgeSettings["priceClass"]) {
  return { domain: env.domain, originDomain: `origin.${env.domain}`, priceClass };
}

/** Token validation against the environment's own tenant, for the API `https://api.<domain>`. */
function auth0(env: EnvironmentSpec): Auth0Settings {
  const tenant = env.auth0Tenant;
  return {
    domain: tenant,
    audience: `https://api.${env.domain}`,
    jwksUri: `https://${tenant}/.well-known/jwks.json`,
    issuer: `https://${tenant}/`,
    algorithms: ["RS256"],
    clockSkewSeconds: 60,
  };
}

/** Karpenter's general and spot NodePools: their limits (vCPU, GiB) and disruption budgets. */
function karpenterPools(
  cpuLimit: number,
  memoryLimitGiB: number,
  budgets: { general: DisruptionBudget[]; spot: DisruptionBudget[] },
): Pick<KarpenterSettings, "general" | "spot"> {
  return {
    general: { instanceTypes: GENERAL_INSTANCE_TYPES, cpuLimit, memoryLimitGiB, budgets: budgets.general },
    spot: { instanceTypes: SPOT_INSTANCE_TYPES, cpuLimit, memoryLimitGiB, budgets: budgets.spot },
  };
}

/** The compute and storage choices every tier shares; `nodePools` is the tier's. */
const COMPUTE_CHOICES = {
  // The Karpenter controller runs on Fargate, never on a node it manages.
  fargate: { profiles: KARPENTER_FARGATE_PROFILE },
  storageClasses: { classes: DEFAULT_STORAGE_CLASSES },
  verticalPodAutoscaler: { applyRecommendations: false },
};

/** The development and staging EKS control plane: standard support, the public endpoint for the deploy runners. */
const ALLOWLISTED_CONTROL_PLANE = {
  kubernetesVersion: KUBERNETES_VERSION,
  upgradeSupportType: "STANDARD",
  // The way in for deploys (kubernetes.apiAccess "public-allowlist"): the runners' CIDRs only.
  endpointPublicAccess: true,
  publicAccessCidrs: DEPLOY_RUNNER_CIDRS,
  controlPlaneLogTypes: [...CONTROL_PLANE_LOGS],
} as const;

/** Development: minimal scale, one NAT gateway, short log retention; rebuilt at will. */
const development: TierDefaults = (env) => ({
  name: env.name,
  tier: env.tier,
  region: env.region,
  costCenter: COST_CENTER,
  // Development keeps logs 30 days, below the 365 of production: they hold no customer traffic
  // worth keeping, and CloudWatch storage is the largest log cost.
  logRetentionDays: 30,
  network: env.network,
  eks: {
    ...ALLOWLISTED_CONTROL_PLANE,
    // Karpenter's NodePool limits (set with the add-ons) must stay within this for the pod address check.
    karpenterNodeAllowance: { instanceTypes: KARPENTER_ALLOWANCE_TYPES, maxNodes: 10 },
    nodeGroups: DEFAULT_NODE_GROUPS, // general 2/2/4 (m6i/m5.xlarge), spot 0/1/4, memory 0/0/2
    // Development is rebuilt at will.
    deletionProtection: false,
  },
  cache: { nodeType: "cache.t4g.micro", numCacheClusters: 1, snapshotRetentionDays: 1 },
  database: {
    instanceClass: "db.t4g.medium",
    allocatedStorageGb: 20,
    maxAllocatedStorageGb: 100,
    multiAz: false,
    backupRetentionDays: 3,
    // Development is torn down and rebuilt; deletion protection would block that.
    deletionProtection: false,
  },
  backup: { retentionDays: 7 },
  waf: { rateLimitPerIp: 1000, rateLimitWindowSeconds: 300, blockedCountries: [] },
  edge: edge(env, "PriceClass_100"),
  alerting: { emailSubscribers: { alert: env.people.alertEmails, critical: env.people.alertEmails } },
  // Cost allocation tags are activated account-wide, by one environment per account (the first
  // deployed) and only after its first apply: see docs/deploying.md, "After the first deploy".
  cost: { monthlyBudgetUsd: env.monthlyBudgetUsd, anomalyThresholds: { absoluteUsd: 50 }, activateCostAllocationTags: false },
  // Storage and streaming: S3 kept; the costly EFS, MSK and InfluxDB off.
  buckets: {
    artifacts: { transitions: [{ days: 30, storageClass: "STANDARD_IA" }], expirationDays: 90, noncurrentVersionExpirationDays: 7 },
    backups: { transitions: [{ days: 30, storageClass: "GLACIER_IR" }], expirationDays: 90, noncurrentVersionExpirationDays: 7 },
    staticAssets: { noncurrentVersionExpirationDays: 7 },
    accessLogExpirationDays: 30,
  },
  fileStorage: { enabled: false, throughputMode: "elastic", accessPoints: DOCUMENT_ACCESS_POINTS },
  kafka: { enabled: false, brokerInstanceType: "kafka.t3.small", volumeSizeGib: 20, maxVolumeSizeGib: 100, topics: DOCUMENT_TOPICS },
  timeseries: { enabled: false, instanceType: "db.influx.medium", allocatedStorageGib: 20, retentionDays: 30 },
  kubernetes: {
    apiAccess: "public-allowlist",
    karpenter: { amiAlias: "al2023@latest", ...karpenterPools(16, 64, { general: [{ nodes: "20%" }], spot: [{ nodes: "50%" }] }) },
    policyAction: "Audit",
    acmeEmail: env.people.acmeEmail,
  },
  // Development pays NAT traffic instead of ~$170/month of endpoints (8 services × 3 AZs).
  vpcEndpoints: { enabled: false },
  networkAcls: {},
  tracing: { samplingRules: [{ name: "default", priority: 1000, reservoirSize: 1, fixedRate: 1.0 }] },
  auth0: auth0(env),
  // Observability: small and short-lived; no paging (alerts reach Slack and e-mail only).
  observability: {
    prometheus: { retentionDays: 7, volumeSizeGi: 20, replicas: 1 },
    alertmanagerReplicas: 1,
    loki: { mode: "SingleBinary" },
    receivers: platformReceivers(false),
  },
  clusterBackups: { ttlDays: 3 },
  fargate: COMPUTE_CHOICES.fargate,
  // Monitoring gets its own small pool; no high-IOPS or GPU capacity in development.
  nodePools: { monitoring: { ...DEFAULT_NODE_POOLS.monitoring, cpuLimit: 8, memoryLimitGiB: 32 } },
  storageClasses: COMPUTE_CHOICES.storageClasses,
  verticalPodAutoscaler: COMPUTE_CHOICES.verticalPodAutoscaler,
});

/** Staging: production's shape at medium scale, one NAT gateway per AZ, production's private paths. */
const staging: TierDefaults = (env) => ({
  name: env.name,
  tier: env.tier,
  region: env.region,
  costCenter: COST_CENTER,
  // 90 days covers a release cycle of investigations; staging holds no customer data.
  logRetentionDays: 90,
  network: env.network,
  eks: {
    ...ALLOWLISTED_CONTROL_PLANE,
    karpenterNodeAllowance: { instanceTypes: KARPENTER_ALLOWANCE_TYPES, maxNodes: 20 },
    nodeGroups: {
      general: { ...DEFAULT_NODE_GROUPS.general, minSize: 2, desiredSize: 3, maxSize: 8 },
      spot: { ...DEFAULT_NODE_GROUPS.spot, minSize: 0, desiredSize: 2, maxSize: 8 },
      memory: { ...DEFAULT_NODE_GROUPS.memory, minSize: 1, desiredSize: 1, maxSize: 4 },
    },
    deletionProtection: true,
  },
  cache: { nodeType: "cache.t4g.small", numCacheClusters: 2, snapshotRetentionDays: 3 },
  database: {
    instanceClass: "db.t4g.large",
    allocatedStorageGb: 50,
    maxAllocatedStorageGb: 200,
    multiAz: true,
    backupRetentionDays: 7,
    deletionProtection: true,
  },
  backup: { retentionDays: 14 },
  waf: { rateLimitPerIp: 2000, rateLimitWindowSeconds: 300, blockedCountries: [] },
  edge: edge(env, "PriceClass_100"),
  alerting: { emailSubscribers: { alert: env.people.alertEmails, critical: env.people.alertEmails } },
  cost: { monthlyBudgetUsd: env.monthlyBudgetUsd, anomalyThresholds: { absoluteUsd: 100 }, activateCostAllocationTags: false },
  // Storage and streaming: everything on, smaller than production, single-AZ InfluxDB.
  buckets: {
    artifacts: {
      transitions: [{ days: 30, storageClass: "STANDARD_IA" }, { days: 90, storageClass: "GLACIER_IR" }],
      expirationDays: 180,
      noncurrentVersionExpirationDays: 14,
    },
    backups: { transitions: [{ days: 30, storageClass: "GLACIER_IR" }], expirationDays: 180, noncurrentVersionExpirationDays: 14 },
    staticAssets: { noncurrentVersionExpirationDays: 14 },
    accessLogExpirationDays: 90,
  },
  fileStorage: { throughputMode: "elastic", accessPoints: DOCUMENT_ACCESS_POINTS },
  kafka: {
    brokerInstanceType: "kafka.m7g.large",
    volumeSizeGib: 100,
    maxVolumeSizeGib: 500,
    topics: DOCUMENT_TOPICS,
    topicsJobImage: KAFKA_TOPICS_JOB_IMAGE,
  },
  timeseries: { instanceType: "db.influx.medium", allocatedStorageGib: 50, retentionDays: 30 },
  kubernetes: {
    apiAccess: "public-allowlist",
    karpenter: { amiAlias: "al2023@v20260815", ...karpenterPools(32, 128, { general: [{ nodes: "10%" }], spot: [{ nodes: "20%" }] }) },
    policyAction: "Enforce",
    acmeEmail: env.people.acmeEmail,
  },
  // Staging mirrors production's private paths so releases are tested through them.
  vpcEndpoints: { enabled: true },
  networkAcls: {},
  tracing: { samplingRules: [{ name: "default", priority: 1000, reservoirSize: 1, fixedRate: 0.1 }] },
  auth0: auth0(env),
  // Observability: production's shape at lower scale; no paging.
  observability: {
    prometheus: { retentionDays: 15, volumeSizeGi: 50, replicas: 1 },
    alertmanagerReplicas: 1,
    loki: { mode: "SingleBinary" },
    receivers: platformReceivers(false),
  },
  clusterBackups: { ttlDays: 7 },
  fargate: COMPUTE_CHOICES.fargate,
  nodePools: { monitoring: DEFAULT_NODE_POOLS.monitoring, highIops: DEFAULT_NODE_POOLS.highIops },
  storageClasses: COMPUTE_CHOICES.storageClasses,
  verticalPodAutoscaler: COMPUTE_CHOICES.verticalPodAutoscaler,
});

/** The production EKS control plane: private endpoint only, extended support, every log type. */
const PRODUCTION_CONTROL_PLANE = {
  kubernetesVersion: KUBERNETES_VERSION,
  // No forced upgrade of production when standard support ends.
  upgradeSupportType: "EXTENDED",
  endpointPublicAccess: false,
} as const;

/** The DR pilot light in `drRegion` (stack `<env>-dr`), around the environment's DR VPC; docs/disaster-recovery.md. */
function pilotLight(env: EnvironmentSpec, network: NetworkSettings): EnvironmentConfig["dr"] {
  return {
    // One NAT per AZ already (network): after failover this is production, and nothing on the RTO path waits for NAT.
    network,
    eks: {
      ...PRODUCTION_CONTROL_PLANE,
      controlPlaneLogTypes: [...ALL_CONTROL_PLANE_LOGS],
      // Pilot light: two general nodes (CoreDNS, Karpenter, the controllers); the ceilings are production's.
      nodeGroups: {
        general: { ...DEFAULT_NODE_GROUPS.general, minSize: 2, desiredSize: 2, maxSize: 20 },
        spot: { ...DEFAULT_NODE_GROUPS.spot, minSize: 0, desiredSize: 0, maxSize: 20 },
        memory: { ...DEFAULT_NODE_GROUPS.memory, minSize: 0, desiredSize: 0, maxSize: 8, diskSizeGiB: 100 },
      },
      deletionProtection: true,
    },
    // Same class as the primary so replay keeps up; multi-AZ is turned on at promotion.
    database: { instanceClass: "db.r6g.large", multiAz: false, backupRetentionDays: 14, replicaLagAlarmThresholdSeconds: 300 },
    // Rebuilt empty (a cache): one small node, scaled to production's size on failover.
    cache: { nodeType: "cache.t4g.small", numCacheClusters: 1, snapshotRetentionDays: 1 },
    traffic: {
      primaryTarget: `origin-${env.region}.${env.domain}`,
      secondaryTarget: `origin-${PRODUCTION_DR_REGION}.${env.domain}`,
    },
  };
}

/** Production: full scale, disaster recovery in us-west-2, everything the validation demands of production. */
const production: TierDefaults = (env) => ({
  name: env.name,
  tier: env.tier,
  region: env.region,
  drRegion: PRODUCTION_DR_REGION,
  costCenter: COST_CENTER,
  logRetentionDays: 365,
  network: env.network,
  eks: {
    ...PRODUCTION_CONTROL_PLANE,
    // The way in for deploys (kubernetes.apiAccess "in-vpc-runner"): a runner in the private subnets.
    privateAccessCidrs: env.network.privateSubnets,
    controlPlaneLogTypes: [...ALL_CONTROL_PLANE_LOGS],
    karpenterNodeAllowance: { instanceTypes: KARPENTER_ALLOWANCE_TYPES, maxNodes: 50 },
    nodeGroups: {
      general: { ...DEFAULT_NODE_GROUPS.general, minSize: 3, desiredSize: 6, maxSize: 20 }, // seed 004
      spot: { ...DEFAULT_NODE_GROUPS.spot, minSize: 0, desiredSize: 3, maxSize: 20 },
      memory: { ...DEFAULT_NODE_GROUPS.memory, minSize: 2, desiredSize: 2, maxSize: 8, diskSizeGiB: 100 },
    },
    deletionProtection: true,
  },
  cache: { nodeType: "cache.r7g.large", numCacheClusters: 3, multiAz: true, automaticFailover: true, snapshotRetentionDays: 7 },
  database: {
    instanceClass: "db.r6g.large",
    allocatedStorageGb: 100,
    maxAllocatedStorageGb: 1000,
    multiAz: true,
    backupRetentionDays: 14,
    deletionProtection: true,
    readReplicaCount: 1,
  },
  // 4-hourly recovery points kept 35 days, each copied to the DR region.
  backup: { retentionDays: 35, drCopy: { retentionDays: 35 } },
  // High per-IP limit on purpose: a whole school often reaches the platform from one NAT address.
  waf: { rateLimitPerIp: 10000, rateLimitWindowSeconds: 300, blockedCountries: [] },
  edge: { ...edge(env, "PriceClass_All"), healthCheckIntervalSeconds: 10 },
  alerting: {
    emailSubscribers: { warning: env.people.alertEmails, alert: env.people.alertEmails, critical: env.people.alertEmails },
    // The PagerDuty "Platform On-Call" integration URL embeds its key: it is read from SSM at plan time.
    pagerDuty: { integrationUrlParameter: `/${PROJECT}/${env.name}/pagerduty-integration-url` },
  },
  cost: {
    monthlyBudgetUsd: env.monthlyBudgetUsd,
    anomalyThresholds: { absoluteUsd: 250, percentage: 10 },
    activateCostAllocationTags: false,
  },
  ...(env.drNetwork ? { dr: pilotLight(env, env.drNetwork) } : {}),
  // Storage and streaming: provisioned EFS, artifacts and backups replicated to the DR region,
  // multi-AZ InfluxDB, the document's three Kafka topics.
  buckets: {
    artifacts: {
      transitions: [{ days: 30, storageClass: "STANDARD_IA" }, { days: 90, storageClass: "GLACIER_IR" }],
      expirationDays: 365,
      noncurrentVersionExpirationDays: 30,
    },
    backups: {
      transitions: [{ days: 30, storageClass: "GLACIER_IR" }, { days: 180, storageClass: "DEEP_ARCHIVE" }],
      expirationDays: 2555, // seven years of database exports
      noncurrentVersionExpirationDays: 90,
    },
    staticAssets: { noncurrentVersionExpirationDays: 30 },
    accessLogExpirationDays: 365,
    replicateToDrRegion: true,
  },
  fileStorage: { throughputMode: "provisioned", provisionedThroughputMibps: 128, accessPoints: DOCUMENT_ACCESS_POINTS },
  kafka: {
    brokerInstanceType: "kafka.m7g.large",
    volumeSizeGib: 500,
    maxVolumeSizeGib: 4000,
    topics: DOCUMENT_TOPICS,
    topicsJobImage: KAFKA_TOPICS_JOB_IMAGE,
  },
  timeseries: { instanceType: "db.influx.large", allocatedStorageGib: 400, multiAz: true, retentionDays: 365 },
  kubernetes: {
    apiAccess: "in-vpc-runner",
    // Kyverno's HA recommendation is three admission controllers; the rest keep the default two.
    replicas: { kyverno: 3 },
    karpenter: {
      amiAlias: "al2023@v20260815",
      ...karpenterPools(200, 800, {
        general: [
          { nodes: "1" },
          // No voluntary disruption during school hours (US Eastern, weekdays 12:00-24:00 UTC).
          { nodes: "0", schedule: "0 12 * * mon-fri", duration: "12h", reasons: ["Underutilized", "Drifted"] },
        ],
        spot: [{ nodes: "1" }],
      }),
    },
    policyAction: "Enforce",
    acmeEmail: env.people.acmeEmail,
  },
  vpcEndpoints: { enabled: true },
  networkAcls: {},
  tracing: { samplingRules: [{ name: "default", priority: 1000, reservoirSize: 5, fixedRate: 0.05 }] },
  auth0: auth0(env),
  // Observability: two Prometheus replicas, an HA Alertmanager (3), scalable Loki, paging on.
  // One Grafana: its state is SQLite on the pod; dashboards and data sources are provisioned.
  observability: {
    prometheus: { retentionDays: 30, volumeSizeGi: 200, replicas: 2 },
    alertmanagerReplicas: 3,
    loki: { mode: "SimpleScalable", replicas: 3 },
    receivers: platformReceivers(true),
  },
  // Velero backups kept 30 days, the bucket replicated to the DR region.
  clusterBackups: { ttlDays: 30, replicateToDr: true },
  fargate: COMPUTE_CHOICES.fargate,
  // GPU capacity is "if needed": override `nodePools.gpu: GPU_NODE_POOL` and `nodePools.nvidiaDevicePlugin: true`.
  nodePools: {
    monitoring: { ...DEFAULT_NODE_POOLS.monitoring, cpuLimit: 32, memoryLimitGiB: 128 },
    highIops: { ...DEFAULT_NODE_POOLS.highIops, cpuLimit: 64, memoryLimitGiB: 512 },
  },
  storageClasses: COMPUTE_CHOICES.storageClasses,
  verticalPodAutoscaler: COMPUTE_CHOICES.verticalPodAutoscaler,
});

/** The defaults of each tier. */
export const TIERS: Readonly<Record<EnvironmentTier, TierDefaults>> = { development, staging, production };

/**
 * An environment's config: its tier's defaults (`TIERS[spec.tier]`) for what `spec` states, with
 * `overrides` laid over them (objects merge key by key, arrays and values replace, `undefined` removes;
 * see `deepMerge`). `validateEnvironments` checks the result like any other config.
 */
export function defineEnvironment(spec: EnvironmentSpec, overrides?: Overrides<EnvironmentConfig>): EnvironmentConfig {
  const defaults = TIERS[spec.tier];
  if (!defaults) throw new ConfigError(`${spec.name}.tier: "${spec.tier}" is not one of ${Object.keys(TIERS).join(", ")}`);
  return deepMerge<EnvironmentConfig>(defaults(spec), overrides);
}
