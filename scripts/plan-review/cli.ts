/**
 * `npm run plan-review -- [command] [options] …` — see README, "How CI reviews plans".
 *
 *   review (default)  <[stack=]plan.json>…  print one markdown comment for all stacks; exit 1 when
 *                     a protected stack destroys a stateful resource that is not allow-listed, or a
 *                     plan errored.
 *       --comment <file>          write the comment there instead of stdout
 *       --summary <file>          also write the full review (job-summary size) there
 *       --allow-list <file>       every `<stack> <address>` line of the file is allowed
 *       --allow-list-diff <file>  only the lines a unified diff adds are allowed (CI: the pull request's diff)
 *       --protect <env,…>         protected environments (default: production)
 *       --unplanned <stack,…>     changed stacks CI does not plan (local state), named in the comment;
 *                                 with it, no plan at all is a valid review
 *       --environments <env,…>    the platform's environments (default: ENVIRONMENTS); a plan whose
 *                                 stack is not one of theirs nor account-wide is refused, so a file
 *                                 name like `plan.json` never passes as an unprotected stack "plan"
 *   changed-stacks --base <outdir> --head <outdir> [--github-output <file>] [--environments <env,…>]
 *                     the stacks whose synthesized JSON changed, CI-plannable, in dependency order;
 *                     a stack's environment is the longest name of ENVIRONMENTS (or --environments)
 *                     it equals or starts with `<name>-`, else the stack itself (`account`)
 *   compare <reviewed.json> <current.json>
 *                     exit 1 unless both plans propose the same changes
 *   redact <plan.json> <out.json>
 *                     the plan without sensitive values and state, as CI keeps it in artifacts
 *   drift [stack=]<plan.json> [--body <file>] [--github-output <file>]
 *                     the objects changed outside Terraform, as an issue body
 *
 * A stack's name is `<stack>=` before the path, or else the file name without `.json`
 * (`plans/production.json` → `production`).
 */
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { comparePlans } from "./compare";
import { parsePlan, redactPlan } from "./plan";
import { JOB_SUMMARY_LIMIT, code, render } from "./render";
import { DEFAULT_PROTECTED_ENVIRONMENTS, StackPlan, addedLines, parseAllowList, review, reviewStack } from "./review";
import { changedStacks } from "./stacks";
import { ACCOUNT_WIDE_STACKS, isPlatformStack } from "../../environments/stack-names";

/** A command-line mistake: printed as one line, exit code 2. */
export class UsageError extends Error {}

interface Parsed {
  readonly positional: string[];
  readonly options: Record<string, string>;
}

function parseArgs(args: readonly string[], known: readonly string[]): Parsed {
  const positional: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const name = arg.slice(2);
    if (!known.includes(name)) throw new UsageError(`unknown option ${arg}; known: ${known.map((k) => `--${k}`).join(", ")}`);
    const value = args[i + 1];
    if (value === undefined || value.startsWith("--")) throw new UsageError(`${arg} needs a value`);
    options[name] = value;
    i++;
  }
  return { positional, options };
}

/** `stack=path` or `path` (stack = file name without `.json`). */
export function stackOf(arg: string): { stack: string; path: string } {
  const eq = arg.indexOf("=");
  if (eq > 0) return { stack: arg.slice(0, eq), path: arg.slice(eq + 1) };
  return { stack: basename(arg).replace(/\.json$/, "").replace(/\.plan$/, ""), path: arg };
}

function readPlan(arg: string): StackPlan {
  const { stack, path } = stackOf(arg);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return { stack, plan: parsePlan(text, path) };
}

/** What a command prints and its exit code; `run` does the writing. */
export interface Outcome {
  readonly stdout: string;
  readonly exitCode: number;
}

