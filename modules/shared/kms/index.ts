import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsContext } from "../aws-context";
import { PolicyConditions, PolicyStatement, policyDocument } from "../iam";
import { Naming } from "../naming";

/** The data-key actions a service needs to encrypt and decrypt with a key. */
export const KMS_DATA_KEY_ACTIONS: readonly string[] = [
  "kms:Encrypt*",
  "kms:Decrypt*",
  "kms:ReEncrypt*",
  "kms:GenerateDataKey*",
  "kms:Describe*",
];

/** Lets one AWS service principal use the key, under the given conditions. */
export interface KmsServiceGrant {
  /** The service principal, e.g. `logs.us-east-1.amazonaws.com` or `sns.amazonaws.com`. */
  readonly service: string;
  /** @default KMS_DATA_KEY_ACTIONS */
  readonly actions?: readonly string[];
  /** Conditions that scope the grant (source account, encryption context …). @default none */
  readonly conditions?: PolicyConditions;
}

export interface CustomerManagedKeyProps {
  /** Names the alias `alias/<project>/<environment>/<purpose>`. */
  readonly naming: Naming;
  /** What the key protects, as a slug: `flow-logs`, `eks-secrets`, `terraform-state` … */
  readonly purpose: string;
  /** A sentence for the key's description. */
  readonly description: string;
  /** AWS services (beyond IAM principals of the account) allowed to use the key. @default none */
  readonly serviceGrants?: readonly KmsServiceGrant[];
  /** Further key-policy statements, for principals the grants above do not cover. @default none */
  readonly additionalStatements?: readonly PolicyStatement[];
  /** Days before a scheduled deletion completes (7-30). @default 30 */
  readonly deletionWindowInDays?: number;
  /** The AWS provider (region) to create the key with. @default the stack's default provider */
  readonly provider?: TerraformProvider;
}

/**
 * A customer-managed KMS key with rotation on, an alias `alias/<project>/<env>/<purpose>` and a key
 * policy that grants: the account's IAM (so IAM policies decide who administers and uses it, the
 * AWS default) plus exactly the service principals listed in `serviceGrants`.
 */
export class CustomerManagedKey extends Construct {
  /** Grant for CloudWatch Logs in the provider's region, scoped to this account's log groups. */
  static cloudWatchLogsGrant(context: AwsContext): KmsServiceGrant {
    return {
      service: `logs.${context.region}.amazonaws.com`,
      conditions: {
        ArnLike: { "kms:EncryptionContext:aws:logs:arn": context.arn("logs", "log-group:*") },
      },
    };
  }

  /** Grant for a service that calls KMS on its own behalf, scoped to this account (`aws:SourceAccount`). */
  static serviceGrant(context: AwsContext, service: string, actions?: readonly string[]): KmsServiceGrant {
    return {
      service,
      actions,
      conditions: { StringEquals: { "aws:SourceAccount": context.accountId } },
    };
  }

  /** The key resource (escape hatch). */
  readonly key: KmsKey;
  /** The key ARN, for `kms_key_id`/`kms_key_arn` arguments. */
  readonly keyArn: string;
  /** The key id. */
  readonly keyId: string;
  /** `alias/<project>/<environment>/<purpose>`. */
  readonly aliasName: string;

  constructor(scope: Construct, id: string, props: CustomerManagedKeyProps) {
    super(scope, id);
    const deletionWindowInDays = props.deletionWindowInDays ?? 30;
    if (!Number.isInteger(deletionWindowInDays) || deletionWindowInDays < 7 || deletionWindowInDays > 30) {
      throw new Error(
        `${props.naming.environment}.kms.${props.purpose}.deletionWindowInDays: ${deletionWindowInDays} is outside 7-30 days, the range KMS accepts`,
      );
    }
    const context = AwsContext.of(this, props.provider);

    const statements: PolicyStatement[] = [
      {
        Sid: "EnableAccountIamPolicies",
        Principal: { AWS: context.accountRootArn },
        Action: "kms:*",
        Resource: "*",
      },
      ...(props.serviceGrants ?? []).map(
        (grant): PolicyStatement => ({
          Sid: `Allow${grant.service.split(".")[0].replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}`,
          Principal: { Service: grant.service },
          Action: [...(grant.actions ?? KMS_DATA_KEY_ACTIONS)],
          Resource: "*",
          ...(grant.conditions ? { Condition: grant.conditions } : {}),
        }),
      ),
      ...(props.additionalStatements ?? []),
    ];

    this.key = new KmsKey(this, "key", {
      provider: props.provider,
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays,
      policy: policyDocument(statements),
    });
    this.aliasName = props.naming.kmsAlias(props.purpose);
    new KmsAlias(this, "alias", {
      provider: props.provider,
      name: this.aliasName,
      targetKeyId: this.key.keyId,
    });
    this.keyArn = this.key.arn;
    this.keyId = this.key.keyId;
  }
}
