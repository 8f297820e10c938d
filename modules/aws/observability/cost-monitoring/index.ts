import { Construct } from "constructs";
import type { OverBudgetAcknowledgement } from "../../../shared/cost/budget";
import type { UsageAssumptions } from "../../../shared/cost/usage";
import { BudgetsBudget, BudgetsBudgetNotification } from "@cdktf/provider-aws/lib/budgets-budget";
import { CeAnomalyMonitor } from "@cdktf/provider-aws/lib/ce-anomaly-monitor";
import {
  CeAnomalySubscription,
  CeAnomalySubscriptionThresholdExpression,
  CeAnomalySubscriptionThresholdExpressionDimension,
} from "@cdktf/provider-aws/lib/ce-anomaly-subscription";
import { CeCostAllocationTag } from "@cdktf/provider-aws/lib/ce-cost-allocation-tag";
import { SEVERITIES, Severity, assertEmailAddresses } from "../alerting";
import { Naming } from "../../../shared/naming";

/**
 * The cost allocation tag keys. The stacks' AWS provider `default_tags` use these keys (with the
 * environment name as the `Environment` value) and this module activates them and filters on them,
 * so a renamed key cannot leave the budget filtering on a tag nothing carries.
 */
export const COST_ALLOCATION_TAG_KEYS = {
  environment: "Environment",
  project: "Project",
  costCenter: "CostCenter",
} as const;

/** How a budget notification compares: FORECASTED (end-of-month forecast) or ACTUAL spend. */
export type BudgetNotificationType = "FORECASTED" | "ACTUAL";

/**
 * The documented alert ladder: 50 % forecasted → warning, 80 % forecasted → alert, 90 % actual →
 * critical. Thresholds can be tuned per environment (`budgetThresholds`); types and topics cannot.
 */
export const BUDGET_NOTIFICATIONS: readonly { severity: Severity; type: BudgetNotificationType; defaultPercent: number }[] = [
  { severity: "warning", type: "FORECASTED", defaultPercent: 50 },
  { severity: "alert", type: "FORECASTED", defaultPercent: 80 },
  { severity: "critical", type: "ACTUAL", defaultPercent: 90 },
];

/** AWS Budgets allows at most 10 email subscribers per notification (plus one SNS topic). */
export const MAX_BUDGET_EMAIL_SUBSCRIBERS = 10;

/** Upper bound accepted for a percentage threshold. */
export const MAX_BUDGET_THRESHOLD_PERCENT = 1000;

/** When a cost anomaly is worth an `alert`: its total impact in USD and/or in percent of expected spend. */
export interface AnomalyThresholds {
  /** Notify when the anomaly's total impact is at least this many USD. @default 100 when `percentage` is unset, else none */
  readonly absoluteUsd?: number;
  /** Notify when the total impact is at least this percentage of the expected spend. @default none */
  readonly percentage?: number;
  /**
   * With both thresholds set: `both` notifies only when both are reached (fewer, bigger alerts),
   * `either` when one is. @default "both"
   */
  readonly match?: "both" | "either";
}

/** Per-environment cost tunables: the `cost` section of the environment config. */
export interface CostMonitoringSettings {
  /** The monthly COST budget of the environment, in USD (> 0). */
  readonly monthlyBudgetUsd: number;
  /**
   * Percentages of `monthlyBudgetUsd` for the three notifications, strictly increasing, each in
   * (0, 1000]. @default { warning: 50, alert: 80, critical: 90 }
   */
  readonly budgetThresholds?: Partial<Record<Severity, number>>;
  /**
   * Addresses AWS Budgets mails directly on each of the three notifications (at most 10), for
   * people who want budget mails only; on-call routing goes through the alert topics.
   * @default none
   */
  readonly budgetEmailSubscribers?: readonly string[];
  /** When a cost anomaly of the environment notifies the `alert` topic. @default { absoluteUsd: 100 } */
  readonly anomalyThresholds?: AnomalyThresholds;
  /**
   * Activate the `COST_ALLOCATION_TAG_KEYS` as cost allocation tags. Activation is account-wide: when
   * several environments share one AWS account, set it `true` in exactly one of them. Off by default
   * because a key can only be activated once AWS has billed a resource carrying it (up to 24 h after
   * the first tagged resource exists; terraform-provider-aws #29068): turning it on in the very first
   * apply fails. Turn it on in a later, separate apply (README, "After the first deploy").
   * @default false
   */
  readonly activateCostAllocationTags?: boolean;
  /**
   * Usage the offline cost estimate can't read from the stacks (traffic, stored data, log volume,
   * Karpenter's share of its limits), overriding `DEFAULT_USAGE` field by field (docs/cost.md).
   * @default DEFAULT_USAGE (modules/shared/cost/usage)
   */
  readonly usage?: Partial<UsageAssumptions>;
  /**
   * Accepts an estimate above `monthlyBudgetUsd` up to `upToUsd`, for `reason`: synthesis then warns
   * instead of failing. @default none: an estimate over the budget fails synthesis
   */
  readonly overBudget?: OverBudgetAcknowledgement;
}

