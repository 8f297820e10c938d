/**
 * Rules and helpers shared by the data-store modules (`elasticache`, `database`, `backup`):
 * the maintenance-window format, the environment tier and the
 * metric alarms that notify an SNS topic. Constants live here once so no module repeats them.
 */
import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Naming } from "../../../shared/naming";

/** What every data store takes from its environment: names, network placement, who may connect, alarms. */
export interface DataStoreWiring {
  /** Names the store `aivo-<env>-<component>`, its keys, logs and groups. */
  readonly naming: Naming;
  /** The VPC of the store's security group. */
  readonly vpcId: string;
  /** Security groups allowed to reach the store's port (the EKS nodes). Empty: nobody yet. */
  readonly allowedSecurityGroupIds: readonly string[];
  /** SNS topics the alarms notify (at least one). */
  readonly alarmTopicArns: readonly string[];
  /**
   * SNS topics of the alarms that mean an outage (store unavailable, replica lag beyond the RPO):
   * the topic that pages on-call. @default alarmTopicArns
   */
  readonly criticalAlarmTopicArns?: readonly string[];
  /** Retention of the store's log groups; a value CloudWatch Logs accepts. */
  readonly logRetentionDays: number;
}

/**
 * How strict the data-store rules are. `production` requires deletion protection, a kept final
 * snapshot, multi-AZ and the production minimum backup retention; `non-production` relaxes them.
 */
export type DataStoreTier = "production" | "non-production";

