import { Construct } from "constructs";
import { XrayEncryptionConfig } from "@cdktf/provider-aws/lib/xray-encryption-config";
import { XrayGroup } from "@cdktf/provider-aws/lib/xray-group";
import { XraySamplingRule } from "@cdktf/provider-aws/lib/xray-sampling-rule";
import { CustomerManagedKey } from "../../../shared/kms";
import { Naming } from "../../../shared/naming";

/**
 * The trace attribute that carries the environment. The ADOT collector stamps it on every span and
 * indexes it, so X-Ray holds it as the annotation {@link ENVIRONMENT_ANNOTATION} (dots become `_`).
 */
export const ENVIRONMENT_ATTRIBUTE = "aivo.environment";
/** {@link ENVIRONMENT_ATTRIBUTE} as an X-Ray annotation key. */
export const ENVIRONMENT_ANNOTATION = ENVIRONMENT_ATTRIBUTE.replace(/\./g, "_");

/**
 * The account's X-Ray encryption: one setting per account and region (the account stack owns it, so
 * the environments sharing a region never fight over it). Traces are encrypted with a CMK.
 */
export class XrayEncryption extends Construct {
  readonly key: CustomerManagedKey;
  readonly config: XrayEncryptionConfig;

  constructor(scope: Construct, id: string, props: { /** Names the key alias `alias/aivo/account/xray`. */ readonly naming: Naming }) {
    super(scope, id);
    // X-Ray calls KMS as the principal that writes the traces (the collector's role), so IAM decides.
    this.key = new CustomerManagedKey(this, "key", {
      naming: props.naming,
      purpose: "xray",
      description: "Encrypts the account's X-Ray traces",
    });
    this.config = new XrayEncryptionConfig(this, "config", { type: "KMS", keyId: this.key.keyArn });
  }
}

/** A sampling rule of the environment (X-Ray remote sampling, used by the ADOT/X-Ray SDK samplers). */
export interface SamplingRuleSettings {
  /** Slug that names the rule `aivo-<env>-<name>` (X-Ray allows 32 characters in all). */
  readonly name: string;
  /** Evaluated lowest first (1-9999); the default rule is 10000. */
  readonly priority: number;
  /** Traces per second always sampled before `fixedRate` applies. */
  readonly reservoirSize: number;
  /** Share (0-1) of the further requests sampled. */
  readonly fixedRate: number;
  /** URL path pattern (`*`, `?` wildcards). @default "*" */
  readonly urlPath?: string;
}

/** The `tracing` section of an environment config. */
export interface TracingSettings {
  /** The environment's sampling rules; services are matched by their name `aivo-<env>-*`. */
  readonly samplingRules: readonly SamplingRuleSettings[];
}

export interface TracingProps extends TracingSettings {
  readonly naming: Naming;
}

/** Throws `<env>.tracing.samplingRules[i].<field>: …` for the first invalid rule. */
export function validateTracing(naming: Naming, settings: TracingSettings): void {
  const path = `${naming.environment}.tracing.samplingRules`;
  settings.samplingRules.forEach((rule, i) => {
    const name = naming.name(rule.name);
    if (name.length > 32) throw new Error(`${path}[${i}].name: "${name}" is ${name.length} characters; X-Ray allows 32, shorten the name`);
    if (!Number.isInteger(rule.priority) || rule.priority < 1 || rule.priority > 9999) {
      throw new Error(`${path}[${i}].priority: ${rule.priority} is outside 1-9999`);
    }
    if (!(rule.fixedRate >= 0 && rule.fixedRate <= 1)) throw new Error(`${path}[${i}].fixedRate: ${rule.fixedRate} is not a share between 0 and 1`);
    if (!Number.isInteger(rule.reservoirSize) || rule.reservoirSize < 0) {
      throw new Error(`${path}[${i}].reservoirSize: ${rule.reservoirSize} must be a whole number of traces per second ≥ 0`);
    }
  });
}

/**
 * The environment's view of X-Ray: a group `aivo-<env>` holding the traces the environment's
 * collector stamped (with insights on), and its sampling rules, matching the services named
 * `aivo-<env>-*` (the OpenTelemetry `service.name` convention, see the README).
 */
export class Tracing extends Construct {
  readonly group: XrayGroup;
  readonly groupName: string;
  /** The X-Ray filter expression of the group. */
  readonly filterExpression: string;
  readonly samplingRules: readonly XraySamplingRule[];

  constructor(scope: Construct, id: string, props: TracingProps) {
    super(scope, id);
    validateTracing(props.naming, props);
    this.groupName = props.naming.prefix;
    this.filterExpression = `annotation.${ENVIRONMENT_ANNOTATION} = "${props.naming.environment}"`;
    this.group = new XrayGroup(this, "group", {
      groupName: this.groupName,
      filterExpression: this.filterExpression,
      insightsConfiguration: { insightsEnabled: true, notificationsEnabled: false },
    });
    this.samplingRules = props.samplingRules.map(
      (rule) =>
        new XraySamplingRule(this, `rule-${rule.name}`, {
          ruleName: props.naming.name(rule.name),
          priority: rule.priority,
          version: 1,
          reservoirSize: rule.reservoirSize,
          fixedRate: rule.fixedRate,
          urlPath: rule.urlPath ?? "*",
          host: "*",
          httpMethod: "*",
          serviceType: "*",
          serviceName: `${props.naming.prefix}-*`,
          resourceArn: "*",
        }),
    );
  }
}
