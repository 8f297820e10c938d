import { TerraformProvider, TerraformStack } from "cdktf";
import { MATCH_NOTHING_STATEMENT, RATE_LIMIT_EVALUATION_WINDOWS, RATE_LIMIT_MAXIMUM, RATE_LIMIT_MINIMUM, WebAcl } from "../../modules/aws/edge/waf";
import { CLOUDFRONT_REGION } from "../../modules/shared/aws-context";
import { JsonObject, ModuleDefinition } from "../../modules/shared/hcl/module";
import { NAMING_VARIABLES, logRetentionVariable, naming } from "./common";

/** The `waf` module: the `WebAcl` construct (modules/aws/edge/waf), CLOUDFRONT scope. */
export const WAF_MODULE: ModuleDefinition = {
  name: "waf",
  construct: "modules/aws/edge/waf (WebAcl)",
  description:
    "A WAFv2 web ACL for CloudFront (default action allow) with a geographic rule, a per-IP rate limit and the AWS managed rule groups of the platform's baseline (IP reputation, anonymous IP, known bad inputs, common rule set with request bodies over 8 KB allowed only under `/api/`, SQL injection); CloudWatch metrics for every rule; logs to a KMS-encrypted `aws-waf-logs-…` log group with the `authorization` and `cookie` headers redacted. A CloudFront web ACL lives in us-east-1: call the module with a us-east-1 AWS provider (`providers = { aws = aws.us_east_1 }`).",
  variables: [
    ...NAMING_VARIABLES,
    {
      name: "rate_limit_per_ip",
      type: "number",
      description: `Requests one IP may send within the evaluation window before it is blocked (${RATE_LIMIT_MINIMUM}-${RATE_LIMIT_MAXIMUM}).`,
      sample: 4099,
      validations: [
        {
          condition: `var.rate_limit_per_ip >= ${RATE_LIMIT_MINIMUM} && var.rate_limit_per_ip <= ${RATE_LIMIT_MAXIMUM} && floor(var.rate_limit_per_ip) == var.rate_limit_per_ip`,
          errorMessage: `rate_limit_per_ip: AWS WAF accepts whole numbers ${RATE_LIMIT_MINIMUM}..${RATE_LIMIT_MAXIMUM}.`,
        },
      ],
    },
    {
      name: "rate_limit_window_seconds",
      type: "number",
      description: `The rate-limit look-back window in seconds: ${RATE_LIMIT_EVALUATION_WINDOWS.join(", ")}.`,
      default: 300,
      sample: 120,
      validations: [
        {
          condition: `contains([${RATE_LIMIT_EVALUATION_WINDOWS.join(", ")}], var.rate_limit_window_seconds)`,
          errorMessage: `rate_limit_window_seconds: use one of ${RATE_LIMIT_EVALUATION_WINDOWS.join(", ")}.`,
        },
      ],
    },
    {
      name: "blocked_countries",
      type: "list(string)",
      description: "ISO 3166-1 alpha-2 codes (`CU`, `KP` …) to block; empty means the geo rule matches nothing (it keeps its name and priority).",
      default: [],
      sample: ["ZQ"],
      validations: [
        { condition: 'alltrue([for c in var.blocked_countries : can(regex("^[A-Z]{2}$", c))])', errorMessage: 'blocked_countries: use ISO 3166-1 alpha-2 codes, two upper-case letters such as "KP".' },
        { condition: "length(distinct(var.blocked_countries)) == length(var.blocked_countries)", errorMessage: "blocked_countries: list each country once." },
      ],
    },
    logRetentionVariable(731),
  ],
  // The construct writes a geo statement when countries are listed and MATCH_NOTHING_STATEMENT otherwise.
  transform(doc) {
    const acl = Object.values(doc.resource.aws_wafv2_web_acl)[0];
    const geo = (acl.rule as JsonObject[]).find((r) => r.name === "geo-block")!;
    const withCountries = geo.statement as JsonObject;
    geo.statement = {
      dynamic: {
        geo_match_statement: { for_each: "${length(var.blocked_countries) > 0 ? [1] : []}", content: withCountries.geo_match_statement },
        size_constraint_statement: { for_each: "${length(var.blocked_countries) > 0 ? [] : [1]}", content: (MATCH_NOTHING_STATEMENT as unknown as JsonObject).size_constraint_statement },
      },
    };
  },
  build(scope, v) {
    const provider = TerraformStack.of(scope).node.findChild("aws") as TerraformProvider;
    const waf = new WebAcl(scope, "waf", {
      naming: naming(),
      provider,
      providerRegion: CLOUDFRONT_REGION,
      scope: "CLOUDFRONT",
      rateLimitPerIp: v.rate_limit_per_ip as number,
      rateLimitWindowSeconds: v.rate_limit_window_seconds as number,
      blockedCountries: v.blocked_countries as string[],
      logRetentionDays: v.log_retention_days as number,
    });
    return {
      web_acl_arn: { description: "The ACL ARN: CloudFront's `web_acl_id`.", value: waf.webAclArn },
      web_acl_id: { description: "The ACL id.", value: waf.webAclId },
      web_acl_name: { description: "`<project>-<environment>-waf-cloudfront`, also the prefix of every metric name.", value: waf.webAclName },
      log_group_arn: { description: "ARN of the log group receiving the WAF logs.", value: waf.logs.logGroupArn },
    };
  },
  notes: [
    "`scope` is CLOUDFRONT (the platform's use); a REGIONAL ACL for an ALB comes from the cdktf construct.",
    "`ipAllowList`, `ipDenyList`, `managedRuleGroups` and `largeBodyPathPrefixes` shape the rules themselves (an IP set per list, a geo statement or none) and are fixed at the platform's defaults here: no IP lists, the five baseline managed groups, large bodies under `/api/`. Environments that change them deploy the ACL with cdktf.",
  ],
  example: { environment: "development", rate_limit_per_ip: 1000, log_retention_days: 30 },
};
