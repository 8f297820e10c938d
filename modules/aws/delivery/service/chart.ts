import { existsSync, readFileSync } from "fs";
import { join, relative, resolve } from "path";
import { parse } from "yaml";
import { DELIVERY_STRATEGIES, DeliveryStrategy, ServiceChart, ServiceSpec, ServiceTierRelease, TIER_VALUES_FILES } from "./spec";
import { validateServiceSpec } from "./validate";

/** The repository root (charts are addressed relative to it, as Argo CD's `source.path`). */
export const REPOSITORY_ROOT = resolve(__dirname, "..", "..", "..", "..");
/** Where the service charts live: `helm/services/<name>`. */
export const SERVICE_CHARTS_DIR = "helm/services";

type Values = Record<string, unknown>;

function readValues(file: string): Values {
  const values: unknown = parse(readFileSync(file, "utf8"));
  if (typeof values !== "object" || values === null || Array.isArray(values)) throw new Error(`${file}: is not a YAML mapping`);
  return values as Values;
}

/** `a.b` of a values tree, or undefined. */
function at(values: Values, ...keys: string[]): unknown {
  return keys.reduce<unknown>((v, k) => (typeof v === "object" && v !== null ? (v as Values)[k] : undefined), values);
}

/**
 * Reads a service chart (`<root>/helm/services/<name>`): the `service:` block of values.yaml (checked
 * by `validateServiceSpec`) and, for each tier whose values file exists, the image the pipeline
 * recorded and the delivery strategy (the file's value over values.yaml's). The chart's directory
 * name must be the service's name, so the path Argo CD renders and the names cdktf gives the AWS
 * side are one.
 */
export function loadServiceChart(name: string, root: string = REPOSITORY_ROOT): ServiceChart {
  const path = `${SERVICE_CHARTS_DIR}/${name}`;
  const dir = join(root, path);
  const where = `${path}/values.yaml`;
  if (!existsSync(join(dir, "Chart.yaml"))) throw new Error(`${path}: no Chart.yaml; a service is a chart directory (copy helm/services/auth-svc)`);
  const base = readValues(join(dir, "values.yaml"));
  const spec = base.service as ServiceSpec | undefined;
  if (typeof spec !== "object" || spec === null) throw new Error(`${where}: has no service: block (name, port, probes…)`);
  validateServiceSpec(`${where}: service`, spec);
  if (spec.name !== name) {
    throw new Error(`${where}: service.name "${spec.name}" is not the chart's directory name "${name}"; rename one so both are the service's name`);
  }
  const tiers: Record<string, ServiceTierRelease> = {};
  for (const [tier, valuesFile] of Object.entries(TIER_VALUES_FILES)) {
    const file = join(dir, valuesFile);
    if (!existsSync(file)) continue;
    const values = readValues(file);
    const pick = (...keys: string[]) => at(values, ...keys) ?? at(base, ...keys);
    const strategy = pick("delivery", "strategy") as DeliveryStrategy;
    if (!DELIVERY_STRATEGIES.includes(strategy)) {
      throw new Error(`${path}/${valuesFile}: delivery.strategy "${String(strategy)}" is not one of ${DELIVERY_STRATEGIES.join(", ")}`);
    }
    const minReplicas = pick("replicas", "min");
    if (!Number.isInteger(minReplicas) || (minReplicas as number) < 1) {
      throw new Error(`${path}/${valuesFile}: replicas.min ${JSON.stringify(minReplicas)} is not a whole number ≥ 1; set the fewest pods the service runs`);
    }
    tiers[tier] = {
      valuesFile,
      tag: String(pick("image", "tag") ?? ""),
      digest: String(pick("image", "digest") ?? ""),
      strategy,
      minReplicas: minReplicas as number,
    };
  }
  return { path: relative(root, dir).split("\\").join("/"), spec, tiers };
}
