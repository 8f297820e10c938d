import { Rule, perResource } from "../engine";

/** The retention checkov's CKV_AWS_338 asks for: a year. */
export const ONE_YEAR_DAYS = 365;

/** Log groups keep their logs for a bounded, long enough time. */
export const LOGGING_RULES: readonly Rule[] = [
  {
    id: "AIVO-LOG-RETENTION",
    severity: "error",
    checkov: ["CKV_AWS_66"],
    message: "CloudWatch log groups have a retention period",
    fix: "set retention_in_days (logRetentionDays of the environment)",
    evaluate: perResource(["aws_cloudwatch_log_group"], (r) => {
      const days = Number(r.config.retention_in_days ?? 0);
      return days > 0 ? undefined : "retention_in_days unset (logs never expire)";
    }),
  },
  {
    id: "AIVO-LOG-RETENTION-1Y",
    severity: "warning",
    checkov: ["CKV_AWS_338"],
    message: `CloudWatch log groups keep logs for at least ${ONE_YEAR_DAYS} days`,
    fix: `set retention_in_days >= ${ONE_YEAR_DAYS}, or suppress with the reason (a non-production environment)`,
    evaluate: perResource(["aws_cloudwatch_log_group"], (r) => {
      const days = Number(r.config.retention_in_days ?? 0);
      return days > 0 && days < ONE_YEAR_DAYS ? `retention_in_days ${days}` : undefined;
    }),
  },
];
