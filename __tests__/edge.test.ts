// EdgeDistribution per environment (CloudFront, caching, headers, logs, certificates, DNS, health alarms) and wired to a WebAcl.
import { Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EdgeDistribution, EdgeSettings } from "../modules/aws/edge/cloudfront";
import { Naming } from "../modules/shared/naming";
import { WebAcl } from "../modules/aws/edge/waf";
import { configsOf, onlyResource, policy, resourcesOf } from "./helpers";
import { ACL_ARN, ENVIRONMENTS, ZONE_ID } from "./edge-fixtures";

const US_EAST_1_ALIAS = "aws.us_east_1";
const CRITICAL = "arn:aws:sns:us-east-1:123456789012:aivo-critical";

function synthEdge(environment: string, settings: EdgeSettings): string {
  return Testing.synthScope((scope) => {
    new AwsProvider(scope, "aws", { region: "us-west-2" });
    const usEast1 = new AwsProvider(scope, "us-east-1", { region: "us-east-1", alias: "us_east_1" });
    new EdgeDistribution(scope, "edge", {
      ...settings,
      naming: new Naming("aivo", environment),
      usEast1Provider: usEast1,
      webAclArn: ACL_ARN,
      vpcId: "vpc-0abc",
      publicZoneId: ZONE_ID,
      logRetentionDays: 90,
      outageAlarmTopicArns: [CRITICAL],
    });
  });
}

function policyByName(synth: string, type: string, name: string): [string, Record<string, any>] {
  const entry = Object.entries(resourcesOf(synth, type)).find(([, r]) => r.name === name);
  if (!entry) throw new Error(`no ${type} named ${name}`);
  return entry;
}

