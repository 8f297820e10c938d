import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Naming } from "../modules/shared/naming";
import {
  BODY_SIZE_LABEL,
  DEFAULT_MANAGED_RULE_GROUPS,
  LARGE_BODY_RULE_NAME,
  MANAGED_RULE_PRIORITY_BASE,
  WAF_RULE_PRIORITIES,
  WafSettings,
  WebAcl,
  WebAclProps,
} from "../modules/aws/edge/waf";
import { configsOf, onlyResource, parse, policy, resourcesOf } from "./helpers";

const US_EAST_1_ALIAS = "aws.us_east_1";

/** The per-environment settings proposed for `<env>.waf` (see the report). */
const ENVIRONMENTS: Record<string, WafSettings> = {
  development: { rateLimitPerIp: 1000 },
  staging: { rateLimitPerIp: 2000 },
  production: { rateLimitPerIp: 10000, rateLimitWindowSeconds: 300 },
};

/** Synthesizes a stack whose default provider is NOT us-east-1, plus a us-east-1 alias for the ACL. */
function synthAcl(environment: string, settings: WafSettings, extra: Partial<WebAclProps> = {}): string {
  return Testing.synthScope((scope) => {
    new AwsProvider(scope, "aws", { region: "us-west-2" });
    const usEast1 = new AwsProvider(scope, "us-east-1", { region: "us-east-1", alias: "us_east_1" });
    new WebAcl(scope, "waf", {
      naming: new Naming("aivo", environment),
      provider: usEast1,
      providerRegion: "us-east-1",
      logRetentionDays: 90,
      ...settings,
      ...extra,
    });
  });
}

function acl(synth: string): Record<string, any> {
  return onlyResource(synth, "aws_wafv2_web_acl");
}

function rule(synth: string, name: string): Record<string, any> {
  const found = acl(synth).rule.find((r: Record<string, any>) => r.name === name);
  if (!found) throw new Error(`no rule ${name}`);
  return found;
}

