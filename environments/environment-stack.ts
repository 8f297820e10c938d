import { S3Backend } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import { AlertTopics } from "../modules/aws/observability/alerting";
import { CLOUDFRONT_REGION } from "../modules/shared/aws-context";
import { BackupPlan } from "../modules/aws/data/backup";
import { CostMonitoring } from "../modules/aws/observability/cost-monitoring";
import { PostgresDatabase } from "../modules/aws/data/database";
import { DataStoreWiring } from "../modules/aws/data/datastore-common";
import { EdgeDistribution } from "../modules/aws/edge/cloudfront";
import { DEFAULT_NODE_GROUPS, EKS_AZ_EXCLUSION, EksCluster } from "../modules/aws/compute/eks";
import { RedisCluster } from "../modules/aws/data/elasticache";
import { Guardrails } from "../modules/shared/guardrails";
import { FargateProfiles } from "../modules/aws/compute/fargate-profile";
import { GuardDutyAgent } from "../modules/aws/security/guardduty-agent";
import { originNames } from "../modules/aws/edge/origin-names";
import { Naming } from "../modules/shared/naming";
import { Network } from "../modules/aws/network/vpc";
import { declareOutputs } from "../modules/shared/outputs";
import type { RestoreTesting } from "../modules/aws/data/restore-testing";
import type { FaultInjection } from "../modules/aws/observability/fault-injection";
import { addRecoveryProof, clusterAdminRoleArns } from "./compliance";
import { WebAcl } from "../modules/aws/edge/waf";
import { PlatformBuckets } from "../modules/aws/data/buckets";
import { FileStorage } from "../modules/aws/data/file-storage";
import { KafkaCluster } from "../modules/aws/data/kafka";
import { TimeseriesDatabase } from "../modules/aws/data/timeseries";
import { ADOT_DEFAULTS, XRAY_WRITE_STATEMENTS } from "../modules/kubernetes/addons/adot-collector";
import { ServiceAccountRole } from "../modules/aws/compute/irsa-role";
import { NetworkAcls } from "../modules/aws/network/network-acls";
import { SiteToSiteVpn } from "../modules/aws/network/site-to-site-vpn";
import { Tracing } from "../modules/aws/observability/tracing";
import { VpcEndpoints } from "../modules/aws/network/vpc-endpoints";
import { PlatformStack } from "./platform-stack";
import { stateBackendConfig, stateKey } from "./state";
import { EnvironmentConfig, PROJECT } from "./types";
import { UserExperience, addUserExperience } from "./user-experience";


/**
 * One environment (the infrastructure document's `environments/<env>/main.tf`): its state in the
 * shared S3 backend, and the modules composed from its config.
 */
export class EnvironmentStack extends PlatformStack {
  readonly config: EnvironmentConfig;
  readonly naming: Naming;
  /** The AWS provider in us-east-1 (alias `us_east_1`), for CloudFront's certificate and web ACL. */
  readonly usEast1Provider: AwsProvider;
  /** The AWS provider in `drRegion` (alias `dr`), when the environment has one. */
  readonly drProvider?: AwsProvider;
  readonly network: Network;
  readonly eks: EksCluster;
  /** Fargate profiles and their pod execution role (none when `fargate.profiles` is empty). */
  readonly fargate: FargateProfiles;
  /** GuardDuty Runtime Monitoring's agent add-on and its `guardduty-data` endpoint (managed here, so teardown removes them). */
  readonly guardDutyAgent: GuardDutyAgent;
  readonly alerts: AlertTopics;
  readonly cost: CostMonitoring;
  readonly cache: RedisCluster;
  readonly database: PostgresDatabase;
  readonly backup: BackupPlan;
  readonly waf: WebAcl;
  readonly edge: EdgeDistribution;
  readonly buckets: PlatformBuckets;
  /** Undefined where `fileStorage.enabled` is false (development only). */
  readonly fileStorage?: FileStorage;
  /** Undefined where `kafka.enabled` is false (development only). */
  readonly kafka?: KafkaCluster;
  /** Undefined where `timeseries.enabled` is false (development only). */
  readonly timeseries?: TimeseriesDatabase;
  /** Interface VPC endpoints, when `vpcEndpoints.enabled`. */
  readonly vpcEndpoints?: VpcEndpoints;
  /** Transit Gateway + Site-to-Site VPN, when `siteToSiteVpn.enabled`. */
  readonly siteToSiteVpn?: SiteToSiteVpn;
  readonly networkAcls: NetworkAcls;
  /** AWS Backup restore tests (issue 28); undefined where `restoreTesting` is off. */
  readonly restoreTesting?: RestoreTesting;
  /** AWS FIS game-day templates (issue 28); undefined where `faultInjection` is off. */
  readonly faultInjection?: FaultInjection;
  /** The X-Ray group and sampling rules of the environment. */
  readonly tracing: Tracing;
  /** The ADOT collector's IRSA role (X-Ray write); the collector itself runs in the Kubernetes stacks. */
  readonly adotRole: ServiceAccountRole;
  /** Canaries, real-user monitoring, the schema registry and off-hours scaling (environments/user-experience.ts). */
  readonly userExperience: UserExperience;

