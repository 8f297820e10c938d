import { IAspect } from "cdktf";
import { IConstruct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Naming } from "../../../shared/naming";

/** `aivo-<env>-ci-boundary`: the permissions boundary policy of an environment's roles (the account stack creates it). */
export function ciBoundaryPolicyName(naming: Naming): string {
  return naming.name("ci", "boundary");
}

/** `aivo-<env>-ci-apply`: the policy derived from the environment's resource types. */
export function ciApplyPolicyName(naming: Naming): string {
  return naming.name("ci", "apply");
}

/**
 * Puts `boundaryArn` on every IAM role of the stacks it is added to that has none: the CI apply role
 * may create roles only with it (GitHubOidcRoles), so no role an environment's stacks create can
 * reach beyond it.
 */
export class RolePermissionsBoundary implements IAspect {
  constructor(private readonly boundaryArn: string) {}

  visit(node: IConstruct): void {
    if (node instanceof IamRole && node.permissionsBoundaryInput === undefined) node.permissionsBoundary = this.boundaryArn;
  }
}
