import { TerraformProvider, Token } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Wafv2IpSet } from "@cdktf/provider-aws/lib/wafv2-ip-set";
import { Wafv2WebAcl, Wafv2WebAclRule } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { canonicalCidr, checkCidr, cidrKind } from "../../../shared/cidr";
import { CLOUDFRONT_REGION } from "../../../shared/aws-context";
import { Naming } from "../../../shared/naming";
import { VendedLogGroup } from "../../observability/vended-log-group";

/** The environment config section this module reads: `<env>.waf`. */
export const WAF_SECTION = "waf";

/** Where a web ACL applies: CloudFront distributions (global) or regional resources (ALB, API Gateway …). */
export type WafScope = "CLOUDFRONT" | "REGIONAL";

/** AWS WAF's lowest rate-based limit (lowered from 100 to 10 in 2024). */
export const RATE_LIMIT_MINIMUM = 10;
/** AWS WAF's highest rate-based limit. */
export const RATE_LIMIT_MAXIMUM = 2_000_000_000;
/** The evaluation windows (seconds) a rate-based rule accepts. */
export const RATE_LIMIT_EVALUATION_WINDOWS: readonly number[] = [60, 120, 300, 600];

/** WAF only delivers to CloudWatch log groups whose name starts with this. */
export const WAF_LOG_GROUP_PREFIX = "aws-waf-logs-";
/** Headers replaced by `REDACTED` in WAF logs: credentials and session cookies never reach the log group. */
export const WAF_REDACTED_HEADERS: readonly string[] = ["authorization", "cookie"];

/**
 * Rule evaluation order (lower first). Fixed, so adding or removing an IP list never renumbers the
 * others:
 * 0 deny-listed IPs are blocked first (deny wins over allow);
 * 1 allow-listed IPs are allowed and skip every later rule;
 * 2 the geographic block; 3 the per-IP rate limit;
 * then the managed rule groups, from `MANAGED_RULE_PRIORITY_BASE` up.
 */
export const WAF_RULE_PRIORITIES = { ipDenyList: 0, ipAllowList: 1, geoBlock: 2, rateLimit: 3 } as const;
/** The first priority of the managed rule groups; a group without `priority` gets base + 10 × its index. */
export const MANAGED_RULE_PRIORITY_BASE = 10;
const MANAGED_RULE_PRIORITY_STEP = 10;

/** What a rule inside a managed group does instead of its own action. */
export type RuleActionOverride = "allow" | "block" | "count" | "captcha" | "challenge";
const RULE_ACTION_OVERRIDES: readonly RuleActionOverride[] = ["allow", "block", "count", "captcha", "challenge"];

/** One managed rule group in the web ACL. */
export interface ManagedRuleGroup {
  /** The group name, e.g. `AWSManagedRulesCommonRuleSet`. */
  readonly name: string;
  /** @default "AWS" */
  readonly vendor?: string;
  /** Evaluation priority, unique, at least `MANAGED_RULE_PRIORITY_BASE`. @default MANAGED_RULE_PRIORITY_BASE + 10 × index in the list */
  readonly priority?: number;
  /** Count matches instead of acting on them (rollout, false-positive hunting). @default false */
  readonly countOnly?: boolean;
  /** Per-rule action overrides inside the group, e.g. `{ SizeRestrictions_BODY: "count" }`. @default none */
  readonly ruleActionOverrides?: Readonly<Record<string, RuleActionOverride>>;
  /** Pin a group version, e.g. `Version_1.12`. @default the vendor's default version */
  readonly version?: string;
}

/**
 * The AWS managed groups of the platform's baseline, in evaluation order: the cheap IP-reputation
 * lists first (25 and 50 WCU), so known-bad sources are dropped before the request-inspecting groups
 * (KnownBadInputs 200, Common 700, SQLi 200) run. About 1,180 WCU in all, under the 1,500 WCU an
 * ACL gets before WAF charges extra.
 */
export const DEFAULT_MANAGED_RULE_GROUPS: readonly ManagedRuleGroup[] = [
  { name: "AWSManagedRulesAmazonIpReputationList" },
  { name: "AWSManagedRulesAnonymousIpList" },
  { name: "AWSManagedRulesKnownBadInputsRuleSet" },
  { name: "AWSManagedRulesCommonRuleSet" },
  { name: "AWSManagedRulesSQLiRuleSet" },
];

