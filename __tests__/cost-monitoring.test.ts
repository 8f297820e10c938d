import { Testing } from "cdktf";
import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import { AlertTopics } from "../modules/aws/observability/alerting";
import { COST_ALLOCATION_TAG_KEYS, CostMonitoring, CostMonitoringSettings } from "../modules/aws/observability/cost-monitoring";
import { Naming } from "../modules/shared/naming";
import { configsOf, onlyResource, parse, resourcesOf, TerraformJson } from "./helpers";

type Settings = CostMonitoringSettings;

function synthRaw(environment: string, settings: Settings): string {
  const naming = new Naming("aivo", environment);
  return Testing.synthScope((scope) => {
    const alerts = new AlertTopics(scope, "alerts", { naming });
    new CostMonitoring(scope, "cost", { ...settings, naming, topicArns: alerts.topicArns });
  });
}

/** `${aws_sns_topic_policy.<id>.arn}` — the value of `AlertTopics.topicArns[severity]` — by severity. */
function topicRefs(doc: TerraformJson, environment: string): Record<string, string> {
  const topics = resourcesOf(doc, "aws_sns_topic");
  return Object.fromEntries(
    Object.entries(resourcesOf(doc, "aws_sns_topic_policy")).map(([id, p]) => {
      const topicId = /^\$\{aws_sns_topic\.([^.]+)\.arn\}$/.exec(p.arn)![1];
      return [topics[topicId].name.replace(`aivo-${environment}-alerts-`, ""), `\${aws_sns_topic_policy.${id}.arn}`];
    }),
  );
}

const environments: [string, Settings][] = [
  ["development", { monthlyBudgetUsd: 500, anomalyThresholds: { absoluteUsd: 50 } }],
  ["staging", { monthlyBudgetUsd: 1500, budgetEmailSubscribers: ["finops@aivo.edu"] }],
  [
    "production",
    {
      monthlyBudgetUsd: 5000,
      budgetEmailSubscribers: ["finops@aivo.edu", "cto@aivo.edu"],
      anomalyThresholds: { absoluteUsd: 250, percentage: 10 },
    },
  ],
];

describe.each(environments)("CostMonitoring in %s", (environment, settings) => {
  const raw = synthRaw(environment, settings);
  const doc = parse(raw);
  const refs = topicRefs(doc, environment);
  const budget = onlyResource(doc, "aws_budgets_budget");

  it("budgets the month in USD at the configured amount", () => {
    expect(raw).toHaveResourceWithProperties(BudgetsBudget, {
      name: `aivo-${environment}-monthly`,
      budget_type: "COST",
      time_unit: "MONTHLY",
      limit_unit: "USD",
      limit_amount: String(settings.monthlyBudgetUsd),
    });
  });

  it("filters the budget to the environment's Environment cost allocation tag", () => {
    expect(budget.cost_filter).toEqual([{ name: "TagKeyValue", values: [`user:Environment$${environment}`] }]);
    // A literal `$` followed by a letter is not a Terraform interpolation; `${` would be.
    expect(budget.cost_filter[0].values[0]).not.toContain("${");
  });

  it("notifies 50 % forecasted → warning, 80 % forecasted → alert, 90 % actual → critical", () => {
    const emails = settings.budgetEmailSubscribers;
    const expected = [
      ["FORECASTED", 50, refs.warning],
      ["FORECASTED", 80, refs.alert],
      ["ACTUAL", 90, refs.critical],
    ].map(([type, threshold, topic]) => ({
      notification_type: type,
      threshold,
      comparison_operator: "GREATER_THAN",
      threshold_type: "PERCENTAGE",
      subscriber_sns_topic_arns: [topic],
      ...(emails ? { subscriber_email_addresses: emails } : {}),
    }));
    expect(budget.notification).toEqual(expected);
  });

  it("watches the environment's tag with a CUSTOM anomaly monitor", () => {
    const monitor = onlyResource(doc, "aws_ce_anomaly_monitor");
    expect(monitor.monitor_type).toBe("CUSTOM");
    expect(monitor.monitor_dimension).toBeUndefined();
    expect(monitor.name).toBe(`aivo-${environment}-cost-anomalies`);
    // Exactly the form the provider reads back (SDK Expression with nulls); any other form differs
    // from state and replaces the force-new monitor on every apply.
    expect(JSON.parse(monitor.monitor_specification)).toEqual({
      And: null,
      CostCategories: null,
      Dimensions: null,
      Not: null,
      Or: null,
      Tags: { Key: "Environment", MatchOptions: null, Values: [environment] },
    });
  });

  it("sends anomalies above the threshold immediately to the alert topic", () => {
    const [monitorId] = Object.keys(resourcesOf(doc, "aws_ce_anomaly_monitor"));
    const subscription = onlyResource(doc, "aws_ce_anomaly_subscription");
    expect(subscription.frequency).toBe("IMMEDIATE");
    expect(subscription.monitor_arn_list).toEqual([`\${aws_ce_anomaly_monitor.${monitorId}.arn}`]);
    expect(subscription.subscriber).toEqual([{ type: "SNS", address: refs.alert }]);
    const absolute = {
      key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
      match_options: ["GREATER_THAN_OR_EQUAL"],
      values: [String(settings.anomalyThresholds?.absoluteUsd ?? 100)],
    };
    if (settings.anomalyThresholds?.percentage === undefined) {
      expect(subscription.threshold_expression).toEqual({ dimension: absolute });
    } else {
      const percentage = {
        key: "ANOMALY_TOTAL_IMPACT_PERCENTAGE",
        match_options: ["GREATER_THAN_OR_EQUAL"],
        values: [String(settings.anomalyThresholds.percentage)],
      };
      expect(subscription.threshold_expression).toEqual({ and: [{ dimension: absolute }, { dimension: percentage }] });
    }
  });

  it("activates no cost allocation tag by default, so the first apply of a fresh account succeeds", () => {
    expect(resourcesOf(doc, "aws_ce_cost_allocation_tag")).toEqual({});
  });
});