export interface CostMonitoringProps extends CostMonitoringSettings {
  /** Names the budget `aivo-<env>-monthly` and the anomaly monitor and subscription. */
  readonly naming: Naming;
  /** The alert topic ARN of each severity (`AlertTopics.topicArns`). */
  readonly topicArns: Readonly<Record<Severity, string>>;
}

/**
 * Cost guardrails of one environment: a monthly COST budget in USD filtered to the environment's
 * `Environment` cost allocation tag, notifying the warning/alert/critical topics at 50 % forecasted,
 * 80 % forecasted and 90 % actual; a Cost Anomaly Detection monitor scoped to the same tag with an
 * IMMEDIATE subscription to the `alert` topic; and the activation of the cost allocation tags.
 *
 * The monitor is `CUSTOM` (a tag expression), not `DIMENSIONAL`: an account may hold only one
 * DIMENSIONAL/SERVICE monitor, so one per environment would collide when environments share an account.
 */
export class CostMonitoring extends Construct {
  /** The budget (escape hatch). */
  readonly budget: BudgetsBudget;
  /** The anomaly monitor. */
  readonly anomalyMonitor: CeAnomalyMonitor;
  /** The anomaly subscription. */
  readonly anomalySubscription: CeAnomalySubscription;
  /** The budget's name, `aivo-<env>-monthly`. */
  readonly budgetName: string;
  /** The anomaly monitor ARN (to attach further subscriptions). */
  readonly anomalyMonitorArn: string;

  constructor(scope: Construct, id: string, props: CostMonitoringProps) {
    super(scope, id);
    const environment = props.naming.environment;
    const path = `${environment}.cost`;
    const thresholds = validate(path, props);
    const emails = [...(props.budgetEmailSubscribers ?? [])];

    const tagKey = COST_ALLOCATION_TAG_KEYS.environment;
    // Not a dependency of the budget or monitor: both may exist before activation, they match once it lands.
    if (props.activateCostAllocationTags === true) {
      for (const key of Object.values(COST_ALLOCATION_TAG_KEYS)) {
        new CeCostAllocationTag(this, `cost-allocation-tag-${key}`, { tagKey: key, status: "Active" });
      }
    }

    this.budgetName = props.naming.name("monthly");
    this.budget = new BudgetsBudget(this, "budget", {
      name: this.budgetName,
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: String(props.monthlyBudgetUsd),
      limitUnit: "USD",
      // Budgets' legacy CostFilters format for a user-defined tag: `user:<key>$<value>`.
      costFilter: [{ name: "TagKeyValue", values: [`user:${tagKey}$${environment}`] }],
      notification: BUDGET_NOTIFICATIONS.map(
        (n): BudgetsBudgetNotification => ({
          notificationType: n.type,
          comparisonOperator: "GREATER_THAN",
          threshold: thresholds[n.severity],
          thresholdType: "PERCENTAGE",
          subscriberSnsTopicArns: [props.topicArns[n.severity]],
          ...(emails.length > 0 ? { subscriberEmailAddresses: emails } : {}),
        }),
      ),
    });

    this.anomalyMonitor = new CeAnomalyMonitor(this, "anomaly-monitor", {
      name: props.naming.name("cost-anomalies"),
      monitorType: "CUSTOM",
      monitorSpecification: JSON.stringify({
        And: null,
        CostCategories: null,
        Dimensions: null,
        Not: null,
        Or: null,
        // The form the provider reads back (the SDK's Expression with nulls, MatchOptions null = EQUALS):
        // anything else differs from state and, monitor_specification being force-new, replaces the
        // monitor on every apply (the provider's documented CUSTOM example has the same shape).
        Tags: { Key: tagKey, MatchOptions: null, Values: [environment] },
      }),
    });
    this.anomalyMonitorArn = this.anomalyMonitor.arn;

    this.anomalySubscription = new CeAnomalySubscription(this, "anomaly-subscription", {
      name: props.naming.name("cost-anomalies", "alert"),
      monitorArnList: [this.anomalyMonitor.arn],
      // IMMEDIATE notifications are delivered to SNS only (email subscribers take DAILY/WEEKLY).
      frequency: "IMMEDIATE",
      subscriber: [{ type: "SNS", address: props.topicArns.alert }],
      thresholdExpression: anomalyThresholdExpression(props.anomalyThresholds),
    });
  }
}

