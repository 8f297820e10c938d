import { TerraformProvider, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";

/** CloudFront's control-plane region: its ACM certificates, CLOUDFRONT web ACLs and log deliveries live here. */
export const CLOUDFRONT_REGION = "us-east-1";

/**
 * Account id, partition and region of one AWS provider in one stack, looked up once.
 *
 * Modules need these for ARNs and policy conditions. `AwsContext.of(scope)` returns the same
 * three data sources for every caller in a stack (one set per provider alias), so a stack with
 * twenty KMS keys still has one `aws_caller_identity` data source, not twenty.
 */
export class AwsContext extends Construct {
  /** The context of `provider` (default: the stack's default AWS provider) in the stack of `scope`. */
  static of(scope: Construct, provider?: TerraformProvider): AwsContext {
    const stack = TerraformStack.of(scope);
    const id = provider ? `aws-context-${provider.node.id}` : "aws-context";
    const existing = stack.node.tryFindChild(id);
    if (existing instanceof AwsContext) return existing;
    return new AwsContext(stack, id, provider);
  }

  /** The 12-digit account id, e.g. `123456789012` (a token). */
  readonly accountId: string;
  /** `aws`, `aws-cn` or `aws-us-gov` (a token). */
  readonly partition: string;
  /** The AWS region the provider targets, e.g. `us-east-1` (a token). */
  readonly region: string;
  /** The DNS suffix of the partition, e.g. `amazonaws.com` (a token). */
  readonly dnsSuffix: string;

  private constructor(scope: Construct, id: string, provider?: TerraformProvider) {
    super(scope, id);
    const identity = new DataAwsCallerIdentity(this, "caller", { provider });
    const partition = new DataAwsPartition(this, "partition", { provider });
    const region = new DataAwsRegion(this, "region", { provider });
    this.accountId = identity.accountId;
    this.partition = partition.partition;
    this.dnsSuffix = partition.dnsSuffix;
    this.region = region.region;
  }

  /** `arn:<partition>:iam::<account>:root`, the account principal. */
  get accountRootArn(): string {
    return `arn:${this.partition}:iam::${this.accountId}:root`;
  }

  /** `arn:<partition>:<service>:<region>:<account>:<resource>`; pass `region: ""` for global services. */
  arn(service: string, resource: string, region: string = this.region): string {
    return `arn:${this.partition}:${service}:${region}:${this.accountId}:${resource}`;
  }
}