describe("CostMonitoring cost allocation tags, once AWS has billed tagged resources", () => {
  const doc = parse(synthRaw("development", { monthlyBudgetUsd: 500, activateCostAllocationTags: true }));

  it("activates the Environment, Project and CostCenter cost allocation tags", () => {
    const tags = configsOf(doc, "aws_ce_cost_allocation_tag");
    expect(tags.map((t) => t.tag_key).sort()).toEqual(["CostCenter", "Environment", "Project"]);
    expect(Object.values(COST_ALLOCATION_TAG_KEYS).sort()).toEqual(["CostCenter", "Environment", "Project"]);
    for (const tag of tags) expect(tag.status).toBe("Active");
  });
});

describe("CostMonitoring options", () => {
  const tuned = parse(
    synthRaw("staging", {
      monthlyBudgetUsd: 1234.5,
      budgetThresholds: { warning: 60, critical: 100 },
      anomalyThresholds: { percentage: 25 },
      activateCostAllocationTags: false,
    }),
  );
  const either = parse(synthRaw("staging", { monthlyBudgetUsd: 10, anomalyThresholds: { absoluteUsd: 5, percentage: 40, match: "either" } }));

  it("takes tuned thresholds, keeping the documented types and defaults for the rest", () => {
    const budget = onlyResource(tuned, "aws_budgets_budget");
    expect(budget.limit_amount).toBe("1234.5");
    expect(budget.notification.map((n: any) => [n.notification_type, n.threshold])).toEqual([
      ["FORECASTED", 60],
      ["FORECASTED", 80],
      ["ACTUAL", 100],
    ]);
    expect(budget.notification[0].subscriber_email_addresses).toBeUndefined();
  });

  it("thresholds anomalies on percentage alone, or on either threshold", () => {
    expect(onlyResource(tuned, "aws_ce_anomaly_subscription").threshold_expression).toEqual({
      dimension: { key: "ANOMALY_TOTAL_IMPACT_PERCENTAGE", match_options: ["GREATER_THAN_OR_EQUAL"], values: ["25"] },
    });
    const or = onlyResource(either, "aws_ce_anomaly_subscription").threshold_expression.or;
    expect(or.map((o: any) => [o.dimension.key, o.dimension.values])).toEqual([
      ["ANOMALY_TOTAL_IMPACT_ABSOLUTE", ["5"]],
      ["ANOMALY_TOTAL_IMPACT_PERCENTAGE", ["40"]],
    ]);
  });

  it("leaves cost allocation tags alone when activateCostAllocationTags is false", () => {
    expect(resourcesOf(tuned, "aws_ce_cost_allocation_tag")).toEqual({});
  });
});

describe("CostMonitoring rejects", () => {
  const build = (settings: Partial<Settings>, environment = "production") => () =>
    synthRaw(environment, { monthlyBudgetUsd: 100, ...settings } as Settings);

  it.each([0, -50, Number.NaN, Number.POSITIVE_INFINITY])("a budget of %p USD", (amount) => {
    expect(build({ monthlyBudgetUsd: amount })).toThrow(
      `production.cost.monthlyBudgetUsd: ${amount} is not a positive amount; set the monthly budget in USD, greater than 0`,
    );
  });

  it("thresholds out of order", () => {
    expect(build({ budgetThresholds: { warning: 50, alert: 40, critical: 90 } })).toThrow(
      "production.cost.budgetThresholds: alert 40 is not above warning 50 (warning 50, alert 40, critical 90); thresholds must strictly increase warning < alert < critical",
    );
    expect(build({ budgetThresholds: { critical: 80 } })).toThrow(
      "production.cost.budgetThresholds: critical 80 is not above alert 80",
    );
  });

  it("thresholds outside (0, 1000] percent", () => {
    expect(build({ budgetThresholds: { warning: 0 } })).toThrow(
      "production.cost.budgetThresholds.warning: 0 is outside (0, 1000] percent",
    );
    expect(build({ budgetThresholds: { critical: 1001 } })).toThrow(
      "production.cost.budgetThresholds.critical: 1001 is outside (0, 1000] percent",
    );
  });

  it("an email that is not an address", () => {
    expect(build({ budgetEmailSubscribers: ["finops@aivo.edu", "finops@"] }, "staging")).toThrow(
      'staging.cost.budgetEmailSubscribers[1]: "finops@" is not an email address; use the form name@example.com',
    );
  });

  it("more email subscribers than AWS Budgets accepts", () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `user${i}@aivo.edu`);
    expect(build({ budgetEmailSubscribers: eleven })).toThrow(
      "production.cost.budgetEmailSubscribers: 11 addresses exceed the 10 AWS Budgets allows per notification",
    );
  });

  it("an anomaly threshold that is not positive", () => {
    expect(build({ anomalyThresholds: { absoluteUsd: 0 } })).toThrow(
      "production.cost.anomalyThresholds.absoluteUsd: 0 is not a positive number",
    );
    expect(build({ anomalyThresholds: { percentage: -5 } })).toThrow(
      "production.cost.anomalyThresholds.percentage: -5 is not a positive number",
    );
  });

  it("missing topic ARNs", () => {
    const naming = new Naming("aivo", "production");
    expect(() =>
      Testing.synthScope((scope) => {
        new CostMonitoring(scope, "cost", { naming, monthlyBudgetUsd: 100, topicArns: { warning: "w", alert: "a" } as any });
      }),
    ).toThrow("production.cost: topicArns.critical is missing; pass AlertTopics.topicArns");
  });
});
