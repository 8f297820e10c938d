import { overlaps, parseIpv4Cidr } from "../modules/shared/cidr";
import { validateEksProps } from "../modules/aws/compute/eks";
import { Naming } from "../modules/shared/naming";
import { validateNetworkLayout } from "../modules/aws/network/vpc/validate";
import { DEFAULT_NODE_GROUPS, assertPodCapacity } from "../modules/aws/compute/eks";
import { CLOUDFRONT_REGION } from "../modules/shared/aws-context";
import { validateFargateSettings } from "../modules/aws/compute/fargate-profile";
import { SPECIALIZED_POOLS, validateNodePools } from "../modules/kubernetes/cluster/node-pools";
import { validateStorageClasses } from "../modules/kubernetes/cluster/storage-classes";
import { assertLogRetentionDays } from "../modules/shared/log-retention";
import { validateFileStorage } from "../modules/aws/data/file-storage";
import { validateKafka, validateTopicsJobImage } from "../modules/aws/data/kafka";
import { validateTimeseries } from "../modules/aws/data/timeseries";
import { validateKubernetesSettings } from "../modules/kubernetes/platform/settings";
import { NAMESPACES } from "../modules/kubernetes/platform";
import { ACCOUNT_STACK } from "./account-stack";
import { BOOTSTRAP_STACK } from "./bootstrap-stack";
import { DATABASE_RPO_SECONDS } from "./dr-stack";
import { stateKey } from "./state";
import { validateAuth0 } from "../modules/kubernetes/cluster/auth0";
import { validateSiteToSiteVpn } from "../modules/aws/network/site-to-site-vpn";
import { validateTailscale } from "../modules/kubernetes/addons/tailscale";
import { validateTracing } from "../modules/aws/observability/tracing";
import { validateVault } from "../modules/kubernetes/addons/vault";
import { validateEndpointServices } from "../modules/aws/network/vpc-endpoints";
import { ENVIRONMENT_TIERS, EnvironmentConfig, PROJECT } from "./types";
import { validateObservability } from "../modules/kubernetes/addons/kube-prometheus-stack";
import { validateVeleroSettings } from "../modules/kubernetes/addons/velero";
import { usageErrors } from "../modules/shared/cost/usage";
import { overBudgetErrors } from "../modules/shared/cost/budget";
import { validateGeolocation } from "../modules/aws/network/failover-dns";
import { userExperienceRules } from "./user-experience";

/** A mistake in an environment's configuration; `npm run synth` prints its message, not a stack trace. */
export class ConfigError extends Error {
  override readonly name: string = "ConfigError";
}

/** Several mistakes found in one run; `errors` holds each one, the message lists them one per line. */
export class ConfigErrors extends ConfigError {
  override readonly name = "ConfigErrors";
  constructor(readonly errors: readonly Error[]) {
    super(errors.map((e) => e.message).join("\n"));
  }
}

const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
/** 2-22 characters: short names (`qa`) are fine; 22 keeps `aivo-<env>-<component>` within AWS name limits. */
const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,20}[a-z0-9]$/;
/** The least log retention, in days, a production environment may keep (checkov CKV_AWS_338). */
export const PRODUCTION_MIN_LOG_RETENTION_DAYS = 365;

/** Where the rules of one validation run report; each message is kept once, in the order found. */
class Findings {
  readonly errors: ConfigError[] = [];
  fail(message: string): void {
    if (!this.errors.some((e) => e.message === message)) this.errors.push(new ConfigError(message));
  }
  /** Runs a module's own rule on the config, recording what it throws. */
  check(rule: () => void): void {
    try {
      rule();
    } catch (error) {
      this.fail((error as Error).message);
    }
  }
  throwIfAny(): void {
    if (this.errors.length === 1) throw this.errors[0];
    if (this.errors.length > 1) throw new ConfigErrors(this.errors);
  }
}

