import { Aspects, IAspect, TerraformProvider, TerraformStack } from "cdktf";
import { ValidateTerraformVersion } from "cdktf/lib/validations/validate-terraform-version";
import { Construct, IConstruct, IValidation } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { COST_ALLOCATION_TAG_KEYS } from "../modules/aws/observability/cost-monitoring";
import { renderStackHcl } from "../modules/shared/hcl";
import { Guardrails, TerraformDocument } from "../modules/shared/guardrails";
import { silenceArchivedCdktfDeprecations } from "./node-warnings";

// Every tool that builds the stacks (synth, cost, diagram, modules, bench, tests) runs cdktf, whose
// util.isArray Node 22 reports as deprecated: that one warning is dropped (environments/node-warnings.ts).
silenceArchivedCdktfDeprecations();

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
 * cdktf's prebuilt bindings declare their source by type only (`aws`); plain Terraform tooling wants
 * the full address (`hashicorp/aws`). This aspect visits every provider of the stack — the AWS ones
 * now, the Kubernetes and Helm ones of the add-ons stacks later — and overrides its
 * `required_providers` source. Overrides are merged into both the JSON and the HCL output.
 */
class QualifyProviderSources implements IAspect {
  constructor(private readonly stack: TerraformStack) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformProvider) || !node.terraformProviderSource) return;
    if (node.terraformProviderSource.includes("/")) return;
    this.stack.addOverride(
      `terraform.required_providers.${node.terraformResourceType}.source`,
      `${PROVIDER_NAMESPACE}/${node.terraformProviderSource}`,
    );
  }
}

const synthesized = new WeakMap<TerraformStack, TerraformDocument>();

/**
 * The validations added to a construct (`node.addValidation`). constructs 10 keeps them in a private
 * field and offers only `node.validate()`, which runs them all; the version is pinned exactly, and
 * `__tests__/platform-stack.test.ts` fails if the field moves.
 */
function validationsOf(construct: IConstruct): readonly IValidation[] {
  return (construct.node as unknown as { _validations?: IValidation[] })._validations ?? [];
}

/** The document of `stack`'s last synthesis (what the cost estimate reads at synth), if it has one. */
export function synthesizedDocument(stack: TerraformStack): TerraformDocument | undefined {
  return synthesized.get(stack);
}

/**
 * A stack whose JSON plain Terraform tooling reads as-is: fully-qualified provider sources
 * (`hashicorp/aws`, not the bare `aws` cdktf writes), the pinned provider versions of the
 * prebuilt bindings, a `required_version`, and an AWS provider that tags everything; checked at
 * every synthesis by the guardrails rule pack (`modules/shared/guardrails`).
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
    this.addOverride("terraform.required_version", REQUIRED_TERRAFORM_VERSION);
    Aspects.of(this).add(new QualifyProviderSources(this));
    // The policy rule pack (modules/shared/guardrails) checks every stack, including ones added later.
    Guardrails.applyTo(this);
  }

  /**
   * cdktf's validations of every construct, except its checks of the local Terraform binary
   * (`ValidateTerraformVersion`, which `import` blocks and `terraform_data` add). Those start
   * `terraform version` at every synthesis (about 0.17 s) and fail it outright where no binary is
   * installed, though synthesis needs none; and every stack already requires Terraform
   * `REQUIRED_TERRAFORM_VERSION` (newer than any such check asks), which Terraform enforces at init.
   */
  override runAllValidations(): void {
    const errors = this.node.findAll().flatMap((c) =>
      validationsOf(c)
        .filter((v) => !(v instanceof ValidateTerraformVersion))
        .flatMap((v) => v.validate().map((message) => `[${c.node.path}] ${message}`)),
    );
    if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join("\n  ")}`);
  }

  /**
   * An AWS provider for `region` carrying the stack's default tags. The first one is the stack's
   * default provider; pass `alias` for the others (us-east-1 for CloudFront, the DR region …).
   */
  addAwsProvider(id: string, region: string, alias?: string): AwsProvider {
    return new AwsProvider(this, id, { region, alias, defaultTags: [{ tags: { ...this.defaultTags } }] });
  }

  /** The synthesized JSON, checked by the guardrails on the way out (one resolution serves both). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- cdktf's own signature
  override toTerraform(): any {
    const doc = super.toTerraform();
    Guardrails.record(this, doc);
    synthesized.set(this, doc);
    return doc;
  }

  /**
   * The stack in Terraform's native syntax (`npm run synth:hcl`), rendered from the same JSON as
   * `cdk.tf.json` by modules/shared/hcl: cdktf 0.21's own HCL renderer mangles strings holding JSON or
   * operators (policies, cron schedules) and the terraform block's plain attributes.
   */
  override toHclTerraform(): { hcl: string; metadata: Record<string, unknown> } {
    const doc = this.toTerraform() as Record<string, unknown>;
    // The metadata file beside cdk.tf carries what the JSON's "//" key carries in JSON mode.
    return { hcl: stackHcl(this, doc), metadata: { "//": doc["//"] } };
  }
}

/** A synthesized document of `stack` in Terraform's native syntax, its "//" metadata aside (before `terraform fmt`). */
export function stackHcl(stack: TerraformStack, doc: TerraformDocument | Readonly<Record<string, unknown>>): string {
  const { "//": _metadata, ...terraform } = doc as Record<string, unknown>;
  return renderStackHcl(stack, terraform as Parameters<typeof renderStackHcl>[1]);
}
