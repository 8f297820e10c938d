import { DEFAULT_NODE_GROUPS } from "../modules/aws/compute/eks";
import { DOCUMENT_ACCESS_POINTS } from "../modules/aws/data/file-storage";
import { DOCUMENT_TOPICS } from "../modules/aws/data/kafka";
import { platformReceivers } from "./observability";
import { KAFKA_TOPICS_JOB_IMAGE } from "./images";
import { EnvironmentConfig, PLATFORM_TEAM_EMAIL } from "./types";
import { KARPENTER_FARGATE_PROFILE } from "../modules/aws/compute/fargate-profile";
import { DEFAULT_NODE_POOLS } from "../modules/kubernetes/cluster/node-pools";
import { DEFAULT_STORAGE_CLASSES } from "../modules/kubernetes/cluster/storage-classes";

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
    // Pods get their addresses from 100.66.0.0/16 (VPC CNI custom networking), not from the /24
    // node subnets: 3 × 16,379 addresses (validation checks the node maximums fit).
    podNetwork: { cidr: "100.66.0.0/16", subnets: ["100.66.0.0/18", "100.66.64.0/18", "100.66.128.0/18"] },
  },
  eks: {
    kubernetesVersion: "1.35",
    // No forced upgrade of production when standard support ends.
    upgradeSupportType: "EXTENDED",
    endpointPublicAccess: false,
    // The way in for deploys (kubernetes.apiAccess "in-vpc-runner"): a runner in the private subnets.
    privateAccessCidrs: ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"],
    controlPlaneLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
    // Karpenter's NodePool limits (set with the add-ons) must stay within this for the pod address check.
    karpenterNodeAllowance: { instanceTypes: ["m6i.2xlarge"], maxNodes: 50 },
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
    // The estimate (npm run cost) is over the budget: accepted up to this ceiling until the team decides (docs/cost.md, "Knobs").
    overBudget: { upToUsd: 7000, reason: "EFS provisioned throughput (128 MiB/s), Multi-AZ data stores, MSK, three m6i.xlarge general nodes and the DR pilot light exceed the $5,000 alert threshold; the knobs in docs/cost.md are the team call (issue 26)" },
    anomalyThresholds: { absoluteUsd: 250, percentage: 10 },
    activateCostAllocationTags: false, // activated by development (same account)
  },
  // The pilot light in us-west-2 (stack production-dr); README "Failing over to us-west-2".
  dr: {
    network: {
      vpcCidr: "10.100.0.0/16",
      availabilityZones: ["us-west-2a", "us-west-2b", "us-west-2c"],
      privateSubnets: ["10.100.1.0/24", "10.100.2.0/24", "10.100.3.0/24"],
      publicSubnets: ["10.100.101.0/24", "10.100.102.0/24", "10.100.103.0/24"],
      databaseSubnets: ["10.100.201.0/24", "10.100.202.0/24", "10.100.203.0/24"],
      // One per AZ already: after failover this is production, and nothing on the RTO path waits for NAT.
      natGateways: "one-per-az",
    },
    eks: {
      kubernetesVersion: "1.35",
      upgradeSupportType: "EXTENDED",
      endpointPublicAccess: false,
      controlPlaneLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
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
    traffic: { primaryTarget: "origin-us-east-1.aivo.edu", secondaryTarget: "origin-us-west-2.aivo.edu" },
  },
  // Storage and streaming (issue 14): provisioned EFS, artifacts and backups replicated to us-west-2,
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
      general: {
        instanceTypes: ["m6i.large", "m6i.xlarge", "m6i.2xlarge"],
        cpuLimit: 200,
        memoryLimitGiB: 800,
        budgets: [
          { nodes: "1" },
          // No voluntary disruption during school hours (US Eastern, weekdays 12:00-24:00 UTC).
          { nodes: "0", schedule: "0 12 * * mon-fri", duration: "12h", reasons: ["Underutilized", "Drifted"] },
        ],
      },
      spot: {
        instanceTypes: ["m6i.large", "m5.large", "m6a.large", "m6i.xlarge", "m5.xlarge"],
        cpuLimit: 200,
        memoryLimitGiB: 800,
        budgets: [{ nodes: "1" }],
      },
    },
    policyAction: "Enforce",
    acmeEmail: PLATFORM_TEAM_EMAIL,
  },
  vpcEndpoints: { enabled: true },
  networkAcls: {},
  tracing: { samplingRules: [{ name: "default", priority: 1000, reservoirSize: 5, fixedRate: 0.05 }] },
  auth0: {
    domain: "aivo.us.auth0.com",
    audience: "https://api.aivo.edu",
    jwksUri: "https://aivo.us.auth0.com/.well-known/jwks.json",
    issuer: "https://aivo.us.auth0.com/",
    algorithms: ["RS256"],
    clockSkewSeconds: 60,
  },
  // Observability: two Prometheus replicas, an HA Alertmanager (3), scalable Loki, paging on.
  // One Grafana: its state is SQLite on the pod; dashboards and data sources are provisioned.
  observability: {
    prometheus: { retentionDays: 30, volumeSizeGi: 200, replicas: 2 },
    alertmanagerReplicas: 3,
    loki: { mode: "SimpleScalable", replicas: 3 },
    receivers: platformReceivers(true),
  },
  // Velero backups kept 30 days, the bucket replicated to us-west-2.
  clusterBackups: { ttlDays: 30, replicateToDr: true },
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