/** The managed group whose `SizeRestrictions_BODY` rule blocks request bodies over 8 KB. */
export const COMMON_RULE_SET = "AWSManagedRulesCommonRuleSet";
/** The rule of the Common rule set that blocks bodies over 8 KB (8,192 bytes). */
export const BODY_SIZE_RULE = "SizeRestrictions_BODY";
/** The label the Common rule set puts on a request whose body is over 8 KB, even when the rule only counts. */
export const BODY_SIZE_LABEL = "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body";
/** The name of the rule that blocks large bodies outside `largeBodyPathPrefixes`. */
export const LARGE_BODY_RULE_NAME = "body-over-8kb-outside-allowed-paths";
/**
 * Where large request bodies are allowed by default: the platform API (uploads, large JSON
 * documents), behind CloudFront's `/api/*` behaviour.
 */
export const DEFAULT_LARGE_BODY_PATH_PREFIXES: readonly string[] = ["/api/"];

/** Per-environment WAF tunables (`<env>.waf`). */
export interface WafSettings {
  /** Requests one IP may send within the evaluation window before it is blocked (≥ `RATE_LIMIT_MINIMUM`). */
  readonly rateLimitPerIp: number;
  /** The rate-limit look-back window in seconds: 60, 120, 300 or 600. @default 300 */
  readonly rateLimitWindowSeconds?: number;
  /** ISO 3166-1 alpha-2 codes (`CU`, `KP` …) to block; empty means the geo rule matches nothing. @default [] */
  readonly blockedCountries?: readonly string[];
  /** Managed rule groups, evaluated after the custom rules; must not be empty. @default DEFAULT_MANAGED_RULE_GROUPS */
  readonly managedRuleGroups?: readonly ManagedRuleGroup[];
  /** IPv4/IPv6 CIDRs always allowed: they skip geo, rate and managed rules. @default [] */
  readonly ipAllowList?: readonly string[];
  /** IPv4/IPv6 CIDRs always blocked. @default [] */
  readonly ipDenyList?: readonly string[];
  /**
   * URI path prefixes where request bodies over 8 KB are allowed (counted, not blocked). The Common
   * rule set's `SizeRestrictions_BODY` blocks every body over 8 KB, which would break API uploads and
   * large JSON; on these paths it only counts (its label shows in metrics and logs), and a rule right
   * after the group blocks labelled requests on every other path. `[]` blocks large bodies everywhere.
   * @default DEFAULT_LARGE_BODY_PATH_PREFIXES (`["/api/"]`)
   */
  readonly largeBodyPathPrefixes?: readonly string[];
}

export interface WebAclProps extends WafSettings {
  readonly naming: Naming;
  /** The AWS provider that creates the ACL, its IP sets, log group and key. CLOUDFRONT needs one in us-east-1. */
  readonly provider: TerraformProvider;
  /** The region `provider` targets, as a plain string from config (a token cannot be checked). */
  readonly providerRegion: string;
  /** @default "CLOUDFRONT" */
  readonly scope?: WafScope;
  /** Days CloudWatch keeps the WAF logs (a value CloudWatch accepts). */
  readonly logRetentionDays: number;
}

/** The snake_case Terraform shape of the WAFv2 statements this module writes (the binding types `statement` as `any`). */
type Statement =
  | { ip_set_reference_statement: { arn: string } }
  | { or_statement: { statement: Statement[] } }
  | { geo_match_statement: { country_codes: string[] } }
  | {
      size_constraint_statement: {
        comparison_operator: "LT";
        size: number;
        field_to_match: { uri_path: Record<string, never> };
        text_transformation: { priority: number; type: "NONE" };
      };
    }
  | { rate_based_statement: { limit: number; evaluation_window_sec: number; aggregate_key_type: "IP" } }
  | { label_match_statement: { scope: "LABEL"; key: string } }
  | { and_statement: { statement: Statement[] } }
  | { not_statement: { statement: Statement[] } }
  | {
      regex_match_statement: {
        regex_string: string;
        field_to_match: { uri_path: Record<string, never> };
        text_transformation: { priority: number; type: "NONE" };
      };
    }
  | {
      managed_rule_group_statement: {
        name: string;
        vendor_name: string;
        version?: string;
        rule_action_override?: { name: string; action_to_use: Partial<Record<RuleActionOverride, Record<string, never>>> }[];
      };
    };