/** Throws unless `value` is an integer within `min`..`max`. */
export function assertIntegerInRange(path: string, value: number, min: number, max: number, rule = ""): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${path}: ${value} is outside ${min}..${max}${rule ? `; ${rule}` : ""}`);
  }
}

/** Throws unless at least one SNS topic receives the alarms. */
export function assertAlarmTopics(path: string, topicArns: readonly string[]): void {
  if (topicArns.length === 0) {
    throw new Error(`${path}: no SNS topic given; pass at least one topic ARN so the alarms notify someone`);
  }
}

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const WEEKLY_WINDOW = /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)$/;
const DAILY_WINDOW = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;
const WEEK_MINUTES = 7 * 24 * 60;

/** A window as [start, end) minute ranges within the week (split where it wraps around). */
type WeekRanges = Array<[number, number]>;

function ranges(start: number, end: number, period: number, offset = 0): WeekRanges {
  const s = start + offset;
  const e = (end <= start ? end + period : end) + offset;
  return e > WEEK_MINUTES ? [[s, WEEK_MINUTES], [0, e - WEEK_MINUTES]] : [[s, e]];
}

/**
 * Parses a weekly maintenance window `ddd:hh24:mi-ddd:hh24:mi` (UTC) into minute ranges of the week;
 * throws when the format is wrong or the window is shorter than `minMinutes`.
 */
export function parseWeeklyWindow(path: string, window: string, minMinutes = 60): WeekRanges {
  const m = WEEKLY_WINDOW.exec(window);
  if (!m) {
    throw new Error(`${path}: "${window}" is not a weekly window; use ddd:hh24:mi-ddd:hh24:mi in UTC, e.g. sun:05:00-sun:06:00`);
  }
  const at = (d: string, h: string, mi: string) => DAYS.indexOf(d as (typeof DAYS)[number]) * 1440 + Number(h) * 60 + Number(mi);
  const start = at(m[1], m[2], m[3]);
  const end = at(m[4], m[5], m[6]);
  const length = (end - start + WEEK_MINUTES) % WEEK_MINUTES;
  if (length < minMinutes) {
    throw new Error(`${path}: "${window}" lasts ${length} minutes; a maintenance window lasts at least ${minMinutes} minutes`);
  }
  return ranges(start, end, WEEK_MINUTES);
}

/**
 * Parses a daily window `hh24:mi-hh24:mi` (UTC) into its seven occurrences as minute ranges of the week;
 * throws when the format is wrong or the window is shorter than `minMinutes`.
 */
export function parseDailyWindow(path: string, window: string, minMinutes = 60): WeekRanges {
  const m = DAILY_WINDOW.exec(window);
  if (!m) throw new Error(`${path}: "${window}" is not a daily window; use hh24:mi-hh24:mi in UTC, e.g. 03:00-04:00`);
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  const length = (end - start + 1440) % 1440;
  if (length < minMinutes) {
    throw new Error(`${path}: "${window}" lasts ${length} minutes; the window lasts at least ${minMinutes} minutes`);
  }
  return DAYS.flatMap((_d, i) => ranges(start, end, 1440, i * 1440));
}

/** Throws when a daily backup/snapshot window overlaps the weekly maintenance window (AWS rejects it). */
export function assertWindowsDoNotOverlap(
  daily: { readonly path: string; readonly window: string; readonly minMinutes: number },
  weekly: { readonly path: string; readonly window: string; readonly minMinutes: number },
): void {
  const a = parseDailyWindow(daily.path, daily.window, daily.minMinutes);
  const b = parseWeeklyWindow(weekly.path, weekly.window, weekly.minMinutes);
  if (a.some(([s1, e1]) => b.some(([s2, e2]) => s1 < e2 && s2 < e1))) {
    throw new Error(
      `${daily.path}: "${daily.window}" overlaps ${weekly.path.split(".").pop()} "${weekly.window}"; move one of the windows`,
    );
  }
}

/** One CloudWatch metric alarm on an AWS namespace metric. */
export interface MetricAlarmSpec {
  /** Resource name of the alarm, e.g. `aivo-production-postgres-cpu`. */
  readonly alarmName: string;
  readonly description: string;
  /** e.g. `AWS/RDS`. */
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  readonly comparison: "GreaterThanThreshold" | "LessThanThreshold";
  readonly threshold: number;
  /** @default "Average" */
  readonly statistic?: "Average" | "Maximum" | "Minimum" | "Sum" | "SampleCount";
  /** Seconds per datapoint. @default 300 */
  readonly periodSeconds?: number;
  /** Datapoints evaluated (all must breach). @default 3 */
  readonly evaluationPeriods?: number;
  /** SNS topics notified on ALARM and on OK. */
  readonly topicArns: readonly string[];
  /**
   * How periods without data count: `breaching` for "the store stopped reporting" alarms.
   * @default "missing"
   */
  readonly treatMissingData?: "missing" | "breaching";
}

/**
 * The RPO of the platform's database (infrastructure document 004, "Recovery Point Objectives":
 * 15 minutes): replica lag beyond it is data a failover to the replica would lose, so it pages.
 */
export const DATABASE_RPO_SECONDS = 900;

/**
 * An alarm that fires when a store stops publishing a metric it publishes every minute while it runs
 * (the node or instance is down, being replaced, or unreachable for CloudWatch): the sample count of
 * `metricName` over three one-minute periods, missing data counting as breaching.
 */
export function unavailableAlarm(
  scope: Construct,
  id: string,
  spec: Pick<MetricAlarmSpec, "alarmName" | "description" | "namespace" | "metricName" | "dimensions" | "topicArns">,
): CloudwatchMetricAlarm {
  return metricAlarm(scope, id, {
    ...spec,
    comparison: "LessThanThreshold",
    threshold: 1,
    statistic: "SampleCount",
    periodSeconds: 60,
    evaluationPeriods: 3,
    treatMissingData: "breaching",
  });
}

/** Creates a metric alarm that notifies `topicArns` when it fires and when it recovers. */
export function metricAlarm(scope: Construct, id: string, spec: MetricAlarmSpec): CloudwatchMetricAlarm {
  return new CloudwatchMetricAlarm(scope, id, {
    alarmName: spec.alarmName,
    alarmDescription: spec.description,
    namespace: spec.namespace,
    metricName: spec.metricName,
    dimensions: spec.dimensions,
    comparisonOperator: spec.comparison,
    threshold: spec.threshold,
    statistic: spec.statistic ?? "Average",
    period: spec.periodSeconds ?? 300,
    evaluationPeriods: spec.evaluationPeriods ?? 3,
    treatMissingData: spec.treatMissingData ?? "missing",
    alarmActions: [...spec.topicArns],
    okActions: [...spec.topicArns],
  });
}
