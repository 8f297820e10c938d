/**
 * Reading `terraform show -json <planfile>` output and classifying each resource change.
 *
 * Format: HashiCorp "JSON Output Format" (terraform internals docs). Only the fields the review needs
 * are typed; everything else is carried through untouched.
 */

/** The plan format major version this reader understands (`format_version` "1.x"). */
export const SUPPORTED_FORMAT_MAJOR = 1;

/** One entry of `resource_changes` or `resource_drift`. */
export interface ResourceChange {
  readonly address: string;
  /** Set when the resource moved (`moved` block): its address in the prior state. */
  readonly previous_address?: string;
  readonly mode?: "managed" | "data";
  readonly type: string;
  readonly name?: string;
  readonly provider_name?: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before?: unknown;
    readonly after?: unknown;
    readonly after_unknown?: unknown;
    readonly before_sensitive?: unknown;
    readonly after_sensitive?: unknown;
    readonly replace_paths?: unknown;
    /** Present when the plan imports the object (`import` block); `{ id }` or `{ identity }`. */
    readonly importing?: Record<string, unknown>;
  };
  /** Terraform's display hint for why the action was chosen; unknown values mean "unspecified". */
  readonly action_reason?: string;
}

/** The parts of a plan JSON the review reads. */
export interface PlanJson {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly resource_changes?: readonly ResourceChange[];
  readonly resource_drift?: readonly ResourceChange[];
  readonly applyable?: boolean;
  readonly errored?: boolean;
}

/** What happens to one resource, as a reviewer reads it. */
export type ChangeKind =
  | "create"
  | "update"
  | "delete"
  /** Destroy the old object, then create the new one (`["delete","create"]`): downtime in between. */
  | "replace-destroy-first"
  /** Create the new object, then destroy the old one (`["create","delete"]`, create_before_destroy). */
  | "replace-create-first"
  /** Create a new object and drop the old one from state without destroying it (`["create","forget"]`). */
  | "replace-forget"
  | "read"
  | "no-op"
  /** Drop from state, keep the real object (`removed` block with `destroy = false`). */
  | "forget"
  /** An action list this reader does not know: reviewed as dangerous. */
  | "unknown";

/** Kinds that destroy a real object. */
export const DESTROYING_KINDS: ReadonlySet<ChangeKind> = new Set(["delete", "replace-destroy-first", "replace-create-first", "unknown"]);

/** `action_reason` values documented by Terraform, with the words the review prints. */
export const ACTION_REASONS: Readonly<Record<string, string>> = {
  replace_because_tainted: "tainted: the object is marked for replacement",
  replace_because_cannot_update: "an argument that forces replacement changed",
  replace_by_request: "replacement requested (-replace)",
  replace_by_triggers: "replace_triggered_by changed",
  delete_because_no_resource_config: "removed from the configuration",
  delete_because_no_module: "its module was removed from the configuration",
  delete_because_wrong_repetition: "count/for_each was added or removed",
  delete_because_count_index: "its count index no longer exists",
  delete_because_each_key: "its for_each key no longer exists",
  delete_because_no_move_target: "its moved target does not exist",
  read_because_config_unknown: "its configuration is only known after apply",
  read_because_dependency_pending: "a dependency has pending changes",
  read_because_check_nested: "a check block reads it",
};

/** The classification of one resource change. */
export interface ClassifiedChange {
  readonly address: string;
  readonly type: string;
  readonly mode: "managed" | "data";
  readonly kind: ChangeKind;
  /** The raw `actions`, for the record. */
  readonly actions: readonly string[];
  /** The plan imports this object. */
  readonly importing: boolean;
  /** The address it moves from, when it moves. */
  readonly movedFrom?: string;
  /** Terraform's reason in words; `unspecified` when absent, `unspecified (<raw>)` when unknown. */
  readonly reason: string;
  /** The raw change (before/after), for the state-backend check and plan comparison. */
  readonly change: ResourceChange["change"];
}

/** A plan file that can't be reviewed (wrong format, not JSON, no `format_version`). */
export class PlanFormatError extends Error {}

