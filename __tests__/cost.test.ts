import { Testing, Token } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { ENVIRONMENTS } from "../environments";
import { parse } from "./helpers";
import { environmentErrors } from "../environments/validate";
import { DEFAULT_USAGE, PRICES, PRICED_REGIONS, estimateStack, usageErrors } from "../modules/shared/cost";
import { budgetFindings, overBudgetErrors } from "../modules/shared/cost/budget";
import { TerraformDocument } from "../modules/shared/guardrails";
import { costSection, stackCostDelta } from "../scripts/plan-review/cost";
import { PlanJson, ResourceChange } from "../scripts/plan-review/plan";
import { COMMENT_MARGIN, GITHUB_COMMENT_LIMIT, render } from "../scripts/plan-review/render";
import { review } from "../scripts/plan-review/review";

/**
 * A small stack, synthesized by cdktf: an EKS cluster with one node group (2 × m6i.large with 50 GB
 * roots), a NAT gateway, two KMS keys (one in us-west-2) and an IAM role.
 */
const smallStack = parse(
  Testing.synthScope((scope) => {
    new AwsProvider(scope, "aws", { region: "us-east-1" });
    const dr = new AwsProvider(scope, "aws-dr", { region: "us-west-2", alias: "dr" });
    const role = new IamRole(scope, "role", { assumeRolePolicy: "{}" });
    const cluster = new EksCluster(scope, "cluster", { name: "aivo-test-eks", roleArn: role.arn, version: "1.35", vpcConfig: { subnetIds: ["subnet-1"] } });
    const template = new LaunchTemplate(scope, "lt", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 50, volumeType: "gp3" } }] });
    new EksNodeGroup(scope, "general", {
      clusterName: cluster.name,
      nodeGroupNamePrefix: "aivo-test-general-",
      nodeRoleArn: role.arn,
      subnetIds: ["subnet-1"],
      instanceTypes: ["m6i.large"],
      capacityType: "ON_DEMAND",
      scalingConfig: { desiredSize: 2, minSize: 1, maxSize: 4 },
      launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
    });
    new NatGateway(scope, "nat", { allocationId: "eipalloc-1", subnetId: "subnet-1" });
    new KmsKey(scope, "a", { enableKeyRotation: true });
    new KmsKey(scope, "b", { enableKeyRotation: true, provider: dr });
  }),
) as TerraformDocument;

