/**
 * The offline cost estimate: a monthly price for a synthesized stack (or a plan's changes), as one line
 * per cost driver (`count × unit price × per`), from the price table (`prices.ts`), the drivers
 * (`drivers.ts`) and stated usage assumptions (`usage.ts`). Nothing is silently zero: a resource type
 * without a driver, a price missing from the table or a region outside it is listed as "not priced".
 */
import { StackDocument, TerraformDocument, TfBlock } from "../guardrails/engine";
import { AccountFeatures, Charge, DRIVERS, DriverContext, GLOBAL_TYPES, NO_CHARGE_TYPES } from "./drivers";
import { PricedRegion, isPricedRegion, priceRow } from "./prices";
import { DEFAULT_USAGE, UsageAssumptions } from "./usage";

export type { AccountFeatures, Charge } from "./drivers";
export { DRIVERS, NO_CHARGE_TYPES, vcpusOf } from "./drivers";
export { PRICES, PRICED_REGIONS, PRICES_READ, priceRow } from "./prices";
export type { PriceRow, PricedRegion } from "./prices";
export { DEFAULT_USAGE, usageErrors, usageWith } from "./usage";
export type { UsageAssumptions } from "./usage";

/** One line of an estimate: a driver of one resource type in one region, its resources summed. */
export interface CostLine {
  readonly type: string;
  readonly driver: string;
  readonly region: PricedRegion;
  readonly priceKey: string;
  readonly unitPriceUsd: number;
  /** The unit of the price (`hour`, `GB-month` …). */
  readonly priceUnit: string;
  readonly count: number;
  readonly per: number;
  readonly perUnit: string;
  readonly factor?: Charge["factor"];
  readonly assumptions: readonly string[];
  /** The Terraform addresses summed into the line. */
  readonly addresses: readonly string[];
  readonly monthlyUsd: number;
}

/** A resource the estimate could not price, and why. */
export interface NotPriced {
  readonly address: string;
  readonly type: string;
  readonly reason: string;
}

/** The estimate of one stack. */
export interface StackEstimate {
  readonly stack: string;
  readonly lines: readonly CostLine[];
  readonly notPriced: readonly NotPriced[];
  /** Resources that cost nothing by themselves (IAM, routing, in-cluster objects …). */
  readonly noChargeCount: number;
  readonly totalUsd: number;
}

/** A resource as the drivers read it: its type, address, arguments and region. */
export interface PricedResource {
  readonly address: string;
  readonly type: string;
  readonly config: TfBlock;
  readonly region: string;
}

export interface EstimateOptions {
  /** @default DEFAULT_USAGE */
  readonly usage?: UsageAssumptions;
  /** @default GuardDuty Runtime Monitoring and Inspector EC2 scanning off (see `accountFeatures`) */
  readonly account?: AccountFeatures;
  /** The region of resources whose provider names none (stacks without an AWS provider). @default "us-east-1" */
  readonly defaultRegion?: string;
}

/** No per-node account features: what an estimate assumes without the account stack. */
export const NO_ACCOUNT_FEATURES: AccountFeatures = { guarddutyRuntime: false, inspectorEc2: false };

/** What the account stack's document turns on that bills per node: GuardDuty Runtime Monitoring, Inspector EC2 scanning. */
export function accountFeatures(doc: TerraformDocument): AccountFeatures {
  const features = Object.values(doc.resource?.aws_guardduty_detector_feature ?? {});
  const enablers = Object.values(doc.resource?.aws_inspector2_enabler ?? {});
  return {
    guarddutyRuntime: features.some((f) => ["RUNTIME_MONITORING", "EKS_RUNTIME_MONITORING"].includes(f.name) && f.status === "ENABLED"),
    inspectorEc2: enablers.some((e) => (e.resource_types ?? []).includes("EC2")),
  };
}

const roundCents = (usd: number) => Math.round(usd * 100) / 100;

