// The WAF construct (a WAFv2 web ACL), in parts: settings.ts (settings, props, shared constants),
// validate.ts (defaults and rules), rules.ts (the ACL's rules and their WAFv2 statements, the IP sets,
// rule priorities). The ACL and its logging are here. Every part creates its resources in this
// construct's scope, so their Terraform addresses don't depend on the file they are written in.
import { Construct } from "constructs";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { VendedLogGroup } from "../../observability/vended-log-group";
import { createRules, visibility } from "./rules";
import { WAF_LOG_GROUP_PREFIX, WAF_REDACTED_HEADERS, WAF_SECTION, WebAclProps } from "./settings";
import { validateWafProps } from "./validate";

export * from "./settings";
export { MATCH_NOTHING_STATEMENT } from "./rules";

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
    const path = `${props.naming.environment}.${WAF_SECTION}`;
    const settings = validateWafProps(path, props);
    const aclScope = settings.scope;

    this.webAclName = props.naming.name("waf", aclScope.toLowerCase());
    const provider = props.provider;
    const rules = createRules(this, { provider, webAclName: this.webAclName, settings });
    this.ruleNames = rules.map((r) => r.name);

    this.webAcl = new Wafv2WebAcl(this, "acl", {
      provider,
      name: this.webAclName,
      description: `Edge protection of ${props.naming.prefix} (${aclScope})`,
      scope: aclScope,
      defaultAction: { allow: {} },
      rule: rules,
      visibilityConfig: visibility(this.webAclName, "web-acl"),
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