describe("the estimate of a known small stack", () => {
  const estimate = estimateStack("small", smallStack);

  it("gives the known total, a line per driver", () => {
    // EKS 0.10 × 730 = 73.00; EC2 2 × 0.096 × 730 = 140.16; EBS 2 × 50 × 0.08 = 8.00;
    // NAT 0.045 × 730 = 32.85 + 100 GB × 0.045 = 4.50; KMS 2 × 1.00 (one in each region).
    expect(estimate.totalUsd).toBe(260.51);
    const byDriver = Object.fromEntries(estimate.lines.map((l) => [`${l.driver} ${l.region}`, l.monthlyUsd]));
    expect(byDriver).toEqual({
      "EC2 m6i.large (node group general) us-east-1": 140.16,
      "EKS control planes us-east-1": 73,
      "NAT gateways us-east-1": 32.85,
      "EBS gp3 root volumes (node group general) us-east-1": 8,
      "NAT gateway data processed us-east-1": 4.5,
      "KMS customer-managed keys us-east-1": 1,
      "KMS customer-managed keys us-west-2": 1,
    });
    expect(estimate.lines.find((l) => l.driver.startsWith("EC2"))).toMatchObject({ count: 2, unitPriceUsd: 0.096, per: 730, perUnit: "h" });
    expect(estimate.notPriced).toEqual([]);
    expect(estimate.noChargeCount).toBe(2); // the IAM role and the launch template
  });

  it("takes the usage assumptions it is given", () => {
    const busier = estimateStack("small", smallStack, { usage: { ...DEFAULT_USAGE, natGbPerGateway: 1000 } });
    expect(busier.totalUsd).toBe(260.51 - 4.5 + 45);
  });

  it("lists an unknown resource type, an unpriced instance type and an unpriced region as not priced, never as zero", () => {
    const doc: TerraformDocument = {
      provider: { aws: [{ region: "us-east-1" }, { region: "eu-west-1", alias: "eu" }] },
      resource: {
        aws_imaginary_service: { thing: { size: 3 } },
        aws_eks_node_group: { odd: { instance_types: ["m9z.large"], scaling_config: { desired_size: 1 } } },
        aws_kms_key: { eu: { provider: "aws.eu" } },
      },
    };
    const e = estimateStack("odd", doc);
    expect(e.totalUsd).toBe(0);
    expect(e.notPriced).toEqual([
      { address: "aws_eks_node_group.odd", type: "aws_eks_node_group", reason: "EC2 m9z.large (node group unnamed): the price table has no row ec2:m9z.large" },
      { address: "aws_imaginary_service.thing", type: "aws_imaginary_service", reason: "no cost driver for this resource type" },
      { address: "aws_kms_key.eu", type: "aws_kms_key", reason: "region eu-west-1 is not in the price table" },
    ]);
  });

  it("has one price table whose every row names its source, the date read and its evidence, in both regions", () => {
    for (const row of PRICES) {
      expect([row.key, row.source]).toEqual([row.key, expect.stringMatching(/^https:\/\/aws\.amazon\.com\//)]);
      expect([row.key, row.read]).toEqual([row.key, expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/)]);
      expect([row.key, row.evidence.length > 10]).toEqual([row.key, true]);
      for (const region of PRICED_REGIONS) expect([row.key, row.usd[region] > 0]).toEqual([row.key, true]);
    }
    expect(new Set(PRICES.map((r) => r.key)).size).toBe(PRICES.length);
  });
});

describe("the budget rule", () => {
  const estimate = estimateStack("small", smallStack); // $260.51

  it("fails an estimate over budget that the config does not acknowledge, naming the excess and the largest drivers", () => {
    expect(budgetFindings("qa", 200, estimate)).toEqual([
      {
        severity: "error",
        message:
          "qa.cost.monthlyBudgetUsd: the estimate, $260.51/month, exceeds the budget of $200.00 by $60.51 (30 %); largest drivers: " +
          'EC2 m6i.large (node group general) $140.16; EKS control planes $73.00; NAT gateways $32.85. Lower the design (docs/cost.md, "Knobs"), ' +
          'raise the budget, or acknowledge it: qa.cost.overBudget = { upToUsd: 261, reason: "…" }',
      },
    ]);
  });

  it("warns when the acknowledgement covers it, fails again above its ceiling, and asks to remove a stale one", () => {
    expect(budgetFindings("qa", 200, estimate, { upToUsd: 300, reason: "load tests" })).toEqual([
      { severity: "warning", message: "qa.cost.overBudget: the estimate, $260.51/month, exceeds the budget of $200.00 by $60.51 (30 %), acknowledged up to $300.00: load tests" },
    ]);
    const [above] = budgetFindings("qa", 200, estimate, { upToUsd: 250, reason: "load tests" });
    expect(above.severity).toBe("error");
    expect(above.message).toMatch(/^qa\.cost\.overBudget\.upToUsd: the estimate, \$260\.51\/month, exceeds .* and the acknowledged \$250\.00; .* raise upToUsd to at least 261 or lower the design$/);
    expect(budgetFindings("qa", 500, estimate, { upToUsd: 600, reason: "x" })).toEqual([
      { severity: "warning", message: "qa.cost.overBudget: the estimate, $260.51/month, is within the budget of $500.00; remove the acknowledgement" },
    ]);
    expect(budgetFindings("qa", 500, estimate)).toEqual([]);
  });

  it("rejects a bad acknowledgement or usage assumption in the config, with the field and the fix", () => {
    expect(overBudgetErrors("qa.cost.overBudget", { upToUsd: 400, reason: " " }, 500)).toEqual([
      "qa.cost.overBudget.upToUsd: 400 is not an amount above monthlyBudgetUsd (500); an acknowledgement covers an estimate over the budget up to this ceiling",
      'qa.cost.overBudget.reason: " " is not a reason; say why the environment may cost more than its budget',
    ]);
    expect(overBudgetErrors("p", { upToUsd: Number.NaN, reason: "ok" }, 5)).toEqual([expect.stringMatching(/^p\.upToUsd: null is not an amount above/)]);
    expect(usageErrors("qa.cost.usage", { karpenterShare: 1.5, natGbPerGateway: -1, hoursPerMonth: 800, bogus: 1 } as never)).toEqual([
      "qa.cost.usage.karpenterShare: 1.5 is a share and must be within 0-1 (default 0.1)",
      "qa.cost.usage.natGbPerGateway: -1 is not a number ≥ 0 (default 100)",
      "qa.cost.usage.hoursPerMonth: 800 is outside 1-744 (a month has at most 744 hours; default 730)",
      expect.stringMatching(/^qa\.cost\.usage\.bogus: unknown usage assumption; known: hoursPerMonth, /),
    ]);
  });

  it("reports those config mistakes with the environment's other rules", () => {
    const config = ENVIRONMENTS[0];
    const bad = { ...config, cost: { ...config.cost, overBudget: { upToUsd: config.cost.monthlyBudgetUsd, reason: "" }, usage: { efsStorageGb: -5 } } };
    const messages = environmentErrors(bad).map((e) => e.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        `${config.name}.cost.usage.efsStorageGb: -5 is not a number ≥ 0 (default 100)`,
        expect.stringMatching(new RegExp(`^${config.name}\\.cost\\.overBudget\\.upToUsd: ${config.cost.monthlyBudgetUsd} is not an amount above`)),
        `${config.name}.cost.overBudget.reason: "" is not a reason; say why the environment may cost more than its budget`,
      ]),
    );
  });
});