/** Prices a list of resources (of one stack, or one plan) into lines and "not priced" entries. */
export function priceResources(
  stack: string,
  resources: readonly PricedResource[],
  lookup: (address: string) => TfBlock | undefined,
  options: EstimateOptions = {},
): StackEstimate {
  const usage = options.usage ?? DEFAULT_USAGE;
  const byType = new Map<string, TfBlock[]>();
  for (const r of resources) byType.set(r.type, [...(byType.get(r.type) ?? []), r.config]);
  const ctx: DriverContext = { usage, lookup, all: (type) => byType.get(type) ?? [], account: options.account ?? NO_ACCOUNT_FEATURES };
  const lines = new Map<string, CostLine>();
  const notPriced: NotPriced[] = [];
  let noChargeCount = 0;
  for (const r of resources) {
    const driver = DRIVERS[r.type];
    if (!driver) {
      if (NO_CHARGE_TYPES.has(r.type)) noChargeCount += 1;
      else notPriced.push({ address: r.address, type: r.type, reason: "no cost driver for this resource type" });
      continue;
    }
    const region = GLOBAL_TYPES.has(r.type) ? "us-east-1" : r.region;
    if (!isPricedRegion(region)) {
      notPriced.push({ address: r.address, type: r.type, reason: `region ${region} is not in the price table` });
      continue;
    }
    const result = driver(r.config, ctx, r.address);
    if ("notPriced" in result) {
      notPriced.push({ address: r.address, type: r.type, reason: result.notPriced });
      continue;
    }
    if (result.length === 0) noChargeCount += 1;
    for (const charge of result) {
      const row = priceRow(charge.priceKey);
      if (!row) {
        notPriced.push({ address: r.address, type: r.type, reason: `${charge.driver}: the price table has no row ${charge.priceKey}` });
        continue;
      }
      const unitPriceUsd = row.usd[region];
      const key = [r.type, charge.driver, region, charge.priceKey, charge.per, charge.perUnit, charge.factor?.value ?? 1].join("|");
      const monthly = charge.count * unitPriceUsd * charge.per * (charge.factor?.value ?? 1);
      const previous = lines.get(key);
      lines.set(key, {
        type: r.type,
        driver: charge.driver,
        region,
        priceKey: charge.priceKey,
        unitPriceUsd,
        priceUnit: row.unit,
        count: roundCount((previous?.count ?? 0) + charge.count),
        per: charge.per,
        perUnit: charge.perUnit,
        ...(charge.factor ? { factor: charge.factor } : {}),
        assumptions: [...new Set([...(previous?.assumptions ?? []), ...(charge.assumptions ?? [])])],
        addresses: [...(previous?.addresses ?? []), r.address],
        monthlyUsd: (previous?.monthlyUsd ?? 0) + monthly,
      });
    }
  }
  const sorted = [...lines.values()].map((l) => ({ ...l, monthlyUsd: roundCents(l.monthlyUsd) })).sort((a, b) => b.monthlyUsd - a.monthlyUsd || a.driver.localeCompare(b.driver));
  return { stack, lines: sorted, notPriced, noChargeCount, totalUsd: roundCents(sorted.reduce((sum, l) => sum + l.monthlyUsd, 0)) };
}

const roundCount = (n: number) => Math.round(n * 100) / 100;

/** The region of each AWS provider of a document, by its reference (`aws`, `aws.dr`). */
function providerRegions(doc: TerraformDocument): Map<string, string> {
  const regions = new Map<string, string>();
  const aws = doc.provider?.aws;
  for (const p of Array.isArray(aws) ? aws : aws ? [aws] : []) {
    if (typeof p.region === "string") regions.set(p.alias ? `aws.${p.alias}` : "aws", p.region);
  }
  return regions;
}

/**
 * The document with its resource types and names in sorted order, as cdktf writes `cdk.tf.json`: a
 * document recorded at synth and the same one read back from the file then give the same output.
 */
export function sortedDocument(doc: TerraformDocument): TerraformDocument {
  const sorted = (o: Record<string, Record<string, TfBlock>> = {}) =>
    Object.fromEntries(Object.keys(o).sort().map((type) => [type, Object.fromEntries(Object.keys(o[type]).sort().map((name) => [name, o[type][name]]))]));
  return { ...doc, resource: sorted(doc.resource), data: sorted(doc.data) };
}

/** Estimates one synthesized stack (its resolved `cdk.tf.json`). */
export function estimateStack(stack: string, unsorted: TerraformDocument, options: EstimateOptions = {}): StackEstimate {
  const doc = sortedDocument(unsorted);
  const indexed = new StackDocument(doc);
  const regions = providerRegions(doc);
  const fallback = regions.get("aws") ?? options.defaultRegion ?? "us-east-1";
  const resources: PricedResource[] = Object.entries(doc.resource ?? {}).flatMap(([type, byName]) =>
    Object.keys(byName).map((name) => {
      const view = indexed.at(`${type}.${name}`)!;
      const provider = typeof view.config.provider === "string" ? view.config.provider : "aws";
      return { address: view.address, type, config: view.config, region: regions.get(provider) ?? fallback };
    }),
  );
  return priceResources(stack, resources, (address) => indexed.at(address)?.config, options);
}

/** The sum of several stacks' estimates (an environment). */
export function totalOf(estimates: readonly StackEstimate[]): number {
  return roundCents(estimates.reduce((sum, e) => sum + e.totalUsd, 0));
}