/** Every mistake of one environment: `<env>.<field>: <value> <rule>` messages, none when it is valid. */
export function environmentErrors(config: EnvironmentConfig): ConfigError[] {
  const findings = new Findings();
  checkEnvironment(config, findings);
  return findings.errors;
}

/** Checks one environment; throws a `ConfigError` (several: `ConfigErrors`) naming `<env>.<field>`, the value and the rule. */
export function validateEnvironment(config: EnvironmentConfig): void {
  const findings = new Findings();
  checkEnvironment(config, findings);
  findings.throwIfAny();
}

function checkEnvironment(config: EnvironmentConfig, findings: Findings): void {
  const fail = (message: string) => findings.fail(message);
  const check = (rule: () => void) => findings.check(rule);
  const env = config.name;
  if (!ENVIRONMENT_NAME.test(env)) {
    fail(`environment name "${env}": use 2-22 lowercase letters, digits and "-", starting with a letter and not ending with "-"`);
    return; // every other message would carry the bad name
  }
  if (!ENVIRONMENT_TIERS.includes(config.tier)) {
    fail(`${env}.tier: "${config.tier}" is not one of ${ENVIRONMENT_TIERS.join(", ")}`);
  }
  if (!AWS_REGION.test(config.region)) fail(`${env}.region: "${config.region}" is not an AWS region like us-east-1`);
  if (config.region !== CLOUDFRONT_REGION) {
    fail(
      `${env}.region: "${config.region}": the origin health-check and CloudFront outage alarms exist only in ${CLOUDFRONT_REGION} and page through the environment's critical topic, which must be in the same region; use ${CLOUDFRONT_REGION} (or give the edge a ${CLOUDFRONT_REGION} critical topic first)`,
    );
  }
  if (config.drRegion !== undefined) {
    if (!AWS_REGION.test(config.drRegion)) {
      fail(`${env}.drRegion: "${config.drRegion}" is not an AWS region like us-west-2`);
    }
    if (config.drRegion === config.region) {
      fail(`${env}.drRegion: ${config.drRegion} equals the primary region; disaster recovery needs another region (e.g. us-west-2)`);
    }
  }
  if (config.tier === "production" && config.drRegion === undefined) {
    fail(`${env}.drRegion: a production environment needs a disaster-recovery region (the platform uses us-west-2)`);
  }
  if (!config.costCenter || !/^[\w .:/=+@-]{1,256}$/.test(config.costCenter)) {
    fail(`${env}.costCenter: "${config.costCenter}" is not a valid tag value (1-256 letters, digits, spaces and _.:/=+-@)`);
  }
  check(() => assertLogRetentionDays(`${env}.logRetentionDays`, config.logRetentionDays));
  if (config.tier === "production" && config.logRetentionDays < PRODUCTION_MIN_LOG_RETENTION_DAYS) {
    fail(`${env}.logRetentionDays: ${config.logRetentionDays} is below the ${PRODUCTION_MIN_LOG_RETENTION_DAYS} days production keeps logs`);
  }
  check(() => validateNetworkLayout(env, config.region, config.network));
  check(() => validatePodAddresses(config));
  check(() =>
    validateKubernetesSettings(config.kubernetes, {
      environment: env,
      tier: config.tier,
      endpointPublicAccess: config.eks.endpointPublicAccess ?? false,
      publicAccessCidrs: config.eks.publicAccessCidrs ?? [],
      privateAccessCidrs: config.eks.privateAccessCidrs ?? [],
      vpcCidr: config.network.vpcCidr,
    }),
  );
  check(() => validateObservability(`${env}.observability`, config.observability));
  if (config.tier === "production" && !config.observability.receivers.pagerDuty) {
    fail(`${env}.observability.receivers.pagerDuty: missing; production pages PagerDuty "Platform On-Call" for critical alerts`);
  }
  check(() => validateVeleroSettings(`${env}.clusterBackups`, config.clusterBackups, config.drRegion !== undefined));
  if (config.tier === "production" && config.network.natGateways !== "one-per-az") {
    fail(`${env}.network.natGateways: "${config.network.natGateways}" leaves production without egress when one AZ fails; use "one-per-az"`);
  }
  // The EKS module's own rules, run here too so they are reported with the network's in one run.
  check(() =>
    validateEksProps({
      ...config.eks,
      naming: new Naming(PROJECT, env),
      vpcId: "vpc-validation",
      privateSubnetIds: config.network.privateSubnets.map((_, i) => `subnet-validation-${i}`),
      logRetentionDays: config.logRetentionDays,
    }),
  );
  // Storage and streaming: only development may turn EFS, MSK or InfluxDB off; sizes and topics checked.
  check(() => validateFileStorage(env, config.tier, config.fileStorage));
  check(() => validateKafka(env, config.tier, config.kafka, config.network.privateSubnets.length));
  // The topics Job runs wherever Kafka is on (<env>-workloads); its image has no default.
  if (config.kafka.enabled ?? true) check(() => validateTopicsJobImage(`${env}.kafka.topicsJobImage`, config.kafka.topicsJobImage));
  const platformNamespaces: string[] = Object.values(NAMESPACES).map((n) => n.name);
  const jobNamespace = config.kafka.topicsJobNamespace;
  if (jobNamespace !== undefined && !platformNamespaces.includes(jobNamespace)) {
    findings.fail(`${env}.kafka.topicsJobNamespace: "${jobNamespace}" is not a namespace the addons stack creates; use one of ${platformNamespaces.join(", ")} (default ${NAMESPACES.platformKafka.name})`);
  }
  check(() => validateTimeseries(env, config.tier, config.timeseries));
  // --- compute and storage choices ---
  check(() => validateFargateSettings(`${env}.fargate`, config.fargate ?? {}));
  check(() => validateNodePools(`${env}.nodePools`, config.nodePools ?? {}));
  check(() => validateStorageClasses(`${env}.storageClasses`, config.storageClasses ?? {}));
  const pools = SPECIALIZED_POOLS.filter((pool) => config.nodePools?.[pool] && (config.nodePools[pool]!.enabled ?? true));
  if (pools.length > 0 && config.eks.karpenter === false) {
    fail(`${env}.nodePools.${pools[0]}: NodePools need Karpenter, which ${env}.eks.karpenter: false turns off; enable Karpenter or remove the pool`);
  }
  checkConnectivityAndExternalSystems(config, findings);
  checkDr(config, findings);
  userExperienceRules(config).forEach(check);
  // The cost estimate's usage assumptions and an acknowledged excess over the budget (docs/cost.md).
  usageErrors(`${env}.cost.usage`, config.cost.usage ?? {}).forEach(fail);
  if (config.cost.overBudget) overBudgetErrors(`${env}.cost.overBudget`, config.cost.overBudget, config.cost.monthlyBudgetUsd).forEach(fail);
}

