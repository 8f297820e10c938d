import { S3Backend } from "cdktf";
import { Construct } from "constructs";
import { AlertTopics } from "../modules/alerting";
import { CostMonitoring } from "../modules/cost-monitoring";
import { Naming } from "../modules/naming";
import { Network } from "../modules/network";
import { PlatformStack } from "./platform-stack";
import { STATE_BACKEND, stateKey } from "./state";
import { EnvironmentConfig, PROJECT } from "./types";

/**
 * One environment (the infrastructure document's `environments/<env>/main.tf`): its state in the
 * shared S3 backend, and the modules composed from its config.
 */
export class EnvironmentStack extends PlatformStack {
  readonly config: EnvironmentConfig;
  readonly naming: Naming;
  readonly network: Network;
  readonly alerts: AlertTopics;
  readonly cost: CostMonitoring;

  constructor(scope: Construct, config: EnvironmentConfig) {
    super(scope, config.name, {
      region: config.region,
      tags: { project: PROJECT, environment: config.name, costCenter: config.costCenter },
    });
    this.config = config;
    this.naming = new Naming(PROJECT, config.name);

    new S3Backend(this, {
      bucket: STATE_BACKEND.bucket,
      key: stateKey(config.name),
      region: STATE_BACKEND.region,
      dynamodbTable: STATE_BACKEND.lockTable,
      encrypt: true,
      kmsKeyId: new Naming(STATE_BACKEND.project, STATE_BACKEND.bootstrapEnvironment).kmsAlias("terraform-state"),
    });

    this.network = new Network(this, "network", {
      ...config.network,
      naming: this.naming,
      region: config.region,
      logRetentionDays: config.logRetentionDays,
      eksClusterName: this.naming.name("eks"),
    });

    this.alerts = new AlertTopics(this, "alerts", { ...config.alerting, naming: this.naming });
    this.cost = new CostMonitoring(this, "cost", { ...config.cost, naming: this.naming, topicArns: this.alerts.topicArns });
  }
}
