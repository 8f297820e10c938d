import { S3Backend } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AlertTopics } from "../modules/alerting";
import { CLOUDFRONT_REGION } from "../modules/aws-context";
import { BackupPlan } from "../modules/backup";
import { CostMonitoring } from "../modules/cost-monitoring";
import { PostgresDatabase } from "../modules/database";
import { DataStoreWiring } from "../modules/datastore-common";
import { EdgeDistribution } from "../modules/edge";
import { EksCluster } from "../modules/eks";
import { RedisCluster } from "../modules/elasticache";
import { FargateProfiles } from "../modules/fargate-profile";
import { Naming } from "../modules/naming";
import { Network } from "../modules/network";
import { WebAcl } from "../modules/waf";
import { PlatformStack } from "./platform-stack";
import { stateBackendConfig, stateKey } from "./state";
import { EnvironmentConfig, PROJECT } from "./types";


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
  readonly alerts: AlertTopics;
  readonly cost: CostMonitoring;
  readonly cache: RedisCluster;
  readonly database: PostgresDatabase;
  readonly backup: BackupPlan;
  readonly waf: WebAcl;
  readonly edge: EdgeDistribution;

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
    });

    this.eks = new EksCluster(this, "eks", {
      ...config.eks,
      naming,
      vpcId: this.network.vpcId,
      privateSubnetIds: this.network.privateSubnetIds,
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

    this.alerts = new AlertTopics(this, "alerts", { ...config.alerting, naming });
    this.cost = new CostMonitoring(this, "cost", { ...config.cost, naming, topicArns: this.alerts.topicArns });

    // Data stores: database subnets only, reachable only from the EKS nodes (pods use the node
    // security group); alarms go to the `alert` topic (on-call pages come from `critical`).
    const dataStoreAccess: DataStoreWiring = {
      naming,
      vpcId: this.network.vpcId,
      allowedSecurityGroupIds: [this.eks.nodeSecurityGroupId],
      alarmTopicArns: [this.alerts.topicArns.alert],
      logRetentionDays: config.logRetentionDays,
    };
    this.cache = new RedisCluster(this, "cache", {
      ...config.cache,
      ...dataStoreAccess,
      cacheSubnetGroupName: this.network.elasticacheSubnetGroupName,
    });
    this.database = new PostgresDatabase(this, "database", {
      ...config.database,
      ...dataStoreAccess,
      tier: config.tier === "production" ? "production" : "non-production",
      dbSubnetGroupName: this.network.dbSubnetGroupName,
    });
    this.backup = new BackupPlan(this, "backup", {
      ...config.backup,
      naming,
      resourceArns: [this.database.instanceArn],
      drProvider: this.drProvider,
    });

    // Edge: Users → CloudFront (+ WAF) → the public ALB at edge.originDomain.
    this.waf = new WebAcl(this, "waf", {
      ...config.waf,
      naming,
      provider: this.usEast1Provider,
      providerRegion: CLOUDFRONT_REGION,
      logRetentionDays: config.logRetentionDays,
    });
    this.edge = new EdgeDistribution(this, "edge", {
      ...config.edge,
      naming,
      usEast1Provider: this.usEast1Provider,
      webAclArn: this.waf.webAclArn,
      vpcId: this.network.vpcId,
      logRetentionDays: config.logRetentionDays,
    });
  }
}
