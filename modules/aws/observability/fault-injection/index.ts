import { Construct } from "constructs";
import { assertIntegerInRange } from "../../data/datastore-common";
import { FisExperimentTemplate, FisExperimentTemplateAction, FisExperimentTemplateTarget } from "@cdktf/provider-aws/lib/fis-experiment-template";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { AwsContext } from "../../../shared/aws-context";
import { managedPolicyArn, policyDocument } from "../../../shared/iam";
import { Naming } from "../../../shared/naming";

/** The FIS service principal. */
export const FIS_SERVICE = "fis.amazonaws.com";
/** AWS's managed policies for the FIS actions the experiments use. */
export const FIS_POLICIES = ["service-role/AWSFaultInjectionSimulatorEC2Access", "service-role/AWSFaultInjectionSimulatorRDSAccess", "service-role/AWSFaultInjectionSimulatorNetworkAccess"] as const;
/** FIS accepts at most five stop conditions per template. */
export const MAX_STOP_CONDITIONS = 5;

/** The game-day experiments (docs/game-days.md), by key. */
export const EXPERIMENTS = {
  "terminate-az-nodes": "Terminate a share of the cluster's nodes in one AZ",
  "fail-over-database": "Reboot the database primary with failover to its standby",
  "disrupt-az-network": "Cut one AZ's subnets off the network (the AZ power interruption's network part) while its nodes are terminated",
} as const;
export type Experiment = keyof typeof EXPERIMENTS;

/** An environment's `faultInjection` settings. */
export interface FaultInjectionSettings {
  /** Create the experiment templates. @default true for the staging tier only: runnable there, never in production */
  readonly enabled?: boolean;
  /** The AZ the experiments hit. @default the environment's first AZ */
  readonly availabilityZone?: string;
  /** Percent of the AZ's nodes terminated (1-100). @default 50 */
  readonly nodeTerminationPercent?: number;
  /** How long the network stays cut (ISO 8601 duration, 1-720 minutes). @default "PT10M" */
  readonly networkDisruptionDuration?: string;
}

export interface FaultInjectionProps extends FaultInjectionSettings {
  /** Names the role `aivo-<env>-fis` and tags the templates. */
  readonly naming: Naming;
  /** The cluster whose nodes (EC2 instances tagged `kubernetes.io/cluster/<name>`) are terminated. */
  readonly clusterName: string;
  /** The AZs the environment uses: `availabilityZone` must be one. */
  readonly availabilityZones: readonly string[];
  /** The database instance ARN and whether it is Multi-AZ (a failover needs a standby). */
  readonly database: { readonly arn: string; readonly multiAz: boolean };
  /** The VPC whose subnets in the AZ are disrupted. */
  readonly vpcId: string;
  /** The alarms that stop every experiment when they fire (the environment's critical alarms); 1-5. */
  readonly stopAlarmArns: readonly string[];
}

/**
 * AWS FIS experiment templates for game days: node loss in one AZ, a database failover, and an AZ's
 * network cut off with its nodes lost. Every template stops when any of the critical alarms fires.
 * Templates only: nothing starts an experiment; people run them (docs/game-days.md), in staging.
 */
export class FaultInjection extends Construct {
  readonly role: IamRole;
  readonly templates: Readonly<Record<Experiment, FisExperimentTemplate>>;

  constructor(scope: Construct, id: string, props: FaultInjectionProps) {
    super(scope, id);
    const path = `${props.naming.environment}.faultInjection`;
    const az = props.availabilityZone ?? props.availabilityZones[0];
    if (!props.availabilityZones.includes(az)) throw new Error(`${path}.availabilityZone: "${az}" is not one of the environment's AZs (${props.availabilityZones.join(", ")})`);
    const percent = props.nodeTerminationPercent ?? 50;
    assertIntegerInRange(`${path}.nodeTerminationPercent`, percent, 1, 100, "the share of the AZ's nodes terminated, in percent");
    const duration = props.networkDisruptionDuration ?? "PT10M";
    const minutes = /^PT(\d+)M$/.exec(duration);
    if (!minutes || Number(minutes[1]) < 1 || Number(minutes[1]) > 720) throw new Error(`${path}.networkDisruptionDuration: "${duration}" is not PT<1-720>M`);
    if (props.stopAlarmArns.length < 1 || props.stopAlarmArns.length > MAX_STOP_CONDITIONS) {
      throw new Error(`${path}: ${props.stopAlarmArns.length} stop alarms; FIS takes 1-${MAX_STOP_CONDITIONS} (the environment's critical alarms)`);
    }
    const context = AwsContext.of(this);
    const roleName = props.naming.name("fis");
    this.role = new IamRole(this, "role", {
      name: roleName,
      description: `AWS FIS experiments of ${props.naming.prefix} (game days)`,
      assumeRolePolicy: policyDocument([
        { Sid: "AllowFisOfThisAccount", Principal: { Service: FIS_SERVICE }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": context.accountId } } },
      ]),
    });
    for (const policy of FIS_POLICIES) {
      new IamRolePolicyAttachment(this, `role-${policy.split("/").pop()}`, { role: this.role.name, policyArn: managedPolicyArn(context.partition, policy) });
    }
    const stopCondition = props.stopAlarmArns.map((value) => ({ source: "aws:cloudwatch:alarm", value }));
    const nodes: FisExperimentTemplateTarget = {
      name: "nodes",
      resourceType: "aws:ec2:instance",
      resourceTag: [{ key: `kubernetes.io/cluster/${props.clusterName}`, value: "owned" }],
      filter: [
        { path: "Placement.AvailabilityZone", values: [az] },
        { path: "State.Name", values: ["running"] },
      ],
      selectionMode: `PERCENT(${percent})`,
    };
    const terminate: FisExperimentTemplateAction = { actionId: "aws:ec2:terminate-instances", name: "terminate-nodes", target: { key: "Instances", value: "nodes" } };
    const template = (key: Experiment, body: { action: FisExperimentTemplateAction[]; target: FisExperimentTemplateTarget[] }) =>
      new FisExperimentTemplate(this, key, {
        description: `${EXPERIMENTS[key]} (${props.naming.prefix}, ${az}; docs/game-days.md)`,
        roleArn: this.role.arn,
        stopCondition,
        experimentOptions: { accountTargeting: "single-account", emptyTargetResolutionMode: "fail" },
        tags: { Name: props.naming.name("fis", key) },
        ...body,
      });
    this.templates = {
      "terminate-az-nodes": template("terminate-az-nodes", { action: [terminate], target: [nodes] }),
      "fail-over-database": template("fail-over-database", {
        action: [
          {
            actionId: "aws:rds:reboot-db-instances",
            name: "fail-over-primary",
            parameter: [{ key: "forceFailover", value: String(props.database.multiAz) }],
            target: { key: "DBInstances", value: "database" },
          },
        ],
        target: [{ name: "database", resourceType: "aws:rds:db", resourceArns: [props.database.arn], selectionMode: "ALL" }],
      }),
      "disrupt-az-network": template("disrupt-az-network", {
        action: [
          {
            actionId: "aws:network:disrupt-connectivity",
            name: "cut-off-az",
            parameter: [
              { key: "duration", value: duration },
              { key: "scope", value: "all" },
            ],
            target: { key: "Subnets", value: "az-subnets" },
          },
          terminate,
        ],
        target: [
          {
            name: "az-subnets",
            resourceType: "aws:ec2:subnet",
            filter: [
              { path: "AvailabilityZone", values: [az] },
              { path: "VpcId", values: [props.vpcId] },
            ],
            selectionMode: "ALL",
          },
          nodes,
        ],
      }),
    };
  }
}
