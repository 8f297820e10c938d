import { Rule, RULES, StackResult, Violation } from "./index";

/** The SARIF schema the report declares (GitHub code scanning reads 2.1.0). */
export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** The file a stack's findings point at: its synthesized JSON, relative to the repository root. */
export function stackArtifact(stack: string): string {
  return `cdktf.out/stacks/${stack}/cdk.tf.json`;
}

const sarifLevel = (r: Rule) => (r.severity === "error" ? "error" : "warning");

/** Finds the 1-based line of a Terraform address in a stack's synthesized JSON, if it can. */
export type AddressLocator = (stack: string, address: string) => number | undefined;

/**
 * A locator over the synthesized JSON text of each stack (`cdk.tf.json`, pretty-printed as cdktf
 * writes it): the line of `"<name>": {` after the line of `"<type>": {`, or of `"backend": {`.
 */
export function jsonLocator(readStack: (stack: string) => string | undefined): AddressLocator {
  const cache = new Map<string, string[]>();
  return (stack, address) => {
    if (!cache.has(stack)) cache.set(stack, (readStack(stack) ?? "").split("\n").map((l) => l.trim()));
    const lines = cache.get(stack)!;
    const parts = address.replace(/^data\./, "").split(".");
    const keys = address.startsWith("terraform.backend") ? ["backend"] : [parts[0], parts.slice(1).join(".")];
    let at = -1;
    for (const key of keys) {
      at = lines.indexOf(`${JSON.stringify(key)}: {`, at + 1);
      if (at < 0) return undefined;
    }
    return at + 1;
  };
}

function sarifResult(stack: string, v: Violation, locate?: AddressLocator) {
  const line = locate?.(stack, v.finding.address);
  return {
    ruleId: v.rule.id,
    level: sarifLevel(v.rule),
    message: { text: `${v.finding.detail}: ${v.rule.message}. Fix: ${v.rule.fix}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: stackArtifact(stack), uriBaseId: "%SRCROOT%" },
          ...(line ? { region: { startLine: line } } : {}),
        },
        logicalLocations: [
          { fullyQualifiedName: v.finding.address, kind: "resource" },
          ...(v.finding.constructPath ? [{ fullyQualifiedName: v.finding.constructPath, kind: "module" }] : []),
        ],
      },
    ],
    ...(v.suppressedBy
      ? { suppressions: [{ kind: "inSource", status: "accepted", justification: `${v.suppressedBy.reason} (on ${v.suppressedBy.constructPath})` }] }
      : {}),
  };
}

/**
 * A SARIF 2.1.0 log: one run, the rule pack as the driver's rules, every finding (suppressed ones
 * marked), located in the stack's `cdk.tf.json` (at the resource's line when `locate` finds it).
 */
export function toSarif(results: readonly StackResult[], rules: readonly Rule[] = RULES, locate?: AddressLocator): Record<string, unknown> {
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "aivo-guardrails",
            informationUri: "https://github.com/aivo/infrastructure#policy-guardrails",
            rules: rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.message },
              help: { text: `Fix: ${r.fix}` },
              defaultConfiguration: { level: sarifLevel(r) },
              properties: { checkov: [...(r.checkov ?? [])] },
            })),
          },
        },
        results: results.flatMap((s) => [...s.violations, ...s.suppressed].map((v) => sarifResult(s.stack, v, locate))),
      },
    ],
  };
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** A markdown report: the rules, the results per stack, the suppressions with their reasons. */
export function toMarkdown(results: readonly StackResult[], rules: readonly Rule[] = RULES): string {
  const lines: string[] = ["# Policy guardrails", ""];
  lines.push("## Results", "", "| stack | resources | errors | warnings | suppressed | unused suppressions |", "|---|---:|---:|---:|---:|---:|");
  for (const r of results) {
    const errors = r.violations.filter((v) => v.rule.severity === "error").length;
    lines.push(`| ${r.stack} | ${r.resourceCount} | ${errors} | ${r.violations.length - errors} | ${r.suppressed.length} | ${r.unusedSuppressions.length} |`);
  }
  const open = results.flatMap((r) => r.violations.map((v) => [r.stack, v] as const));
  if (open.length) {
    lines.push("", "| stack | rule | severity | construct | address | finding |", "|---|---|---|---|---|---|");
    for (const [stack, v] of open) {
      lines.push(`| ${stack} | ${v.rule.id} | ${v.rule.severity} | ${cell(v.finding.constructPath ?? "")} | \`${v.finding.address}\` | ${cell(v.finding.detail)} |`);
    }
  }
  lines.push("", "## Suppressions", "", "| stack | rule | on | findings covered | reason |", "|---|---|---|---:|---|");
  for (const r of results) {
    const all = [...new Set([...r.suppressed.map((v) => v.suppressedBy!), ...r.unusedSuppressions])];
    for (const s of all) {
      const covered = r.suppressed.filter((v) => v.suppressedBy === s).length;
      lines.push(`| ${r.stack} | ${s.ruleId} | ${cell(s.constructPath)} | ${covered || "0 (unused)"} | ${cell(s.reason)} |`);
    }
  }
  lines.push("", "## Rules", "", "| id | severity | checkov | what must hold | fix |", "|---|---|---|---|---|");
  for (const r of rules) lines.push(`| ${r.id} | ${r.severity} | ${(r.checkov ?? []).join(", ")} | ${cell(r.message)} | ${cell(r.fix)} |`);
  return `${lines.join("\n")}\n`;
}
