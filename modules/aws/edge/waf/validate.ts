// Validation of the WAF settings: defaults applied, every rule checked before a resource exists, with
// the field path named.
import { Token } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { canonicalCidr, checkCidr } from "../../../shared/cidr";
import { CLOUDFRONT_REGION } from "../../../shared/aws-context";
import { managedPriority } from "./rules";
import {
  COMMON_RULE_SET,
  DEFAULT_LARGE_BODY_PATH_PREFIXES,
  DEFAULT_MANAGED_RULE_GROUPS,
  MANAGED_RULE_PRIORITY_BASE,
  ManagedRuleGroup,
  RATE_LIMIT_EVALUATION_WINDOWS,
  RATE_LIMIT_MAXIMUM,
  RATE_LIMIT_MINIMUM,
  RuleActionOverride,
  WafScope,
  WebAclProps,
} from "./settings";

/** The actions a rule action override may use (`RuleActionOverride`). */
const RULE_ACTION_OVERRIDES: readonly RuleActionOverride[] = ["allow", "block", "count", "captcha", "challenge"];

/** The WAF settings with their defaults applied, and where the Common rule set's large-body handling goes. */
export interface ResolvedWafSettings {
  readonly scope: WafScope;
  readonly rateLimitPerIp: number;
  readonly window: number;
  readonly countries: readonly string[];
  readonly groups: readonly ManagedRuleGroup[];
  readonly allow: readonly string[];
  readonly deny: readonly string[];
  readonly largeBodyPaths: readonly string[];
  /** The index of the AWS Common rule set in `groups`, -1 without it. */
  readonly commonIndex: number;
  /** True when large bodies are allowed only on `largeBodyPaths`: there are paths, and the Common rule set is listed and not count-only. */
  readonly scopeLargeBodies: boolean;
}

/** Applies defaults and checks every setting; throws `<path>.<field>: <value> <rule>; <fix>` (`path` is `<env>.waf`). */
export function validateWafProps(path: string, props: WebAclProps): ResolvedWafSettings {
  const aclScope = props.scope ?? "CLOUDFRONT";
  const window = props.rateLimitWindowSeconds ?? 300;
  const countries = props.blockedCountries ?? [];
  const groups = props.managedRuleGroups ?? DEFAULT_MANAGED_RULE_GROUPS;
  const allow = props.ipAllowList ?? [];
  const deny = props.ipDenyList ?? [];
  const largeBodyPaths = props.largeBodyPathPrefixes ?? DEFAULT_LARGE_BODY_PATH_PREFIXES;
  validate(path, props, aclScope, window, countries, groups, allow, deny);
  const commonIndex = groups.findIndex((g) => (g.vendor ?? "AWS") === "AWS" && g.name === COMMON_RULE_SET);
  const scopeLargeBodies = largeBodyPaths.length > 0 && commonIndex >= 0 && !groups[commonIndex].countOnly;
  if (scopeLargeBodies) validateLargeBodyPaths(path, largeBodyPaths, groups, commonIndex);
  return { scope: aclScope, rateLimitPerIp: props.rateLimitPerIp, window, countries, groups, allow, deny, largeBodyPaths, commonIndex, scopeLargeBodies };
}

/** Large-body path prefixes: absolute URI paths, listed once, and a free priority after the Common rule set. */
function validateLargeBodyPaths(path: string, prefixes: readonly string[], groups: readonly ManagedRuleGroup[], commonIndex: number): void {
  prefixes.forEach((prefix, i) => {
    if (!/^\/[\x21-\x7e]{0,199}$/.test(prefix)) {
      throw new Error(`${path}.largeBodyPathPrefixes[${i}]: "${prefix}" is not a URI path prefix; start with "/" and use printable characters without spaces, e.g. "/api/"`);
    }
    if (prefixes.indexOf(prefix) !== i) {
      throw new Error(`${path}.largeBodyPathPrefixes[${i}]: "${prefix}" is listed twice; list each prefix once`);
    }
  });
  const after = managedPriority(groups[commonIndex], commonIndex) + 1;
  const clash = groups.findIndex((g, i) => managedPriority(g, i) === after);
  if (clash >= 0) {
    throw new Error(
      `${path}.managedRuleGroups[${clash}].priority: ${after} is the priority of the large-body rule that follows ${COMMON_RULE_SET}; leave it free`,
    );
  }
}

