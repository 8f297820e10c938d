import { validateNetworkLoadBalancer } from "./nlb";
import { DATA_STORE_KINDS, DataStoreKind, SERVICE_PLACEMENTS, ServiceChart, ServiceSpec } from "./spec";

/** A DNS-1123 label (Kubernetes object names, ports names): lowercase alphanumerics and "-", ≤ 63. */
export const DNS_1123_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** The longest service name: the IAM role `aivo-<env>-<name>` must fit 64 characters with a 22-character environment name. */
export const MAX_SERVICE_NAME_LENGTH = 37;
/** A public path in ALB notation: `/a/b` (exact) or `/a/b/*` (prefix); lowercase, digits, `-`, `_`, `.`. */
export const PUBLIC_PATH = /^(\/[a-z0-9._-]+)+(\/\*)?$/;
/** An HTTP probe or metrics path. */
const HTTP_PATH = /^\/[A-Za-z0-9._~\-/]*$/;
/** A name of an environment resource (`uploads` → `aivo-<env>-uploads`). */
const RESOURCE_NAME = /^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$/;
/** A Kafka topic name (Kafka's own rule), without wildcards. */
const KAFKA_TOPIC_NAME = /^(?!\.{1,2}$)[a-zA-Z0-9._-]{1,249}$/;
/** An environment variable name. */
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
/** A Prometheus duration such as `30s` or `1m`. */
const DURATION = /^\d+(ms|s|m|h)$/;
/** Container image tags ECR and OCI accept: 1-128 characters, starting with a letter, digit or `_`. */
export const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** Environment variables the template sets itself (data store endpoints and credentials). */
export const RESERVED_ENV_PREFIXES = ["DATABASE_", "REDIS_", "AWS_"] as const;

function fail(where: string, message: string): never {
  throw new Error(`${where}: ${message}`);
}

/** `true` when `tag` can be deployed: a valid tag that is not `latest` (any case). */
export function isDeployableImageTag(tag: string): boolean {
  return IMAGE_TAG.test(tag) && tag.toLowerCase() !== "latest";
}

/** Checks an image tag handed to the template; `latest` is refused (a tag must name one build). */
export function assertImageTag(where: string, tag: string): void {
  if (!isDeployableImageTag(tag)) {
    fail(where, `"${tag}" is not a deployable image tag; use the build's immutable tag (e.g. a version or commit SHA), never "latest"`);
  }
}

function assertPort(where: string, port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(where, `${port} is not a port; use 1-65535`);
  if (port < 1024) fail(where, `${port} is a privileged port a non-root container cannot bind; use 1024-65535 (e.g. 8080)`);
}

function assertHttpPath(where: string, path: string): void {
  if (!HTTP_PATH.test(path)) fail(where, `"${path}" is not an HTTP path; start with "/" and use letters, digits and -._~/`);
}

/**
 * Checks one spec on its own (names, ports, paths, references): what cdktf relies on. The chart's
 * values.schema.json checks the same and the rest (replicas, quantities) when Helm renders it.
 * `where` names the spec, e.g. `helm/services/auth-svc/values.yaml: service`.
 */
