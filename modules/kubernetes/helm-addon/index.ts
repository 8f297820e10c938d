import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { Release } from "@cdktf/provider-helm/lib/release";
import type { ClusterContext, HelmChart } from "../platform";
import { escapeTemplateSequences } from "../../shared/hcl";
import type { PodGroup } from "../capacity/pods";

export type { HelmChart } from "../platform";

/** A Helm values tree: JSON values only (strings may carry Terraform references). */
export type HelmValue = string | number | boolean | null | readonly HelmValue[] | HelmValues;
export interface HelmValues {
  readonly [key: string]: HelmValue | undefined;
}

/** Seconds Helm waits for a release's resources to become ready before it fails (and, atomic, rolls back). */
export const DEFAULT_HELM_TIMEOUT_SECONDS = 600;

/** A chart version: semver 2.0 with an optional leading `v` (cert-manager tags its chart `v1.21.1`). */
const CHART_VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/**
 * Value keys that hold credentials. Values are written in clear into the plan and the state, so a
 * release never carries one: credentials reach pods through External Secrets or IRSA.
 */
const SECRET_KEYS = new Set(["password", "secretkey", "secretaccesskey", "accesskeyid", "apikey", "token", "clientsecret", "privatekey", "routingkey"]);

/** Throws `<where>.version: <value> …` unless `version` is a pinned semver chart version. */
export function assertChartVersion(where: string, version: string): void {
  if (!CHART_VERSION.test(version)) {
    throw new Error(`${where}.version: "${version}" is not a pinned chart version; use semver like 1.2.3 or v1.2.3 (no ranges)`);
  }
}

/** Throws `<where>.replicas: …` unless `replicas` is a whole number ≥ 1. */
export function assertReplicas(where: string, replicas: number): void {
  if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`${where}.replicas: ${replicas} is not a replica count; use a whole number ≥ 1`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * `overrides` merged over `defaults`: objects merge key by key, recursively; arrays, scalars and
 * `null` replace; an `undefined` override keeps the default.
 */
export function mergeValues(defaults: HelmValues, overrides: HelmValues = {}): HelmValues {
  const out: Record<string, HelmValue | undefined> = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const base = out[key];
    out[key] = isPlainObject(base) && isPlainObject(value) ? mergeValues(base as HelmValues, value as HelmValues) : value;
  }
  return out;
}

/** Throws when a key of `values` names a credential with a non-empty value (path in the message). */
export function assertNoSecrets(where: string, values: HelmValue | undefined, path = "values"): void {
  if (Array.isArray(values)) {
    values.forEach((v, i) => assertNoSecrets(where, v, `${path}[${i}]`));
  } else if (isPlainObject(values)) {
    for (const [key, value] of Object.entries(values)) {
      if (SECRET_KEYS.has(key.toLowerCase()) && typeof value === "string" && value !== "") {
        throw new Error(
          `${where}.${path}.${key}: a credential in Helm values is written to the plan and state in clear; deliver it with External Secrets (a Kubernetes Secret) or IRSA instead`,
        );
      }
      assertNoSecrets(where, value as HelmValue, `${path}.${key}`);
    }
  }
}

export interface HelmAddOnProps {
  /**
   * Where the add-on's settings live in the configuration, e.g. `development.kubernetes.certManager`;
   * prefixes validation messages.
   */
  readonly where: string;
  /** Release name, namespace, chart, repository and pinned version (usually an entry of `HELM_CHARTS`). */
  readonly chart: HelmChart;
  /**
   * The pods the release places, declared beside the values that set them: each workload's replicas
   * (or `daemonSet: true`), node selector and tolerations. The synth-time capacity check
   * (modules/kubernetes/capacity) places them on the nodes that exist when the stack applies. A chart
   * that runs no pod (CRDs, policies) declares `[]`.
   */
  readonly pods: readonly PodGroup[];
  /** The add-on's own values (its `defaultValues`). @default {} */
  readonly defaultValues?: HelmValues;
  /** Values merged over `defaultValues` (see `mergeValues`). @default {} */
  readonly values?: HelmValues;
  /** Resources and releases that must be ready first (a namespace, the webhook of an earlier controller). @default none */
  readonly dependsOn?: ITerraformDependable[];
  /** Seconds Helm waits for the release to be ready. @default DEFAULT_HELM_TIMEOUT_SECONDS */
  readonly timeoutSeconds?: number;
  /**
   * Roll the release back when it fails (`atomic` + `cleanup_on_fail`), so a failed apply leaves the
   * previous working release, not a half-installed one. @default true
   */
  readonly atomic?: boolean;
  /**
   * Wait for the release's Deployments, StatefulSets and DaemonSets to be ready. Turn it off only for a
   * release whose pods wait on something a later stack creates (a Secret written by an ExternalSecret
   * of `<env>-workloads`, or a NodePool of a dedicated node pool); `atomic` is then off too (Helm's atomic implies wait). @default true
   */
  readonly wait?: boolean;
  /** Skip the chart's `crds/` directory (when a separate chart owns the CRDs, e.g. karpenter-crd). @default false */
  readonly skipCrds?: boolean;
  /** The Helm provider. @default the stack's default helm provider */
  readonly provider?: HelmProvider;
}