function anomalyThresholdExpression(settings: AnomalyThresholds | undefined): CeAnomalySubscriptionThresholdExpression {
  const dims: CeAnomalySubscriptionThresholdExpressionDimension[] = [];
  const absoluteUsd = settings?.absoluteUsd ?? (settings?.percentage === undefined ? 100 : undefined);
  if (absoluteUsd !== undefined) dims.push(impact("ANOMALY_TOTAL_IMPACT_ABSOLUTE", absoluteUsd));
  if (settings?.percentage !== undefined) dims.push(impact("ANOMALY_TOTAL_IMPACT_PERCENTAGE", settings.percentage));
  if (dims.length === 1) return { dimension: dims[0] };
  const combined = dims.map((dimension) => ({ dimension }));
  return (settings?.match ?? "both") === "both" ? { and: combined } : { or: combined };
}

function impact(key: string, value: number): CeAnomalySubscriptionThresholdExpressionDimension {
  return { key, matchOptions: ["GREATER_THAN_OR_EQUAL"], values: [String(value)] };
}

/** Checks the settings and returns the three thresholds, defaults filled in. */
function validate(path: string, props: CostMonitoringProps): Record<Severity, number> {
  const amount = props.monthlyBudgetUsd;
  if (typeof amount !== "number" || !Number.isFinite(amount) || amount <= 0) {
    throw new Error(`${path}.monthlyBudgetUsd: ${amount} is not a positive amount; set the monthly budget in USD, greater than 0`);
  }

  const thresholds = {} as Record<Severity, number>;
  for (const n of BUDGET_NOTIFICATIONS) {
    const value = props.budgetThresholds?.[n.severity] ?? n.defaultPercent;
    if (!Number.isFinite(value) || value <= 0 || value > MAX_BUDGET_THRESHOLD_PERCENT) {
      throw new Error(
        `${path}.budgetThresholds.${n.severity}: ${value} is outside (0, ${MAX_BUDGET_THRESHOLD_PERCENT}] percent; set a percentage of the budget above 0`,
      );
    }
    thresholds[n.severity] = value;
  }
  for (let i = 1; i < BUDGET_NOTIFICATIONS.length; i++) {
    const lower = BUDGET_NOTIFICATIONS[i - 1].severity;
    const upper = BUDGET_NOTIFICATIONS[i].severity;
    if (thresholds[upper] <= thresholds[lower]) {
      const ladder = BUDGET_NOTIFICATIONS.map((n) => `${n.severity} ${thresholds[n.severity]}`).join(", ");
      throw new Error(
        `${path}.budgetThresholds: ${upper} ${thresholds[upper]} is not above ${lower} ${thresholds[lower]} (${ladder}); thresholds must strictly increase warning < alert < critical`,
      );
    }
  }

  const emails = props.budgetEmailSubscribers ?? [];
  if (emails.length > MAX_BUDGET_EMAIL_SUBSCRIBERS) {
    throw new Error(
      `${path}.budgetEmailSubscribers: ${emails.length} addresses exceed the ${MAX_BUDGET_EMAIL_SUBSCRIBERS} AWS Budgets allows per notification; subscribe the rest to an alert topic`,
    );
  }
  assertEmailAddresses(`${path}.budgetEmailSubscribers`, emails);

  const anomaly = props.anomalyThresholds;
  for (const field of ["absoluteUsd", "percentage"] as const) {
    const value = anomaly?.[field];
    if (value !== undefined && (!Number.isFinite(value) || value <= 0)) {
      throw new Error(`${path}.anomalyThresholds.${field}: ${value} is not a positive number; set a value greater than 0 or omit it`);
    }
  }

  for (const severity of SEVERITIES) {
    if (!props.topicArns?.[severity]) {
      throw new Error(`${path}: topicArns.${severity} is missing; pass AlertTopics.topicArns`);
    }
  }
  return thresholds;
}