describe.each(Object.entries(ENVIRONMENTS))("EdgeDistribution in %s", (environment, settings) => {
  const synth = synthEdge(environment, settings);
  const distribution = onlyResource(synth, "aws_cloudfront_distribution");
  const served = [settings.domain, ...(settings.additionalSubdomains ?? []).map((s) => `${s}.${settings.domain}`)];

  it("serves the environment's names over HTTPS only, TLS 1.2+ (SNI), HTTP/2+3 and IPv6, with its price class", () => {
    expect(distribution).toMatchObject({
      enabled: true,
      aliases: served,
      price_class: settings.priceClass,
      http_version: "http2and3",
      is_ipv6_enabled: true,
      viewer_certificate: {
        acm_certificate_arn: expect.stringMatching(/^\$\{aws_acm_certificate_validation\.[\w-]+\.certificate_arn\}$/),
        ssl_support_method: "sni-only",
        minimum_protocol_version: "TLSv1.2_2021",
      },
    });
    expect(distribution.viewer_certificate.cloudfront_default_certificate).toBeUndefined();
    const behaviors = [distribution.default_cache_behavior, ...distribution.ordered_cache_behavior];
    expect(behaviors.map((b) => b.viewer_protocol_policy)).toEqual(["redirect-to-https", "redirect-to-https", "redirect-to-https"]);
  });

  it("talks to the ALB origin over HTTPS with TLS 1.2 only", () => {
    expect(distribution.origin).toEqual([
      expect.objectContaining({
        origin_id: "platform-alb",
        domain_name: settings.originDomain,
        custom_origin_config: expect.objectContaining({
          origin_protocol_policy: "https-only",
          origin_ssl_protocols: ["TLSv1.2"],
          https_port: 443,
        }),
      }),
    ]);
  });

  it("attaches the web ACL", () => {
    expect(distribution.web_acl_id).toBe(ACL_ARN);
  });

  it("never caches /api/* and forwards Authorization through the cache key, not the origin request policy", () => {
    const [noCacheId, noCache] = policyByName(synth, "aws_cloudfront_cache_policy", `aivo-${environment}-edge-no-cache`);
    const [orpId, orp] = policyByName(synth, "aws_cloudfront_origin_request_policy", `aivo-${environment}-edge-all-viewer-except-host`);
    const api = distribution.ordered_cache_behavior[0];
    expect(api).toMatchObject({
      path_pattern: "/api/*",
      cache_policy_id: `\${aws_cloudfront_cache_policy.${noCacheId}.id}`,
      origin_request_policy_id: `\${aws_cloudfront_origin_request_policy.${orpId}.id}`,
      allowed_methods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
    });
    expect(noCache).toMatchObject({ min_ttl: 0, default_ttl: 0, max_ttl: 1 });
    expect(noCache.parameters_in_cache_key_and_forwarded_to_origin.headers_config).toEqual({
      header_behavior: "whitelist",
      headers: { items: ["Authorization"] },
    });
    expect(orp.headers_config).toEqual({ header_behavior: "allExcept", headers: { items: ["host"] } });
    expect(JSON.stringify(orp).toLowerCase()).not.toContain("authorization");
    expect(distribution.default_cache_behavior.cache_policy_id).toBe(api.cache_policy_id);
  });

  it("caches /static/* with a long TTL and nothing but the path in the key", () => {
    const [staticId, staticPolicy] = policyByName(synth, "aws_cloudfront_cache_policy", `aivo-${environment}-edge-static-assets`);
    const assets = distribution.ordered_cache_behavior[1];
    expect(assets).toMatchObject({
      path_pattern: "/static/*",
      cache_policy_id: `\${aws_cloudfront_cache_policy.${staticId}.id}`,
      allowed_methods: ["GET", "HEAD", "OPTIONS"],
      compress: true,
    });
    expect(staticPolicy).toMatchObject({ default_ttl: 86400, max_ttl: 31536000 });
    expect(staticPolicy.parameters_in_cache_key_and_forwarded_to_origin).toMatchObject({
      headers_config: { header_behavior: "none" },
      cookies_config: { cookie_behavior: "none" },
      query_strings_config: { query_string_behavior: "none" },
    });
  });

  it("adds HSTS (>= 1 year, subdomains, preload) and the usual security headers to every response", () => {
    const [headersId, headers] = policyByName(
      synth,
      "aws_cloudfront_response_headers_policy",
      `aivo-${environment}-edge-security-headers`,
    );
    const security = headers.security_headers_config;
    expect(security.strict_transport_security).toEqual({
      access_control_max_age_sec: 63072000,
      include_subdomains: true,
      preload: true,
      override: true,
    });
    expect(security.strict_transport_security.access_control_max_age_sec).toBeGreaterThanOrEqual(31536000);
    expect(security.content_type_options).toEqual({ override: true });
    expect(security.frame_options).toEqual({ frame_option: "DENY", override: true });
    expect(security.referrer_policy).toEqual({ referrer_policy: "strict-origin-when-cross-origin", override: true });
    expect(security.xss_protection).toEqual({ protection: true, mode_block: true, override: true });
    const behaviors = [distribution.default_cache_behavior, ...distribution.ordered_cache_behavior];
    for (const b of behaviors) expect(b.response_headers_policy_id).toBe(`\${aws_cloudfront_response_headers_policy.${headersId}.id}`);
  });

  it("delivers access logs (standard logging v2) from us-east-1 into a KMS-encrypted log group with retention", () => {
    const source = onlyResource(synth, "aws_cloudwatch_log_delivery_source");
    expect(source).toMatchObject({
      log_type: "ACCESS_LOGS",
      resource_arn: expect.stringMatching(/^\$\{aws_cloudfront_distribution\.[\w-]+\.arn\}$/),
      provider: US_EAST_1_ALIAS,
    });
    const destination = onlyResource(synth, "aws_cloudwatch_log_delivery_destination");
    expect(destination.delivery_destination_configuration).toEqual([
      { destination_resource_arn: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.[\w-]+\.arn\}$/) },
    ]);
    const delivery = onlyResource(synth, "aws_cloudwatch_log_delivery");
    expect(delivery.delivery_source_name).toMatch(/^\$\{aws_cloudwatch_log_delivery_source\.[\w-]+\.name\}$/);
    expect(delivery.depends_on).toEqual([expect.stringMatching(/^aws_cloudwatch_log_resource_policy\./)]);
    const group = onlyResource(synth, "aws_cloudwatch_log_group");
    expect(group).toMatchObject({
      name: `/aivo/${environment}/edge/cloudfront-access-logs`,
      retention_in_days: 90,
      kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\.[\w-]+\.arn\}$/),
      provider: US_EAST_1_ALIAS,
    });
    expect(policy(onlyResource(synth, "aws_cloudwatch_log_resource_policy").policy_document).Statement[0].Principal).toEqual({
      Service: "delivery.logs.amazonaws.com",
    });
    expect(distribution.logging_config).toBeUndefined();
  });

  it("issues the certificate in us-east-1 for every served name, validated by DNS records keyed by domain name", () => {
    const [cloudFrontId, cloudFront] = Object.entries(resourcesOf(synth, "aws_acm_certificate")).find(([, c]) => c.domain_name === settings.domain)!;
    expect(cloudFront).toMatchObject({
      provider: US_EAST_1_ALIAS,
      domain_name: settings.domain,
      subject_alternative_names: served.slice(1),
      validation_method: "DNS",
      lifecycle: { create_before_destroy: true },
    });
    const records = Object.values(resourcesOf(synth, "aws_route53_record"));
    const validationRecord = records.find((r) => r.for_each?.includes(`aws_acm_certificate.${cloudFrontId}.`))!;
    expect(validationRecord.for_each).toBe(`\${{ for key, val in tolist(aws_acm_certificate.${cloudFrontId}.domain_validation_options): val.domain_name => val }}`);
    expect(validationRecord).toMatchObject({
      name: "${each.value.resource_record_name}",
      type: "${each.value.resource_record_type}",
      records: ["${each.value.resource_record_value}"],
      allow_overwrite: true,
      zone_id: ZONE_ID,
    });
    const validation = configsOf(synth, "aws_acm_certificate_validation").find((v) => v.provider === US_EAST_1_ALIAS)!;
    expect(validation.validation_record_fqdns).toMatch(/^\$\{\[ for key, val in aws_route53_record\.edge_certificate-validation-record_\w+: val\.fqdn\]\}$/);
  });

  it("issues the ALB's certificate for the origin name in the environment's region, DNS-validated in the public zone", () => {
    const [originId, origin] = Object.entries(resourcesOf(synth, "aws_acm_certificate")).find(([, c]) => c.domain_name === settings.originDomain)!;
    expect(origin.provider).toBeUndefined();
    expect(origin).toMatchObject({ validation_method: "DNS", lifecycle: { create_before_destroy: true } });
    expect(origin.subject_alternative_names).toBeUndefined();
    const record = configsOf(synth, "aws_route53_record").find((r) => r.for_each?.includes(`aws_acm_certificate.${originId}.`))!;
    expect(record.zone_id).toBe(ZONE_ID); // the account stack's zone
    const validation = configsOf(synth, "aws_acm_certificate_validation").find((v) => v.provider === undefined)!;
    expect(validation.certificate_arn).toBe(`\${aws_acm_certificate.${originId}.arn}`);
    expect(validation.validation_record_fqdns).toMatch(/aws_route53_record\.edge_origin-certificate-validation-record_\w+: val\.fqdn/);
  });

  it("uses the account's public zone (creates none) and creates a private internal.<domain> zone attached to the VPC", () => {
    const zones = configsOf(synth, "aws_route53_zone");
    expect(zones).toHaveLength(1);
    expect(zones[0]).toMatchObject({ name: `internal.${settings.domain}`, vpc: [{ vpc_id: "vpc-0abc" }] });
  });

  it("pages (critical topic, us-east-1) when the origin fails its health check or CloudFront serves mostly 5xx", () => {
    const alarms = Object.fromEntries(configsOf(synth, "aws_cloudwatch_metric_alarm").map((a) => [a.metric_name, a]));
    expect(Object.keys(alarms).sort()).toEqual(["5xxErrorRate", "HealthCheckStatus"]);
    const [healthCheckId] = Object.keys(resourcesOf(synth, "aws_route53_health_check"));
    expect(alarms.HealthCheckStatus).toMatchObject({
      provider: US_EAST_1_ALIAS,
      alarm_name: `aivo-${environment}-edge-origin-unhealthy`,
      namespace: "AWS/Route53",
      dimensions: { HealthCheckId: `\${aws_route53_health_check.${healthCheckId}.id}` },
      comparison_operator: "LessThanThreshold",
      threshold: 1,
      statistic: "Minimum",
      treat_missing_data: "breaching",
      alarm_actions: [CRITICAL],
      ok_actions: [CRITICAL],
    });
    expect(alarms["5xxErrorRate"]).toMatchObject({
      provider: US_EAST_1_ALIAS,
      namespace: "AWS/CloudFront",
      dimensions: { DistributionId: expect.stringMatching(/^\$\{aws_cloudfront_distribution\.[\w-]+\.id\}$/), Region: "Global" },
      threshold: 25,
      treat_missing_data: "notBreaching",
      alarm_actions: [CRITICAL],
    });
  });

  it("points A and AAAA alias records of every served name at the distribution", () => {
    const aliases = configsOf(synth, "aws_route53_record").filter((r) => r.alias !== undefined);
    expect(aliases.map((r) => `${r.name} ${r.type}`).sort()).toEqual(served.flatMap((n) => [`${n} A`, `${n} AAAA`]).sort());
    for (const record of aliases) {
      expect(record.alias).toEqual({
        name: expect.stringMatching(/^\$\{aws_cloudfront_distribution\.[\w-]+\.domain_name\}$/),
        zone_id: expect.stringMatching(/^\$\{aws_cloudfront_distribution\.[\w-]+\.hosted_zone_id\}$/),
        evaluate_target_health: false,
      });
      expect(record.zone_id).toBe(ZONE_ID);
    }
  });

  it("health-checks the origin over HTTPS on its health path", () => {
    expect(onlyResource(synth, "aws_route53_health_check")).toMatchObject({
      type: "HTTPS",
      fqdn: settings.originDomain,
      port: 443,
      resource_path: "/healthz/ready",
      enable_sni: true,
      request_interval: settings.healthCheckIntervalSeconds ?? 30,
      failure_threshold: 3,
    });
  });
});

