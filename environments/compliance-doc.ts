/**
 * The generated parts of `docs/compliance.md`: each lives between `<!-- generated:<name> -->` and
 * `<!-- /generated:<name> -->` and is rendered from the code (the mapping table, the standards and
 * disabled controls, the carried conformance packs, the identity settings, the recovery mechanisms).
 * `npm run compliance-doc` rewrites them; a test fails when they are stale.
 */
import { CONFORMANCE_PACKS } from "../modules/aws/security/config-recorder/packs";
import { HUMAN_ROLES, PASSWORD_POLICY } from "../modules/aws/security/identity";
import { DISABLED_CONTROLS, SECURITY_STANDARDS } from "../modules/aws/security/security-hub";
import { FINDING_SOURCES, SOURCE_TOPICS } from "../modules/aws/security/threat-detection/routes";
import { EXPERIMENTS } from "../modules/aws/observability/fault-injection";
import { RESTORE_TESTED_TYPES } from "../modules/aws/data/restore-testing";
import { BACKUP_SCHEDULE_EVERY_4_HOURS } from "../modules/aws/data/backup";
import { DRILL_EXCLUDED_RESOURCES } from "../modules/kubernetes/cluster/restore-drill";
import { DATABASE_RPO_SECONDS } from "./dr-settings";
import { ComplianceMapping, GDPR, ORGANIZATIONAL, SOC2 } from "./compliance-map";

const table = (head: readonly string[], rows: readonly (readonly string[])[]): string =>
  [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`)].join("\n");
const code = (s: string) => `\`${s}\``;
const mapping = (rows: readonly ComplianceMapping[]) =>
  table(["Requirement", "Asks", "Control", "Resources"], rows.map((m) => [m.requirement, m.asks, m.control, m.resources.map(code).join(", ")]));

/** The generated sections by name. */
export function complianceSections(): Record<string, string> {
  return {
    soc2: mapping(SOC2),
    gdpr: mapping(GDPR),
    organizational: table(["Topic", "What the organization runs"], ORGANIZATIONAL.map((o) => [o.topic, o.what])),
    standards: [
      table(["Standard", "ARN resource"], Object.entries(SECURITY_STANDARDS).map(([k, v]) => [k, code(v)])),
      "",
      "Controls disabled in code (`DISABLED_CONTROLS`, modules/aws/security/security-hub):",
      "",
      table(["Control", "Standards", "Why"], DISABLED_CONTROLS.map((c) => [code(c.control), c.standards.join(", "), c.reason])),
    ].join("\n"),
    "conformance-packs": table(
      ["Pack", "Rules", "Source (commit date)"],
      Object.entries(CONFORMANCE_PACKS).map(([name, p]) => [code(`aivo-account-${name}`), String(p.rules.length), `[${p.source.split("/").pop()}](${p.source}) (${p.date})`]),
    ),
    routes: table(
      ["Source", "Topics (`aivo-account-security-<topic>`)"],
      FINDING_SOURCES.map((s) => [s, SOURCE_TOPICS[s].join(", ")]),
    ),
    identity: [
      table(["Password policy", "Value"], Object.entries(PASSWORD_POLICY).map(([k, v]) => [k, String(v)])),
      "",
      table(["Role", "AWS managed policies"], Object.entries(HUMAN_ROLES).map(([k, v]) => [code(`aivo-account-${k}`), v.policies.join(", ")])),
    ].join("\n"),
    recovery: table(
      ["Mechanism", "Guarantees", "Proven by"],
      [
        ["RDS point-in-time recovery", "any second of the retention window; RPO ≈ 5 minutes (transaction logs are shipped every 5 minutes)", "the weekly RDS restore test (validation window, failed/missing alarms)"],
        [`AWS Backup ${code(BACKUP_SCHEDULE_EVERY_4_HOURS)}`, "database snapshots every 4 hours, copied to the DR region; EFS and the backups bucket in the same vault", `weekly restore tests of ${Object.values(RESTORE_TESTED_TYPES).join(", ")}`],
        ["Cross-region read replica", `a regional loss loses at most the replica's lag, which pages above ${DATABASE_RPO_SECONDS / 60} minutes (the database RPO)`, "the replica lag alarms; the DR runbook's promotion"],
        ["Velero every 6 hours", "Kubernetes objects and volume snapshots: application state RPO ≤ 6 hours against the 1-hour target (see below)", `the weekly restore drill (all but ${DRILL_EXCLUDED_RESOURCES.length} kinds of objects that would run or reach out)`],
        ["Multi-AZ database, cache, nodes", "an AZ loss costs a failover (1-2 minutes), no data", `game days: ${Object.keys(EXPERIMENTS).join(", ")}`],
      ],
    ),
  };
}

const BLOCK = /<!-- generated:([\w-]+) -->\n(?:[\s\S]*?\n)?<!-- \/generated:\1 -->/g;

/** `doc` with every generated block re-rendered; throws on a block the code does not render. */
export function renderComplianceDoc(doc: string): string {
  const sections = complianceSections();
  return doc.replace(BLOCK, (_m, name: string) => {
    if (!(name in sections)) throw new Error(`docs/compliance.md: generated block "${name}" is not one of ${Object.keys(sections).join(", ")}`);
    return `<!-- generated:${name} -->\n${sections[name]}\n<!-- /generated:${name} -->`;
  });
}

/** The names of the generated blocks a document holds. */
export function generatedBlocks(doc: string): string[] {
  return [...doc.matchAll(BLOCK)].map((m) => m[1]);
}