/** Parses and checks a plan JSON document; `source` names it in error messages. */
export function parsePlan(text: string, source: string): PlanJson {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new PlanFormatError(`${source}: not JSON (${(error as Error).message}); pass the output of \`terraform show -json <planfile>\``);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new PlanFormatError(`${source}: not a plan object; pass the output of \`terraform show -json <planfile>\``);
  }
  const version = (doc as { format_version?: unknown }).format_version;
  if (typeof version !== "string" || !/^\d+\.\d+$/.test(version)) {
    throw new PlanFormatError(
      `${source}.format_version: ${JSON.stringify(version)} is not a plan format version; pass the output of \`terraform show -json <planfile>\``,
    );
  }
  const major = Number(version.split(".")[0]);
  if (major !== SUPPORTED_FORMAT_MAJOR) {
    throw new PlanFormatError(
      `${source}.format_version: ${version} is not supported; this reviewer reads format ${SUPPORTED_FORMAT_MAJOR}.x ` +
        `(Terraform 1.x); update scripts/plan-review for the new format`,
    );
  }
  return doc as PlanJson;
}

/** The kind of an `actions` list. */
export function kindOf(actions: readonly string[]): ChangeKind {
  switch (actions.join(",")) {
    case "create":
      return "create";
    case "update":
      return "update";
    case "delete":
      return "delete";
    case "delete,create":
      return "replace-destroy-first";
    case "create,delete":
      return "replace-create-first";
    case "create,forget":
      return "replace-forget";
    case "read":
      return "read";
    case "no-op":
      return "no-op";
    case "forget":
      return "forget";
    default:
      return "unknown";
  }
}

/** Terraform's reason in words. */
export function reasonOf(raw: string | undefined): string {
  if (raw === undefined) return "unspecified";
  return ACTION_REASONS[raw] ?? `unspecified (${raw})`;
}

/** Classifies one resource change. */
export function classify(rc: ResourceChange): ClassifiedChange {
  const actions = rc.change?.actions ?? [];
  return {
    address: rc.address,
    type: rc.type,
    mode: rc.mode ?? "managed",
    kind: kindOf(actions),
    actions,
    importing: rc.change?.importing !== undefined && rc.change.importing !== null,
    ...(rc.previous_address !== undefined && rc.previous_address !== rc.address ? { movedFrom: rc.previous_address } : {}),
    reason: reasonOf(rc.action_reason),
    change: rc.change,
  };
}

/** A change a reviewer should see: anything but a plain no-op (an import or a move is shown even as no-op). */
export function isVisible(c: ClassifiedChange): boolean {
  return c.kind !== "no-op" || c.importing || c.movedFrom !== undefined;
}

/** What a sensitive value becomes in a redacted plan. */
export const SENSITIVE_MARKER = "(sensitive)";

/** Replaces every part of `value` that `mask` (a `*_sensitive` structure) marks `true`. */
export function redactValue(value: unknown, mask: unknown): unknown {
  if (mask === true) return value === null || value === undefined ? value : SENSITIVE_MARKER;
  if (Array.isArray(value) && Array.isArray(mask)) return value.map((v, i) => redactValue(v, mask[i]));
  if (value !== null && typeof value === "object" && mask !== null && typeof mask === "object" && !Array.isArray(value)) {
    const m = mask as Record<string, unknown>;
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactValue(v, m[k])]));
  }
  return value;
}

function redactChange(rc: ResourceChange): ResourceChange {
  const c = rc.change;
  return {
    ...rc,
    change: {
      ...c,
      before: redactValue(c.before, c.before_sensitive),
      after: redactValue(c.after, c.after_sensitive),
    },
  };
}

/**
 * The plan as CI keeps it in artifacts: only what the review and the comparison read
 * (`resource_changes`, `resource_drift` and the header), with every value Terraform marks sensitive
 * replaced by `(sensitive)`. `prior_state`, `planned_values`, `configuration` and `variables`, which
 * hold sensitive values in clear, are dropped.
 */
export function redactPlan(plan: PlanJson): PlanJson {
  return {
    format_version: plan.format_version,
    ...(plan.terraform_version !== undefined ? { terraform_version: plan.terraform_version } : {}),
    ...(plan.applyable !== undefined ? { applyable: plan.applyable } : {}),
    ...(plan.errored !== undefined ? { errored: plan.errored } : {}),
    resource_changes: (plan.resource_changes ?? []).map(redactChange),
    ...(plan.resource_drift !== undefined ? { resource_drift: plan.resource_drift.map(redactChange) } : {}),
  };
}
