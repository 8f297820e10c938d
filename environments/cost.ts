/**
 * The platform's cost estimate from its synthesized stacks: per environment (its stacks, the DR stack
 * in its region included) and for the shared stacks (bootstrap, account), each environment against
 * its `cost.monthlyBudgetUsd`. `npm run synth` checks the budgets; `npm run cost` prints the tables and
 * writes docs/cost.md.
 */
import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { TerraformDocument } from "../modules/shared/guardrails";
import { StackEstimate, accountFeatures, estimateStack, totalOf, usageWith } from "../modules/shared/cost";
import { BudgetFinding, budgetFindings } from "../modules/shared/cost/budget";
import { UsageAssumptions } from "../modules/shared/cost/usage";
import { ACCOUNT_STACK } from "./account-stack";
import { BOOTSTRAP_STACK } from "./bootstrap-stack";
import { drStackName } from "./dr-stack";
import { KUBERNETES_STACKS, kubernetesStackName } from "./kubernetes-stack";
import { synthesizedDocument } from "./platform-stack";
import { EnvironmentConfig } from "./types";

/** One environment's estimate. */
export interface EnvironmentEstimate {
  readonly config: EnvironmentConfig;
  readonly usage: UsageAssumptions;
  /** Its stacks, in deployment order (`<env>`, the Kubernetes stacks, `<env>-dr`). */
  readonly stacks: readonly StackEstimate[];
  readonly totalUsd: number;
  readonly findings: readonly BudgetFinding[];
}

/** The whole platform's estimate. */
export interface PlatformEstimate {
  readonly environments: readonly EnvironmentEstimate[];
  /** The stacks no environment owns (bootstrap, account), at the default usage. */
  readonly shared: readonly StackEstimate[];
}

/** The stacks of an environment, by name, in deployment order. */
export function environmentStackNames(config: EnvironmentConfig): string[] {
  return [config.name, ...KUBERNETES_STACKS.map((kind) => kubernetesStackName(config.name, kind)), ...(config.dr ? [drStackName(config.name)] : [])];
}

/**
 * Estimates every environment from the synthesized documents (by stack name). GuardDuty Runtime
 * Monitoring and Inspector EC2 scanning bill per node of each environment when the account stack turns
 * them on. A stack missing from `docs` is skipped.
 */
export function estimatePlatform(docs: Readonly<Record<string, TerraformDocument>>, environments: readonly EnvironmentConfig[]): PlatformEstimate {
  const account = docs[ACCOUNT_STACK] ? accountFeatures(docs[ACCOUNT_STACK]) : undefined;
  const envs = environments.map((config) => {
    const usage = usageWith(config.cost.usage);
    const stacks = environmentStackNames(config)
      .filter((name) => docs[name])
      .map((name) => estimateStack(name, docs[name], { usage, account, defaultRegion: config.region }));
    const lines = stacks.flatMap((s) => s.lines);
    const totalUsd = totalOf(stacks);
    return { config, usage, stacks, totalUsd, findings: budgetFindings(config.name, config.cost.monthlyBudgetUsd, { totalUsd, lines }, config.cost.overBudget) };
  });
  const shared = [BOOTSTRAP_STACK, ACCOUNT_STACK].filter((name) => docs[name]).map((name) => estimateStack(name, docs[name]));
  return { environments: envs, shared };
}

/** The documents of every stack of `app` its last synthesis recorded, by stack name. */
export function appDocuments(app: IConstruct): Record<string, TerraformDocument> {
  const stacks = app.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
  return Object.fromEntries(stacks.flatMap((s) => {
    const doc = synthesizedDocument(s);
    return doc ? [[s.node.id, doc] as const] : [];
  }));
}