describe.each(Object.entries(ENVIRONMENTS))("WebAcl in %s", (environment, settings) => {
  const synth = synthAcl(environment, settings);

  it("is a CLOUDFRONT ACL named aivo-<env>-waf-cloudfront that allows by default", () => {
    expect(acl(synth)).toMatchObject({
      name: `aivo-${environment}-waf-cloudfront`,
      scope: "CLOUDFRONT",
      default_action: { allow: {} },
      visibility_config: {
        cloudwatch_metrics_enabled: true,
        sampled_requests_enabled: true,
        metric_name: `aivo-${environment}-waf-cloudfront-web-acl`,
      },
    });
  });

  it("orders geo, rate and the five managed groups with unique, stable priorities", () => {
    const rules = acl(synth).rule as Record<string, any>[];
    expect(rules.map((r) => [r.name, r.priority])).toEqual([
      ["geo-block", 2],
      ["rate-limit-per-ip", 3],
      ["AWS-AWSManagedRulesAmazonIpReputationList", 10],
      ["AWS-AWSManagedRulesAnonymousIpList", 20],
      ["AWS-AWSManagedRulesKnownBadInputsRuleSet", 30],
      ["AWS-AWSManagedRulesCommonRuleSet", 40],
      [LARGE_BODY_RULE_NAME, 41],
      ["AWS-AWSManagedRulesSQLiRuleSet", 50],
    ]);
    expect(new Set(rules.map((r) => r.priority)).size).toBe(rules.length);
    for (const r of rules.filter((x) => x.statement.managed_rule_group_statement)) {
      expect(r.override_action).toEqual({ none: {} });
      expect(r.statement.managed_rule_group_statement.vendor_name).toBe("AWS");
      expect(r.action).toBeUndefined();
    }
  });

  it("counts bodies over 8 KB on /api/* (API uploads, large JSON) and blocks them everywhere else", () => {
    const common = rule(synth, "AWS-AWSManagedRulesCommonRuleSet");
    expect(common.statement.managed_rule_group_statement.rule_action_override).toEqual([
      { name: "SizeRestrictions_BODY", action_to_use: { count: {} } },
    ]);
    const large = rule(synth, LARGE_BODY_RULE_NAME);
    expect(large.action).toEqual({ block: {} });
    expect(large.statement).toEqual({
      and_statement: {
        statement: [
          { label_match_statement: { scope: "LABEL", key: "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body" } },
          {
            not_statement: {
              statement: [
                {
                  regex_match_statement: {
                    regex_string: "^(/api/)",
                    field_to_match: { uri_path: {} },
                    text_transformation: { priority: 0, type: "NONE" },
                  },
                },
              ],
            },
          },
        ],
      },
    });
    expect(BODY_SIZE_LABEL).toBe("awswaf:managed:aws:core-rule-set:SizeRestrictions_Body");
  });

  it("blocks an IP above the environment's rate limit", () => {
    const rate = rule(synth, "rate-limit-per-ip");
    expect(rate.action).toEqual({ block: {} });
    expect(rate.statement.rate_based_statement).toEqual({
      limit: settings.rateLimitPerIp,
      evaluation_window_sec: settings.rateLimitWindowSeconds ?? 300,
      aggregate_key_type: "IP",
    });
  });

  it("keeps the geo rule with an empty country list, matching nothing (URI path shorter than 0 bytes)", () => {
    const geo = rule(synth, "geo-block");
    expect(geo.action).toEqual({ block: {} });
    expect(geo.statement).toEqual({
      size_constraint_statement: {
        comparison_operator: "LT",
        size: 0,
        field_to_match: { uri_path: {} },
        text_transformation: { priority: 0, type: "NONE" },
      },
    });
  });

  it("publishes metrics and sampled requests for every rule under unique metric names", () => {
    const rules = acl(synth).rule as Record<string, any>[];
    for (const r of rules) {
      expect(r.visibility_config).toEqual({
        cloudwatch_metrics_enabled: true,
        sampled_requests_enabled: true,
        metric_name: `aivo-${environment}-waf-cloudfront-${r.name}`,
      });
    }
    expect(new Set(rules.map((r) => r.visibility_config.metric_name)).size).toBe(rules.length);
  });

  it("logs to a KMS-encrypted aws-waf-logs- group with retention, redacting authorization and cookie", () => {
    const group = onlyResource(synth, "aws_cloudwatch_log_group");
    expect(group.name).toBe(`aws-waf-logs-aivo-${environment}-waf-cloudfront`);
    expect(group.retention_in_days).toBe(90);
    expect(group.kms_key_id).toMatch(/^\$\{aws_kms_key\.[\w-]+\.arn\}$/);
    const logging = onlyResource(synth, "aws_wafv2_web_acl_logging_configuration");
    expect(logging.redacted_fields).toEqual([{ single_header: { name: "authorization" } }, { single_header: { name: "cookie" } }]);
    expect(logging.log_destination_configs).toEqual([expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.[\w-]+\.arn\}$/)]);
    expect(logging.resource_arn).toMatch(/^\$\{aws_wafv2_web_acl\.[\w-]+\.arn\}$/);
    expect(logging.depends_on).toEqual([expect.stringMatching(/^aws_cloudwatch_log_resource_policy\./)]);
  });

  it("lets only the log delivery service write to the group, for this account", () => {
    const statement = policy(onlyResource(synth, "aws_cloudwatch_log_resource_policy").policy_document).Statement;
    expect(statement).toHaveLength(1);
    expect(statement[0]).toMatchObject({
      Effect: "Allow",
      Principal: { Service: "delivery.logs.amazonaws.com" },
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.[\w-]+\.arn\}:\*$/),
    });
    expect(Object.keys(statement[0].Condition.StringEquals)).toEqual(["aws:SourceAccount"]);
  });

  it("creates the ACL, logging, log group and key through the us-east-1 alias", () => {
    for (const type of [
      "aws_wafv2_web_acl",
      "aws_wafv2_web_acl_logging_configuration",
      "aws_cloudwatch_log_group",
      "aws_cloudwatch_log_resource_policy",
      "aws_kms_key",
      "aws_kms_alias",
    ]) {
      expect(configsOf(synth, type).map((r) => r.provider)).toEqual([US_EAST_1_ALIAS]);
    }
    const providers = parse(synth).provider!.aws;
    expect(providers).toContainEqual({ alias: "us_east_1", region: "us-east-1" });
    expect(onlyResource(synth, "aws_kms_key").enable_key_rotation).toBe(true);
    expect(onlyResource(synth, "aws_kms_alias").name).toBe(`alias/aivo/${environment}/waf-logs-cloudfront`);
  });
});