/** A plan whose changes create, delete, replace and update priced and unpriced resources. */
function plan(changes: ResourceChange[]): PlanJson {
  return { format_version: "1.2", resource_changes: changes };
}
const change = (address: string, actions: string[], before: unknown, after: unknown): ResourceChange => ({
  address,
  type: address.split(".")[0],
  mode: "managed",
  change: { actions, before, after },
});

describe("the plan review's cost delta", () => {
  it("adds creates, removes deletes, and prices replacements and updates as after minus before", () => {
    const delta = stackCostDelta({
      stack: "staging",
      plan: plan([
        change("aws_nat_gateway.new", ["create"], null, { region: "us-east-1" }),
        change("aws_kms_key.old", ["delete"], { region: "us-east-1" }, null),
        change("aws_db_instance.db", ["update"], { instance_class: "db.t4g.medium", allocated_storage: 20, region: "us-east-1" }, { instance_class: "db.t4g.large", allocated_storage: 20, region: "us-east-1" }),
        change("aws_imaginary_service.x", ["create"], null, { region: "us-east-1" }),
        change("aws_iam_role.r", ["create"], null, {}),
        change("aws_kms_key.same", ["no-op"], {}, {}),
      ]),
    });
    expect(delta.resources).toEqual([
      { address: "aws_db_instance.db", actions: "update", deltaUsd: 46.72 }, // (0.129 - 0.065) × 730
      { address: "aws_nat_gateway.new", actions: "create", deltaUsd: 37.35 },
      { address: "aws_kms_key.old", actions: "delete", deltaUsd: -1 },
    ]);
    expect(delta).toMatchObject({ addedUsd: 84.07, removedUsd: 1, notPriced: 1 });
  });

  it("fits the comment's 65,536-character limit with hundreds of stacks and thousands of changes", () => {
    const plans = Array.from({ length: 120 }, (_, s) => ({
      stack: `environment-with-a-long-name-${s}-workloads`,
      plan: plan(Array.from({ length: 100 }, (_, i) => change(`aws_nat_gateway.gateway_with_a_rather_long_logical_id_${i}`, ["create"], null, { region: "us-east-1" }))),
    }));
    const section = costSection(plans);
    expect(section.join("\n").length).toBeLessThanOrEqual(8_000);
    expect(section[0]).toBe("### Cost delta (monthly, on-demand list prices)");
    const comment = render(review(plans), { cost: section });
    expect(comment.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT - COMMENT_MARGIN);
    expect(comment).toContain("### Cost delta (monthly, on-demand list prices)");
    const small = costSection(plans.slice(0, 2));
    expect(small).toContain("| `environment-with-a-long-name-0-workloads` | +$3,735.00 | $0.00 | **+$3,735.00** | 0 |");
    expect(small).toContain("- … 92 more priced change(s)");
  });
});

