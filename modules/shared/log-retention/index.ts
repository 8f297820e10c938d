/**
 * The retention periods CloudWatch Logs accepts, and the check every module that creates a log group
 * runs on its `logRetentionDays`. "Never expire" (0) is excluded on purpose: every log group expires.
 */
export const CLOUDWATCH_LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/**
 * Throws unless `days` is a retention CloudWatch Logs accepts.
 * @param path the field path for the message, e.g. `production.logRetentionDays`
 */
export function assertLogRetentionDays(path: string, days: number): void {
  if (!CLOUDWATCH_LOG_RETENTION_DAYS.includes(days)) {
    throw new Error(
      `${path}: ${days} is not a retention CloudWatch Logs accepts; use one of ${CLOUDWATCH_LOG_RETENTION_DAYS.join(", ")}`,
    );
  }
}
