/** Markdown renderings of estimates: one table per stack (a line per driver), a summary per environment. */
import { CostLine, StackEstimate } from "./index";

/** `$1,234.56`. */
export function usd(n: number): string {
  const sign = n < 0 ? "-" : "";
  return `${sign}$${Math.abs(n).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

const cell = (text: string) => text.replace(/\|/g, "\\|");

/** `6 × $0.096/hour × 730 h × 0.35 spot`, `27 × $1/month`. */
export function formula(l: CostLine): string {
  const price = l.unitPriceUsd >= 0.01 ? `$${Number(l.unitPriceUsd.toFixed(4))}` : `$${l.unitPriceUsd}`;
  // A monthly price billed once a month needs no "× 1 month".
  const per = l.per === 1 && l.priceUnit !== "hour" && l.priceUnit !== "GB" ? "" : ` × ${l.per} ${l.perUnit}`;
  return `${l.count} × ${price}/${l.priceUnit}${per}${l.factor ? ` × ${l.factor.value} ${l.factor.why}` : ""}`;
}

/** One stack's table: a line per driver (largest first), its total, then what is not priced. */
export function stackTable(e: StackEstimate): string[] {
  const lines = [`| Driver | Resource type | Region | Count × unit price × hours/GB | Assumptions | Monthly |`, `|---|---|---|---|---|--:|`];
  for (const l of e.lines) {
    lines.push(`| ${cell(l.driver)} | \`${l.type}\` | ${l.region} | ${formula(l)} | ${l.assumptions.join(", ")} | ${usd(l.monthlyUsd)} |`);
  }
  lines.push(`| **Total** | | | | | **${usd(e.totalUsd)}** |`);
  if (e.notPriced.length > 0) lines.push("", ...notPricedLines(e));
  return lines;
}

/** "Not priced" resources, grouped by type and reason: never silently zero. */
export function notPricedLines(e: StackEstimate): string[] {
  const groups = new Map<string, number>();
  for (const n of e.notPriced) groups.set(`\`${n.type}\`: ${n.reason}`, (groups.get(`\`${n.type}\`: ${n.reason}`) ?? 0) + 1);
  return [`Not priced (${e.notPriced.length} resource(s); usage-billed or without a driver, not counted in the total):`, ...[...groups].map(([what, n]) => `- ${n} × ${what}`)];
}
