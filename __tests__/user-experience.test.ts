import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import {
  CANARY_KINDS,
  CANARY_RATE_MINUTES_BY_TIER,
  CANARY_SEVERITIES_BY_TIER,
  CanarySettings,
  SYNTHETICS_RUNTIME_VERSION,
  SyntheticCanaries,
} from "../modules/aws/observability/canaries";
import { RUM_SAMPLE_RATE_BY_TIER, RealUserMonitoring, RealUserMonitoringSettings } from "../modules/aws/observability/real-user-monitoring";
import { Naming } from "../modules/shared/naming";
import { configsOf, onlyResource, parse, policy, resourcesOf } from "./helpers";

const naming = new Naming("aivo", "test");
const topicArns = { warning: "arn:warning", alert: "arn:alert", critical: "arn:critical" };
const api = {
  baseUrl: "https://test.aivo.edu",
  healthPath: "/api/auth/health",
  signInPath: "/api/auth/login",
  signInRedirectPrefix: "https://aivo-test.us.auth0.com/authorize",
};

function synthCanaries(tier: string, settings: CanarySettings = {}, pausedOutsideWorkingHours = false) {
  return parse(
    Testing.synthScope((scope) => {
      new AwsProvider(scope, "aws", { region: "us-east-1" });
      new SyntheticCanaries(scope, "canaries", {
        naming,
        tier,
        settings,
        siteUrl: "https://test.aivo.edu/",
        api,
        vpcId: "vpc-1",
        subnetIds: ["subnet-a", "subnet-b"],
        topicArns,
        accessLogBucketName: "aivo-test-s3-access-logs",
        pausedOutsideWorkingHours,
      });
    }),
  );
}