describe("off-hours schedules read from the stacks", () => {
  const weekdays = { start: "0 7 * * 1,2,3,4,5", stop: "0 20 * * 1,2,3,4,5" }; // 65 of 168 hours
  const doc: TerraformDocument = {
    provider: { aws: [{ region: "us-east-1" }] },
    resource: {
      aws_eks_node_group: { general: { instance_types: ["m6i.large"], scaling_config: { desired_size: 2 } } },
      aws_autoscaling_schedule: {
        start: { autoscaling_group_name: "${aws_eks_node_group.general.resources[0].autoscaling_groups[0].name}", desired_capacity: 2, recurrence: weekdays.start },
        stop: { autoscaling_group_name: "${aws_eks_node_group.general.resources[0].autoscaling_groups[0].name}", desired_capacity: 0, recurrence: weekdays.stop },
      },
      aws_db_instance: { db: { identifier: "aivo-qa-postgres", instance_class: "db.t4g.medium" } },
      aws_synthetics_canary: { api: { name: "aivo-qa-api", schedule: { expression: "rate(15 minutes)" } } },
      aws_scheduler_schedule: Object.fromEntries(
        [["rds", "DbInstanceIdentifier", "aivo-qa-postgres", "DBInstance"], ["synthetics", "Name", "aivo-qa-api", "Canary"]].flatMap(([service, key, name, what]) =>
          (["start", "stop"] as const).map((verb) => [
            `${service}-${verb}`,
            {
              schedule_expression: `cron(0 ${verb === "start" ? 7 : 20} ? * MON-FRI *)`,
              target: { arn: `arn:aws:scheduler:::aws-sdk:${service}:${verb}${what}`, input: JSON.stringify({ [key]: name }) },
            },
          ]),
        ),
      ),
    },
  };
  const share = 65 / 168;

  it("bills a scaled-down node group, a stopped database and a stopped canary for the share of the week they run", () => {
    const lines = Object.fromEntries(estimateStack("qa", doc).lines.map((l) => [l.type, l]));
    expect(lines.aws_eks_node_group).toMatchObject({ count: Math.round(2 * share * 100) / 100, per: 730 });
    expect(lines.aws_db_instance).toMatchObject({ count: 1, per: Math.round(730 * share * 100) / 100 });
    expect(lines.aws_synthetics_canary).toMatchObject({ count: 1, per: Math.round(((730 * 60) / 15) * share) });
    expect(lines.aws_eks_node_group.driver).toBe("EC2 m6i.large (node group unnamed, 2 nodes 39 % of the week, 0 off-hours)");
  });

  it("bills them all month without their schedules", () => {
    const always = estimateStack("qa", { ...doc, resource: { ...doc.resource, aws_autoscaling_schedule: {}, aws_scheduler_schedule: {} } });
    const lines = Object.fromEntries(always.lines.map((l) => [l.type, l]));
    expect([lines.aws_eks_node_group.count, lines.aws_db_instance.per, lines.aws_synthetics_canary.per]).toEqual([2, 730, 2920]);
  });
});
