import { overlaps, parseIpv4Cidr } from "../modules/cidr";
import { validateNetworkLayout } from "../modules/network/validate";
import { validateFargateSettings } from "../modules/fargate-profile";
import { SPECIALIZED_POOLS, validateNodePools } from "../modules/node-pools";
import { validateStorageClasses } from "../modules/storage-classes";
import { assertLogRetentionDays } from "../modules/log-retention";
import { ENVIRONMENT_TIERS, EnvironmentConfig } from "./types";

/** A mistake in an environment's configuration; `npm run synth` prints its message, not a stack trace. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{1,20}[a-z0-9]$/;
/** The least log retention, in days, a production environment may keep (checkov CKV_AWS_338). */
export const PRODUCTION_MIN_LOG_RETENTION_DAYS = 365;

function fail(message: string): never {
  throw new ConfigError(message);
}

/** Runs a module's own rule on the config, reporting what it finds as a `ConfigError`. */
function check(rule: () => void): void {
  try {
    rule();
  } catch (error) {
    fail((error as Error).message);
  }
}

/** Checks one environment; throws a `ConfigError` naming `<env>.<field>`, the value and the rule. */
export function validateEnvironment(config: EnvironmentConfig): void {
  const env = config.name;
  if (!ENVIRONMENT_NAME.test(env)) {
    fail(`environment name "${env}": use 3-22 lowercase letters, digits and "-", starting with a letter`);
  }
  if (!ENVIRONMENT_TIERS.includes(config.tier)) {
    fail(`${env}.tier: "${config.tier}" is not one of ${ENVIRONMENT_TIERS.join(", ")}`);
  }
  if (!AWS_REGION.test(config.region)) fail(`${env}.region: "${config.region}" is not an AWS region like us-east-1`);
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
  if (config.tier === "production" && config.network.natGateways !== "one-per-az") {
    fail(`${env}.network.natGateways: "${config.network.natGateways}" leaves production without egress when one AZ fails; use "one-per-az"`);
  }
  // --- compute and storage choices ---
  check(() => validateFargateSettings(`${env}.fargate`, config.fargate ?? {}));
  check(() => validateNodePools(`${env}.nodePools`, config.nodePools ?? {}));
  check(() => validateStorageClasses(`${env}.storageClasses`, config.storageClasses ?? {}));
  const pools = SPECIALIZED_POOLS.filter((pool) => config.nodePools?.[pool] && (config.nodePools[pool]!.enabled ?? true));
  if (pools.length > 0 && config.eks.karpenter === false) {
    fail(`${env}.nodePools.${pools[0]}: NodePools need Karpenter, which ${env}.eks.karpenter: false turns off; enable Karpenter or remove the pool`);
  }
}

/**
 * Checks every environment, then the rules between them: names are unique and VPCs do not overlap
 * (environments must stay peerable).
 */
export function validateEnvironments(configs: readonly EnvironmentConfig[]): void {
  if (configs.length === 0) fail("environments: none configured; add one to environments/index.ts");
  configs.forEach(validateEnvironment);
  configs.forEach((config, i) => {
    const first = configs.findIndex((other) => other.name === config.name);
    if (first !== i) fail(`environments[${i}].name: "${config.name}" is also the name of environments[${first}]; names must be unique`);
  });
  configs.forEach((config, i) => {
    const vpc = parseIpv4Cidr(config.network.vpcCidr);
    configs.slice(0, i).forEach((other) => {
      const otherVpc = parseIpv4Cidr(other.network.vpcCidr);
      if (typeof vpc !== "string" && typeof otherVpc !== "string" && overlaps(vpc, otherVpc)) {
        fail(
          `${config.name}.network.vpcCidr: ${config.network.vpcCidr} overlaps ${other.name}.network.vpcCidr (${other.network.vpcCidr}); VPCs must not overlap so environments stay peerable`,
        );
      }
    });
  });
}