  constructor(scope: Construct, config: EnvironmentConfig) {
    super(scope, config.name, {
      region: config.region,
      tags: { project: PROJECT, environment: config.name, costCenter: config.costCenter },
    });
    this.config = config;
    this.naming = new Naming(PROJECT, config.name);
    const { naming } = this;
    this.usEast1Provider = this.addAwsProvider("aws-us-east-1", CLOUDFRONT_REGION, "us_east_1");
    if (config.drRegion) this.drProvider = this.addAwsProvider("aws-dr", config.drRegion, "dr");

    new S3Backend(this, stateBackendConfig(stateKey(config.name)));

    this.network = new Network(this, "network", {
      ...config.network,
      naming,
      region: config.region,
      logRetentionDays: config.logRetentionDays,
      eksClusterName: naming.name("eks"),
      // AZ names differ per account: the plan fails if one maps to a zone EKS does not support.
      excludedZoneIds: EKS_AZ_EXCLUSION,
    });

    ({ vpcEndpoints: this.vpcEndpoints, siteToSiteVpn: this.siteToSiteVpn, networkAcls: this.networkAcls } = this.privateConnectivity());

    this.eks = new EksCluster(this, "eks", {
      ...config.eks,
      // People reach the cluster through the account's MFA-protected admin role (environments/compliance.ts).
      adminRoleArns: [...(config.eks.adminRoleArns ?? []), ...clusterAdminRoleArns(this)],
      naming,
      vpcId: this.network.vpcId,
      privateSubnetIds: this.network.privateSubnetIds,
      podSubnetIdsByAz: this.network.podSubnetIdsByAz,
      logRetentionDays: config.logRetentionDays,
      // default_tags do not reach instances and volumes Auto Scaling launches; the launch templates do.
      instanceTags: this.defaultTags,
    });

    this.fargate = new FargateProfiles(this, "fargate", {
      ...config.fargate,
      where: `${config.name}.fargate`,
      naming,
      clusterName: this.eks.cluster.name,
      privateSubnetIds: this.network.privateSubnetIds,
      nodeSecurityGroupId: this.eks.nodeSecurityGroupId,
      clusterPrimarySecurityGroupId: this.eks.clusterPrimarySecurityGroupId,
    });

    this.guardDutyAgent = new GuardDutyAgent(this, "guardduty-agent", {
      naming,
      region: config.region,
      clusterName: this.eks.cluster.name,
      vpcId: this.network.vpcId,
      vpcCidrs: [config.network.vpcCidr, ...(config.network.podNetwork ? [config.network.podNetwork.cidr] : [])],
      subnetIds: this.network.privateSubnetIds,
      // Its DaemonSet needs nodes: the on-demand groups (a Spot shortage must not stall the apply).
      dependsOn: Object.entries(config.eks.nodeGroups ?? DEFAULT_NODE_GROUPS)
        .filter(([, g]) => g.capacityType === "ON_DEMAND")
        .map(([group]) => this.eks.nodeGroups[group]),
    });

    this.alerts = new AlertTopics(this, "alerts", { ...config.alerting, naming });
    this.cost = new CostMonitoring(this, "cost", { ...config.cost, naming, topicArns: this.alerts.topicArns });

    // Data stores: database subnets only, reachable only from the EKS nodes (pods use the node
    // security group). Degradation alarms go to `alert`; outages (store unavailable, replica lag
    // beyond the RPO) to `critical`, the topic that pages on-call.
    const dataStoreAccess: DataStoreWiring = {
      naming,
      vpcId: this.network.vpcId,
      allowedSecurityGroupIds: [this.eks.nodeSecurityGroupId],
      alarmTopicArns: [this.alerts.topicArns.alert],
      criticalAlarmTopicArns: [this.alerts.topicArns.critical],
      logRetentionDays: config.logRetentionDays,
    };
    // Outside production, data stores can be destroyed and re-created (no fixed-name final snapshots,
    // backup vaults emptied on destroy, secrets deleted at once).
    const dataStoreTier = config.tier === "production" ? "production" : "non-production";
    this.cache = new RedisCluster(this, "cache", {
      ...config.cache,
      ...dataStoreAccess,
      tier: dataStoreTier,
      cacheSubnetGroupName: this.network.elasticacheSubnetGroupName,
      // The DR side's Redis takes the same AUTH token from the replica (environments/dr-stack.ts).
      ...(config.dr && this.drProvider ? { authTokenSecretReplica: { region: config.drRegion!, provider: this.drProvider } } : {}),
    });
    this.database = new PostgresDatabase(this, "database", {
      ...config.database,
      ...dataStoreAccess,
      tier: dataStoreTier,
      dbSubnetGroupName: this.network.dbSubnetGroupName,
    });
    this.backup = new BackupPlan(this, "backup", {
      ...config.backup,
      naming,
      tier: dataStoreTier,
      resourceArns: [this.database.instanceArn],
      drProvider: this.drProvider,
    });

    // Storage and streaming (issue 14): S3 buckets always; EFS, MSK and InfluxDB unless development turns them off.
    const tier = config.tier;
    this.buckets = new PlatformBuckets(this, "buckets", { ...config.buckets, naming, tier, drProvider: this.drProvider });
    const clusterIdentity = {
      name: this.eks.clusterName,
      oidcProviderArn: this.eks.oidcProviderArn,
      oidcIssuerUrl: this.eks.oidcIssuerUrl,
    };
    if (config.fileStorage.enabled ?? true) {
      this.fileStorage = new FileStorage(this, "file-storage", {
        ...config.fileStorage,
        naming,
        tier,
        vpcId: this.network.vpcId,
        privateSubnetIdsByAz: Object.fromEntries(Object.entries(this.network.privateSubnets).map(([az, subnet]) => [az, subnet.id])),
        allowedSecurityGroupIds: [this.eks.nodeSecurityGroupId],
        cluster: clusterIdentity,
        addonDependsOn: Object.values(this.eks.nodeGroups),
      });
    }
    if (config.kafka.enabled ?? true) {
      this.kafka = new KafkaCluster(this, "kafka", {
        ...config.kafka,
        ...dataStoreAccess,
        tier,
        privateSubnetIds: this.network.privateSubnetIds,
        cluster: clusterIdentity,
      });
    }
    if (config.timeseries.enabled ?? true) {
      this.timeseries = new TimeseriesDatabase(this, "timeseries", {
        ...config.timeseries,
        naming,
        tier,
        vpcId: this.network.vpcId,
        allowedSecurityGroupIds: [this.eks.nodeSecurityGroupId],
        subnetIds: this.network.databaseSubnetIds,
        accessLogBucketName: this.buckets.accessLogBucket.bucketName,
      });
    }

    // Edge: Users → CloudFront (+ WAF) → the public ALB at edge.originDomain; /static/* from S3 through OAC.
    this.waf = new WebAcl(this, "waf", {
      ...config.waf,
      naming,
      provider: this.usEast1Provider,
      providerRegion: CLOUDFRONT_REGION,
      logRetentionDays: config.logRetentionDays,
    });
    // The public zone is the account stack's (created and delegated from the apex before this stack).
    const publicZone = new DataAwsRoute53Zone(this, "public-zone", { name: config.edge.domain, privateZone: false });
    this.edge = new EdgeDistribution(this, "edge", {
      ...config.edge,
      naming,
      usEast1Provider: this.usEast1Provider,
      webAclArn: this.waf.webAclArn,
      vpcId: this.network.vpcId,
      publicZoneId: publicZone.zoneId,
      logRetentionDays: config.logRetentionDays,
      // Origin unhealthy, CloudFront mostly 5xx: outages, they page. The alarms live in us-east-1,
      // where the topics of a us-east-1 environment are (validateEnvironment enforces the region).
      outageAlarmTopicArns: [this.alerts.topicArns.critical],
      // The DR region's ALB: CloudFront's origin group fails over to it (environments/dr-stack.ts).
      failoverOriginDomain: config.dr?.traffic.secondaryTarget,
      // The primary ALB's regional name (the failover pair's target) is served with originDomain.
      originAlternativeNames: originNames(config.edge, config.dr?.traffic).certificate.slice(1),
      // `/static/*` fails over to the bucket's replica in the DR region (an origin group), where there is one.
      staticAssets: {
        bucketRegionalDomainName: this.buckets.staticAssetsDomainName,
        replicaBucketRegionalDomainName: this.buckets.staticAssetsReplicaDomainName,
      },
    });
    this.buckets.allowCloudFrontDistribution(this.edge.distributionArn);
    this.tracing = new Tracing(this, "tracing", { ...config.tracing, naming });
    this.adotRole = new ServiceAccountRole(this, "adot-role", {
      naming,
      name: "adot-collector",
      description: `Lets the ADOT collector of ${naming.prefix} write traces to X-Ray`,
      oidcProviderArn: this.eks.oidcProviderArn,
      oidcIssuerUrl: this.eks.oidcIssuerUrl,
      namespace: ADOT_DEFAULTS.namespace,
      serviceAccount: ADOT_DEFAULTS.name,
      statements: XRAY_WRITE_STATEMENTS,
    });
    this.userExperience = addUserExperience(this);
    ({ restoreTesting: this.restoreTesting, faultInjection: this.faultInjection } = addRecoveryProof(this));
    this.declareOutputs();
  }