/**
 * One Helm release, the base of every Helm-installed component (cdk-eks-blueprints' `HelmAddOn`):
 * a pinned chart, typed values merged (user over defaults) and rendered once as one JSON document
 * (`values = [<json>]`, JSON is YAML; never a `set` list), `wait` on, `atomic` and `cleanup_on_fail`
 * on by default, and an explicit `dependsOn` order. Helm installs into an existing namespace only
 * (`create_namespace = false`): namespaces and their pod security labels are created by the stack.
 *
 * An add-on is a subclass (or a function) that passes its `HELM_CHARTS` entry and default values.
 */
export class HelmAddOn extends Construct {
  /** The `helm_release` (escape hatch). */
  readonly release: Release;
  /** The release name. */
  readonly releaseName: string;
  /** The namespace the release is installed into. */
  readonly namespace: string;
  /** The chart and version installed. */
  readonly chart: HelmChart;
  /** The merged values, as rendered into the release. */
  readonly values: HelmValues;
  /** The pods the release places (`HelmAddOnProps.pods`). */
  readonly pods: readonly PodGroup[];
  /** Whether the apply waits for the release's workloads to be ready. */
  readonly waits: boolean;

  constructor(scope: Construct, id: string, props: HelmAddOnProps) {
    super(scope, id);
    const { chart, where } = props;
    assertChartVersion(where, chart.version);
    const timeout = props.timeoutSeconds ?? DEFAULT_HELM_TIMEOUT_SECONDS;
    if (!Number.isInteger(timeout) || timeout < 60 || timeout > 3600) {
      throw new Error(`${where}.timeoutSeconds: ${timeout} is not a whole number of seconds between 60 and 3600`);
    }
    this.values = mergeValues(props.defaultValues ?? {}, props.values ?? {});
    assertNoSecrets(where, this.values);
    const wait = props.wait ?? true;
    const atomic = wait && (props.atomic ?? true);

    this.release = new Release(this, "release", {
      provider: props.provider,
      name: chart.name,
      namespace: chart.namespace,
      createNamespace: false,
      chart: chart.chart,
      repository: chart.repository,
      version: chart.version,
      // Literal `${…}` in values (OpenTelemetry's `${env:…}`, shell snippets) must reach Helm as written.
      values: [escapeTemplateSequences(JSON.stringify(this.values))],
      wait,
      waitForJobs: wait,
      atomic,
      cleanupOnFail: atomic,
      timeout,
      skipCrds: props.skipCrds ?? false,
      maxHistory: 10,
      dependsOn: props.dependsOn,
    });
    this.releaseName = chart.name;
    this.namespace = chart.namespace;
    this.chart = chart;
    this.pods = props.pods;
    this.waits = wait;
  }
}

/** What every controller add-on takes besides its own settings. */
export interface ControllerAddOnProps {
  /** Config path of the add-on, e.g. `production.kubernetes.certManager`; prefixes validation messages. */
  readonly where: string;
  /** The environment's cluster (names, OIDC provider, zones …). */
  readonly cluster: ClusterContext;
  /** The chart to install (its `HELM_CHARTS` entry, with the environment's version override). */
  readonly chart: HelmChart;
  /** Controller replicas. @default 2 */
  readonly replicas?: number;
  /** Values merged over the add-on's defaults. @default {} */
  readonly values?: HelmValues;
  /** Releases and resources installed first. @default none */
  readonly dependsOn?: ITerraformDependable[];
}