export function validateServiceSpec(where: string, spec: ServiceSpec): void {
  if (!DNS_1123_LABEL.test(spec.name) || spec.name.length > MAX_SERVICE_NAME_LENGTH) {
    fail(`${where}.name`, `"${spec.name}" is not a DNS-1123 label of at most ${MAX_SERVICE_NAME_LENGTH} characters; use lowercase letters, digits and "-", starting with a letter`);
  }
  assertPort(`${where}.port`, spec.port);
  if (spec.metrics?.port !== undefined && spec.metrics.port !== null) assertPort(`${where}.metrics.port`, spec.metrics.port);
  if (spec.networkLoadBalancer) validateNetworkLoadBalancer(where, spec, spec.networkLoadBalancer);
  assertHttpPath(`${where}.probes.liveness`, spec.probes.liveness);
  assertHttpPath(`${where}.probes.readiness`, spec.probes.readiness);
  if (spec.probes.startup !== undefined) assertHttpPath(`${where}.probes.startup`, spec.probes.startup);
  if (spec.metrics?.path !== undefined) assertHttpPath(`${where}.metrics.path`, spec.metrics.path);
  if (spec.metrics?.interval !== undefined && !DURATION.test(spec.metrics.interval)) {
    fail(`${where}.metrics.interval`, `"${spec.metrics.interval}" is not a Prometheus duration such as "30s"`);
  }
  if (spec.placement !== undefined && !SERVICE_PLACEMENTS.includes(spec.placement)) {
    fail(`${where}.placement`, `"${spec.placement}" is not a node group; use ${SERVICE_PLACEMENTS.join(", ")}`);
  }
  for (const kind of Object.keys(spec.dataStores ?? {})) {
    if (!DATA_STORE_KINDS.includes(kind as DataStoreKind)) {
      fail(`${where}.dataStores.${kind}`, `"${kind}" is not a data store the template knows; use ${DATA_STORE_KINDS.join(", ")}`);
    }
  }
  (spec.awsAccess ?? []).forEach((grant, i) => {
    if (grant.kind === "kafka-topic") {
      if (!KAFKA_TOPIC_NAME.test(grant.topic)) fail(`${where}.awsAccess[${i}].topic`, `"${grant.topic}" is not a Kafka topic name (letters, digits, ".", "_", "-"; no wildcards)`);
      if (!["produce", "consume"].includes(grant.access)) fail(`${where}.awsAccess[${i}].access`, `"${grant.access}" is not "produce" or "consume"`);
      return;
    }
    const name = grant.kind === "s3-bucket" ? grant.bucket : grant.kind === "sqs-queue" ? grant.queue : grant.topic;
    if (!RESOURCE_NAME.test(name)) {
      fail(`${where}.awsAccess[${i}]`, `"${name}" is not a resource name of the environment; give the component name (e.g. "uploads" for aivo-<env>-uploads), no wildcards or ARNs`);
    }
  });
  (spec.calls ?? []).forEach((callee, i) => {
    if (!DNS_1123_LABEL.test(callee)) fail(`${where}.calls[${i}]`, `"${callee}" is not a service name`);
    if (callee === spec.name) fail(`${where}.calls[${i}]`, `"${callee}" is the service itself; a pod reaches itself without a policy`);
    if ((spec.calls ?? []).indexOf(callee) !== i) fail(`${where}.calls[${i}]`, `"${callee}" is listed twice`);
  });
  const paths = spec.publicPaths ?? [];
  paths.forEach((path, i) => {
    if (!PUBLIC_PATH.test(path)) {
      fail(`${where}.publicPaths[${i}]`, `"${path}" is not a public path; use "/a/b" (exact) or "/a/b/*" (prefix), lowercase`);
    }
    if (paths.indexOf(path) !== i) fail(`${where}.publicPaths[${i}]`, `"${path}" is listed twice`);
  });
  for (const name of Object.keys(spec.env ?? {})) {
    if (!ENV_NAME.test(name)) fail(`${where}.env.${name}`, `"${name}" is not an environment variable name; use A-Z, 0-9 and _`);
    if (RESERVED_ENV_PREFIXES.some((p) => name.startsWith(p))) {
      fail(`${where}.env.${name}`, `names starting with ${RESERVED_ENV_PREFIXES.join(", ")} are set by the template from dataStores and the service account`);
    }
  }
  const grace = spec.terminationGracePeriodSeconds;
  if (grace !== undefined && (!Number.isInteger(grace) || grace < 10 || grace > 300)) {
    fail(`${where}.terminationGracePeriodSeconds`, `${grace} is outside 10-300 seconds`);
  }
  const keep = spec.keepImages;
  if (keep !== undefined && (!Number.isInteger(keep) || keep < 5 || keep > 1000)) {
    fail(`${where}.keepImages`, `${keep} is outside 5-1000; keep enough images to roll back`);
  }
}

/** The data stores a spec uses (`dataStores.<kind>: true`). */
export function usedDataStores(spec: ServiceSpec): DataStoreKind[] {
  return DATA_STORE_KINDS.filter((kind) => spec.dataStores?.[kind] === true);
}

/** Checks a chart against one environment: it has a values file for the tier and the environment has its data stores. */
export function validateServiceInEnvironment(environment: string, tier: string, chart: ServiceChart, available: readonly DataStoreKind[]): void {
  const { spec } = chart;
  const where = `${environment}.services.${spec.name}`;
  if (!chart.tiers[tier]) {
    fail(`${where}`, `${chart.path} has no values file for tier "${tier}"; add one (copy values-dev.yaml) and list it in TIER_VALUES_FILES`);
  }
  for (const kind of usedDataStores(spec)) {
    if (!available.includes(kind)) {
      fail(`${where}.dataStores.${kind}`, `${environment} has no ${kind} (it has ${available.join(", ") || "none"}); turn it off in ${chart.path}/values.yaml or add the data store to the environment`);
    }
  }
  const release = chart.tiers[tier];
  if (release.digest !== "" && !/^sha256:[a-f0-9]{64}$/.test(release.digest)) {
    fail(`${where}.image.digest`, `"${release.digest}" in ${chart.path}/${release.valuesFile} is not a sha256 digest; the pipeline writes sha256:<64 hex>`);
  }
  if (release.tag !== "") assertImageTag(`${where}.image.tag`, release.tag);
}

/** Checks the registry: each spec, then names and public paths unique across services. */
export function validateServiceRegistry(specs: readonly ServiceSpec[]): void {
  specs.forEach((spec) => validateServiceSpec(`services.${spec.name}`, spec));
  specs.forEach((spec, i) => {
    const first = specs.findIndex((s) => s.name === spec.name);
    if (first !== i) fail(`services[${i}].name`, `"${spec.name}" is also the name of services[${first}]; names must be unique`);
  });
  const names = specs.map((s) => s.name);
  specs.forEach((spec) => {
    (spec.calls ?? []).forEach((callee, i) => {
      if (!names.includes(callee)) fail(`services.${spec.name}.calls[${i}]`, `"${callee}" is not a service; use one of ${names.join(", ")}`);
    });
  });
  const owners = new Map<string, string>();
  specs.forEach((spec) => {
    (spec.publicPaths ?? []).forEach((path, j) => {
      const owner = owners.get(path);
      if (owner !== undefined) {
        fail(`services.${spec.name}.publicPaths[${j}]`, `"${path}" is already a public path of ${owner}; public paths must be unique across services`);
      }
      owners.set(path, spec.name);
    });
  });
}
