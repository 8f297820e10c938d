/**
 * Renders a review as one markdown comment that always fits GitHub's limit.
 *
 * Always shown: the status line, the summary table (one row per stack) and every dangerous change.
 * Then the details, added in this order while they fit, the first one that doesn't fit cut to the
 * lines that do (the rest are named as omitted):
 *   1. other destroys and replacements (not stateful),
 *   2. imports, moves, forgets and unknown actions,
 *   3. updates,
 *   4. creates,
 *   5. data sources read during apply,
 *   6. drift (objects changed outside Terraform).
 * The full plans are in the workflow's artifacts and job summary.
 */
import { changedAttributes, replacePaths } from "./attributes";
import { ChangeKind, ClassifiedChange, DESTROYING_KINDS } from "./plan";
import { ALLOW_LIST_FILE, DangerousChange, Review, StackReview } from "./review";

/** GitHub's maximum comment body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** Room left for the sticky-comment action's hidden header marker and any wrapper. */
export const COMMENT_MARGIN = 536;
/** GitHub's limit for one step's job summary (1 MiB). */
export const JOB_SUMMARY_LIMIT = 1_048_576;

/** Marker the comment starts with, so it can be recognised. */
export const COMMENT_MARKER = "<!-- aivo-plan-review -->";

const KIND_LABEL: Readonly<Record<ChangeKind, string>> = {
  create: "create",
  update: "update",
  delete: "delete",
  "replace-destroy-first": "replace (destroy, then create)",
  "replace-create-first": "replace (create, then destroy)",
  "replace-forget": "replace (create, then forget the old object)",
  read: "read",
  "no-op": "no-op",
  forget: "forget (removed from state, object kept)",
  unknown: "UNKNOWN ACTION",
};