describe("WebAcl with IP lists, blocked countries and tuned managed groups", () => {
  let webAcl: WebAcl | undefined;
  const synth = Testing.synthScope((scope) => {
    const usEast1 = new AwsProvider(scope, "us-east-1", { region: "us-east-1", alias: "us_east_1" });
    webAcl = new WebAcl(scope, "waf", {
      naming: new Naming("aivo", "production"),
      provider: usEast1,
      providerRegion: "us-east-1",
      logRetentionDays: 365,
      rateLimitPerIp: 10,
      rateLimitWindowSeconds: 60,
      blockedCountries: ["KP", "IR"],
      ipAllowList: ["203.0.113.0/24", "2001:db8:1::/48"],
      ipDenyList: ["198.51.100.7/32"],
      managedRuleGroups: [
        { name: "AWSManagedRulesCommonRuleSet", ruleActionOverrides: { SizeRestrictions_BODY: "count" }, version: "Version_1.12" },
        { name: "AWSManagedRulesAnonymousIpList", countOnly: true, priority: 100 },
        { name: "AWSManagedRulesBotControlRuleSet", priority: 15 },
      ],
    });
  });

  it("puts deny before allow before geo before rate before the managed groups", () => {
    expect(acl(synth).rule.map((r: Record<string, any>) => [r.name, r.priority])).toEqual([
      ["ip-deny-list", WAF_RULE_PRIORITIES.ipDenyList],
      ["ip-allow-list", WAF_RULE_PRIORITIES.ipAllowList],
      ["geo-block", WAF_RULE_PRIORITIES.geoBlock],
      ["rate-limit-per-ip", WAF_RULE_PRIORITIES.rateLimit],
      ["AWS-AWSManagedRulesCommonRuleSet", MANAGED_RULE_PRIORITY_BASE],
      [LARGE_BODY_RULE_NAME, MANAGED_RULE_PRIORITY_BASE + 1],
      ["AWS-AWSManagedRulesBotControlRuleSet", 15],
      ["AWS-AWSManagedRulesAnonymousIpList", 100],
    ]);
    expect(webAcl!.ruleNames[0]).toBe("ip-deny-list");
  });

  it("blocks the listed countries with a geo match", () => {
    expect(rule(synth, "geo-block").statement).toEqual({ geo_match_statement: { country_codes: ["KP", "IR"] } });
  });

  it("accepts AWS's minimum rate limit of 10 over a one-minute window", () => {
    expect(rule(synth, "rate-limit-per-ip").statement.rate_based_statement).toMatchObject({ limit: 10, evaluation_window_sec: 60 });
  });

  it("splits the allow list into IPv4 and IPv6 sets, OR-ed, and references the single deny set directly", () => {
    const sets = Object.values(resourcesOf(synth, "aws_wafv2_ip_set")).sort((a, b) => a.name.localeCompare(b.name));
    expect(sets.map((s) => [s.name, s.ip_address_version, s.addresses, s.scope, s.provider])).toEqual([
      ["aivo-production-waf-cloudfront-allow-ipv4", "IPV4", ["203.0.113.0/24"], "CLOUDFRONT", US_EAST_1_ALIAS],
      ["aivo-production-waf-cloudfront-allow-ipv6", "IPV6", ["2001:db8:1::/48"], "CLOUDFRONT", US_EAST_1_ALIAS],
      ["aivo-production-waf-cloudfront-deny-ipv4", "IPV4", ["198.51.100.7/32"], "CLOUDFRONT", US_EAST_1_ALIAS],
    ]);
    const allow = rule(synth, "ip-allow-list");
    expect(allow.action).toEqual({ allow: {} });
    expect(allow.statement.or_statement.statement).toEqual([
      { ip_set_reference_statement: { arn: expect.stringContaining("allow-ipv4") } },
      { ip_set_reference_statement: { arn: expect.stringContaining("allow-ipv6") } },
    ]);
    const deny = rule(synth, "ip-deny-list");
    expect(deny.action).toEqual({ block: {} });
    expect(deny.statement).toEqual({ ip_set_reference_statement: { arn: expect.stringContaining("deny-ipv4") } });
  });

  it("applies count mode, rule overrides and version pins per group", () => {
    const common = rule(synth, "AWS-AWSManagedRulesCommonRuleSet");
    expect(common.override_action).toEqual({ none: {} });
    expect(common.statement.managed_rule_group_statement).toEqual({
      name: "AWSManagedRulesCommonRuleSet",
      vendor_name: "AWS",
      version: "Version_1.12",
      rule_action_override: [{ name: "SizeRestrictions_BODY", action_to_use: { count: {} } }],
    });
    expect(rule(synth, "AWS-AWSManagedRulesAnonymousIpList").override_action).toEqual({ count: {} });
  });
});

