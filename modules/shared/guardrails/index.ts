import { Aspects, IAspect, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { Finding, Rule, TerraformDocument, evaluate } from "./engine";
import { RULES } from "./rules";
import { QuotaCheck, checkQuotas, formatExceeded, formatRequested, quotaSummary } from "../quotas";

export type { Finding, Rule, Severity, TerraformDocument } from "./engine";
export { evaluate } from "./engine";
export { RULES } from "./rules";

/** A rule switched off for a construct and everything under it, with the reason why that is right. */
export interface Suppression {
  /** The rule switched off. */
  readonly ruleId: string;
  /** Why that is right here: shown in every report. */
  readonly reason: string;
  /** The construct path it is attached to (`development/database`). */
  readonly constructPath: string;
}

/** A rule's finding, with the suppression that covers it, if any. */
export interface Violation {
  /** The rule that fails. */
  readonly rule: Rule;
  /** What fails, where. */
  readonly finding: Finding;
  /** The suppression covering it. @default none: the violation counts */
  readonly suppressedBy?: Suppression;
}

/** What the guardrails found in one stack. */
export interface StackResult {
  /** The stack's id (`development`). */
  readonly stack: string;
  /** Findings no suppression covers: errors fail synthesis, warnings are printed. */
  readonly violations: readonly Violation[];
  /** Findings a suppression covers. */
  readonly suppressed: readonly Violation[];
  /** Suppressions in the stack that matched nothing: stale, to be removed. */
  readonly unusedSuppressions: readonly Suppression[];
  /** How many resources the stack has (data sources not counted). */
  readonly resourceCount: number;
}

/** The ids of the rule pack. */
export const RULE_IDS: ReadonlySet<string> = new Set(RULES.map((r) => r.id));

const suppressions = new WeakMap<IConstruct, Suppression[]>();
const results = new WeakMap<TerraformStack, StackResult>();
/** The synthesized JSON each result was computed from: the quota check reads all of them together. */
const documents = new WeakMap<TerraformStack, TerraformDocument>();
const guardedStacks = new WeakSet<TerraformStack>();
const guardedApps = new WeakSet<IConstruct>();

const isCovered = (constructPath: string, suppression: Suppression) =>
  constructPath === suppression.constructPath || constructPath.startsWith(`${suppression.constructPath}/`);

/**
 * Marks the start of a synthesis of the stack: the previous result is dropped, and the next
 * `toTerraform()` of the stack (the synthesizer's own, see `Guardrails.record`) is checked, so the
 * rules read the final JSON without resolving the stack a second time. When nothing records one
 * (HCL output, a stack that does not call `record`), `resultOf` checks the stack itself.
 */
class GuardrailsAspect implements IAspect {
  constructor(private readonly stack: TerraformStack) {}

  visit(node: IConstruct): void {
    if (node === this.stack) {
      results.delete(this.stack);
      documents.delete(this.stack);
    }
  }
}

/**
 * Policy guardrails at synth time: a rule pack (`RULES`) evaluated over each stack's resolved
 * Terraform, with suppressions that carry their reasons in the code.
 *
 *   Guardrails.applyTo(stack);                     // PlatformStack does this for every stack
 *   Guardrails.suppress(database, "AIVO-RDS-DELETION-PROTECTION", "development is rebuilt at will");
 */
export class Guardrails {
  /**
   * Checks `stack` at every synthesis. Error-severity violations of any stack of the app fail
   * `app.synth()` (after every stack is evaluated, so one run lists them all).
   */
  static applyTo(stack: TerraformStack): void {
    guardedStacks.add(stack);
    Aspects.of(stack).add(new GuardrailsAspect(stack));
    const root = stack.node.root;
    if (guardedApps.has(root)) return;
    guardedApps.add(root);
    root.node.addValidation({
      validate: () => [
        ...Guardrails.resultsOf(root).flatMap((r) => errorsOf(r).map(formatViolation)),
        ...Guardrails.quotaChecksOf(root).filter((c) => c.status === "exceeded").map(formatExceeded),
      ],
    });
  }

  /**
   * Switches `ruleId` off for `scope` and every construct under it (a resource, a module, a stack).
   * Throws when the rule id is unknown or the reason is empty: an exception needs its why.
   */
  static suppress(scope: IConstruct, ruleId: string, reason: string): void {
    const path = scope.node.path;
    if (!RULE_IDS.has(ruleId)) {
      throw new Error(`${path}: suppression of ${JSON.stringify(ruleId)}: unknown rule id; known ids: ${[...RULE_IDS].join(", ")}`);
    }
    if (typeof reason !== "string" || reason.trim() === "") {
      throw new Error(`${path}: suppression of ${ruleId}: ${JSON.stringify(reason)} is not a reason; say why the rule does not apply here`);
    }
    const list = suppressions.get(scope) ?? [];
    list.push({ ruleId, reason: reason.trim(), constructPath: path });
    suppressions.set(scope, list);
  }

  /** The suppressions attached to `scope` or any construct under it. */
  static suppressionsIn(scope: IConstruct): Suppression[] {
    return scope.node.findAll().flatMap((c) => suppressions.get(c) ?? []);
  }

  /**
   * Records the check of a guarded stack's synthesized JSON: `PlatformStack.toTerraform()` passes
   * its output here, so synthesis resolves each stack once, for the file and the rules alike.
   */
  static record(stack: TerraformStack, doc: TerraformDocument): void {
    if (!guardedStacks.has(stack)) return;
    documents.set(stack, doc);
    results.set(stack, Guardrails.check(stack, doc));
  }

  /** Evaluates the rule pack over `stack`'s resolved Terraform (`doc`, or resolved now) and applies its suppressions. */
  static check(stack: TerraformStack, doc: TerraformDocument = stack.toTerraform(), rules: readonly Rule[] = RULES): StackResult {
    const stackSuppressions = Guardrails.suppressionsIn(stack);
    const used = new Set<Suppression>();
    const violations: Violation[] = [];
    const suppressed: Violation[] = [];
    for (const { rule, finding } of evaluate(doc, rules)) {
      const path = finding.constructPath ?? stack.node.path;
      const suppressedBy = stackSuppressions.find((s) => s.ruleId === rule.id && isCovered(path, s));
      if (suppressedBy) {
        used.add(suppressedBy);
        suppressed.push({ rule, finding, suppressedBy });
      } else violations.push({ rule, finding });
    }
    const resourceCount = Object.values(doc.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
    return {
      stack: stack.node.id,
      violations,
      suppressed,
      unusedSuppressions: stackSuppressions.filter((s) => !used.has(s)),
      resourceCount,
    };
  }

  /** The result of the last synthesis of a guarded `stack`, checking it now if none was recorded; `undefined` for an unguarded one. */
  static resultOf(stack: TerraformStack): StackResult | undefined {
    if (!guardedStacks.has(stack)) return undefined;
    if (!results.has(stack)) {
      const doc = stack.toTerraform(); // a PlatformStack records itself on the way
      if (!results.has(stack)) Guardrails.record(stack, doc);
    }
    return results.get(stack);
  }

  /**
   * The service-quota check (modules/shared/quotas) over every guarded stack under `scope` together:
   * one account, counted per region, from the same synthesized JSON the rules read.
   */
  static quotaChecksOf(scope: IConstruct): QuotaCheck[] {
    const stacks = guardedStacksOf(scope).flatMap((s) => (Guardrails.resultOf(s) ? [{ stack: s.node.id, doc: documents.get(s)! }] : []));
    return checkQuotas(stacks);
  }

  /** The results of every guarded stack under `scope` (an app), in construct order. */
  static resultsOf(scope: IConstruct): StackResult[] {
    return guardedStacksOf(scope).flatMap((s) => Guardrails.resultOf(s) ?? []);
  }
}

/** The guarded stacks under `scope`, in construct order. */
function guardedStacksOf(scope: IConstruct): TerraformStack[] {
  return scope.node
    .findAll()
    .filter((c): c is TerraformStack => TerraformStack.isStack(c) && guardedStacks.has(c));
}

/** The error-severity violations of a result. */
export function errorsOf(result: StackResult): Violation[] {
  return result.violations.filter((v) => v.rule.severity === "error");
}

/** The warning-severity violations of a result. */
export function warningsOf(result: StackResult): Violation[] {
  return result.violations.filter((v) => v.rule.severity === "warning");
}

/** One line: `[RULE-ID] <construct path> (<terraform address>): <detail>: <message>. Fix: <fix>`. */
export function formatViolation(v: Violation): string {
  const where = v.finding.constructPath ? `${v.finding.constructPath} (${v.finding.address})` : v.finding.address;
  return `[${v.rule.id}] ${where}: ${v.finding.detail}: ${v.rule.message}. Fix: ${v.rule.fix}`;
}

/** The one summary line of a stack. */
export function summaryLine(r: StackResult): string {
  return (
    `guardrails ${r.stack}: ${errorsOf(r).length} error(s), ${warningsOf(r).length} warning(s), ` +
    `${r.suppressed.length} suppressed, ${r.unusedSuppressions.length} unused suppression(s) ` +
    `(${RULES.length} rules, ${r.resourceCount} resources)`
  );
}

/**
 * Prints the guardrails' outcome for every stack of `app` — each error and warning with its rule,
 * construct path, address and fix, and each unused suppression, to `report` (stderr); one summary
 * line per stack and the totals to `info` (stdout, which the cdktf CLI shows without an [ERROR]
 * prefix) — and returns the exit code: 1 when any error-severity violation remains, else 0.
 */
export function reportGuardrails(
  app: IConstruct,
  report: (line: string) => void = console.error,
  info: (line: string) => void = console.log,
): number {
  const all = Guardrails.resultsOf(app);
  const errors = all.flatMap(errorsOf);
  const warnings = all.flatMap(warningsOf);
  for (const v of warnings) report(`warning: ${formatViolation(v)}`);
  for (const r of all) {
    for (const s of r.unusedSuppressions) report(`warning: unused suppression of ${s.ruleId} on ${s.constructPath} ("${s.reason}"): remove it`);
  }
  for (const v of errors) report(`error: ${formatViolation(v)}`);
  const quotas = Guardrails.quotaChecksOf(app);
  const exceeded = quotas.filter((c) => c.status === "exceeded");
  for (const c of exceeded) report(`error: ${formatExceeded(c)}`);
  for (const c of quotas.filter((q) => q.status === "requested")) info(formatRequested(c));
  info(quotaSummary(quotas));
  for (const r of all) info(summaryLine(r));
  const unused = all.reduce((n, r) => n + r.unusedSuppressions.length, 0);
  info(`guardrails: ${errors.length} error(s), ${warnings.length} warning(s), ${unused} unused suppression(s) in ${all.length} stack(s)`);
  return errors.length || exceeded.length ? 1 : 0;
}

/**
 * True when `app`'s synthesis left error-severity violations. Only results already recorded count
 * (none are computed here), so a mistake thrown while the stacks were being built is never mistaken
 * for, or hidden behind, a guardrails failure.
 */
export function guardrailsFailed(app: IConstruct): boolean {
  const stacks = guardedStacksOf(app);
  const recorded = stacks.filter((s) => documents.has(s));
  if (recorded.some((s) => errorsOf(results.get(s)!).length > 0)) return true;
  // Quotas are counted over the whole app: only once every stack was synthesized.
  return recorded.length > 0 && recorded.length === stacks.length && Guardrails.quotaChecksOf(app).some((c) => c.status === "exceeded");
}
