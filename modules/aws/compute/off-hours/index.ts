import { Construct } from "constructs";
import { AutoscalingSchedule } from "@cdktf/provider-aws/lib/autoscaling-schedule";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule";
import { AwsContext } from "../../../shared/aws-context";
import { policyDocument } from "../../../shared/iam";
import { Naming } from "../../../shared/naming";
import { WEEKDAYS, Weekday, WorkingHours, autoScalingCron, schedulerCron, validateWorkingHours } from "../../../shared/schedule";

/** Working hours when the config sets none: weekdays 07:00-20:00 in the platform team's time zone (US East). */
export const DEFAULT_WORKING_HOURS: WorkingHours = { timeZone: "America/New_York", days: WEEKDAYS.slice(1, 6) as Weekday[], startHour: 7, stopHour: 20 };

/** Scaling an environment down outside working hours (its `offHours` config). */
export interface OffHoursSettings {
  /** Scale down outside working hours. @default true in the development tier, false elsewhere (production may not) */
  readonly enabled?: boolean;
  /** When people work. @default DEFAULT_WORKING_HOURS (MON-FRI 7-20, America/New_York) */
  readonly workingHours?: Partial<WorkingHours>;
  /** Stop the RDS instance outside working hours too. @default true */
  readonly stopDatabase?: boolean;
}

/** The settings with their defaults, as the stacks use them. */
export function resolveOffHours(tier: string, s: OffHoursSettings | undefined): { enabled: boolean; workingHours: WorkingHours; stopDatabase: boolean } {
  return {
    enabled: s?.enabled ?? tier === "development",
    workingHours: { ...DEFAULT_WORKING_HOURS, ...(s?.workingHours ?? {}) },
    stopDatabase: s?.stopDatabase ?? true,
  };
}

/** Throws `<path>.<field>: …` for settings the schedule can't honour. */
export function validateOffHours(path: string, tier: string, s: OffHoursSettings | undefined, database: { readReplicaCount?: number }): void {
  const resolved = resolveOffHours(tier, s);
  if (!resolved.enabled) return;
  if (tier === "production") throw new Error(`${path}.enabled: true; production serves users around the clock, turn off-hours scaling off there`);
  validateWorkingHours(`${path}.workingHours`, resolved.workingHours);
  if (resolved.stopDatabase && (database.readReplicaCount ?? 0) > 0) {
    throw new Error(`${path}.stopDatabase: true, but the database has ${database.readReplicaCount} read replica(s) and RDS can't stop an instance that has replicas; set stopDatabase: false or remove the replicas`);
  }
}

/** One managed node group as the schedule sees it: the group and its configured sizes. */
export interface ScheduledNodeGroup {
  readonly nodeGroup: EksNodeGroup;
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
}

export interface OffHoursScalingProps {
  readonly naming: Naming;
  readonly workingHours: WorkingHours;
  /** The cluster's managed node groups (`EksCluster.nodeGroups`) with their sizes from the config, by name. */
  readonly nodeGroups: Readonly<Record<string, ScheduledNodeGroup>>;
  /** The RDS instance to stop and start (`PostgresDatabase`); none: the database runs around the clock. */
  readonly database?: { readonly instanceIdentifier: string; readonly instanceArn: string };
  /**
   * Synthetics canaries paused with the environment (they would fail against a stopped database and
   * alarm every night). @default none
   */
  readonly canaryNames?: readonly string[];
}

/**
 * Off-hours scaling: at the end of each working day every managed node group's Auto Scaling group
 * (that runs more than its minimum) goes to its minimum and the RDS instance stops; at the start of the next working day the groups
 * return to their desired size and the instance starts. Node groups use Auto Scaling scheduled actions
 * (in the configured time zone); the database uses EventBridge Scheduler's universal target
 * (`aws-sdk:rds:stopDBInstance` / `startDBInstance`) with a role that may do exactly that to this
 * instance; the environment's canaries pause with it (`synthetics:stopCanary`). Karpenter's NodePools follow through their schedule-aware disruption budget
 * (`offHoursDisruptionBudget`). MSK and EFS are left as they are.
 */
export class OffHoursScaling extends Construct {
  /** The scheduled actions, two per node group (escape hatch). */
  readonly nodeGroupActions: readonly AutoscalingSchedule[];
  /** The stop and start schedules of the database and the canaries (EventBridge Scheduler). */
  readonly schedules: readonly SchedulerSchedule[];
  /** Local times, for the outputs: e.g. `MON,TUE,WED,THU,FRI 07:00-20:00 America/New_York`. */
  readonly description: string;