/** Every rule of the issue, checked before a resource exists; messages name env, field, value and fix. */
function validate(
  path: string,
  props: WebAclProps,
  scope: WafScope,
  window: number,
  countries: readonly string[],
  groups: readonly ManagedRuleGroup[],
  allow: readonly string[],
  deny: readonly string[],
): void {
  if (scope !== "CLOUDFRONT" && scope !== "REGIONAL") {
    throw new Error(`${path}.scope: "${scope}" is not a WAF scope; use CLOUDFRONT or REGIONAL`);
  }
  if (scope === "CLOUDFRONT" && props.providerRegion !== CLOUDFRONT_REGION) {
    throw new Error(
      `${path}.scope: a CLOUDFRONT web ACL must be created in ${CLOUDFRONT_REGION}, but its provider targets "${props.providerRegion}"; pass the us-east-1 provider alias (and providerRegion "${CLOUDFRONT_REGION}")`,
    );
  }
  const literalRegion = props.provider instanceof AwsProvider ? props.provider.region : undefined;
  if (literalRegion !== undefined && !Token.isUnresolved(literalRegion) && literalRegion !== props.providerRegion) {
    throw new Error(
      `${path}.providerRegion: "${props.providerRegion}" does not match the region of the provider passed ("${literalRegion}"); pass the region that provider targets`,
    );
  }
  const limit = props.rateLimitPerIp;
  if (!Number.isInteger(limit) || limit < RATE_LIMIT_MINIMUM || limit > RATE_LIMIT_MAXIMUM) {
    throw new Error(
      `${path}.rateLimitPerIp: ${limit} is outside ${RATE_LIMIT_MINIMUM}..${RATE_LIMIT_MAXIMUM}, the whole numbers AWS WAF accepts; set at least ${RATE_LIMIT_MINIMUM}`,
    );
  }
  if (!RATE_LIMIT_EVALUATION_WINDOWS.includes(window)) {
    throw new Error(
      `${path}.rateLimitWindowSeconds: ${window} is not a rate-based evaluation window; use one of ${RATE_LIMIT_EVALUATION_WINDOWS.join(", ")}`,
    );
  }
  countries.forEach((code, i) => {
    if (!/^[A-Z]{2}$/.test(code)) {
      throw new Error(
        `${path}.blockedCountries[${i}]: "${code}" is not an ISO 3166-1 alpha-2 country code; use two upper-case letters such as "KP"`,
      );
    }
    if (countries.indexOf(code) !== i) {
      throw new Error(`${path}.blockedCountries[${i}]: "${code}" is listed twice; list each country once`);
    }
  });

  if (groups.length === 0) {
    throw new Error(
      `${path}.managedRuleGroups: the list is empty; keep at least one managed rule group (omit the field for the baseline ${DEFAULT_MANAGED_RULE_GROUPS.map((g) => g.name).join(", ")})`,
    );
  }
  const seenNames = new Map<string, number>();
  const seenPriorities = new Map<number, number>();
  groups.forEach((group, i) => {
    const field = `${path}.managedRuleGroups[${i}]`;
    const vendor = group.vendor ?? "AWS";
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(group.name) || !/^[A-Za-z0-9_-]{1,128}$/.test(vendor)) {
      throw new Error(`${field}: "${vendor}/${group.name}" is not a managed rule group name; use letters, digits, "_" and "-"`);
    }
    const key = `${vendor}-${group.name}`;
    if (seenNames.has(key)) {
      throw new Error(`${field}: ${key} is already listed at [${seenNames.get(key)}]; list each group once`);
    }
    seenNames.set(key, i);
    const priority = managedPriority(group, i);
    if (!Number.isInteger(priority) || priority < MANAGED_RULE_PRIORITY_BASE) {
      throw new Error(
        `${field}.priority: ${priority} is below ${MANAGED_RULE_PRIORITY_BASE}; priorities 0-${MANAGED_RULE_PRIORITY_BASE - 1} belong to the IP, geo and rate rules`,
      );
    }
    if (seenPriorities.has(priority)) {
      throw new Error(
        `${field}.priority: ${priority} is already used by managedRuleGroups[${seenPriorities.get(priority)}]; give each group a unique priority`,
      );
    }
    seenPriorities.set(priority, i);
    for (const [rule, action] of Object.entries(group.ruleActionOverrides ?? {})) {
      if (!RULE_ACTION_OVERRIDES.includes(action)) {
        throw new Error(
          `${field}.ruleActionOverrides.${rule}: "${action}" is not a rule action; use one of ${RULE_ACTION_OVERRIDES.join(", ")}`,
        );
      }
    }
  });

  for (const [field, list] of [
    ["ipAllowList", allow],
    ["ipDenyList", deny],
  ] as const) {
    list.forEach((cidr, i) => assertCidr(`${path}.${field}[${i}]`, cidr));
  }
  const denied = new Set(deny.map(canonicalCidr));
  allow.forEach((cidr, i) => {
    if (denied.has(canonicalCidr(cidr))) {
      throw new Error(`${path}.ipAllowList[${i}]: ${cidr} is also in ipDenyList; keep each range in one list`);
    }
  });
}

function assertCidr(field: string, cidr: string): void {
  const check = checkCidr(cidr);
  if (!check.valid) {
    switch (check.reason) {
      case "malformed":
        throw new Error(`${field}: "${cidr}" is not a CIDR; write an IPv4 or IPv6 range such as 203.0.113.0/24 or 2001:db8::/32`);
      case "ipv4-shorthand":
        throw new Error(`${field}: "${cidr}" is not a dotted-quad IPv4 CIDR; write it as a.b.c.d/n`);
      case "host-bits":
        throw new Error(`${field}: ${cidr} has host bits set; write the network address ${check.network}`);
    }
  }
  if (check.prefixLength < 1) {
    throw new Error(`${field}: ${cidr} covers every address; WAF IP sets accept prefixes /1 and longer`);
  }
}
