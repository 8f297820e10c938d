import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import {
  ALB_ORIGIN_ID,
  API_PATH_PATTERN,
  EdgeDistribution,
  EdgeDistributionProps,
  EdgeSettings,
  FAILOVER_ORIGIN_ID,
  isDomainName,
  ORIGIN_FAILOVER_STATUS_CODES,
  ORIGIN_GROUP_ID,
  STATIC_ASSETS_ORIGIN_ID,
  STATIC_PATH_PATTERN,
} from "../modules/aws/edge/cloudfront";
import { Naming } from "../modules/shared/naming";
import { WebAcl } from "../modules/aws/edge/waf";
import { configsOf, onlyResource, policy, resourcesOf } from "./helpers";

const US_EAST_1_ALIAS = "aws.us_east_1";
const ACL_ARN = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/aivo-development-waf-cloudfront/0a1b2c3d-4e5f";
/** The account stack's zone of the environment's domain (looked up by name in the environment stack). */
const ZONE_ID = "Z0123456789ABCDEFGHIJ";
const CRITICAL = "arn:aws:sns:us-east-1:123456789012:aivo-critical";

/** The per-environment settings proposed for `<env>.edge` (see the report). */
const ENVIRONMENTS: Record<string, EdgeSettings> = {
  development: { domain: "dev.aivo.edu", originDomain: "origin.dev.aivo.edu", priceClass: "PriceClass_100" },
  staging: { domain: "staging.aivo.edu", originDomain: "origin.staging.aivo.edu", priceClass: "PriceClass_100" },
  production: {
    domain: "aivo.edu",
    originDomain: "origin.aivo.edu",
    priceClass: "PriceClass_All",
    additionalSubdomains: ["www"],
    healthCheckIntervalSeconds: 10,
  },
};

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