/** Private connectivity, tracing, Auth0 and Vault (issue 16). */
function checkConnectivityAndExternalSystems(config: EnvironmentConfig, findings: Findings): void {
  const fail = (message: string) => findings.fail(message);
  const check = (rule: () => void) => findings.check(rule);
  const env = config.name;
  if (config.tier === "production" && !config.vpcEndpoints.enabled) {
    fail(`${env}.vpcEndpoints.enabled: false; production keeps AWS API traffic on PrivateLink, set it to true`);
  }
  if (config.vpcEndpoints.services) check(() => validateEndpointServices(`${env}.vpcEndpoints.services`, config.vpcEndpoints.services!));
  check(() => validateTracing(new Naming(PROJECT, env), config.tracing));
  if (config.siteToSiteVpn?.enabled) check(() => validateSiteToSiteVpn(env, config.network.vpcCidr, config.siteToSiteVpn!));
  if (config.tailscale?.enabled) {
    check(() => validateTailscale(env, [config.network.vpcCidr], config.tailscale!));
    // External Secrets' role reads aivo/<env>/* only (modules/kubernetes/addons/external-secrets).
    const prefix = `${new Naming(PROJECT, env).path().slice(1)}/`;
    const secret = config.tailscale.authKeySecretName;
    if (!secret.startsWith(prefix)) {
      fail(`${env}.tailscale.authKeySecretName: "${secret}" is outside ${prefix}, the only secrets External Secrets may read in ${env}; name it ${prefix}tailscale/auth-key`);
    }
  }
  check(() => validateAuth0(env, config.auth0));
  if (config.vault) check(() => validateVault(env, config.vault!));
}