/** Escapes text for a markdown table cell inside a code span (pipes must be escaped even there). */
export function code(text: string): string {
  const fence = text.includes("`") ? "``" : "`";
  const pad = text.includes("`") ? " " : "";
  return `${fence}${pad}${text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ")}${pad}${fence}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function describe(c: ClassifiedChange): string {
  const parts = [KIND_LABEL[c.kind]];
  if (c.importing) parts.push("import");
  if (c.movedFrom !== undefined) parts.push(`moved from ${code(c.movedFrom)}`);
  if (c.kind === "no-op" && parts.length > 1) parts.shift();
  return parts.join(", ");
}

/** How many changed attributes a change line lists before "and N more". */
export const ATTRIBUTES_PER_CHANGE = 5;

/** The attributes forcing a replacement, as code spans: `` `engine_version`, `kms_key_id` ``. */
function forcedBy(paths: readonly string[]): string {
  return paths.length > 0 ? ` (forced by ${paths.map(code).join(", ")})` : "";
}

/** For an update or a replacement: the attributes that force it and those whose value changes (sensitive ones masked). */
function attributeNotes(c: ClassifiedChange): string {
  if (c.kind !== "update" && !c.kind.startsWith("replace")) return "";
  const changed = changedAttributes(c.change);
  if (changed.length === 0) return "";
  const shown = changed.slice(0, ATTRIBUTES_PER_CHANGE).map((a) => `${code(a.path)} ${cell(a.before)} → ${cell(a.after)}`);
  const more = changed.length > ATTRIBUTES_PER_CHANGE ? `, and ${changed.length - ATTRIBUTES_PER_CHANGE} more` : "";
  return `; changes ${shown.join(", ")}${more}`;
}

function changeLine(c: ClassifiedChange): string {
  const reason = c.reason === "unspecified" ? "" : ` — ${cell(c.reason)}`;
  return `- ${code(c.address)}: ${describe(c)}${reason}${forcedBy(replacePaths(c.change))}${attributeNotes(c)}`;
}

function summaryTable(r: Review): string[] {
  const lines = [
    "| Stack | Create | Update | Replace | Delete | Import | Move | Forget | Read | Drift | Stateful destroys | Status |",
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
  ];
  for (const s of r.stacks) {
    const c = s.counts;
    const replace = c["replace-destroy-first"] + c["replace-create-first"] + c["replace-forget"];
    const blocking = s.dangerous.filter((d) => d.protected && !d.allowed).length;
    const status = s.errored
      ? "❌ plan errored"
      : blocking > 0
        ? `⛔ ${blocking} blocking`
        : s.dangerous.length > 0
          ? "⚠️ review destroys"
          : "✅";
    lines.push(
      `| ${code(s.stack)}${s.protected ? " (protected)" : ""} | ${c.create} | ${c.update} | ${replace} | ${c.delete} | ${c.import} | ${c.move} | ${c.forget} | ${c.read} | ${c.drift} | ${s.dangerous.length} | ${status} |`,
    );
  }
  return lines;
}

function dangerousRows(list: readonly DangerousChange[], compact: boolean): string[] {
  if (list.length === 0) return ["No stateful resource is destroyed or replaced."];
  if (compact) {
    return list.map((d) => `- ${d.protected && !d.allowed ? "⛔" : d.allowed ? "allowed" : "⚠️"} ${code(d.stack)} ${code(d.address)} ${KIND_LABEL[d.kind]}${forcedBy(d.replacePaths)}`);
  }
  const lines = ["| | Stack | Address | What | Action | Terraform's reason |", "|---|---|---|---|---|---|"];
  for (const d of list) {
    const mark = d.protected ? (d.allowed ? "allowed" : "⛔ blocking") : "⚠️";
    lines.push(`| ${mark} | ${code(d.stack)} | ${code(d.address)} | ${cell(d.category)} | ${KIND_LABEL[d.kind]} | ${cell(d.reason)}${forcedBy(d.replacePaths)} |`);
  }
  return lines;
}

/** A detail section: a title and its lines (per stack). */
interface Section {
  readonly title: string;
  readonly lines: string[];
}

function perStack(stacks: readonly StackReview[], pick: (s: StackReview) => readonly ClassifiedChange[]): string[] {
  const lines: string[] = [];
  for (const s of stacks) {
    const list = pick(s);
    if (list.length === 0) continue;
    lines.push(`**${code(s.stack)}** (${list.length})`);
    for (const c of list) lines.push(changeLine(c));
  }
  return lines;
}

function detailSections(r: Review): Section[] {
  const dangerous = new Set(r.stacks.flatMap((s) => s.dangerous.map((d) => `${d.stack} ${d.address}`)));
  const notDangerous = (s: StackReview) => (c: ClassifiedChange) => !dangerous.has(`${s.stack} ${c.address}`);
  return [
    {
      title: "Other destroys and replacements",
      lines: perStack(r.stacks, (s) => s.changes.filter((c) => DESTROYING_KINDS.has(c.kind) && notDangerous(s)(c))),
    },
    {
      title: "Imports, moves and forgets",
      lines: perStack(r.stacks, (s) =>
        s.changes.filter((c) => !DESTROYING_KINDS.has(c.kind) && (c.importing || c.movedFrom !== undefined || c.kind === "forget" || c.kind === "replace-forget")),
      ),
    },
    { title: "Updates", lines: perStack(r.stacks, (s) => s.changes.filter((c) => c.kind === "update" && !c.importing && c.movedFrom === undefined)) },
    { title: "Creates", lines: perStack(r.stacks, (s) => s.changes.filter((c) => c.kind === "create" && !c.importing && c.movedFrom === undefined)) },
    { title: "Data sources read during apply", lines: perStack(r.stacks, (s) => s.changes.filter((c) => c.kind === "read")) },
    { title: "Drift (changed outside Terraform since the last apply)", lines: perStack(r.stacks, (s) => s.drift) },
  ].filter((s) => s.lines.length > 0);
}

export interface RenderOptions {
  /** Maximum length of the result, in characters. @default GITHUB_COMMENT_LIMIT - COMMENT_MARGIN */
  readonly limit?: number;
  /** Where the full plans are, for the "omitted" note. @default "the workflow run's artifacts and job summary" */
  readonly fullPlansAt?: string;
  /** Changed stacks CI did not plan (local state: `bootstrap`), named under the summary. @default [] */
  readonly unplanned?: readonly string[];
}

/** Renders the review as markdown of at most `limit` characters. */
export function render(r: Review, options: RenderOptions = {}): string {
  const limit = options.limit ?? GITHUB_COMMENT_LIMIT - COMMENT_MARGIN;
  const fullPlansAt = options.fullPlansAt ?? "the workflow run's artifacts and job summary";
  const allDangerous = r.stacks.flatMap((s) => s.dangerous);
  const status =
    r.stacks.some((s) => s.errored)
      ? "❌ **A plan errored**: fix it before merging."
      : r.blocking.length > 0
        ? `⛔ **Blocked**: ${r.blocking.length} stateful resource(s) in a protected stack would be destroyed or replaced. ` +
          `If that is intended, add \`<stack> <address>\` lines for them to \`${ALLOW_LIST_FILE}\` in this pull request.`
        : allDangerous.length > 0
          ? `⚠️ **${allDangerous.length} stateful resource(s) would be destroyed or replaced**: read them first.`
          : "✅ No stateful resource is destroyed or replaced.";
  const head = [COMMENT_MARKER, "## Terraform plan review", "", status, "", ...summaryTable(r), "", "### Stateful resources destroyed or replaced", ""];
  const unplanned = options.unplanned ?? [];
  const stacksNote = [
    ...(r.stacks.length === 0 ? ["No stack with remote state changed: nothing to plan.", ""] : []),
    ...(unplanned.length > 0
      ? [`Changed but not planned in CI (local state; an administrator plans and applies them): ${unplanned.map(code).join(", ")}.`, ""]
      : []),
  ];
  let mandatory = [...head, ...stacksNote, ...dangerousRows(allDangerous, false), ""].join("\n");
  if (mandatory.length > limit) mandatory = [...head, ...stacksNote, ...dangerousRows(allDangerous, true), ""].join("\n");
  if (mandatory.length > limit) {
    // Even one line per dangerous change does not fit: keep as many as fit and say how many are missing.
    const lines = [...head, ...stacksNote, ...dangerousRows(allDangerous, true)];
    const out: string[] = [];
    let length = 0;
    const reserve = 200;
    for (const line of lines) {
      if (length + line.length + 1 > limit - reserve) break;
      out.push(line);
      length += line.length + 1;
    }
    out.push("", `**${lines.length - out.length} more dangerous change(s) do not fit in a comment: read ${fullPlansAt}.**`);
    return out.join("\n");
  }

  const footerFor = (omitted: string[]) =>
    omitted.length === 0 ? "" : `\n_Omitted to fit GitHub's comment limit: ${omitted.join(", ")}. The full plans are in ${fullPlansAt}._\n`;
  const sections = detailSections(r);
  const worstFooter = footerFor(sections.map((s) => `${s.title} (all)`)).length;
  let body = mandatory;
  const omitted: string[] = [];
  let full = true;
  for (const section of sections) {
    if (!full) {
      omitted.push(section.title);
      continue;
    }
    const block = [`### ${section.title}`, "", ...section.lines, ""].join("\n");
    if (body.length + 1 + block.length + worstFooter <= limit) {
      body += "\n" + block;
      continue;
    }
    // The first section that does not fit is cut to the lines that do; every later one is omitted.
    full = false;
    const kept: string[] = [`### ${section.title}`, ""];
    let length = body.length + 1 + worstFooter + 80;
    for (const line of section.lines) {
      if (length + line.length + 1 > limit) break;
      kept.push(line);
      length += line.length + 1;
    }
    const dropped = section.lines.length - (kept.length - 2);
    if (kept.length > 2) body += "\n" + [...kept, `- … ${dropped} more line(s)`, ""].join("\n");
    omitted.push(`${section.title} (${dropped} of ${section.lines.length} lines)`);
  }
  return body + footerFor(omitted);
}
