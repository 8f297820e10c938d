import { Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { DEFAULT_WORKING_HOURS, OffHoursScaling, OffHoursSettings, resolveOffHours, validateOffHours } from "../modules/aws/compute/off-hours";
import { offHoursDisruptionBudget } from "../modules/kubernetes/cluster/karpenter-node-pools";
import { Naming } from "../modules/shared/naming";
import { WorkingHours, autoScalingCron, offHoursShare, schedulerCron, utcWindow, validateWorkingHours } from "../modules/shared/schedule";
import { configsOf, onlyResource, parse, policy } from "./helpers";

const naming = new Naming("aivo", "test");
const hours: WorkingHours = { timeZone: "Europe/Berlin", days: ["MON", "TUE", "WED", "THU", "FRI"], startHour: 8, stopHour: 19 };
const sizes = { general: { minSize: 1, desiredSize: 2, maxSize: 4 }, spot: { minSize: 0, desiredSize: 1, maxSize: 4 }, memory: { minSize: 0, desiredSize: 0, maxSize: 2 } };
/** The groups with something to give back at night. */
const scaled = Object.entries(sizes).filter(([, s]) => s.minSize < s.desiredSize);

function synth(withDatabase = true) {
  return parse(
    Testing.synthScope((scope) => {
      new AwsProvider(scope, "aws", { region: "us-east-1" });
      const nodeGroups = Object.fromEntries(
        Object.entries(sizes).map(([name, size]) => [
          name,
          {
            ...size,
            nodeGroup: new EksNodeGroup(scope, `ng-${name}`, {
              clusterName: "aivo-test-eks",
              nodeRoleArn: "arn:role",
              subnetIds: ["subnet-a"],
              scalingConfig: size,
            }),
          },
        ]),
      );
      new OffHoursScaling(scope, "off-hours", {
        naming,
        workingHours: hours,
        nodeGroups,
        database: withDatabase ? { instanceIdentifier: "aivo-test-postgres", instanceArn: "arn:aws:rds:us-east-1:111122223333:db:aivo-test-postgres" } : undefined,
        canaryNames: withDatabase ? ["aivo-test-heartbeat"] : [],
      });
    }),
  );
}

describe("OffHoursScaling (modules/aws/compute/off-hours)", () => {
  const doc = synth();

  it("sends each node group's Auto Scaling group to its minimum after work and back to its desired size before", () => {
    const actions = configsOf(doc, "aws_autoscaling_schedule");
    expect(actions).toHaveLength(2 * scaled.length);
    expect(actions.some((a) => a.scheduled_action_name.includes("-memory-"))).toBe(false); // min = desired: nothing to scale
    for (const [name, size] of scaled) {
      const stop = actions.find((a) => a.scheduled_action_name === `aivo-test-off-hours-${name}-stop`)!;
      const start = actions.find((a) => a.scheduled_action_name === `aivo-test-off-hours-${name}-start`)!;
      expect(stop).toMatchObject({ recurrence: "0 19 * * 1,2,3,4,5", time_zone: "Europe/Berlin", desired_capacity: size.minSize, min_size: size.minSize, max_size: size.maxSize });
      expect(start).toMatchObject({ recurrence: "0 8 * * 1,2,3,4,5", time_zone: "Europe/Berlin", desired_capacity: size.desiredSize });
      // The group's own Auto Scaling group, read from the node group after EKS creates it.
      expect(stop.autoscaling_group_name).toBe(`\${aws_eks_node_group.ng-${name}.resources[0].autoscaling_groups[0].name}`);
    }
  });

  it("stops and starts the database with EventBridge Scheduler's universal target and a role limited to that", () => {
    const schedules = configsOf(doc, "aws_scheduler_schedule");
    const byName = (name: string) => schedules.find((s) => s.name === `aivo-test-off-hours-database-${name}`)!;
    expect(byName("stop")).toMatchObject({ schedule_expression: "cron(0 19 ? * MON,TUE,WED,THU,FRI *)", schedule_expression_timezone: "Europe/Berlin", flexible_time_window: { mode: "OFF" } });
    expect(byName("start")).toMatchObject({ schedule_expression: "cron(0 8 ? * MON,TUE,WED,THU,FRI *)", schedule_expression_timezone: "Europe/Berlin" });
    expect(byName("stop").target.arn).toMatch(/:scheduler:::aws-sdk:rds:stopDBInstance$/);
    expect(byName("start").target.arn).toMatch(/:scheduler:::aws-sdk:rds:startDBInstance$/);
    for (const kind of ["stop", "start"]) expect(JSON.parse(byName(kind).target.input)).toEqual({ DbInstanceIdentifier: "aivo-test-postgres" });
    expect(policy(onlyResource(doc, "aws_iam_role_policy").policy).Statement).toEqual([
      { Sid: "StopStartTheDatabase", Effect: "Allow", Action: ["rds:StopDBInstance", "rds:StartDBInstance"], Resource: "arn:aws:rds:us-east-1:111122223333:db:aivo-test-postgres" },
      { Sid: "StopStartTheCanaries", Effect: "Allow", Action: ["synthetics:StopCanary", "synthetics:StartCanary"], Resource: [expect.stringMatching(/:synthetics:.*:canary:aivo-test-heartbeat$/)] },
    ]);
    // The canaries pause with the environment, so a stopped database does not page anyone at night.
    const canaryStop = schedules.find((s) => s.name === "aivo-test-off-hours-canary-heartbeat-stop")!;
    expect(canaryStop.target.arn).toMatch(/:scheduler:::aws-sdk:synthetics:stopCanary$/);
    expect(JSON.parse(canaryStop.target.input)).toEqual({ Name: "aivo-test-heartbeat" });
    const trust = policy(onlyResource(doc, "aws_iam_role").assume_role_policy).Statement[0];
    expect(trust).toMatchObject({ Principal: { Service: "scheduler.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": expect.any(String) } } });
    expect(configsOf(synth(false), "aws_scheduler_schedule")).toEqual([]);
  });

  it("is on by default in the development tier only, with weekday working hours in the team's time zone", () => {
    expect(resolveOffHours("development", undefined)).toEqual({ enabled: true, workingHours: DEFAULT_WORKING_HOURS, stopDatabase: true });
    expect(resolveOffHours("staging", undefined).enabled).toBe(false);
    expect(resolveOffHours("staging", { enabled: true, workingHours: { startHour: 6 } }).workingHours).toEqual({ ...DEFAULT_WORKING_HOURS, startHour: 6 });
  });

  it.each<[string, string, OffHoursSettings, { readReplicaCount?: number }, string]>([
    ["production", "production", { enabled: true }, {}, "x.offHours.enabled: true; production serves users around the clock"],
    ["an unknown time zone", "development", { workingHours: { timeZone: "Mars/Olympus" } }, {}, 'x.offHours.workingHours.timeZone: "Mars/Olympus" is not an IANA time zone'],
    ["an unknown day", "development", { workingHours: { days: ["MON", "FUN" as never] } }, {}, 'x.offHours.workingHours.days[1]: "FUN" is not one of SUN, MON'],
    ["a repeated day", "development", { workingHours: { days: ["MON", "MON"] } }, {}, 'x.offHours.workingHours.days[1]: "MON" is listed twice'],
    ["no days", "development", { workingHours: { days: [] } }, {}, "x.offHours.workingHours.days: empty"],
    ["an hour beyond 23", "development", { workingHours: { stopHour: 24 } }, {}, "x.offHours.workingHours.stopHour: 24 is not an hour 0-23"],
    ["a stop before the start", "development", { workingHours: { startHour: 18, stopHour: 9 } }, {}, "x.offHours.workingHours.stopHour: 9 is not after startHour 18"],
    ["a database with replicas", "staging", { enabled: true }, { readReplicaCount: 1 }, "x.offHours.stopDatabase: true, but the database has 1 read replica(s)"],
  ])("rejects %s", (_what, tier, settings, database, message) => {
    expect(() => validateOffHours("x.offHours", tier, settings, database)).toThrow(message);
  });

  it("accepts turning it off in production and a database with replicas when it stays up", () => {
    expect(() => validateOffHours("x", "production", { enabled: false }, {})).not.toThrow();
    expect(() => validateOffHours("x", "staging", { enabled: true, stopDatabase: false }, { readReplicaCount: 2 })).not.toThrow();
  });
});

