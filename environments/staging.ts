import { DEFAULT_NODE_GROUPS } from "../modules/eks";
import { EnvironmentConfig, PLATFORM_TEAM_EMAIL } from "./types";
import { KARPENTER_FARGATE_PROFILE } from "../modules/fargate-profile";
import { DEFAULT_NODE_POOLS } from "../modules/node-pools";
import { DEFAULT_STORAGE_CLASSES } from "../modules/storage-classes";

/** Staging: production's shape at medium scale, one NAT gateway per AZ. */
export const staging: EnvironmentConfig = {
  name: "staging",
  tier: "staging",
  region: "us-east-1",
  costCenter: "aivo-platform",
  // 90 days covers a release cycle of investigations; staging holds no customer data.
  logRetentionDays: 90,
  network: {
    vpcCidr: "10.20.0.0/16",
    availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
    privateSubnets: ["10.20.1.0/24", "10.20.2.0/24", "10.20.3.0/24"],
    publicSubnets: ["10.20.101.0/24", "10.20.102.0/24", "10.20.103.0/24"],
    databaseSubnets: ["10.20.201.0/24", "10.20.202.0/24", "10.20.203.0/24"],
    natGateways: "one-per-az",
  },
  eks: {
    kubernetesVersion: "1.35",
    upgradeSupportType: "STANDARD",
    endpointPublicAccess: false,
    controlPlaneLogTypes: ["api", "audit", "authenticator"],
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
  edge: { domain: "staging.aivo.edu", originDomain: "origin.staging.aivo.edu", priceClass: "PriceClass_100" },
  alerting: {
    emailSubscribers: { alert: [PLATFORM_TEAM_EMAIL], critical: [PLATFORM_TEAM_EMAIL] },
  },
  cost: {
    monthlyBudgetUsd: 1500,
    anomalyThresholds: { absoluteUsd: 100 },
    activateCostAllocationTags: false, // activated by development (same account)
  },
  // --- compute and storage choices ---
  // The Karpenter controller runs on Fargate, never on a node it manages.
  fargate: { profiles: KARPENTER_FARGATE_PROFILE },
  nodePools: { monitoring: DEFAULT_NODE_POOLS.monitoring, highIops: DEFAULT_NODE_POOLS.highIops },
  storageClasses: { classes: DEFAULT_STORAGE_CLASSES },
  verticalPodAutoscaler: { applyRecommendations: false },
};
