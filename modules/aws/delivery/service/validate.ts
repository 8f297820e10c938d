import { parseCpu, parseMemory } from "./quantity";
import { validateNetworkLoadBalancer } from "./nlb";
import {
  DATA_STORE_KINDS,
  DataStoreKind,
  POSTGRES_CREDENTIALS,
  SERVICE_PLACEMENTS,
  ServiceSpec,
  ServiceTierValues,
} from "./spec";

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

function assertTier(where: string, values: ServiceTierValues): void {
  for (const field of ["minReplicas", "maxReplicas"] as const) {
    const n = values[field];
    if (!Number.isInteger(n) || n < 1) fail(`${where}.${field}`, `${n} is not a replica count; use a whole number ≥ 1`);
  }
  if (values.minReplicas > values.maxReplicas) {
    fail(`${where}.minReplicas`, `${values.minReplicas} is above maxReplicas (${values.maxReplicas}); minReplicas ≤ maxReplicas`);
  }
  const cpu = parseCpu(values.requests.cpu);
  if (cpu === undefined || cpu <= 0) fail(`${where}.requests.cpu`, `"${values.requests.cpu}" is not a CPU quantity; use e.g. "250m" or "1"`);
  const memory = parseMemory(values.requests.memory);
  if (memory === undefined || memory <= 0) {
    fail(`${where}.requests.memory`, `"${values.requests.memory}" is not a memory quantity; use e.g. "256Mi" or "1Gi"`);
  }
  if (values.limits?.cpu !== undefined) {
    const cpuLimit = parseCpu(values.limits.cpu);
    if (cpuLimit === undefined) fail(`${where}.limits.cpu`, `"${values.limits.cpu}" is not a CPU quantity; use e.g. "500m" or "2"`);
    if (cpuLimit < cpu) fail(`${where}.requests.cpu`, `${values.requests.cpu} is above limits.cpu (${values.limits.cpu}); requests ≤ limits`);
  }
  if (values.limits !== undefined) {
    const memoryLimit = parseMemory(values.limits.memory);
    if (memoryLimit === undefined) fail(`${where}.limits.memory`, `"${values.limits.memory}" is not a memory quantity; use e.g. "512Mi"`);
    if (memoryLimit < memory) {
      fail(`${where}.requests.memory`, `${values.requests.memory} is above limits.memory (${values.limits.memory}); requests ≤ limits`);
    }
  }
  const target = values.targetCpuUtilizationPercent;
  if (target !== undefined && (!Number.isInteger(target) || target < 10 || target > 100)) {
    fail(`${where}.targetCpuUtilizationPercent`, `${target} is outside 10-100`);
  }
}

/**
 * Checks one spec on its own (names, ports, paths, replicas, quantities, references). `where` names
 * the spec, e.g. `services.auth-svc`.
 */
export function validateServiceSpec(where: string, spec: ServiceSpec): void {
  if (!DNS_1123_LABEL.test(spec.name) || spec.name.length > MAX_SERVICE_NAME_LENGTH) {
    fail(`${where}.name`, `"${spec.name}" is not a DNS-1123 label of at most ${MAX_SERVICE_NAME_LENGTH} characters; use lowercase letters, digits and "-", starting with a letter`);
  }
  assertPort(`${where}.port`, spec.port);
  if (spec.metrics?.port !== undefined) assertPort(`${where}.metrics.port`, spec.metrics.port);
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
  (spec.dataStores ?? []).forEach((use, i) => {
    if (!DATA_STORE_KINDS.includes(use.kind)) {
      fail(`${where}.dataStores[${i}].kind`, `"${use.kind}" is not a data store the template knows; use ${DATA_STORE_KINDS.join(", ")}`);
    }
    if (use.kind === "postgres" && use.credentials !== undefined && !POSTGRES_CREDENTIALS.includes(use.credentials)) {
      fail(`${where}.dataStores[${i}].credentials`, `"${use.credentials}" is not one of ${POSTGRES_CREDENTIALS.join(", ")}`);
    }
    if ((spec.dataStores ?? []).findIndex((u) => u.kind === use.kind) !== i) {
      fail(`${where}.dataStores[${i}].kind`, `"${use.kind}" is listed twice; list each data store once`);
    }
  });
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
  for (const [tier, values] of Object.entries(spec.tiers)) assertTier(`${where}.tiers.${tier}`, values);
}

/** Checks a spec against one environment: it has values for the tier and the environment has its data stores. */
export function validateServiceInEnvironment(
  environment: string,
  tier: string,
  spec: ServiceSpec,
  available: readonly DataStoreKind[],
  withSharedSecret: readonly DataStoreKind[] = available,
): void {
  const where = `${environment}.services.${spec.name}`;
  if (!spec.tiers[tier]) {
    fail(`${where}.tiers`, `no values for tier "${tier}"; add tiers.${tier} (replicas, requests, limits)`);
  }
  (spec.dataStores ?? []).forEach((use, i) => {
    if (!available.includes(use.kind)) {
      fail(`${where}.dataStores[${i}]`, `"${use.kind}" is not a data store of ${environment} (it has ${available.join(", ") || "none"}); remove it or add the data store to the environment`);
    }
    const shared = use.kind === "redis" || use.credentials === "master";
    if (shared && !withSharedSecret.includes(use.kind)) {
      const what = use.kind === "redis" ? "AUTH token secret" : "RDS-managed master user secret";
      fail(`${where}.dataStores[${i}]`, `${environment}'s ${use.kind} has no ${what} to read; ${use.kind === "postgres" ? 'use credentials: "service-user"' : "give the cache an AUTH token"}`);
    }
  });
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