function runReview(args: readonly string[]): Outcome {
  const { positional, options } = parseArgs(args, ["comment", "summary", "allow-list", "allow-list-diff", "protect", "unplanned", "environments"]);
  const unplanned = (options.unplanned ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  // With --unplanned (CI), no plan at all is a valid review: nothing with remote state changed.
  if (positional.length === 0 && options.unplanned === undefined) {
    throw new UsageError("review: pass at least one plan JSON (`terraform show -json <planfile> > <stack>.json`)");
  }
  const plans = positional.map(readPlan);
  const duplicate = plans.find((p, i) => plans.findIndex((q) => q.stack === p.stack) !== i);
  if (duplicate) throw new UsageError(`review: stack "${duplicate.stack}" is given twice; name them with <stack>=<path>`);
  assertKnownStacks(positional, plans, options.environments);
  const allowed = new Set<string>();
  if (options["allow-list"]) {
    for (const e of parseAllowList(readFileSync(options["allow-list"], "utf8").split("\n"), options["allow-list"])) allowed.add(e);
  }
  if (options["allow-list-diff"]) {
    for (const e of parseAllowList(addedLines(readFileSync(options["allow-list-diff"], "utf8")), `${options["allow-list-diff"]} (added lines)`)) allowed.add(e);
  }
  const protectedEnvironments = options.protect !== undefined ? options.protect.split(",").map((s) => s.trim()).filter(Boolean) : DEFAULT_PROTECTED_ENVIRONMENTS;
  const result = review(plans, { protectedEnvironments, allowed });
  const comment = render(result, { unplanned });
  if (options.summary) {
    writeFileSync(options.summary, render(result, { limit: JOB_SUMMARY_LIMIT - 1_000, fullPlansAt: "the workflow run's plan artifacts", unplanned }));
  }
  const failed = result.blocking.length > 0 || result.stacks.some((s) => s.errored);
  if (options.comment) {
    writeFileSync(options.comment, comment);
    return { stdout: "", exitCode: failed ? 1 : 0 };
  }
  return { stdout: comment, exitCode: failed ? 1 : 0 };
}

/** ENVIRONMENTS' names, in order. Loaded only when needed: it imports every environment's config and module. */
function environmentNames(): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily: importing environments/ loads every module, which the other commands never need
  const { ENVIRONMENTS } = require("../../environments") as typeof import("../../environments");
  return ENVIRONMENTS.map((e) => e.name);
}

/**
 * Refuses a plan whose stack is not one of the platform's: its protection could not be known (a
 * production plan saved as `plan.json` would otherwise be reviewed as an unprotected stack "plan").
 */
function assertKnownStacks(args: readonly string[], plans: readonly StackPlan[], environmentsOption: string | undefined): void {
  if (plans.length === 0) return;
  const names = environmentsOption !== undefined ? environmentsOption.split(",").map((s) => s.trim()).filter(Boolean) : environmentNames();
  plans.forEach(({ stack }, i) => {
    if (isPlatformStack(stack, names)) return;
    const how = args[i].includes("=") ? `"${stack}=" names` : `the file name ${basename(stackOf(args[i]).path)} gives`;
    throw new UsageError(
      `review: ${how} stack "${stack}", which is not a stack of this platform (${ACCOUNT_WIDE_STACKS.join(", ")}, ` +
        `or <env>[-addons|-workloads|-services|-dr] for ${names.join(", ")}); name the plan <stack>=<path>, e.g. production=${stackOf(args[i]).path}`,
    );
  });
}

