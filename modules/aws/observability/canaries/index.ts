import { resolve } from "path";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { CloudwatchMetricAlarm, CloudwatchMetricAlarmConfig } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SyntheticsCanary } from "@cdktf/provider-aws/lib/synthetics-canary";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { SecureBucket } from "../../data/secure-bucket";
import { AwsContext } from "../../../shared/aws-context";
import { PolicyStatement, policyDocument, serviceAssumeRolePolicy } from "../../../shared/iam";
import { CustomerManagedKey } from "../../../shared/kms";
import { Naming } from "../../../shared/naming";
import type { Severity } from "../alerting";
import { writeZip } from "../../../shared/zip";

/**
 * The Synthetics runtime every canary runs on, pinned: the newest Node.js + Puppeteer runtime in the
 * CloudWatch user guide ("Runtime versions using Node.js and Puppeteer": syn-nodejs-puppeteer-15.0 "is
 * the most recent"). From 13.1 on, scripts use the `@aws/synthetics-*` module names, as ours do.
 */
export const SYNTHETICS_RUNTIME_VERSION = "syn-nodejs-puppeteer-15.0";
/** The metric namespace Synthetics publishes to. */
export const SYNTHETICS_NAMESPACE = "CloudWatchSynthetics";
/** The canaries of an environment. */
export const CANARY_KINDS = ["heartbeat", "api"] as const;
export type CanaryKind = (typeof CANARY_KINDS)[number];
/** Minutes between runs when the config sets none, by tier. */
export const CANARY_RATE_MINUTES_BY_TIER: Readonly<Record<string, number>> = { production: 5, staging: 10, development: 15 };
/** Where each canary's alarms go, by tier: a failing production canary pages (`critical`). */
export const CANARY_SEVERITIES_BY_TIER: Readonly<Record<string, { readonly failing: Severity; readonly slow: Severity }>> = {
  production: { failing: "critical", slow: "alert" },
  staging: { failing: "alert", slow: "warning" },
  development: { failing: "warning", slow: "warning" },
};
/** The canary code folders (`code/<kind>/nodejs/node_modules/<kind>.js`, the layout the Puppeteer runtime loads). */
const CODE_DIR = resolve(__dirname, "code");
/** Where the canaries' zips are written before cdktf copies them into the stack's assets (gitignored). */
const ZIP_DIR = resolve(__dirname, "..", "..", "..", "..", ".cache", "canaries");
/** HTTPS: the only port the canaries open (public site, API, AWS APIs through NAT). */
const HTTPS = 443;

/** The API canary's targets. */
export interface ApiCanarySettings {
  /** Base URL of the API, e.g. `https://dev.aivo.edu` or a private name in the VPC. @default `https://<edge.domain>` */
  readonly baseUrl?: string;
  /** auth-svc's health path, served through `baseUrl`. @default "/api/auth/health" */
  readonly healthPath?: string;
  /** The path that starts sign-in (redirects to the identity provider). @default "/api/auth/login" */
  readonly signInPath?: string;
  /** What the sign-in redirect must start with. @default `https://<auth0.domain>/authorize` */
  readonly signInRedirectPrefix?: string;
}

/** CloudWatch Synthetics canaries of an environment (its `canaries` config). */
export interface CanarySettings {
  /** Minutes between runs (1-60). @default CANARY_RATE_MINUTES_BY_TIER[tier] (production 5) */
  readonly rateMinutes?: number;
  /** The alarm fires when the success percent falls below this (1-100). @default 90 */
  readonly successPercentThreshold?: number;
  /** Run duration, ms, above which the `slow` alarm fires. @default 10000 */
  readonly durationThresholdMs?: number;
  /** Days run artifacts (screenshots, HAR files, logs) are kept in the bucket and run data in Synthetics (1-455). @default 30 */
  readonly artifactRetentionDays?: number;
  /** The page the heartbeat loads. @default `https://<edge.domain>/` */
  readonly heartbeatUrl?: string;
  /** The API canary's targets. @default the defaults of ApiCanarySettings */
  readonly api?: ApiCanarySettings;
}