describe("working hours as cron (modules/shared/schedule)", () => {
  it("writes each scheduler's dialect", () => {
    expect(autoScalingCron(20, ["FRI", "MON"])).toBe("0 20 * * 1,5");
    expect(schedulerCron(7, ["MON", "SUN"])).toBe("cron(0 7 ? * SUN,MON *)");
  });

  it.each<[string, WorkingHours, string, number]>([
    // New York: UTC-5 in winter, UTC-4 in summer: 07:00 local is 11:00 or 12:00 UTC; 13 h of work + 1 h of drift.
    ["America/New_York", DEFAULT_WORKING_HOURS, "0 11 * * 1,2,3,4,5", 14],
    ["Europe/Berlin", hours, "0 6 * * 1,2,3,4,5", 12],
    // Tokyo has no daylight saving; 08:00 JST is 23:00 UTC the day before.
    ["Asia/Tokyo", { timeZone: "Asia/Tokyo", days: ["MON", "TUE"], startHour: 8, stopHour: 18 }, "0 23 * * 0,1", 10],
    ["UTC", { timeZone: "UTC", days: ["SAT"], startHour: 0, stopHour: 23 }, "0 0 * * 6", 23],
  ])("covers the local working day of %s all year in one UTC window (Karpenter)", (_zone, h, cron, duration) => {
    expect(utcWindow(h)).toEqual({ cron, durationHours: duration });
  });

  it("gives Karpenter's NodePools a budget that stops consolidation churn during working hours only", () => {
    expect(offHoursDisruptionBudget(DEFAULT_WORKING_HOURS)).toEqual({ nodes: "0", reasons: ["Underutilized"], schedule: "0 11 * * 1,2,3,4,5", duration: "14h" });
  });

  it("measures the share of the week a scaled-down resource is not paid for", () => {
    expect(offHoursShare(DEFAULT_WORKING_HOURS)).toBeCloseTo(103 / 168, 6);
    expect(offHoursShare({ ...hours, days: ["MON"], startHour: 0, stopHour: 23 })).toBeCloseTo(145 / 168, 6);
  });

  it("names the field of a bad value", () => {
    expect(() => validateWorkingHours("dev.offHours.workingHours", { ...hours, startHour: 7.5 })).toThrow("dev.offHours.workingHours.startHour: 7.5 is not an hour 0-23");
  });
});
