/**
 * Compares the plan reviewed on a pull request with the plan made on `main` just before applying.
 * Apply proceeds only when they propose the same changes: same resources, same actions, same
 * before/after values (sensitive values compare as `(sensitive)`: the reviewer never saw them either,
 * and the reviewed plan is kept redacted). A saved plan's own staleness check is not enough (hashicorp/terraform#24078:
 * a plan made with no prior state can be applied twice).
 */
import { PlanJson, ResourceChange, classify, isVisible, redactPlan } from "./plan";

/** The parts of a change that must match, in a canonical form. */
function canonical(rc: ResourceChange): string {
  return stableStringify({
    previous_address: rc.previous_address ?? null,
    actions: rc.change.actions,
    before: rc.change.before ?? null,
    after: rc.change.after ?? null,
    after_unknown: rc.change.after_unknown ?? null,
    replace_paths: rc.change.replace_paths ?? null,
    importing: rc.change.importing ?? null,
  });
}

/** JSON with object keys sorted, so key order never makes two equal values differ. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function changesByAddress(plan: PlanJson): Map<string, ResourceChange> {
  const map = new Map<string, ResourceChange>();
  for (const rc of redactPlan(plan).resource_changes ?? []) if (isVisible(classify(rc))) map.set(rc.address, rc);
  return map;
}

/** The differences between two plans, one line each; empty when they propose the same changes. */
export function comparePlans(reviewed: PlanJson, current: PlanJson): string[] {
  const a = changesByAddress(reviewed);
  const b = changesByAddress(current);
  const differences: string[] = [];
  for (const [address, rc] of a) {
    const other = b.get(address);
    if (other === undefined) differences.push(`${address}: reviewed ${rc.change.actions.join(",")}, now no change`);
    else if (canonical(rc) !== canonical(other)) {
      const actions = rc.change.actions.join(",");
      const now = other.change.actions.join(",");
      differences.push(actions === now ? `${address}: ${actions} with different values` : `${address}: reviewed ${actions}, now ${now}`);
    }
  }
  for (const [address, rc] of b) if (!a.has(address)) differences.push(`${address}: not reviewed, now ${rc.change.actions.join(",")}`);
  return differences.sort();
}