describe("WebAcl with REGIONAL scope", () => {
  const synth = Testing.synthScope((scope) => {
    const euWest1 = new AwsProvider(scope, "aws", { region: "eu-west-1" });
    new WebAcl(scope, "waf", {
      naming: new Naming("aivo", "staging"),
      provider: euWest1,
      providerRegion: "eu-west-1",
      scope: "REGIONAL",
      logRetentionDays: 30,
      rateLimitPerIp: 500,
    });
  });

  it("is created in any region, with its own names and key", () => {
    expect(acl(synth)).toMatchObject({ scope: "REGIONAL", name: "aivo-staging-waf-regional" });
    expect(onlyResource(synth, "aws_cloudwatch_log_group").name).toBe("aws-waf-logs-aivo-staging-waf-regional");
    expect(onlyResource(synth, "aws_kms_alias").name).toBe("alias/aivo/staging/waf-logs-regional");
    expect(acl(synth).provider).toBe("aws");
  });
});

describe("WebAcl validation", () => {
  const base = { naming: new Naming("aivo", "production"), providerRegion: "us-east-1", logRetentionDays: 90, rateLimitPerIp: 2000 };

  function build(overrides: Partial<WebAclProps>, providerRegion = "us-east-1"): void {
    const stack = new TerraformStack(Testing.app(), "stack");
    const provider = new AwsProvider(stack, "p", { region: providerRegion, alias: "p" });
    new WebAcl(stack, "waf", { ...base, provider, providerRegion, ...overrides });
  }

  it("accepts the defaults", () => {
    expect(() => build({})).not.toThrow();
    expect(DEFAULT_MANAGED_RULE_GROUPS.map((g) => g.name).sort()).toEqual([
      "AWSManagedRulesAmazonIpReputationList",
      "AWSManagedRulesAnonymousIpList",
      "AWSManagedRulesCommonRuleSet",
      "AWSManagedRulesKnownBadInputsRuleSet",
      "AWSManagedRulesSQLiRuleSet",
    ]);
  });

  it("rejects a CLOUDFRONT ACL through a provider outside us-east-1", () => {
    expect(() => build({}, "eu-west-1")).toThrow(
      'production.waf.scope: a CLOUDFRONT web ACL must be created in us-east-1, but its provider targets "eu-west-1"; pass the us-east-1 provider alias',
    );
  });

  it("rejects a providerRegion that contradicts the provider's region", () => {
    expect(() => build({ scope: "REGIONAL" }, "eu-west-1")).not.toThrow();
    const stack = new TerraformStack(Testing.app(), "stack");
    const provider = new AwsProvider(stack, "p", { region: "eu-west-1" });
    expect(() => new WebAcl(stack, "waf", { ...base, provider })).toThrow(
      'production.waf.providerRegion: "us-east-1" does not match the region of the provider passed ("eu-west-1")',
    );
  });

  it("rejects an empty managed rule list", () => {
    expect(() => build({ managedRuleGroups: [] })).toThrow(
      "production.waf.managedRuleGroups: the list is empty; keep at least one managed rule group",
    );
  });

  it("rejects a rate limit below AWS's minimum of 10 (and fractions)", () => {
    expect(() => build({ rateLimitPerIp: 9 })).toThrow(
      "production.waf.rateLimitPerIp: 9 is outside 10..2000000000, the whole numbers AWS WAF accepts; set at least 10",
    );
    expect(() => build({ rateLimitPerIp: 100.5 })).toThrow("production.waf.rateLimitPerIp: 100.5 is outside 10..2000000000");
  });

  it("rejects an evaluation window AWS does not offer", () => {
    expect(() => build({ rateLimitWindowSeconds: 30 })).toThrow(
      "production.waf.rateLimitWindowSeconds: 30 is not a rate-based evaluation window; use one of 60, 120, 300, 600",
    );
  });

  it("rejects country codes that are not ISO 3166-1 alpha-2, and duplicates", () => {
    expect(() => build({ blockedCountries: ["KP", "usa"] })).toThrow(
      'production.waf.blockedCountries[1]: "usa" is not an ISO 3166-1 alpha-2 country code',
    );
    expect(() => build({ blockedCountries: ["kp"] })).toThrow('production.waf.blockedCountries[0]: "kp" is not an ISO 3166-1 alpha-2');
    expect(() => build({ blockedCountries: ["KP", "KP"] })).toThrow('production.waf.blockedCountries[1]: "KP" is listed twice');
  });

  it("rejects malformed, non-canonical and catch-all CIDRs, and a range in both lists", () => {
    expect(() => build({ ipAllowList: ["10.0.0.300/24"] })).toThrow('production.waf.ipAllowList[0]: "10.0.0.300/24" is not a CIDR');
    expect(() => build({ ipDenyList: ["10.0.0.1/24"] })).toThrow(
      "production.waf.ipDenyList[0]: 10.0.0.1/24 has host bits set; write the network address 10.0.0.0/24",
    );
    expect(() => build({ ipDenyList: ["0.0.0.0/0"] })).toThrow("production.waf.ipDenyList[0]: 0.0.0.0/0 covers every address");
    expect(() => build({ ipAllowList: ["10/8"] })).toThrow('production.waf.ipAllowList[0]: "10/8" is not a dotted-quad IPv4 CIDR');
    expect(() => build({ ipAllowList: ["2001:db8::/32"], ipDenyList: ["2001:0db8::/32"] })).toThrow(
      "production.waf.ipAllowList[0]: 2001:db8::/32 is also in ipDenyList",
    );
  });

  it("rejects managed priorities inside the custom-rule range or used twice, and duplicate groups", () => {
    expect(() => build({ managedRuleGroups: [{ name: "AWSManagedRulesCommonRuleSet", priority: 3 }] })).toThrow(
      "production.waf.managedRuleGroups[0].priority: 3 is below 10; priorities 0-9 belong to the IP, geo and rate rules",
    );
    expect(() =>
      build({ managedRuleGroups: [{ name: "AWSManagedRulesCommonRuleSet" }, { name: "AWSManagedRulesSQLiRuleSet", priority: 10 }] }),
    ).toThrow("production.waf.managedRuleGroups[1].priority: 10 is already used by managedRuleGroups[0]");
    expect(() => build({ managedRuleGroups: [{ name: "AWSManagedRulesSQLiRuleSet" }, { name: "AWSManagedRulesSQLiRuleSet" }] })).toThrow(
      "production.waf.managedRuleGroups[1]: AWS-AWSManagedRulesSQLiRuleSet is already listed at [0]",
    );
  });

  it("blocks large bodies everywhere with no allowed path, and escapes the prefixes of several", () => {
    const everywhere = synthAcl("staging", { rateLimitPerIp: 2000, largeBodyPathPrefixes: [] });
    expect(acl(everywhere).rule.map((r: Record<string, any>) => r.name)).not.toContain(LARGE_BODY_RULE_NAME);
    expect(rule(everywhere, "AWS-AWSManagedRulesCommonRuleSet").statement.managed_rule_group_statement.rule_action_override).toBeUndefined();
    const two = synthAcl("staging", { rateLimitPerIp: 2000, largeBodyPathPrefixes: ["/api/", "/v2.upload/"] });
    const regex = rule(two, LARGE_BODY_RULE_NAME).statement.and_statement.statement[1].not_statement.statement[0].regex_match_statement;
    expect(regex.regex_string).toBe("^(/api/|/v2\\.upload/)");
  });

  it("rejects a large-body prefix that is not a path, a repeated one, and a group on the large-body rule's priority", () => {
    expect(() => build({ largeBodyPathPrefixes: ["api/"] })).toThrow(
      'production.waf.largeBodyPathPrefixes[0]: "api/" is not a URI path prefix; start with "/"',
    );
    expect(() => build({ largeBodyPathPrefixes: ["/api/", "/api/"] })).toThrow('production.waf.largeBodyPathPrefixes[1]: "/api/" is listed twice');
    expect(() =>
      build({ managedRuleGroups: [{ name: "AWSManagedRulesCommonRuleSet", priority: 20 }, { name: "AWSManagedRulesSQLiRuleSet", priority: 21 }] }),
    ).toThrow("production.waf.managedRuleGroups[1].priority: 21 is the priority of the large-body rule that follows AWSManagedRulesCommonRuleSet; leave it free");
  });

  it("rejects an override action WAF does not know", () => {
    expect(() =>
      build({ managedRuleGroups: [{ name: "AWSManagedRulesCommonRuleSet", ruleActionOverrides: { NoUserAgent_HEADER: "ignore" as never } }] }),
    ).toThrow('production.waf.managedRuleGroups[0].ruleActionOverrides.NoUserAgent_HEADER: "ignore" is not a rule action');
  });

  it("rejects a log retention CloudWatch does not accept", () => {
    expect(() => build({ logRetentionDays: 10 })).toThrow(
      "production.waf.logRetentionDays: 10 is not a retention CloudWatch Logs accepts; use one of 1, 3, 5, 7, 14, 30",
    );
  });
});
