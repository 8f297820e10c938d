import { Aspects, TerraformResource, TerraformStack } from "cdktf";
import { AwsContext } from "../modules/shared/aws-context";
import { Naming } from "../modules/shared/naming";
import { RolePermissionsBoundary, ciBoundaryPolicyName } from "../modules/aws/security/github-oidc-roles";
import type { AccountStack } from "./account-stack";

/** Every Terraform resource type the stacks contain (AWS, Kubernetes, Helm …), sorted. */
export function resourceTypesOf(stacks: readonly TerraformStack[]): string[] {
  const types = new Set<string>();
  for (const stack of stacks) {
    for (const c of stack.node.findAll()) if (c instanceof TerraformResource) types.add(c.terraformResourceType);
  }
  return [...types].sort();
}

/**
 * CI's permissions for one environment, derived from its stacks: the apply role's policy grants the
 * services of the resource types they synthesize, and every role they create carries the
 * environment's permissions boundary (modules/aws/security/github-oidc-roles).
 */
export function deriveCiPermissions(account: AccountStack, environment: string, stacks: readonly TerraformStack[]): void {
  account.ci.manage(environment, resourceTypesOf(stacks));
  const boundaryName = ciBoundaryPolicyName(new Naming(account.naming.project, environment));
  for (const stack of stacks) {
    const context = AwsContext.of(stack);
    Aspects.of(stack).add(new RolePermissionsBoundary(`arn:${context.partition}:iam::${context.accountId}:policy/${boundaryName}`));
  }
}
