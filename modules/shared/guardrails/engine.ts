/**
 * The rule engine: pure functions over a synthesized (resolved) Terraform JSON document, with no
 * cdktf in sight, so every rule can be tested on a small fixture and the aspect stays thin.
 */

/**
 * A value of the synthesized JSON. Rules read it by Terraform's schema (`config.vpc_config`,
 * `block.ebs.kms_key_id` …), which no TypeScript type describes for every resource type.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized JSON, read by Terraform's schema
export type TfValue = any;

/** An argument map: a resource body or a nested block. */
export type TfBlock = Record<string, TfValue>;

/** `error` fails synthesis; `warning` is printed and counted. */
export type Severity = "error" | "warning";

/** A synthesized Terraform JSON document (what `stack.toTerraform()` returns, resolved). */
export interface TerraformDocument {
  readonly terraform?: TfBlock;
  readonly resource?: Record<string, Record<string, TfBlock>>;
  readonly data?: Record<string, Record<string, TfBlock>>;
  readonly provider?: TfBlock;
}

/** One resource (or data source) of the document. */
export interface ResourceView {
  /** `aws_s3_bucket`. */
  readonly type: string;
  /** The logical id: `state_bucket_1A2B3C4D`. */
  readonly name: string;
  /** The Terraform address: `aws_s3_bucket.state_bucket_1A2B3C4D` (`data.` prefixed for data sources). */
  readonly address: string;
  /** The resource's arguments, without cdktf's `//` metadata. */
  readonly config: TfBlock;
  /** The construct path cdktf recorded (`development/network/vpc`), when there is one. */
  readonly constructPath?: string;
}

/** What a rule reports: the resource (or `terraform.backend` …) that fails and why, in a few words. */
export interface Finding {
  /** The Terraform address of what fails. */
  readonly address: string;
  /** The construct path, when the finding is about a resource cdktf recorded one for. */
  readonly constructPath?: string;
  /** What exactly is wrong, e.g. `ingress 0.0.0.0/0 on 22`. */
  readonly detail: string;
}

/** A guardrail: one property every stack must have. */
export interface Rule {
  /** Stable id used in suppressions and reports: `AIVO-S3-PUBLIC-ACCESS`. */
  readonly id: string;
  readonly severity: Severity;
  /** The matching checkov check(s), where one exists. */
  readonly checkov?: readonly string[];
  /** One line: what must hold. */
  readonly message: string;
  /** How to make it hold. */
  readonly fix: string;
  /** Evaluates the rule over a whole document (so cross-resource rules can look things up). */
  evaluate(doc: StackDocument): Finding[];
}

/** A document indexed by type and address, built once per stack and shared by every rule. */
export class StackDocument {
  private readonly byType = new Map<string, ResourceView[]>();
  private readonly byAddress = new Map<string, ResourceView>();

  constructor(readonly raw: TerraformDocument) {
    const add = (prefix: string, blocks?: Record<string, Record<string, TfBlock>>) => {
      for (const [type, byName] of Object.entries(blocks ?? {})) {
        const list: ResourceView[] = [];
        for (const [name, body] of Object.entries(byName)) {
          const { ["//"]: meta, ...config } = body ?? {};
          const view: ResourceView = {
            type,
            name,
            address: `${prefix}${type}.${name}`,
            config,
            constructPath: meta?.metadata?.path,
          };
          list.push(view);
          this.byAddress.set(view.address, view);
        }
        this.byType.set(`${prefix}${type}`, list);
      }
    };
    add("", raw.resource);
    add("data.", raw.data);
  }

  /** Every resource of `type` (`data.<type>` for data sources). */
  resources(type: string): readonly ResourceView[] {
    return this.byType.get(type) ?? [];
  }

  /** Every resource of any of `types`. */
  resourcesOf(types: readonly string[]): ResourceView[] {
    return types.flatMap((t) => [...this.resources(t)]);
  }

  /** The resource at a Terraform address. */
  at(address: string): ResourceView | undefined {
    return this.byAddress.get(address);
  }

  /** Resources of `type` with an argument `attribute` that references `target` (`${<target.address>.…}`). */
  referencing(type: string, attribute: string, target: ResourceView): ResourceView[] {
    return this.resources(type).filter((r) => refersTo(r.config[attribute], target.address));
  }
}

/** True when `value` (a string, or any nested value) interpolates `${<address>.<attr>}` or `${<address>}`. */
export function refersTo(value: unknown, address: string): boolean {
  if (typeof value === "string") return value.includes(`\${${address}.`) || value.includes(`\${${address}}`);
  if (Array.isArray(value)) return value.some((v) => refersTo(v, address));
  if (value && typeof value === "object") return Object.values(value).some((v) => refersTo(v, address));
  return false;
}

/** A nested block as a list, whether cdktf wrote it as an object or an array (or not at all). */
export function blocks(value: unknown): TfBlock[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as TfBlock[];
}

/** The first nested block, or `{}`. */
export function block(value: unknown): TfBlock {
  return blocks(value)[0] ?? {};
}

/** A Terraform boolean, which may be written as `true` or `"true"`. */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

/** A non-empty value (a string with content, or a token). */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

/**
 * A key that is customer-managed: set, and not an AWS-managed alias (`alias/aws/…`) or the ARN of one.
 * References to `aws_kms_key` / `aws_kms_alias` resources and literal key ARNs pass.
 */
export function isCustomerManagedKey(value: unknown): boolean {
  if (!isSet(value) || typeof value !== "string") return false;
  return !/(^|:)alias\/aws\//.test(value);
}

/** A rule that checks each resource of the given types on its own; `check` returns what fails, or nothing. */
export function perResource(
  types: readonly string[],
  check: (resource: ResourceView, doc: StackDocument) => string | undefined,
): (doc: StackDocument) => Finding[] {
  return (doc) =>
    doc.resourcesOf(types).flatMap((r) => {
      const detail = check(r, doc);
      return detail === undefined ? [] : [{ address: r.address, constructPath: r.constructPath, detail }];
    });
}

/** Evaluates every rule over a document (indexed once), in rule order. */
export function evaluate(raw: TerraformDocument, rules: readonly Rule[]): { rule: Rule; finding: Finding }[] {
  const doc = new StackDocument(raw);
  return rules.flatMap((rule) => rule.evaluate(doc).map((finding) => ({ rule, finding })));
}
