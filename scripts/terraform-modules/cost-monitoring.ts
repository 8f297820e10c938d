import { CostMonitoring, MAX_BUDGET_EMAIL_SUBSCRIBERS, MAX_BUDGET_THRESHOLD_PERCENT } from "../../modules/aws/observability/cost-monitoring";
import { EMAIL_ADDRESS_PATTERN, Severity } from "../../modules/aws/observability/alerting";
import { Json, JsonObject, ModuleDefinition } from "../../modules/shared/hcl/module";
import { NAMING_VARIABLES, hclPattern, naming, sampleTopicArn, snsArnsCondition } from "./common";

/** A `dimension` block of the anomaly subscription's threshold, from the iterator `name` over `local.anomaly_dimensions`. */
function anomalyDimension(name: string): JsonObject {
  return { key: `\${${name}.value.key}`, match_options: ["GREATER_THAN_OR_EQUAL"], values: [`\${tostring(${name}.value.value)}`] };
}

/** The `cost-monitoring` module: the `CostMonitoring` construct (modules/aws/observability/cost-monitoring). */
export const COST_MONITORING_MODULE: ModuleDefinition = {
  name: "cost-monitoring",
  construct: "modules/aws/observability/cost-monitoring (CostMonitoring)",
  description:
    "Cost guardrails of one environment: a monthly COST budget filtered to the `Environment` cost allocation tag, notifying the warning/alert/critical SNS topics at 50 % forecasted, 80 % forecasted and 90 % actual spend; a CUSTOM Cost Anomaly Detection monitor on the same tag with an IMMEDIATE subscription to the alert topic; optionally the activation of the cost allocation tags.",
  variables: [
    ...NAMING_VARIABLES,
    {
      name: "monthly_budget_usd",
      type: "number",
      description: "The monthly COST budget of the environment, in USD (greater than 0).",
      sample: 7919,
      validations: [{ condition: "var.monthly_budget_usd > 0", errorMessage: "monthly_budget_usd: set the monthly budget in USD, greater than 0." }],
    },
    {
      name: "budget_thresholds",
      type: "object({ warning = optional(number, 50), alert = optional(number, 80), critical = optional(number, 90) })",
      description: "Percentages of the budget for the warning (forecasted), alert (forecasted) and critical (actual) notifications; each in (0, 1000], strictly increasing.",
      default: {},
      sample: { warning: 47, alert: 83, critical: 97 },
      validations: [
        {
          condition: `alltrue([for p in values(var.budget_thresholds) : p > 0 && p <= ${MAX_BUDGET_THRESHOLD_PERCENT}])`,
          errorMessage: `budget_thresholds: every threshold must be a percentage above 0 and at most ${MAX_BUDGET_THRESHOLD_PERCENT}.`,
        },
        {
          condition: "var.budget_thresholds.warning < var.budget_thresholds.alert && var.budget_thresholds.alert < var.budget_thresholds.critical",
          errorMessage: "budget_thresholds: thresholds must strictly increase warning < alert < critical.",
        },
      ],
    },
    {
      name: "budget_email_subscribers",
      type: "list(string)",
      description: `Addresses AWS Budgets mails directly on each notification (at most ${MAX_BUDGET_EMAIL_SUBSCRIBERS}).`,
      default: [],
      sample: ["zqx-budget-reader@example.com"],
      validations: [
        {
          condition: `length(var.budget_email_subscribers) <= ${MAX_BUDGET_EMAIL_SUBSCRIBERS}`,
          errorMessage: `budget_email_subscribers: AWS Budgets allows ${MAX_BUDGET_EMAIL_SUBSCRIBERS} addresses per notification; subscribe the rest to an alert topic.`,
        },
        {
          condition: `alltrue([for a in var.budget_email_subscribers : can(regex(${hclPattern(EMAIL_ADDRESS_PATTERN)}, a))])`,
          errorMessage: "budget_email_subscribers: every entry must be an email address (name@example.com).",
        },
        {
          condition: "length(distinct([for a in var.budget_email_subscribers : lower(a)])) == length(var.budget_email_subscribers)",
          errorMessage: "budget_email_subscribers: list each address once.",
        },
      ],
    },
    {
      name: "anomaly_threshold_usd",
      type: "number",
      description: "A cost anomaly notifies the alert topic when its total impact is at least this many USD; null means 100 when `anomaly_threshold_percentage` is null too, else no USD threshold.",
      default: null,
      sample: 7907,
      validations: [{ condition: "coalesce(var.anomaly_threshold_usd, 1) > 0", errorMessage: "anomaly_threshold_usd: set a value greater than 0 or null." }],
    },
    {
      name: "anomaly_threshold_percentage",
      type: "number",
      description: "Notify when the anomaly's total impact is at least this percentage of the expected spend; null for none.",
      default: null,
      validations: [{ condition: "coalesce(var.anomaly_threshold_percentage, 1) > 0", errorMessage: "anomaly_threshold_percentage: set a value greater than 0 or null." }],
    },
    {
      name: "anomaly_threshold_match",
      type: "string",
      description: "With both thresholds set: `both` notifies only when both are reached, `either` when one is.",
      default: "both",
      validations: [{ condition: 'contains(["both", "either"], var.anomaly_threshold_match)', errorMessage: 'anomaly_threshold_match: use "both" or "either".' }],
    },
    {
      name: "activate_cost_allocation_tags",
      type: "bool",
      description:
        "Activate the Environment, Project and CostCenter cost allocation tags (account-wide: true in exactly one environment per account, and only once AWS has billed a tagged resource).",
      default: false,
    },
    {
      name: "topic_arns",
      type: "object({ warning = string, alert = string, critical = string })",
      description: "The SNS topic ARN of each severity.",
      sample: { warning: sampleTopicArn("warning"), alert: sampleTopicArn("alert"), critical: sampleTopicArn("critical") },
      validations: [{ condition: snsArnsCondition("values(var.topic_arns)"), errorMessage: "topic_arns: every value must be an SNS topic ARN." }],
    },
  ],
  build(scope, v) {
    const cost = new CostMonitoring(scope, "cost", {
      naming: naming(),
      monthlyBudgetUsd: v.monthly_budget_usd as number,
      budgetThresholds: v.budget_thresholds as Record<Severity, number>,
      budgetEmailSubscribers: v.budget_email_subscribers as string[],
      anomalyThresholds: { absoluteUsd: v.anomaly_threshold_usd as number },
      activateCostAllocationTags: true,
      topicArns: v.topic_arns as Record<Severity, string>,
    });
    return {
      budget_name: { description: "The budget's name, `<project>-<environment>-monthly`.", value: cost.budgetName },
      budget_arn: { description: "The budget's ARN.", value: cost.budget.arn },
      anomaly_monitor_arn: { description: "The anomaly monitor's ARN (to attach further subscriptions).", value: cost.anomalyMonitorArn },
      anomaly_subscription_arn: { description: "The anomaly subscription's ARN.", value: cost.anomalySubscription.arn },
    };
  },
  locals: {
    anomaly_threshold_usd: "${var.anomaly_threshold_usd != null ? var.anomaly_threshold_usd : (var.anomaly_threshold_percentage == null ? 100 : null)}",
    anomaly_dimensions:
      '${concat(local.anomaly_threshold_usd != null ? [{ key = "ANOMALY_TOTAL_IMPACT_ABSOLUTE", value = local.anomaly_threshold_usd }] : [], var.anomaly_threshold_percentage != null ? [{ key = "ANOMALY_TOTAL_IMPACT_PERCENTAGE", value = var.anomaly_threshold_percentage }] : [])}',
  },
  overrides: [
    { type: "aws_ce_cost_allocation_tag", argument: "count", value: "${var.activate_cost_allocation_tags ? 1 : 0}" },
    // The construct writes one `dimension`, or `and`/`or` of two, depending on the thresholds set.
    {
      type: "aws_ce_anomaly_subscription",
      argument: "threshold_expression",
      value: {
        dynamic: {
          dimension: { for_each: "${length(local.anomaly_dimensions) == 1 ? local.anomaly_dimensions : []}", content: anomalyDimension("dimension") },
          and: { for_each: '${length(local.anomaly_dimensions) == 2 && var.anomaly_threshold_match == "both" ? local.anomaly_dimensions : []}', content: { dimension: anomalyDimension("and") } },
          or: { for_each: '${length(local.anomaly_dimensions) == 2 && var.anomaly_threshold_match == "either" ? local.anomaly_dimensions : []}', content: { dimension: anomalyDimension("or") } },
        },
      },
    },
  ],
  blocks: { "resource.aws_ce_anomaly_subscription": { threshold_expression: { dimension: {}, and: { dimension: {} }, or: { dimension: {} } } } },
  example: { environment: "development", monthly_budget_usd: 500, topic_arns: { warning: "arn:aws:sns:us-east-1:123456789012:aivo-development-warning", alert: "arn:aws:sns:us-east-1:123456789012:aivo-development-alert", critical: "arn:aws:sns:us-east-1:123456789012:aivo-development-critical" } } as Record<string, Json>,
};
