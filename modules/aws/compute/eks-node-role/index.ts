import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { AwsContext } from "../../../shared/aws-context";
import { managedPolicyArn, serviceAssumeRolePolicy } from "../../../shared/iam";
import { Naming } from "../../../shared/naming";

/**
 * The AWS managed policies every EKS worker node needs, and why:
 * - `AmazonEKSWorkerNodePolicy`: kubelet describes its instance and joins the cluster.
 * - `AmazonEC2ContainerRegistryPullOnly`: pull images (EKS add-ons, our ECR repositories); the
 *   narrower successor of `…ReadOnly` (no list/describe of repositories). Managed node groups do not
 *   need `…ReadOnly` beside it: the EKS node IAM role documentation names PullOnly as the ECR
 *   permission, and Karpenter's reference template (1.14) and eksctl's managed nodes use it alone
 *   (the early-2025 report of CreateNodegroup asking for ReadOnly, awsdocs/amazon-eks-user-guide#880,
 *   predates those).
 * - `AmazonSSMManagedInstanceCore`: Session Manager shell and SSM patching/inventory, the audited
 *   replacement for SSH (the launch templates set no key pair and the node SG opens no port 22).
 * Not `AmazonEKS_CNI_Policy`: the VPC CNI gets its own IRSA role (least privilege: only the aws-node
 * pod can manage ENIs, not every pod that reaches IMDS).
 */
export const NODE_MANAGED_POLICIES = [
  "AmazonEKSWorkerNodePolicy",
  "AmazonEC2ContainerRegistryPullOnly",
  "AmazonSSMManagedInstanceCore",
] as const;

export interface EksNodeRoleProps {
  /** Names the role `aivo-<env>-<name>`. */
  readonly naming: Naming;
  /** Component part of the role name, e.g. `eks-node`. */
  readonly name: string;
  /** A sentence for the role's description. */
  readonly description: string;
}

/** The IAM role EC2 worker nodes run with: trusted by `ec2.amazonaws.com`, `NODE_MANAGED_POLICIES` attached. */
export class EksNodeRole extends Construct {
  /** The role (escape hatch). */
  readonly role: IamRole;
  /** The role ARN (node groups, access entries, `iam:PassRole` scoping). */
  readonly roleArn: string;
  /** The role name (Karpenter's `EC2NodeClass.spec.role`). */
  readonly roleName: string;
  /** The policy attachments: depend on them so nodes never start without their permissions. */
  readonly attachments: IamRolePolicyAttachment[];

  constructor(scope: Construct, id: string, props: EksNodeRoleProps) {
    super(scope, id);
    const context = AwsContext.of(this);
    this.role = new IamRole(this, "role", {
      name: props.naming.name(props.name),
      description: props.description,
      assumeRolePolicy: serviceAssumeRolePolicy("ec2.amazonaws.com"),
    });
    this.attachments = NODE_MANAGED_POLICIES.map(
      (policy) =>
        new IamRolePolicyAttachment(this, policy, {
          role: this.role.name,
          policyArn: managedPolicyArn(context.partition, policy),
        }),
    );
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
  }
}