/** The DR section: it needs a DR region, its VPC fits that region, and its replica lag alarm fires before the RPO is lost. */
function checkDr(config: EnvironmentConfig, findings: Findings): void {
  const env = config.name;
  const dr = config.dr;
  if (dr === undefined) return;
  if (config.drRegion === undefined) {
    findings.fail(`${env}.dr: is set but ${env}.drRegion is not; set drRegion (e.g. us-west-2) or remove dr`);
    return;
  }
  const drRegion = config.drRegion;
  findings.check(() => validateNetworkLayout(`${env}.dr`, drRegion, dr.network));
  if (dr.traffic.geolocation) findings.check(() => validateGeolocation(`${env}.dr.traffic`, config.edge.originDomain, dr.traffic.geolocation!));
  const lag = dr.database.replicaLagAlarmThresholdSeconds;
  if (lag !== undefined && (!Number.isInteger(lag) || lag < 1 || lag > DATABASE_RPO_SECONDS)) {
    findings.fail(
      `${env}.dr.database.replicaLagAlarmThresholdSeconds: ${lag} is outside 1-${DATABASE_RPO_SECONDS}; the alarm must fire before the ${DATABASE_RPO_SECONDS / 60}-minute RPO is lost`,
    );
  }
  for (const field of ["primaryTarget", "secondaryTarget"] as const) {
    // The primary's regional name is on its origin certificate, validated in the environment's zone.
    if (!dr.traffic[field].endsWith(`.${config.edge.domain}`)) {
      findings.fail(
        `${env}.dr.traffic.${field}: "${dr.traffic[field]}" is not under ${config.edge.domain}; the origin certificates are validated in that zone, use e.g. origin-${field === "primaryTarget" ? config.region : drRegion}.${config.edge.domain}`,
      );
    }
    if (dr.traffic[field] === config.edge.originDomain) {
      findings.fail(
        `${env}.dr.traffic.${field}: "${dr.traffic[field]}" is edge.originDomain, the name that fails over; use the region's own ALB name, e.g. origin-${field === "primaryTarget" ? config.region : drRegion}.${config.edge.domain}`,
      );
    }
  }
}

/** Every VPC of the configs, primary and DR, with the field that sets it. */
function vpcsOf(configs: readonly EnvironmentConfig[]): { path: string; cidr: string }[] {
  return configs.flatMap((c) => [
    { path: `${c.name}.network.vpcCidr`, cidr: c.network.vpcCidr },
    ...(c.dr ? [{ path: `${c.name}.dr.network.vpcCidr`, cidr: c.dr.network.vpcCidr }] : []),
  ]);
}

/** Stacks that are not environments; an environment of that name would share their state key. */
const RESERVED_STACK_NAMES: readonly string[] = [BOOTSTRAP_STACK, ACCOUNT_STACK];

/** The private hosted zone name an environment gets (edge's default: `internal.<domain>`). */
function privateZoneName(config: EnvironmentConfig): string {
  return config.edge.privateZoneName ?? `internal.${config.edge.domain}`;
}

/**
 * The pod subnets (or, without a pod network, the private subnets) must hold every address the nodes
 * can take at their maximums: each node group's `maxSize` and Karpenter's allowance.
 */
