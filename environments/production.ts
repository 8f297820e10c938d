import { DEFAULT_NODE_GROUPS } from "../modules/eks";
import { EnvironmentConfig, PLATFORM_TEAM_EMAIL } from "./types";
import { KARPENTER_FARGATE_PROFILE } from "../modules/fargate-profile";
import { DEFAULT_NODE_POOLS } from "../modules/node-pools";
import { DEFAULT_STORAGE_CLASSES } from "../modules/storage-classes";

/** Production: full scale in us-east-1, disaster recovery in us-west-2. */
export const production: EnvironmentConfig = {
  name: "production",
  tier: "production",
  region: "us-east-1",
  drRegion: "us-west-2",
  costCenter: "aivo-platform",
  logRetentionDays: 365,
  network: {
    vpcCidr: "10.0.0.0/16",
    availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
    privateSubnets: ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"],
    publicSubnets: ["10.0.101.0/24", "10.0.102.0/24", "10.0.103.0/24"],
    databaseSubnets: ["10.0.201.0/24", "10.0.202.0/24", "10.0.203.0/24"],
    natGateways: "one-per-az",
  },
  eks: {
    kubernetesVersion: "1.35",
    // No forced upgrade of production when standard support ends.
    upgradeSupportType: "EXTENDED",
    endpointPublicAccess: false,
    controlPlaneLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
    nodeGroups: {
      general: { ...DEFAULT_NODE_GROUPS.general, minSize: 3, desiredSize: 6, maxSize: 20 }, // seed 004
      spot: { ...DEFAULT_NODE_GROUPS.spot, minSize: 0, desiredSize: 3, maxSize: 20 },
      memory: { ...DEFAULT_NODE_GROUPS.memory, minSize: 2, desiredSize: 2, maxSize: 8, diskSizeGiB: 100 },
    },
    deletionProtection: true,
  },
  cache: {
    nodeType: "cache.r7g.large",
    numCacheClusters: 3,
    multiAz: true,
    automaticFailover: true,
    snapshotRetentionDays: 7,
  },
  database: {
    instanceClass: "db.r6g.large",
    allocatedStorageGb: 100,
    maxAllocatedStorageGb: 1000,
    multiAz: true,
    backupRetentionDays: 14,
    deletionProtection: true,
    readReplicaCount: 1,
  },
  // 4-hourly recovery points kept 35 days, each copied to the DR region (us-west-2).
  backup: { retentionDays: 35, drCopy: { retentionDays: 35 } },
  // High per-IP limit on purpose: a whole school often reaches the platform from one NAT address.
  waf: { rateLimitPerIp: 10000, rateLimitWindowSeconds: 300, blockedCountries: [] },
  edge: {
    domain: "aivo.edu",
    originDomain: "origin.aivo.edu",
    priceClass: "PriceClass_All",
    additionalSubdomains: ["www"],
    healthCheckIntervalSeconds: 10,
  },
  alerting: {
    emailSubscribers: {
      warning: [PLATFORM_TEAM_EMAIL],
      alert: [PLATFORM_TEAM_EMAIL],
      critical: [PLATFORM_TEAM_EMAIL],
    },
    // The PagerDuty "Platform On-Call" integration URL embeds its key: it is read from SSM at plan time.
    pagerDuty: { integrationUrlParameter: "/aivo/production/pagerduty-integration-url" },
  },
  cost: {
    monthlyBudgetUsd: 5000,
    anomalyThresholds: { absoluteUsd: 250, percentage: 10 },
    activateCostAllocationTags: false, // activated by development (same account)
  },
  // --- compute and storage choices ---
  // The Karpenter controller runs on Fargate, never on a node it manages.
  fargate: { profiles: KARPENTER_FARGATE_PROFILE },
  // GPU capacity is "if needed": add `gpu: GPU_NODE_POOL` and `nvidiaDevicePlugin: true` to turn it on.
  nodePools: {
    monitoring: { ...DEFAULT_NODE_POOLS.monitoring, cpuLimit: 32, memoryLimitGiB: 128 },
    highIops: { ...DEFAULT_NODE_POOLS.highIops, cpuLimit: 64, memoryLimitGiB: 512 },
  },
  storageClasses: { classes: DEFAULT_STORAGE_CLASSES },
  verticalPodAutoscaler: { applyRecommendations: false },
};