describe("EdgeDistribution validation", () => {
  const base: Omit<EdgeDistributionProps, "usEast1Provider"> = {
    naming: new Naming("aivo", "staging"),
    domain: "staging.aivo.edu",
    originDomain: "origin.staging.aivo.edu",
    webAclArn: ACL_ARN,
    vpcId: "vpc-1",
    publicZoneId: ZONE_ID,
    logRetentionDays: 30,
  };

  function build(overrides: Partial<EdgeDistributionProps>, region = "us-east-1"): void {
    const stack = new TerraformStack(Testing.app(), "stack");
    const usEast1Provider = new AwsProvider(stack, "p", { region, alias: "us_east_1" });
    new EdgeDistribution(stack, "edge", { ...base, usEast1Provider, ...overrides });
  }

  it("recognises DNS names", () => {
    expect(["aivo.edu", "dev.aivo.edu", "a-b.c1.aivo.edu"].every(isDomainName)).toBe(true);
    expect(["aivo", "Dev.aivo.edu", "dev..aivo.edu", "-dev.aivo.edu", "dev.aivo.edu.", "*.aivo.edu", "dev.aivo.e1", "a_b.aivo.edu"].some(isDomainName)).toBe(
      false,
    );
  });

  it("rejects a malformed domain and origin domain", () => {
    expect(() => build({ domain: "Staging.AIVO.edu" })).toThrow(
      'staging.edge.domain: "Staging.AIVO.edu" is not a valid domain name; use a lower-case DNS name such as "dev.aivo.edu"',
    );
    expect(() => build({ domain: "staging..aivo.edu" })).toThrow('staging.edge.domain: "staging..aivo.edu" is not a valid domain name');
    expect(() => build({ originDomain: "https://origin.staging.aivo.edu" })).toThrow(
      'staging.edge.originDomain: "https://origin.staging.aivo.edu" is not a valid domain name',
    );
  });

  it("rejects an origin outside the domain (its certificate is validated in the domain's zone)", () => {
    expect(() => build({ originDomain: "origin.example.com" })).toThrow(
      'staging.edge.originDomain: "origin.example.com" is not under staging.aivo.edu; the ALB\'s certificate is validated in the staging.aivo.edu zone, use e.g. "origin.staging.aivo.edu"',
    );
  });

  it("rejects an origin that is one of the served names", () => {
    expect(() => build({ originDomain: "staging.aivo.edu" })).toThrow(
      'staging.edge.originDomain: "staging.aivo.edu" is also a name the distribution serves, so CloudFront would loop to itself',
    );
  });

  it("rejects bad subdomains and a private zone that collides with a public name", () => {
    expect(() => build({ additionalSubdomains: ["*"] })).toThrow('staging.edge.additionalSubdomains[0]: "*" is not a valid subdomain label');
    expect(() => build({ additionalSubdomains: ["www", "www"] })).toThrow('staging.edge.additionalSubdomains[1]: "www" is listed twice');
    expect(() => build({ privateZoneName: "staging.aivo.edu" })).toThrow(
      'staging.edge.privateZoneName: "staging.aivo.edu" must be a valid domain name distinct from the public names',
    );
  });

  it("rejects a price class CloudFront does not have", () => {
    expect(() => build({ priceClass: "PriceClass_300" as never })).toThrow(
      'staging.edge.priceClass: "PriceClass_300" is not a CloudFront price class; use one of PriceClass_100, PriceClass_200, PriceClass_All',
    );
  });

  it("rejects an outage topic outside us-east-1 and a 5xx rate that is not a percentage", () => {
    expect(() => build({ outageAlarmTopicArns: ["arn:aws:sns:us-west-2:123456789012:aivo-critical"] })).toThrow(
      'staging.edge.outageAlarmTopicArns[0]: "arn:aws:sns:us-west-2:123456789012:aivo-critical" is not an SNS topic in us-east-1',
    );
    expect(() => build({ error5xxRateAlarmPercent: 0 })).toThrow("staging.edge.error5xxRateAlarmPercent: 0 is not a percentage");
  });

  it("creates no alarm without an outage topic", () => {
    const synth = Testing.synthScope((scope) => {
      const usEast1Provider = new AwsProvider(scope, "p", { region: "us-east-1", alias: "us_east_1" });
      new EdgeDistribution(scope, "edge", { ...base, usEast1Provider });
    });
    expect(resourcesOf(synth, "aws_cloudwatch_metric_alarm")).toEqual({});
  });

  it("rejects health-check settings Route 53 does not accept", () => {
    expect(() => build({ healthCheckPath: "healthz" })).toThrow('staging.edge.healthCheckPath: "healthz" is not a health-check path; start with "/"');
    expect(() => build({ healthCheckIntervalSeconds: 20 })).toThrow("staging.edge.healthCheckIntervalSeconds: 20 is not a Route 53 interval; use 10 or 30");
    expect(() => build({ healthCheckFailureThreshold: 11 })).toThrow("staging.edge.healthCheckFailureThreshold: 11 is outside 1-10");
  });

  it("rejects an HSTS max-age under one year and a static default TTL above the max", () => {
    expect(() => build({ hstsMaxAgeSeconds: 86400 })).toThrow("staging.edge.hstsMaxAgeSeconds: 86400 is below 31536000 (one year)");
    expect(() => build({ staticDefaultTtlSeconds: 100, staticMaxTtlSeconds: 10 })).toThrow(
      "staging.edge.staticDefaultTtlSeconds: 100 must be a whole number between 0 and staticMaxTtlSeconds (10)",
    );
  });

  it("rejects a REGIONAL web ACL and a certificate provider outside us-east-1", () => {
    expect(() => build({ webAclArn: "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/0a1b" })).toThrow(
      'staging.edge.webAclArn: "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/0a1b" is not a CLOUDFRONT-scoped web ACL',
    );
    expect(() => build({}, "eu-west-1")).toThrow(
      'staging.edge.usEast1Provider: the provider targets "eu-west-1", but CloudFront certificates and log deliveries must be created in us-east-1',
    );
  });

  it("rejects a log retention CloudWatch does not accept", () => {
    expect(() => build({ logRetentionDays: 0 })).toThrow("staging.edge.logRetentionDays: 0 is not a retention CloudWatch Logs accepts");
  });
});