export interface SyntheticCanariesProps {
  readonly naming: Naming;
  /** The tier: rate and alarm severities default by it. */
  readonly tier: string;
  readonly settings: CanarySettings;
  /** The public site the heartbeat loads, e.g. `https://dev.aivo.edu/`. */
  readonly siteUrl: string;
  /** The API canary's targets, defaults resolved. */
  readonly api: Required<ApiCanarySettings>;
  /** The VPC the canaries run in, so private names (the `internal.` zone) resolve. */
  readonly vpcId: string;
  /** Private subnets (egress through NAT). */
  readonly subnetIds: readonly string[];
  /** SNS topic per severity. */
  readonly topicArns: Readonly<Record<Severity, string>>;
  /** The access-log bucket the artifact bucket logs to. */
  readonly accessLogBucketName: string;
  /**
   * The canaries are stopped outside working hours (off-hours scaling): a run that does not happen is
   * then not a failure. @default false (a canary that stops reporting alarms)
   */
  readonly pausedOutsideWorkingHours?: boolean;
}

/** What differs between a canary's two alarms. */
type CanaryAlarmSpec = Pick<
  CloudwatchMetricAlarmConfig,
  "alarmDescription" | "metricName" | "comparisonOperator" | "threshold" | "evaluationPeriods" | "datapointsToAlarm" | "treatMissingData"
>;

/** `<path>.<field>: …` for each setting outside what Synthetics and CloudWatch accept. */
export function validateCanarySettings(path: string, s: CanarySettings): void {
  const whole = (field: string, value: number | undefined, min: number, max: number, why: string) => {
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
      throw new Error(`${path}.${field}: ${value} is outside ${min}-${max}; ${why}`);
    }
  };
  whole("rateMinutes", s.rateMinutes, 1, 60, "Synthetics runs a canary from once a minute to once an hour");
  whole("successPercentThreshold", s.successPercentThreshold, 1, 100, "it is a percentage of successful runs");
  whole("durationThresholdMs", s.durationThresholdMs, 1000, 840_000, "a run lasts at most 14 minutes");
  whole("artifactRetentionDays", s.artifactRetentionDays, 1, 455, "Synthetics keeps run data 1-455 days");
  if (s.heartbeatUrl !== undefined && !/^https:\/\/[a-z0-9.-]+(:\d+)?(\/\S*)?$/.test(s.heartbeatUrl)) {
    throw new Error(`${path}.heartbeatUrl: "${s.heartbeatUrl}" is not an https:// URL, e.g. https://dev.aivo.edu/`);
  }
  const api = s.api ?? {};
  if (api.baseUrl !== undefined && !/^https:\/\/[a-z0-9.-]+(:\d+)?$/.test(api.baseUrl)) {
    throw new Error(`${path}.api.baseUrl: "${api.baseUrl}" is not an https:// origin without a path, e.g. https://dev.aivo.edu`);
  }
  for (const field of ["healthPath", "signInPath"] as const) {
    const value = api[field];
    if (value !== undefined && !/^\/[\x21-\x7e]*$/.test(value)) throw new Error(`${path}.api.${field}: "${value}" is not a path; start with "/" and use no spaces`);
  }
  if (api.signInRedirectPrefix !== undefined && !api.signInRedirectPrefix.startsWith("https://")) {
    throw new Error(`${path}.api.signInRedirectPrefix: "${api.signInRedirectPrefix}" must start with https:// (the identity provider's authorize URL)`);
  }
}

/**
 * CloudWatch Synthetics for one environment: a `heartbeat` canary loading the public site in a browser
 * and an `api` canary checking auth-svc's health and the first sign-in step, both in the VPC's private
 * subnets (so private names resolve; egress HTTPS only), on the pinned runtime with X-Ray tracing.
 * Artifacts go to a CMK-encrypted, access-logged bucket that expires them; the execution role may
 * write only there, to its own log groups and to the Synthetics metric namespace. Per canary, an alarm
 * on the success percent (critical in production) and one on the duration.
 */