  /** What operators and the Kubernetes stacks read (`terraform output`, remote state); listed in docs/deploying.md, "Terraform outputs". */
  private declareOutputs(): void {
    const { network, eks, database, cache, edge, alerts } = this;
    declareOutputs(this, {
      region: { value: this.config.region, description: "The environment's primary region" },
      vpc_id: { value: network.vpcId, description: "The environment's VPC" },
      vpc_cidr: { value: network.vpcCidr, description: "The VPC's CIDR block" },
      availability_zone_ids: { value: network.zoneIds, description: "The AZ ID of each configured AZ name in this account (names map to different zones per account)" },
      private_subnet_ids: { value: network.privateSubnetIds, description: "Private subnets (nodes, pods, internal load balancers), one per AZ" },
      public_subnet_ids: { value: network.publicSubnetIds, description: "Public subnets (NAT, internet-facing load balancers), one per AZ" },
      database_subnet_ids: { value: network.databaseSubnetIds, description: "Database subnets (no internet route), one per AZ" },
      cluster_name: { value: eks.cluster.name, description: "EKS cluster name (aws eks update-kubeconfig --name …)" },
      cluster_endpoint: { value: eks.clusterEndpoint, description: "EKS API server endpoint" },
      cluster_certificate_authority_data: { value: eks.clusterCertificateAuthorityData, description: "Base64 CA certificate of the EKS API server" },
      cluster_oidc_issuer_url: { value: eks.oidcIssuerUrl, description: "OIDC issuer of the cluster (IRSA trust policies)" },
      cluster_oidc_provider_arn: { value: eks.oidcProviderArn, description: "IAM OIDC provider of the cluster (IRSA)" },
      cluster_security_group_id: { value: eks.clusterSecurityGroupId, description: "Security group of the EKS control plane" },
      node_security_group_id: { value: eks.nodeSecurityGroupId, description: "Security group of the nodes (and pods); data stores admit it" },
      node_role_arn: { value: eks.nodeRoleArn, description: "IAM role of the managed node groups" },
      database_endpoint: { value: database.address, description: "PostgreSQL primary host name", sensitive: true },
      database_port: { value: database.port, description: "PostgreSQL port" },
      database_replica_endpoints: { value: database.replicaAddresses, description: "PostgreSQL read replica host names", sensitive: true },
      database_secret_arn: { value: database.masterUserSecretArn, description: "Secrets Manager secret with the master credentials (RDS-managed)" },
      cache_endpoint: { value: cache.primaryEndpointAddress, description: "Redis primary endpoint", sensitive: true },
      cache_reader_endpoint: { value: cache.readerEndpointAddress, description: "Redis reader endpoint", sensitive: true },
      cache_port: { value: cache.port, description: "Redis port" },
      cache_secret_arn: { value: cache.authTokenSecretArn, description: "Secrets Manager secret with the Redis AUTH token" },
      cloudfront_domain_name: { value: edge.distributionDomainName, description: "CloudFront distribution domain (*.cloudfront.net)" },
      cloudfront_distribution_id: { value: edge.distributionId, description: "CloudFront distribution id (cache invalidations)" },
      public_zone_id: { value: edge.publicZoneId, description: "Route 53 public zone of the environment's domain" },
      private_zone_id: { value: edge.privateZoneId, description: "Route 53 private zone attached to the VPC" },
      private_zone_name: { value: edge.privateZoneName, description: "Name of the private zone (internal.<domain>)" },
      alert_topic_arns: { value: alerts.topicArns, description: "SNS topic ARN per alert severity" },
    });

    this.suppressGuardrailExceptions();
  }

