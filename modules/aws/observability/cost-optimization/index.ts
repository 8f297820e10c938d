import { Construct } from "constructs";
import { ComputeoptimizerEnrollmentStatus } from "@cdktf/provider-aws/lib/computeoptimizer-enrollment-status";
import { CostoptimizationhubEnrollmentStatus } from "@cdktf/provider-aws/lib/costoptimizationhub-enrollment-status";
import { CostoptimizationhubPreferences } from "@cdktf/provider-aws/lib/costoptimizationhub-preferences";

/**
 * Right-sizing and waste, once per account: the account enrolled in AWS Compute Optimizer (EC2
 * instances and Auto Scaling groups, EBS volumes, Lambda functions, RDS instances: recommendations
 * from 14 days of CloudWatch metrics) and in Cost Optimization Hub, which gathers those
 * recommendations with idle-resource, Savings Plans and reserved-instance ones in one list. Nothing
 * here buys anything: purchases stay a human decision (docs/architecture-choices.md).
 */
export class CostOptimization extends Construct {
  /** The Compute Optimizer enrolment (`status` Active). */
  readonly computeOptimizer: ComputeoptimizerEnrollmentStatus;
  /** The Cost Optimization Hub enrolment. */
  readonly costOptimizationHub: CostoptimizationhubEnrollmentStatus;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // A standalone account: member accounts would be an organization management account's choice.
    this.computeOptimizer = new ComputeoptimizerEnrollmentStatus(this, "compute-optimizer", { status: "Active", includeMemberAccounts: false });
    this.costOptimizationHub = new CostoptimizationhubEnrollmentStatus(this, "cost-optimization-hub", {
      includeMemberAccounts: false,
      // The hub shows Compute Optimizer's right-sizing findings: enrol there first.
      dependsOn: [this.computeOptimizer],
    });
    new CostoptimizationhubPreferences(this, "cost-optimization-hub-preferences", {
      // Savings net of the discounts the account already has (Savings Plans, RIs), so no saving is counted twice.
      savingsEstimationMode: "AfterDiscounts",
      dependsOn: [this.costOptimizationHub],
    });
  }
}