/**
 * The statement of the geo rule when no country is blocked. WAF's geo match needs at least one
 * country code, and `NOT geo(…)` would match (almost) everything, so the rule inspects something
 * that can never hold instead: a URI path shorter than 0 bytes. The rule keeps its name, priority
 * and metric whether or not countries are listed, so filling the list later is an in-place update.
 */
export const MATCH_NOTHING_STATEMENT: Statement = {
  size_constraint_statement: {
    comparison_operator: "LT",
    size: 0,
    field_to_match: { uri_path: {} },
    text_transformation: { priority: 0, type: "NONE" },
  },
};

/**
 * A WAFv2 web ACL (default action allow) with, in order: IP deny and allow lists, a geographic
 * block, a per-IP rate limit and AWS managed rule groups (see `WAF_RULE_PRIORITIES`); CloudWatch
 * metrics and sampled requests for every rule and the ACL; logs to a KMS-encrypted
 * `aws-waf-logs-…` log group with the `authorization` and `cookie` headers redacted.
 */
export class WebAcl extends Construct {
  /** The web ACL (escape hatch). */
  readonly webAcl: Wafv2WebAcl;
  /** The ACL ARN: CloudFront's `web_acl_id`, or the `web_acl_arn` of an ALB association. */
  readonly webAclArn: string;
  /** The ACL id. */
  readonly webAclId: string;
  /** `aivo-<env>-waf-cloudfront` / `-regional`; also the prefix of every metric name. */
  readonly webAclName: string;
  /** The rule names in priority order, as synthesized. */
  readonly ruleNames: readonly string[];
  /** The log group receiving the WAF logs. */
  readonly logs: VendedLogGroup;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const aclScope = props.scope ?? "CLOUDFRONT";
    const path = `${props.naming.environment}.${WAF_SECTION}`;
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

