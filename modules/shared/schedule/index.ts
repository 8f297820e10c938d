/**
 * Working hours as configuration: the days and local hours a team works, in an IANA time zone, and
 * the cron expressions each AWS/Kubernetes scheduler needs for them (Auto Scaling: Unix cron with a
 * time zone; EventBridge Scheduler: six-field cron with a time zone; Karpenter: Unix cron in UTC).
 */

/** Days of the week, in EventBridge's spelling and Unix cron's order (0 = SUN). */
export const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The hours people work: outside them, an environment may scale down. */
export interface WorkingHours {
  /** IANA time zone the hours are in, e.g. `America/New_York` (daylight saving followed). */
  readonly timeZone: string;
  /** Working days. */
  readonly days: readonly Weekday[];
  /** Local hour work starts (0-23): capacity is back by then. */
  readonly startHour: number;
  /** Local hour work ends (1-23, after `startHour`): capacity goes down then. */
  readonly stopHour: number;
}

/** Throws `<path>.<field>: …` for an unknown time zone or day, or hours out of order. */
export function validateWorkingHours(path: string, hours: WorkingHours): void {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: hours.timeZone });
  } catch {
    throw new Error(`${path}.timeZone: "${hours.timeZone}" is not an IANA time zone; use e.g. America/New_York or Europe/Berlin`);
  }
  if (hours.days.length === 0) throw new Error(`${path}.days: empty; list the working days, e.g. ["MON", "TUE", "WED", "THU", "FRI"]`);
  hours.days.forEach((day, i) => {
    if (!WEEKDAYS.includes(day)) throw new Error(`${path}.days[${i}]: "${day}" is not one of ${WEEKDAYS.join(", ")}`);
    if (hours.days.indexOf(day) !== i) throw new Error(`${path}.days[${i}]: "${day}" is listed twice`);
  });
  for (const field of ["startHour", "stopHour"] as const) {
    const h = hours[field];
    if (!Number.isInteger(h) || h < 0 || h > 23) throw new Error(`${path}.${field}: ${h} is not an hour 0-23`);
  }
  if (hours.stopHour <= hours.startHour) {
    throw new Error(`${path}.stopHour: ${hours.stopHour} is not after startHour ${hours.startHour}; working hours lie within one day (e.g. 7 to 20)`);
  }
}

/** The days in week order. */
function ordered(days: readonly Weekday[]): Weekday[] {
  return WEEKDAYS.filter((d) => days.includes(d));
}

/** Auto Scaling's `recurrence` (Unix cron, evaluated in the action's `time_zone`): `0 20 * * 1,2,3,4,5`. */
export function autoScalingCron(hour: number, days: readonly Weekday[]): string {
  return `0 ${hour} * * ${ordered(days).map((d) => WEEKDAYS.indexOf(d)).join(",")}`;
}

/** EventBridge Scheduler's expression (evaluated in `schedule_expression_timezone`): `cron(0 20 ? * MON,TUE,WED,THU,FRI *)`. */
export function schedulerCron(hour: number, days: readonly Weekday[]): string {
  return `cron(0 ${hour} ? * ${ordered(days).join(",")} *)`;
}

/** Minutes `timeZone` is ahead of UTC on `date` (New York in January: -300). */
function offsetMinutes(timeZone: string, date: Date): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  return Math.round((local - date.getTime()) / 60_000);
}

/**
 * The working hours as one UTC window for a scheduler without time zones (Karpenter's budgets): it
 * starts at the earlier of the winter and summer UTC start and lasts long enough to cover both, so it
 * holds the whole local working day all year. Offsets are read for a fixed year, so the output is
 * stable across runs.
 */
export function utcWindow(hours: WorkingHours): { cron: string; durationHours: number } {
  const offsets = [Date.UTC(2025, 0, 15, 12), Date.UTC(2025, 6, 15, 12)].map((t) => offsetMinutes(hours.timeZone, new Date(t)));
  const startsUtc = offsets.map((o) => hours.startHour * 60 - o);
  const start = Math.min(...startsUtc);
  const spread = Math.max(...startsUtc) - start;
  const durationMinutes = (hours.stopHour - hours.startHour) * 60 + spread;
  // Whole hours, rounding the start down and the end up (half-hour zones such as Asia/Kolkata).
  let startMinute = Math.floor(start / 60) * 60;
  const durationHours = Math.ceil((start + durationMinutes - startMinute) / 60);
  let dayShift = 0;
  while (startMinute < 0) {
    startMinute += 24 * 60;
    dayShift -= 1;
  }
  while (startMinute >= 24 * 60) {
    startMinute -= 24 * 60;
    dayShift += 1;
  }
  const days = ordered(hours.days).map((d) => (WEEKDAYS.indexOf(d) + dayShift + 7) % 7).sort((a, b) => a - b);
  return { cron: `0 ${startMinute / 60} * * ${days.join(",")}`, durationHours };
}

/** Hours in a week. */
const WEEK_HOURS = 7 * 24;

/**
 * The share of the week outside working hours (0-1): what off-hours scaling saves of a resource's
 * hourly price (weekdays 07:00-20:00 → 103 of 168 hours, 0.613). A cost estimate multiplies by it.
 */
export function offHoursShare(hours: WorkingHours): number {
  return (WEEK_HOURS - hours.days.length * (hours.stopHour - hours.startHour)) / WEEK_HOURS;
}
