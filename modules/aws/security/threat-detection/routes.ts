/**
 * Which security findings reach which account topic, per source, as EventBridge event patterns.
 * One table, so a test can feed sample findings of every source and severity through the patterns
 * and check where each lands.
 */

/** The account's findings topics: `critical` pages, `alert` goes to the team. */
export type FindingTopic = "critical" | "alert";
export const FINDING_TOPICS: readonly FindingTopic[] = ["critical", "alert"];

/**
 * What is routed, by the name its rules carry (`aivo-account-<source>-<topic>`): the findings of
 * GuardDuty, Security Hub and Macie, and sign-ins of the root user (the break-glass identity,
 * docs/compliance.md: every use pages).
 */
export type FindingSource = "guardduty" | "securityhub" | "macie" | "root-sign-in";
export const FINDING_SOURCES: readonly FindingSource[] = ["guardduty", "securityhub", "macie", "root-sign-in"];

/** The topics each source is routed to. */
export const SOURCE_TOPICS: Readonly<Record<FindingSource, readonly FindingTopic[]>> = {
  guardduty: ["critical", "alert"],
  securityhub: ["critical", "alert"],
  macie: ["critical", "alert"],
  "root-sign-in": ["critical"],
};

/**
 * GuardDuty scores findings 1.0-10.0 (low < 4, medium 4.0-6.9, high 7.0-8.9, critical ≥ 9): high and
 * critical page, medium alerts, low stays in the console.
 */
export const GUARDDUTY_SEVERITY = { critical: { min: 7 }, alert: { min: 4, below: 7 } } as const;

/**
 * Security Hub findings (ASFF `Severity.Label`): CRITICAL and HIGH page, MEDIUM alerts; only new,
 * active ones (a finding already notified, suppressed or resolved is not sent again). GuardDuty's and
 * Macie's own findings, which Security Hub also imports, are left out: their direct routes carry them.
 */
export const SECURITY_HUB_LABELS: Readonly<Record<FindingTopic, readonly string[]>> = { critical: ["CRITICAL", "HIGH"], alert: ["MEDIUM"] };
/** Products whose findings reach the topics directly, not again through Security Hub. */
export const ROUTED_DIRECTLY = ["GuardDuty", "Macie"] as const;

/** Macie findings (`severity.description`): High pages, Medium alerts, Low stays in the console. */
export const MACIE_SEVERITIES: Readonly<Record<FindingTopic, readonly string[]>> = { critical: ["High"], alert: ["Medium"] };

/** The EventBridge event pattern of `source`'s findings bound for `topic`. */
export function findingPattern(source: FindingSource, topic: FindingTopic): Record<string, unknown> {
  switch (source) {
    case "guardduty": {
      const s = GUARDDUTY_SEVERITY[topic];
      const numeric = "below" in s ? [">=", s.min, "<", s.below] : [">=", s.min];
      return { source: ["aws.guardduty"], "detail-type": ["GuardDuty Finding"], detail: { severity: [{ numeric }] } };
    }
    case "securityhub":
      return {
        source: ["aws.securityhub"],
        "detail-type": ["Security Hub Findings - Imported"],
        detail: {
          findings: {
            Severity: { Label: [...SECURITY_HUB_LABELS[topic]] },
            Workflow: { Status: ["NEW"] },
            RecordState: ["ACTIVE"],
            ProductName: [{ "anything-but": [...ROUTED_DIRECTLY] }],
          },
        },
      };
    case "macie":
      return { source: ["aws.macie"], "detail-type": ["Macie Finding"], detail: { severity: { description: [...MACIE_SEVERITIES[topic]] } } };
    case "root-sign-in":
      return { source: ["aws.signin"], "detail-type": ["AWS Console Sign In via CloudTrail"], detail: { userIdentity: { type: ["Root"] } } };
  }
}

/** What each route carries, for the rules' descriptions. */
export function routeLabel(source: FindingSource, topic: FindingTopic): string {
  const what = {
    guardduty: { critical: "high and critical", alert: "medium" },
    securityhub: { critical: "CRITICAL and HIGH", alert: "MEDIUM" },
    macie: { critical: "High", alert: "Medium" },
  } as const;
  if (source === "root-sign-in") return "console sign-ins of the root user (break-glass)";
  return `${source} findings of ${what[source][topic]} severity`;
}
