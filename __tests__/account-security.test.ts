import { Testing } from "cdktf";
import { STATE_BACKEND } from "../environments/state";
import { AccessAnalyzer } from "../modules/aws/security/access-analyzer";
import { AuditTrail } from "../modules/aws/security/audit-trail";
import { Naming } from "../modules/shared/naming";
import { ThreatDetection } from "../modules/aws/security/threat-detection";
import { VulnerabilityScanning } from "../modules/aws/security/vulnerability-scanning";
import { configsOf, onlyResource, parse, policy, resourcesOf } from "./helpers";
import { accountStackAlone } from "./account-helpers";

const doc = parse(
  Testing.synth(accountStackAlone({ development: "dev.aivo.edu", staging: "staging.aivo.edu", production: "aivo.edu" })),
);
const naming = new Naming("aivo", "account");

describe("CloudTrail (account stack)", () => {
  const trail = onlyResource(doc, "aws_cloudtrail");

  it("is one multi-region trail with log file validation, global events and logging on", () => {
    expect(trail).toEqual(
      expect.objectContaining({
        name: "aivo-account-cloudtrail",
        is_multi_region_trail: true,
        include_global_service_events: true,
        enable_log_file_validation: true,
        enable_logging: true,
      }),
    );
  });

  it("encrypts log files with its own rotating CMK and delivers to a KMS-encrypted log group", () => {
    const keys = doc.resource!.aws_kms_key;
    const keyId = Object.keys(keys).find((k) => k.includes("audit-trail"))!;
    expect(keys[keyId].enable_key_rotation).toBe(true);
    expect(trail.kms_key_id).toBe(`\${aws_kms_key.${keyId}.arn}`);
    const statements = policy(keys[keyId].policy).Statement;
    expect(statements.find((s) => s.Sid === "AllowCloudTrailToEncryptLogs")).toEqual(
      expect.objectContaining({ Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "kms:GenerateDataKey*" }),
    );
    const group = configsOf(doc, "aws_cloudwatch_log_group").find((g) => g.name === "/aws/cloudtrail/aivo-account-cloudtrail")!;
    expect(group).toEqual(expect.objectContaining({ retention_in_days: 365, kms_key_id: `\${aws_kms_key.${keyId}.arn}` }));
    expect(trail.cloud_watch_logs_group_arn).toMatch(/aws_cloudwatch_log_group\..*\.arn}:\*$/);
    expect(trail.cloud_watch_logs_role_arn).toMatch(/^\$\{aws_iam_role\./);
  });

  it("records management events and the Terraform state bucket's object events", () => {
    const selectors = trail.advanced_event_selector as { field_selector: Record<string, unknown>[] }[];
    expect(selectors[0].field_selector).toEqual([{ field: "eventCategory", equals: ["Management"] }]);
    expect(selectors[1].field_selector).toEqual([
      { field: "eventCategory", equals: ["Data"] },
      { field: "resources.type", equals: ["AWS::S3::Object"] },
      { field: "resources.ARN", starts_with: [expect.stringMatching(new RegExp(`^arn:\\$\\{data\\.aws_partition\\..*\\}:s3:::${STATE_BACKEND.bucket}/$`))] },
    ]);
  });

  it("keeps logs in a private, versioned, KMS-encrypted, TLS-only bucket with a lifecycle", () => {
    // The trail's bucket among the account's (Config's and the access logs' too).
    const trailBucket = (type: string) => Object.entries(resourcesOf(doc, type)).find(([k]) => k.startsWith("audit-trail_bucket"))![1];
    expect(trailBucket("aws_s3_bucket_public_access_block")).toEqual(
      expect.objectContaining({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }),
    );
    expect(trailBucket("aws_s3_bucket_versioning").versioning_configuration.status).toBe("Enabled");
    expect(trailBucket("aws_s3_bucket_server_side_encryption_configuration").rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("aws:kms");
    const rule = trailBucket("aws_s3_bucket_lifecycle_configuration").rule[0];
    expect(rule.transition).toEqual([{ days: 90, storage_class: "GLACIER" }]);
    expect(rule.expiration).toEqual([{ days: 2557 }]);
    const statements = policy(trailBucket("aws_s3_bucket_policy").policy).Statement;
    expect(statements.find((s) => s.Sid === "DenyInsecureTransport")).toEqual(
      expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    );
    expect(statements.find((s) => s.Sid === "AllowCloudTrailWrite")!.Condition.StringEquals["s3:x-amz-acl"]).toBe("bucket-owner-full-control");
  });

  it("lets the logs role write only the trail's log group", () => {
    const rolePolicy = configsOf(doc, "aws_iam_role_policy").find((p) => p.name === "write-trail-log-group")!;
    expect(policy(rolePolicy.policy).Statement).toEqual([
      expect.objectContaining({ Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: expect.stringMatching(/:log-stream:\*$/) }),
    ]);
  });

  it.each([
    [{ logRetentionDays: 42 }, "account.auditTrail.logRetentionDays: 42 is not a retention CloudWatch Logs accepts"],
    [{ logRetentionDays: 365, glacierTransitionDays: 400, objectRetentionDays: 365 }, "account.auditTrail.objectRetentionDays: 365 must be a whole number of days above glacierTransitionDays (400)"],
    [{ logRetentionDays: 365, dataEventBuckets: ["Bad_Bucket"] }, 'account.auditTrail.dataEventBuckets[0]: "Bad_Bucket" is not an S3 bucket name'],
  ])("rejects %j", (settings, message) => {
    expect(() => Testing.synthScope((scope) => new AuditTrail(scope, "t", { ...settings, naming }))).toThrow(message);
  });
});

describe("GuardDuty (account stack)", () => {
  it("enables the detector with EKS audit logs and runtime monitoring, the agent managed by each environment stack", () => {
    expect(onlyResource(doc, "aws_guardduty_detector")).toEqual(expect.objectContaining({ enable: true, finding_publishing_frequency: "FIFTEEN_MINUTES" }));
    const features = Object.fromEntries(configsOf(doc, "aws_guardduty_detector_feature").map((f) => [f.name, f]));
    expect(features.EKS_AUDIT_LOGS.status).toBe("ENABLED");
    expect(features.RUNTIME_MONITORING.status).toBe("ENABLED");
    // Automated management would create an endpoint and security group outside Terraform that block VPC deletion.
    expect(features.RUNTIME_MONITORING.additional_configuration).toEqual([{ name: "EKS_ADDON_MANAGEMENT", status: "DISABLED" }]);
  });

  const rules = Object.fromEntries(configsOf(doc, "aws_cloudwatch_event_rule").map((r) => [r.name, r]));
  it("routes high (≥ 7) findings to critical and medium (4-7) to alert", () => {
    expect(JSON.parse(rules["aivo-account-guardduty-critical"].event_pattern)).toEqual({
      source: ["aws.guardduty"],
      "detail-type": ["GuardDuty Finding"],
      detail: { severity: [{ numeric: [">=", 7] }] },
    });
    expect(JSON.parse(rules["aivo-account-guardduty-alert"].event_pattern).detail).toEqual({ severity: [{ numeric: [">=", 4, "<", 7] }] });
    const targets = configsOf(doc, "aws_cloudwatch_event_target");
    const topics = doc.resource!.aws_sns_topic_policy;
    const topicKey = (name: string) => Object.keys(topics).find((k) => k.includes(`topic-policy-${name}`))!;
    for (const severity of ["critical", "alert"]) {
      const target = targets.find((t) => t.rule.includes(`rule-${severity}`))!;
      expect(target.arn).toBe(`\${aws_sns_topic_policy.${topicKey(severity)}.arn}`);
    }
  });

  it("lets only its own rule publish to each encrypted, TLS-only topic; PagerDuty on critical", () => {
    for (const topic of configsOf(doc, "aws_sns_topic")) expect(topic.kms_master_key_id).toMatch(/aws_kms_key/);
    for (const topicPolicy of configsOf(doc, "aws_sns_topic_policy")) {
      const statements = policy(topicPolicy.policy).Statement;
      const publish = statements.find((s) => s.Sid === "AllowFindingRulesToPublish")!;
      expect(publish.Principal).toEqual({ Service: "events.amazonaws.com" });
      const topic = /topic-(critical|alert)/.exec(topicPolicy.arn)![1];
      expect(publish.Condition.ArnEquals["aws:SourceArn"]).toEqual(
        ["guardduty", "securityhub", "macie", ...(topic === "critical" ? ["root-sign-in"] : [])].map((source) =>
          expect.stringMatching(new RegExp(`:rule/aivo-account-${source}-${topic}$`)),
        ),
      );
      expect(statements.some((s) => s.Effect === "Deny" && s.Condition?.Bool?.["aws:SecureTransport"] === "false")).toBe(true);
    }
    const https = configsOf(doc, "aws_sns_topic_subscription").filter((s) => s.protocol === "https");
    expect(https).toHaveLength(1);
    expect(https[0].topic_arn).toMatch(/topic-policy-critical/);
  });

  it.each([
    [{ emailSubscribers: { warning: ["a@b.io"] } }, "account.threatDetection.emailSubscribers.warning: unknown topic; use one of critical, alert"],
    [{ emailSubscribers: { alert: ["nope"] } }, 'account.threatDetection.emailSubscribers.alert[0]: "nope" is not an email address'],
    [{ pagerDutyUrlParameter: "not a name" }, 'account.threatDetection.pagerDutyUrlParameter: "not a name" is not an SSM parameter name'],
  ])("rejects %j", (settings, message) => {
    expect(() => Testing.synthScope((scope) => new ThreatDetection(scope, "t", { ...(settings as object), naming }))).toThrow(message);
  });
});

describe("IAM Access Analyzer (account stack)", () => {
  it("analyzes external access of the account", () => {
    expect(onlyResource(doc, "aws_accessanalyzer_analyzer")).toEqual(expect.objectContaining({ analyzer_name: "aivo-account-external-access", type: "ACCOUNT" }));
  });

  it("adds an unused-access analyzer when configured, and rejects an age outside 1-365", () => {
    const json = Testing.synthScope((scope) => new AccessAnalyzer(scope, "a", { naming, unusedAccessAgeDays: 90 }));
    const unused = configsOf(json, "aws_accessanalyzer_analyzer").find((a) => a.type === "ACCOUNT_UNUSED_ACCESS")!;
    expect(unused.configuration.unused_access.unused_access_age).toBe(90);
    expect(() => Testing.synthScope((scope) => new AccessAnalyzer(scope, "a", { naming, unusedAccessAgeDays: 400 }))).toThrow(
      "account.accessAnalyzer.unusedAccessAgeDays: 400 is outside 1-365 days",
    );
  });
});

describe("vulnerability scanning (account stack)", () => {
  it("turns Inspector on for ECR images and EC2 nodes of this account, and ECR continuous scanning", () => {
    const enabler = onlyResource(doc, "aws_inspector2_enabler");
    expect(enabler.resource_types).toEqual(["ECR", "EC2"]);
    expect(enabler.account_ids).toEqual([expect.stringMatching(/data\.aws_caller_identity\..*\.account_id/)]);
    expect(onlyResource(doc, "aws_ecr_registry_scanning_configuration")).toEqual(
      expect.objectContaining({
        scan_type: "ENHANCED",
        rule: [{ scan_frequency: "CONTINUOUS_SCAN", repository_filter: [{ filter: "*", filter_type: "WILDCARD" }] }],
      }),
    );
  });

  it("rejects an unknown resource type", () => {
    expect(() => Testing.synthScope((scope) => new VulnerabilityScanning(scope, "v", { naming, resourceTypes: ["LAMBDA" as never] }))).toThrow(
      'account.vulnerabilityScanning.resourceTypes[0]: "LAMBDA" is not one of ECR, EC2',
    );
  });
});

describe("X-Ray encryption (account stack)", () => {
  it("encrypts the account's traces with its own rotating CMK", () => {
    const config = onlyResource(doc, "aws_xray_encryption_config");
    expect(config.type).toBe("KMS");
    const keys = doc.resource!.aws_kms_key;
    const keyId = Object.keys(keys).find((k) => k.includes("xray-encryption"))!;
    expect(config.key_id).toBe(`\${aws_kms_key.${keyId}.arn}`);
    expect(keys[keyId].enable_key_rotation).toBe(true);
  });
});
