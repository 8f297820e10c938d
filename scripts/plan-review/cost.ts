/**
 * The plan review's cost delta (after Infracost's pull-request comment): what each stack's creates,
 * deletes, replacements and updates add or remove per month, priced from the same table and drivers as
 * `npm run cost` (modules/shared/cost) at the default usage assumptions. A resource the table can't
 * price is counted as "not priced", never as zero.
 */
import { PricedResource, StackEstimate, priceResources } from "../../modules/shared/cost";
import { usd } from "../../modules/shared/cost/report";
import type { TfBlock } from "../../modules/shared/guardrails/engine";
import { ResourceChange } from "./plan";
import { StackPlan } from "./review";

/** The most characters the cost section may take in the comment. */
export const COST_SECTION_LIMIT = 8_000;
/** The most changed resources listed per stack (largest deltas first). */
export const COST_LINES_PER_STACK = 8;

/** One resource's monthly delta. */
export interface ResourceDelta {
  readonly address: string;
  readonly actions: string;
  readonly deltaUsd: number;
}

/** One stack's monthly delta. */
export interface StackCostDelta {
  readonly stack: string;
  readonly addedUsd: number;
  readonly removedUsd: number;
  readonly resources: readonly ResourceDelta[];
  /** Changed resources that could not be priced (type without a driver, price missing, value unknown). */
  readonly notPriced: number;
}

/** The region of a planned object: its own `region` argument (AWS provider 6), else `us-east-1`. */
const regionOf = (values: TfBlock | undefined) => (typeof values?.region === "string" ? values.region : "us-east-1");

function priceSide(stack: string, rc: ResourceChange, values: unknown, all: ReadonlyMap<string, TfBlock>): StackEstimate | undefined {
  if (values === null || values === undefined || typeof values !== "object") return undefined;
  const resource: PricedResource = { address: rc.address, type: rc.type, config: values as TfBlock, region: regionOf(values as TfBlock) };
  return priceResources(stack, [resource], (address) => all.get(address));
}

/** Prices the changes of one stack's plan: after minus before, per resource. */
export function stackCostDelta({ stack, plan }: StackPlan): StackCostDelta {
  const managed = (plan.resource_changes ?? []).filter((rc) => (rc.mode ?? "managed") === "managed");
  const sides = (pick: (rc: ResourceChange) => unknown) =>
    new Map(managed.flatMap((rc) => (pick(rc) && typeof pick(rc) === "object" ? [[rc.address, pick(rc) as TfBlock] as const] : [])));
  const before = sides((rc) => rc.change?.before);
  const after = sides((rc) => rc.change?.after);
  const resources: ResourceDelta[] = [];
  let addedUsd = 0;
  let removedUsd = 0;
  let notPriced = 0;
  for (const rc of managed) {
    const actions = rc.change?.actions ?? [];
    if (actions.length === 0 || actions.every((a) => a === "no-op" || a === "read")) continue;
    const old = actions.includes("delete") || actions.includes("update") || actions.includes("forget") ? priceSide(stack, rc, rc.change.before, before) : undefined;
    const next = actions.includes("create") || actions.includes("update") ? priceSide(stack, rc, rc.change.after, after) : undefined;
    if ((old?.notPriced.length ?? 0) + (next?.notPriced.length ?? 0) > 0) notPriced += 1;
    // A forgotten object keeps running, out of Terraform's hands: its cost does not go away.
    const removed = actions.includes("forget") && !actions.includes("delete") ? 0 : (old?.totalUsd ?? 0);
    const delta = (next?.totalUsd ?? 0) - removed;
    if (delta === 0) continue;
    if (delta > 0) addedUsd += delta;
    else removedUsd -= delta;
    resources.push({ address: rc.address, actions: actions.join(", "), deltaUsd: Math.round(delta * 100) / 100 });
  }
  resources.sort((a, b) => Math.abs(b.deltaUsd) - Math.abs(a.deltaUsd) || a.address.localeCompare(b.address));
  return { stack, addedUsd: Math.round(addedUsd * 100) / 100, removedUsd: Math.round(removedUsd * 100) / 100, resources, notPriced };
}

const signed = (n: number) => (n > 0 ? `+${usd(n)}` : n < 0 ? usd(n) : usd(0));
const code = (text: string) => `\`${text.replace(/`/g, "'").replace(/\|/g, "\\|")}\``;

/**
 * The comment's cost section: a row per stack (added, removed, net, not priced), then each stack's
 * largest deltas, cut to `limit` characters (the rows always fit; the details stop where they don't).
 */
export function costSection(plans: readonly StackPlan[], limit = COST_SECTION_LIMIT): string[] {
  const deltas = plans.map(stackCostDelta);
  const head = [
    "### Cost delta (monthly, on-demand list prices)",
    "",
    "| Stack | Added | Removed | Net | Not priced |",
    "|---|--:|--:|--:|--:|",
    ...deltas.map((d) => `| ${code(d.stack)} | ${signed(d.addedUsd)} | ${signed(-d.removedUsd)} | **${signed(d.addedUsd - d.removedUsd)}** | ${d.notPriced} |`),
    "",
    "_From modules/shared/cost at the default usage assumptions (docs/cost.md); \"not priced\" resources are not in the sums._",
    "",
  ];
  const out = [...head];
  let length = out.join("\n").length;
  if (length > limit) {
    // Even the rows do not fit (hundreds of stacks): keep the ones that do.
    const kept: string[] = [];
    let used = 0;
    for (const line of head) {
      if (used + line.length + 1 > limit - 80) break;
      kept.push(line);
      used += line.length + 1;
    }
    return [...kept, "", "_More stacks do not fit: read the job summary._", ""];
  }
  for (const d of deltas.filter((d) => d.resources.length > 0)) {
    const shown = d.resources.slice(0, COST_LINES_PER_STACK);
    const lines = [`**${code(d.stack)}**`, ...shown.map((r) => `- ${code(r.address)} (${r.actions}): ${signed(r.deltaUsd)}`)];
    if (d.resources.length > shown.length) lines.push(`- … ${d.resources.length - shown.length} more priced change(s)`);
    const block = lines.join("\n").length + 1;
    if (length + block + 60 > limit) {
      out.push("_Further per-resource deltas omitted to fit the comment._", "");
      break;
    }
    out.push(...lines, "");
    length += block + 1;
  }
  return out;
}
