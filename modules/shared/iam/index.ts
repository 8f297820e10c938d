/**
 * IAM policy documents as typed values.
 *
 * Policies are rendered with `JSON.stringify`, so the synthesized Terraform holds a readable JSON
 * string (with `${…}` interpolations where tokens were used) that tests can `JSON.parse` and assert on,
 * and that checkov/tfsec read as a literal policy.
 */

/** An IAM condition block: operator → key → value(s), e.g. `{ StringEquals: { "aws:SourceAccount": id } }`. */
export type PolicyConditions = Record<string, Record<string, string | string[] | boolean>>;

/** A principal: `{ Service: "logs.amazonaws.com" }`, `{ AWS: arn }`, `{ Federated: arn }` or `"*"`. */
export type PolicyPrincipal = "*" | { readonly Service?: string | string[]; readonly AWS?: string | string[]; readonly Federated?: string | string[] };

/** What every statement has, whatever names its actions. */
interface PolicyStatementBase {
  /** Statement id: say what the statement is for. */
  readonly Sid?: string;
  /** @default "Allow" */
  readonly Effect?: "Allow" | "Deny";
  /** Required for resource policies (key, bucket, topic, trust); omitted in identity policies. */
  readonly Principal?: PolicyPrincipal;
  /** @default "*" in key policies, required elsewhere */
  readonly Resource?: string | string[];
  readonly Condition?: PolicyConditions;
}

/**
 * One statement of an IAM, key, bucket or topic policy: its actions listed (`Action`), or, for
 * permissions boundaries, everything but the listed ones (`NotAction`).
 */
export type PolicyStatement =
  | (PolicyStatementBase & { readonly Action: string | string[]; readonly NotAction?: never })
  | (PolicyStatementBase & { readonly NotAction: string | string[]; readonly Action?: never });

/** Renders statements as a policy document (`Version: 2012-10-17`), `Effect` defaulting to `Allow`. */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: statements.map((s) => ({ Effect: "Allow", ...s })),
  });
}

/** A trust policy letting the given AWS service principal(s) assume a role. */
export function serviceAssumeRolePolicy(...services: string[]): string {
  return policyDocument([
    {
      Sid: "AllowServiceToAssumeRole",
      Principal: { Service: services.length === 1 ? services[0] : services },
      Action: "sts:AssumeRole",
    },
  ]);
}

/** The ARN of an AWS managed policy: `arn:<partition>:iam::aws:policy/<name>`. */
export function managedPolicyArn(partition: string, name: string): string {
  return `arn:${partition}:iam::aws:policy/${name}`;
}