  constructor(scope: Construct, id: string, props: OffHoursScalingProps) {
    super(scope, id);
    const { naming, workingHours: hours } = props;
    validateWorkingHours(`${naming.environment}.offHours.workingHours`, hours);
    const pad = (h: number) => `${String(h).padStart(2, "0")}:00`;
    this.description = `${hours.days.join(",")} ${pad(hours.startHour)}-${pad(hours.stopHour)} ${hours.timeZone}`;

    // A group whose minimum is its desired size has nothing to give back at night.
    const scaled = Object.entries(props.nodeGroups).filter(([, group]) => group.minSize < group.desiredSize);
    this.nodeGroupActions = scaled.flatMap(([name, group]) => {
      // The group's one Auto Scaling group, known once EKS has created it.
      const asg = group.nodeGroup.resources.get(0).autoscalingGroups.get(0).name;
      const action = (kind: "stop" | "start", hour: number, desired: number) =>
        new AutoscalingSchedule(this, `${name}-${kind}`, {
          scheduledActionName: naming.name("off-hours", name, kind),
          autoscalingGroupName: asg,
          recurrence: autoScalingCron(hour, hours.days),
          timeZone: hours.timeZone,
          // Min and max stay the node group's, so EKS and the Auto Scaling group never disagree.
          minSize: group.minSize,
          maxSize: group.maxSize,
          desiredCapacity: desired,
        });
      return [action("stop", hours.stopHour, group.minSize), action("start", hours.startHour, group.desiredSize)];
    });

    const context = AwsContext.of(this);
    const canaries = props.canaryNames ?? [];
    // EventBridge Scheduler's universal targets: one AWS API call each, with the role below.
    const targets = [
      ...(props.database
        ? [{ id: "database", what: props.database.instanceIdentifier, service: "rds", stop: "stopDBInstance", start: "startDBInstance", input: { DbInstanceIdentifier: props.database.instanceIdentifier } }]
        : []),
      ...canaries.map((name) => ({ id: `canary-${name}`, what: `canary ${name}`, service: "synthetics", stop: "stopCanary", start: "startCanary", input: { Name: name } })),
    ];
    const schedules: SchedulerSchedule[] = [];
    if (targets.length > 0) {
      const role = new IamRole(this, "scheduler-role", {
        name: naming.name("off-hours-scheduler"),
        description: `EventBridge Scheduler: stops and starts ${targets.map((t) => t.what).join(", ")} outside working hours`,
        assumeRolePolicy: policyDocument([
          {
            Sid: "SchedulerOfThisAccount",
            Principal: { Service: "scheduler.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": context.accountId } },
          },
        ]),
      });
      const policy = new IamRolePolicy(this, "scheduler-policy", {
        role: role.id,
        name: "stop-start",
        policy: policyDocument([
          ...(props.database ? [{ Sid: "StopStartTheDatabase", Action: ["rds:StopDBInstance", "rds:StartDBInstance"], Resource: props.database.instanceArn }] : []),
          ...(canaries.length > 0
            ? [{ Sid: "StopStartTheCanaries", Action: ["synthetics:StopCanary", "synthetics:StartCanary"], Resource: canaries.map((n) => context.arn("synthetics", `canary:${n}`)) }]
            : []),
        ]),
      });
      for (const target of targets) {
        for (const [kind, hour, api] of [
          ["stop", hours.stopHour, target.stop],
          ["start", hours.startHour, target.start],
        ] as const) {
          schedules.push(
            new SchedulerSchedule(this, `${target.id}-${kind}`, {
              name: naming.name("off-hours", target.id.replace(naming.prefix + "-", ""), kind),
              description: `${kind === "stop" ? "Stops" : "Starts"} ${target.what} (${this.description})`,
              scheduleExpression: schedulerCron(hour, hours.days),
              scheduleExpressionTimezone: hours.timeZone,
              flexibleTimeWindow: { mode: "OFF" },
              target: {
                arn: `arn:${context.partition}:scheduler:::aws-sdk:${target.service}:${api}`,
                roleArn: role.arn,
                input: JSON.stringify(target.input),
                // Stopping what is stopped fails (an invalid-state error); retrying would not help.
                retryPolicy: { maximumRetryAttempts: 0 },
              },
              dependsOn: [policy],
            }),
          );
        }
      }
    }
    this.schedules = schedules;
  }
}
