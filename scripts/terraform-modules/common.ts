import { hclString } from "../../modules/shared/hcl";
import { ModuleVariable } from "../../modules/shared/hcl/module";
import { Naming } from "../../modules/shared/naming";
import { CLOUDWATCH_LOG_RETENTION_DAYS } from "../../modules/shared/log-retention";

/**
 * Samples the generator finds again in the synthesized JSON (see modules/shared/hcl/module.ts):
 * valid for the constructs' checks, and unlike anything a construct writes itself.
 */
export const SAMPLE = { project: "zqxproject", environment: "zqxenvironment" } as const;

/** An HCL string literal holding a JavaScript pattern's source, for `regex()` / `can(regex())`. */
export function hclPattern(pattern: RegExp): string {
  return hclString(pattern.source.replace(/\$\{/g, "$${").replace(/%\{/g, "%%{"));
}

const NAME_PART = /^[a-z][a-z0-9-]*[a-z0-9]$/;

/** `project` and `environment`: every name is `<project>-<environment>-<component>` (modules/shared/naming). */
export const NAMING_VARIABLES: readonly ModuleVariable[] = [
  {
    name: "project",
    type: "string",
    description: "Project slug, the first part of every name (`<project>-<environment>-<component>`).",
    default: "aivo",
    sample: SAMPLE.project,
    validations: [
      {
        condition: `can(regex(${hclPattern(NAME_PART)}, var.project))`,
        errorMessage: "project: use lowercase letters, digits and \"-\", starting with a letter.",
      },
    ],
  },
  {
    name: "environment",
    type: "string",
    description: "Environment name, e.g. `development`; the second part of every name.",
    sample: SAMPLE.environment,
    validations: [
      {
        condition: `can(regex(${hclPattern(NAME_PART)}, var.environment))`,
        errorMessage: "environment: use lowercase letters, digits and \"-\", starting with a letter.",
      },
    ],
  },
];

/** The `Naming` a construct is generated with (the samples), or a real one for the tests. */
export function naming(project: string = SAMPLE.project, environment: string = SAMPLE.environment): Naming {
  return new Naming(project, environment);
}

/** A sample SNS topic ARN. */
export function sampleTopicArn(name: string): string {
  return `arn:aws:sns:us-east-1:123456789012:zqx-${name}-topic`;
}

/** Checks an ARN of an SNS topic, in HCL, for every element of `expression` (a list). */
export function snsArnsCondition(expression: string): string {
  return `alltrue([for arn in ${expression} : can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+$", arn))])`;
}

/** `log_retention_days`: a value CloudWatch Logs accepts. */
export function logRetentionVariable(sample: number): ModuleVariable {
  return {
    name: "log_retention_days",
    type: "number",
    description: "Days CloudWatch Logs keeps the module's log groups (a value CloudWatch accepts: 1, 3, 5, 7, 14, 30, … 3653).",
    sample,
    validations: [
      {
        condition: `contains([${CLOUDWATCH_LOG_RETENTION_DAYS.join(", ")}], var.log_retention_days)`,
        errorMessage: `log_retention_days: use a value CloudWatch Logs accepts (${CLOUDWATCH_LOG_RETENTION_DAYS.join(", ")}).`,
      },
    ],
  };
}