describe("EdgeDistribution with a static-assets bucket (issue 14)", () => {
  const build = (staticAssets?: EdgeDistributionProps["staticAssets"]) =>
    Testing.synthScope((scope) => {
      const usEast1 = new AwsProvider(scope, "us-east-1", { region: "us-east-1", alias: "us_east_1" });
      new EdgeDistribution(scope, "edge", {
        ...ENVIRONMENTS.staging,
        naming: new Naming("aivo", "staging"),
        usEast1Provider: usEast1,
        webAclArn: ACL_ARN,
        vpcId: "vpc-0abc",
        publicZoneId: ZONE_ID,
        logRetentionDays: 90,
        staticAssets,
      });
    });

  it("keeps /static/* on the ALB and creates no OAC without one", () => {
    const synth = build();
    const distribution = onlyResource(synth, "aws_cloudfront_distribution");
    expect(distribution.origin).toHaveLength(1);
    expect(distribution.ordered_cache_behavior[1].target_origin_id).toBe("platform-alb");
    expect(configsOf(synth, "aws_cloudfront_origin_access_control")).toHaveLength(0);
  });

  it("serves /static/* from the bucket through a SigV4 Origin Access Control; /api/* stays on the ALB", () => {
    const synth = build({ bucketRegionalDomainName: "aivo-staging-static-assets-1.s3.us-east-1.amazonaws.com" });
    const distribution = onlyResource(synth, "aws_cloudfront_distribution");
    const oacId = Object.keys(resourcesOf(synth, "aws_cloudfront_origin_access_control"))[0];
    expect(distribution.origin[1]).toEqual({
      origin_id: "static-assets-s3",
      domain_name: "aivo-staging-static-assets-1.s3.us-east-1.amazonaws.com",
      origin_access_control_id: `\${aws_cloudfront_origin_access_control.${oacId}.id}`,
      connection_attempts: 3,
      connection_timeout: 10,
    });
    expect(distribution.ordered_cache_behavior.map((b: any) => [b.path_pattern, b.target_origin_id])).toEqual([
      ["/api/*", "platform-alb"],
      ["/static/*", "static-assets-s3"],
    ]);
    expect(onlyResource(synth, "aws_cloudfront_origin_access_control")).toMatchObject({
      origin_access_control_origin_type: "s3",
      signing_behavior: "always",
      signing_protocol: "sigv4",
    });
  });
});

describe("EdgeDistribution with a failover origin (production-dr's DR ALB)", () => {
  const withFailover = (staticAssets?: EdgeDistributionProps["staticAssets"]) =>
    onlyResource(
      Testing.synthScope((scope) => {
        new AwsProvider(scope, "aws", { region: "us-east-1" });
        const usEast1 = new AwsProvider(scope, "us-east-1", { region: "us-east-1", alias: "us_east_1" });
        new EdgeDistribution(scope, "edge", {
          ...ENVIRONMENTS.production,
          failoverOriginDomain: "origin-us-west-2.aivo.edu",
          staticAssets,
          naming: new Naming("aivo", "production"),
          usEast1Provider: usEast1,
          webAclArn: ACL_ARN,
          vpcId: "vpc-0abc",
          publicZoneId: ZONE_ID,
          logRetentionDays: 365,
        });
      }),
      "aws_cloudfront_distribution",
    );

  it("fails /static/* (read-only) over to the DR ALB on 5xx through an origin group when the ALB serves it", () => {
    const distribution = withFailover();
    expect(distribution.origin.map((o: Record<string, string>) => [o.origin_id, o.domain_name])).toEqual([
      [ALB_ORIGIN_ID, "origin.aivo.edu"],
      [FAILOVER_ORIGIN_ID, "origin-us-west-2.aivo.edu"],
    ]);
    expect(distribution.origin_group).toEqual([
      {
        origin_id: ORIGIN_GROUP_ID,
        failover_criteria: { status_codes: [...ORIGIN_FAILOVER_STATUS_CODES] },
        member: [{ origin_id: ALB_ORIGIN_ID }, { origin_id: FAILOVER_ORIGIN_ID }],
      },
    ]);
    const behaviors = Object.fromEntries(distribution.ordered_cache_behavior.map((b: Record<string, any>) => [b.path_pattern, b]));
    expect(behaviors[STATIC_PATH_PATTERN].target_origin_id).toBe(ORIGIN_GROUP_ID);
    expect(behaviors[STATIC_PATH_PATTERN].allowed_methods).toEqual(["GET", "HEAD", "OPTIONS"]);
    expect(behaviors[API_PATH_PATTERN].target_origin_id).toBe(ALB_ORIGIN_ID);
  });

  it("creates no origin group when S3 serves /static/* (no read-only behavior left on the ALB)", () => {
    const distribution = withFailover({ bucketRegionalDomainName: "aivo-production-static-assets.s3.us-east-1.amazonaws.com" });
    expect(distribution.origin_group).toBeUndefined();
    expect(distribution.origin.map((o: Record<string, string>) => o.origin_id)).toEqual([ALB_ORIGIN_ID, STATIC_ASSETS_ORIGIN_ID]);
  });
});