  /**
   * The deliberate exceptions to the guardrails (modules/shared/guardrails), each with its reason. Beyond
   * the node egress, they follow the tier, not the setting: a production-tier environment gets none,
   * and a suppression that stops matching (someone raised the setting) is reported as unused.
   */
  private suppressGuardrailExceptions(): void {
    suppressNodeEgress(this.eks);
    const { tier } = this.config;
    if (tier === "production") return;
    Guardrails.suppress(
      this,
      "AIVO-LOG-RETENTION-1Y",
      `${tier} carries no customer traffic: logs are kept ${this.config.logRetentionDays} days, CloudWatch storage being its largest log cost; production keeps ≥ 365 days (validated)`,
    );
    if (tier !== "development") return;
    Guardrails.suppress(this.network, "AIVO-NAT-PER-AZ", "development runs one NAT gateway to save two; losing its AZ's egress is acceptable there");
    Guardrails.suppress(this.eks, "AIVO-EKS-DELETION-PROTECTION", "development's cluster is rebuilt at will (teardown must not need a console step)");
    Guardrails.suppress(this.database, "AIVO-RDS-DELETION-PROTECTION", "development's database holds disposable data and is rebuilt at will");
    Guardrails.suppress(this.database, "AIVO-RDS-BACKUP", "development's data is disposable: 3 days of automated backups (AWS Backup keeps 7) are enough");
  }

