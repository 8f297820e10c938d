// EdgeDistribution's optional origins: a static-assets bucket behind Origin Access Control, and a failover origin (origin group).
import { Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import {
  ALB_ORIGIN_ID,
  API_PATH_PATTERN,
  EdgeDistribution,
  EdgeDistributionProps,
  FAILOVER_ORIGIN_ID,
  ORIGIN_FAILOVER_STATUS_CODES,
  ORIGIN_GROUP_ID,
  STATIC_ASSETS_ORIGIN_ID,
  STATIC_PATH_PATTERN,
} from "../modules/aws/edge/cloudfront";
import { Naming } from "../modules/shared/naming";
import { configsOf, onlyResource, resourcesOf } from "./helpers";
import { ACL_ARN, ENVIRONMENTS, ZONE_ID } from "./edge-fixtures";

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
