import { StackDocument, TerraformDocument } from "../guardrails/engine";
import { QUOTAS, QuotaDefinition, quota } from "./table";
import { SynthesizedStack, Usage, measureUsage } from "./usage";

export { PREFIX_LIST_WEIGHTS, QUOTAS, REGIONAL_PREFIX_LIST_WEIGHTS, STANDARD_FAMILY, prefixListWeight, quota, standardVcpus } from "./table";
export type { QuotaDefinition, QuotaScope } from "./table";
export { PRE_EXISTING_PER_REGION, measureUsage, nodeVcpus } from "./usage";
export type { Contribution, SynthesizedStack, Usage } from "./usage";

/** The document where quota increases are requested in code, and the manual steps are written. */
export const QUOTA_DOC = "docs/first-apply-aws.md";
/** The account config field that lists the increases requested in code. */
export const QUOTA_REQUESTS_FIELD = "account.serviceQuotas.requests";

/** An increase requested in code: an `aws_servicequotas_service_quota` of some stack. */
export interface RequestedQuota {
  readonly serviceCode: string;
  readonly quotaCode: string;
  readonly region: string;
  readonly value: number;
  /** The stack and address that request it. */
  readonly requestedBy: string;
}

/** How one usage compares with its quota. */
export interface QuotaCheck {
  readonly quota: QuotaDefinition;
  readonly usage: Usage;
  /** The value the check compares with: the request in code when there is one, else the AWS default. */
  readonly limit: number;
  /** The request that raises it, if any. */
  readonly request?: RequestedQuota;
  /** `ok` within the default; `requested` above the default but within a request in code; `exceeded` above both. */
  readonly status: "ok" | "requested" | "exceeded";
}

/** The increases the stacks request (`aws_servicequotas_service_quota`), by region. */
export function requestedQuotas(stacks: readonly SynthesizedStack[]): RequestedQuota[] {
  return stacks.flatMap(({ stack, doc }) => {
    const view = new StackDocument(doc);
    const defaultRegion = regionOfDefaultProvider(doc);
    return view.resources("aws_servicequotas_service_quota").map((r) => ({
      serviceCode: String(r.config.service_code),
      quotaCode: String(r.config.quota_code),
      region: typeof r.config.region === "string" ? r.config.region : defaultRegion,
      value: Number(r.config.value),
      requestedBy: `${stack}: ${r.address}`,
    }));
  });
}

function regionOfDefaultProvider(doc: TerraformDocument): string {
  const aws = (doc.provider as Record<string, unknown> | undefined)?.aws;
  const list = (Array.isArray(aws) ? aws : aws ? [aws] : []) as { alias?: string; region?: string }[];
  return list.find((p) => !p.alias)?.region ?? "unknown-region";
}

/** Every usage of the stacks against its quota, the largest share of its limit first within each quota. */
export function checkQuotas(stacks: readonly SynthesizedStack[]): QuotaCheck[] {
  const requests = requestedQuotas(stacks);
  const order = new Map(QUOTAS.map((q, i) => [q.key, i]));
  return measureUsage(stacks)
    .map((usage): QuotaCheck => {
      const q = quota(usage.quotaKey);
      const request = requests
        .filter((r) => r.quotaCode === q.quotaCode && r.serviceCode === q.serviceCode && r.region === usage.region)
        .sort((a, b) => b.value - a.value)[0];
      const limit = Math.max(q.defaultValue, request?.value ?? 0);
      const status = usage.used <= q.defaultValue ? "ok" : usage.used <= limit ? "requested" : "exceeded";
      return { quota: q, usage, limit, request, status };
    })
    .sort((a, b) => order.get(a.quota.key)! - order.get(b.quota.key)! || a.usage.region.localeCompare(b.usage.region) || b.usage.used / b.limit - a.usage.used / a.limit);
}

/** `production: aws_eip.x ×1, staging: aws_eip.y ×1 …`, per stack. */
function contributors(usage: Usage): string {
  const byStack = new Map<string, number>();
  for (const c of usage.contributions) byStack.set(c.stack, (byStack.get(c.stack) ?? 0) + c.amount);
  return [...byStack].map(([stack, n]) => `${stack} ${n}`).join(", ");
}

const where = (c: QuotaCheck) => `${c.usage.region}${c.usage.scope ? ` (${c.usage.scope})` : ""}`;
const codeOf = (q: QuotaDefinition) => (q.quotaCode ? `${q.serviceCode}/${q.quotaCode}` : `${q.serviceCode} (no Service Quotas code)`);

/**
 * The message of a quota the stacks exceed: the quota code, where, how much and by whom, and the
 * fix — a request in code (`account.serviceQuotas.requests`, applied by the account stack as an
 * `aws_servicequotas_service_quota`) or the manual step; for a hard limit, a change of design.
 */
export function formatExceeded(c: QuotaCheck): string {
  const { quota: q, usage } = c;
  const head = `[QUOTA ${codeOf(q)}] ${q.name} in ${where(c)}: the stacks use ${usage.used} (${contributors(usage)}), above the AWS default of ${q.defaultValue}`;
  if (!q.adjustable) return `${head}; a hard limit, no request raises it. Fix: use fewer (share one across stacks) — ${QUOTA_DOC}, "Quotas"`;
  const requested = c.request ? ` and the ${c.request.value} requested by ${c.request.requestedBy}` : "";
  return (
    `${head}${requested}. Fix: add { serviceCode: "${q.serviceCode}", quotaCode: "${q.quotaCode}", region: "${usage.region}", value: ${usage.used} or more } ` +
    `to ${QUOTA_REQUESTS_FIELD} (the account stack requests it), or request it by hand ` +
    `(aws service-quotas request-service-quota-increase --region ${usage.region} --service-code ${q.serviceCode} --quota-code ${q.quotaCode} --desired-value ${usage.used}) ` +
    `and record it there — ${QUOTA_DOC}, "Quotas"`
  );
}

/** One line for a usage above its default that a request in code covers. */
export function formatRequested(c: QuotaCheck): string {
  return `[QUOTA ${codeOf(c.quota)}] ${c.quota.name} in ${where(c)}: ${c.usage.used} used, above the default ${c.quota.defaultValue}, within the ${c.limit} requested by ${c.request!.requestedBy}`;
}

/** The one summary line of the check. */
export function quotaSummary(checks: readonly QuotaCheck[]): string {
  const count = (s: QuotaCheck["status"]) => checks.filter((c) => c.status === s).length;
  return `quotas: ${checks.length} usage(s) of ${QUOTAS.length} quotas checked, ${count("requested")} above the default and requested in code, ${count("exceeded")} exceeded`;
}

/**
 * The check as a markdown section (`npm run policy-report` appends it to `reports/guardrails.md`):
 * every usage above half its limit, or above its default, with where, how much and against what.
 */
export function quotaMarkdown(checks: readonly QuotaCheck[]): string {
  const lines = ["## Service quotas", "", quotaSummary(checks), "", "| region | quota | code | counted over | used | default | limit | status |", "|---|---|---|---|---:|---:|---:|---|"];
  for (const c of checks.filter((x) => x.status !== "ok" || x.usage.used * 2 > x.limit)) {
    const cell = (t: string) => t.replace(/\|/g, "\\|");
    lines.push(
      `| ${c.usage.region} | ${cell(c.quota.name)} | ${c.quota.quotaCode ?? "—"} | ${cell(c.usage.scope || "the region")} | ${c.usage.used} | ${c.quota.defaultValue} | ${c.limit} | ${c.status} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}
