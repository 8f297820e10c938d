/**
 * Renders the diagrams with Graphviz compiled to WebAssembly (`@viz-js/viz`): one SVG per environment
 * (production's with its DR region beside it) and one of each DR stack alone, from the synthesized stacks.
 */
import type { TerraformDocument } from "../../modules/shared/guardrails/engine";
import { environmentDot } from "./graph";

/** What `npm run diagram` needs of an environment (a subset of `EnvironmentConfig`). */
export interface DiagramEnvironment {
  readonly name: string;
  readonly region: string;
  readonly drRegion?: string;
  /** The environment's stacks (`<env>`, `<env>-addons` …), by name, and its DR stack's name if it has one. */
  readonly stacks: readonly string[];
  readonly drStack?: string;
}

/** The DOT source of every diagram, by file name (`production.svg`, `production-dr.svg` …). */
export function diagramSources(docs: Readonly<Record<string, TerraformDocument>>, environments: readonly DiagramEnvironment[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of environments) {
    const own = e.stacks.filter((s) => docs[s]).map((s) => docs[s]);
    const drDoc = e.drStack ? docs[e.drStack] : undefined;
    const dr = drDoc && e.drRegion ? { region: e.drRegion, doc: drDoc } : undefined;
    out[`${e.name}.svg`] = environmentDot(`AIVO ${e.name}`, e.region, own, dr);
    if (dr && e.drStack) out[`${e.drStack}.svg`] = environmentDot(`AIVO ${e.name}: DR region`, dr.region, [dr.doc]);
  }
  return out;
}

/** Renders DOT sources to SVG (deterministic: the same source gives the same file). */
export async function renderSvgs(sources: Readonly<Record<string, string>>): Promise<Record<string, string>> {
  const { instance } = await import("@viz-js/viz");
  const viz = await instance();
  return Object.fromEntries(Object.entries(sources).map(([file, dot]) => [file, viz.renderString(dot, { format: "svg", engine: "dot" })]));
}
