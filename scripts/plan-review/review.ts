/**
 * The review of a set of stack plans: counts per stack, the dangerous changes (stateful resources
 * destroyed or replaced) and whether they block the pull request.
 */
import { replacePaths } from "./attributes";
import { ChangeKind, ClassifiedChange, DESTROYING_KINDS, PlanJson, classify, isVisible } from "./plan";
import { StatefulCategory, statefulCategory } from "./stateful";

/** Environments whose stacks (`production`, `production-addons`, `production-dr` …) are protected by default. */
export const DEFAULT_PROTECTED_ENVIRONMENTS: readonly string[] = ["production"];

/** The file listing the stateful destroys a pull request means to make (see README, "How CI reviews plans"). */
export const ALLOW_LIST_FILE = ".github/plan-review/allow-destroy.txt";

/** One stack's plan, as given on the command line. */
export interface StackPlan {
  readonly stack: string;
  readonly plan: PlanJson;
}

/** A stateful resource the plan destroys or replaces (or changes in a way the reviewer can't read). */
export interface DangerousChange {
  readonly stack: string;
  readonly address: string;
  readonly type: string;
  /** What the resource holds; `unknown action` for an action list the reviewer does not know. */
  readonly category: StatefulCategory | "unknown action";
  readonly kind: ChangeKind;
  readonly reason: string;
  /** The attributes Terraform says force the replacement (`replace_paths`), e.g. `kms_key_id`. */
  readonly replacePaths: readonly string[];
  /** The stack is protected (production by default). */
  readonly protected: boolean;
  /** `<stack> <address>` was added to the allow-list file in this pull request. */
  readonly allowed: boolean;
}

export type CountKey = ChangeKind | "import" | "move" | "drift";

/** The review of one stack. */
export interface StackReview {
  readonly stack: string;
  readonly terraformVersion?: string;
  readonly protected: boolean;
  /** Terraform flagged the plan as errored (`errored: true`): it is incomplete and can't be applied. */
  readonly errored: boolean;
  readonly counts: Readonly<Record<CountKey, number>>;
  /** Every change a reviewer should see (no plain no-ops), in plan order. */
  readonly changes: readonly ClassifiedChange[];
  /** Objects changed outside Terraform since the last apply. */
  readonly drift: readonly ClassifiedChange[];
  readonly dangerous: readonly DangerousChange[];
}

/** The review of every stack of one pull request. */
export interface Review {
  readonly stacks: readonly StackReview[];
  /** Dangerous changes in protected stacks that are not allow-listed: the pull request is blocked. */
  readonly blocking: readonly DangerousChange[];
}

export interface ReviewOptions {
  /** @default DEFAULT_PROTECTED_ENVIRONMENTS */
  readonly protectedEnvironments?: readonly string[];
  /** `<stack> <address>` entries added to the allow-list file in this pull request. @default none */
  readonly allowed?: ReadonlySet<string>;
}

/** A stack belongs to a protected environment when it is named after it or `<environment>-…`. */
export function isProtected(stack: string, environments: readonly string[]): boolean {
  return environments.some((env) => stack === env || stack.startsWith(`${env}-`));
}

/** The allow-list key of a change. */
export function allowKey(stack: string, address: string): string {
  return `${stack} ${address}`;
}

/**
 * Parses allow-list lines: `<stack> <address>`, `#` starts a comment, blank lines are skipped.
 * Throws on a line without both parts, naming the line.
 */
export function parseAllowList(lines: readonly string[], source: string): Set<string> {
  const entries = new Set<string>();
  lines.forEach((raw, i) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") return;
    const match = /^(\S+)\s+(\S.*)$/.exec(line);
    if (!match) throw new Error(`${source}:${i + 1}: "${raw.trim()}" is not "<stack> <resource address>"`);
    entries.add(allowKey(match[1], match[2].trim()));
  });
  return entries;
}

/** The lines a unified diff (`git diff base head -- <file>`) adds: only those count as allowed in this pull request. */
export function addedLines(diff: string): string[] {
  return diff
    .split("\n")
    .filter((line) => line.startsWith("+") && !line.startsWith("+++"))
    .map((line) => line.slice(1));
}

function emptyCounts(): Record<CountKey, number> {
  return {
    create: 0, update: 0, delete: 0, "replace-destroy-first": 0, "replace-create-first": 0, "replace-forget": 0,
    read: 0, "no-op": 0, forget: 0, unknown: 0, import: 0, move: 0, drift: 0,
  };
}

/** Reviews one stack's plan. */
export function reviewStack(input: StackPlan, options: ReviewOptions = {}): StackReview {
  const protectedEnvironments = options.protectedEnvironments ?? DEFAULT_PROTECTED_ENVIRONMENTS;
  const allowed = options.allowed ?? new Set<string>();
  const isProt = isProtected(input.stack, protectedEnvironments);
  const counts = emptyCounts();
  const changes: ClassifiedChange[] = [];
  const dangerous: DangerousChange[] = [];
  for (const rc of input.plan.resource_changes ?? []) {
    const c = classify(rc);
    counts[c.kind] += 1;
    if (c.importing) counts.import += 1;
    if (c.movedFrom !== undefined) counts.move += 1;
    if (isVisible(c)) changes.push(c);
    if (c.mode !== "managed" || !DESTROYING_KINDS.has(c.kind)) continue;
    const category = c.kind === "unknown" ? "unknown action" : statefulCategory(c.type, c.change?.before);
    if (category === undefined) continue;
    dangerous.push({
      stack: input.stack,
      address: c.address,
      type: c.type,
      category,
      kind: c.kind,
      reason: c.reason,
      replacePaths: replacePaths(c.change),
      protected: isProt,
      allowed: allowed.has(allowKey(input.stack, c.address)),
    });
  }
  const drift = (input.plan.resource_drift ?? []).map(classify);
  counts.drift = drift.length;
  return {
    stack: input.stack,
    ...(input.plan.terraform_version ? { terraformVersion: input.plan.terraform_version } : {}),
    protected: isProt,
    errored: input.plan.errored === true,
    counts,
    changes,
    drift,
    dangerous,
  };
}

/** Reviews every stack; the pull request is blocked by unallowed dangerous changes in protected stacks. */
export function review(plans: readonly StackPlan[], options: ReviewOptions = {}): Review {
  const stacks = plans.map((p) => reviewStack(p, options));
  return {
    stacks,
    blocking: stacks.flatMap((s) => s.dangerous.filter((d) => d.protected && !d.allowed)),
  };
}
