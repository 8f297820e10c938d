import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { COST_ALLOCATION_TAG_KEYS } from "../modules/cost-monitoring";

/** The namespace of the providers cdktf's prebuilt bindings name only by type (`aws`, `kubernetes`, `helm`). */
export const PROVIDER_NAMESPACE = "hashicorp";

/**
 * The Terraform releases the synthesized JSON is written for. 1.11 is the floor: it is the first
 * release with S3-native state locking generally available (the path off DynamoDB locking, which 1.11
 * deprecates) and with write-only arguments; `.terraform-version` pins the exact release CI uses.
 */
export const REQUIRED_TERRAFORM_VERSION = ">= 1.11.0";

/**
 * Tag keys every resource carries through the AWS provider's `default_tags`: the cost allocation
 * tags the budgets filter on, plus `ManagedBy`.
 */
export const DEFAULT_TAG_KEYS = { ...COST_ALLOCATION_TAG_KEYS, managedBy: "ManagedBy" } as const;

/** The `ManagedBy` tag value: which tool owns a resource. */
export const MANAGED_BY = "cdktf";

export interface PlatformStackProps {
  /** The region of the stack's default AWS provider. */
  readonly region: string;
  /** Values of the default tags (`Project`, `Environment`, `CostCenter`); `ManagedBy` is always `cdktf`. */
  readonly tags: { readonly project: string; readonly environment: string; readonly costCenter: string };
}

/**
 * A stack whose JSON plain Terraform tooling reads as-is: fully-qualified provider sources
 * (`hashicorp/aws`, not the bare `aws` cdktf writes), the pinned provider versions of the
 * prebuilt bindings, a `required_version`, and an AWS provider that tags everything.
 */
export class PlatformStack extends TerraformStack {
  /** The stack's default AWS provider. */
  readonly awsProvider: AwsProvider;
  /** `default_tags` of every AWS provider of the stack. */
  readonly defaultTags: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    this.defaultTags = {
      [DEFAULT_TAG_KEYS.project]: props.tags.project,
      [DEFAULT_TAG_KEYS.environment]: props.tags.environment,
      [DEFAULT_TAG_KEYS.managedBy]: MANAGED_BY,
      [DEFAULT_TAG_KEYS.costCenter]: props.tags.costCenter,
    };
    this.awsProvider = this.addAwsProvider("aws", props.region);
  }

  /**
   * An AWS provider for `region` carrying the stack's default tags. The first one is the stack's
   * default provider; pass `alias` for the others (us-east-1 for CloudFront, the DR region …).
   */
  addAwsProvider(id: string, region: string, alias?: string): AwsProvider {
    return new AwsProvider(this, id, { region, alias, defaultTags: [{ tags: { ...this.defaultTags } }] });
  }

  override toTerraform(): any {
    const tf = super.toTerraform();
    const terraform = (tf.terraform ??= {});
    terraform.required_version = REQUIRED_TERRAFORM_VERSION;
    for (const requirement of Object.values<Record<string, string>>(terraform.required_providers ?? {})) {
      if (requirement.source && !requirement.source.includes("/")) {
        requirement.source = `${PROVIDER_NAMESPACE}/${requirement.source}`;
      }
    }
    return tf;
  }
}
