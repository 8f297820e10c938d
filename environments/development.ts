import { DEFAULT_NODE_GROUPS } from "../modules/aws/compute/eks";
import { DOCUMENT_ACCESS_POINTS } from "../modules/aws/data/file-storage";
import { DOCUMENT_TOPICS } from "../modules/aws/data/kafka";
import { DEPLOY_RUNNER_CIDRS } from "./deploy-runners";
import { platformReceivers } from "./observability";
import { EnvironmentConfig, PLATFORM_TEAM_EMAIL } from "./types";
import { KARPENTER_FARGATE_PROFILE } from "../modules/aws/compute/fargate-profile";
import { DEFAULT_NODE_POOLS } from "../modules/kubernetes/cluster/node-pools";
import { DEFAULT_STORAGE_CLASSES } from "../modules/kubernetes/cluster/storage-classes";

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
    // Pods get their addresses from 100.64.0.0/16 (VPC CNI custom networking), not from the /24
    // node subnets: 3 × 16,379 addresses (validation checks the node maximums fit).
    podNetwork: { cidr: "100.64.0.0/16", subnets: ["100.64.0.0/18", "100.64.64.0/18", "100.64.128.0/18"] },
  },
  eks: {
    kubernetesVersion: "1.35",
    upgradeSupportType: "STANDARD",
    // The way in for deploys (kubernetes.apiAccess "public-allowlist"): the runners' CIDRs only.
    endpointPublicAccess: true,
    publicAccessCidrs: DEPLOY_RUNNER_CIDRS,
    controlPlaneLogTypes: ["api", "audit", "authenticator"],
    // Karpenter's NodePool limits (set with the add-ons) must stay within this for the pod address check.
    karpenterNodeAllowance: { instanceTypes: ["m6i.2xlarge"], maxNodes: 10 },
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
  edge: { domain: "dev.aivo.edu", originDomain: "origin.dev.aivo.edu", priceClass: "PriceClass_100" },
  alerting: {
    emailSubscribers: { alert: [PLATFORM_TEAM_EMAIL], critical: [PLATFORM_TEAM_EMAIL] },
  },
  cost: {
    monthlyBudgetUsd: 500,
    overBudget: {
      upToUsd: 750,
      reason: "the platform's add-ons (Argo CD included) need two m6i.xlarge general nodes day and night (the capacity check: one leaves no headroom, an m6i.large holds 20 pods), $280 of the estimate; the knobs in docs/cost.md are the team call",
    },
    anomalyThresholds: { absoluteUsd: 50 },
    // Cost allocation tags are activated account-wide; all environments share one account, and
    // development is deployed first, so it owns the activation. Set this to true only after the first
    // apply, once AWS has billed a tagged resource (README, "After the first deploy").
    activateCostAllocationTags: false,
  },
  // Storage and streaming (issue 14). Development keeps S3 and turns the costly EFS, MSK and InfluxDB off.
  buckets: {
    artifacts: { transitions: [{ days: 30, storageClass: "STANDARD_IA" }], expirationDays: 90, noncurrentVersionExpirationDays: 7 },
    backups: { transitions: [{ days: 30, storageClass: "GLACIER_IR" }], expirationDays: 90, noncurrentVersionExpirationDays: 7 },
    staticAssets: { noncurrentVersionExpirationDays: 7 },
    accessLogExpirationDays: 30,
  },
  fileStorage: { enabled: false, throughputMode: "elastic", accessPoints: DOCUMENT_ACCESS_POINTS },
  kafka: {
    enabled: false,
    brokerInstanceType: "kafka.t3.small",
    volumeSizeGib: 20,
    maxVolumeSizeGib: 100,
    topics: DOCUMENT_TOPICS,
  },
  timeseries: { enabled: false, instanceType: "db.influx.medium", allocatedStorageGib: 20, retentionDays: 30 },
  kubernetes: {
    apiAccess: "public-allowlist",
    karpenter: {
      amiAlias: "al2023@latest",
      general: {
        instanceTypes: ["m6i.large", "m6i.xlarge", "m6i.2xlarge"],
        cpuLimit: 16,
        memoryLimitGiB: 64,
        budgets: [{ nodes: "20%" }],
      },
      spot: {
        instanceTypes: ["m6i.large", "m5.large", "m6a.large", "m6i.xlarge", "m5.xlarge"],
        cpuLimit: 16,
        memoryLimitGiB: 64,
        budgets: [{ nodes: "50%" }],
      },
    },
    policyAction: "Audit",
    acmeEmail: PLATFORM_TEAM_EMAIL,
  },
  // Development pays NAT traffic instead of ~$170/month of endpoints (8 services × 3 AZs).
  vpcEndpoints: { enabled: false },
  networkAcls: {},
  tracing: { samplingRules: [{ name: "default", priority: 1000, reservoirSize: 1, fixedRate: 1.0 }] },
  auth0: {
    domain: "aivo-dev.us.auth0.com",
    audience: "https://api.dev.aivo.edu",
    jwksUri: "https://aivo-dev.us.auth0.com/.well-known/jwks.json",
    issuer: "https://aivo-dev.us.auth0.com/",
    algorithms: ["RS256"],
    clockSkewSeconds: 60,
  },
  // Observability: small and short-lived; no paging (alerts reach Slack and e-mail only).
  observability: {
    prometheus: { retentionDays: 7, volumeSizeGi: 20, replicas: 1 },
    alertmanagerReplicas: 1,
    loki: { mode: "SingleBinary" },
    receivers: platformReceivers(false),
  },
  clusterBackups: { ttlDays: 3 },
  // --- compute and storage choices ---
  // The Karpenter controller runs on Fargate, never on a node it manages.
  fargate: { profiles: KARPENTER_FARGATE_PROFILE },
  // Monitoring gets its own small pool; no high-IOPS or GPU capacity in development.
  nodePools: { monitoring: { ...DEFAULT_NODE_POOLS.monitoring, cpuLimit: 8, memoryLimitGiB: 32 } },
  storageClasses: { classes: DEFAULT_STORAGE_CLASSES },
  verticalPodAutoscaler: { applyRecommendations: false },
};
