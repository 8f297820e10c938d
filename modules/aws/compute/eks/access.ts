// Access to the cluster: API authentication mode with access entries (no aws-auth ConfigMap). The
// admin principals get EKS's AmazonEKSClusterAdminPolicy, cluster-wide.
import { Token } from "cdktf";
import { Construct } from "constructs";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { AwsContext } from "../../../shared/aws-context";
import { policyDocument } from "../../../shared/iam";
import { Naming } from "../../../shared/naming";

/** Who administers the cluster. */
export interface ClusterAdminAccessProps {
  readonly naming: Naming;
  /** The cluster's name attribute (a reference, so entries wait for the cluster). */
  readonly clusterName: string;
  /** Existing IAM roles that get cluster-admin. */
  readonly adminRoleArns: readonly string[];
  /** Create `aivo-<env>-eks-admin`, assumable by the account's principals as IAM policy allows. */
  readonly createAdminRole: boolean;
}

/**
 * Creates the admin role (when asked) and an access entry with the cluster-admin policy for every admin
 * principal, in `scope` (ids `admin-role`, `admin-<key>`, `admin-<key>-policy`). Returns the created
 * role's ARN.
 */
export function createClusterAdminAccess(scope: Construct, props: ClusterAdminAccessProps): string | undefined {
  const context = AwsContext.of(scope);
  const clusterLabel = props.naming.name("eks");
  const admins: [key: string, arn: string][] = props.adminRoleArns.map((arn, index) => [
    Token.isUnresolved(arn) ? `${index}` : arn.split("/").pop()!,
    arn,
  ]);
  let adminRoleArn: string | undefined;
  if (props.createAdminRole) {
    const adminRole = new IamRole(scope, "admin-role", {
      name: props.naming.name("eks-admin"),
      description: `Cluster-admin of ${clusterLabel}; who may assume it is decided by the account's IAM policies`,
      maxSessionDuration: 3600,
      assumeRolePolicy: policyDocument([
        { Sid: "AllowAccountPrincipals", Principal: { AWS: context.accountRootArn }, Action: ["sts:AssumeRole", "sts:TagSession"] },
      ]),
    });
    adminRoleArn = adminRole.arn;
    admins.unshift(["eks-admin-role", adminRole.arn]);
  }
  for (const [key, arn] of admins) {
    const entry = new EksAccessEntry(scope, `admin-${key}`, {
      clusterName: props.clusterName,
      principalArn: arn,
      type: "STANDARD",
    });
    new EksAccessPolicyAssociation(scope, `admin-${key}-policy`, {
      clusterName: props.clusterName,
      principalArn: entry.principalArn,
      policyArn: `arn:${context.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
      accessScope: { type: "cluster" },
    });
  }
  return adminRoleArn;
}
