// EdgeDistribution's validation: domain names, origin, subdomains, price class, alarms, health checks, HSTS, TTLs, web ACL and region.
import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EdgeDistribution, EdgeDistributionProps, isDomainName } from "../modules/aws/edge/cloudfront";
import { Naming } from "../modules/shared/naming";
import { resourcesOf } from "./helpers";
import { ACL_ARN, ZONE_ID } from "./edge-fixtures";

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