describe("SyntheticCanaries (modules/aws/observability/canaries)", () => {
  const production = synthCanaries("production");

  it("runs a heartbeat and an API canary on the pinned runtime, in the VPC, traced, from zipped repository code", () => {
    const all = configsOf(production, "aws_synthetics_canary");
    const canaries = CANARY_KINDS.map((k) => all.find((c) => c.name === `aivo-test-${k}`)!);
    expect(all).toHaveLength(CANARY_KINDS.length);
    for (const [i, canary] of canaries.entries()) {
      const kind = CANARY_KINDS[i];
      expect(canary.runtime_version).toBe(SYNTHETICS_RUNTIME_VERSION);
      expect(SYNTHETICS_RUNTIME_VERSION).toMatch(/^syn-nodejs-(puppeteer|playwright)-\d+\.\d+$/);
      expect(canary.handler).toBe(`${kind}.handler`);
      expect(canary.zip_file).toMatch(/\.zip$/);
      expect(canary.vpc_config).toEqual({ subnet_ids: ["subnet-a", "subnet-b"], security_group_ids: [expect.stringContaining("aws_security_group.")] });
      expect(canary.run_config).toMatchObject({ active_tracing: true, timeout_in_seconds: 60 });
      expect(canary.start_canary).toBe(true);
      expect(canary.artifact_config.s3_encryption).toMatchObject({ encryption_mode: "SSE_KMS" });
      // The handler file is where the Puppeteer runtime loads it from: nodejs/node_modules/<kind>.js.
      expect(existsSync(join(__dirname, `../modules/aws/observability/canaries/code/${kind}/nodejs/node_modules/${kind}.js`))).toBe(true);
    }
    expect(canaries[0].run_config.environment_variables).toEqual({ SITE_URL: "https://test.aivo.edu/" });
    expect(canaries[1].run_config.environment_variables).toEqual({
      API_BASE_URL: api.baseUrl,
      HEALTH_PATH: api.healthPath,
      SIGN_IN_PATH: api.signInPath,
      SIGN_IN_REDIRECT_PREFIX: api.signInRedirectPrefix,
    });
  });

  it("the scripts use the runtime's current module names and read their targets from the run configuration", () => {
    const api = readFileSync(join(__dirname, "../modules/aws/observability/canaries/code/api/nodejs/node_modules/api.js"), "utf8");
    expect(api).toContain('require("@aws/synthetics-puppeteer")');
    for (const variable of ["API_BASE_URL", "HEALTH_PATH", "SIGN_IN_PATH", "SIGN_IN_REDIRECT_PREFIX"]) expect(api).toContain(variable);
  });

  it("runs at the tier's rate unless the config sets one", () => {
    const rate = (doc: ReturnType<typeof synthCanaries>) => [...new Set(configsOf(doc, "aws_synthetics_canary").map((c) => c.schedule.expression))].join();
    expect(rate(production)).toBe(`rate(${CANARY_RATE_MINUTES_BY_TIER.production} minutes)`);
    expect(CANARY_RATE_MINUTES_BY_TIER.production).toBe(5);
    expect(rate(synthCanaries("development"))).toBe(`rate(${CANARY_RATE_MINUTES_BY_TIER.development} minutes)`);
    expect(rate(synthCanaries("staging", { rateMinutes: 1 }))).toBe("rate(1 minute)");
  });

  it("keeps artifacts in a CMK-encrypted, access-logged bucket that expires them", () => {
    const doc = synthCanaries("staging", { artifactRetentionDays: 14 });
    expect(onlyResource(doc, "aws_s3_bucket_server_side_encryption_configuration").rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("aws:kms");
    expect(onlyResource(doc, "aws_s3_bucket_lifecycle_configuration").rule[0].expiration).toEqual([{ days: 14 }]);
    expect(onlyResource(doc, "aws_s3_bucket_logging")).toMatchObject({ target_bucket: "aivo-test-s3-access-logs", target_prefix: "synthetics/" });
    expect(configsOf(doc, "aws_synthetics_canary")[0]).toMatchObject({ success_retention_period: 14, failure_retention_period: 14 });
  });

  it("gives the execution role only its bucket, its log groups, its metric namespace, tracing and the VPC ENIs", () => {
    const statements = policy(onlyResource(production, "aws_iam_role_policy").policy).Statement;
    expect(statements.find((s) => s.Sid === "WriteArtifacts")!.Resource).toMatch(/\/\*$/);
    expect(statements.find((s) => s.Sid === "OwnLogs")!.Resource).toEqual(CANARY_KINDS.map((k) => expect.stringContaining(`log-group:/aws/lambda/cwsyn-aivo-test-${k}-*`)));
    expect(statements.find((s) => s.Sid === "SyntheticsMetrics")!.Condition).toEqual({ StringEquals: { "cloudwatch:namespace": "CloudWatchSynthetics" } });
    expect(statements.flatMap((s) => [s.Action].flat())).not.toContain("s3:*");
    expect(JSON.parse(onlyResource(production, "aws_iam_role").assume_role_policy).Statement[0].Principal).toEqual({ Service: "lambda.amazonaws.com" });
    // HTTPS out only, no ingress.
    // No inline rules, which would fight the separate rule resource.
    expect(onlyResource(production, "aws_security_group")).not.toHaveProperty("egress");
    expect(onlyResource(production, "aws_security_group")).not.toHaveProperty("ingress");
    expect(onlyResource(production, "aws_vpc_security_group_egress_rule")).toMatchObject({ ip_protocol: "tcp", from_port: 443, to_port: 443 });
    expect(resourcesOf(production, "aws_vpc_security_group_ingress_rule")).toEqual({});
  });

  it.each(Object.entries(CANARY_SEVERITIES_BY_TIER))("alarms in %s on success percent and duration to the tier's severities", (tier, severities) => {
    const alarms = configsOf(synthCanaries(tier), "aws_cloudwatch_metric_alarm");
    for (const kind of CANARY_KINDS) {
      const failing = alarms.find((a) => a.alarm_name === `aivo-test-canary-${kind}-failing`)!;
      const slow = alarms.find((a) => a.alarm_name === `aivo-test-canary-${kind}-slow`)!;
      expect(failing).toMatchObject({ metric_name: "SuccessPercent", comparison_operator: "LessThanThreshold", threshold: 90, treat_missing_data: "breaching", dimensions: { CanaryName: `aivo-test-${kind}` } });
      expect(failing.alarm_actions).toEqual([topicArns[severities.failing]]);
      expect(slow).toMatchObject({ metric_name: "Duration", comparison_operator: "GreaterThanThreshold", threshold: 10000 });
      expect(slow.alarm_actions).toEqual([topicArns[severities.slow]]);
      expect(failing.period).toBe(60 * CANARY_RATE_MINUTES_BY_TIER[tier]);
    }
  });

  it("pages on a failing production canary", () => {
    expect(CANARY_SEVERITIES_BY_TIER.production.failing).toBe("critical");
  });

  it("does not count the runs of a canary paused outside working hours as failures", () => {
    const failing = configsOf(synthCanaries("development", {}, true), "aws_cloudwatch_metric_alarm").filter((a) => a.metric_name === "SuccessPercent");
    expect(failing.map((a) => a.treat_missing_data)).toEqual(CANARY_KINDS.map(() => "missing"));
  });

  it.each<[string, CanarySettings, string]>([
    ["a rate above an hour", { rateMinutes: 90 }, "test.canaries.rateMinutes: 90 is outside 1-60"],
    ["a fractional rate", { rateMinutes: 2.5 }, "test.canaries.rateMinutes: 2.5 is outside 1-60"],
    ["a threshold above 100 %", { successPercentThreshold: 120 }, "test.canaries.successPercentThreshold: 120 is outside 1-100"],
    ["a duration threshold below a second", { durationThresholdMs: 10 }, "test.canaries.durationThresholdMs: 10 is outside 1000-840000"],
    ["a retention beyond 455 days", { artifactRetentionDays: 500 }, "test.canaries.artifactRetentionDays: 500 is outside 1-455"],
    ["a heartbeat URL over plain HTTP", { heartbeatUrl: "http://test.aivo.edu/" }, 'test.canaries.heartbeatUrl: "http://test.aivo.edu/" is not an https:// URL'],
    ["a base URL with a path", { api: { baseUrl: "https://test.aivo.edu/api" } }, 'test.canaries.api.baseUrl: "https://test.aivo.edu/api" is not an https:// origin without a path'],
    ["a plain-HTTP base URL", { api: { baseUrl: "http://test.aivo.edu" } }, 'test.canaries.api.baseUrl: "http://test.aivo.edu" is not an https:// origin'],
    ["a health path without a slash", { api: { healthPath: "health" } }, 'test.canaries.api.healthPath: "health" is not a path'],
    ["a sign-in path with a space", { api: { signInPath: "/log in" } }, 'test.canaries.api.signInPath: "/log in" is not a path'],
    ["a redirect prefix without https", { api: { signInRedirectPrefix: "auth0.com" } }, 'test.canaries.api.signInRedirectPrefix: "auth0.com" must start with https://'],
  ])("rejects %s", (_what, settings, message) => {
    expect(() => synthCanaries("staging", settings)).toThrow(message);
  });
});

function synthRum(tier: string, settings: RealUserMonitoringSettings = {}) {
  return parse(
    Testing.synthScope((scope) => {
      new AwsProvider(scope, "aws", { region: "us-east-1" });
      new RealUserMonitoring(scope, "rum", { naming, tier, settings, domain: "test.aivo.edu" });
    }),
  );
}

describe("RealUserMonitoring (modules/aws/observability/real-user-monitoring)", () => {
  const doc = synthRum("production");

  it("monitors the site with X-Ray correlation and the tier's sampling, through an unauthenticated identity pool", () => {
    const monitor = onlyResource(doc, "aws_rum_app_monitor");
    expect(monitor).toMatchObject({ name: "aivo-test-web", domain_list: ["test.aivo.edu", "*.test.aivo.edu"], cw_log_enabled: false });
    expect(monitor.app_monitor_configuration).toMatchObject({
      enable_xray: true,
      session_sample_rate: RUM_SAMPLE_RATE_BY_TIER.production,
      telemetries: ["performance", "errors", "http"],
      identity_pool_id: expect.stringContaining("aws_cognito_identity_pool."),
      guest_role_arn: expect.stringContaining("aws_iam_role."),
    });
    expect(onlyResource(doc, "aws_cognito_identity_pool")).toMatchObject({ allow_unauthenticated_identities: true });
    expect(onlyResource(doc, "aws_cognito_identity_pool_roles_attachment").roles).toEqual({ unauthenticated: expect.stringContaining("aws_iam_role.") });
    expect(onlyResource(synthRum("development"), "aws_rum_app_monitor").app_monitor_configuration.session_sample_rate).toBe(RUM_SAMPLE_RATE_BY_TIER.development);
    expect(onlyResource(synthRum("staging", { sessionSampleRate: 0.25 }), "aws_rum_app_monitor").app_monitor_configuration.session_sample_rate).toBe(0.25);
  });

  it("lets unauthenticated identities of this pool only put RUM events to this monitor", () => {
    const trust = policy(onlyResource(doc, "aws_iam_role").assume_role_policy).Statement;
    expect(trust).toEqual([
      expect.objectContaining({
        Principal: { Federated: "cognito-identity.amazonaws.com" },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: { "cognito-identity.amazonaws.com:aud": expect.stringContaining("aws_cognito_identity_pool.") },
          "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": "unauthenticated" },
        },
      }),
    ]);
    const permissions = policy(onlyResource(doc, "aws_iam_role_policy").policy).Statement;
    expect(permissions).toEqual([{ Sid: "PutRumEvents", Effect: "Allow", Action: "rum:PutRumEvents", Resource: expect.stringMatching(/:rum:.*:appmonitor\/aivo-test-web$/) }]);
  });

  it.each<[string, RealUserMonitoringSettings, string]>([
    ["a sample rate above 1", { sessionSampleRate: 10 }, "test.realUserMonitoring.sessionSampleRate: 10 is outside 0-1"],
    ["a negative sample rate", { sessionSampleRate: -0.1 }, "test.realUserMonitoring.sessionSampleRate: -0.1 is outside 0-1"],
    ["an excluded page that is not a URL", { excludedPages: ["/account"] }, 'test.realUserMonitoring.excludedPages[0]: "/account" is not an https:// URL pattern'],
  ])("rejects %s", (_what, settings, message) => {
    expect(() => synthRum("staging", settings)).toThrow(message);
  });
});