export class SyntheticCanaries extends Construct {
  /** The canaries by kind (escape hatch). */
  readonly canaries: Readonly<Record<CanaryKind, SyntheticsCanary>>;
  /** Canary names by kind (`aws synthetics get-canary-runs --name …`). */
  readonly canaryNames: Readonly<Record<CanaryKind, string>>;
  /** The artifact bucket (screenshots, HAR files, logs). */
  readonly artifactBucket: SecureBucket;
  /** The canaries' execution role. */
  readonly role: IamRole;
  /** The canaries' security group (HTTPS out only). */
  readonly securityGroupId: string;
  /** The success-percent and duration alarms, two per canary. */
  readonly alarms: readonly CloudwatchMetricAlarm[];
  /** Minutes between runs (the config's, or the tier's default). */
  readonly rateMinutes: number;

  constructor(scope: Construct, id: string, props: SyntheticCanariesProps) {
    super(scope, id);
    const { naming, settings } = props;
    const env = naming.environment;
    validateCanarySettings(`${env}.canaries`, settings);
    const context = AwsContext.of(this);
    this.rateMinutes = settings.rateMinutes ?? CANARY_RATE_MINUTES_BY_TIER[props.tier] ?? CANARY_RATE_MINUTES_BY_TIER.production;
    const retention = settings.artifactRetentionDays ?? 30;
    const severities = CANARY_SEVERITIES_BY_TIER[props.tier] ?? CANARY_SEVERITIES_BY_TIER.production;

    const key = new CustomerManagedKey(this, "key", { naming, purpose: "synthetics", description: `Synthetics canary artifacts of ${naming.prefix}` });
    this.artifactBucket = new SecureBucket(this, "artifacts", {
      bucketName: `${naming.name("synthetics")}-${context.accountId}`,
      where: `${env}.canaries`,
      encryption: { kmsKeyArn: key.keyArn },
      lifecycle: { expirationDays: retention, noncurrentVersionExpirationDays: 1 },
      accessLogs: { bucketName: props.accessLogBucketName, prefix: "synthetics/" },
      forceDestroy: props.tier !== "production",
    });

    const names = Object.fromEntries(CANARY_KINDS.map((kind) => [kind, naming.name(kind)])) as Record<CanaryKind, string>;
    this.canaryNames = names;
    const bucketArn = this.artifactBucket.bucketArn;
    const statements: PolicyStatement[] = [
      { Sid: "WriteArtifacts", Action: ["s3:PutObject", "s3:GetObject"], Resource: `${bucketArn}/*` },
      { Sid: "LocateArtifactBucket", Action: ["s3:GetBucketLocation"], Resource: bucketArn },
      // The runtime lists buckets before uploading (CloudWatch user guide, "Required roles and permissions for canaries"); it can't be scoped.
      { Sid: "ListBuckets", Action: ["s3:ListAllMyBuckets"], Resource: "*" },
      { Sid: "EncryptArtifacts", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: key.keyArn },
      {
        Sid: "OwnLogs",
        Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: Object.values(names).map((n) => context.arn("logs", `log-group:/aws/lambda/cwsyn-${n}-*`)),
      },
      { Sid: "SyntheticsMetrics", Action: "cloudwatch:PutMetricData", Resource: "*", Condition: { StringEquals: { "cloudwatch:namespace": SYNTHETICS_NAMESPACE } } },
      { Sid: "Tracing", Action: ["xray:PutTraceSegments"], Resource: "*" },
      // A canary in a VPC is a Lambda function with ENIs in the subnets (AWSLambdaVPCAccessExecutionRole's actions).
      {
        Sid: "VpcNetworkInterfaces",
        Action: ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
        Resource: "*",
      },
    ];
    this.role = new IamRole(this, "role", {
      name: naming.name("synthetics"),
      description: `Runs the Synthetics canaries of ${naming.prefix}`,
      assumeRolePolicy: serviceAssumeRolePolicy("lambda.amazonaws.com"),
    });
    const policy = new IamRolePolicy(this, "policy", { role: this.role.id, name: "canaries", policy: policyDocument(statements) });

    const sg = new SecurityGroup(this, "security-group", {
      name: naming.name("synthetics"),
      description: `Synthetics canaries of ${naming.prefix}: HTTPS out only`,
      vpcId: props.vpcId,
      // No inline rules: the egress rule below is its own resource (Terraform removes AWS's default
      // allow-all egress when it creates the group; inline `egress = []` would fight the rule resource).
      revokeRulesOnDelete: true,
    });
    new VpcSecurityGroupEgressRule(this, "https-out", {
      securityGroupId: sg.id,
      description: "HTTPS to the site, the API (public or private names) and AWS APIs",
      ipProtocol: "tcp",
      fromPort: HTTPS,
      toPort: HTTPS,
      cidrIpv4: "0.0.0.0/0",
    });
    this.securityGroupId = sg.id;

    const environment: Record<CanaryKind, Record<string, string>> = {
      heartbeat: { SITE_URL: props.siteUrl },
      api: {
        API_BASE_URL: props.api.baseUrl,
        HEALTH_PATH: props.api.healthPath,
        SIGN_IN_PATH: props.api.signInPath,
        SIGN_IN_REDIRECT_PREFIX: props.api.signInRedirectPrefix,
      },
    };
    const canaries = {} as Record<CanaryKind, SyntheticsCanary>;
    const alarms: CloudwatchMetricAlarm[] = [];
    for (const kind of CANARY_KINDS) {
      // Zipped at synth from the repository's files (no network), in-process and byte-for-byte repeatable
      // (modules/shared/zip); a code change changes the asset's hash, so its path.
      const zip = writeZip(resolve(CODE_DIR, kind), resolve(ZIP_DIR, `${kind}.zip`));
      const code = new TerraformAsset(this, `${kind}-code`, { path: zip, type: AssetType.FILE });
      canaries[kind] = new SyntheticsCanary(this, kind, {
        name: names[kind],
        runtimeVersion: SYNTHETICS_RUNTIME_VERSION,
        handler: `${kind}.handler`,
        zipFile: code.path,
        executionRoleArn: this.role.arn,
        artifactS3Location: `s3://${this.artifactBucket.bucketName}/${kind}/`,
        artifactConfig: { s3Encryption: { encryptionMode: "SSE_KMS", kmsKeyArn: key.keyArn } },
        schedule: { expression: this.rateMinutes === 1 ? "rate(1 minute)" : `rate(${this.rateMinutes} minutes)` },
        runConfig: { timeoutInSeconds: 60, memoryInMb: 1024, activeTracing: true, environmentVariables: environment[kind] },
        vpcConfig: { subnetIds: [...props.subnetIds], securityGroupIds: [sg.id] },
        successRetentionPeriod: retention,
        failureRetentionPeriod: retention,
        startCanary: true,
        // Teardown removes the canary's Lambda function and layer too.
        deleteLambda: true,
        dependsOn: [policy, this.artifactBucket.policy],
      });
      const period = this.rateMinutes * 60;
      const alarm = (suffix: string, severity: Severity, spec: CanaryAlarmSpec) =>
        new CloudwatchMetricAlarm(this, `${kind}-${suffix}`, {
          ...spec,
          alarmName: naming.name("canary", kind, suffix),
          namespace: SYNTHETICS_NAMESPACE,
          dimensions: { CanaryName: names[kind] },
          statistic: "Average",
          period,
          alarmActions: [props.topicArns[severity]],
          okActions: [props.topicArns[severity]],
        });
      alarms.push(
        alarm("failing", severities.failing, {
          alarmDescription: `${names[kind]}: fewer than ${settings.successPercentThreshold ?? 90}% of runs succeed in two runs in a row (users see what the canary sees); artifacts in s3://${this.artifactBucket.bucketName}/${kind}/`,
          metricName: "SuccessPercent",
          comparisonOperator: "LessThanThreshold",
          threshold: settings.successPercentThreshold ?? 90,
          evaluationPeriods: 2,
          datapointsToAlarm: 2,
          // A canary that stops reporting is as bad as one that fails, unless it is paused at night.
          treatMissingData: props.pausedOutsideWorkingHours ? "missing" : "breaching",
        }),
        alarm("slow", severities.slow, {
          alarmDescription: `${names[kind]}: runs take longer than ${settings.durationThresholdMs ?? 10000} ms three times in a row`,
          metricName: "Duration",
          comparisonOperator: "GreaterThanThreshold",
          threshold: settings.durationThresholdMs ?? 10000,
          evaluationPeriods: 3,
          datapointsToAlarm: 3,
          treatMissingData: "notBreaching",
        }),
      );
    }
    this.canaries = canaries;
    this.alarms = alarms;
  }
}
