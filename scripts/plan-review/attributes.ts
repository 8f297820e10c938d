/**
 * Which attributes a change touches: the paths Terraform says force a replacement (`replace_paths`),
 * and the attributes whose value an update or replacement changes (`before` vs `after`), with every
 * value Terraform marks sensitive masked and values known only after apply said so.
 */
import { ResourceChange, SENSITIVE_MARKER } from "./plan";

/** What an attribute known only after apply shows instead of a value. */
export const UNKNOWN_MARKER = "(known after apply)";
/** The longest value a change line prints; longer ones are cut with "…". */
export const MAX_VALUE_LENGTH = 60;

/** One changed attribute: its path (`tags.Name`, `ingress[0].from_port`) and the values either side. */
export interface AttributeChange {
  readonly path: string;
  readonly before: string;
  readonly after: string;
}

type Step = string | number;

/** `["ingress", 0, "from_port"]` → `ingress[0].from_port`. */
export function formatPath(path: readonly Step[]): string {
  return path.reduce<string>((out, step) => (typeof step === "number" ? `${out}[${step}]` : out === "" ? step : `${out}.${step}`), "");
}

/** The attribute paths that force the replacement, as Terraform lists them (`replace_paths`). */
export function replacePaths(change: ResourceChange["change"] | undefined): string[] {
  const paths = change?.replace_paths;
  if (!Array.isArray(paths)) return [];
  return paths.filter((p): p is Step[] => Array.isArray(p)).map(formatPath).filter((p) => p !== "");
}

/** The value of `mask` (a `*_sensitive` / `after_unknown` structure) at `path`: true when that part or a parent is marked. */
function marked(mask: unknown, path: readonly Step[]): boolean {
  let node = mask;
  for (const step of path) {
    if (node === true) return true;
    if (node === null || typeof node !== "object") return false;
    node = (node as Record<string, unknown>)[step as string];
  }
  return node === true;
}

function show(value: unknown, sensitive: boolean, unknown = false): string {
  if (unknown) return UNKNOWN_MARKER;
  if (value === undefined) return "(none)";
  if (sensitive) return SENSITIVE_MARKER;
  const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * The leaf attributes whose value differs between `before` and `after`, in a stable order. Objects
 * are compared key by key and lists element by element; a list whose length changes is one change at
 * the list itself. Values marked sensitive on either side print as `(sensitive)`; values unknown
 * until apply as `(known after apply)`.
 */
export function changedAttributes(change: ResourceChange["change"] | undefined): AttributeChange[] {
  if (!change) return [];
  const out: AttributeChange[] = [];
  const visit = (before: unknown, after: unknown, path: Step[]) => {
    const unknown = marked(change.after_unknown, path);
    if (!unknown && JSON.stringify(before) === JSON.stringify(after)) return;
    if (!unknown && isObject(before) && isObject(after)) {
      for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) visit(before[key], after[key], [...path, key]);
      return;
    }
    if (!unknown && Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
      before.forEach((b, i) => visit(b, after[i], [...path, i]));
      return;
    }
    const sensitive = marked(change.before_sensitive, path) || marked(change.after_sensitive, path);
    out.push({ path: formatPath(path), before: show(before, sensitive), after: show(after, sensitive, unknown) });
  };
  if (isObject(change.before) && isObject(change.after)) visit(change.before, change.after, []);
  return out;
}