describe("EdgeDistribution wired to a WebAcl", () => {
  const synth = Testing.synthScope((scope) => {
    new AwsProvider(scope, "aws", { region: "us-east-1" });
    const usEast1 = new AwsProvider(scope, "us-east-1", { region: "us-east-1", alias: "us_east_1" });
    const naming = new Naming("aivo", "staging");
    const waf = new WebAcl(scope, "waf", { naming, provider: usEast1, providerRegion: "us-east-1", rateLimitPerIp: 2000, logRetentionDays: 30 });
    new EdgeDistribution(scope, "edge", {
      naming,
      domain: "staging.aivo.edu",
      originDomain: "origin.staging.aivo.edu",
      usEast1Provider: usEast1,
      webAclArn: waf.webAclArn,
      vpcId: "vpc-1",
      publicZoneId: ZONE_ID,
      logRetentionDays: 30,
    });
  });

  it("references the ACL's ARN and keeps distinct KMS aliases for the two log groups", () => {
    expect(onlyResource(synth, "aws_cloudfront_distribution").web_acl_id).toMatch(/^\$\{aws_wafv2_web_acl\.[\w-]+\.arn\}$/);
    expect(configsOf(synth, "aws_kms_alias").map((a) => a.name).sort()).toEqual([
      "alias/aivo/staging/cloudfront-access-logs",
      "alias/aivo/staging/waf-logs-cloudfront",
    ]);
  });
});
