// The WAF module's settings (per environment, at `<env>.waf`), its props (settings + wiring) and the
// constants the stacks, the Terraform module export and the tests share.
import type { TerraformProvider } from "cdktf";
import type { Naming } from "../../../shared/naming";

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

/** What a rule inside a managed group does instead of its own action. */
export type RuleActionOverride = "allow" | "block" | "count" | "captcha" | "challenge";

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
