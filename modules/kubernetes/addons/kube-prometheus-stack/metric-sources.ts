import type { HelmChartKey } from "../../platform";

/** Where Prometheus gets a family of metrics from, and the chart value that turns that scrape on. */
export interface MetricSource {
  /** Metric name prefixes (or whole names) the target exports. */
  readonly prefixes: readonly string[];
  /** The scrape target, as an operator would look for it. */
  readonly target: string;
  /** The release whose values create the target. */
  readonly release: HelmChartKey;
  /** The values path that turns the target on, and the chart's own default for it (checked in the release's values). */
  readonly enabledBy: { readonly path: string; readonly chartDefault: boolean };
}

/**
 * Every scrape target the platform's alert rules (`rules.ts`) and dashboards (`dashboards/`) read.
 * A rule or panel reading a metric no entry covers fails the tests; an entry whose release does not
 * turn it on fails them too. kube-prometheus-stack selects every ServiceMonitor of the cluster
 * (`serviceMonitorSelectorNilUsesHelmValues: false`).
 */
export const METRIC_SOURCES: readonly MetricSource[] = [
  {
    prefixes: ["kube_"],
    target: "kube-state-metrics (kube-prometheus-stack subchart)",
    release: "kubePrometheusStack",
    enabledBy: { path: "kubeStateMetrics.enabled", chartDefault: true },
  },
  {
    prefixes: ["kubelet_", "container_"],
    target: "kubelet and cAdvisor (kube-prometheus-stack's kubelet ServiceMonitor)",
    release: "kubePrometheusStack",
    enabledBy: { path: "kubelet.enabled", chartDefault: true },
  },
  {
    prefixes: ["node_"],
    target: "node-exporter DaemonSet (kube-prometheus-stack subchart)",
    release: "kubePrometheusStack",
    enabledBy: { path: "nodeExporter.enabled", chartDefault: true },
  },
  {
    // controller_runtime_*: the rule reads the karpenter namespace's series only.
    prefixes: ["karpenter_", "controller_runtime_reconcile_errors_total"],
    target: "Karpenter controller ServiceMonitor (port KARPENTER_METRICS_PORT, on Fargate)",
    release: "karpenter",
    enabledBy: { path: "serviceMonitor.enabled", chartDefault: false },
  },
  {
    prefixes: ["certmanager_"],
    target: "cert-manager controller ServiceMonitor",
    release: "certManager",
    enabledBy: { path: "prometheus.servicemonitor.enabled", chartDefault: false },
  },
  {
    prefixes: ["velero_"],
    target: "Velero server ServiceMonitor",
    release: "velero",
    enabledBy: { path: "metrics.serviceMonitor.enabled", chartDefault: false },
  },
];

/** PromQL words that are not metric names: aggregations, functions, keywords. */
const PROMQL_WORDS = new Set([
  "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values", "group",
  "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset",
  "rate", "irate", "increase", "delta", "idelta", "deriv", "predict_linear", "absent", "absent_over_time", "time",
  "max_over_time", "min_over_time", "avg_over_time", "sum_over_time", "count_over_time", "histogram_quantile",
  "label_replace", "label_join", "clamp_min", "clamp_max", "abs", "ceil", "floor", "round", "vector", "scalar",
]);

/**
 * The metric names a PromQL expression reads: identifiers outside label matchers, grouping clauses,
 * strings and range selectors that are not PromQL words or function calls.
 */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, "")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, "")
    .replace(/\[[^\]]*\]/g, "");
  const names = [...bare.matchAll(/\b[A-Za-z_:][A-Za-z0-9_:]*\b(?!\s*\()/g)]
    .map((m) => m[0])
    .filter((word) => !PROMQL_WORDS.has(word) && !/^\d/.test(word) && !/^(e|inf|nan)$/i.test(word));
  return [...new Set(names)];
}

/** The source of `metric`, or undefined when no scrape target exports it. */
export function metricSource(metric: string): MetricSource | undefined {
  return METRIC_SOURCES.find((s) => s.prefixes.some((p) => metric.startsWith(p)));
}
