// The web ACL's rules, in priority order: the IP deny and allow lists (with their IP sets), the
// geographic block, the per-IP rate limit, the managed rule groups and the large-body rule after the
// Common rule set; the WAFv2 statements they are written in, and their priorities.
import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { Wafv2IpSet } from "@cdktf/provider-aws/lib/wafv2-ip-set";
import { Wafv2WebAclRule } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { cidrKind } from "../../../shared/cidr";
import {
  BODY_SIZE_LABEL,
  BODY_SIZE_RULE,
  LARGE_BODY_RULE_NAME,
  MANAGED_RULE_PRIORITY_BASE,
  ManagedRuleGroup,
  RuleActionOverride,
  WAF_RULE_PRIORITIES,
} from "./settings";
import type { ResolvedWafSettings } from "./validate";

const MANAGED_RULE_PRIORITY_STEP = 10;

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

/** A managed group's priority: its own `priority`, or `MANAGED_RULE_PRIORITY_BASE` + 10 × its index. */
export function managedPriority(group: ManagedRuleGroup, index: number): number {
  return group.priority ?? MANAGED_RULE_PRIORITY_BASE + MANAGED_RULE_PRIORITY_STEP * index;
}

/** CloudWatch metrics and sampled requests, under `<webAclName>-<metric>`. */
export function visibility(webAclName: string, metric: string) {
  return {
    cloudwatchMetricsEnabled: true,
    sampledRequestsEnabled: true,
    metricName: `${webAclName}-${metric}`,
  };
}

/** What the rules are built from: the ACL's provider, name and scope, and its validated settings. */
export interface RulesProps {
  readonly provider: TerraformProvider;
  readonly webAclName: string;
  readonly settings: ResolvedWafSettings;
}

/** The rules sorted by priority; the IP sets of the allow and deny lists are created in `scope`. */
export function createRules(scope: Construct, props: RulesProps): Wafv2WebAclRule[] {
  const { provider, webAclName } = props;
  const { scope: aclScope, rateLimitPerIp, window, countries, groups, allow, deny, largeBodyPaths, commonIndex, scopeLargeBodies } = props.settings;
  const rules: Wafv2WebAclRule[] = [];
  const ipListStatement = (list: readonly string[], kind: "allow" | "deny"): Statement => {
    const statements = (["IPV4", "IPV6"] as const)
      .map((version) => {
        const addresses = list.filter((cidr) => cidrKind(cidr) === version.toLowerCase());
        if (addresses.length === 0) return undefined;
        const set = new Wafv2IpSet(scope, `${kind}-${version.toLowerCase()}`, {
          provider,
          name: `${webAclName}-${kind}-${version.toLowerCase()}`,
          description: `${kind === "allow" ? "Always allowed" : "Always blocked"} ${version} ranges of ${webAclName}`,
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
      visibilityConfig: visibility(webAclName, "ip-deny-list"),
    });
  }
  if (allow.length > 0) {
    rules.push({
      name: "ip-allow-list",
      priority: WAF_RULE_PRIORITIES.ipAllowList,
      action: { allow: {} },
      statement: ipListStatement(allow, "allow"),
      visibilityConfig: visibility(webAclName, "ip-allow-list"),
    });
  }
  rules.push({
    name: "geo-block",
    priority: WAF_RULE_PRIORITIES.geoBlock,
    action: { block: {} },
    statement: countries.length > 0 ? { geo_match_statement: { country_codes: [...countries] } } : MATCH_NOTHING_STATEMENT,
    visibilityConfig: visibility(webAclName, "geo-block"),
  });
  rules.push({
    name: "rate-limit-per-ip",
    priority: WAF_RULE_PRIORITIES.rateLimit,
    action: { block: {} },
    statement: {
      rate_based_statement: { limit: rateLimitPerIp, evaluation_window_sec: window, aggregate_key_type: "IP" },
    } satisfies Statement,
    visibilityConfig: visibility(webAclName, "rate-limit-per-ip"),
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
      visibilityConfig: visibility(webAclName, name),
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
      visibilityConfig: visibility(webAclName, LARGE_BODY_RULE_NAME),
    });
  }
  rules.sort((a, b) => a.priority - b.priority);
  return rules;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
