import { ResourceView, Rule, StackDocument, block, blocks, isCustomerManagedKey, isTrue, perResource } from "../engine";
import { Statement, deniesInsecureTransport, parsePolicy, policyDocumentStatements } from "./policy-documents";

/** The split S3 configuration resources (AWS provider ≥ 4) that point at a bucket through `bucket`. */
function bucketResources(doc: StackDocument, type: string, bucket: ResourceView): ResourceView[] {
  return doc.referencing(type, "bucket", bucket).concat(
    // a literal bucket name also counts, for buckets configured by name
    typeof bucket.config.bucket === "string"
      ? doc.resources(type).filter((r) => r.config.bucket === bucket.config.bucket)
      : [],
  );
}

/** The statements of a policy argument: a literal JSON document or a reference to a policy-document data source. */
function statementsOf(doc: StackDocument, value: unknown): Statement[] {
  const literal = parsePolicy(value);
  if (literal) return literal;
  const match = typeof value === "string" ? /^\$\{(data\.aws_iam_policy_document\.[\w-]+)\.json\}$/.exec(value) : null;
  const source = match ? doc.at(match[1]) : undefined;
  return source ? policyDocumentStatements(source.config) : [];
}

/** Every policy that applies to `target`: its inline `policy` plus the `<policyType>` resources that reference it. */
function policiesOf(doc: StackDocument, target: ResourceView, policyType: string, attribute: string): Statement[] {
  const attached = doc.referencing(policyType, attribute, target).map((p) => p.config.policy);
  return [target.config.policy, ...attached].filter((p) => p !== undefined).flatMap((p) => statementsOf(doc, p));
}

/** A bucket name ending in `-<the caller's account id>` (`${data.aws_caller_identity.<x>.account_id}`). */
const ACCOUNT_SUFFIX = /-\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}$/;

/** S3 buckets' encryption, public access, versioning, names and logging; TLS-only resource policies. */
export const S3_AND_RESOURCE_POLICY_RULES: readonly Rule[] = [
  {
    id: "AIVO-S3-ENCRYPTION",
    severity: "error",
    checkov: ["CKV_AWS_145"],
    message: "S3 buckets encrypt objects by default with a customer-managed KMS key (SSE-KMS)",
    fix: 'add an aws_s3_bucket_server_side_encryption_configuration with sse_algorithm "aws:kms" and kms_master_key_id (a CustomerManagedKey)',
    evaluate: perResource(["aws_s3_bucket"], (bucket, doc) => {
      const rules = [
        ...blocks(block(bucket.config.server_side_encryption_configuration).rule),
        ...bucketResources(doc, "aws_s3_bucket_server_side_encryption_configuration", bucket).flatMap((c) => blocks(c.config.rule)),
      ];
      const ok = rules.some((r) => {
        const sse = block(r.apply_server_side_encryption_by_default);
        return ["aws:kms", "aws:kms:dsse"].includes(sse.sse_algorithm) && isCustomerManagedKey(sse.kms_master_key_id);
      });
      return ok ? undefined : "no SSE-KMS default encryption with a CMK";
    }),
  },
  {
    id: "AIVO-S3-PUBLIC-ACCESS",
    severity: "error",
    checkov: ["CKV2_AWS_6", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"],
    message: "S3 buckets block all public access",
    fix: "add an aws_s3_bucket_public_access_block with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets all true",
    evaluate: perResource(["aws_s3_bucket"], (bucket, doc) => {
      const flags = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];
      const blockers = bucketResources(doc, "aws_s3_bucket_public_access_block", bucket);
      if (blockers.length === 0) return "no public access block";
      const off = flags.filter((f) => !blockers.some((b) => isTrue(b.config[f])));
      return off.length ? `public access block without ${off.join(", ")}` : undefined;
    }),
  },
  {
    id: "AIVO-S3-VERSIONING",
    severity: "error",
    checkov: ["CKV_AWS_21"],
    message: "S3 buckets are versioned",
    fix: 'add an aws_s3_bucket_versioning with versioning_configuration { status = "Enabled" }',
    evaluate: perResource(["aws_s3_bucket"], (bucket, doc) => {
      const inline = isTrue(block(bucket.config.versioning).enabled);
      const split = bucketResources(doc, "aws_s3_bucket_versioning", bucket).some(
        (v) => block(v.config.versioning_configuration).status === "Enabled",
      );
      return inline || split ? undefined : "versioning not enabled";
    }),
  },
  {
    id: "AIVO-S3-ACCOUNT-SCOPED-NAME",
    severity: "error",
    message: "S3 bucket names end with the account id, so no one else can hold the name first (bucket names are global)",
    fix: "name the bucket with accountScopedBucketName(scope, name) (modules/aws/data/secure-bucket): `<name>-<account id>`",
    evaluate: perResource(["aws_s3_bucket"], (bucket) => {
      const name = bucket.config.bucket;
      if (typeof name === "string" && ACCOUNT_SUFFIX.test(name)) return undefined;
      return name === undefined ? "no bucket name (a random one)" : `name ${JSON.stringify(name)} has no account-id suffix`;
    }),
  },
  {
    id: "AIVO-S3-ACCESS-LOGGING",
    severity: "warning",
    checkov: ["CKV_AWS_18"],
    message: "S3 buckets log access requests (server access logging)",
    fix: "add an aws_s3_bucket_logging to a log bucket, or suppress with the reason (e.g. CloudTrail data events cover it)",
    evaluate: perResource(["aws_s3_bucket"], (bucket, doc) =>
      bucket.config.logging !== undefined || bucketResources(doc, "aws_s3_bucket_logging", bucket).length > 0
        ? undefined
        : "no access logging",
    ),
  },
  {
    id: "AIVO-TLS-ONLY-POLICY",
    severity: "error",
    message: "S3 buckets, SNS topics and SQS queues have a resource policy denying requests without TLS",
    fix: 'add a statement { Effect = "Deny", Principal = "*", Action = "<service>:*", Condition = { Bool = { "aws:SecureTransport" = "false" } } } to the bucket, topic or queue policy',
    evaluate: (doc) => {
      const targets: [string, string, string][] = [
        ["aws_s3_bucket", "aws_s3_bucket_policy", "bucket"],
        ["aws_sns_topic", "aws_sns_topic_policy", "arn"],
        ["aws_sqs_queue", "aws_sqs_queue_policy", "queue_url"],
      ];
      return targets.flatMap(([type, policyType, attribute]) =>
        doc
          .resources(type)
          .filter((r) => !deniesInsecureTransport(policiesOf(doc, r, policyType, attribute)))
          .map((r) => ({ address: r.address, constructPath: r.constructPath, detail: "no statement denying aws:SecureTransport = false" })),
      );
    },
  },
];