    this.webAclName = props.naming.name("waf", aclScope.toLowerCase());
    const provider = props.provider;
    const visibility = (metric: string) => ({
      cloudwatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${this.webAclName}-${metric}`,
    });

    const rules: Wafv2WebAclRule[] = [];
    const ipListStatement = (list: readonly string[], kind: "allow" | "deny"): Statement => {
      const statements = (["IPV4", "IPV6"] as const)
        .map((version) => {
          const addresses = list.filter((cidr) => cidrKind(cidr) === version.toLowerCase());
          if (addresses.length === 0) return undefined;
          const set = new Wafv2IpSet(this, `${kind}-${version.toLowerCase()}`, {
            provider,
            name: `${this.webAclName}-${kind}-${version.toLowerCase()}`,
            description: `${kind === "allow" ? "Always allowed" : "Always blocked"} ${version} ranges of ${this.webAclName}`,
            scope: aclScope,
            ipAddressVersion: version,
            addresses,
          });
          return { ip_set_reference_statement: { arn: set.arn } } as Statement;
        })
        .filter((s): s is Statement => s !== undefined);
      return statements.length === 1 ? statements[0] : { or_statement: { statement: statements } };
    };

    if (deny.length > 0) {
      rules.push({
        name: "ip-deny-list",
        priority: WAF_RULE_PRIORITIES.ipDenyList,
        action: { block: {} },
        statement: ipListStatement(deny, "deny"),
        visibilityConfig: visibility("ip-deny-list"),
      });
    }
    if (allow.length > 0) {
      rules.push({
        name: "ip-allow-list",
        priority: WAF_RULE_PRIORITIES.ipAllowList,
        action: { allow: {} },
        statement: ipListStatement(allow, "allow"),
        visibilityConfig: visibility("ip-allow-list"),
      });
    }
    rules.push({
      name: "geo-block",
      priority: WAF_RULE_PRIORITIES.geoBlock,
      action: { block: {} },
      statement: countries.length > 0 ? { geo_match_statement: { country_codes: [...countries] } } : MATCH_NOTHING_STATEMENT,
      visibilityConfig: visibility("geo-block"),
    });
    rules.push({
      name: "rate-limit-per-ip",
      priority: WAF_RULE_PRIORITIES.rateLimit,
      action: { block: {} },
      statement: {
        rate_based_statement: { limit: props.rateLimitPerIp, evaluation_window_sec: window, aggregate_key_type: "IP" },
      } satisfies Statement,
      visibilityConfig: visibility("rate-limit-per-ip"),
    });
    groups.forEach((group, index) => {
      const vendor = group.vendor ?? "AWS";
      const name = `${vendor}-${group.name}`;
      // The Common rule set's body-size rule only counts (and labels) when large bodies are scoped.
      const bodyRuleCounts = scopeLargeBodies && index === commonIndex && !(BODY_SIZE_RULE in (group.ruleActionOverrides ?? {}));
      const overrides = Object.entries({ ...(bodyRuleCounts ? { [BODY_SIZE_RULE]: "count" } : {}), ...(group.ruleActionOverrides ?? {}) });
      const statement: Statement = {
        managed_rule_group_statement: {
          name: group.name,
          vendor_name: vendor,
          ...(group.version ? { version: group.version } : {}),
          ...(overrides.length > 0
            ? { rule_action_override: overrides.map(([rule, action]) => ({ name: rule, action_to_use: { [action]: {} } })) }
            : {}),
        },
      };
      rules.push({
        name,
        priority: managedPriority(group, index),
        overrideAction: group.countOnly ? { count: {} } : { none: {} },
        statement,
        visibilityConfig: visibility(name),
      });
    });
    if (scopeLargeBodies) {
      // Right after the Common rule set: block what its body-size rule labelled, except on the paths
      // that take large bodies (one regex: and → not → regex stays within WAF's statement nesting).
      const pattern = `^(${largeBodyPaths.map(escapeRegex).join("|")})`;
      rules.push({
        name: LARGE_BODY_RULE_NAME,
        priority: managedPriority(groups[commonIndex], commonIndex) + 1,
        action: { block: {} },
        statement: {
          and_statement: {
            statement: [
              { label_match_statement: { scope: "LABEL", key: BODY_SIZE_LABEL } },
              {
                not_statement: {
                  statement: [
                    {
                      regex_match_statement: {
                        regex_string: pattern,
                        field_to_match: { uri_path: {} },
                        text_transformation: { priority: 0, type: "NONE" },
                      },
                    },
                  ],
                },
              },
            ],
          },
        } satisfies Statement,
        visibilityConfig: visibility(LARGE_BODY_RULE_NAME),
      });
    }
    rules.sort((a, b) => a.priority - b.priority);
    this.ruleNames = rules.map((r) => r.name);

    this.webAcl = new Wafv2WebAcl(this, "acl", {
      provider,
      name: this.webAclName,
      description: `Edge protection of ${props.naming.prefix} (${aclScope})`,
      scope: aclScope,
      defaultAction: { allow: {} },
      rule: rules,
      visibilityConfig: visibility("web-acl"),
    });
    this.webAclArn = this.webAcl.arn;
    this.webAclId = this.webAcl.id;

    this.logs = new VendedLogGroup(this, "logs", {
      naming: props.naming,
      provider,
      logGroupName: `${WAF_LOG_GROUP_PREFIX}${this.webAclName}`,
      keyPurpose: `waf-logs-${aclScope.toLowerCase()}`,
      description: `the WAF logs of ${this.webAclName}`,
      retentionInDays: props.logRetentionDays,
      retentionFieldPath: `${path}.logRetentionDays`,
    });
    new Wafv2WebAclLoggingConfiguration(this, "logging", {
      provider,
      resourceArn: this.webAcl.arn,
      logDestinationConfigs: [this.logs.logGroupArn],
      redactedFields: WAF_REDACTED_HEADERS.map((header) => ({ singleHeader: { name: header } })),
      dependsOn: [this.logs.resourcePolicy],
    });
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
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

function managedPriority(group: ManagedRuleGroup, index: number): number {
  return group.priority ?? MANAGED_RULE_PRIORITY_BASE + MANAGED_RULE_PRIORITY_STEP * index;
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