  /** Interface endpoints, the optional Transit Gateway + VPN, and the per-tier network ACLs. */
  private privateConnectivity(): { vpcEndpoints?: VpcEndpoints; siteToSiteVpn?: SiteToSiteVpn; networkAcls: NetworkAcls } {
    const { config, naming, network } = this;
    const vpcCidrs = [network.vpcCidr, ...(config.network.podNetwork ? [config.network.podNetwork.cidr] : [])];
    const vpcEndpoints = config.vpcEndpoints.enabled
      ? new VpcEndpoints(this, "vpc-endpoints", {
          naming,
          region: config.region,
          vpcId: network.vpcId,
          vpcCidrs,
          subnetIds: network.privateSubnetIds,
          services: config.vpcEndpoints.services,
        })
      : undefined;
    const vpn = config.siteToSiteVpn?.enabled
      ? new SiteToSiteVpn(this, "site-to-site-vpn", {
          ...config.siteToSiteVpn,
          naming,
          vpcId: network.vpcId,
          vpcCidr: network.vpcCidr,
          subnetIds: network.privateSubnetIds,
          routeTableIds: network.privateRouteTableIds,
          logRetentionDays: config.logRetentionDays,
        })
      : undefined;
    // Pods live in the pod subnets (secondary CIDR, VPC CNI custom networking): for the ACLs they are
    // the private tier, and the endpoints admit their CIDR as well as the VPC's.
    const networkAcls = new NetworkAcls(this, "network-acls", {
      ...config.networkAcls,
      naming,
      vpcId: network.vpcId,
      vpcCidrs,
      publicSubnetIds: network.publicSubnetIds,
      privateSubnetIds: [...network.privateSubnetIds, ...Object.values(network.podSubnetIdsByAz)],
      databaseSubnetIds: network.databaseSubnetIds,
      // The pod network as one block (it holds only the pod subnets): sources × ports stays within the ACL's quota.
      privateSubnetCidrs: [...config.network.privateSubnets, ...(config.network.podNetwork ? [config.network.podNetwork.cidr] : [])],
      databaseSubnetCidrs: config.network.databaseSubnets,
      remoteCidrs: vpn?.remoteCidrs,
    });
    return { vpcEndpoints, siteToSiteVpn: vpn, networkAcls };
  }
}
/** The one exception every cluster shares (the environments' and the DR stacks'), with its reason. */
export function suppressNodeEgress(eks: EksCluster): void {
  Guardrails.suppress(
    eks,
    "AIVO-SG-OPEN-EGRESS",
    "nodes reach image registries, AWS APIs and the internet through the NAT gateways (modules/aws/compute/eks, node-egress-all); narrowing it needs interface VPC endpoints and per-workload network policies first",
  );
}
