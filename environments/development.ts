import { DEFAULT_NODE_GROUPS } from "../modules/eks";
import { EnvironmentConfig, PLATFORM_TEAM_EMAIL } from "./types";
import { KARPENTER_FARGATE_PROFILE } from "../modules/fargate-profile";
import { DEFAULT_NODE_POOLS } from "../modules/node-pools";
import { DEFAULT_STORAGE_CLASSES } from "../modules/storage-classes";

/** Development: minimal scale, one NAT gateway, short log retention. */
export const development: EnvironmentConfig = {
  name: "development",
  tier: "development",
  region: "us-east-1",
  costCenter: "aivo-platform",
  // Development keeps logs 30 days, below the 365 of production: they hold no customer traffic
  // worth keeping, and CloudWatch storage is the largest log cost.
  logRetentionDays: 30,
  network: {
    vpcCidr: "10.10.0.0/16",
    availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
    privateSubnets: ["10.10.1.0/24", "10.10.2.0/24", "10.10.3.0/24"],
    publicSubnets: ["10.10.101.0/24", "10.10.102.0/24", "10.10.103.0/24"],
    databaseSubnets: ["10.10.201.0/24", "10.10.202.0/24", "10.10.203.0/24"],
    natGateways: "single",
  },
  eks: {
    kubernetesVersion: "1.35",
    upgradeSupportType: "STANDARD",
    endpointPublicAccess: false,
    controlPlaneLogTypes: ["api", "audit", "authenticator"],
    nodeGroups: DEFAULT_NODE_GROUPS, // general 1/2/4, spot 0/1/4, memory 0/0/2
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
  edge: { domain: "dev.aivo.edu", originDomain: "origin.dev.aivo.edu", priceClass: "PriceClass_100" },
  alerting: {
    emailSubscribers: { alert: [PLATFORM_TEAM_EMAIL], critical: [PLATFORM_TEAM_EMAIL] },
  },
  cost: {
    monthlyBudgetUsd: 500,
    anomalyThresholds: { absoluteUsd: 50 },
    // Cost allocation tags are activated account-wide; all environments share one account, and
    // development is deployed first, so it owns the activation.
    activateCostAllocationTags: true,
  },
  // --- compute and storage choices ---
  // The Karpenter controller runs on Fargate, never on a node it manages.
  fargate: { profiles: KARPENTER_FARGATE_PROFILE },
  // Monitoring gets its own small pool; no high-IOPS or GPU capacity in development.
  nodePools: { monitoring: { ...DEFAULT_NODE_POOLS.monitoring, cpuLimit: 8, memoryLimitGiB: 32 } },
  storageClasses: { classes: DEFAULT_STORAGE_CLASSES },
  verticalPodAutoscaler: { applyRecommendations: false },
};
