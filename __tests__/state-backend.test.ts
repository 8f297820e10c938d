import { Testing } from "cdktf";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Naming } from "../modules/shared/naming";
import { StateBackend, StateBackendProps } from "../modules/aws/data/state-backend";
import { onlyResource, parse, policy } from "./helpers";

const props: StateBackendProps = {
  naming: new Naming("aivo", "bootstrap"),
  bucketName: "aivo-test-state",
  lockTableName: "aivo-test-locks",
};
const synth = (extra: Partial<StateBackendProps> = {}) =>
  Testing.synthScope((scope) => {
    new StateBackend(scope, "state", { ...props, ...extra });
  });

describe("StateBackend", () => {
  const json = synth();
  const doc = parse(json);

  it("keeps the bucket private, versioned and undeletable", () => {
    expect(onlyResource(doc, "aws_s3_bucket")).toMatchObject({ bucket: "aivo-test-state", lifecycle: { prevent_destroy: true } });
    expect(json).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: "Enabled" } });
    expect(json).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(onlyResource(doc, "aws_s3_bucket_ownership_controls").rule.object_ownership).toBe("BucketOwnerEnforced");
  });

  it("encrypts state with the rotating terraform-state CMK", () => {
    const sse = onlyResource(doc, "aws_s3_bucket_server_side_encryption_configuration").rule[0];
    expect(sse.apply_server_side_encryption_by_default.sse_algorithm).toBe("aws:kms");
    expect(sse.apply_server_side_encryption_by_default.kms_master_key_id).toMatch(/aws_kms_key\..*\.arn/);
    expect(onlyResource(doc, "aws_kms_key").enable_key_rotation).toBe(true);
    expect(onlyResource(doc, "aws_kms_alias").name).toBe("alias/aivo/bootstrap/terraform-state");
  });

  it("denies requests without TLS and objects not encrypted with KMS", () => {
    const statements = policy(onlyResource(doc, "aws_s3_bucket_policy").policy).Statement;
    expect(statements).toEqual([
      expect.objectContaining({ Effect: "Deny", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
      expect.objectContaining({
        Effect: "Deny",
        Action: "s3:PutObject",
        Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" } },
      }),
    ]);
  });

  it("expires noncurrent state versions and aborts stale uploads", () => {
    const rule = onlyResource(doc, "aws_s3_bucket_lifecycle_configuration").rule[0];
    expect(rule.status).toBe("Enabled");
    expect(rule.noncurrent_version_expiration[0].noncurrent_days).toBe(90);
    expect(rule.abort_incomplete_multipart_upload[0].days_after_initiation).toBe(7);
  });

  it("locks in an on-demand, PITR-protected, CMK-encrypted DynamoDB table keyed by LockID", () => {
    expect(json).toHaveResourceWithProperties(DynamodbTable, {
      name: "aivo-test-locks",
      billing_mode: "PAY_PER_REQUEST",
      hash_key: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      point_in_time_recovery: { enabled: true },
      deletion_protection_enabled: true,
    });
    expect(onlyResource(doc, "aws_dynamodb_table").server_side_encryption).toEqual({
      enabled: true,
      kms_key_arn: expect.stringMatching(/aws_kms_key\..*\.arn/),
    });
  });

  it("rejects an invalid bucket name", () => {
    expect(() => synth({ bucketName: "AIVO_state" })).toThrow('stateBackend.bucketName: "AIVO_state" is not a valid S3 bucket name');
  });

  it("rejects a noncurrent-version expiration below one day", () => {
    expect(() => synth({ noncurrentVersionExpirationDays: 0 })).toThrow(
      "stateBackend.noncurrentVersionExpirationDays: 0 must be a whole number of days ≥ 1",
    );
  });
});
