/**
 * Off-hours schedules read from the stacks: an Auto Scaling scheduled action pair that scales a node
 * group down outside working hours, or an EventBridge Scheduler pair that stops a database or a canary.
 * The estimate bills such a resource for the share of the week it runs.
 */
import { TfBlock } from "../guardrails/engine";

/** Hours in a week. */
const WEEK_HOURS = 7 * 24;
const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** Minute, hour and weekday count of a cron expression: 5-field (`0 7 * * 1-5`) or Scheduler's `cron(0 7 ? * MON-FRI *)`. */
function parseCron(expression: unknown): { hour: number; days: number } | undefined {
  if (typeof expression !== "string") return undefined;
  const fields = expression.replace(/^cron\((.*)\)$/, "$1").trim().split(/\s+/);
  const [minute, hour, , , dow] = fields;
  if (!/^\d+$/.test(minute ?? "") || !/^\d+$/.test(hour ?? "") || dow === undefined) return undefined;
  const dayNumber = (d: string) => (/^\d$/.test(d) ? Number(d) % 7 : DAY_NAMES.indexOf(d.toUpperCase()));
  let days = 0;
  for (const part of dow.split(",")) {
    if (part === "*" || part === "?") days += 7;
    else if (part.includes("-")) {
      const [from, to] = part.split("-").map(dayNumber);
      if (from < 0 || to < 0) return undefined;
      days += ((to - from + 7) % 7) + 1;
    } else if (dayNumber(part) >= 0) days += 1;
    else return undefined;
  }
  return { hour: Number(hour) + Number(minute) / 60, days: Math.min(days, 7) };
}

/** The share of the week between a start and a stop schedule on the same days (0-1), or `undefined` when they can't be read. */
export function runningShare(startCron: unknown, stopCron: unknown): number | undefined {
  const start = parseCron(startCron);
  const stop = parseCron(stopCron);
  if (!start || !stop) return undefined;
  const hours = (stop.hour - start.hour + 24) % 24;
  return Math.min(1, (start.days * hours) / WEEK_HOURS);
}

/**
 * A node group's scheduled actions (`aws_autoscaling_schedule` on its Auto Scaling group): the nodes
 * during working hours, outside them, and the share of the week that is working hours.
 */
export function nodeGroupSchedule(address: string, schedules: readonly TfBlock[]): { working: number; off: number; share: number } | undefined {
  const own = schedules.filter((s) => typeof s.autoscaling_group_name === "string" && s.autoscaling_group_name.includes(`\${${address}.`));
  if (own.length !== 2) return undefined;
  const [start, stop] = [...own].sort((a, b) => Number(b.desired_capacity) - Number(a.desired_capacity));
  const share = runningShare(start.recurrence, stop.recurrence);
  return share === undefined ? undefined : { working: Number(start.desired_capacity), off: Number(stop.desired_capacity), share };
}

/**
 * The share of the week a resource runs when EventBridge Scheduler starts and stops it
 * (`<service>:start…`/`<service>:stop…` targets naming it in their input), or `undefined`.
 */
export function scheduledShare(service: "rds" | "synthetics", name: unknown, schedules: readonly TfBlock[]): number | undefined {
  if (typeof name !== "string") return undefined;
  const target = (verb: "start" | "stop") =>
    schedules.find((s) => {
      const t = Array.isArray(s.target) ? s.target[0] : s.target;
      return typeof t?.arn === "string" && t.arn.includes(`:${service}:${verb}`) && typeof t.input === "string" && t.input.includes(JSON.stringify(name));
    });
  const start = target("start");
  const stop = target("stop");
  return start && stop ? runningShare(start.schedule_expression, stop.schedule_expression) : undefined;
}

/** Minutes between runs of `rate(N minute(s)|hour(s))`, or `undefined`. */
export function rateMinutes(expression: unknown): number | undefined {
  const match = typeof expression === "string" ? /^rate\((\d+) (minute|minutes|hour|hours)\)$/.exec(expression) : null;
  if (!match) return undefined;
  return Number(match[1]) * (match[2].startsWith("hour") ? 60 : 1);
}