function runChangedStacks(args: readonly string[]): Outcome {
  const { options } = parseArgs(args, ["base", "head", "github-output", "environments"]);
  if (!options.base || !options.head) throw new UsageError("changed-stacks: pass --base <base cdktf.out> --head <head cdktf.out>");
  const names = options.environments !== undefined ? options.environments.split(",").map((s) => s.trim()).filter(Boolean) : environmentNames();
  const environmentOf = (stack: string) =>
    names.filter((n) => stack === n || stack.startsWith(`${n}-`)).sort((a, b) => b.length - a.length)[0] ?? stack;
  // Stacks of no environment (`account`) first, then the environments in ENVIRONMENTS order.
  const priority = (stack: string) => names.indexOf(environmentOf(stack)) + 1;
  const result = changedStacks(options.base, options.head, priority);
  const matrix = { include: result.changed.map((stack) => ({ stack, environment: environmentOf(stack) })) };
  if (options["github-output"]) {
    appendFileSync(
      options["github-output"],
      `matrix=${JSON.stringify(matrix)}\nany=${result.changed.length > 0}\nlocal-state=${JSON.stringify(result.localState)}\nremoved=${JSON.stringify(result.removed)}\n`,
    );
  }
  return { stdout: JSON.stringify({ ...result, matrix }, null, 2), exitCode: 0 };
}

function runCompare(args: readonly string[]): Outcome {
  const { positional } = parseArgs(args, []);
  if (positional.length !== 2) throw new UsageError("compare: pass <reviewed plan.json> <current plan.json>");
  const [reviewed, current] = positional.map(readPlan);
  const differences = comparePlans(reviewed.plan, current.plan);
  if (differences.length === 0) return { stdout: "The current plan proposes exactly the reviewed changes.", exitCode: 0 };
  return {
    stdout: [`The current plan differs from the reviewed one (${differences.length}); refusing to apply. Re-run the pull request's plan and review it again.`, ...differences.map((d) => `  ${d}`)].join("\n"),
    exitCode: 1,
  };
}

function runRedact(args: readonly string[]): Outcome {
  const { positional } = parseArgs(args, []);
  if (positional.length !== 2) throw new UsageError("redact: pass <plan.json> <out.json>");
  const { plan } = readPlan(positional[0]);
  writeFileSync(positional[1], `${JSON.stringify(redactPlan(plan))}\n`);
  return { stdout: "", exitCode: 0 };
}

function runDrift(args: readonly string[]): Outcome {
  const { positional, options } = parseArgs(args, ["body", "github-output"]);
  if (positional.length !== 1) throw new UsageError("drift: pass one [stack=]<plan.json>");
  const plan = readPlan(positional[0]);
  const stack = reviewStack(plan);
  const body = [
    `Terraform found ${stack.drift.length} object(s) of stack ${code(stack.stack)} changed outside Terraform since the last apply.`,
    "The next apply puts them back as the configuration says, unless the configuration is changed to match.",
    "",
    ...stack.drift.map((c) => `- ${code(c.address)}: ${c.actions.join(", ")}`),
    "",
    "_Updated by the scheduled drift check._",
  ].join("\n");
  if (options.body) writeFileSync(options.body, body);
  if (options["github-output"]) appendFileSync(options["github-output"], `drifted=${stack.drift.length > 0}\n`);
  return { stdout: stack.drift.length > 0 ? body : `No drift in ${stack.stack}.`, exitCode: 0 };
}

/** Runs a command line (without `node script`); throws on bad input (UsageError, PlanFormatError, allow-list or manifest errors). */
export function execute(args: readonly string[]): Outcome {
  const [first, ...rest] = args;
  switch (first) {
    case "changed-stacks":
      return runChangedStacks(rest);
    case "compare":
      return runCompare(rest);
    case "drift":
      return runDrift(rest);
    case "redact":
      return runRedact(rest);
    case "review":
      return runReview(rest);
    default:
      return runReview(args);
  }
}

/** The process entry: prints, and maps bad input to one `error:` line and exit code 2. */
export function main(args: readonly string[]): number {
  try {
    const outcome = execute(args);
    if (outcome.stdout) process.stdout.write(outcome.stdout.endsWith("\n") ? outcome.stdout : `${outcome.stdout}\n`);
    return outcome.exitCode;
  } catch (error) {
    // Bad input (usage, plan format, allow-list line, manifest): one line, no stack trace.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: ${message}\n`);
    if (process.env.AIVO_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 2;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