function validatePodAddresses(config: EnvironmentConfig): void {
  const env = config.name;
  const pods = config.network.podNetwork;
  const groups = Object.entries(config.eks.nodeGroups ?? DEFAULT_NODE_GROUPS).map(([name, g]) => ({
    label: `nodeGroups.${name}`,
    instanceTypes: g.instanceTypes,
    maxNodes: g.maxSize,
  }));
  const karpenter = config.eks.karpenterNodeAllowance;
  assertPodCapacity(
    pods
      ? { path: `${env}.network.podNetwork.subnets`, cidrs: pods.subnets, customNetworking: true }
      : { path: `${env}.network.privateSubnets`, cidrs: config.network.privateSubnets, customNetworking: false },
    karpenter ? [...groups, { label: "karpenterNodeAllowance", ...karpenter }] : groups,
    `${env}.eks`,
  );
}

/**
 * Every mistake of every environment and between them, each once: names, state keys, domains and
 * private zones are unique, and VPCs do not overlap (environments must stay peerable).
 */
export function platformErrors(configs: readonly EnvironmentConfig[]): ConfigError[] {
  const findings = new Findings();
  if (configs.length === 0) findings.fail("environments: none configured; add one to environments/index.ts");
  configs.forEach((config) => checkEnvironment(config, findings));
  const unique = (field: string, value: (c: EnvironmentConfig) => string, why: string, unlessSame?: (c: EnvironmentConfig) => string) => {
    configs.forEach((config, i) => {
      const first = configs.findIndex((other) => value(other) === value(config));
      if (first === i) return;
      if (unlessSame && unlessSame(configs[first]) === unlessSame(config)) return; // already reported for that field
      const where = field === "name" ? `environments[${i}].name` : `${config.name}.${field}`;
      const other = field === "name" ? `environments[${first}]` : configs[first].name;
      findings.fail(`${where}: "${value(config)}" is also the ${field} of ${other}; ${why}`);
    });
  };
  unique("name", (c) => c.name, "names must be unique");
  unique("edge.domain", (c) => c.edge.domain, "each environment owns its public zone; give it its own domain (e.g. qa.aivo.edu)");
  unique(
    "edge.privateZoneName",
    privateZoneName,
    "each environment owns its private zone; change edge.domain or edge.privateZoneName",
    (c) => c.edge.domain,
  );
  configs.forEach((config) => {
    if (RESERVED_STACK_NAMES.includes(config.name)) {
      findings.fail(
        `${config.name}.name: "${config.name}" is the ${config.name} stack's name and state key (${stateKey(config.name)}); choose another name`,
      );
    }
  });
  // Pod CIDRs come from 100.64.0.0/10, which never reaches the internet; they are kept apart anyway,
  // like the VPCs, so the environments stay peerable.
  configs.forEach((config, i) => {
    const pods = config.network.podNetwork && parseIpv4Cidr(config.network.podNetwork.cidr);
    configs.slice(0, i).forEach((other) => {
      const otherPods = other.network.podNetwork && parseIpv4Cidr(other.network.podNetwork.cidr);
      if (pods && otherPods && typeof pods !== "string" && typeof otherPods !== "string" && overlaps(pods, otherPods)) {
        findings.fail(
          `${config.name}.network.podNetwork.cidr: ${pods.cidr} overlaps ${other.name}.network.podNetwork.cidr (${otherPods.cidr}); pod CIDRs must not overlap so environments stay peerable`,
        );
      }
    });
  });
  const vpcs = vpcsOf(configs);
  vpcs.forEach((vpc, i) => {
    const block = parseIpv4Cidr(vpc.cidr);
    vpcs.slice(0, i).forEach((other) => {
      const otherBlock = parseIpv4Cidr(other.cidr);
      if (typeof block !== "string" && typeof otherBlock !== "string" && overlaps(block, otherBlock)) {
        findings.fail(`${vpc.path}: ${vpc.cidr} overlaps ${other.path} (${other.cidr}); VPCs must not overlap so environments stay peerable`);
      }
    });
  });
  return findings.errors;
}

/** Throws every mistake of `platformErrors` at once: one `ConfigError`, or `ConfigErrors` for several. */
export function validateEnvironments(configs: readonly EnvironmentConfig[]): void {
  const errors = platformErrors(configs);
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new ConfigErrors(errors);
}
