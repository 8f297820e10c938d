/** Reading IAM / resource policy documents out of synthesized arguments. */
import { TfBlock, TfValue } from "../engine";

/** One statement, normalised: lists everywhere, `Allow` by default. */
export interface Statement {
  readonly effect: "Allow" | "Deny";
  readonly actions: string[];
  readonly notActions: boolean;
  readonly resources: string[];
  readonly condition: Record<string, Record<string, unknown>>;
}

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/**
 * The statements of a JSON policy string; `undefined` when the value is not a literal JSON document
 * (e.g. a reference to a data source, which the data source's own check covers).
 */
export function parsePolicy(value: unknown): Statement[] | undefined {
  if (typeof value !== "string" || !value.trim().startsWith("{")) return undefined;
  let doc: TfValue;
  try {
    doc = JSON.parse(value);
  } catch {
    return undefined;
  }
  const statements = Array.isArray(doc?.Statement) ? doc.Statement : doc?.Statement ? [doc.Statement] : [];
  return statements.map((s: TfBlock) => ({
    effect: s.Effect === "Deny" ? "Deny" : "Allow",
    actions: list(s.Action ?? s.NotAction),
    notActions: s.Action === undefined && s.NotAction !== undefined,
    resources: list(s.Resource ?? (s.NotResource !== undefined ? "*" : undefined)),
    condition: s.Condition ?? {},
  }));
}

/** The statements of a `data.aws_iam_policy_document` (its `statement` blocks). */
export function policyDocumentStatements(config: TfBlock): Statement[] {
  const statements = config.statement === undefined ? [] : Array.isArray(config.statement) ? config.statement : [config.statement];
  return statements.map((s: TfBlock) => ({
    effect: s.effect === "Deny" ? "Deny" : "Allow",
    actions: list(s.actions ?? s.not_actions),
    notActions: s.actions === undefined && s.not_actions !== undefined,
    resources: list(s.resources ?? (s.not_resources !== undefined ? "*" : undefined)),
    condition: Object.fromEntries(
      (Array.isArray(s.condition) ? s.condition : s.condition ? [s.condition] : []).map((c: TfBlock) => [c.test, { [c.variable]: c.values }]),
    ),
  }));
}

/** True when the statements deny every request made without TLS (`aws:SecureTransport = false`). */
export function deniesInsecureTransport(statements: readonly Statement[]): boolean {
  return statements.some((s) => {
    if (s.effect !== "Deny") return false;
    const bool = (s.condition.Bool ?? s.condition.BoolIfExists ?? {}) as Record<string, unknown>;
    const value = bool["aws:SecureTransport"];
    return value === false || value === "false" || (Array.isArray(value) && value.map(String).includes("false"));
  });
}
