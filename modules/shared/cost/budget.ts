/**
 * The budget rule: an environment's estimate against its `cost.monthlyBudgetUsd`. Over budget is an
 * error at synth unless the config acknowledges it (`cost.overBudget`), then a warning; the
 * acknowledgement names a ceiling, so an estimate that keeps growing fails again.
 */
import { CostLine } from "./index";

/** An estimate over budget that the team has accepted, with its why and a ceiling. */
export interface OverBudgetAcknowledgement {
  /** The most the estimate may reach before synthesis fails again (USD per month, above the budget). */
  readonly upToUsd: number;
  /** Why the environment may cost more than its budget (shown with every warning). */
  readonly reason: string;
}

/** One outcome of the rule. */
export interface BudgetFinding {
  readonly severity: "error" | "warning";
  readonly message: string;
}

const usd = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The `n` largest drivers of an estimate, summed by driver name across stacks: `EC2 m6i.large … $420.48`. */
export function largestDrivers(lines: readonly CostLine[], n = 3): string {
  const sums = new Map<string, number>();
  for (const l of lines) sums.set(l.driver, (sums.get(l.driver) ?? 0) + l.monthlyUsd);
  return [...sums]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([driver, total]) => `${driver} ${usd(total)}`)
    .join("; ");
}

/** The config mistakes of an acknowledgement (`<env>.cost.overBudget.<field>: …`), none when it is valid. */
export function overBudgetErrors(path: string, ack: OverBudgetAcknowledgement, budgetUsd: number): string[] {
  const errors: string[] = [];
  if (typeof ack.upToUsd !== "number" || !Number.isFinite(ack.upToUsd) || ack.upToUsd <= budgetUsd) {
    errors.push(
      `${path}.upToUsd: ${JSON.stringify(ack.upToUsd)} is not an amount above monthlyBudgetUsd (${budgetUsd}); an acknowledgement covers an estimate over the budget up to this ceiling`,
    );
  }
  if (typeof ack.reason !== "string" || ack.reason.trim() === "") {
    errors.push(`${path}.reason: ${JSON.stringify(ack.reason)} is not a reason; say why the environment may cost more than its budget`);
  }
  return errors;
}

/**
 * Compares an environment's estimate with its budget: nothing when it fits (a warning when an
 * acknowledgement is left over), an error when it is over and unacknowledged or over the
 * acknowledged ceiling, a warning when the acknowledgement covers it.
 */
export function budgetFindings(
  environment: string,
  budgetUsd: number,
  estimate: { readonly totalUsd: number; readonly lines: readonly CostLine[] },
  ack?: OverBudgetAcknowledgement,
): BudgetFinding[] {
  const total = estimate.totalUsd;
  const over = total - budgetUsd;
  const path = `${environment}.cost`;
  if (over <= 0) {
    return ack
      ? [{ severity: "warning", message: `${path}.overBudget: the estimate, ${usd(total)}/month, is within the budget of ${usd(budgetUsd)}; remove the acknowledgement` }]
      : [];
  }
  const excess = `the estimate, ${usd(total)}/month, exceeds the budget of ${usd(budgetUsd)} by ${usd(over)} (${Math.round((over / budgetUsd) * 100)} %)`;
  const drivers = `largest drivers: ${largestDrivers(estimate.lines)}`;
  if (!ack) {
    return [
      {
        severity: "error",
        message:
          `${path}.monthlyBudgetUsd: ${excess}; ${drivers}. Lower the design (docs/cost.md, "Knobs"), raise the budget, ` +
          `or acknowledge it: ${path}.overBudget = { upToUsd: ${Math.ceil(total)}, reason: "…" }`,
      },
    ];
  }
  if (total > ack.upToUsd) {
    return [
      {
        severity: "error",
        message: `${path}.overBudget.upToUsd: ${excess} and the acknowledged ${usd(ack.upToUsd)}; ${drivers}. Review the increase, then raise upToUsd to at least ${Math.ceil(total)} or lower the design`,
      },
    ];
  }
  return [{ severity: "warning", message: `${path}.overBudget: ${excess}, acknowledged up to ${usd(ack.upToUsd)}: ${ack.reason.trim()}` }];
}
