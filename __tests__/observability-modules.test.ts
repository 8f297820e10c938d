import { Testing } from "cdktf";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { HelmAddOn } from "../modules/kubernetes/helm-addon";
import { Loki } from "../modules/kubernetes/addons/loki";
import { RECEIVERS, alertmanagerConfig, requiredCredentials, validateReceivers } from "../modules/kubernetes/addons/kube-prometheus-stack";
import { Naming } from "../modules/shared/naming";
import { DENY_INSECURE_TRANSPORT_SID, SecureBucket, SecureBucketProps } from "../modules/aws/data/secure-bucket";
import { Velero } from "../modules/kubernetes/addons/velero";
import { configsOf, onlyResource, policy } from "./helpers";
import { releaseOf } from "./kubernetes-helpers";

const naming = new Naming("aivo", "test");
const chart = { name: "demo", namespace: "demo", chart: "demo", repository: "https://charts.example.com", version: "1.0.0" };

function synthBucket(extra: Partial<SecureBucketProps> = {}) {
  return Testing.synthScope((scope) => {
    new AwsProvider(scope, "aws", { region: "us-east-1" });
    new SecureBucket(scope, "bucket", {
      where: "test.bucket",
      bucketName: "aivo-test-data",
      encryption: { kmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/abc" },
      lifecycle: { expirationDays: 30, noncurrentVersionExpirationDays: 7 },
      ...extra,
    });
  });
}

describe("SecureBucket (modules/aws/data/secure-bucket, every bucket of the platform)", () => {
  const json = synthBucket({ policyStatements: () => [{ Sid: "Extra", Effect: "Deny", Principal: "*", Action: "s3:DeleteBucket", Resource: "*" }] });

  it("encrypts with the CMK, versions, expires after the retention and denies non-TLS requests", () => {
    expect(onlyResource(json, "aws_s3_bucket")).toMatchObject({ bucket: "aivo-test-data", force_destroy: false });
    expect(onlyResource(json, "aws_s3_bucket_server_side_encryption_configuration").rule[0]).toEqual({
      apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "arn:aws:kms:us-east-1:111122223333:key/abc" },
      bucket_key_enabled: true,
    });
    expect(onlyResource(json, "aws_s3_bucket_versioning").versioning_configuration.status).toBe("Enabled");
    const rule = onlyResource(json, "aws_s3_bucket_lifecycle_configuration").rule[0];
    expect(rule).toMatchObject({ status: "Enabled", expiration: [{ days: 30 }], noncurrent_version_expiration: [{ noncurrent_days: 7 }], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] });
    expect(onlyResource(json, "aws_s3_bucket_ownership_controls").rule.object_ownership).toBe("BucketOwnerEnforced");
    const statements = policy(onlyResource(json, "aws_s3_bucket_policy").policy).Statement;
    expect(statements.map((s) => s.Sid)).toEqual([DENY_INSECURE_TRANSPORT_SID, "DenyTlsOlderThan12", "Extra"]);
    expect(statements[0]).toMatchObject({ Effect: "Deny", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
  });

  it("logs access where told, and is force-destroyable for environments rebuilt at will", () => {
    const logged = synthBucket({ accessLogs: { bucketName: "aivo-test-logs", prefix: "data/" }, forceDestroy: true });
    expect(onlyResource(logged, "aws_s3_bucket_logging")).toMatchObject({ target_bucket: "aivo-test-logs", target_prefix: "data/" });
    expect(onlyResource(logged, "aws_s3_bucket").force_destroy).toBe(true);
    expect(configsOf(json, "aws_s3_bucket_logging")).toEqual([]);
  });

  it.each<[Partial<SecureBucketProps>, string]>([
    [{ bucketName: "Aivo_Bad" }, 'test.bucket.bucketName: "Aivo_Bad" is not an S3 bucket name'],
    [{ lifecycle: { expirationDays: 0, noncurrentVersionExpirationDays: 7 } }, "test.bucket.expirationDays: 0 is not a whole number of days of at least 1"],
    [{ lifecycle: { noncurrentVersionExpirationDays: 1.5 } }, "test.bucket.noncurrentVersionExpirationDays: 1.5 is not a whole number"],
  ])("rejects %j", (extra, message) => {
    expect(() => synthBucket(extra)).toThrow(message);
  });
});

describe("HelmAddOn wait: false", () => {
  it("turns wait, wait_for_jobs and atomic off together (Helm's atomic implies wait)", () => {
    const json = Testing.synthScope((scope) => {
      new HelmProvider(scope, "helm", {});
      new HelmAddOn(scope, "demo", { where: "test.demo", chart, pods: [], wait: false });
    });
    expect(releaseOf(json, "demo")).toMatchObject({ wait: false, wait_for_jobs: false, atomic: false, cleanup_on_fail: false });
  });
});

describe("module rules outside the environment validation", () => {
  const irsa = { oidcProviderArn: "arn:aws:iam::111122223333:oidc-provider/x", oidcIssuerUrl: "oidc.eks.us-east-1.amazonaws.com/id/X" };
  const inStack = (build: (scope: any) => void) => () =>
    Testing.synthScope((scope) => {
      new AwsProvider(scope, "aws", { region: "us-east-1" });
      new HelmProvider(scope, "helm", {});
      build(scope);
    });

  it("Velero refuses replication without a DR provider", () => {
    expect(
      inStack((scope) => new Velero(scope, "velero", { ...irsa, where: "test.clusterBackups", naming, region: "us-east-1", ebsKmsKeyArn: "arn:k", accessLogBucketName: "logs", ttlDays: 3, replicateToDr: true })),
    ).toThrow("test.clusterBackups.replicateToDr: true, but the environment has no drRegion");
  });

  it("Loki refuses a retention below one day", () => {
    expect(inStack((scope) => new Loki(scope, "loki", { ...irsa, where: "test.loki", naming, region: "us-east-1", accessLogBucketName: "logs", retentionDays: 0, mode: "SingleBinary" }))).toThrow(
      "test.loki.retentionDays: 0 is not a whole number of days of at least 1",
    );
  });

  it("receivers: a malformed address or relay names the field", () => {
    const good = { slack: { channel: "#ops" }, email: { to: "a@b.io", from: "c@b.io", smarthost: "smtp.b.io:587", authUsername: "u" } };
    expect(() => validateReceivers("x.receivers", { ...good, email: { ...good.email, to: "nobody" } })).toThrow('x.receivers.email.to: "nobody" is not an email address');
    expect(() => validateReceivers("x.receivers", { ...good, email: { ...good.email, smarthost: "smtp.b.io" } })).toThrow('x.receivers.email.smarthost: "smtp.b.io" is not host:port');
    expect(() => validateReceivers("x.receivers", { ...good, slack: { channel: "ops" } })).toThrow('x.receivers.slack.channel: "ops" is missing or not a Slack channel');
    expect(() => validateReceivers("x.receivers", { ...good, pagerDuty: { service: "" } })).toThrow("x.receivers.pagerDuty.service: missing");
    // Without paging, no PagerDuty receiver and no routing key to write.
    expect(alertmanagerConfig(good).receivers.map((r) => r.name)).not.toContain(RECEIVERS.pagerDuty);
    expect(requiredCredentials(good)).toEqual(["slackWebhookUrl", "smtpPassword"]);
  });
});
